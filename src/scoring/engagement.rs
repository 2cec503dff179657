//! Engagement: interest shown. The source's warmth, each activity's points halved every
//! half-life, the columns of an export, the seller's rules; saturating towards 100.
//!
//! What the lead did counts, never the seller's own attempts (Domain: an email sent, a
//! call nobody answered): they carry no points, and three or more of them since the
//! lead's last answer count against it, as a bounce does. Chasing a silent lead never
//! raises it above one who answered.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::{
    column_signal_points, push, rule_points, signals, sub_score, tenths, Clock, ColumnSignals,
    Form, Part, Profile,
};
use crate::model::{Activity, ActivityKind, Lead, Touch};

/// Where the curve starts to bend: below this, engagement points count one for one.
const LINEAR_UNTIL: f64 = 50.0;

/// From this many attempts since the lead's last answer, silence counts against it...
pub const UNANSWERED_FROM: usize = 3;
/// ...this much for each of them...
pub const UNANSWERED_POINTS_EACH: f64 = -5.0;
/// ...and a bounced email this much (each since the last answer); the two together no
/// lower than `SILENCE_FLOOR`.
pub const BOUNCE_POINTS: f64 = -15.0;
pub const SILENCE_FLOOR: f64 = -40.0;

pub(super) fn engagement(
    lead: &Lead,
    activities: &[Activity],
    profile: &Profile,
    columns: &ColumnSignals<'_>,
    clock: Clock,
    reasons: &mut Form,
) -> i64 {
    let mut raw = source(lead, profile, reasons); // tenths of a point
    raw += activity_lines(activities, profile, clock, reasons);
    raw += silence_lines(activities, reasons);
    raw += column_signal_points(columns, Part::Engagement, reasons);
    if lead.do_not_contact {
        raw += line(
            reasons,
            "opted out",
            || "do not contact".into(),
            signals::OPTED_OUT_POINTS,
        );
    }
    if lead.incentivized && !lead.aware {
        // Applies to what came before it: the lead's own interest, not the seller's rules.
        let lost = raw as f64 / 10.0 * (1.0 - profile.incentive_factor);
        raw += line(
            reasons,
            "incentivized, not aware of a follow-up",
            || format!("x{}", profile.incentive_factor),
            -lost,
        );
    }
    raw += rule_points(lead, profile, Part::Engagement, clock, reasons);
    raw += saturation(raw, reasons);
    sub_score(raw)
}

/// A line of the engagement form.
fn line(reasons: &mut Form, factor: &str, value: impl FnOnce() -> String, points: f64) -> i64 {
    push(reasons, Part::Engagement, factor, value, points)
}

/// The source's warmth: its points, or the unknown source's for one not in the profile.
fn source(lead: &Lead, profile: &Profile, reasons: &mut Form) -> i64 {
    let Some(source) = lead.source.as_deref() else {
        return line(reasons, "source", || "unknown".into(), 0.0);
    };
    let points = profile
        .source_points
        .get(source)
        .copied()
        .unwrap_or(profile.unknown_source_points);
    line(reasons, "source", || source.to_string(), points)
}

/// One line per kind of activity: how many, the latest, and their decayed points.
fn activity_lines(
    activities: &[Activity],
    profile: &Profile,
    clock: Clock,
    reasons: &mut Form,
) -> i64 {
    // A call is one line per outcome ("call", "call (no answer)"): an attempt earns
    // nothing, and the form says so.
    let mut by_kind: BTreeMap<(ActivityKind, String), (usize, DateTime<Utc>, f64)> =
        BTreeMap::new();
    // The lines of the seller's own attempts (Domain's definition), said as such.
    let mut attempts = std::collections::BTreeSet::new();
    for activity in activities {
        if activity.touch() == Some(Touch::Attempt) {
            attempts.insert(activity.describe());
        }
        if activity.kind == ActivityKind::EmailBounced {
            continue; // counted against, with the unanswered attempts
        }
        let points = activity_points(activity, profile, clock);
        let entry = by_kind
            .entry((activity.kind, activity.describe()))
            .or_insert((0, activity.at, 0.0));
        entry.0 += 1;
        entry.1 = entry.1.max(activity.at);
        entry.2 += points;
    }
    let mut total = 0;
    for ((_, name), (count, latest, points)) in by_kind {
        let attempt = attempts.contains(&name);
        let value = || {
            let mut value = String::new();
            let days = age_days(latest, clock);
            let _ = write!(
                value,
                "{count}, latest {days} day{} ago",
                if days == 1 { "" } else { "s" }
            );
            if attempt {
                value.push_str(" (your attempts: no points)");
            }
            value
        };
        total += line(reasons, &name, value, points);
    }
    total
}

/// Silence: the attempts (from the third) and the bounces since the lead's last answer.
fn silence_lines(activities: &[Activity], reasons: &mut Form) -> i64 {
    // Ordered by time, then by id: an attempt logged after an answer at the same minute
    // (a pinned clock, a batch) comes after it.
    let last_answer = activities
        .iter()
        .filter(|a| a.touch() == Some(Touch::Answer))
        .map(|a| (a.at, a.id))
        .max();
    let since = |a: &&Activity| last_answer.is_none_or(|answer| (a.at, a.id) > answer);
    let attempts = activities
        .iter()
        .filter(since)
        .filter(|a| a.touch() == Some(Touch::Attempt))
        .count();
    let bounces = activities
        .iter()
        .filter(since)
        .filter(|a| a.kind == ActivityKind::EmailBounced)
        .count();
    let mut left = SILENCE_FLOOR;
    let mut total = 0;
    let mut take = |points: f64| {
        let points = points.max(left);
        left -= points;
        points
    };
    if attempts >= UNANSWERED_FROM {
        let points = take(attempts as f64 * UNANSWERED_POINTS_EACH);
        let value = || {
            let since = if last_answer.is_some() {
                "since the last answer"
            } else {
                "never answered"
            };
            format!("{attempts} attempts, {since}")
        };
        total += line(reasons, "unanswered", value, points);
    }
    if bounces > 0 {
        let points = take(bounces as f64 * BOUNCE_POINTS);
        let value = || format!("{bounces}, the address failed");
        total += line(reasons, "email_bounced", value, points);
    }
    total
}

/// The line that bends the raw points (in tenths) onto the 0-100 curve, if they are off it.
fn saturation(raw: i64, reasons: &mut Form) -> i64 {
    let bent = tenths(saturate(raw as f64 / 10.0));
    if bent == raw {
        return 0;
    }
    let value = move || {
        if raw < 0 {
            "no fewer than 0 points".to_string()
        } else {
            format!("{:.1} raw points above {LINEAR_UNTIL}", raw as f64 / 10.0)
        }
    };
    line(reasons, "saturation", value, (bent - raw) as f64 / 10.0)
}

/// The points of one activity as of `clock`: its kind's points, halved every half-life.
/// Ages are counted in whole local calendar days so that every score computed on one day
/// agrees.
pub fn activity_points(activity: &Activity, profile: &Profile, clock: Clock) -> f64 {
    if activity.touch() == Some(Touch::Attempt) || activity.kind == ActivityKind::EmailBounced {
        return 0.0;
    }
    let base = profile
        .activity_points
        .get(activity.kind.as_str())
        .copied()
        .unwrap_or(0.0);
    let half_life = profile.half_life_days.max(0.001);
    base * 0.5f64.powf(age_days(activity.at, clock) as f64 / half_life)
}

/// Whole local calendar days from `at`'s day to today; an activity in the future counts as
/// today.
fn age_days(at: DateTime<Utc>, clock: Clock) -> i64 {
    clock.days_since(at).max(0)
}

/// Linear up to 50 points, then bending smoothly towards 100.
pub fn saturate(raw: f64) -> f64 {
    if raw <= LINEAR_UNTIL {
        raw.max(0.0)
    } else {
        100.0 - (100.0 - LINEAR_UNTIL) * (-(raw - LINEAR_UNTIL) / (100.0 - LINEAR_UNTIL)).exp()
    }
}

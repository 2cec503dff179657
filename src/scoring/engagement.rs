//! Engagement: interest shown. The source's warmth, each activity's points halved every
//! half-life, the columns of an export, the seller's rules; saturating towards 100.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::{
    column_signal_points, push, rule_points, signals, sub_score, tenths, Clock, ColumnSignals,
    Form, Part, Profile,
};
use crate::model::{Activity, ActivityKind, Lead};

/// Where the curve starts to bend: below this, engagement points count one for one.
const LINEAR_UNTIL: f64 = 50.0;

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
    let mut by_kind: BTreeMap<ActivityKind, (usize, DateTime<Utc>, f64)> = BTreeMap::new();
    for activity in activities {
        let points = activity_points(activity, profile, clock);
        let entry = by_kind
            .entry(activity.kind)
            .or_insert((0, activity.at, 0.0));
        entry.0 += 1;
        entry.1 = entry.1.max(activity.at);
        entry.2 += points;
    }
    let mut total = 0;
    for (kind, (count, latest, points)) in by_kind {
        let value = || {
            let mut value = String::new();
            let days = age_days(latest, clock);
            let _ = write!(
                value,
                "{count}, latest {days} day{} ago",
                if days == 1 { "" } else { "s" }
            );
            value
        };
        total += line(reasons, kind.as_str(), value, points);
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

//! Lead scoring: a pure function of (lead, activities, profile, clock).
//!
//! No I/O, no reading of the clock: `Clock` (the moment and the user's calendar) is passed in.
//! Every number comes with the reasons behind it, so that `show` and `qualify --explain` can print a form a salesperson can check line by line.
//!
//! - fit (0-100): the sum of the ideal-customer-profile and data-quality points.
//! - engagement (0-100): source warmth plus each activity's points halved every
//!   `half_life_days`; an incentivized lead who was not aware of a sales follow-up counts
//!   `incentive_factor` as much; the first 50 points count one for one, beyond that the
//!   curve bends towards 100 (`100 - 50 * e^-(raw-50)/50`).
//! - readiness (0-100): budget, authority, need and timeline, 25 points each at best.
//! - score: the weighted mean of the three rounded sub-scores, rounded; grade by thresholds.
//!
//! Every line of the form carries its points to one decimal, and a sub-score is the sum
//! of its lines as shown, rounded half up: the form always adds up by hand.
//!
//! One file per job: `profile` (the seller's settings and their defaults), `fit`,
//! `engagement` and `readiness` (one sub-score each), `signals` (the columns of other
//! tools' exports), `rules` (the seller's own conditions), `keys` (the profile as the
//! `leads config` settings: names, parsing, validation). This file holds the form they all
//! write to and the combination of the three.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::model::{Activity, Grade, Lead, StoredScores};

mod engagement;
mod fit;
pub mod keys;
mod profile;
mod readiness;
pub mod rules;
pub mod signals;
#[cfg(test)]
mod tests;

pub use engagement::{activity_points, saturate};
pub use profile::Profile;

/// Which sub-score a reason (or a rule) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Fit,
    Engagement,
    Readiness,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Fit => "fit",
            Part::Engagement => "engagement",
            Part::Readiness => "readiness",
        }
    }
}

/// One line of the form: a factor, what the lead has, and the points it earns.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub part: Part,
    pub factor: String,
    pub value: String,
    pub points: f64,
}

impl Reason {
    pub fn to_json(&self) -> Value {
        json!({
            "part": self.part.as_str(),
            "factor": self.factor,
            "value": self.value,
            "points": (self.points * 10.0).round() / 10.0,
        })
    }
}

/// The scores of a lead and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub fit: i64,
    pub engagement: i64,
    pub readiness: i64,
    pub score: i64,
    pub grade: Grade,
    pub reasons: Vec<Reason>,
}

impl Scores {
    /// Stored scores with no reasons: for a lead whose data is gone (`forget`).
    pub fn frozen(stored: StoredScores) -> Scores {
        Scores {
            fit: stored.fit,
            engagement: stored.engagement,
            readiness: stored.readiness,
            score: stored.score,
            grade: stored.grade,
            reasons: Vec::new(),
        }
    }

    pub fn stored(&self) -> StoredScores {
        StoredScores {
            fit: self.fit,
            engagement: self.engagement,
            readiness: self.readiness,
            score: self.score,
            grade: self.grade,
        }
    }
}

/// When scores are computed: the moment, and the user's calendar. Ages and timelines
/// count whole calendar days in the user's time zone, so every score computed on one
/// local day agrees: the stored scores refreshed once a day, and `show`'s live ones, from
/// morning to evening. The calendar is passed in (a function from a moment to its local
/// date), so scoring stays pure.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
    today: NaiveDate,
    local_date: fn(DateTime<Utc>) -> NaiveDate,
}

impl Clock {
    /// `now`, with `local_date` telling the user's calendar day of any moment.
    pub fn new(now: DateTime<Utc>, local_date: fn(DateTime<Utc>) -> NaiveDate) -> Clock {
        Clock {
            now,
            today: local_date(now),
            local_date,
        }
    }

    /// `now` on the UTC calendar.
    pub fn utc(now: DateTime<Utc>) -> Clock {
        Clock::new(now, |at| at.date_naive())
    }

    /// The local calendar day of `at`.
    pub fn date(&self, at: DateTime<Utc>) -> NaiveDate {
        (self.local_date)(at)
    }

    /// Today, on the local calendar.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Local calendar days from `at`'s day to today (negative when `at` is on a later day).
    pub fn days_since(&self, at: DateTime<Utc>) -> i64 {
        (self.today() - self.date(at)).num_days()
    }
}

/// Score a lead as of `clock`.
pub fn score(lead: &Lead, activities: &[Activity], profile: &Profile, clock: Clock) -> Scores {
    score_with(lead, activities, profile, clock, Some(Vec::new()))
}

/// The same numbers as `score(..).stored()`, without the reasons: for scoring many
/// leads at once (imports, rescoring), where nobody reads the form.
pub fn score_numbers(
    lead: &Lead,
    activities: &[Activity],
    profile: &Profile,
    clock: Clock,
) -> StoredScores {
    score_with(lead, activities, profile, clock, None).stored()
}

fn score_with(
    lead: &Lead,
    activities: &[Activity],
    profile: &Profile,
    clock: Clock,
    reasons: Option<Vec<Reason>>,
) -> Scores {
    let mut form = Form { reasons };
    let columns = read_column_signals(lead);
    let fit = fit::fit(lead, profile, &columns, clock, &mut form);
    let engagement = engagement::engagement(lead, activities, profile, &columns, clock, &mut form);
    let readiness = readiness::readiness(lead, profile, clock, &mut form);
    let score = combine(fit, engagement, readiness, profile);
    Scores {
        fit,
        engagement,
        readiness,
        score,
        grade: grade(score, profile),
        reasons: form.reasons.unwrap_or_default(),
    }
}

/// The weighted mean of the three sub-scores, rounded.
pub fn combine(fit: i64, engagement: i64, readiness: i64, profile: &Profile) -> i64 {
    let total = profile.weight_fit + profile.weight_engagement + profile.weight_readiness;
    if total <= 0.0 {
        return 0;
    }
    let sum = profile.weight_fit * fit as f64
        + profile.weight_engagement * engagement as f64
        + profile.weight_readiness * readiness as f64;
    (sum / total).round().clamp(0.0, 100.0) as i64
}

/// A for the best leads, D for the rest.
pub fn grade(score: i64, profile: &Profile) -> Grade {
    if score >= profile.grade_a {
        Grade::A
    } else if score >= profile.grade_b {
        Grade::B
    } else if score >= profile.grade_c {
        Grade::C
    } else {
        Grade::D
    }
}

/// Add a line to the form. Points are kept to one decimal, as the form shows them, and
/// each sub-score is the sum of its lines as shown (see `sub_score`).
fn push(
    form: &mut Form,
    part: Part,
    factor: &str,
    value: impl FnOnce() -> String,
    points: f64,
) -> i64 {
    let points = tenths(points);
    if let Some(reasons) = &mut form.reasons {
        reasons.push(Reason {
            part,
            factor: factor.to_string(),
            value: value(),
            points: points as f64 / 10.0,
        });
    }
    points
}

/// Where the lines of the form go: kept for `show` and `qualify --explain`, or not
/// written at all when only the numbers are wanted (an import scores a million leads,
/// and the lines were most of its scoring time).
struct Form {
    reasons: Option<Vec<Reason>>,
}

/// Points in tenths, rounded half away from zero: sums of lines are exact integers.
fn tenths(points: f64) -> i64 {
    (points * 10.0).round() as i64
}

/// A sub-score from the sum of its lines (in tenths), rounded half up to a whole number.
/// Summing the shown lines rather than the unrounded points means a salesperson adding up
/// the form by hand always lands on the printed sub-score.
fn sub_score(total_tenths: i64) -> i64 {
    (total_tenths + 5).div_euclid(10).clamp(0, 100)
}

/// The signal columns of an export kept in the attributes (see `signals`), read once for
/// both sub-scores: one slot per kind of signal, the first column of each kind counting.
type ColumnSignals<'a> = [Option<signals::Found<'a>>; signals::KINDS];

fn read_column_signals(lead: &Lead) -> ColumnSignals<'_> {
    let mut found: ColumnSignals<'_> = Default::default();
    // A lead without attributes (everything added by hand, most imports) costs nothing.
    for (header, value) in &lead.attributes {
        let Some(signal) = signals::signal_for_header(header) else {
            continue;
        };
        // An opt-out is counted once, by the `do_not_contact` line; a referral once, by
        // the source's.
        if (signal == signals::Signal::Unsubscribed && lead.do_not_contact)
            || (signal == signals::Signal::Referred && lead.source.as_deref() == Some("referral"))
        {
            continue;
        }
        let slot = &mut found[signal as usize];
        if slot.is_none() {
            *slot = signals::read(signal, header, value);
        }
    }
    found
}

/// The lines of the column signals of one sub-score.
fn column_signal_points(columns: &ColumnSignals<'_>, part: Part, reasons: &mut Form) -> i64 {
    let mut total = 0;
    for line in columns.iter().flatten() {
        if line.signal.part() == part {
            total += push(
                reasons,
                part,
                line.signal.factor(),
                || line.value(),
                line.points,
            );
        }
    }
    total
}

/// The line that brings a sub-score's lines (in tenths) back within 0 to 100 when they
/// add up to more (a complete profile on top of every other point, the seller's rules) or
/// less: the form still adds up by hand. Engagement has its curve instead.
fn limit(part: Part, total: i64, reasons: &mut Form) -> i64 {
    let within = total.clamp(0, 1000);
    if within == total {
        return 0;
    }
    let value = move || {
        if total < 0 {
            "no fewer than 0 points".to_string()
        } else {
            "no more than 100 points".to_string()
        }
    };
    push(
        reasons,
        part,
        "limit",
        value,
        (within - total) as f64 / 10.0,
    )
}

/// The lines of the seller's rules on this sub-score that the lead matches (dates on the
/// user's calendar, hence the clock).
fn rule_points(
    lead: &Lead,
    profile: &Profile,
    part: Part,
    clock: Clock,
    reasons: &mut Form,
) -> i64 {
    let mut total = 0;
    for rule in profile.rules.iter().filter(|rule| rule.axis == part) {
        if let Some(value) = rule.fires(lead, clock) {
            total += push(reasons, part, &rule.factor(), || value, rule.points);
        }
    }
    total
}

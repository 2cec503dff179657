//! Readiness to buy, from the qualification answers: budget, authority, need, timeline.
use super::fit::known;
use super::{limit, push, rule_points, sub_score, Clock, Form, Part, Profile};
use crate::model::{Answer, Lead};

pub(super) fn readiness(lead: &Lead, profile: &Profile, clock: Clock, reasons: &mut Form) -> i64 {
    let part = Part::Readiness;
    let mut total = 0;
    for (factor, answer) in [("budget", lead.budget), ("authority", lead.authority)] {
        let points = if answer == Answer::Yes { 25.0 } else { 0.0 };
        total += push(reasons, part, factor, || answer.as_str().into(), points);
    }
    total += match known(&lead.need) {
        Some(need) => push(reasons, part, "need", || need.to_string(), 25.0),
        None => push(reasons, part, "need", || "unknown".into(), 0.0),
    };
    total += match lead.timeline {
        None => push(reasons, part, "timeline", || "unknown".into(), 0.0),
        Some(date) => {
            let days = (-clock.days_since(date)).max(0);
            let points = match days {
                0..=30 => 25.0,
                31..=90 => 15.0,
                91..=180 => 8.0,
                _ => 3.0,
            };
            // A day that has passed still counts as "now": the answer is due a check.
            // The day is the user's, as `show` prints dates.
            let value = || {
                let day = clock.date(date).format("%Y-%m-%d");
                if clock.days_since(date) > 0 {
                    format!("{day} (passed)")
                } else {
                    let unit = if days == 1 { "day" } else { "days" };
                    format!("{day} (in {days} {unit})")
                }
            };
            push(reasons, part, "timeline", value, points)
        }
    };
    total += rule_points(lead, profile, part, clock, reasons);
    total += limit(part, total, reasons);
    sub_score(total)
}

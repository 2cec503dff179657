//! The forms of one lead's numbers: the score with its reasons (`show`, `qualify --explain`)
//! and the learned win probability (`list`, `show`).
use std::io::{self, Write};

use chrono::Local;
use serde_json::{json, Value};

use super::{heading, percent, thousands, write_records, Column, Style};
use crate::cli::Format;
use crate::learning::{Factor, LiveWin, ModelSummary};
use crate::model::{Field, Lead};
use crate::scoring::{Part, Profile, Scores};

// The score forms of `show` and `qualify --explain`, like a tax form one can check.

const REASON_COLUMNS: [Column; 3] = [
    Column::text("factor", "FACTOR"),
    Column::text("value", "VALUE"),
    Column::number("points", "POINTS"),
];
/// The lead's JSON with these scores (computed now; they equal the stored ones once refreshed).
pub fn lead_record(lead: &Lead, scores: &Scores) -> Value {
    let mut record = lead.to_json();
    for (field, value) in [
        (Field::Fit, json!(scores.fit)),
        (Field::Engagement, json!(scores.engagement)),
        (Field::Readiness, json!(scores.readiness)),
        (Field::Score, json!(scores.score)),
        (Field::Grade, json!(scores.grade.to_string())),
    ] {
        record[field.name()] = value;
    }
    record
}

/// The reasons as three small forms, each ending in its sub-score.
fn write_reasons(out: &mut dyn Write, scores: &Scores, style: &Style) -> io::Result<()> {
    let parts = [
        (Part::Fit, "Fit", scores.fit),
        (Part::Engagement, "Engagement", scores.engagement),
        (Part::Readiness, "Readiness", scores.readiness),
    ];
    for (part, title, total) in parts {
        let mut rows: Vec<Value> = scores
            .reasons
            .iter()
            .filter(|r| r.part == part)
            .map(|r| {
                json!({"factor": r.factor, "value": r.value, "points": format_points(r.points)})
            })
            .collect();
        rows.push(json!({"factor": format!("= {}", title.to_lowercase()), "value": "", "points": total.to_string()}));
        heading(out, title, style)?;
        write_records(out, Format::Table, &REASON_COLUMNS, &rows)?;
    }
    Ok(())
}

/// The three forms and how they combine into the score: what `qualify --explain` prints.
pub fn explanation(
    out: &mut dyn Write,
    scores: &Scores,
    profile: &Profile,
    style: &Style,
) -> io::Result<()> {
    write_reasons(out, scores, style)?;
    writeln!(out)?;
    writeln!(out, "{}", combined_line(scores, profile))?;
    Ok(())
}

/// The last line of the form: how the sub-scores combine, with the profile's weights,
/// e.g. `score = (40×fit + 35×engagement + 25×readiness) / 100 = (40×78 + ...) / 100 = 75, grade A`.
fn combined_line(scores: &Scores, profile: &Profile) -> String {
    // Weights as typed (`{}` prints 40.0 as "40"), without float noise such as 0.30000000000000004.
    let weight = |w: f64| format!("{}", (w * 1e6).round() / 1e6);
    let (fit, engagement, readiness) = (
        weight(profile.weight_fit),
        weight(profile.weight_engagement),
        weight(profile.weight_readiness),
    );
    let total = weight(profile.weight_fit + profile.weight_engagement + profile.weight_readiness);
    format!(
        "score = ({fit}×fit + {engagement}×engagement + {readiness}×readiness) / {total} \
         = ({fit}×{} + {engagement}×{} + {readiness}×{}) / {total} = {}, grade {}",
        scores.fit, scores.engagement, scores.readiness, scores.score, scores.grade
    )
}

/// Points as a form shows them: whole numbers plain, fractions with one decimal.
fn format_points(points: f64) -> String {
    let rounded = crate::model::round_to(points, 1);
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

// The win probability as `list` and `show` give it.

const FACTOR_COLUMNS: [Column; 3] = [
    Column::text("feature", "FACTOR"),
    Column::text("value", "VALUE"),
    Column::number("effect", "EFFECT"),
];

/// "win probability learned 2026-02-20 from 412 closed leads (AUC 0.81); `leads learn` to
/// refresh", saying so when leads have closed (or reopened) since.
pub fn model_note(saved: &ModelSummary, closed_now: i64) -> String {
    let auc = saved
        .auc
        .map(|auc| format!(" (AUC {auc:.2})"))
        .unwrap_or_default();
    let since = if closed_now == saved.closed {
        String::new()
    } else {
        format!("; {} closed now", thousands(closed_now.max(0) as u64))
    };
    format!(
        "win probability learned {} from {} closed leads{auc}{since}; `leads learn` to refresh",
        saved.learned_at.with_timezone(&Local).format("%Y-%m-%d"),
        thousands(saved.closed.max(0) as u64),
    )
}

/// A factor as `show --format json` gives it: contribution in log-odds, two decimals.
pub fn factor_json(factor: &Factor) -> Value {
    json!({
        "feature": factor.feature,
        "value": factor.value,
        "contribution": crate::model::round_to(factor.contribution, 2),
    })
}

/// `show`'s "Win probability" section: the probability, its strongest factors, the model's age.
pub fn write_win_section(out: &mut dyn Write, win: &LiveWin, style: &Style) -> io::Result<()> {
    let title = match win.stored {
        Some(stored) => format!("Win probability {}", percent(stored)),
        None => "Win probability not learned yet for this lead".to_string(),
    };
    heading(out, &title, style)?;
    let rows: Vec<Value> = win
        .now
        .factors
        .iter()
        .map(|factor| {
            json!({
                "feature": factor.feature,
                "value": factor.value,
                "effect": format!("{:+.2}", factor.contribution),
            })
        })
        .collect();
    write_records(out, Format::Table, &FACTOR_COLUMNS, &rows)?;
    writeln!(out, "{}", model_note(&win.saved.summary(), win.closed_now))?;
    if win.stored.map(percent) != Some(percent(win.now.probability)) {
        writeln!(
            out,
            "(the lead changed since: from its current data the model says {}; `leads learn` \
             updates what list, show and export carry)",
            percent(win.now.probability)
        )?;
    }
    Ok(())
}

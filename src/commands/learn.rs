//! `leads learn`: fit the win-probability model on the closed leads, report its held-out
//! AUC, store it and score the open leads.
use std::io::Write;
use std::time::Instant;

use anyhow::Result;
use chrono::Local;
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{Format, LearnArgs};
use crate::io::mapping::outcome_column;
use crate::learning::{self, Example, Learned, Learning, SavedModel, MIN_EACH};
use crate::model::Status;
use crate::output::{thousands, write_json, write_records, Column};

/// Below this held-out AUC the model is little better than a coin toss: say so.
const WEAK_AUC: f64 = 0.6;
/// Below this many closed leads the model is a rough guide, whatever its AUC: say so.
const FEW_CLOSED: usize = 100;
/// The summary as one row for CSV and TSV (JSON carries the comparison of methods too).
const SUMMARY_COLUMNS: [Column; 14] = [
    Column::text("enough_data", "ENOUGH DATA"),
    Column::number("closed", "CLOSED"),
    Column::number("won", "WON"),
    Column::number("lost", "LOST"),
    Column::number("needed_each", "NEEDED EACH"),
    Column::number("held_out", "HELD OUT"),
    Column::number("auc", "AUC"),
    Column::number("auc_low", "AUC LOW"),
    Column::number("auc_high", "AUC HIGH"),
    Column::number("score_auc", "SCORE AUC"),
    Column::text("method", "METHOD"),
    Column::number("features", "FEATURES"),
    Column::date("learned_at", "LEARNED"),
    Column::number("scored_open_leads", "SCORED"),
];

pub fn run(args: LearnArgs, ctx: &Ctx) -> Result<()> {
    // Elapsed time for the person (stderr), not a reading of the clock.
    let started = Instant::now();
    let store = ctx.open_store_to_read()?;
    let mut examples = Vec::new();
    store.for_each_closed_lead(|lead, counts| {
        examples.push(Example {
            id: lead.id,
            won: lead.status() == Status::Won,
            facts: learning::facts(&lead, &counts, outcome_column),
            score: lead.scores.score as f64,
        });
    })?;
    // Data for a program in every format but the table, which is read by a person.
    let data_output = args.format != Format::Table;
    let mut out = ctx.stdout();
    let learned = match learning::learn(&examples) {
        Learning::NotEnoughData { won, lost } => {
            if data_output {
                let summary = json!({
                    "enough_data": false,
                    "closed": won + lost,
                    "won": won,
                    "lost": lost,
                    "needed_each": MIN_EACH,
                });
                write_summary_data(&mut out, &summary, args.format)?;
                out.flush()?;
            }
            let kept = match store.win_model()? {
                Some(saved) => format!(
                    "; the model learned {} is kept",
                    saved.learned_at.with_timezone(&Local).format("%Y-%m-%d")
                ),
                None => String::new(),
            };
            ctx.say(format!(
                "not enough data: {won} won and {lost} lost closed leads; need at least \
                 {MIN_EACH} of each{kept}"
            ));
            return Ok(());
        }
        Learning::Learned(learned) => learned,
    };

    let mut probabilities = Vec::new();
    store.for_each_open_lead(|lead, counts| {
        let facts = learning::facts(&lead, &counts, outcome_column);
        probabilities.push((lead.id, learned.model.probability(&facts)));
    })?;
    let closed = learned.won + learned.lost;
    let saved = SavedModel {
        learned_at: ctx.now,
        closed: closed as i64,
        auc: learned.auc,
        model: learned.model.clone(),
    };
    store.write(|store| {
        store.save_win_model(&saved, &probabilities)?;
        // `today` orders by the model only when it ranked these leads better.
        store.set_score_auc(learned.score_auc)
    })?;

    if data_output {
        let summary = summary_json(&learned, &saved, probabilities.len());
        write_summary_data(&mut out, &summary, args.format)?;
    } else {
        write_summary(&mut out, &learned, probabilities.len())?;
    }
    out.flush()?;
    if let Some(auc) = learned.auc.filter(|auc| *auc < WEAK_AUC) {
        ctx.warn(format!(
            "a held-out AUC of {auc:.2} is little better than chance: the closed leads do not \
             show what makes a win yet; read win probabilities as weak hints"
        ));
    } else if closed < FEW_CLOSED {
        ctx.say(format!(
            "few closed leads ({closed}): read win probabilities as a rough guide; `leads \
             learn` again as more deals close"
        ));
    }
    ctx.say(format!(
        "learned in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// The summary as one JSON object, or one CSV/TSV row under a header.
fn write_summary_data(out: &mut dyn Write, summary: &Value, format: Format) -> Result<()> {
    match format {
        Format::Json | Format::Ndjson => write_json(out, summary, format)?,
        _ => {
            // A row has one value a cell: the interval's two ends apart.
            let mut row = summary.clone();
            row["auc_low"] = summary["auc_interval"][0].clone();
            row["auc_high"] = summary["auc_interval"][1].clone();
            write_records(out, format, &SUMMARY_COLUMNS, std::slice::from_ref(&row))?
        }
    }
    Ok(())
}

fn round3(x: f64) -> f64 {
    crate::model::round_to(x, 3)
}

fn summary_json(learned: &Learned, saved: &SavedModel, scored: usize) -> Value {
    let compared: serde_json::Map<String, Value> = learned
        .compared
        .iter()
        .map(|(method, auc)| (method.as_str().to_string(), json!(auc.map(round3))))
        .collect();
    json!({
        "enough_data": true,
        "closed": learned.won + learned.lost,
        "won": learned.won,
        "lost": learned.lost,
        "held_out": learned.held_out,
        "folds": learned.folds,
        "auc": learned.auc.map(round3),
        "auc_interval": learned.auc_interval.map(|(low, high)| [round3(low), round3(high)]),
        "score_auc": learned.score_auc.map(round3),
        "method": learned.model.method.as_str(),
        "compared": compared,
        "features": learned.model.features(),
        "learned_at": crate::model::rfc3339(saved.learned_at),
        "scored_open_leads": scored,
    })
}

fn write_summary(out: &mut dyn Write, learned: &Learned, scored: usize) -> Result<()> {
    let count = |n: usize| thousands(n as u64);
    // "1 closed lead", "2 closed leads".
    let leads = |n: usize, kind: &str| {
        let noun = if n == 1 { "lead" } else { "leads" };
        format!("{} {kind}{noun}", count(n))
    };
    let auc = match (learned.auc, learned.auc_interval) {
        (Some(auc), Some((low, high))) => format!("{auc:.2} (95% interval {low:.2} to {high:.2})"),
        (Some(auc), None) => format!("{auc:.2}"),
        _ => "not measurable".to_string(),
    };
    // Every closed lead measured once, by a model that did not learn from it.
    let measured = match learned.folds {
        Some(folds) => format!(
            "{} ({folds}-fold cross-validation)",
            leads(learned.held_out, "")
        ),
        None => leads(learned.held_out, ""),
    };
    writeln!(
        out,
        "learned from {} ({} won, {} lost); held-out AUC {auc} on {measured}; {} scored",
        leads(learned.won + learned.lost, "closed "),
        count(learned.won),
        count(learned.lost),
        leads(scored, "open "),
    )?;

    let others: Vec<String> = learned
        .compared
        .iter()
        .filter(|(method, _)| *method != learned.model.method)
        .map(|(method, auc)| match auc {
            Some(auc) => format!("{} {auc:.2}", method.describe()),
            None => format!("{} not measurable", method.describe()),
        })
        .collect();
    writeln!(
        out,
        "model: {} over {} features (held-out AUC of the {}: {})",
        learned.model.method.describe(),
        count(learned.model.features()),
        if others.len() == 1 { "other" } else { "others" },
        others.join(", ")
    )?;
    if let Some(score_auc) = learned.score_auc {
        let verdict = match learned.auc {
            Some(auc) if auc > score_auc => {
                "the model ranks your closed leads better: `today` follows it"
            }
            _ => "the score ranks them as well or better: `today` follows the score",
        };
        writeln!(
            out,
            "the rule score's held-out AUC on the same leads: {score_auc:.2}; {verdict}"
        )?;
    }
    Ok(())
}

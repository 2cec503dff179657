//! `leads learn`: fit the win-probability model on the closed leads, report its held-out
//! AUC, store it and score the open leads. Also the model's part of `list` and `show`.
use std::io::Write;
use std::time::Instant;

use anyhow::Result;
use chrono::Local;
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{Format, LearnArgs};
use crate::learning::{self, Example, Factor, Learned, Learning, SavedModel, MIN_EACH};
use crate::model::{Lead, Status};
use crate::output::{heading, percent, thousands, write_json, write_records, Column};
use crate::store::Store;

/// Below this held-out AUC the model is little better than a coin toss: say so.
const WEAK_AUC: f64 = 0.6;
/// How many factors `show` gives for, and against.
const TOP_FACTORS: usize = 3;
const FACTOR_COLUMNS: [Column; 3] = [
    Column::text("feature", "FACTOR"),
    Column::text("value", "VALUE"),
    Column::number("effect", "EFFECT"),
];

pub fn run(args: LearnArgs, ctx: &Ctx) -> Result<()> {
    // Elapsed time for the person (stderr), not a reading of the clock.
    let started = Instant::now();
    let store = ctx.open_store()?;
    let mut examples = Vec::new();
    store.for_each_closed_lead(|lead, counts| {
        examples.push(Example {
            id: lead.id,
            won: lead.status() == Status::Won,
            facts: learning::facts(&lead, &counts),
        });
    })?;
    let json_output = matches!(args.format, Format::Json | Format::Ndjson);
    let mut out = ctx.stdout();
    let learned = match learning::learn(&examples) {
        Learning::NotEnoughData { won, lost } => {
            if json_output {
                let summary = json!({
                    "enough_data": false,
                    "closed": won + lost,
                    "won": won,
                    "lost": lost,
                    "needed_each": MIN_EACH,
                });
                write_json(&mut out, &summary, args.format)?;
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
        let facts = learning::facts(&lead, &counts);
        probabilities.push((lead.id, learned.model.probability(&facts)));
    })?;
    let closed = learned.won + learned.lost;
    let saved = SavedModel {
        learned_at: ctx.now,
        closed: closed as i64,
        auc: learned.auc,
        model: learned.model.clone(),
    };
    store.write(|store| store.save_win_model(&saved, &probabilities))?;

    if json_output {
        write_json(
            &mut out,
            &summary_json(&learned, &saved, probabilities.len()),
            args.format,
        )?;
    } else {
        write_summary(&mut out, &learned, probabilities.len())?;
    }
    out.flush()?;
    if let Some(auc) = learned.auc.filter(|auc| *auc < WEAK_AUC) {
        ctx.warn(format!(
            "a held-out AUC of {auc:.2} is little better than chance: the closed leads do not \
             show what makes a win yet; read win probabilities as weak hints"
        ));
    }
    ctx.say(format!(
        "learned in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
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
        "auc": learned.auc.map(round3),
        "method": learned.model.method.as_str(),
        "compared": compared,
        "features": learned.model.features(),
        "learned_at": crate::model::rfc3339(saved.learned_at),
        "scored_open_leads": scored,
    })
}

fn write_summary(out: &mut dyn Write, learned: &Learned, scored: usize) -> Result<()> {
    let count = |n: usize| thousands(n as u64);
    let auc = learned
        .auc
        .map_or("not measurable".to_string(), |auc| format!("{auc:.2}"));
    writeln!(
        out,
        "learned from {} closed leads ({} won, {} lost); held-out AUC {auc} on {} leads; {} open \
         leads scored",
        count(learned.won + learned.lost),
        count(learned.won),
        count(learned.lost),
        count(learned.held_out),
        count(scored),
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
        "model: {} over {} features (held-out AUC of the other: {})",
        learned.model.method.describe(),
        count(learned.model.features()),
        others.join(", ")
    )?;
    Ok(())
}

/// "win probability learned 2026-02-20 from 412 closed leads (AUC 0.81); `leads learn` to
/// refresh", saying so when leads have closed (or reopened) since.
pub(super) fn model_note(saved: &SavedModel, closed_now: i64) -> String {
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

/// A lead's win probability computed now from the stored model, with its strongest factors.
pub(super) struct LiveWin {
    pub saved: SavedModel,
    pub probability: f64,
    /// What `list` and `export` show: the probability stored by the last `learn`.
    pub stored: Option<f64>,
    /// How many closed leads there are now (the model is stale when it differs).
    pub closed_now: i64,
    /// The strongest factors for (largest first), then against (most negative first).
    pub factors: Vec<Factor>,
}

/// The live win probability of an open lead, when a model is stored.
pub(super) fn live_win(store: &Store, lead: &Lead) -> Result<Option<LiveWin>> {
    if lead.status().is_closed() || lead.forgotten {
        return Ok(None);
    }
    let Some(saved) = store.win_model()? else {
        return Ok(None);
    };
    let counts = store.activity_counts(lead.id)?;
    let facts = learning::facts(lead, &counts);
    let probability = saved.model.probability(&facts);
    let all = saved.model.factors(&facts);
    let mut factors: Vec<Factor> = all
        .iter()
        .filter(|f| f.contribution > 0.0)
        .take(TOP_FACTORS)
        .cloned()
        .collect();
    factors.extend(
        all.iter()
            .rev()
            .filter(|f| f.contribution < 0.0)
            .take(TOP_FACTORS)
            .cloned(),
    );
    Ok(Some(LiveWin {
        saved,
        probability,
        stored: lead.win_probability,
        closed_now: store.count_closed_leads()?,
        factors,
    }))
}

/// A factor as `show` gives it: contribution in log-odds, two decimals.
pub(super) fn factor_json(factor: &Factor) -> Value {
    json!({
        "feature": factor.feature,
        "value": factor.value,
        "contribution": (factor.contribution * 100.0).round() / 100.0,
    })
}

/// `show`'s "Win probability" section: the probability, its strongest factors, the model's age.
pub(super) fn write_win_section(out: &mut dyn Write, win: &LiveWin, ctx: &Ctx) -> Result<()> {
    let title = match win.stored {
        Some(stored) => format!("Win probability {}", percent(stored)),
        None => "Win probability not learned yet for this lead".to_string(),
    };
    heading(out, &title, &ctx.style)?;
    let rows: Vec<Value> = win
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
    writeln!(out, "{}", model_note(&win.saved, win.closed_now))?;
    if win.stored.map(percent) != Some(percent(win.probability)) {
        writeln!(
            out,
            "(the lead changed since: from its current data the model says {}; `leads learn` \
             updates what list, show and export carry)",
            percent(win.probability)
        )?;
    }
    Ok(())
}

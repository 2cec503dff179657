//! Measures how well the rule-based score ranks real leads: imports a labelled export (a
//! CSV with an outcome column, such as the public X Education "Leads.csv" with its
//! "Converted" column) with no configuration, and prints the AUC of `score`,
//! `engagement` and `fit` against the outcome on a held-out part of the rows; then, for
//! comparison, `leads learn` fitted on the other rows and its `win_probability` AUC on the
//! same held-out rows.
//!
//! cargo run --release --example score_auc -- Leads.csv
//! cargo run --release --example score_auc -- FILE [--outcome COLUMN] [--positive VALUE]...
//!     [--drop COLUMN]... [--held-out PERCENT] [--seed N] [--train-rows N] [--train-each N]
//!     [--save DIR]
//!
//! The outcome column is taken out of both files before import (so neither the score nor
//! `learn` can see it); a value of 1, yes, true, won or converted is a positive (or those
//! given with `--positive`). `--drop` leaves out other columns that are the outcome in
//! disguise (a converted-opportunity id, a disqualification reason). Rows are
//! split by a seeded hash of their line (30% held out by default): the same file and seed
//! give the same figures. The commands run in-process through `leads::run`, exactly as the
//! binary runs them, into a temporary database.
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Parser;
use leads::learning::auc;
use leads::store::{LeadQuery, Store};

const OUTCOME_HEADERS: [&str; 7] = [
    "converted",
    "conversion",
    "outcome",
    "won",
    "isconverted",
    "target",
    "label",
];

struct Options {
    file: PathBuf,
    outcome: Option<String>,
    positives: Vec<String>,
    drop: Vec<String>,
    held_out: u64,
    seed: u64,
    /// Learn from only this many of the training rows (drawn by a seeded hash).
    train_rows: Option<usize>,
    /// Learn from only this many won and as many lost training rows (the same draw).
    train_each: Option<usize>,
    /// Keep the split files here (for a comparison with another tool on the same rows).
    save: Option<PathBuf>,
}

fn options() -> Result<Options> {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        file: PathBuf::new(),
        outcome: None,
        positives: Vec::new(),
        drop: Vec::new(),
        held_out: 30,
        seed: 1,
        train_rows: None,
        train_each: None,
        save: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--outcome" => options.outcome = args.next(),
            "--positive" => options
                .positives
                .push(args.next().context("--positive VALUE")?),
            "--drop" => options
                .drop
                .push(squash(&args.next().context("--drop COLUMN")?)),
            "--held-out" => options.held_out = args.next().context("--held-out N")?.parse()?,
            "--seed" => options.seed = args.next().context("--seed N")?.parse()?,
            "--train-rows" => {
                options.train_rows = Some(args.next().context("--train-rows N")?.parse()?)
            }
            "--train-each" => {
                options.train_each = Some(args.next().context("--train-each N")?.parse()?)
            }
            "--save" => options.save = Some(args.next().context("--save DIR")?.into()),
            _ if options.file.as_os_str().is_empty() => options.file = PathBuf::from(arg),
            other => bail!("unexpected argument '{other}'"),
        }
    }
    if options.file.as_os_str().is_empty() {
        bail!(
            "usage: score_auc FILE [--outcome COLUMN] [--positive VALUE]... [--drop COLUMN]... \
             [--held-out PERCENT] [--seed N] [--train-rows N] [--train-each N] [--save DIR]"
        );
    }
    Ok(options)
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn positive(value: &str, positives: &[String]) -> bool {
    if !positives.is_empty() {
        return positives
            .iter()
            .any(|p| p.trim().eq_ignore_ascii_case(value.trim()));
    }
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "yes" | "true" | "won" | "converted" | "y"
    )
}

/// splitmix64 of (seed, line): which rows are held out.
fn held_out(seed: u64, line: u64, percent: u64) -> bool {
    hash(seed, line) % 100 < percent
}

fn hash(seed: u64, line: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(line);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn leads(db: &Path, args: &[&str]) -> Result<()> {
    let mut argv = vec!["leads", "--quiet", "--db"];
    let db = db.to_string_lossy().to_string();
    argv.push(&db);
    argv.extend_from_slice(args);
    leads::run(leads::cli::Cli::try_parse_from(argv)?)
}

fn main() -> Result<()> {
    let options = options()?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&options.file)
        .with_context(|| format!("reading {}", options.file.display()))?;
    let headers = reader.headers()?.clone();
    let outcome_at = match &options.outcome {
        Some(name) => headers.iter().position(|h| squash(h) == squash(name)),
        None => OUTCOME_HEADERS
            .iter()
            .find_map(|name| headers.iter().position(|h| squash(h) == *name)),
    }
    .context("no outcome column (give --outcome COLUMN)")?;

    let dir = std::env::temp_dir().join(format!("score_auc_{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (test_path, train_path) = (dir.join("held_out.csv"), dir.join("train.csv"));
    let mut test = csv::Writer::from_path(&test_path)?;
    let mut train = csv::Writer::from_path(&train_path)?;
    // Our own row number is the external id (the file's own id column, if any, is then
    // kept in attributes); the outcome becomes the status of the training rows only.
    let kept: Vec<usize> = (0..headers.len())
        .filter(|i| *i != outcome_at && !options.drop.contains(&squash(&headers[*i])))
        .collect();
    let mut test_header = vec!["external_id".to_string()];
    test_header.extend(kept.iter().map(|i| headers[*i].to_string()));
    test.write_record(&test_header)?;
    let mut train_header = test_header.clone();
    train_header.push("Lead Status".into());
    train.write_record(&train_header)?;

    let mut outcomes = std::collections::HashMap::new();
    let (mut tests, mut trains) = (0, 0);
    let mut train_rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        let id = format!("row-{}", line + 2);
        let won = positive(record.get(outcome_at).unwrap_or(""), &options.positives);
        let mut row = vec![id.clone()];
        row.extend(
            kept.iter()
                .map(|i| record.get(*i).unwrap_or("").to_string()),
        );
        if held_out(options.seed, line as u64, options.held_out) {
            outcomes.insert(id, won);
            test.write_record(&row)?;
            tests += 1;
        } else {
            row.push(if won { "won" } else { "lost" }.into());
            train_rows.push((hash(options.seed ^ 0x7ea1, line as u64), won, row));
        }
    }
    // `--train-rows N`: a seeded draw of N training rows, for learning from few;
    // `--train-each N`: the first N won and N lost of the same draw (10 + 10: the least
    // `learn` takes).
    train_rows.sort_by_key(|(hash, _, _)| *hash);
    train_rows.truncate(options.train_rows.unwrap_or(usize::MAX));
    if let Some(each) = options.train_each {
        let (mut won, mut lost) = (0, 0);
        train_rows.retain(|(_, is_won, _)| {
            let taken = if *is_won { &mut won } else { &mut lost };
            *taken += 1;
            *taken <= each
        });
    }
    for (_, _, row) in &train_rows {
        train.write_record(row)?;
        trains += 1;
    }
    test.flush()?;
    train.flush()?;
    drop((test, train));

    let db = dir.join("leads.db");
    // An import with rejected rows ends in an error: the rows it took still count.
    if let Err(err) = leads(&db, &["import", &test_path.to_string_lossy()]) {
        eprintln!("score_auc: held-out import: {err:#}");
    }
    let store = Store::open(&db)?;
    let mut scored = Vec::new();
    store.for_each_lead(&LeadQuery::default(), |lead| {
        if let Some(won) = lead.external_id.as_ref().and_then(|id| outcomes.get(id)) {
            scored.push((lead.scores, *won));
        }
        Ok(())
    })?;
    drop(store);
    let won: Vec<bool> = scored.iter().map(|(_, won)| *won).collect();
    let figure =
        |values: Vec<f64>| auc(&values, &won).map_or("n/a".to_string(), |a| format!("{a:.3}"));
    println!(
        "{}: {} rows, {} held out ({} imported, {} converted), {} to learn from",
        options.file.display(),
        tests + trains,
        tests,
        scored.len(),
        won.iter().filter(|w| **w).count(),
        trains
    );
    println!(
        "held-out AUC, no configuration, before learn: score {}  engagement {}  fit {}",
        figure(scored.iter().map(|(s, _)| s.score as f64).collect()),
        figure(scored.iter().map(|(s, _)| s.engagement as f64).collect()),
        figure(scored.iter().map(|(s, _)| s.fit as f64).collect()),
    );

    if let Err(err) = leads(&db, &["import", &train_path.to_string_lossy()]) {
        eprintln!("score_auc: training import: {err:#}");
    }
    match leads(&db, &["learn"]) {
        Ok(()) => {
            let store = Store::open(&db)?;
            let (mut values, mut labels) = (Vec::new(), Vec::new());
            store.for_each_lead(&LeadQuery::default(), |lead| {
                let won = lead.external_id.as_ref().and_then(|id| outcomes.get(id));
                if let (Some(won), Some(p)) = (won, lead.win_probability) {
                    values.push(p);
                    labels.push(*won);
                }
                Ok(())
            })?;
            let learned = auc(&values, &labels).map_or("n/a".into(), |a| format!("{a:.3}"));
            println!("held-out AUC of win_probability after `leads learn` on the rest: {learned}");
        }
        Err(err) => println!("leads learn: {err:#}"),
    }
    if let Some(save) = &options.save {
        std::fs::create_dir_all(save)?;
        std::fs::copy(&train_path, save.join("train.csv"))?;
        std::fs::copy(&test_path, save.join("held_out.csv"))?;
        let mut labels = csv::Writer::from_path(save.join("held_out_outcomes.csv"))?;
        labels.write_record(["external_id", "won"])?;
        for (id, won) in &outcomes {
            labels.write_record([id.as_str(), if *won { "1" } else { "0" }])?;
        }
        labels.flush()?;
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

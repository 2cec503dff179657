//! The learned win probability: which open leads are likely to be won, learned from the
//! seller's own closed (won or lost) leads. Pure: no I/O, no clock; the same closed leads
//! always give the same model.
//!
//! A lead becomes `Facts`: categories (`source = referral`, each tag, each title word, flags,
//! answers), numbers (company size), imported attributes, and activity counts by kind. An
//! `Encoder` learned from the closed leads turns facts into features: values seen fewer than
//! `MIN_COUNT` times share one "(rare)" feature per field, numbers fall into quantile bins
//! (attributes whose values are numbers too), activity counts are log-scaled and standardized.
//! Two linear models are fitted over the same features, logistic regression with an L2
//! penalty and naive Bayes; the one with the better AUC on a held-out share of the closed
//! leads is kept, then refitted on all of them. Being linear in log-odds, either explains a
//! prediction as a sum of per-feature contributions (`WinModel::factors`).
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::io::mapping::{field_for_header, Field};
use crate::model::{ActivityKind, Answer, Lead};

/// `learn` needs at least this many won leads, and as many lost ones.
pub const MIN_EACH: usize = 30;
/// A value seen on fewer training leads than this shares its field's "(rare)" feature.
const MIN_COUNT: usize = 5;
/// The pooled value of a field's rare values.
const RARE: &str = "(rare)";
/// One closed lead in this many (of each outcome) is held out to measure the model.
const HELD_OUT_EVERY: usize = 5;
/// Quantile bins for numbers.
const MAX_BINS: usize = 5;
/// An attribute is a number when this share of its values parse as one...
const NUMERIC_SHARE: f64 = 0.95;
/// ...and it has at least this many distinct values (fewer: categories do better).
const NUMERIC_DISTINCT: usize = 8;
/// The L2 penalty of logistic regression: a standard normal prior on each weight.
const L2: f64 = 1.0;
const MAX_ITERATIONS: usize = 200;
/// How many past steps L-BFGS remembers.
const MEMORY: usize = 8;
/// Predictions stay this far from 0 and 1: closed history never proves certainty.
const FLOOR: f64 = 0.001;
/// Mixes lead ids into the held-out split, so it is fixed but not "every fifth id".
const SPLIT_SEED: u64 = 0x5eed_1ead;
/// Words of a job title that say nothing about seniority or function.
const TITLE_STOP_WORDS: [&str; 8] = ["of", "and", "the", "for", "to", "in", "at", "a"];
/// Email providers whose addresses say "private person", not "company".
const FREE_MAIL: [&str; 16] = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "proton.me",
    "protonmail.com",
    "yandex.ru",
];

/// How many activities of each kind a lead had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActivityCounts(pub [u32; ActivityKind::ALL.len()]);

impl ActivityCounts {
    pub fn add(&mut self, kind: ActivityKind, count: u32) {
        self.0[kind as usize] = self.0[kind as usize].saturating_add(count);
    }

    pub fn get(&self, kind: ActivityKind) -> u32 {
        self.0[kind as usize]
    }
}

/// What the model may know about a lead (never its status, scores or dates).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// (field, value): one per single-valued field, several for tags and title words.
    pub categories: Vec<(&'static str, String)>,
    /// (field, number): company size.
    pub numbers: Vec<(&'static str, f64)>,
    /// Imported attributes (key, value), non-empty; the encoder decides which are numbers.
    pub attributes: Vec<(String, String)>,
    pub counts: ActivityCounts,
}

/// The facts of a lead and its activity counts.
pub fn facts(lead: &Lead, counts: &ActivityCounts) -> Facts {
    let mut categories: Vec<(&'static str, String)> = Vec::new();
    let mut category = |field: &'static str, value: Option<&str>| {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            categories.push((field, value.to_lowercase()));
        }
    };
    category("source", lead.source.as_deref());
    category("source detail", lead.source_detail.as_deref());
    category("industry", lead.industry.as_deref());
    category("country", lead.country.as_deref());
    for tag in &lead.tags {
        category("tag", Some(tag));
    }
    if let Some(title) = &lead.title {
        let mut words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|w| w.chars().count() > 1 && !TITLE_STOP_WORDS.contains(&w.as_str()))
            .collect();
        words.sort();
        words.dedup();
        for word in words {
            category("title word", Some(&word));
        }
    }
    let email = lead.email.as_deref().map(|email| {
        let domain = email.rsplit('@').next().unwrap_or("").to_lowercase();
        if FREE_MAIL.contains(&domain.as_str()) {
            "free mail"
        } else {
            "business"
        }
    });
    category("email", Some(email.unwrap_or("none")));
    let yes = |on: bool| on.then_some("yes");
    category("phone", yes(lead.phone.is_some()));
    category("company", yes(lead.company.is_some()));
    category("website", yes(lead.website.is_some()));
    category("incentivized", yes(lead.incentivized));
    category("aware of a follow-up", yes(lead.aware));
    // Not `do_not_contact`: it is often set because of the outcome (a lost lead asks not
    // to be called again), which would teach the model the answer instead of a cause.
    let answer = |answer: Answer| (answer != Answer::Unknown).then_some(answer.as_str());
    category("budget", answer(lead.budget));
    category("authority", answer(lead.authority));
    category("need", yes(lead.need.is_some()));
    category("timeline", yes(lead.timeline.is_some()));

    let numbers = lead
        .company_size
        .map(|size| vec![("company size", size as f64)])
        .unwrap_or_default();
    // An attribute kept from a status or source column (a value import did not know, such
    // as "Closed - Lost to competitor") may spell out the outcome: left out, like the
    // status itself.
    let attributes = lead
        .attributes
        .iter()
        .filter(|(key, _)| !matches!(field_for_header(key), Some(Field::Status | Field::Source)))
        .map(|(key, value)| (key.clone(), value.trim().to_string()))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    Facts {
        categories,
        numbers,
        attributes,
        counts: *counts,
    }
}

/// A number as people write it in a spreadsheet ("1,200", "$5000", "12.5%").
fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '$' | '€' | '£' | '%'))
        .collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Quantile bins of one number: `edges` ascending; bin = how many edges are <= the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Bins {
    edges: Vec<f64>,
    first_column: usize,
}

impl Bins {
    fn bin(&self, value: f64) -> usize {
        self.edges.partition_point(|edge| *edge <= value)
    }

    /// "under 50", "50 to 199", "200 or more" (whole numbers shown as such).
    fn label(&self, bin: usize) -> String {
        let show = |n: f64| {
            if n.fract() == 0.0 {
                format!("{n:.0}")
            } else {
                format!("{n}")
            }
        };
        match (
            bin.checked_sub(1).and_then(|i| self.edges.get(i)),
            self.edges.get(bin),
        ) {
            (None, Some(high)) => format!("under {}", show(*high)),
            (Some(low), None) => format!("{} or more", show(*low)),
            (Some(low), Some(high)) => format!("{} to under {}", show(*low), show(*high)),
            (None, None) => "any".to_string(),
        }
    }
}

/// A standardized `ln(1 + count)` column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Scale {
    mean: f64,
    sd: f64,
    column: usize,
}

impl Scale {
    fn value(&self, count: u32) -> f64 {
        (f64::from(count).ln_1p() - self.mean) / self.sd
    }
}

/// Turns facts into feature columns, as learned from the training leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Encoder {
    /// field -> value -> column; a field's rare values share the `RARE` column.
    categories: BTreeMap<String, BTreeMap<String, usize>>,
    /// Number fields ("company size", "attribute <key>") -> bins.
    numbers: BTreeMap<String, Bins>,
    /// Attribute keys whose values are numbers.
    numeric_attributes: BTreeSet<String>,
    /// Activity kind -> scaled count column.
    counts: BTreeMap<String, Scale>,
    columns: usize,
}

/// One fact as it lands in a column.
enum Seen<'a> {
    Category {
        field: &'a str,
        value: &'a str,
        pooled: bool,
    },
    Bin {
        field: &'a str,
        bins: &'a Bins,
        bin: usize,
    },
    Count {
        kind: ActivityKind,
        count: u32,
    },
}

fn attribute_field(key: &str) -> String {
    format!("attribute {key}")
}

impl Encoder {
    fn learn(rows: &[&Facts]) -> Encoder {
        // Which attributes are numbers: nearly all values parse, and there are many.
        let mut attribute_stats: HashMap<&str, (usize, usize, BTreeSet<u64>)> = HashMap::new();
        for facts in rows {
            for (key, value) in &facts.attributes {
                let entry = attribute_stats.entry(key).or_default();
                entry.0 += 1;
                if let Some(number) = parse_number(value) {
                    entry.1 += 1;
                    if entry.2.len() < NUMERIC_DISTINCT {
                        entry.2.insert(number.to_bits());
                    }
                }
            }
        }
        let numeric_attributes: BTreeSet<String> = attribute_stats
            .into_iter()
            .filter(|(_, (filled, numbers, distinct))| {
                *numbers as f64 >= NUMERIC_SHARE * *filled as f64
                    && distinct.len() >= NUMERIC_DISTINCT
            })
            .map(|(key, _)| key.to_string())
            .collect();

        let mut seen: HashMap<(String, &str), usize> = HashMap::new();
        let mut numbers: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for facts in rows {
            for (field, value) in &facts.categories {
                *seen.entry((field.to_string(), value.as_str())).or_default() += 1;
            }
            for (field, number) in &facts.numbers {
                numbers.entry(field.to_string()).or_default().push(*number);
            }
            for (key, value) in &facts.attributes {
                if numeric_attributes.contains(key) {
                    if let Some(number) = parse_number(value) {
                        numbers
                            .entry(attribute_field(key))
                            .or_default()
                            .push(number);
                    }
                } else {
                    *seen
                        .entry((attribute_field(key), value.as_str()))
                        .or_default() += 1;
                }
            }
        }
        let mut by_field: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for ((field, value), count) in seen {
            if count == rows.len() {
                // On every lead: it tells nothing apart (and would blur the intercept).
                continue;
            }
            let value = if count >= MIN_COUNT { value } else { RARE };
            *by_field
                .entry(field)
                .or_default()
                .entry(value.to_string())
                .or_default() += count;
        }
        let mut columns = 0;
        let mut categories: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (field, values) in by_field {
            let numbered = values
                .into_keys()
                .map(|value| {
                    columns += 1;
                    (value, columns - 1)
                })
                .collect();
            categories.insert(field, numbered);
        }

        let mut bins = BTreeMap::new();
        for (field, mut values) in numbers {
            if values.len() < MIN_COUNT {
                continue;
            }
            values.sort_by(f64::total_cmp);
            let mut edges: Vec<f64> = (1..MAX_BINS)
                .map(|q| values[q * values.len() / MAX_BINS])
                .filter(|edge| *edge > values[0])
                .collect();
            edges.dedup();
            bins.insert(
                field,
                Bins {
                    first_column: columns,
                    edges: edges.clone(),
                },
            );
            columns += edges.len() + 1;
        }

        let mut counts = BTreeMap::new();
        let n = rows.len().max(1) as f64;
        for kind in ActivityKind::ALL {
            let logs = rows.iter().map(|f| f64::from(f.counts.get(kind)).ln_1p());
            let mean = logs.clone().sum::<f64>() / n;
            let variance = logs.map(|x| (x - mean).powi(2)).sum::<f64>() / n;
            if variance > 1e-12 {
                counts.insert(
                    kind.as_str().to_string(),
                    Scale {
                        mean,
                        sd: variance.sqrt(),
                        column: columns,
                    },
                );
                columns += 1;
            }
        }
        Encoder {
            categories,
            numbers: bins,
            numeric_attributes,
            counts,
            columns,
        }
    }

    /// Call `visit(column, value, what)` for each fact of a lead that has a column.
    fn walk<'a>(&'a self, facts: &'a Facts, mut visit: impl FnMut(usize, f64, Seen<'a>)) {
        let mut category = |field: &'a str, values: Option<&'a BTreeMap<String, usize>>, value| {
            let Some(values) = values else { return };
            if let Some(column) = values.get(value) {
                visit(
                    *column,
                    1.0,
                    Seen::Category {
                        field,
                        value,
                        pooled: false,
                    },
                );
            } else if let Some(column) = values.get(RARE) {
                visit(
                    *column,
                    1.0,
                    Seen::Category {
                        field,
                        value,
                        pooled: true,
                    },
                );
            }
        };
        for (field, value) in &facts.categories {
            category(field, self.categories.get(*field), value.as_str());
        }
        // Attribute fields are looked up by their prefixed name, kept in the map's own keys.
        for (key, value) in &facts.attributes {
            if self.numeric_attributes.contains(key) {
                continue;
            }
            if let Some((field, values)) = self.categories.get_key_value(&attribute_field(key)) {
                category(field.as_str(), Some(values), value.as_str());
            }
        }
        let number = |field: &str, value: f64, visit: &mut dyn FnMut(usize, f64, Seen<'a>)| {
            if let Some((field, bins)) = self.numbers.get_key_value(field) {
                let bin = bins.bin(value);
                visit(
                    bins.first_column + bin,
                    1.0,
                    Seen::Bin {
                        field: field.as_str(),
                        bins,
                        bin,
                    },
                );
            }
        };
        for (field, value) in &facts.numbers {
            number(field, *value, &mut visit);
        }
        for (key, value) in &facts.attributes {
            if self.numeric_attributes.contains(key) {
                if let Some(value) = parse_number(value) {
                    number(&attribute_field(key), value, &mut visit);
                }
            }
        }
        for kind in ActivityKind::ALL {
            if let Some(scale) = self.counts.get(kind.as_str()) {
                let count = facts.counts.get(kind);
                visit(
                    scale.column,
                    scale.value(count),
                    Seen::Count { kind, count },
                );
            }
        }
    }

    fn is_count_column(&self, column: usize) -> bool {
        self.counts.values().any(|scale| scale.column == column)
    }
}

/// Rows of features, stored sparsely (compressed rows).
struct Matrix {
    starts: Vec<usize>,
    columns: Vec<u32>,
    values: Vec<f64>,
}

impl Matrix {
    fn encode(encoder: &Encoder, rows: &[&Facts]) -> Matrix {
        let mut matrix = Matrix {
            starts: vec![0],
            columns: Vec::new(),
            values: Vec::new(),
        };
        for facts in rows {
            encoder.walk(facts, |column, value, _| {
                matrix.columns.push(column as u32);
                matrix.values.push(value);
            });
            matrix.starts.push(matrix.columns.len());
        }
        matrix
    }

    fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    fn row(&self, index: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.starts[index]..self.starts[index + 1];
        self.columns[range.clone()]
            .iter()
            .zip(&self.values[range])
            .map(|(c, v)| (*c as usize, *v))
    }

    fn margin(&self, index: usize, intercept: f64, weights: &[f64]) -> f64 {
        intercept + self.row(index).map(|(c, v)| weights[c] * v).sum::<f64>()
    }
}

/// The two kinds of model `learn` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    LogisticRegression,
    NaiveBayes,
}

impl Method {
    pub const ALL: [Method; 2] = [Method::LogisticRegression, Method::NaiveBayes];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::LogisticRegression => "logistic_regression",
            Method::NaiveBayes => "naive_bayes",
        }
    }

    /// In words, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Method::LogisticRegression => "logistic regression",
            Method::NaiveBayes => "naive Bayes",
        }
    }
}

/// Log-odds of winning = intercept + sum of weight * feature.
struct Linear {
    intercept: f64,
    weights: Vec<f64>,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Logistic loss of a margin `z` for outcome `won`, computed without overflow.
fn log_loss(z: f64, won: bool) -> f64 {
    let z = if won { -z } else { z };
    // ln(1 + e^z)
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Logistic regression with an L2 penalty (unpenalized intercept), by L-BFGS: a quasi-Newton
/// method that remembers the last few steps to estimate curvature, preconditioned by a bound
/// on each feature's own curvature (rare and frequent features then move at the same pace),
/// with a backtracking line search. Each pass over the leads is linear in the non-zero
/// entries; tens of passes reach the optimum, where plain gradient descent needs hundreds.
fn fit_logistic(matrix: &Matrix, won: &[bool], columns: usize) -> Linear {
    let n = matrix.rows();
    // Parameter 0 is the intercept, 1 + c the weight of column c.
    let dims = columns + 1;
    let mut curvature = vec![L2; dims];
    curvature[0] = 0.25 * n as f64 + 1e-9;
    for i in 0..n {
        for (c, v) in matrix.row(i) {
            curvature[c + 1] += 0.25 * v * v;
        }
    }
    let objective = |x: &[f64], gradient: &mut [f64]| -> f64 {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        for (i, won) in won.iter().enumerate() {
            let z = matrix.margin(i, x[0], &x[1..]);
            loss += log_loss(z, *won);
            let residual = sigmoid(z) - if *won { 1.0 } else { 0.0 };
            gradient[0] += residual;
            for (c, v) in matrix.row(i) {
                gradient[c + 1] += residual * v;
            }
        }
        for c in 1..dims {
            gradient[c] += L2 * x[c];
            loss += 0.5 * L2 * x[c] * x[c];
        }
        loss
    };
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>();

    let wins = won.iter().filter(|w| **w).count() as f64;
    let mut x = vec![0.0; dims];
    x[0] = ((wins + 1.0) / (n as f64 - wins + 1.0)).ln();
    let mut gradient = vec![0.0; dims];
    let mut loss = objective(&x, &mut gradient);
    // (step, change of gradient, 1 / their dot product), oldest first.
    let mut memory: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::new();
    let mut trial = vec![0.0; dims];
    let mut trial_gradient = vec![0.0; dims];
    for _ in 0..MAX_ITERATIONS {
        // The two-loop recursion: direction = -(inverse Hessian estimate) * gradient.
        let mut q = gradient.clone();
        let mut alphas = Vec::with_capacity(memory.len());
        for (step, change, rho) in memory.iter().rev() {
            let alpha = rho * dot(step, &q);
            q.iter_mut().zip(change).for_each(|(q, y)| *q -= alpha * y);
            alphas.push(alpha);
        }
        let scale = memory.back().map_or(1.0, |(step, change, _)| {
            let preconditioned = change
                .iter()
                .zip(&curvature)
                .map(|(y, h)| y * y / h)
                .sum::<f64>();
            dot(step, change) / preconditioned
        });
        q.iter_mut()
            .zip(&curvature)
            .for_each(|(q, h)| *q *= scale / h);
        for ((step, change, rho), alpha) in memory.iter().zip(alphas.iter().rev()) {
            let beta = rho * dot(change, &q);
            q.iter_mut()
                .zip(step)
                .for_each(|(q, s)| *q += (alpha - beta) * s);
        }
        let mut slope = -dot(&gradient, &q);
        if slope >= 0.0 {
            // Not a descent direction (curvature estimate went wrong): start afresh.
            memory.clear();
            q = gradient
                .iter()
                .zip(&curvature)
                .map(|(g, h)| g / h)
                .collect();
            slope = -dot(&gradient, &q);
        }
        let mut t = 1.0;
        let trial_loss = loop {
            for ((trial, x), q) in trial.iter_mut().zip(&x).zip(&q) {
                *trial = x - t * q;
            }
            let trial_loss = objective(&trial, &mut trial_gradient);
            if trial_loss.is_finite() && trial_loss <= loss + 1e-4 * t * slope {
                break Some(trial_loss);
            }
            t *= 0.5;
            if t < 1e-10 {
                break None;
            }
        };
        let Some(trial_loss) = trial_loss else { break };
        let step: Vec<f64> = trial.iter().zip(&x).map(|(a, b)| a - b).collect();
        let change: Vec<f64> = trial_gradient
            .iter()
            .zip(&gradient)
            .map(|(a, b)| a - b)
            .collect();
        let curvature_along = dot(&step, &change);
        if curvature_along > 1e-12 {
            if memory.len() == MEMORY {
                memory.pop_front();
            }
            memory.push_back((step, change, 1.0 / curvature_along));
        }
        let improvement = loss - trial_loss;
        std::mem::swap(&mut x, &mut trial);
        std::mem::swap(&mut gradient, &mut trial_gradient);
        loss = trial_loss;
        if improvement <= 1e-9 * loss.max(1.0) {
            break;
        }
    }
    Linear {
        intercept: x[0],
        weights: x[1..].to_vec(),
    }
}

/// Naive Bayes as a linear model: Bernoulli for indicator features (Laplace smoothing, so no
/// value makes a probability 0 or 1), a Gaussian with one shared variance per count feature.
fn fit_naive_bayes(matrix: &Matrix, won: &[bool], encoder: &Encoder) -> Linear {
    let columns = encoder.columns;
    let mut sums = [vec![0.0; columns], vec![0.0; columns]];
    let mut squares = [vec![0.0; columns], vec![0.0; columns]];
    let mut totals = [0.0_f64; 2];
    for (i, won) in won.iter().enumerate() {
        let class = usize::from(*won);
        totals[class] += 1.0;
        for (c, v) in matrix.row(i) {
            sums[class][c] += v;
            squares[class][c] += v * v;
        }
    }
    let [lost, won_total] = totals;
    let mut intercept = ((won_total + 1.0) / (lost + 1.0)).ln();
    let mut weights = vec![0.0; columns];
    for (c, weight) in weights.iter_mut().enumerate() {
        if encoder.is_count_column(c) {
            // Every lead has a value in a count column (zero activities included).
            let mean = |class: usize| sums[class][c] / totals[class].max(1.0);
            let (m0, m1) = (mean(0), mean(1));
            let variance = ((squares[0][c] - totals[0] * m0 * m0)
                + (squares[1][c] - totals[1] * m1 * m1))
                / (lost + won_total).max(1.0);
            let variance = variance.max(0.05);
            *weight = (m1 - m0) / variance;
            intercept -= (m1 * m1 - m0 * m0) / (2.0 * variance);
        } else {
            let p1 = (sums[1][c] + 1.0) / (won_total + 2.0);
            let p0 = (sums[0][c] + 1.0) / (lost + 2.0);
            *weight = (p1 / p0).ln() - ((1.0 - p1) / (1.0 - p0)).ln();
            intercept += ((1.0 - p1) / (1.0 - p0)).ln();
        }
    }
    Linear { intercept, weights }
}

/// Area under the ROC curve: the chance that a random won lead scores above a random lost
/// one (ties count half), by ranks (Mann–Whitney). None without both outcomes.
pub fn auc(scores: &[f64], won: &[bool]) -> Option<f64> {
    let positives = won.iter().filter(|w| **w).count();
    let negatives = won.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && scores[order[end + 1]] == scores[order[start]] {
            end += 1;
        }
        // Ranks start..=end (1-based: start+1..=end+1) share their average.
        let average_rank = (start + end) as f64 / 2.0 + 1.0;
        rank_sum += order[start..=end].iter().filter(|i| won[**i]).count() as f64 * average_rank;
        start = end + 1;
    }
    let positives = positives as f64;
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives as f64))
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finalizer: a fixed, well-spread hash of the lead id.
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Which examples are held out: one in `HELD_OUT_EVERY` of each outcome, chosen by a
/// seeded hash of the lead id (the same leads every time, whatever their order).
fn held_out(examples: &[Example]) -> Vec<bool> {
    let mut held = vec![false; examples.len()];
    for outcome in [true, false] {
        let mut indices: Vec<usize> = (0..examples.len())
            .filter(|i| examples[*i].won == outcome)
            .collect();
        indices.sort_by_key(|i| (mix(examples[*i].id as u64 ^ SPLIT_SEED), examples[*i].id));
        for i in indices
            .into_iter()
            .skip(HELD_OUT_EVERY - 1)
            .step_by(HELD_OUT_EVERY)
        {
            held[i] = true;
        }
    }
    held
}

/// A closed lead to learn from.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub id: i64,
    pub won: bool,
    pub facts: Facts,
}

/// The learned model: the encoder and the weights of the kept method. Stored as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WinModel {
    pub method: Method,
    encoder: Encoder,
    intercept: f64,
    weights: Vec<f64>,
}

/// A model as stored: when it was learned, from how many closed leads, how well it did.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    pub learned_at: DateTime<Utc>,
    pub closed: i64,
    pub auc: Option<f64>,
    pub model: WinModel,
}

/// One feature's share of a prediction, in log-odds: +0.7 roughly doubles the odds of a win.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub feature: String,
    pub value: String,
    pub contribution: f64,
}

impl WinModel {
    fn new(method: Method, encoder: Encoder, linear: Linear) -> WinModel {
        WinModel {
            method,
            encoder,
            intercept: linear.intercept,
            weights: linear.weights,
        }
    }

    /// The chance this lead ends won rather than lost, kept within [0.001, 0.999].
    pub fn probability(&self, facts: &Facts) -> f64 {
        sigmoid(self.log_odds(facts)).clamp(FLOOR, 1.0 - FLOOR)
    }

    /// The log-odds of a win: intercept plus every feature's contribution.
    fn log_odds(&self, facts: &Facts) -> f64 {
        let mut z = self.intercept;
        self.encoder.walk(facts, |column, value, _| {
            z += self.weights.get(column).copied().unwrap_or(0.0) * value;
        });
        z
    }

    /// Every feature's contribution to this lead's prediction, largest first (activity
    /// counts measured against the average closed lead, so "no calls" can count against).
    pub fn factors(&self, facts: &Facts) -> Vec<Factor> {
        let mut factors = Vec::new();
        self.encoder.walk(facts, |column, value, seen| {
            let contribution = self.weights.get(column).copied().unwrap_or(0.0) * value;
            if contribution.abs() < 1e-9 {
                return;
            }
            let (feature, value) = match seen {
                Seen::Category {
                    field,
                    value,
                    pooled,
                } => (
                    field.to_string(),
                    if pooled {
                        format!("{value} {RARE}")
                    } else {
                        value.to_string()
                    },
                ),
                Seen::Bin { field, bins, bin } => (field.to_string(), bins.label(bin)),
                Seen::Count { kind, count } => (format!("{kind} activities"), count.to_string()),
            };
            factors.push(Factor {
                feature,
                value,
                contribution,
            });
        });
        factors.sort_by(|a, b| {
            b.contribution
                .total_cmp(&a.contribution)
                .then_with(|| a.feature.cmp(&b.feature))
        });
        factors
    }

    /// How many features the model weighs.
    pub fn features(&self) -> usize {
        self.encoder.columns
    }
}

/// What `learn` found.
#[derive(Debug, Clone, PartialEq)]
pub enum Learning {
    /// Too few closed leads of one outcome to learn anything honest.
    NotEnoughData {
        won: usize,
        lost: usize,
    },
    Learned(Box<Learned>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    /// Refitted on every closed lead.
    pub model: WinModel,
    pub won: usize,
    pub lost: usize,
    /// How many closed leads were held out to measure the model.
    pub held_out: usize,
    /// The kept method's AUC on the held-out leads (None if it could not be measured).
    pub auc: Option<f64>,
    /// Each method's held-out AUC, in `Method::ALL` order.
    pub compared: Vec<(Method, Option<f64>)>,
}

/// Learn from closed leads: fit each method on four fifths, measure on the rest, keep the
/// better, refit it on all. Deterministic.
pub fn learn(examples: &[Example]) -> Learning {
    let won = examples.iter().filter(|e| e.won).count();
    let lost = examples.len() - won;
    if won < MIN_EACH || lost < MIN_EACH {
        return Learning::NotEnoughData { won, lost };
    }
    let held = held_out(examples);
    let mut train: Vec<&Example> = Vec::new();
    let mut test: Vec<&Example> = Vec::new();
    for (example, held) in examples.iter().zip(held) {
        if held {
            test.push(example)
        } else {
            train.push(example)
        }
    }

    let train_facts: Vec<&Facts> = train.iter().map(|e| &e.facts).collect();
    let train_won: Vec<bool> = train.iter().map(|e| e.won).collect();
    let test_won: Vec<bool> = test.iter().map(|e| e.won).collect();
    let encoder = Encoder::learn(&train_facts);
    let matrix = Matrix::encode(&encoder, &train_facts);
    let mut held_out_log_odds = Vec::new();
    let compared: Vec<(Method, Option<f64>)> = Method::ALL
        .into_iter()
        .map(|method| {
            let model = WinModel::new(
                method,
                encoder.clone(),
                fit(method, &matrix, &train_won, &encoder),
            );
            // Ranked by log-odds: the clamp of probabilities would make ties at the ends.
            let log_odds: Vec<f64> = test.iter().map(|e| model.log_odds(&e.facts)).collect();
            let measured = auc(&log_odds, &test_won);
            held_out_log_odds.push(log_odds);
            (method, measured)
        })
        .collect();
    let kept = (0..compared.len())
        .max_by(|a, b| {
            let auc = |i: usize| compared[i].1.unwrap_or(0.0);
            // On a tie, the first in Method::ALL (max_by keeps the last maximum).
            auc(*a).total_cmp(&auc(*b)).then(b.cmp(a))
        })
        .unwrap_or(0);
    let (method, auc) = compared[kept];
    let (scale, shift) = calibrate(&held_out_log_odds[kept], &test_won);

    let all_facts: Vec<&Facts> = examples.iter().map(|e| &e.facts).collect();
    let all_won: Vec<bool> = examples.iter().map(|e| e.won).collect();
    let encoder = Encoder::learn(&all_facts);
    let matrix = Matrix::encode(&encoder, &all_facts);
    let linear = fit(method, &matrix, &all_won, &encoder);
    let calibrated = Linear {
        intercept: scale * linear.intercept + shift,
        weights: linear.weights.iter().map(|w| scale * w).collect(),
    };
    Learning::Learned(Box::new(Learned {
        model: WinModel::new(method, encoder, calibrated),
        won,
        lost,
        held_out: test.len(),
        auc,
        compared,
    }))
}

/// Platt scaling: the `scale` and `shift` that make `sigmoid(scale · log_odds + shift)` match
/// the held-out outcomes, found by Newton's method with a light pull towards (1, 0) so a small
/// held-out share cannot swing it far. Naive Bayes counts correlated features twice and so
/// is overconfident; this brings its probabilities back to what actually happened. Never
/// inverts the ranking (scale >= 0): a model that ranks no better than chance gives every
/// lead the base rate.
fn calibrate(log_odds: &[f64], won: &[bool]) -> (f64, f64) {
    const PULL: f64 = 1.0;
    let loss = |scale: f64, shift: f64| {
        let fit: f64 = log_odds
            .iter()
            .zip(won)
            .map(|(z, won)| log_loss(scale * z + shift, *won))
            .sum();
        fit + 0.5 * PULL * ((scale - 1.0).powi(2) + shift * shift)
    };
    let (mut scale, mut shift) = (1.0, 0.0);
    for _ in 0..50 {
        let (mut g_scale, mut g_shift) = (PULL * (scale - 1.0), PULL * shift);
        let (mut h_ss, mut h_sh, mut h_hh) = (PULL, 0.0, PULL);
        for (z, won) in log_odds.iter().zip(won) {
            let p = sigmoid(scale * z + shift);
            let residual = p - f64::from(u8::from(*won));
            let weight = p * (1.0 - p);
            g_scale += residual * z;
            g_shift += residual;
            h_ss += weight * z * z;
            h_sh += weight * z;
            h_hh += weight;
        }
        let determinant = h_ss * h_hh - h_sh * h_sh;
        if determinant <= 1e-12 {
            break;
        }
        let mut d_scale = (h_hh * g_scale - h_sh * g_shift) / determinant;
        let mut d_shift = (h_ss * g_shift - h_sh * g_scale) / determinant;
        // Damped: halve the Newton step until the loss goes down.
        let before = loss(scale, shift);
        while loss(scale - d_scale, shift - d_shift) > before
            && d_scale.abs() + d_shift.abs() > 1e-12
        {
            d_scale *= 0.5;
            d_shift *= 0.5;
        }
        scale -= d_scale;
        shift -= d_shift;
        if !(scale.is_finite() && shift.is_finite()) {
            return (1.0, 0.0);
        }
        if d_scale.abs() + d_shift.abs() < 1e-10 {
            break;
        }
    }
    if scale < 0.0 {
        // Refit the shift alone at scale 0: the base rate of the held-out leads.
        let wins = won.iter().filter(|w| **w).count() as f64;
        return (0.0, ((wins + 1.0) / (won.len() as f64 - wins + 1.0)).ln());
    }
    (scale, shift)
}

fn fit(method: Method, matrix: &Matrix, won: &[bool], encoder: &Encoder) -> Linear {
    match method {
        Method::LogisticRegression => fit_logistic(matrix, won, encoder.columns),
        Method::NaiveBayes => fit_naive_bayes(matrix, won, encoder),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_named_cases() {
        let won = [false, false, true, true];
        let cases: [(&str, [f64; 4], f64); 4] = [
            ("perfect ranking", [0.1, 0.2, 0.8, 0.9], 1.0),
            ("inverted ranking", [0.9, 0.8, 0.2, 0.1], 0.0),
            ("all ties", [0.5, 0.5, 0.5, 0.5], 0.5),
            ("one swapped pair", [0.1, 0.8, 0.7, 0.9], 0.75),
        ];
        for (name, scores, expected) in cases {
            let got = auc(&scores, &won).unwrap();
            assert!((got - expected).abs() < 1e-12, "{name}: {got}");
        }
        assert_eq!(auc(&[0.1, 0.2], &[true, true]), None, "one outcome only");
        // A tie across outcomes counts half: one of four pairs tied, the others right.
        let got = auc(&[0.1, 0.5, 0.5, 0.9], &won).unwrap();
        assert!((got - 0.875).abs() < 1e-12, "{got}");
    }

    #[test]
    fn facts_use_fields_tags_title_words_attributes_and_counts() {
        let mut lead = Lead {
            source: Some("referral".into()),
            industry: Some("Software".into()),
            title: Some("Head of Sales".into()),
            email: Some("ada@gmail.com".into()),
            company_size: Some(120),
            tags: vec!["vip".into()],
            budget: Answer::Yes,
            ..Lead::default()
        };
        lead.attributes.insert("Plan".into(), " Enterprise ".into());
        lead.attributes.insert("Empty".into(), "  ".into());
        let mut counts = ActivityCounts::default();
        counts.add(ActivityKind::Call, 3);
        let facts = facts(&lead, &counts);
        for expected in [
            ("source", "referral"),
            ("industry", "software"),
            ("tag", "vip"),
            ("title word", "head"),
            ("title word", "sales"),
            ("email", "free mail"),
            ("budget", "yes"),
        ] {
            assert!(
                facts
                    .categories
                    .contains(&(expected.0, expected.1.to_string())),
                "{expected:?} in {:?}",
                facts.categories
            );
        }
        assert!(!facts.categories.iter().any(|(_, v)| v == "of"));
        assert_eq!(facts.numbers, vec![("company size", 120.0)]);
        assert_eq!(
            facts.attributes,
            vec![("Plan".to_string(), "Enterprise".to_string())]
        );
        assert_eq!(facts.counts.get(ActivityKind::Call), 3);
    }

    #[test]
    fn rare_values_pool_and_unseen_values_use_the_pool() {
        let row = |source: &str| Facts {
            categories: vec![("source", source.to_string())],
            ..Facts::default()
        };
        let mut rows: Vec<Facts> = (0..MIN_COUNT).map(|_| row("referral")).collect();
        rows.push(row("podcast"));
        let refs: Vec<&Facts> = rows.iter().collect();
        let encoder = Encoder::learn(&refs);
        let sources = &encoder.categories["source"];
        assert_eq!(
            sources.keys().collect::<Vec<_>>(),
            vec![RARE, "referral"],
            "podcast was seen once"
        );
        let mut pooled = Vec::new();
        encoder.walk(&row("never seen"), |column, _, _| pooled.push(column));
        assert_eq!(pooled, vec![sources[RARE]]);
    }

    #[test]
    fn numbers_fall_into_quantile_bins_and_numeric_attributes_are_detected() {
        let rows: Vec<Facts> = (0..100)
            .map(|i| Facts {
                numbers: vec![("company size", f64::from(i))],
                attributes: vec![
                    ("Revenue".to_string(), format!("${},000", i * 10)),
                    ("Plan".to_string(), format!("{}", i % 3)),
                ],
                ..Facts::default()
            })
            .collect();
        let refs: Vec<&Facts> = rows.iter().collect();
        let encoder = Encoder::learn(&refs);
        let bins = &encoder.numbers["company size"];
        assert_eq!(bins.edges, vec![20.0, 40.0, 60.0, 80.0]);
        assert_eq!(
            (0..5).map(|b| bins.label(b)).collect::<Vec<_>>(),
            [
                "under 20",
                "20 to under 40",
                "40 to under 60",
                "60 to under 80",
                "80 or more"
            ]
        );
        assert!(encoder.numeric_attributes.contains("Revenue"));
        assert!(
            !encoder.numeric_attributes.contains("Plan"),
            "three values: categories"
        );
        assert!(encoder.numbers.contains_key("attribute Revenue"));
        assert_eq!(encoder.categories["attribute Plan"].len(), 3);
    }

    #[test]
    fn the_held_out_share_is_one_in_five_of_each_outcome_and_fixed() {
        let examples: Vec<Example> = (1..=100)
            .map(|id| Example {
                id,
                won: id % 4 == 0,
                facts: Facts::default(),
            })
            .collect();
        let held = held_out(&examples);
        let held_won = examples.iter().zip(&held).filter(|(e, h)| **h && e.won);
        assert_eq!(held_won.count(), 5);
        assert_eq!(held.iter().filter(|h| **h).count(), 20);
        let mut reversed = examples.clone();
        reversed.reverse();
        let mut again: Vec<i64> = reversed
            .iter()
            .zip(held_out(&reversed))
            .filter(|(_, h)| *h)
            .map(|(e, _)| e.id)
            .collect();
        again.sort();
        let first: Vec<i64> = examples
            .iter()
            .zip(&held)
            .filter(|(_, h)| **h)
            .map(|(e, _)| e.id)
            .collect();
        assert_eq!(again, first, "the same leads whatever their order");
    }

    /// A seeded generator: P(win) = sigmoid(1.5·referral + 1.2·enterprise + 0.6·calls − 1.6).
    fn synthetic(n: usize, seed: u64) -> (Vec<Example>, Vec<f64>) {
        let mut state = seed;
        let mut next = move || {
            state = mix(state);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let sources = ["referral", "web_form", "trade_show", "purchased_list"];
        let plans = ["enterprise", "team", "free"];
        let mut examples = Vec::new();
        let mut truth = Vec::new();
        for id in 0..n {
            let source = sources[(next() * 4.0) as usize % 4];
            let plan = plans[(next() * 3.0) as usize % 3];
            let calls = (next() * 5.0) as u32;
            let noise_tag = if next() < 0.5 { "blue" } else { "green" };
            let z = 1.5 * f64::from(source == "referral")
                + 1.2 * f64::from(plan == "enterprise")
                + 0.6 * f64::from(calls)
                - 1.6;
            let p = sigmoid(z);
            let mut counts = ActivityCounts::default();
            counts.add(ActivityKind::Call, calls);
            examples.push(Example {
                id: id as i64 + 1,
                won: next() < p,
                facts: Facts {
                    categories: vec![("source", source.into()), ("tag", noise_tag.into())],
                    attributes: vec![("plan".into(), plan.into())],
                    counts,
                    ..Facts::default()
                },
            });
            truth.push(p);
        }
        (examples, truth)
    }

    #[test]
    fn learning_a_known_generator_comes_close_to_its_best_auc() {
        let (examples, truth) = synthetic(2000, 7);
        let won: Vec<bool> = examples.iter().map(|e| e.won).collect();
        let best = auc(&truth, &won).unwrap();
        let Learning::Learned(learned) = learn(&examples) else {
            panic!("2000 leads are enough");
        };
        let got = learned.auc.unwrap();
        assert!(got > 0.7 && got > best - 0.06, "AUC {got} vs best {best}");
        assert_eq!(learned.held_out, 400);
        assert_eq!(learned.won + learned.lost, 2000);
        // The generator's signals come out on top, the noise tag does not.
        let referral = Facts {
            categories: vec![("source", "referral".into())],
            attributes: vec![("plan".into(), "enterprise".into())],
            ..Facts::default()
        };
        let factors = learned.model.factors(&referral);
        assert_eq!(factors.len(), 3, "{factors:?}");
        assert!(factors[0].contribution > 0.5, "{factors:?}");
        // Deterministic: the same history, the same model.
        let Learning::Learned(again) = learn(&examples) else {
            panic!()
        };
        assert_eq!(again.model, learned.model);
    }

    #[test]
    fn logistic_regression_recovers_the_generator_weights() {
        let (examples, _) = synthetic(20_000, 11);
        let facts: Vec<&Facts> = examples.iter().map(|e| &e.facts).collect();
        let won: Vec<bool> = examples.iter().map(|e| e.won).collect();
        let encoder = Encoder::learn(&facts);
        let matrix = Matrix::encode(&encoder, &facts);
        let model = WinModel::new(
            Method::LogisticRegression,
            encoder.clone(),
            fit_logistic(&matrix, &won, encoder.columns),
        );
        let weight = |field: &str, value: &str| model.weights[encoder.categories[field][value]];
        let referral = weight("source", "referral") - weight("source", "web_form");
        let enterprise = weight("attribute plan", "enterprise") - weight("attribute plan", "free");
        let tags = weight("tag", "blue") - weight("tag", "green");
        assert!((referral - 1.5).abs() < 0.2, "referral {referral}");
        assert!((enterprise - 1.2).abs() < 0.2, "enterprise {enterprise}");
        assert!(tags.abs() < 0.15, "noise {tags}");
    }

    #[test]
    fn logistic_regression_reaches_the_optimum() {
        let (examples, _) = synthetic(5000, 13);
        let facts: Vec<&Facts> = examples.iter().map(|e| &e.facts).collect();
        let won: Vec<bool> = examples.iter().map(|e| e.won).collect();
        let encoder = Encoder::learn(&facts);
        let matrix = Matrix::encode(&encoder, &facts);
        let model = fit_logistic(&matrix, &won, encoder.columns);
        // At the optimum of the penalized loss every partial derivative is (nearly) zero.
        let mut gradient: Vec<f64> = model.weights.iter().map(|w| L2 * w).collect();
        let mut intercept_gradient = 0.0;
        for (i, won) in won.iter().enumerate() {
            let residual = sigmoid(matrix.margin(i, model.intercept, &model.weights))
                - f64::from(u8::from(*won));
            intercept_gradient += residual;
            for (c, v) in matrix.row(i) {
                gradient[c] += residual * v;
            }
        }
        let largest = gradient
            .iter()
            .chain([&intercept_gradient])
            .fold(0.0_f64, |m, g| m.max(g.abs()));
        assert!(largest < 0.05, "largest partial derivative {largest}");
    }

    #[test]
    fn calibration_tames_overconfident_log_odds() {
        // Outcomes drawn from sigmoid(z), but the model claims 3z: too sure of itself.
        let mut state = 1;
        let mut log_odds = Vec::new();
        let mut won = Vec::new();
        for i in 0..4000 {
            let z = f64::from(i % 41 - 20) / 8.0;
            state = mix(state);
            won.push(((state >> 11) as f64 / (1u64 << 53) as f64) < sigmoid(z));
            log_odds.push(3.0 * z);
        }
        let (scale, shift) = calibrate(&log_odds, &won);
        assert!((scale - 1.0 / 3.0).abs() < 0.05, "scale {scale}");
        assert!(shift.abs() < 0.1, "shift {shift}");
        let (scale, _) = calibrate(&log_odds, &won.iter().map(|w| !w).collect::<Vec<_>>());
        assert_eq!(scale, 0.0, "an inverted model is not turned around");
    }

    #[test]
    fn too_few_of_one_outcome_is_not_enough_data() {
        let (mut examples, _) = synthetic(400, 3);
        let mut wins = 0;
        examples.retain(|e| {
            wins += usize::from(e.won);
            !e.won || wins < MIN_EACH
        });
        let lost = examples.iter().filter(|e| !e.won).count();
        assert_eq!(
            learn(&examples),
            Learning::NotEnoughData {
                won: MIN_EACH - 1,
                lost
            }
        );
    }

    #[test]
    fn predictions_never_reach_0_or_1_and_the_model_survives_json() {
        let (examples, _) = synthetic(600, 5);
        let Learning::Learned(learned) = learn(&examples) else {
            panic!()
        };
        let json = serde_json::to_string(&learned.model).unwrap();
        let model: WinModel = serde_json::from_str(&json).unwrap();
        let mut counts = ActivityCounts::default();
        counts.add(ActivityKind::Call, 10_000);
        let extreme = Facts {
            categories: vec![("source", "referral".into())],
            counts,
            ..Facts::default()
        };
        let p = model.probability(&extreme);
        assert!(p <= 1.0 - FLOOR && p > 0.9, "{p}");
        assert!(model.probability(&Facts::default()) >= FLOOR);
    }
}

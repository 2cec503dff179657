//! The learned win probability: which open leads are likely to be won, learned from the
//! seller's own closed (won or lost) leads. Pure: no I/O, no clock; the same closed leads
//! always give the same model.
//!
//! A lead becomes `Facts`: categories (`source = referral`, each tag, each title word, flags,
//! answers), numbers (company size), imported attributes, and activity counts by kind. An
//! `Encoder` learned from the closed leads turns facts into features: values seen fewer than
//! `MIN_COUNT` times share one "(rare)" feature per field, numbers fall into quantile bins
//! (attributes whose values are numbers too), activity counts are log-scaled and standardized.
//! Two linear models are fitted over the same features, logistic regression with a strong L2
//! penalty and naive Bayes with a prior at each feature's overall rate (both shrink towards
//! "no difference" when the evidence is thin); the one with the better AUC on a held-out
//! share of the closed leads (with fewer than `CROSS_VALIDATE_BELOW`, on every one of them by
//! cross-validation) is kept, then refitted on all of them. The AUC comes with a 95% interval. Being linear in log-odds, either explains a
//! prediction as a sum of per-feature contributions (`WinModel::factors`).
mod boost;
mod calibrate;
mod encoder;
mod evaluate;
mod facts;
mod fit;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use boost::{Forest, Settings};
use calibrate::calibrate;
use encoder::{count_feature, Encoder, Matrix, Seen, RARE};
pub use evaluate::{auc, auc_interval, CROSS_VALIDATE_BELOW};
use evaluate::{folds, HELD_OUT_EVERY};
pub use facts::{facts, ActivityCounts, Facts};
pub use fit::Method;
use fit::{fit, sigmoid, Linear};

/// `learn` needs at least this many won leads, and as many lost ones: the models shrink
/// towards "no difference" when the evidence is thin, and the AUC comes with its interval.
pub const MIN_EACH: usize = 10;
/// Predictions stay this far from 0 and 1: closed history never proves certainty.
pub(super) const FLOOR: f64 = 0.001;

/// A closed lead to learn from.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub id: i64,
    pub won: bool,
    pub facts: Facts,
    /// The rule score the lead had (0-100), to measure it on the same held-out leads.
    pub score: f64,
}

/// The learned model: the encoder, the weights of the linear part (none for the trees
/// alone) and the trees (none for a linear method). Its log-odds are the sum of both parts.
/// Stored as JSON: a model stored before the trees came reads with none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WinModel {
    pub method: Method,
    encoder: Encoder,
    intercept: f64,
    weights: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    forest: Option<Forest>,
}

/// A model as stored: when it was learned, from how many closed leads, how well it did.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    pub learned_at: DateTime<Utc>,
    pub closed: i64,
    pub auc: Option<f64>,
    pub model: WinModel,
}

/// What a stored model says of itself, without the model: enough for `list`'s note and
/// for choosing the order (a tree model is hundreds of kilobytes of JSON to read).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelSummary {
    pub learned_at: DateTime<Utc>,
    pub closed: i64,
    pub auc: Option<f64>,
}

impl SavedModel {
    pub fn summary(&self) -> ModelSummary {
        ModelSummary {
            learned_at: self.learned_at,
            closed: self.closed,
            auc: self.auc,
        }
    }
}

/// One feature's share of a prediction, in log-odds: +0.7 roughly doubles the odds of a win.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub feature: String,
    pub value: String,
    pub contribution: f64,
}

/// What a method is fitted from: the linear fit (logistic regression or naive Bayes) and
/// the trees, as its kind needs them.
struct Parts {
    linear: Option<Linear>,
    forest: Option<Forest>,
}

impl WinModel {
    fn new(method: Method, encoder: Encoder, linear: Linear) -> WinModel {
        WinModel::assemble(
            method,
            encoder,
            Parts {
                linear: Some(linear),
                forest: None,
            },
        )
    }

    /// The model of `method` from its parts: the blend takes half of each.
    fn assemble(method: Method, encoder: Encoder, parts: Parts) -> WinModel {
        let share = if method == Method::Blend { 0.5 } else { 1.0 };
        let (intercept, weights) = match (method, parts.linear) {
            (Method::BoostedTrees, _) | (_, None) => (0.0, Vec::new()),
            (_, Some(linear)) => (
                share * linear.intercept,
                linear.weights.iter().map(|w| share * w).collect(),
            ),
        };
        let forest = parts
            .forest
            .filter(|_| method.has_trees())
            .map(|mut forest| {
                forest.scale(share);
                forest
            });
        WinModel {
            method,
            encoder,
            intercept,
            weights,
            forest,
        }
    }

    /// Platt scaling folded into the model: every log-odds becomes `scale * z + shift`.
    fn calibrated(mut self, scale: f64, shift: f64) -> WinModel {
        self.intercept = scale * self.intercept + shift;
        self.weights.iter_mut().for_each(|w| *w *= scale);
        if let Some(forest) = &mut self.forest {
            forest.scale(scale);
        }
        self
    }

    /// The chance this lead ends won rather than lost, kept within [0.001, 0.999].
    pub fn probability(&self, facts: &Facts) -> f64 {
        sigmoid(self.log_odds(facts)).clamp(FLOOR, 1.0 - FLOOR)
    }

    /// The log-odds of a win: intercept plus every feature's contribution (ranks leads as
    /// the probability does, without the ties of its clamp).
    pub fn log_odds(&self, facts: &Facts) -> f64 {
        let mut z = self.intercept;
        if !self.weights.is_empty() {
            self.encoder.walk(facts, |column, value, _| {
                z += self.weights.get(column).copied().unwrap_or(0.0) * value;
            });
        }
        if let Some(forest) = &self.forest {
            z += forest.bias + forest.log_odds(&self.encoder, facts);
        }
        z
    }

    /// Every feature's contribution to this lead's prediction, largest first (activity
    /// counts measured against the average closed lead, so "no calls" can count against).
    pub fn factors(&self, facts: &Facts) -> Vec<Factor> {
        if self.forest.is_some() {
            return self.factors_by_feature(facts);
        }
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
                Seen::Bin {
                    field, bins, bin, ..
                } => (field.to_string(), bins.label(bin)),
                Seen::Count { kind, count } => (count_feature(kind.as_str()), count.to_string()),
            };
            factors.push(Factor {
                feature,
                value,
                contribution,
            });
        });
        sort_factors(&mut factors);
        factors
    }

    /// With trees, a split on "source = web form" moves a referral lead too: contributions
    /// are summed by feature (source, company size, call activities) and shown with the
    /// lead's own value of it ("none" when it has none).
    fn factors_by_feature(&self, facts: &Facts) -> Vec<Factor> {
        let features = self.encoder.column_features();
        let mut by_column = vec![0.0; self.encoder.columns];
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        self.encoder.walk(facts, |column, value, seen| {
            if let Some(slot) = by_column.get_mut(column) {
                *slot += self.weights.get(column).copied().unwrap_or(0.0) * value;
            }
            let shown = match seen {
                Seen::Category { value, pooled, .. } if pooled => format!("{value} {RARE}"),
                Seen::Category { value, .. } => value.to_string(),
                Seen::Bin { value, .. } => show_number(value),
                Seen::Count { count, .. } => count.to_string(),
            };
            if let Some(feature) = features.get(column) {
                values.entry(feature.clone()).or_default().push(shown);
            }
        });
        if let Some(forest) = &self.forest {
            let (_, contributions) = forest.contributions(&self.encoder, facts);
            for (slot, contribution) in by_column.iter_mut().zip(contributions) {
                *slot += contribution;
            }
        }
        let mut by_feature: BTreeMap<&str, f64> = BTreeMap::new();
        for (feature, contribution) in features.iter().zip(by_column) {
            *by_feature.entry(feature.as_str()).or_default() += contribution;
        }
        let mut factors: Vec<Factor> = by_feature
            .into_iter()
            .filter(|(_, contribution)| contribution.abs() >= 1e-9)
            .map(|(feature, contribution)| Factor {
                feature: feature.to_string(),
                value: values
                    .get(feature)
                    .map_or_else(|| "none".to_string(), |values| values.join(", ")),
                contribution,
            })
            .collect();
        sort_factors(&mut factors);
        factors
    }

    /// The probability for this lead, with the `top` strongest factors for it (largest
    /// first) and then the `top` strongest against it (most negative first): what `show`
    /// explains a prediction with.
    pub fn predict(&self, facts: &Facts, top: usize) -> Prediction {
        let all = self.factors(facts);
        let mut factors: Vec<Factor> = all
            .iter()
            .filter(|f| f.contribution > 0.0)
            .take(top)
            .cloned()
            .collect();
        factors.extend(
            all.iter()
                .rev()
                .filter(|f| f.contribution < 0.0)
                .take(top)
                .cloned(),
        );
        Prediction {
            probability: self.probability(facts),
            factors,
        }
    }

    /// How many features the model weighs.
    pub fn features(&self) -> usize {
        self.encoder.columns
    }
}

/// Largest contribution first (then by feature, so equal ones keep one order).
fn sort_factors(factors: &mut [Factor]) {
    factors.sort_by(|a, b| {
        b.contribution
            .total_cmp(&a.contribution)
            .then_with(|| a.feature.cmp(&b.feature))
    });
}

/// A number as a person writes it: 120, 2.5.
fn show_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// A prediction for one lead and the factors that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub probability: f64,
    /// The strongest factors for (largest first), then against (most negative first).
    pub factors: Vec<Factor>,
}

/// An open lead's win probability as `show` presents it: the stored model, the
/// probability stored by the last `learn` (what `list` and `export` show), and the one the
/// model gives the lead's current data, with its factors.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveWin {
    pub saved: SavedModel,
    pub stored: Option<f64>,
    pub now: Prediction,
    /// How many closed leads there are now (the model is stale when it differs).
    pub closed_now: i64,
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
    /// How many closed leads measured the model: a held-out fifth, or all of them.
    pub held_out: usize,
    /// Into how many folds the closed leads were split to measure every one of them
    /// (cross-validation, with few closed leads), or None for one held-out fifth.
    pub folds: Option<usize>,
    /// The kept method's AUC on the held-out leads (None if it could not be measured).
    pub auc: Option<f64>,
    /// A 95% interval around `auc`: how sure the measure is.
    pub auc_interval: Option<(f64, f64)>,
    /// Each method's held-out AUC, in `Method::ALL` order.
    pub compared: Vec<(Method, Option<f64>)>,
    /// The rule score's AUC on the same held-out leads: which ranking the seller's own
    /// history supports.
    pub score_auc: Option<f64>,
}

/// Learn from closed leads: fit each method on four fifths, measure on the rest (with
/// fewer than `CROSS_VALIDATE_BELOW` closed leads, on each fifth in turn, so every closed
/// lead is measured once), keep the better, refit it on all. Deterministic.
pub fn learn(examples: &[Example]) -> Learning {
    let won = examples.iter().filter(|e| e.won).count();
    let lost = examples.len() - won;
    if won < MIN_EACH || lost < MIN_EACH {
        return Learning::NotEnoughData { won, lost };
    }
    let folds = folds(examples);
    let rounds: Vec<usize> = if examples.len() < CROSS_VALIDATE_BELOW {
        (0..HELD_OUT_EVERY).collect()
    } else {
        vec![HELD_OUT_EVERY - 1]
    };
    // The measured leads, fold after fold, and each method's log-odds for them.
    let mut measured: Vec<&Example> = Vec::new();
    let mut held_out_log_odds: Vec<Vec<f64>> = vec![Vec::new(); Method::ALL.len()];
    for &round in &rounds {
        let (mut test, mut train): (Vec<&Example>, Vec<&Example>) = (Vec::new(), Vec::new());
        for (example, fold) in examples.iter().zip(&folds) {
            if *fold == round {
                test.push(example);
            } else {
                train.push(example);
            }
        }
        let train_facts: Vec<&Facts> = train.iter().map(|e| &e.facts).collect();
        let train_won: Vec<bool> = train.iter().map(|e| e.won).collect();
        let encoder = Encoder::learn(&train_facts);
        let matrix = Matrix::encode(&encoder, &train_facts);
        let logistic = fit(Method::LogisticRegression, &matrix, &train_won, &encoder);
        let forest = Forest::fit(
            &encoder,
            &train_facts,
            &train_won,
            Settings::for_leads(train.len()),
        );
        let models = [
            WinModel::new(
                Method::LogisticRegression,
                encoder.clone(),
                logistic.clone(),
            ),
            WinModel::new(
                Method::NaiveBayes,
                encoder.clone(),
                fit(Method::NaiveBayes, &matrix, &train_won, &encoder),
            ),
            WinModel::assemble(
                Method::BoostedTrees,
                encoder.clone(),
                Parts {
                    linear: None,
                    forest: Some(forest.clone()),
                },
            ),
            WinModel::assemble(
                Method::Blend,
                encoder.clone(),
                Parts {
                    linear: Some(logistic),
                    forest: Some(forest),
                },
            ),
        ];
        for (model, log_odds) in models.iter().zip(&mut held_out_log_odds) {
            // Ranked by log-odds: the clamp of probabilities would make ties at the ends.
            log_odds.extend(test.iter().map(|e| model.log_odds(&e.facts)));
        }
        measured.extend(test);
    }
    let measured_won: Vec<bool> = measured.iter().map(|e| e.won).collect();
    let measured_scores: Vec<f64> = measured.iter().map(|e| e.score).collect();
    let score_auc = auc(&measured_scores, &measured_won);
    let compared: Vec<(Method, Option<f64>)> = Method::ALL
        .into_iter()
        .zip(&held_out_log_odds)
        .map(|(method, log_odds)| (method, auc(log_odds, &measured_won)))
        .collect();
    let kept = (0..compared.len())
        .max_by(|a, b| {
            let auc = |i: usize| compared[i].1.unwrap_or(0.0);
            // On a tie, the first in Method::ALL (max_by keeps the last maximum).
            auc(*a).total_cmp(&auc(*b)).then(b.cmp(a))
        })
        .unwrap_or(0);
    let (method, auc) = compared[kept];
    let measured_wins = measured_won.iter().filter(|w| **w).count();
    let auc_interval =
        auc.map(|auc| auc_interval(auc, measured_wins, measured.len() - measured_wins));
    let (scale, shift) = calibrate(&held_out_log_odds[kept], &measured_won);

    let all_facts: Vec<&Facts> = examples.iter().map(|e| &e.facts).collect();
    let all_won: Vec<bool> = examples.iter().map(|e| e.won).collect();
    let encoder = Encoder::learn(&all_facts);
    let matrix = Matrix::encode(&encoder, &all_facts);
    let parts = Parts {
        linear: (method != Method::BoostedTrees).then(|| fit(method, &matrix, &all_won, &encoder)),
        forest: method.has_trees().then(|| {
            Forest::fit(
                &encoder,
                &all_facts,
                &all_won,
                Settings::for_leads(examples.len()),
            )
        }),
    };
    let model = WinModel::assemble(method, encoder, parts).calibrated(scale, shift);
    Learning::Learned(Box::new(Learned {
        model,
        won,
        lost,
        held_out: measured.len(),
        folds: (rounds.len() > 1).then_some(rounds.len()),
        auc,
        auc_interval,
        compared,
        score_auc,
    }))
}

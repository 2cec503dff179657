//! Fitting a linear model of the log-odds of a win: logistic regression with an L2
//! penalty (by preconditioned L-BFGS) and naive Bayes.
use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::encoder::{Encoder, Matrix};

/// The L2 penalty of logistic regression: a normal prior of standard deviation 0.3 on each
/// weight. With few closed leads it keeps a feature seen on a handful of them from swinging
/// the odds (on a generator with a dozen noise fields, 20 to 200 closed leads ranked 0.02 to
/// 0.03 AUC better than with 1.0); with thousands it is negligible.
pub(super) const L2: f64 = 10.0;
/// Naive Bayes pulls each outcome's rate of a feature towards its overall rate by this many
/// pseudo-leads.
pub(super) const PRIOR_LEADS: f64 = 4.0;
pub(super) const MAX_ITERATIONS: usize = 200;
/// How many past steps L-BFGS remembers.
pub(super) const MEMORY: usize = 8;

/// The kinds of model `learn` compares: two linear ones, boosted trees, and the trees
/// and logistic regression averaged (their log-odds, half each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    LogisticRegression,
    NaiveBayes,
    BoostedTrees,
    Blend,
}

impl Method {
    /// In the order a tie is settled: the simpler model first.
    pub const ALL: [Method; 4] = [
        Method::LogisticRegression,
        Method::NaiveBayes,
        Method::BoostedTrees,
        Method::Blend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::LogisticRegression => "logistic_regression",
            Method::NaiveBayes => "naive_bayes",
            Method::BoostedTrees => "boosted_trees",
            Method::Blend => "blend",
        }
    }

    /// In words, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Method::LogisticRegression => "logistic regression",
            Method::NaiveBayes => "naive Bayes",
            Method::BoostedTrees => "boosted trees",
            Method::Blend => "boosted trees and logistic regression averaged",
        }
    }

    /// Whether the model has trees (and is explained by their paths).
    pub fn has_trees(self) -> bool {
        matches!(self, Method::BoostedTrees | Method::Blend)
    }
}

/// Log-odds of winning = intercept + sum of weight * feature.
#[derive(Clone)]
pub(super) struct Linear {
    pub(super) intercept: f64,
    pub(super) weights: Vec<f64>,
}

pub(super) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Logistic loss of a margin `z` for outcome `won`, computed without overflow.
pub(super) fn log_loss(z: f64, won: bool) -> f64 {
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
pub(super) fn fit_logistic(matrix: &Matrix, won: &[bool], columns: usize) -> Linear {
    let l2 = L2;
    let n = matrix.rows();
    // Parameter 0 is the intercept, 1 + c the weight of column c.
    let dims = columns + 1;
    let curvature = curvature_bounds(matrix, dims, l2);
    let objective = |x: &[f64], gradient: &mut [f64]| penalized_loss(matrix, won, x, gradient, l2);

    // Start from the intercept alone: the (smoothed) odds of a win.
    let wins = won.iter().filter(|w| **w).count() as f64;
    let mut x = vec![0.0; dims];
    x[0] = ((wins + 1.0) / (n as f64 - wins + 1.0)).ln();
    let mut gradient = vec![0.0; dims];
    let mut loss = objective(&x, &mut gradient);
    let mut memory = Memory::default();
    let mut trial = vec![0.0; dims];
    let mut trial_gradient = vec![0.0; dims];
    for _ in 0..MAX_ITERATIONS {
        let (q, slope) = memory.direction(&gradient, &curvature);
        let searched = line_search(
            objective,
            (&x, loss),
            (&q, slope),
            &mut trial,
            &mut trial_gradient,
        );
        let Some(trial_loss) = searched else { break };
        memory.remember(&trial, &x, &trial_gradient, &gradient);
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

/// A bound on the curvature of the loss along each parameter (the preconditioner):
/// a logistic loss curves at most 1/4 per unit of squared feature, plus the penalty.
fn curvature_bounds(matrix: &Matrix, dims: usize, l2: f64) -> Vec<f64> {
    let n = matrix.rows();
    let mut curvature = vec![l2; dims];
    curvature[0] = 0.25 * n as f64 + 1e-9;
    for i in 0..n {
        for (c, v) in matrix.row(i) {
            curvature[c + 1] += 0.25 * v * v;
        }
    }
    curvature
}

/// The penalized log loss at `x` (intercept, then weights), its gradient written into
/// `gradient`.
fn penalized_loss(matrix: &Matrix, won: &[bool], x: &[f64], gradient: &mut [f64], l2: f64) -> f64 {
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
    for c in 1..gradient.len() {
        gradient[c] += l2 * x[c];
        loss += 0.5 * l2 * x[c] * x[c];
    }
    loss
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>()
}

/// What L-BFGS remembers of its last `MEMORY` steps, oldest first: each step, the change
/// of gradient it brought, and 1 / their dot product.
#[derive(Default)]
struct Memory {
    steps: VecDeque<(Vec<f64>, Vec<f64>, f64)>,
}

impl Memory {
    /// The step to take against (the parameters move by `-t * q`) and the slope of the
    /// loss along it. When the curvature estimate fails to point downhill, the memory is
    /// dropped and the preconditioned gradient used instead.
    fn direction(&mut self, gradient: &[f64], curvature: &[f64]) -> (Vec<f64>, f64) {
        let mut q = self.two_loop(gradient, curvature);
        let mut slope = -dot(gradient, &q);
        if slope >= 0.0 {
            // Not a descent direction (curvature estimate went wrong): start afresh.
            self.steps.clear();
            q = gradient.iter().zip(curvature).map(|(g, h)| g / h).collect();
            slope = -dot(gradient, &q);
        }
        (q, slope)
    }

    /// The two-loop recursion: (inverse Hessian estimate) * gradient.
    fn two_loop(&self, gradient: &[f64], curvature: &[f64]) -> Vec<f64> {
        let mut q = gradient.to_vec();
        let mut alphas = Vec::with_capacity(self.steps.len());
        for (step, change, rho) in self.steps.iter().rev() {
            let alpha = rho * dot(step, &q);
            q.iter_mut().zip(change).for_each(|(q, y)| *q -= alpha * y);
            alphas.push(alpha);
        }
        let scale = self.steps.back().map_or(1.0, |(step, change, _)| {
            let preconditioned = change
                .iter()
                .zip(curvature)
                .map(|(y, h)| y * y / h)
                .sum::<f64>();
            dot(step, change) / preconditioned
        });
        q.iter_mut()
            .zip(curvature)
            .for_each(|(q, h)| *q *= scale / h);
        for ((step, change, rho), alpha) in self.steps.iter().zip(alphas.iter().rev()) {
            let beta = rho * dot(change, &q);
            q.iter_mut()
                .zip(step)
                .for_each(|(q, s)| *q += (alpha - beta) * s);
        }
        q
    }

    /// Remember the step from `x` to `next` and the change of gradient it brought, when
    /// the loss curved upward along it (else it would spoil the estimate).
    fn remember(&mut self, next: &[f64], x: &[f64], next_gradient: &[f64], gradient: &[f64]) {
        let step: Vec<f64> = next.iter().zip(x).map(|(a, b)| a - b).collect();
        let change: Vec<f64> = next_gradient
            .iter()
            .zip(gradient)
            .map(|(a, b)| a - b)
            .collect();
        let curvature_along = dot(&step, &change);
        if curvature_along > 1e-12 {
            if self.steps.len() == MEMORY {
                self.steps.pop_front();
            }
            self.steps.push_back((step, change, 1.0 / curvature_along));
        }
    }
}

/// Backtracking line search from `x` (where the loss is `loss`) against `q` (the loss's
/// slope along it is `slope`): halve the step until the loss falls enough (Armijo). The
/// point found is left in `trial` and its gradient in `trial_gradient`; None when even a
/// tiny step does not help (the optimum is reached, as far as floating point tells).
fn line_search(
    objective: impl Fn(&[f64], &mut [f64]) -> f64,
    (x, loss): (&[f64], f64),
    (q, slope): (&[f64], f64),
    trial: &mut [f64],
    trial_gradient: &mut [f64],
) -> Option<f64> {
    let mut t = 1.0;
    loop {
        for ((trial, x), q) in trial.iter_mut().zip(x).zip(q) {
            *trial = x - t * q;
        }
        let trial_loss = objective(trial, trial_gradient);
        if trial_loss.is_finite() && trial_loss <= loss + 1e-4 * t * slope {
            return Some(trial_loss);
        }
        t *= 0.5;
        if t < 1e-10 {
            return None;
        }
    }
}

/// Naive Bayes as a linear model: Bernoulli for indicator features, a Gaussian with one
/// shared variance per count feature. Each outcome's rate of a feature (or mean count) is
/// pulled towards the feature's rate over all the leads by `PRIOR_LEADS` pseudo-leads (an
/// empirical-Bayes prior): a feature seen on few leads moves the odds little, one seen on
/// many moves them as much as it earns, and no value makes a probability 0 or 1.
pub(super) fn fit_naive_bayes(matrix: &Matrix, won: &[bool], encoder: &Encoder) -> Linear {
    let prior = PRIOR_LEADS;
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
    let all = lost + won_total;
    let mut intercept = ((won_total + 1.0) / (lost + 1.0)).ln();
    let mut weights = vec![0.0; columns];
    for (c, weight) in weights.iter_mut().enumerate() {
        let sum = sums[0][c] + sums[1][c];
        if encoder.is_count_column(c) {
            // Every lead has a value in a count column (zero activities included).
            let overall = sum / all.max(1.0);
            let mean = |class: usize| (sums[class][c] + prior * overall) / (totals[class] + prior);
            let (m0, m1) = (mean(0), mean(1));
            // The variance within each outcome, about its own (unshrunk) mean.
            let within = |class: usize| {
                let raw = sums[class][c] / totals[class].max(1.0);
                squares[class][c] - totals[class] * raw * raw
            };
            let variance = ((within(0) + within(1)) / all.max(1.0)).max(0.05);
            *weight = (m1 - m0) / variance;
            intercept -= (m1 * m1 - m0 * m0) / (2.0 * variance);
        } else {
            let overall = (sum + 1.0) / (all + 2.0);
            let rate = |class: usize| (sums[class][c] + prior * overall) / (totals[class] + prior);
            let (p0, p1) = (rate(0), rate(1));
            *weight = (p1 / p0).ln() - ((1.0 - p1) / (1.0 - p0)).ln();
            intercept += ((1.0 - p1) / (1.0 - p0)).ln();
        }
    }
    Linear { intercept, weights }
}

/// The linear part of a method: naive Bayes, or logistic regression (alone or in the
/// blend); none for the trees alone.
pub(super) fn fit(method: Method, matrix: &Matrix, won: &[bool], encoder: &Encoder) -> Linear {
    match method {
        Method::LogisticRegression | Method::Blend => fit_logistic(matrix, won, encoder.columns),
        Method::NaiveBayes => fit_naive_bayes(matrix, won, encoder),
        Method::BoostedTrees => Linear {
            intercept: 0.0,
            weights: Vec::new(),
        },
    }
}

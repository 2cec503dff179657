//! Gradient-boosted trees over the encoder's columns: each round fits a small regression
//! tree to the gradient of the log loss, grown best leaf first on histograms of binned
//! inputs (as LightGBM and scikit-learn's HistGradientBoostingClassifier do). Trees see what
//! a linear model cannot: "a referral from a small company" apart from either alone.
//!
//! The inputs are the encoder's columns: a category column is a yes/no input; the first
//! column of a number's bins carries the number itself, in up to `MAX_BINS` finer quantile
//! bins (bin 0: no value); an activity count column carries the count in quantile bins.
//! Every bin 0 is left out of a lead's row (most leads have most categories absent), so a
//! histogram costs the row's filled inputs, not the number of columns.
//!
//! Explained by path contributions (Saabas): walking a lead down a tree, each split moves
//! the prediction from the node's value to the child's; that move is the split input's
//! contribution. A lead's contributions and the bias add up exactly to its log-odds.
use serde::{Deserialize, Serialize};

use super::encoder::{Encoder, Seen};
use super::facts::Facts;
use super::fit::sigmoid;

/// Quantile bins of a number or a count for the trees (a byte's worth with bin 0 kept
/// for "no value").
pub(super) const MAX_BINS: usize = 64;
/// How the trees grow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Settings {
    pub(super) rounds: usize,
    pub(super) learning_rate: f64,
    pub(super) max_leaves: usize,
    /// At least this many training leads in a leaf.
    pub(super) min_leaf: usize,
    /// The L2 penalty on leaf values (pulls a leaf of few leads towards no change).
    pub(super) l2: f64,
}

impl Settings {
    /// scikit-learn's defaults (100 rounds at 0.1, 31 leaves, 20 leads a leaf), with a leaf
    /// of a fifth of the leads below 100 (a 20-lead leaf would leave no split at all in a
    /// history of 40) and a light L2 penalty. Measured on the public data sets (README): a
    /// tenth ranked X Education's held-out leads 0.811 from 100 closed leads, a fifth 0.827.
    pub(super) fn for_leads(leads: usize) -> Settings {
        Settings {
            rounds: 100,
            learning_rate: 0.1,
            max_leaves: 31,
            min_leaf: (leads / 5).clamp(3, 20),
            l2: 1.0,
        }
    }
}

/// One node: its value (the change of log-odds a lead ending here gets, already scaled by
/// the learning rate) and, unless a leaf, its split: input, the highest bin going left, and
/// the two children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Node {
    pub(super) value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) split: Option<(u32, u8, u32, u32)>,
}

/// The boosted trees: the edges of each input's bins, the starting log-odds, the trees
/// (each a list of nodes, the root first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Forest {
    pub(super) edges: Vec<Vec<f64>>,
    pub(super) bias: f64,
    pub(super) trees: Vec<Vec<Node>>,
}

/// Encoded leads for the trees: each lead's (input, bin) for its inputs not in bin 0,
/// sorted by input.
pub(super) struct Rows {
    starts: Vec<usize>,
    cells: Vec<(u32, u8)>,
}

impl Rows {
    fn row(&self, index: usize) -> &[(u32, u8)] {
        &self.cells[self.starts[index]..self.starts[index + 1]]
    }

    fn bin(&self, index: usize, input: u32) -> u8 {
        let row = self.row(index);
        match row.binary_search_by_key(&input, |(i, _)| *i) {
            Ok(at) => row[at].1,
            Err(_) => 0,
        }
    }
}

/// What a lead brings to one input: a category's presence, a number, a count.
enum Raw {
    Present,
    Number(f64),
    Count(f64),
}

/// Each input a lead fills, with what it fills it with.
fn raw_inputs(encoder: &Encoder, facts: &Facts, mut each: impl FnMut(usize, Raw)) {
    encoder.walk(facts, |column, _, seen| match seen {
        Seen::Category { .. } => each(column, Raw::Present),
        Seen::Bin { bins, value, .. } => each(bins.first_column, Raw::Number(value)),
        Seen::Count { count, .. } => each(column, Raw::Count(f64::from(count))),
    });
}

/// The bin of a value: 1 for a category present; for a number, 1 + the edges at or below
/// it; for a count, the edges at or below it (no count is no value: bin 0).
fn bin_of(edges: &[f64], raw: &Raw) -> u8 {
    let below = |value: f64| edges.partition_point(|edge| *edge <= value);
    let bin = match raw {
        Raw::Present => 1,
        Raw::Number(value) => 1 + below(*value),
        Raw::Count(count) => below(*count),
    };
    bin.min(usize::from(u8::MAX)) as u8
}

/// Quantile edges of the values seen (at most `MAX_BINS` - 1, each above the smallest
/// value so the lowest bin is never empty).
fn quantile_edges(mut values: Vec<f64>) -> Vec<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return Vec::new();
    }
    values.sort_by(f64::total_cmp);
    values.dedup();
    if values.len() < MAX_BINS {
        return values[1..].to_vec();
    }
    let bins = MAX_BINS - 1;
    let mut edges: Vec<f64> = (1..bins).map(|q| values[q * values.len() / bins]).collect();
    edges.dedup();
    edges
}

/// Each input's bin edges, learned from the training leads.
fn learn_edges(encoder: &Encoder, facts: &[&Facts]) -> Vec<Vec<f64>> {
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); encoder.columns];
    for facts in facts {
        raw_inputs(encoder, facts, |input, raw| match raw {
            Raw::Present => {}
            Raw::Number(v) | Raw::Count(v) => values[input].push(v),
        });
    }
    values.into_iter().map(quantile_edges).collect()
}

fn encode_row(encoder: &Encoder, edges: &[Vec<f64>], facts: &Facts, cells: &mut Vec<(u32, u8)>) {
    let start = cells.len();
    raw_inputs(encoder, facts, |input, raw| {
        let bin = bin_of(edges.get(input).map_or(&[][..], Vec::as_slice), &raw);
        if bin != 0 {
            cells.push((input as u32, bin));
        }
    });
    cells[start..].sort_unstable_by_key(|(input, _)| *input);
    // An input filled twice (a number given twice) keeps its first bin.
    let mut row: Vec<(u32, u8)> = cells.drain(start..).collect();
    row.dedup_by_key(|(input, _)| *input);
    cells.extend(row);
}

pub(super) fn encode(encoder: &Encoder, edges: &[Vec<f64>], facts: &[&Facts]) -> Rows {
    let mut rows = Rows {
        starts: vec![0],
        cells: Vec::new(),
    };
    for facts in facts {
        encode_row(encoder, edges, facts, &mut rows.cells);
        rows.starts.push(rows.cells.len());
    }
    rows
}

/// Gradient and curvature sums, and how many leads.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    gradient: f64,
    hessian: f64,
    count: u32,
}

impl Sums {
    fn add(&mut self, other: Sums) {
        self.gradient += other.gradient;
        self.hessian += other.hessian;
        self.count += other.count;
    }

    fn minus(self, other: Sums) -> Sums {
        Sums {
            gradient: self.gradient - other.gradient,
            hessian: self.hessian - other.hessian,
            count: self.count - other.count,
        }
    }

    /// The loss reduction this node's best constant brings (the gain formula's term).
    fn score(&self, l2: f64) -> f64 {
        self.gradient * self.gradient / (self.hessian + l2)
    }

    fn value(&self, l2: f64, learning_rate: f64) -> f64 {
        -learning_rate * self.gradient / (self.hessian + l2)
    }
}

/// Histograms of one node: for each input, the sums of its bins (flat, from `offsets`).
struct Histogram(Vec<Sums>);

struct Layout {
    offsets: Vec<usize>,
    total: usize,
}

impl Layout {
    fn new(edges: &[Vec<f64>]) -> Layout {
        let mut offsets = Vec::with_capacity(edges.len());
        let mut total = 0;
        for edges in edges {
            offsets.push(total);
            // Bin 0, one per edge, and one more for numbers (bin 0 is their "no value").
            total += edges.len() + 2;
        }
        Layout { offsets, total }
    }

    fn bins(&self, input: usize) -> usize {
        self.offsets.get(input + 1).copied().unwrap_or(self.total) - self.offsets[input]
    }
}

/// The best split of a node.
#[derive(Debug, Clone, Copy)]
struct Split {
    gain: f64,
    input: u32,
    threshold: u8,
}

/// A leaf waiting to be split: its node, its leads, their sums and histogram, its best split.
struct Open {
    node: usize,
    leads: Vec<u32>,
    histogram: Histogram,
    best: Option<Split>,
}

struct Grower<'a> {
    rows: &'a Rows,
    layout: &'a Layout,
    gradient: &'a [f64],
    hessian: &'a [f64],
    settings: Settings,
}

impl Grower<'_> {
    fn histogram(&self, leads: &[u32], sums: Sums) -> Histogram {
        let mut bins = vec![Sums::default(); self.layout.total];
        for &lead in leads {
            let lead = lead as usize;
            let one = Sums {
                gradient: self.gradient[lead],
                hessian: self.hessian[lead],
                count: 1,
            };
            for &(input, bin) in self.rows.row(lead) {
                bins[self.layout.offsets[input as usize] + usize::from(bin)].add(one);
            }
        }
        // Bin 0 holds the node's leads not seen in any other bin of the input.
        for (input, &offset) in self.layout.offsets.iter().enumerate() {
            let mut rest = Sums::default();
            for bin in &bins[offset + 1..offset + self.layout.bins(input)] {
                rest.add(*bin);
            }
            bins[offset] = sums.minus(rest);
        }
        Histogram(bins)
    }

    fn best_split(&self, histogram: &Histogram, sums: Sums) -> Option<Split> {
        let Settings { l2, min_leaf, .. } = self.settings;
        let min_leaf = min_leaf as u32;
        if sums.count < 2 * min_leaf {
            return None;
        }
        let parent = sums.score(l2);
        let mut best: Option<Split> = None;
        for (input, &offset) in self.layout.offsets.iter().enumerate() {
            let bins = &histogram.0[offset..offset + self.layout.bins(input)];
            let mut left = Sums::default();
            for (threshold, bin) in bins[..bins.len() - 1].iter().enumerate() {
                left.add(*bin);
                if left.count < min_leaf {
                    continue;
                }
                let right = sums.minus(left);
                if right.count < min_leaf {
                    break;
                }
                if left.hessian < 1e-3 || right.hessian < 1e-3 {
                    continue;
                }
                let gain = left.score(l2) + right.score(l2) - parent;
                // Strictly better: on a tie the first input and bin win (deterministic).
                if gain > 1e-9 && best.is_none_or(|b| gain > b.gain) {
                    best = Some(Split {
                        gain,
                        input: input as u32,
                        threshold: threshold as u8,
                    });
                }
            }
        }
        best
    }

    fn open(&self, node: usize, leads: Vec<u32>, sums: Sums, histogram: Histogram) -> Open {
        let best = self.best_split(&histogram, sums);
        Open {
            node,
            leads,
            histogram,
            best,
        }
    }

    fn sums(&self, leads: &[u32]) -> Sums {
        let mut sums = Sums::default();
        for &lead in leads {
            sums.add(Sums {
                gradient: self.gradient[lead as usize],
                hessian: self.hessian[lead as usize],
                count: 1,
            });
        }
        sums
    }

    /// One tree, grown best leaf first until `max_leaves` or no split gains.
    fn grow(&self, leads: Vec<u32>) -> Vec<Node> {
        let Settings {
            l2, learning_rate, ..
        } = self.settings;
        let sums = self.sums(&leads);
        let histogram = self.histogram(&leads, sums);
        let mut nodes = vec![Node {
            value: sums.value(l2, learning_rate),
            split: None,
        }];
        let mut open = vec![self.open(0, leads, sums, histogram)];
        let mut leaves = 1;
        while leaves < self.settings.max_leaves {
            // The open leaf whose best split gains most (the first on a tie).
            let Some(at) = (0..open.len())
                .filter(|i| open[*i].best.is_some())
                .max_by(|a, b| {
                    let gain = |i: usize| open[i].best.map_or(0.0, |s| s.gain);
                    gain(*a).total_cmp(&gain(*b)).then(b.cmp(a))
                })
            else {
                break;
            };
            let leaf = open.swap_remove(at);
            let Some(split) = leaf.best else { break };
            let (left, right): (Vec<u32>, Vec<u32>) = leaf
                .leads
                .iter()
                .partition(|lead| self.rows.bin(**lead as usize, split.input) <= split.threshold);
            let (left_sums, right_sums) = (self.sums(&left), self.sums(&right));
            // The smaller child's histogram is built; the larger one's is the rest.
            let (small, small_sums) = if left.len() <= right.len() {
                (&left, left_sums)
            } else {
                (&right, right_sums)
            };
            let small_histogram = self.histogram(small, small_sums);
            let large_histogram = Histogram(
                leaf.histogram
                    .0
                    .iter()
                    .zip(&small_histogram.0)
                    .map(|(parent, small)| parent.minus(*small))
                    .collect(),
            );
            let (left_histogram, right_histogram) = if left.len() <= right.len() {
                (small_histogram, large_histogram)
            } else {
                (large_histogram, small_histogram)
            };
            let (left_node, right_node) = (nodes.len(), nodes.len() + 1);
            nodes.push(Node {
                value: left_sums.value(l2, learning_rate),
                split: None,
            });
            nodes.push(Node {
                value: right_sums.value(l2, learning_rate),
                split: None,
            });
            nodes[leaf.node].split = Some((
                split.input,
                split.threshold,
                left_node as u32,
                right_node as u32,
            ));
            leaves += 1;
            open.push(self.open(left_node, left, left_sums, left_histogram));
            open.push(self.open(right_node, right, right_sums, right_histogram));
        }
        nodes
    }
}

impl Forest {
    /// Fit the trees to the training leads. Deterministic: no sampling, ties broken by
    /// input and bin order.
    pub(super) fn fit(
        encoder: &Encoder,
        facts: &[&Facts],
        won: &[bool],
        settings: Settings,
    ) -> Forest {
        let edges = learn_edges(encoder, facts);
        let rows = encode(encoder, &edges, facts);
        let layout = Layout::new(&edges);
        let n = won.len();
        let wins = won.iter().filter(|w| **w).count() as f64;
        // The smoothed odds of a win, as logistic regression starts.
        let bias = ((wins + 1.0) / (n as f64 - wins + 1.0)).ln();
        let mut margin = vec![bias; n];
        let mut gradient = vec![0.0; n];
        let mut hessian = vec![0.0; n];
        let mut trees = Vec::with_capacity(settings.rounds);
        for _ in 0..settings.rounds {
            for i in 0..n {
                let p = sigmoid(margin[i]);
                gradient[i] = p - f64::from(u8::from(won[i]));
                hessian[i] = (p * (1.0 - p)).max(1e-12);
            }
            let grower = Grower {
                rows: &rows,
                layout: &layout,
                gradient: &gradient,
                hessian: &hessian,
                settings,
            };
            let tree = grower.grow((0..n as u32).collect());
            if tree.len() == 1 {
                // No split gains any more: further rounds would repeat this one.
                break;
            }
            for (i, margin) in margin.iter_mut().enumerate() {
                *margin += leaf_value(&tree, |input| rows.bin(i, input));
            }
            trees.push(tree);
        }
        Forest { edges, bias, trees }
    }

    /// A lead's bin of every input (0 for the inputs it does not fill).
    fn bins(&self, encoder: &Encoder, facts: &Facts) -> Vec<u8> {
        let mut bins = vec![0; self.edges.len()];
        let mut cells = Vec::new();
        encode_row(encoder, &self.edges, facts, &mut cells);
        for (input, bin) in cells {
            if let Some(slot) = bins.get_mut(input as usize) {
                *slot = bin;
            }
        }
        bins
    }

    /// The trees' change of log-odds for this lead (without the bias).
    pub(super) fn log_odds(&self, encoder: &Encoder, facts: &Facts) -> f64 {
        let bins = self.bins(encoder, facts);
        let bin = |input: u32| bins.get(input as usize).copied().unwrap_or(0);
        self.trees.iter().map(|tree| leaf_value(tree, bin)).sum()
    }

    /// Each input's contribution to this lead's log-odds (path contributions), with what
    /// the roots give every lead: the sum of all is `log_odds`.
    pub(super) fn contributions(&self, encoder: &Encoder, facts: &Facts) -> (f64, Vec<f64>) {
        let bins = self.bins(encoder, facts);
        let mut contributions = vec![0.0; self.edges.len()];
        let mut roots = 0.0;
        for tree in &self.trees {
            let Some(root) = tree.first() else { continue };
            roots += root.value;
            let mut node = root;
            while let Some((input, threshold, left, right)) = node.split {
                let goes_left = bins.get(input as usize).copied().unwrap_or(0) <= threshold;
                let Some(child) = tree.get(if goes_left { left } else { right } as usize) else {
                    break;
                };
                if let Some(slot) = contributions.get_mut(input as usize) {
                    *slot += child.value - node.value;
                }
                node = child;
            }
        }
        (roots, contributions)
    }

    /// Every value scaled (calibration, or a share of a blend).
    pub(super) fn scale(&mut self, scale: f64) {
        self.bias *= scale;
        for node in self.trees.iter_mut().flatten() {
            node.value *= scale;
        }
    }
}

/// The value of the leaf a lead reaches (a tree from a stored model is trusted no further
/// than its nodes: a child out of range ends the walk).
fn leaf_value(tree: &[Node], bin: impl Fn(u32) -> u8) -> f64 {
    let Some(mut node) = tree.first() else {
        return 0.0;
    };
    while let Some((input, threshold, left, right)) = node.split {
        let next = if bin(input) <= threshold { left } else { right };
        match tree.get(next as usize) {
            Some(child) => node = child,
            None => break,
        }
    }
    node.value
}

#[cfg(test)]
mod tests {
    use super::super::encoder::Matrix;
    use super::super::evaluate::{auc, mix};
    use super::super::fit::fit_logistic;
    use super::*;
    use crate::learning::{learn, Learning, Method, FLOOR};
    use crate::learning::{ActivityCounts, Example};
    use crate::model::ActivityKind;

    /// A seeded stream of numbers in [0, 1).
    fn stream(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            state = mix(state);
            (state >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Won exactly when the lead came by referral or is on the enterprise plan, not both
    /// (one lead in ten the other way): each alone says nothing about a win.
    fn either_but_not_both(n: usize, seed: u64) -> Vec<(Facts, bool)> {
        let mut next = stream(seed);
        (0..n)
            .map(|_| {
                let referral = next() < 0.5;
                let enterprise = next() < 0.5;
                let won = (referral != enterprise) != (next() < 0.1);
                let facts = Facts {
                    categories: vec![(
                        "source",
                        if referral { "referral" } else { "web_form" }.into(),
                    )],
                    attributes: vec![(
                        "plan".into(),
                        if enterprise { "enterprise" } else { "team" }.into(),
                    )],
                    ..Facts::default()
                };
                (facts, won)
            })
            .collect()
    }

    fn split(rows: &[(Facts, bool)]) -> (Vec<&Facts>, Vec<bool>) {
        rows.iter().map(|(f, w)| (f, *w)).unzip()
    }

    #[test]
    fn a_tree_learns_an_interaction_logistic_regression_cannot() {
        let train = either_but_not_both(400, 1);
        let test = either_but_not_both(400, 2);
        let (facts, won) = split(&train);
        let encoder = Encoder::learn(&facts);
        let forest = Forest::fit(&encoder, &facts, &won, Settings::for_leads(400));
        let matrix = Matrix::encode(&encoder, &facts);
        let linear = fit_logistic(&matrix, &won, encoder.columns);
        let (test_facts, test_won) = split(&test);
        let trees: Vec<f64> = test_facts
            .iter()
            .map(|f| forest.log_odds(&encoder, f))
            .collect();
        let logistic: Vec<f64> = test_facts
            .iter()
            .map(|f| {
                let mut z = linear.intercept;
                encoder.walk(f, |c, v, _| z += linear.weights[c] * v);
                z
            })
            .collect();
        let trees = auc(&trees, &test_won).unwrap();
        let logistic = auc(&logistic, &test_won).unwrap();
        assert!(trees > 0.85, "trees {trees}");
        assert!(logistic < 0.6, "logistic regression {logistic}");
    }

    #[test]
    fn learn_keeps_trees_for_an_interaction_and_explains_them_by_the_leads_values() {
        let examples: Vec<Example> = either_but_not_both(600, 3)
            .into_iter()
            .enumerate()
            .map(|(i, (facts, won))| Example {
                id: i as i64 + 1,
                won,
                facts,
                score: 0.0,
            })
            .collect();
        let Learning::Learned(learned) = learn(&examples) else {
            panic!("600 leads are enough");
        };
        assert!(learned.model.method.has_trees(), "{:?}", learned.compared);
        assert!(learned.auc.unwrap() > 0.8, "{:?}", learned.auc);
        let lead = Facts {
            categories: vec![("source", "referral".into())],
            attributes: vec![("plan".into(), "team".into())],
            ..Facts::default()
        };
        let prediction = learned.model.predict(&lead, 3);
        assert!(prediction.probability > 0.7, "{prediction:?}");
        let named: Vec<(&str, &str)> = prediction
            .factors
            .iter()
            .map(|f| (f.feature.as_str(), f.value.as_str()))
            .collect();
        assert!(named.contains(&("source", "referral")), "{named:?}");
        assert!(named.contains(&("attribute plan", "team")), "{named:?}");
    }

    #[test]
    fn a_threshold_on_a_number_is_found_between_the_linear_bins() {
        let mut next = stream(4);
        let rows: Vec<(Facts, bool)> = (0..1000)
            .map(|_| {
                let size = (next() * 1000.0).floor();
                let facts = Facts {
                    numbers: vec![("company size", size)],
                    ..Facts::default()
                };
                (facts, size >= 137.0)
            })
            .collect();
        let (facts, won) = split(&rows);
        let encoder = Encoder::learn(&facts);
        let forest = Forest::fit(&encoder, &facts, &won, Settings::for_leads(1000));
        let z: Vec<f64> = facts.iter().map(|f| forest.log_odds(&encoder, f)).collect();
        assert!(auc(&z, &won).unwrap() > 0.99);
    }

    #[test]
    fn the_same_leads_give_the_same_trees_and_contributions_add_up() {
        let rows = either_but_not_both(300, 5);
        let (facts, won) = split(&rows);
        let encoder = Encoder::learn(&facts);
        let forest = Forest::fit(&encoder, &facts, &won, Settings::for_leads(300));
        let again = Forest::fit(&encoder, &facts, &won, Settings::for_leads(300));
        assert_eq!(forest, again);
        assert!(!forest.trees.is_empty());
        for facts in facts.iter().take(20) {
            let (roots, contributions) = forest.contributions(&encoder, facts);
            let sum = roots + contributions.iter().sum::<f64>();
            let z = forest.log_odds(&encoder, facts);
            assert!((sum - z).abs() < 1e-9, "{sum} vs {z}");
        }
    }

    #[test]
    fn a_model_stored_before_the_trees_still_reads() {
        let json = r#"{"method":"logistic_regression","encoder":{"categories":{"source":
            {"referral":0}},"numbers":{},"numeric_attributes":[],"counts":{},"columns":1},
            "intercept":-1.0,"weights":[2.0]}"#;
        let model: crate::learning::WinModel = serde_json::from_str(json).unwrap();
        assert_eq!(model.method, Method::LogisticRegression);
        let referral = Facts {
            categories: vec![("source", "referral".into())],
            ..Facts::default()
        };
        assert!((model.log_odds(&referral) - 1.0).abs() < 1e-12);
    }

    /// A lead of random facts: a few categories, numbers of any size (NaN and infinities
    /// too), attributes that are numbers or not, activity counts up to the maximum.
    fn random_facts() -> impl proptest::strategy::Strategy<Value = (Facts, bool)> {
        use proptest::prelude::*;
        let category = prop::sample::select(vec!["a", "b", "c", "d"]);
        let number = prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            -1e3..1e3f64
        ];
        let attribute = prop_oneof![
            (0..50i32).prop_map(|n| n.to_string()),
            prop::sample::select(vec!["x", "y", "1,5", "$2,000", ""]).prop_map(String::from)
        ];
        (
            prop::collection::vec(category, 0..3),
            prop::option::of(number),
            prop::option::of(attribute),
            0..u32::MAX,
            any::<bool>(),
        )
            .prop_map(|(tags, size, plan, calls, won)| {
                let mut counts = ActivityCounts::default();
                counts.add(ActivityKind::Call, calls % 7);
                counts.add(ActivityKind::Meeting, calls);
                let facts = Facts {
                    categories: tags.into_iter().map(|t| ("tag", t.to_string())).collect(),
                    numbers: size.map(|s| vec![("company size", s)]).unwrap_or_default(),
                    attributes: plan.map(|p| vec![("plan".into(), p)]).unwrap_or_default(),
                    counts,
                };
                (facts, won)
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]

        #[test]
        fn random_leads_never_panic_and_give_probabilities(
            rows in proptest::collection::vec(random_facts(), 0..120)
        ) {
            let (facts, won) = split(&rows);
            let encoder = Encoder::learn(&facts);
            let forest = Forest::fit(&encoder, &facts, &won, Settings::for_leads(rows.len()));
            for facts in &facts {
                proptest::prop_assert!(forest.log_odds(&encoder, facts).is_finite());
            }
            let examples: Vec<Example> = rows
                .iter()
                .enumerate()
                .map(|(i, (facts, won))| Example { id: i as i64, won: *won, facts: facts.clone(), score: 0.0 })
                .collect();
            if let Learning::Learned(learned) = learn(&examples) {
                for (facts, _) in &rows {
                    let p = learned.model.probability(facts);
                    proptest::prop_assert!((FLOOR..=1.0 - FLOOR).contains(&p), "{}", p);
                    let _ = learned.model.predict(facts, 3);
                }
            }
        }
    }
}

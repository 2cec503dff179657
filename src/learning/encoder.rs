//! Facts into feature columns: categories (rare values pooled), numbers in quantile bins,
//! activity counts log-scaled and standardized; and the sparse matrix of encoded leads.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::facts::Facts;
use crate::model::{read_cell_number, ActivityKind};

/// A value seen on fewer training leads than this shares its field's "(rare)" feature.
pub(super) const MIN_COUNT: usize = 5;
/// The pooled value of a field's rare values.
pub(super) const RARE: &str = "(rare)";
/// Quantile bins for numbers.
pub(super) const MAX_BINS: usize = 5;
/// An attribute is a number when this share of its values parse as one...
pub(super) const NUMERIC_SHARE: f64 = 0.95;
/// ...and it has at least this many distinct values (fewer: categories do better).
pub(super) const NUMERIC_DISTINCT: usize = 8;

/// Quantile bins of one number: `edges` ascending; bin = how many edges are <= the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Bins {
    pub(super) edges: Vec<f64>,
    pub(super) first_column: usize,
}

impl Bins {
    pub(super) fn bin(&self, value: f64) -> usize {
        self.edges.partition_point(|edge| *edge <= value)
    }

    /// "under 50", "50 to 199", "200 or more" (whole numbers shown as such).
    pub(super) fn label(&self, bin: usize) -> String {
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
pub(super) struct Scale {
    pub(super) mean: f64,
    pub(super) sd: f64,
    pub(super) column: usize,
}

impl Scale {
    pub(super) fn value(&self, count: u32) -> f64 {
        (f64::from(count).ln_1p() - self.mean) / self.sd
    }
}

/// Turns facts into feature columns, as learned from the training leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Encoder {
    /// field -> value -> column; a field's rare values share the `RARE` column.
    pub(super) categories: BTreeMap<String, BTreeMap<String, usize>>,
    /// Number fields ("company size", "attribute <key>") -> bins.
    pub(super) numbers: BTreeMap<String, Bins>,
    /// Attribute keys whose values are numbers.
    pub(super) numeric_attributes: BTreeSet<String>,
    /// Activity kind -> scaled count column.
    pub(super) counts: BTreeMap<String, Scale>,
    pub(super) columns: usize,
}

/// One fact as it lands in a column.
pub(super) enum Seen<'a> {
    Category {
        field: &'a str,
        value: &'a str,
        pooled: bool,
    },
    Bin {
        field: &'a str,
        bins: &'a Bins,
        bin: usize,
        /// The number itself (the trees bin it finer).
        value: f64,
    },
    Count {
        kind: ActivityKind,
        count: u32,
    },
}

/// How an activity count is named in explanations.
pub(super) fn count_feature(kind: &str) -> String {
    format!("{kind} activities")
}

pub(super) fn attribute_field(key: &str) -> String {
    format!("attribute {key}")
}

impl Encoder {
    /// Learn the columns from the training leads: categories first, then number bins, then
    /// activity counts, each numbered after the last.
    pub(super) fn learn(rows: &[&Facts]) -> Encoder {
        let numeric_attributes = numeric_attributes(rows);
        let (seen, numbers) = tally(rows, &numeric_attributes);
        let mut columns = 0;
        let categories = category_columns(seen, rows.len(), &mut columns);
        let numbers = number_bins(numbers, &mut columns);
        let counts = count_scales(rows, &mut columns);
        Encoder {
            categories,
            numbers,
            numeric_attributes,
            counts,
            columns,
        }
    }

    /// Call `visit(column, value, what)` for each fact of a lead that has a column.
    pub(super) fn walk<'a>(
        &'a self,
        facts: &'a Facts,
        mut visit: impl FnMut(usize, f64, Seen<'a>),
    ) {
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
                        value,
                    },
                );
            }
        };
        for (field, value) in &facts.numbers {
            number(field, *value, &mut visit);
        }
        for (key, value) in &facts.attributes {
            if self.numeric_attributes.contains(key) {
                if let Some(value) = read_cell_number(value) {
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

    /// The feature each column belongs to, as explanations name it ("source", "company
    /// size", "call activities").
    pub(super) fn column_features(&self) -> Vec<String> {
        let mut features = vec![String::new(); self.columns];
        let mut name = |column: usize, feature: &str| {
            if let Some(slot) = features.get_mut(column) {
                *slot = feature.to_string();
            }
        };
        for (field, values) in &self.categories {
            for column in values.values() {
                name(*column, field);
            }
        }
        for (field, bins) in &self.numbers {
            for column in bins.first_column..=bins.first_column + bins.edges.len() {
                name(column, field);
            }
        }
        for (kind, scale) in &self.counts {
            name(scale.column, &count_feature(kind));
        }
        features
    }

    pub(super) fn is_count_column(&self, column: usize) -> bool {
        self.counts.values().any(|scale| scale.column == column)
    }
}

/// Which attributes are numbers: nearly all their values parse, and there are many.
fn numeric_attributes(rows: &[&Facts]) -> BTreeSet<String> {
    let mut attribute_stats: HashMap<&str, (usize, usize, BTreeSet<u64>)> = HashMap::new();
    for facts in rows {
        for (key, value) in &facts.attributes {
            let entry = attribute_stats.entry(key).or_default();
            entry.0 += 1;
            if let Some(number) = read_cell_number(value) {
                entry.1 += 1;
                if entry.2.len() < NUMERIC_DISTINCT {
                    entry.2.insert(number.to_bits());
                }
            }
        }
    }
    attribute_stats
        .into_iter()
        .filter(|(_, (filled, numbers, distinct))| {
            *numbers as f64 >= NUMERIC_SHARE * *filled as f64 && distinct.len() >= NUMERIC_DISTINCT
        })
        .map(|(key, _)| key.to_string())
        .collect()
}

/// How many training leads have each (field, value), and every value of each number field.
type Tally<'a> = (
    HashMap<(String, &'a str), usize>,
    BTreeMap<String, Vec<f64>>,
);

fn tally<'a>(rows: &[&'a Facts], numeric_attributes: &BTreeSet<String>) -> Tally<'a> {
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
                if let Some(number) = read_cell_number(value) {
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
    (seen, numbers)
}

/// A column for each category value seen on at least `MIN_COUNT` leads, one `RARE` column
/// per field for the others; a value on all `leads` gets none. Numbered from `*columns`.
fn category_columns(
    seen: HashMap<(String, &str), usize>,
    leads: usize,
    columns: &mut usize,
) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut by_field: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for ((field, value), count) in seen {
        if count == leads {
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
    let mut categories: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (field, values) in by_field {
        let numbered = values
            .into_keys()
            .map(|value| {
                *columns += 1;
                (value, *columns - 1)
            })
            .collect();
        categories.insert(field, numbered);
    }
    categories
}

/// Quantile bins for each number field seen on at least `MIN_COUNT` leads, numbered from
/// `*columns`.
fn number_bins(numbers: BTreeMap<String, Vec<f64>>, columns: &mut usize) -> BTreeMap<String, Bins> {
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
                first_column: *columns,
                edges: edges.clone(),
            },
        );
        *columns += edges.len() + 1;
    }
    bins
}

/// A standardized log-count column for each activity kind whose count varies across the
/// training leads, numbered from `*columns`.
fn count_scales(rows: &[&Facts], columns: &mut usize) -> BTreeMap<String, Scale> {
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
                    column: *columns,
                },
            );
            *columns += 1;
        }
    }
    counts
}

/// Rows of features, stored sparsely (compressed rows).
pub(super) struct Matrix {
    pub(super) starts: Vec<usize>,
    pub(super) columns: Vec<u32>,
    pub(super) values: Vec<f64>,
}

impl Matrix {
    pub(super) fn encode(encoder: &Encoder, rows: &[&Facts]) -> Matrix {
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

    pub(super) fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    pub(super) fn row(&self, index: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.starts[index]..self.starts[index + 1];
        self.columns[range.clone()]
            .iter()
            .zip(&self.values[range])
            .map(|(c, v)| (*c as usize, *v))
    }

    pub(super) fn margin(&self, index: usize, intercept: f64, weights: &[f64]) -> f64 {
        intercept + self.row(index).map(|(c, v)| weights[c] * v).sum::<f64>()
    }
}

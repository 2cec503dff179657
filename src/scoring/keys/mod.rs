//! The profile as `leads config` sees it: named settings (`weights.fit`,
//! `engagement.activity.call`, ...), their values as text, and the checks a new value
//! must pass. Pure: the command reads and saves the profile, this module edits it.
use serde_json::{json, Map, Value};

use super::rules::quote;
use super::Profile;
use crate::model::{
    edit_distance, is_known_source, normalize_source, parse_company_size, read_number,
    ActivityKind, KNOWN_SOURCES,
};

/// One setting of the profile, named as `leads config` names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Industries,
    CompanySize,
    Countries,
    SeniorTitles,
    ManagerTitles,
    NonBuyerTitles,
    WeightFit,
    WeightEngagement,
    WeightReadiness,
    HalfLife,
    IncentiveFactor,
    UnknownSource,
    Activity(ActivityKind),
    Source(String),
    GradeA,
    GradeB,
    GradeC,
    QualifiedAt,
    DisqualifiedBelow,
}

/// The settings with a fixed name, in the order `leads config` lists them.
/// The activity and source settings come between the engagement ones and the grades.
const FIXED: [(&str, Key); 17] = [
    ("fit.industries", Key::Industries),
    ("fit.company_size", Key::CompanySize),
    ("fit.countries", Key::Countries),
    ("fit.senior_titles", Key::SeniorTitles),
    ("fit.manager_titles", Key::ManagerTitles),
    ("fit.non_buyer_titles", Key::NonBuyerTitles),
    ("weights.fit", Key::WeightFit),
    ("weights.engagement", Key::WeightEngagement),
    ("weights.readiness", Key::WeightReadiness),
    ("engagement.half_life_days", Key::HalfLife),
    ("engagement.incentive_factor", Key::IncentiveFactor),
    ("engagement.unknown_source", Key::UnknownSource),
    ("grades.a", Key::GradeA),
    ("grades.b", Key::GradeB),
    ("grades.c", Key::GradeC),
    ("qualify.qualified_at", Key::QualifiedAt),
    ("qualify.disqualified_below", Key::DisqualifiedBelow),
];
/// How many of `FIXED` come before the activity and source settings.
const BEFORE_ACTIVITIES: usize = 12;

/// Settings `leads config` keeps beside the profile (the label of amounts, when a worked
/// lead without a next step is going cold, the seller's own mail addresses and those whose
/// mail is never logged): not scoring keys, but named and suggested
/// with them when a setting is unknown.
pub const OTHER_SETTINGS: [&str; 4] = ["currency", "agenda.cold_after", "mail.me", "mail.ignore"];

const ACTIVITY_PREFIX: &str = "engagement.activity.";
const SOURCE_PREFIX: &str = "engagement.source.";

impl Key {
    /// The setting's name.
    pub fn name(&self) -> String {
        match self {
            Key::Activity(kind) => format!("{ACTIVITY_PREFIX}{}", kind.as_str()),
            Key::Source(source) => format!("{SOURCE_PREFIX}{source}"),
            fixed => FIXED
                .iter()
                .find(|(_, key)| key == fixed)
                .map(|(name, _)| name.to_string())
                .unwrap_or_default(),
        }
    }

    /// Read a setting's name. Errors name the key and the valid ones.
    pub fn parse(text: &str) -> Result<Key, String> {
        let name = text.trim().to_ascii_lowercase();
        if let Some((_, key)) = FIXED.iter().find(|(n, _)| *n == name) {
            return Ok(key.clone());
        }
        if let Some(kind) = name.strip_prefix(ACTIVITY_PREFIX) {
            let kind = kind
                .parse::<ActivityKind>()
                .map_err(|err| format!("{name}: {err}"))?;
            if !super::profile::has_points(kind) {
                return Err(format!(
                    "{name}: {kind} has no points to set: engagement counts what the lead \
                     did, never your own attempts, and a bounce counts against"
                ));
            }
            return Ok(Key::Activity(kind));
        }
        if let Some(source) = name.strip_prefix(SOURCE_PREFIX) {
            let source = normalize_source(source);
            if !source.is_empty() {
                return Ok(Key::Source(source));
            }
        }
        Err(unknown_key_message(text.trim()))
    }
}

fn unknown_key_message(name: &str) -> String {
    let mut names: Vec<String> = FIXED.iter().map(|(n, _)| n.to_string()).collect();
    names.extend(
        ActivityKind::ALL
            .into_iter()
            .filter(|k| super::profile::has_points(*k))
            .map(|k| Key::Activity(k).name()),
    );
    names.extend(KNOWN_SOURCES.map(|s| Key::Source(s.to_string()).name()));
    names.extend(OTHER_SETTINGS.map(str::to_string));
    let lower = name.to_ascii_lowercase();
    let mut similar: Vec<(usize, &String)> = names
        .iter()
        .map(|n| (edit_distance(&lower, n), n))
        .filter(|(distance, n)| {
            *distance <= 3 || (lower.len() >= 3 && (n.contains(&lower) || lower.contains(*n)))
        })
        .collect();
    similar.sort();
    let mut message = format!("unknown setting '{name}'");
    if !similar.is_empty() {
        let similar: Vec<&str> = similar.iter().take(5).map(|(_, n)| n.as_str()).collect();
        message.push_str(&format!(" (did you mean {}?)", similar.join(", ")));
    }
    message.push_str(&format!(
        "; settings: {}, {ACTIVITY_PREFIX}<activity>, {SOURCE_PREFIX}<source>, {}",
        FIXED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
        OTHER_SETTINGS.join(", ")
    ));
    message
}

/// A setting's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Number(f64),
    Text(String),
    List(Vec<String>),
}

impl Setting {
    /// As a `key = value` line shows it: strings quoted, lists in brackets.
    pub fn to_toml(&self) -> String {
        match self {
            Setting::Number(n) => number_text(*n),
            Setting::Text(text) => quote(text),
            Setting::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| quote(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// As a person would type it back to `leads config KEY VALUE`.
    pub fn to_input(&self) -> String {
        match self {
            Setting::Number(n) => number_text(*n),
            Setting::Text(text) => text.clone(),
            Setting::List(items) => items.join(","),
        }
    }

    /// As JSON: whole numbers as integers.
    pub fn to_json(&self) -> Value {
        match self {
            Setting::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => json!(*n as i64),
            Setting::Number(n) => json!(n),
            Setting::Text(text) => json!(text),
            Setting::List(items) => json!(items),
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Every setting of the profile with its value, in listing order.
pub fn entries(profile: &Profile) -> Vec<(String, Setting)> {
    let mut keys: Vec<Key> = FIXED[..BEFORE_ACTIVITIES]
        .iter()
        .map(|(_, k)| k.clone())
        .collect();
    keys.extend(
        ActivityKind::ALL
            .into_iter()
            .filter(|k| super::profile::has_points(*k))
            .map(Key::Activity),
    );
    let mut sources: Vec<String> = KNOWN_SOURCES.iter().map(|s| s.to_string()).collect();
    sources.sort();
    for source in profile.source_points.keys() {
        if !sources.contains(source) {
            sources.push(source.clone());
        }
    }
    keys.extend(sources.into_iter().map(Key::Source));
    keys.extend(FIXED[BEFORE_ACTIVITIES..].iter().map(|(_, k)| k.clone()));
    keys.into_iter()
        .map(|k| (k.name(), get(profile, &k)))
        .collect()
}

/// The settings whose names are `prefix` or start with `prefix.` (all when empty).
pub fn entries_under(profile: &Profile, prefix: &str) -> Vec<(String, Setting)> {
    let prefix = prefix.trim().to_ascii_lowercase();
    entries(profile)
        .into_iter()
        .filter(|(name, _)| {
            prefix.is_empty() || *name == prefix || name.starts_with(&format!("{prefix}."))
        })
        .collect()
}

/// The settings as one JSON object, nested by the dots in their names (as a TOML reader
/// would read the `key = value` lines).
pub fn to_json(entries: &[(String, Setting)]) -> Value {
    let mut root = Map::new();
    for (name, setting) in entries {
        let parts: Vec<&str> = name.split('.').collect();
        let mut node = &mut root;
        for part in &parts[..parts.len() - 1] {
            let child = node
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            let Value::Object(map) = child else {
                unreachable!("just made an object")
            };
            node = map;
        }
        node.insert(parts[parts.len() - 1].to_string(), setting.to_json());
    }
    Value::Object(root)
}

/// A setting's current value.
pub fn get(profile: &Profile, key: &Key) -> Setting {
    match key {
        Key::Industries => Setting::List(profile.industries.clone()),
        Key::CompanySize => Setting::Text(format!("{}-{}", profile.size_min, profile.size_max)),
        Key::Countries => Setting::List(profile.countries.clone()),
        Key::SeniorTitles => Setting::List(profile.senior_titles.clone()),
        Key::ManagerTitles => Setting::List(profile.manager_titles.clone()),
        Key::NonBuyerTitles => Setting::List(profile.non_buyer_titles.clone()),
        Key::WeightFit => Setting::Number(profile.weight_fit),
        Key::WeightEngagement => Setting::Number(profile.weight_engagement),
        Key::WeightReadiness => Setting::Number(profile.weight_readiness),
        Key::HalfLife => Setting::Number(profile.half_life_days),
        Key::IncentiveFactor => Setting::Number(profile.incentive_factor),
        Key::UnknownSource => Setting::Number(profile.unknown_source_points),
        Key::Activity(kind) => Setting::Number(
            profile
                .activity_points
                .get(kind.as_str())
                .copied()
                .unwrap_or(0.0),
        ),
        // A source without points of its own earns the unknown-source points.
        Key::Source(source) => Setting::Number(
            profile
                .source_points
                .get(source)
                .copied()
                .unwrap_or(profile.unknown_source_points),
        ),
        Key::GradeA => Setting::Number(profile.grade_a as f64),
        Key::GradeB => Setting::Number(profile.grade_b as f64),
        Key::GradeC => Setting::Number(profile.grade_c as f64),
        Key::QualifiedAt => Setting::Number(profile.qualify_at as f64),
        Key::DisqualifiedBelow => Setting::Number(profile.disqualify_below as f64),
    }
}

/// Change one setting from the text a person typed (`default` restores the default),
/// then check the whole profile. On error the profile is left as it was.
pub fn set(profile: &Profile, key: &Key, text: &str) -> Result<Profile, String> {
    let mut changed = profile.clone();
    let name = key.name();
    if text.trim().eq_ignore_ascii_case("default") {
        restore_default(&mut changed, key);
    } else {
        assign(&mut changed, key, text).map_err(|err| format!("{name}: {err}"))?;
    }
    validate(&changed).map_err(|err| format!("{name}: {err}"))?;
    Ok(changed)
}

fn restore_default(profile: &mut Profile, key: &Key) {
    let default = Profile::default();
    match key {
        Key::Industries => profile.industries = default.industries,
        Key::CompanySize => {
            profile.size_min = default.size_min;
            profile.size_max = default.size_max;
        }
        Key::Countries => profile.countries = default.countries,
        Key::SeniorTitles => profile.senior_titles = default.senior_titles,
        Key::ManagerTitles => profile.manager_titles = default.manager_titles,
        Key::NonBuyerTitles => profile.non_buyer_titles = default.non_buyer_titles,
        Key::WeightFit => profile.weight_fit = default.weight_fit,
        Key::WeightEngagement => profile.weight_engagement = default.weight_engagement,
        Key::WeightReadiness => profile.weight_readiness = default.weight_readiness,
        Key::HalfLife => profile.half_life_days = default.half_life_days,
        Key::IncentiveFactor => profile.incentive_factor = default.incentive_factor,
        Key::UnknownSource => profile.unknown_source_points = default.unknown_source_points,
        Key::Activity(kind) => {
            let points = default.activity_points.get(kind.as_str()).copied();
            profile
                .activity_points
                .insert(kind.as_str().to_string(), points.unwrap_or(0.0));
        }
        Key::Source(source) => match default.source_points.get(source) {
            Some(points) => {
                profile.source_points.insert(source.clone(), *points);
            }
            None => {
                profile.source_points.remove(source);
            }
        },
        Key::GradeA => profile.grade_a = default.grade_a,
        Key::GradeB => profile.grade_b = default.grade_b,
        Key::GradeC => profile.grade_c = default.grade_c,
        Key::QualifiedAt => profile.qualify_at = default.qualify_at,
        Key::DisqualifiedBelow => profile.disqualify_below = default.disqualify_below,
    }
}

fn assign(profile: &mut Profile, key: &Key, text: &str) -> Result<(), String> {
    match key {
        Key::Industries => profile.industries = parse_list(text),
        Key::CompanySize => (profile.size_min, profile.size_max) = parse_range(text)?,
        Key::Countries => profile.countries = parse_list(text),
        Key::SeniorTitles => profile.senior_titles = parse_list(text),
        Key::ManagerTitles => profile.manager_titles = parse_list(text),
        Key::NonBuyerTitles => profile.non_buyer_titles = parse_list(text),
        Key::WeightFit => profile.weight_fit = parse_number(text, 0.0, f64::MAX)?,
        Key::WeightEngagement => profile.weight_engagement = parse_number(text, 0.0, f64::MAX)?,
        Key::WeightReadiness => profile.weight_readiness = parse_number(text, 0.0, f64::MAX)?,
        Key::HalfLife => profile.half_life_days = parse_positive(text)?,
        Key::IncentiveFactor => profile.incentive_factor = parse_number(text, 0.0, 1.0)?,
        Key::UnknownSource => profile.unknown_source_points = parse_number(text, 0.0, 100.0)?,
        Key::Activity(kind) => {
            let points = parse_number(text, 0.0, 100.0)?;
            profile
                .activity_points
                .insert(kind.as_str().to_string(), points);
        }
        Key::Source(source) => {
            let points = parse_number(text, 0.0, 100.0)?;
            profile.source_points.insert(source.clone(), points);
        }
        Key::GradeA => profile.grade_a = parse_score(text)?,
        Key::GradeB => profile.grade_b = parse_score(text)?,
        Key::GradeC => profile.grade_c = parse_score(text)?,
        Key::QualifiedAt => profile.qualify_at = parse_score(text)?,
        Key::DisqualifiedBelow => profile.disqualify_below = parse_score(text)?,
    }
    Ok(())
}

/// What `leads config KEY --add VALUE` and `--remove VALUE` do to a list setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListChange {
    Add,
    Remove,
}

/// The list a setting is, to change in place; None for a setting that is no list.
fn list_mut<'p>(profile: &'p mut Profile, key: &Key) -> Option<&'p mut Vec<String>> {
    match key {
        Key::Industries => Some(&mut profile.industries),
        Key::Countries => Some(&mut profile.countries),
        Key::SeniorTitles => Some(&mut profile.senior_titles),
        Key::ManagerTitles => Some(&mut profile.manager_titles),
        Key::NonBuyerTitles => Some(&mut profile.non_buyer_titles),
        _ => None,
    }
}

/// The names of the list settings, the ones `--add` and `--remove` change.
pub fn list_names() -> Vec<&'static str> {
    let mut scratch = Profile::default();
    FIXED
        .iter()
        .filter(|(_, key)| list_mut(&mut scratch, key).is_some())
        .map(|(name, _)| *name)
        .collect()
}

/// Add values to a list setting, or remove them, without retyping the list. The values
/// are read as the list itself is (comma-separated, trimmed, lower case): adding one
/// already there keeps it once, in its place; removing one that is not there is an
/// error naming the list's values, and changes nothing. A setting that is no list is an
/// error naming the list settings.
pub fn change_list(
    profile: &Profile,
    key: &Key,
    change: ListChange,
    text: &str,
) -> Result<Profile, String> {
    let name = key.name();
    let mut changed = profile.clone();
    let Some(list) = list_mut(&mut changed, key) else {
        return Err(not_a_list(&name));
    };
    let given = parse_list(text);
    let verb = match change {
        ListChange::Add => "add",
        ListChange::Remove => "remove",
    };
    if given.is_empty() {
        return Err(format!(
            "{name}: nothing to {verb} (expected a value, or several separated by commas)"
        ));
    }
    match change {
        ListChange::Add => {
            for item in given {
                if !list.contains(&item) {
                    list.push(item);
                }
            }
        }
        ListChange::Remove => {
            let missing: Vec<&String> = given.iter().filter(|item| !list.contains(item)).collect();
            if !missing.is_empty() {
                let quoted = |items: &[&String]| {
                    items
                        .iter()
                        .map(|item| format!("'{item}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let values: Vec<&String> = list.iter().collect();
                let holds = if values.is_empty() {
                    "it is empty".to_string()
                } else {
                    format!("it holds {}", quoted(&values))
                };
                return Err(format!(
                    "{name}: {} not in the list, nothing removed ({holds})",
                    match missing.as_slice() {
                        [one] => format!("'{one}' is"),
                        several => format!("{} are", quoted(several)),
                    }
                ));
            }
            list.retain(|item| !given.contains(item));
        }
    }
    validate(&changed).map_err(|err| format!("{name}: {err}"))?;
    Ok(changed)
}

/// The error for `--add` or `--remove` on a setting that is no list.
pub fn not_a_list(name: &str) -> String {
    format!(
        "{name} is not a list (--add and --remove change the list settings: {})",
        list_names().join(", ")
    )
}

/// Is this source one of the known ones? (A custom source is allowed, but worth a warning:
/// it may be a typo.)
pub fn is_custom_source(key: &Key) -> bool {
    matches!(key, Key::Source(source) if !is_known_source(source))
}

/// A comma-separated list (also `["a", "b"]` as `leads config` prints it): trimmed, lower
/// case, without repeats. Empty text is the empty list.
pub fn parse_list(text: &str) -> Vec<String> {
    let text = text.trim();
    let text = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    let mut items: Vec<String> = Vec::new();
    for item in text.split(',') {
        let item = item.trim().trim_matches('"').trim().to_lowercase();
        if !item.is_empty() && !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

/// A company size range "MIN-MAX" in employees ("10-500", "1,000 - 5,000").
pub fn parse_range(text: &str) -> Result<(i64, i64), String> {
    let bad = || {
        format!(
            "invalid company size range '{}' (expected MIN-MAX in employees, e.g. 10-500)",
            text.trim()
        )
    };
    let (min, max) = text
        .trim()
        .trim_matches('"')
        .split_once('-')
        .ok_or_else(bad)?;
    // Each end read as every company size is (`1,000`, `1.000`, `1 000`).
    let size = |part: &str| parse_company_size(part).ok().flatten().ok_or_else(bad);
    let (min, max) = (size(min)?, size(max)?);
    if min < 0 || max < min {
        return Err(format!(
            "invalid company size range '{}' (the smallest size must be 0 or more and not above the largest)",
            text.trim()
        ));
    }
    Ok((min, max))
}

fn parse_number(text: &str, min: f64, max: f64) -> Result<f64, String> {
    let value = text.trim();
    let range = if max == f64::MAX {
        format!("a number from {} up", number_text(min))
    } else {
        format!("a number from {} to {}", number_text(min), number_text(max))
    };
    match read_number(value) {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("invalid value '{value}' (expected {range})")),
    }
}

fn parse_positive(text: &str) -> Result<f64, String> {
    let value = text.trim();
    match read_number(value) {
        Ok(n) if n > 0.0 => Ok(n),
        _ => Err(format!(
            "invalid value '{value}' (expected a number of days above 0, e.g. 30)"
        )),
    }
}

fn parse_score(text: &str) -> Result<i64, String> {
    let value = text.trim();
    match value.parse::<i64>() {
        Ok(n) if (0..=100).contains(&n) => Ok(n),
        _ => Err(format!(
            "invalid value '{value}' (expected a whole number from 0 to 100)"
        )),
    }
}

/// The rules a profile obeys as a whole.
pub fn validate(profile: &Profile) -> Result<(), String> {
    let weights = [
        profile.weight_fit,
        profile.weight_engagement,
        profile.weight_readiness,
    ];
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return Err("weights must be numbers of 0 or more".into());
    }
    if weights.iter().sum::<f64>() <= 0.0 {
        return Err(
            "the weights of fit, engagement and readiness cannot all be 0 (the score would mean nothing)"
                .into(),
        );
    }
    if !(profile.grade_a > profile.grade_b && profile.grade_b > profile.grade_c) {
        return Err(format!(
            "grades must go down from A to C (now a = {}, b = {}, c = {}; expected a > b > c)",
            profile.grade_a, profile.grade_b, profile.grade_c
        ));
    }
    if profile.disqualify_below > profile.qualify_at {
        return Err(format!(
            "qualify.disqualified_below ({}) cannot be above qualify.qualified_at ({})",
            profile.disqualify_below, profile.qualify_at
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

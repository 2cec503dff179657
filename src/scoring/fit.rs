//! Fit: how well the lead matches the ideal customer profile, and the quality of its data.
//! Does not decay.
use super::{
    column_signal_points, limit, push, rule_points, sub_score, Clock, ColumnSignals, Form, Part,
    Profile,
};
use crate::model::{same_country, Lead};

pub(super) fn fit(
    lead: &Lead,
    profile: &Profile,
    columns: &ColumnSignals<'_>,
    clock: Clock,
    reasons: &mut Form,
) -> i64 {
    let industry = Targets {
        factor: "industry",
        plural: "industries",
        targets: &profile.industries,
        when_no_targets: 10.0,
        when_a_target: 20.0,
        same: |a, b| a.trim().eq_ignore_ascii_case(b.trim()),
    };
    let country = Targets {
        factor: "country",
        plural: "countries",
        targets: &profile.countries,
        when_no_targets: 8.0,
        when_a_target: 15.0,
        // "NZ" in the profile, "New Zealand" in the file.
        same: same_country,
    };
    let mut total = industry.line(known(&lead.industry), reasons);
    total += company_size(lead, profile, reasons);
    total += country.line(known(&lead.country), reasons);
    total += title(known(&lead.title), profile, reasons);
    total += known_data(lead, reasons);
    total += column_signal_points(columns, Part::Fit, reasons);
    total += rule_points(lead, profile, Part::Fit, clock, reasons);
    total += limit(Part::Fit, total, reasons);
    sub_score(total)
}

/// A line of the fit form.
fn line(reasons: &mut Form, factor: &str, value: impl FnOnce() -> String, points: f64) -> i64 {
    push(reasons, Part::Fit, factor, value, points)
}

/// A text field as the score reads it: trimmed, and None when empty.
pub(super) fn known(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A field the seller may target (industries, countries): points in the targets, none
/// outside, some when no targets are set (a known value is still worth knowing).
struct Targets<'p> {
    factor: &'static str,
    plural: &'static str,
    targets: &'p [String],
    when_no_targets: f64,
    when_a_target: f64,
    /// Is the lead's value this target?
    same: fn(&str, &str) -> bool,
}

impl Targets<'_> {
    fn line(&self, value: Option<&str>, reasons: &mut Form) -> i64 {
        let Some(value) = value else {
            return line(reasons, self.factor, || "unknown".into(), 0.0);
        };
        let (note, points) = if self.targets.is_empty() {
            ("", self.when_no_targets)
        } else if self.targets.iter().any(|target| (self.same)(target, value)) {
            ("a target", self.when_a_target)
        } else {
            ("not a target", 0.0)
        };
        let plural = self.plural;
        let shown = move || match note {
            "" => format!("{value} (no target {plural} set)"),
            note => format!("{value} ({note})"),
        };
        line(reasons, self.factor, shown, points)
    }
}

fn company_size(lead: &Lead, profile: &Profile, reasons: &mut Form) -> i64 {
    let (low, high) = (profile.size_min, profile.size_max);
    match lead.company_size {
        None => line(reasons, "company size", || "unknown".into(), 0.0),
        Some(size) if (low..=high).contains(&size) => line(
            reasons,
            "company size",
            || format!("{size} (target {low}-{high})"),
            20.0,
        ),
        Some(size) => line(
            reasons,
            "company size",
            || format!("{size} (outside {low}-{high})"),
            5.0,
        ),
    }
}

/// Not a buyer first (a "Retired CEO" signs nothing), then decision makers, influencers.
fn title(title: Option<&str>, profile: &Profile, reasons: &mut Form) -> i64 {
    let Some(title) = title else {
        return line(reasons, "title", || "unknown".into(), 0.0);
    };
    // The title's words made once for the three lists (an import scores every row).
    let words = padded_words(title);
    let (note, points) = if has_keyword(&words, &profile.non_buyer_titles) {
        ("not a buyer", 0.0)
    } else if has_keyword(&words, &profile.senior_titles) {
        ("decision maker", 20.0)
    } else if has_keyword(&words, &profile.manager_titles) {
        ("influencer", 10.0)
    } else {
        ("", 5.0)
    };
    let shown = move || match note {
        "" => title.to_string(),
        note => format!("{title} ({note})"),
    };
    line(reasons, "title", shown, points)
}

/// The quality of the lead's data: the ways to reach them and to look them up.
fn known_data(lead: &Lead, reasons: &mut Form) -> i64 {
    let data_points = [
        ("email", lead.email.is_some(), 10.0),
        ("phone", lead.phone.is_some(), 5.0),
        ("company", lead.company.is_some(), 5.0),
        ("website", lead.website.is_some(), 5.0),
    ];
    let mut total = 0;
    for (factor, present, points) in data_points {
        total += if present {
            line(reasons, factor, || "present".into(), points)
        } else {
            line(reasons, factor, || "missing".into(), 0.0)
        };
    }
    total
}

/// Does the title contain one of the keywords as whole words ("VP Sales" has "vp")?
#[cfg(test)]
pub(super) fn title_has(title: &str, keywords: &[String]) -> bool {
    has_keyword(&padded_words(title), keywords)
}

/// The title's words, lower case, single-spaced and padded: " vp sales ".
fn padded_words(title: &str) -> String {
    let mut padded = String::with_capacity(title.len() + 2);
    padded.push(' ');
    let mut push_char = |c: char| {
        if c.is_alphanumeric() || c == '-' {
            padded.push(c);
        } else if !padded.ends_with(' ') {
            padded.push(' ');
        }
    };
    if title.is_ascii() {
        // Most titles: lower-cased in place, without a lower-case copy first.
        title
            .bytes()
            .for_each(|b| push_char(char::from(b.to_ascii_lowercase())));
    } else {
        title.to_lowercase().chars().for_each(push_char);
    }
    if !padded.ends_with(' ') {
        padded.push(' ');
    }
    padded
}

/// Does the padded title (`padded_words`) contain one of the keywords as whole words?
fn has_keyword(padded: &str, keywords: &[String]) -> bool {
    // A whole word starts after a space: a keyword whose first letter starts no word of
    // the title is ruled out at once (most are: a title has two or three words, the
    // profile's lists thirty).
    let mut starts = [false; 128];
    for pair in padded.as_bytes().windows(2) {
        if pair[0] == b' ' && pair[1].is_ascii() {
            starts[usize::from(pair[1])] = true;
        }
    }
    keywords.iter().any(|keyword| {
        let keyword = keyword.trim();
        if let Some(&first) = keyword.as_bytes().first() {
            if first.is_ascii() && !starts[usize::from(first.to_ascii_lowercase())] {
                return false;
            }
        }
        // The profile's keywords are lower case already: no copy for them.
        let lower = if keyword.is_ascii() {
            !keyword.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            keyword.chars().all(|c| c.to_lowercase().eq([c]))
        };
        let keyword: std::borrow::Cow<'_, str> = if lower {
            keyword.into()
        } else {
            keyword.to_lowercase().into()
        };
        !keyword.is_empty() && has_whole(padded, &keyword)
    })
}

/// Is `keyword` in `padded` between two spaces? The matches are taken leftmost first and
/// without overlapping (as `str::match_indices` finds them), without setting up a
/// substring searcher for a few short words.
pub(super) fn has_whole(padded: &str, keyword: &str) -> bool {
    let (hay, needle) = (padded.as_bytes(), keyword.as_bytes());
    let Some(&first) = needle.first() else {
        return false;
    };
    let mut at = 0;
    // The first byte alone rules out most places: found by a plain scan, compared after.
    while let Some(offset) = hay[at..].iter().position(|&b| b == first) {
        let start = at + offset;
        if start + needle.len() > hay.len() {
            return false;
        }
        if hay[start..].starts_with(needle) {
            let end = start + needle.len();
            if start > 0 && hay[start - 1] == b' ' && hay.get(end) == Some(&b' ') {
                return true;
            }
            at = end;
        } else {
            at = start + 1;
        }
    }
    false
}

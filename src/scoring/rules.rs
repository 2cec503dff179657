//! The seller's own scoring rules: a condition on any field or imported attribute, the
//! sub-score it feeds and its points (`leads config rule add`).
//!
//! A condition is `SUBJECT OPERATOR VALUE`: `industry = software`,
//! `"Total Time Spent on Website" >= 600`, `title contains founder`. The subject is a lead
//! field by its JSON name or an attribute by its imported header (case, spaces and
//! punctuation ignored). Numbers compare as numbers, anything else as text without case
//! (ISO dates therefore compare in time order). A lead without the value never matches.
//! A list (tags) matches when any of its items does (`!=`: when none is equal).
//! Pure: the command checks names against the database, this module parses and evaluates.
use std::fmt;

use serde::{Deserialize, Serialize};

use super::Part;
use crate::io::mapping::squash;
use crate::model::Lead;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "contains")]
    Contains,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
        }
    }
}

/// One rule of the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Its number in `rule list`, kept when other rules are deleted.
    pub id: u32,
    /// A field's JSON name or an attribute's header, as typed.
    pub subject: String,
    pub op: Op,
    pub value: String,
    pub axis: Part,
    pub points: f64,
}

impl Rule {
    /// The condition as it would be typed: `"Total Time Spent on Website" >= 600`.
    pub fn condition(&self) -> String {
        let plain = |text: &str| {
            !text.is_empty() && !text.contains(|c: char| c.is_whitespace() || "=!<>\"'".contains(c))
        };
        let subject = if plain(&self.subject) {
            self.subject.clone()
        } else {
            quote(&self.subject)
        };
        // The value is the rest of the condition: plain unless quotes are needed to keep it.
        let value = if !self.value.is_empty()
            && self.value.trim() == self.value
            && !self.value.starts_with(['"', '\''])
        {
            self.value.clone()
        } else {
            quote(&self.value)
        };
        format!("{subject} {} {value}", self.op.as_str())
    }

    /// The form's factor: `rule 2: industry = software`.
    pub fn factor(&self) -> String {
        format!("rule {}: {}", self.id, self.condition())
    }

    /// Does the lead match? Returns the lead's value that matched, for the form.
    pub fn fires(&self, lead: &Lead) -> Option<String> {
        let wanted = self.value.trim();
        match subject_of(&self.subject) {
            Subject::Field(field) => {
                let values = field_values(lead, field);
                if values.is_empty() {
                    return None;
                }
                if self.op == Op::Ne {
                    let shown = values.join(", ");
                    return values
                        .iter()
                        .all(|v| compare(v, Op::Ne, wanted))
                        .then_some(shown);
                }
                values.into_iter().find(|v| compare(v, self.op, wanted))
            }
            Subject::Attribute => {
                let value = attribute(lead, &self.subject)?;
                compare(value, self.op, wanted).then(|| value.trim().to_string())
            }
        }
    }
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// The lead fields a rule can name (their JSON names).
pub const FIELDS: [&str; 24] = [
    "first_name",
    "last_name",
    "name",
    "email",
    "phone",
    "company",
    "title",
    "industry",
    "company_size",
    "country",
    "website",
    "source",
    "source_detail",
    "status",
    "tags",
    "notes",
    "external_id",
    "incentivized",
    "aware",
    "do_not_contact",
    "budget",
    "authority",
    "need",
    "timeline",
];

enum Subject {
    Field(&'static str),
    Attribute,
}

fn subject_of(name: &str) -> Subject {
    let key = name.trim().to_ascii_lowercase();
    match FIELDS.iter().find(|field| **field == key) {
        Some(field) => Subject::Field(field),
        None => Subject::Attribute,
    }
}

/// Is this a lead field's name (as rules name them)?
pub fn is_field(name: &str) -> bool {
    matches!(subject_of(name), Subject::Field(_))
}

fn field_values(lead: &Lead, field: &str) -> Vec<String> {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
            .into_iter()
            .collect()
    };
    let flag = |on: bool| vec![on.to_string()];
    match field {
        "first_name" => text(&lead.first_name),
        "last_name" => text(&lead.last_name),
        "name" => text(&Some(lead.name())),
        "email" => text(&lead.email),
        "phone" => text(&lead.phone),
        "company" => text(&lead.company),
        "title" => text(&lead.title),
        "industry" => text(&lead.industry),
        "company_size" => lead
            .company_size
            .map(|s| s.to_string())
            .into_iter()
            .collect(),
        "country" => text(&lead.country),
        "website" => text(&lead.website),
        "source" => text(&lead.source),
        "source_detail" => text(&lead.source_detail),
        "status" => vec![lead.status().as_str().to_string()],
        "tags" => lead.tags.clone(),
        "notes" => text(&lead.notes),
        "external_id" => text(&lead.external_id),
        "incentivized" => flag(lead.incentivized),
        "aware" => flag(lead.aware),
        "do_not_contact" => flag(lead.do_not_contact),
        "budget" => vec![lead.budget.as_str().to_string()],
        "authority" => vec![lead.authority.as_str().to_string()],
        "need" => text(&lead.need),
        "timeline" => lead
            .timeline
            .map(|t| t.format("%Y-%m-%d").to_string())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// The attribute a rule names: by its exact header, else ignoring case and punctuation.
fn attribute<'l>(lead: &'l Lead, name: &str) -> Option<&'l str> {
    let name = name.trim();
    let value = match lead.attributes.get(name) {
        Some(value) => value,
        None => {
            let key = squash(name);
            lead.attributes
                .iter()
                .find(|(header, _)| squash(header) == key)
                .map(|(_, value)| value)?
        }
    };
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

fn compare(have: &str, op: Op, wanted: &str) -> bool {
    let have = have.trim();
    if op == Op::Contains {
        return have.to_lowercase().contains(&wanted.to_lowercase());
    }
    let ordering = match (number(have), number(wanted)) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ => Some(have.to_lowercase().cmp(&wanted.to_lowercase())),
    };
    let Some(ordering) = ordering else {
        return false;
    };
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ordering == Equal,
        Op::Ne => ordering != Equal,
        Op::Lt => ordering == Less,
        Op::Le => ordering != Greater,
        Op::Gt => ordering == Greater,
        Op::Ge => ordering != Less,
        Op::Contains => false,
    }
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A condition as typed: `SUBJECT OP VALUE`, the subject and value optionally quoted.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub subject: String,
    pub op: Op,
    pub value: String,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.subject, self.op.as_str(), self.value)
    }
}

const EXPECTED: &str = "expected SUBJECT OPERATOR VALUE, e.g. 'industry = software' or \
     '\"Total Time Spent on Website\" >= 600' (operators: = != < <= > >= contains)";

/// Parse `industry = software`, `"Total Time Spent on Website" >= 600`, `title contains vp`.
pub fn parse_condition(text: &str) -> Result<Condition, String> {
    let text = text.trim();
    let (subject, rest) = if let Some(quote) =
        text.chars().next().filter(|c| *c == '"' || *c == '\'')
    {
        let inner = &text[1..];
        let end = inner
            .find(quote)
            .ok_or_else(|| format!("'{text}': the quote {quote} is never closed; {EXPECTED}"))?;
        (inner[..end].to_string(), inner[end + 1..].trim_start())
    } else {
        // The subject runs up to the operator.
        let at = operator_at(text).ok_or_else(|| format!("'{text}': no operator; {EXPECTED}"))?;
        (text[..at].trim().to_string(), &text[at..])
    };
    if subject.trim().is_empty() {
        return Err(format!(
            "'{text}': no field or attribute before the operator; {EXPECTED}"
        ));
    }
    let (op, value) = split_operator(rest)
        .ok_or_else(|| format!("'{text}': no operator after '{subject}'; {EXPECTED}"))?;
    let value = unquote(value.trim());
    if value.is_empty() {
        return Err(format!(
            "'{text}': no value after '{}'; {EXPECTED}",
            op.as_str()
        ));
    }
    Ok(Condition {
        subject: subject.trim().to_string(),
        op,
        value,
    })
}

/// Where the first operator of an unquoted condition starts.
fn operator_at(text: &str) -> Option<usize> {
    let symbol = text.find(['=', '!', '<', '>']);
    let word = text
        .to_ascii_lowercase()
        .find(" contains ")
        .map(|at| at + 1);
    match (symbol, word) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn split_operator(text: &str) -> Option<(Op, &str)> {
    let ops = [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("!=", Op::Ne),
        ("==", Op::Eq),
        ("=", Op::Eq),
        ("<", Op::Lt),
        (">", Op::Gt),
    ];
    for (symbol, op) in ops {
        if let Some(rest) = text.strip_prefix(symbol) {
            return Some((op, rest));
        }
    }
    let lower = text.get(..8)?.to_ascii_lowercase();
    (lower == "contains" && text[8..].starts_with(char::is_whitespace))
        .then(|| (Op::Contains, &text[8..]))
}

fn unquote(text: &str) -> String {
    for quote in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            return text[1..text.len() - 1].to_string();
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Rule {
        let condition = parse_condition(text).expect("a condition");
        Rule {
            id: 1,
            subject: condition.subject,
            op: condition.op,
            value: condition.value,
            axis: Part::Fit,
            points: 10.0,
        }
    }

    #[test]
    fn conditions_parse() {
        let cases = [
            ("industry = software", ("industry", Op::Eq, "software")),
            ("industry=software", ("industry", Op::Eq, "software")),
            (
                "\"Total Time Spent on Website\" >= 600",
                ("Total Time Spent on Website", Op::Ge, "600"),
            ),
            (
                "'Lead Origin' != 'Lead Import'",
                ("Lead Origin", Op::Ne, "Lead Import"),
            ),
            (
                "Lead Origin != Lead Import",
                ("Lead Origin", Op::Ne, "Lead Import"),
            ),
            ("title contains founder", ("title", Op::Contains, "founder")),
            ("company_size < 50", ("company_size", Op::Lt, "50")),
            ("company_size <= 50", ("company_size", Op::Le, "50")),
            ("company_size > 50", ("company_size", Op::Gt, "50")),
            ("tags == vip", ("tags", Op::Eq, "vip")),
        ];
        for (text, (subject, op, value)) in cases {
            let condition = parse_condition(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (
                    condition.subject.as_str(),
                    condition.op,
                    condition.value.as_str()
                ),
                (subject, op, value),
                "{text}"
            );
        }
        for bad in [
            "industry",
            "= software",
            "industry =",
            "\"Total Time >= 600",
            "",
        ] {
            assert!(parse_condition(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rules_match_fields_and_attributes() {
        let mut lead = Lead {
            first_name: Some("Ada".into()),
            industry: Some("Software".into()),
            company_size: Some(40),
            tags: vec!["vip".into(), "expo".into()],
            ..Lead::default()
        };
        lead.attributes
            .insert("Total Time Spent on Website".into(), "674".into());
        lead.attributes
            .insert("Last Activity".into(), "SMS Sent".into());
        let cases = [
            ("industry = software", Some("Software")),
            ("industry != software", None),
            ("industry != retail", Some("Software")),
            ("company_size < 50", Some("40")),
            ("company_size >= 50", None),
            ("tags = vip", Some("vip")),
            ("tags != vip", None),
            ("tags != cold", Some("vip, expo")),
            ("\"Total Time Spent on Website\" >= 600", Some("674")),
            ("\"total time spent on website\" > 674", None),
            ("\"Last Activity\" contains sms", Some("SMS Sent")),
            ("country = gb", None),
            ("\"No Such Column\" != x", None),
            ("do_not_contact = false", Some("false")),
        ];
        for (text, expected) in cases {
            assert_eq!(rule(text).fires(&lead).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn conditions_print_as_typed_back() {
        for text in [
            "industry = software",
            "\"Total Time Spent on Website\" >= 600",
            "title contains \"vice president\"",
        ] {
            let printed = rule(text).condition();
            assert_eq!(rule(&printed), rule(text), "{text} -> {printed}");
        }
    }
}

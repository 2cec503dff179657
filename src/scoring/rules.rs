//! The seller's own scoring rules: a condition on any field or imported attribute, the
//! sub-score it feeds and its points (`leads config rule add`).
//!
//! A condition is `SUBJECT OPERATOR VALUE`: `industry = software`,
//! `"Total Time Spent on Website" >= 600`, `title contains founder`. The subject is a lead
//! field by its JSON name or an attribute by its imported header (case, spaces and
//! punctuation ignored). Operators are the seven of `Op`; operator characters typed
//! together (`=>`, `==`) are one bad operator, and a value beginning with one is quoted.
//! With a number as the value, `< <= > >=` match only cells that read as numbers (the
//! one reader, `model::read_cell_number`: "1,234.5", "2,5", "$5,000", "12.5%"; a cell
//! that reads two ways, "1,234", is no number); anything else compares as text without case (ISO
//! dates therefore in time order). Date fields are read on the user's calendar (the
//! `Clock`). A lead without the value never matches. A list (tags) matches when any of
//! its items does (`!=`: when none is equal).
//! Pure: the command checks names against the database, this module parses and evaluates.
use std::fmt;

use serde::{Deserialize, Serialize};

use super::signals::number;
use super::{Clock, Part};
use crate::model::squash;
use crate::model::{read_number, rule_fields, same_country, Field, Lead, Unread};

/// A text in double quotes, as TOML and JSON write it (the profile's and the rules' form).
pub(super) fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

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
    /// `< <= > >=`: the operators that order values.
    pub fn is_ordered(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }

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
            !text.is_empty()
                && !text.contains(|c: char| c.is_whitespace() || "=!<>~\"'".contains(c))
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
            && !self.value.starts_with(OPERATOR_CHARS)
        {
            self.value.clone()
        } else {
            quote(&self.value)
        };
        format!("{subject} {} {value}", self.op.as_str())
    }

    /// The same condition on the same sub-score: `Industry = Software` is `industry =
    /// software`, `600` is `600.0` (the points may differ: it would count twice).
    pub fn same_as(&self, other: &Rule) -> bool {
        let same_value = match (number(&self.value), number(&other.value)) {
            (Some(a), Some(b)) => a == b,
            _ => self.value.trim().to_lowercase() == other.value.trim().to_lowercase(),
        };
        self.axis == other.axis
            && self.op == other.op
            && squash(&self.subject) == squash(&other.subject)
            && same_value
    }

    /// The form's factor: `rule 2: industry = software`.
    pub fn factor(&self) -> String {
        format!("rule {}: {}", self.id, self.condition())
    }

    /// Does the lead match? Returns the lead's value that matched, for the form. Dates
    /// are read on the user's calendar (`clock`): a timeline of 1 April is 2026-04-01
    /// wherever its UTC moment falls.
    pub fn fires(&self, lead: &Lead, clock: Clock) -> Option<String> {
        let wanted = self.value.trim();
        match subject_of(&self.subject) {
            Subject::Field(field) => {
                let values = field_values(lead, field, clock);
                if values.is_empty() {
                    return None;
                }
                // A country is the same however it is written: `country = nz` matches
                // "New Zealand".
                let matches = |value: &str, op: Op| match (field, op) {
                    (Field::Country, Op::Eq) => same_country(value, wanted),
                    (Field::Country, Op::Ne) => !same_country(value, wanted),
                    _ => compare(value, op, wanted),
                };
                if self.op == Op::Ne {
                    let shown = values.join(", ");
                    return values.iter().all(|v| matches(v, Op::Ne)).then_some(shown);
                }
                values.into_iter().find(|v| matches(v, self.op))
            }
            Subject::Attribute => {
                let value = attribute(lead, &self.subject)?;
                compare(value, self.op, wanted).then(|| value.trim().to_string())
            }
        }
    }
}

enum Subject {
    Field(Field),
    Attribute,
}

fn subject_of(name: &str) -> Subject {
    let key = name.trim().to_ascii_lowercase();
    match rule_fields().find(|field| field.name() == key) {
        Some(field) => Subject::Field(field),
        None => Subject::Attribute,
    }
}

/// The lead field a rule names (by its JSON name, without case: the fields marked `RULE`
/// in `model::FIELDS`); `None` for an attribute.
pub fn field_named(name: &str) -> Option<Field> {
    match subject_of(name) {
        Subject::Field(field) => Some(field),
        Subject::Attribute => None,
    }
}

/// Is this a lead field's name (as rules name them)?
pub fn is_field(name: &str) -> bool {
    field_named(name).is_some()
}

/// The values a rule compares: text trimmed (none when empty), flags `true`/`false`, dates
/// `YYYY-MM-DD` on the user's calendar, tags one by one.
fn field_values(lead: &Lead, field: Field, clock: Clock) -> Vec<String> {
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
    let day = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|at| clock.date(at).format("%Y-%m-%d").to_string())
            .into_iter()
            .collect()
    };
    match field {
        Field::FirstName => text(&lead.first_name),
        Field::LastName => text(&lead.last_name),
        Field::Name => text(&Some(lead.name())),
        Field::Email => text(&lead.email),
        Field::Phone => text(&lead.phone),
        Field::Company => text(&lead.company),
        Field::Title => text(&lead.title),
        Field::Industry => text(&lead.industry),
        Field::CompanySize => lead
            .company_size
            .map(|s| s.to_string())
            .into_iter()
            .collect(),
        Field::Country => text(&lead.country),
        Field::Website => text(&lead.website),
        Field::Source => text(&lead.source),
        Field::SourceDetail => text(&lead.source_detail),
        Field::Status => vec![lead.status().as_str().to_string()],
        Field::Tags => lead.tags.clone(),
        Field::Notes => text(&lead.notes),
        Field::ExternalId => text(&lead.external_id),
        Field::Incentivized => flag(lead.incentivized),
        Field::Aware => flag(lead.aware),
        Field::DoNotContact => flag(lead.do_not_contact),
        Field::Budget => vec![lead.budget.as_str().to_string()],
        Field::Authority => vec![lead.authority.as_str().to_string()],
        Field::Need => text(&lead.need),
        Field::Owner => text(&lead.owner),
        Field::Timeline => day(lead.timeline),
        Field::CreatedAt => day(lead.created_at),
        Field::UpdatedAt => day(lead.updated_at),
        // Not named by rules (see `FIELDS`): computed, or a map of their own.
        Field::Id
        | Field::Attributes
        | Field::Fit
        | Field::Engagement
        | Field::Readiness
        | Field::Score
        | Field::Grade
        | Field::WinProbability
        | Field::NextFollowUp
        | Field::LastTouchAt
        | Field::DealValue
        | Field::Forgotten => Vec::new(),
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

/// Numbers as `model::read_cell_number` reads them ("12", "3.5", "1.234,5", "2,5",
/// "$5,000", "12.5%"; "1,234" reads two ways and is no number). With a number as the
/// rule's value, `< <= > >=` only match cells that read as numbers; anything else
/// compares as text without case (ISO dates in time order).
fn compare(have: &str, op: Op, wanted: &str) -> bool {
    let have = have.trim();
    if op == Op::Contains {
        return have.to_lowercase().contains(&wanted.to_lowercase());
    }
    let ordering = match (number(have), number(wanted)) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        (None, Some(_)) if op.is_ordered() => None,
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

/// A rule's value that reads as a number but is none a comparison can use (`NaN`,
/// `inf`, `1e400`) is refused, and so is one that reads two ways (`4,500`: no currency
/// says whether it is 4500 or 4.5).
pub fn check_number(value: &str) -> Result<(), String> {
    if let Err(Unread::TwoWays(message)) = read_number(value) {
        return Err(message);
    }
    match value.trim().to_ascii_lowercase().parse::<f64>() {
        Ok(n) if !n.is_finite() => Err(format!(
            "'{}': expected a finite number (or a text that is no number)",
            value.trim()
        )),
        _ => Ok(()),
    }
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

const OPERATORS: &str = "= != < <= > >= contains";

const EXPECTED: &str = "expected SUBJECT OPERATOR VALUE, e.g. 'industry = software' or \
     '\"Total Time Spent on Website\" >= 600' (operators: = != < <= > >= contains)";

/// The characters operators are made of: a value that begins with one must be quoted,
/// so that `industry => software` is a bad operator, not `industry = "> software"`.
const OPERATOR_CHARS: [char; 5] = ['=', '!', '<', '>', '~'];

/// Parse `industry = software`, `"Total Time Spent on Website" >= 600`, `title contains vp`.
pub fn parse_condition(text: &str) -> Result<Condition, String> {
    let text = text.trim();
    let (subject, rest) = if let Some(quote) = text.chars().next().filter(|c| is_quote(*c)) {
        let inner = &text[1..];
        let end = inner.find(quote).ok_or_else(|| unclosed(text, 0, quote))?;
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
    let (op, value) = split_operator(text, rest)?
        .ok_or_else(|| format!("'{text}': no operator after '{subject}'; {EXPECTED}"))?;
    let value_at = text.len() - value.trim_start().len();
    let value = unquote(text, value.trim(), value_at)?;
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

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// A quote opened at byte `at` of `text` and never closed; the message counts characters.
fn unclosed(text: &str, at: usize, quote: char) -> String {
    let column = text[..at].chars().count() + 1;
    format!(
        "'{text}': the quote {quote} at character {column} ({}) is never closed",
        &text[at..]
    )
}

/// Where the first operator of an unquoted condition starts.
fn operator_at(text: &str) -> Option<usize> {
    let symbol = text.find(OPERATOR_CHARS);
    let word = text
        .to_ascii_lowercase()
        .find(" contains ")
        .map(|at| at + 1);
    match (symbol, word) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The operator at the start of `rest` and what follows it. Operator characters typed
/// together (`=>`, `==`, `<>`, `!= =`) are one operator, refused unless it is one of
/// the seven.
fn split_operator<'t>(text: &str, rest: &'t str) -> Result<Option<(Op, &'t str)>, String> {
    if rest.starts_with(OPERATOR_CHARS) {
        // The operator runs over operator characters and the spaces between them.
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            if OPERATOR_CHARS.contains(&c) {
                end = i + c.len_utf8();
            } else if !c.is_whitespace() {
                break;
            }
        }
        let symbol = &rest[..end];
        let op = match symbol {
            "=" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => {
                return Err(format!(
                    "'{text}': bad operator '{symbol}' (operators: {OPERATORS}; a value that \
                     begins with = ! < > or ~ must be quoted)"
                ))
            }
        };
        return Ok(Some((op, &rest[end..])));
    }
    let Some(word) = rest.get(..8) else {
        return Ok(None);
    };
    let value = &rest[8..];
    if !word.eq_ignore_ascii_case("contains") || !value.starts_with(char::is_whitespace) {
        return Ok(None);
    }
    if let Some(first) = value
        .trim_start()
        .chars()
        .next()
        .filter(|c| OPERATOR_CHARS.contains(c))
    {
        return Err(format!(
            "'{text}': bad operator 'contains {first}' (operators: {OPERATORS}; a value that \
             begins with = ! < > or ~ must be quoted)"
        ));
    }
    Ok(Some((Op::Contains, value)))
}

/// The value, without its quotes when quoted; a quote opened and never closed is refused,
/// as in the subject. `at` is where the value starts in `text`.
fn unquote(text: &str, value: &str, at: usize) -> Result<String, String> {
    let Some(quote) = value.chars().next().filter(|c| is_quote(*c)) else {
        return Ok(value.to_string());
    };
    match value[1..].find(quote) {
        None => Err(unclosed(text, at, quote)),
        Some(end) if end + 2 == value.len() => Ok(value[1..=end].to_string()),
        Some(end) => Err(format!(
            "'{text}': text after the closing quote {quote}: '{}' (quote the whole value)",
            &value[end + 2..]
        )),
    }
}

#[cfg(test)]
mod tests;

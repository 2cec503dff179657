//! The value parsers: a flag's text becomes a domain value (a checked WHEN, a `Status`, a
//! `Grade`...) when the command line is parsed, and the names they take feed the help
//! and the completions.
use std::ffi::OsStr;
use std::marker::PhantomData;
use std::ops::Deref;

use chrono::Local;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::ValueEnum;

use crate::dates;
use crate::model::LeadOrder;
use crate::model::{ActivityKind, Answer, CallOutcome, Grade, Status, Unread, KNOWN_SOURCES};
use crate::scoring::Part;

/// A WHEN as typed, checked against the clock when the command line is parsed; the
/// command reads it against the same clock (`Ctx::when`), so "+3d" means one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When(String);

impl Deref for When {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// A WHEN for something to come (`--due`, `--until`).
pub(super) fn when(text: &str) -> Result<When, String> {
    dates::parse_when(text, dates::now()?, &Local)?;
    Ok(When(text.to_string()))
}

/// A WHEN for something past (`--since`, `log --at`): a weekday is the latest one.
pub(super) fn past_when(text: &str) -> Result<When, String> {
    dates::parse_past_when(text, dates::now()?, &Local)?;
    Ok(When(text.to_string()))
}

/// A purchase timeline: a WHEN, a quarter or a month (`Q2`, `april`), or `unknown` (or
/// nothing) to clear it.
pub(super) fn timeline(text: &str) -> Result<When, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("unknown") {
        return Ok(When(trimmed.to_string()));
    }
    dates::parse_timeline(text, dates::now()?, &Local)?;
    Ok(When(text.to_string()))
}

/// The domain types a flag can name, with their canonical names for help and completions.
pub trait DomainValue: std::str::FromStr<Err = String> + Clone + Send + Sync + 'static {
    fn names() -> Vec<&'static str>;
}

impl DomainValue for Status {
    fn names() -> Vec<&'static str> {
        Status::ALL.iter().map(|s| s.as_str()).collect()
    }
}

impl DomainValue for ActivityKind {
    fn names() -> Vec<&'static str> {
        ActivityKind::ALL.iter().map(|k| k.as_str()).collect()
    }
}

impl DomainValue for CallOutcome {
    fn names() -> Vec<&'static str> {
        CallOutcome::ALL.iter().map(|o| o.as_str()).collect()
    }
}

impl DomainValue for Answer {
    fn names() -> Vec<&'static str> {
        vec!["yes", "no", "unknown"]
    }
}

/// Parses a domain type with its own `FromStr` (synonyms and did-you-mean included) and
/// lists its canonical names as clap's possible values.
#[derive(Clone)]
pub struct Named<T>(PhantomData<T>);

impl<T: DomainValue> Named<T> {
    pub fn new() -> Self {
        Named(PhantomData)
    }
}

impl<T: DomainValue> Default for Named<T> {
    fn default() -> Self {
        Named::new()
    }
}

impl<T: DomainValue> TypedValueParser for Named<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // A plain function parser words the error as clap does ("invalid value ... for ...").
        let parse = |text: &str| text.parse::<T>();
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::names().into_iter().map(PossibleValue::new)))
    }
}

/// A source: any name is kept (normalized later), but the known ones are offered to
/// completions.
#[derive(Clone)]
pub struct SourceParser;

impl TypedValueParser for SourceParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            KNOWN_SOURCES.iter().map(|s| PossibleValue::new(*s)),
        ))
    }
}

/// The grades a `--grade` flag takes (and completions offer): A, B, C, D.
/// `list --sort`: the orders of `store::LeadOrder` a person may ask for (`Id`, the export's
/// order, is not one), each with its help line.
impl ValueEnum for LeadOrder {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            LeadOrder::Score,
            LeadOrder::Created,
            LeadOrder::Name,
            LeadOrder::FollowUp,
            LeadOrder::Win,
            LeadOrder::Touch,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            LeadOrder::Score => ("score", "Highest score first"),
            LeadOrder::Created => ("created", "Newest first"),
            LeadOrder::Name => ("name", "Alphabetically by name"),
            LeadOrder::FollowUp => ("follow-up", "Earliest next follow-up first"),
            LeadOrder::Win => ("win", "Highest learned win probability first"),
            LeadOrder::Touch => (
                "touch",
                "Longest untouched first (never touched: since added)",
            ),
            LeadOrder::Id => return None,
        };
        Some(PossibleValue::new(name).help(help))
    }
}

/// `rule add --axis`: the sub-score a rule feeds, named as the form names it.
impl ValueEnum for Part {
    fn value_variants<'a>() -> &'a [Self] {
        &[Part::Fit, Part::Engagement, Part::Readiness]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()))
    }
}

impl ValueEnum for Grade {
    fn value_variants<'a>() -> &'a [Self] {
        &Grade::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }))
    }
}

/// An id: any whole number (an unknown one is "not found" later, exit 3); anything else
/// is refused naming the value and what an id looks like.
fn id(text: &str, what: &str, listed_by: &str) -> Result<i64, String> {
    text.trim().parse().map_err(|_| {
        let hint = if listed_by.is_empty() {
            String::new()
        } else {
            format!("; see {listed_by}")
        };
        format!("'{text}' is not {what} (a whole number such as 12{hint})")
    })
}

/// A lead's id (`show 12`, `--lead 12`).
pub(super) fn lead_id(text: &str) -> Result<i64, String> {
    id(text, "a lead id", "")
}

/// An activity's id (`activity delete 3`).
pub(super) fn activity_id(text: &str) -> Result<i64, String> {
    id(text, "an activity id", "leads show ID")
}

/// A follow-up's id (`follow-up done 3`).
pub(super) fn follow_up_id(text: &str) -> Result<i64, String> {
    id(text, "a follow-up id", "leads follow-up list")
}

/// An import batch's id (`import --undo 2`).
pub(super) fn batch_id(text: &str) -> Result<i64, String> {
    id(text, "an import batch id", "leads import --list")
}

/// A spend's id (`spend delete 1`).
pub(super) fn spend_id(text: &str) -> Result<i64, String> {
    id(text, "a spend id", "leads spend list")
}

/// A scoring rule's id (`config rule delete 1`).
pub(super) fn rule_id(text: &str) -> Result<i64, String> {
    id(text, "a rule id", "leads config rule list")
}

/// `--limit N`: a count from 0.
pub(super) fn limit(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .ok()
        .filter(|n| *n <= 1_000_000_000_000)
        .ok_or_else(|| {
            format!("'{text}' is not a count of leads (a whole number from 0, such as 50)")
        })
}

/// `--min-score SCORE`: a score from 0 to 100.
pub(super) fn score(text: &str) -> Result<i64, String> {
    text.trim()
        .parse()
        .ok()
        .filter(|n| (0..=100).contains(n))
        .ok_or_else(|| {
            format!("'{text}' is not a score (a whole number from 0 to 100, such as 40)")
        })
}

/// A rule's `--points`: a number (the command checks its range, and refuses the
/// infinite and NaN that pass here so that its message names the range).
pub(super) fn points(text: &str) -> Result<f64, String> {
    match crate::model::read_number(text) {
        Ok(points) => Ok(points),
        Err(Unread::TwoWays(message)) => Err(message),
        Err(Unread::NotANumber) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| !n.is_finite())
            .ok_or_else(|| {
                format!(
                    "'{text}' is not a number of points (a number from -100 to 100, such as \
                     10 or -5)"
                )
            }),
    }
}

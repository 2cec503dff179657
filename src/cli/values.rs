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
use crate::model::{ActivityKind, Answer, Grade, Status, KNOWN_SOURCES};
use crate::store::LeadOrder;

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
    dates::parse_when(text, crate::clock().map_err(|err| err.to_string())?, &Local)?;
    Ok(When(text.to_string()))
}

/// A WHEN for something past (`--since`, `log --at`): a weekday is the latest one.
pub(super) fn past_when(text: &str) -> Result<When, String> {
    dates::parse_past_when(text, crate::clock().map_err(|err| err.to_string())?, &Local)?;
    Ok(When(text.to_string()))
}

/// A purchase timeline: a WHEN, or `unknown` (or nothing) to clear it.
pub(super) fn timeline(text: &str) -> Result<When, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("unknown") {
        return Ok(When(trimmed.to_string()));
    }
    when(text)
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
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            LeadOrder::Score => ("score", "Highest score first"),
            LeadOrder::Created => ("created", "Newest first"),
            LeadOrder::Name => ("name", "Alphabetically by name"),
            LeadOrder::FollowUp => ("follow-up", "Earliest next follow-up first"),
            LeadOrder::Win => ("win", "Highest learned win probability first"),
            LeadOrder::Id => return None,
        };
        Some(PossibleValue::new(name).help(help))
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

//! The qualification answers (budget, authority, need, timeline) and their history.
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::{rfc3339, Lead};

/// A yes/no/unknown qualification answer (budget, authority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Answer {
    Yes,
    No,
    #[default]
    Unknown,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }
}

impl FromStr for Answer {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => Ok(Answer::Yes),
            "no" | "n" | "false" => Ok(Answer::No),
            "unknown" | "?" | "" => Ok(Answer::Unknown),
            _ => Err(format!(
                "unknown answer '{text}' (expected yes, no or unknown)"
            )),
        }
    }
}

/// The qualification answers as given at one time (`leads qualify`).
#[derive(Debug, Clone, PartialEq)]
pub struct Qualification {
    pub at: DateTime<Utc>,
    pub budget: Answer,
    pub authority: Answer,
    pub need: Option<String>,
    pub timeline: Option<DateTime<Utc>>,
}

impl Qualification {
    /// The answers a lead holds now, as recorded at `at`.
    pub fn of(lead: &Lead, at: DateTime<Utc>) -> Qualification {
        Qualification {
            at,
            budget: lead.budget,
            authority: lead.authority,
            need: lead.need.clone(),
            timeline: lead.timeline,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "at": rfc3339(self.at),
            "budget": self.budget.as_str(),
            "authority": self.authority.as_str(),
            "need": self.need,
            "timeline": self.timeline.map(rfc3339),
        })
    }
}

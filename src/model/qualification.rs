//! The qualification answers (budget, authority, need, timeline) and their history.
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::{read_yes_no, rfc3339, Lead};

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
        // Yes and no as everywhere (a Salesforce checkbox exports `1`); else unknown.
        match read_yes_no(text) {
            Some(true) => return Ok(Answer::Yes),
            Some(false) => return Ok(Answer::No),
            None => {}
        }
        match text.trim().to_ascii_lowercase().as_str() {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers read yes and no as flags do: a CRM's checkbox column (`1`, `checked`)
    /// imports as an answer, not as an unusable value.
    #[test]
    fn answers_read_the_yes_no_words() {
        for (text, answer) in [
            ("yes", Answer::Yes),
            ("TRUE", Answer::Yes),
            ("1", Answer::Yes),
            ("checked", Answer::Yes),
            ("n", Answer::No),
            ("0", Answer::No),
            ("unknown", Answer::Unknown),
            ("?", Answer::Unknown),
            ("", Answer::Unknown),
        ] {
            assert_eq!(text.parse::<Answer>(), Ok(answer), "{text}");
        }
        assert_eq!(
            "maybe".parse::<Answer>(),
            Err("unknown answer 'maybe' (expected yes, no or unknown)".to_string())
        );
    }
}

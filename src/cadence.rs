//! Nurturing cadences: named lists of steps ("0d email_sent: send the e-book"), the
//! enrollment of a lead in one, and why an enrollment ended. Types and parsing; no I/O.
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::dates::{parse_delay, Interval};
use crate::model::{rfc3339, ActivityKind};

/// What a step looks like, for error messages.
pub const STEP_FORM: &str = "a step is \"DELAY KIND[: NOTE]\", e.g. \"0d email_sent: send the \
e-book\", \"3d call: ask how it went\", \"1w email_sent: webinar invite\" (DELAY: 0d, 3d, 2w, \
1mo; KIND: an activity kind)";

/// One step of a cadence: after `delay`, do an activity of `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// From the start (first step) or from the moment the previous step was done.
    pub delay: Interval,
    pub kind: ActivityKind,
    pub note: Option<String>,
}

impl Step {
    /// What the step's follow-up says to do: "call: ask how it went" ("call" alone).
    pub fn task(&self) -> String {
        match &self.note {
            Some(note) => format!("{}: {note}", self.kind),
            None => self.kind.to_string(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "delay": self.delay.to_string(),
            "kind": self.kind.as_str(),
            "note": self.note,
        })
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.delay, self.task())
    }
}

impl FromStr for Step {
    type Err = String;

    /// "DELAY KIND[: NOTE]"; the delay may be written "3 days" as well as "3d".
    fn from_str(text: &str) -> Result<Step, String> {
        let bad = |why: String| format!("invalid step '{text}': {why}; {STEP_FORM}");
        let (head, note) = match text.split_once(':') {
            Some((head, note)) => (head, Some(note.trim())),
            None => (text, None),
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        if words.len() < 2 {
            return Err(bad("it needs a delay and a kind".into()));
        }
        // "3d call" or "3 days call": the delay is the first word, or the first two.
        let (delay, rest) = match parse_delay(words[0]) {
            Ok(delay) => (delay, &words[1..]),
            Err(err) if words.len() < 3 => return Err(bad(err)),
            Err(err) => match parse_delay(&words[..2].join(" ")) {
                Ok(delay) => (delay, &words[2..]),
                Err(_) => return Err(bad(err)),
            },
        };
        let kind: ActivityKind = rest.join(" ").parse().map_err(bad)?;
        Ok(Step {
            delay,
            kind,
            note: note.filter(|n| !n.is_empty()).map(String::from),
        })
    }
}

/// A named list of steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadence {
    pub id: i64,
    pub name: String,
    pub steps: Vec<Step>,
    pub created_at: DateTime<Utc>,
}

impl Cadence {
    /// Step `number` (1-based), if the cadence has it.
    pub fn step(&self, number: u32) -> Option<&Step> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.steps.get(index)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "steps": self.steps.iter().map(Step::to_json).collect::<Vec<_>>(),
            "created_at": rfc3339(self.created_at),
        })
    }
}

/// Why an enrollment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// Every step was done.
    Completed,
    /// The lead answered: an email reply, a meeting or a demo was logged.
    Replied,
    /// A connected call (an answer, as a reply is).
    Call,
    Meeting,
    Demo,
    Qualified,
    Won,
    Lost,
    Disqualified,
    DoNotContact,
    Forgotten,
    /// Taken out by hand (`nurture stop`).
    Stopped,
    /// The cadence itself was deleted.
    CadenceDeleted,
    /// The lead was merged into another that had a cadence of its own (`leads merge`):
    /// a lead is in one cadence at most.
    Merged,
}

impl EndReason {
    pub const ALL: [EndReason; 14] = [
        EndReason::Completed,
        EndReason::Replied,
        EndReason::Call,
        EndReason::Meeting,
        EndReason::Demo,
        EndReason::Qualified,
        EndReason::Won,
        EndReason::Lost,
        EndReason::Disqualified,
        EndReason::DoNotContact,
        EndReason::Forgotten,
        EndReason::Stopped,
        EndReason::CadenceDeleted,
        EndReason::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Completed => "completed",
            EndReason::Replied => "replied",
            EndReason::Call => "call",
            EndReason::Meeting => "meeting",
            EndReason::Demo => "demo",
            EndReason::Qualified => "qualified",
            EndReason::Won => "won",
            EndReason::Lost => "lost",
            EndReason::Disqualified => "disqualified",
            EndReason::DoNotContact => "do_not_contact",
            EndReason::Forgotten => "forgotten",
            EndReason::Stopped => "stopped",
            EndReason::CadenceDeleted => "cadence_deleted",
            EndReason::Merged => "merged",
        }
    }

    /// The stored name back; None for a name this version does not know.
    pub fn named(name: &str) -> Option<EndReason> {
        EndReason::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The lead answered (the cadence did its job).
    pub fn is_answer(self) -> bool {
        matches!(
            self,
            EndReason::Replied | EndReason::Call | EndReason::Meeting | EndReason::Demo
        )
    }
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A lead's time in a cadence.
#[derive(Debug, Clone, PartialEq)]
pub struct Enrollment {
    pub id: i64,
    pub lead_id: i64,
    /// The lead's display name.
    pub name: String,
    pub cadence: String,
    /// The next step (1-based); meaningless once ended.
    pub step: u32,
    /// How many steps the cadence has.
    pub steps: u32,
    /// When the next step is due (its open follow-up).
    pub next_due: Option<DateTime<Utc>>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<EndReason>,
    /// What was said when it was stopped by hand (`nurture stop --reason`).
    pub end_note: Option<String>,
    /// The lead must not be contacted (a table marks it).
    pub do_not_contact: bool,
    /// The lead is a forgotten person's anonymous row (a table marks it).
    pub forgotten: bool,
}

impl Enrollment {
    pub fn is_active(&self) -> bool {
        self.ended_at.is_none()
    }

    /// The contract's JSON shape (`nurture list --format json`).
    pub fn to_json(&self) -> Value {
        json!({
            "lead_id": self.lead_id,
            "name": self.name,
            "cadence": self.cadence,
            "step": self.is_active().then_some(self.step),
            "steps": self.steps,
            "next_due": self.next_due.filter(|_| self.is_active()).map(rfc3339),
            "started_at": rfc3339(self.started_at),
            "ended_at": self.ended_at.map(rfc3339),
            "end_reason": self.end_reason.map(EndReason::as_str),
        })
    }
}

/// A follow-up that is a step of a cadence (kept with the follow-up, in `model`).
pub use crate::model::StepOf;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_written() {
        let cases = [
            (
                "0d email_sent: send the e-book",
                Interval::Days(0),
                ActivityKind::EmailSent,
                Some("send the e-book"),
            ),
            (
                "3d call: ask how it went",
                Interval::Days(3),
                ActivityKind::Call,
                Some("ask how it went"),
            ),
            (
                "1w email_sent: webinar invite",
                Interval::Weeks(1),
                ActivityKind::EmailSent,
                Some("webinar invite"),
            ),
            ("2w call", Interval::Weeks(2), ActivityKind::Call, None),
            (
                "3 days Phone Call:  ",
                Interval::Days(3),
                ActivityKind::Call,
                None,
            ),
            (
                " 1mo meeting: agenda: pricing ",
                Interval::Months(1),
                ActivityKind::Meeting,
                Some("agenda: pricing"),
            ),
        ];
        for (text, delay, kind, note) in cases {
            let step: Step = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                step,
                Step {
                    delay,
                    kind,
                    note: note.map(String::from)
                },
                "{text}"
            );
        }
        let step: Step = "3d call: ask".parse().unwrap();
        assert_eq!(step.to_string(), "3d call: ask");
        assert_eq!(step.task(), "call: ask");
    }

    #[test]
    fn malformed_steps_say_what_a_step_looks_like() {
        let cases = [
            ("", "it needs a delay and a kind"),
            ("call", "it needs a delay and a kind"),
            ("3d", "it needs a delay and a kind"),
            ("soon call: hi", "invalid interval 'soon'"),
            ("3d cal: hi", "(did you mean 'call'?)"),
            ("-1d call", "invalid interval '-1d'"),
            ("3d lunch", "unknown activity 'lunch'"),
        ];
        for (text, why) in cases {
            let err = text.parse::<Step>().unwrap_err();
            assert!(err.starts_with(&format!("invalid step '{text}'")), "{err}");
            assert!(err.contains(why), "{text}: {err}");
            assert!(err.contains("DELAY KIND[: NOTE]"), "{err}");
        }
    }

    #[test]
    fn end_reasons_read_back_by_name() {
        for reason in EndReason::ALL {
            assert_eq!(EndReason::named(reason.as_str()), Some(reason));
        }
        let answers: Vec<_> = EndReason::ALL
            .into_iter()
            .filter(|r| r.is_answer())
            .collect();
        assert_eq!(
            answers,
            [
                EndReason::Replied,
                EndReason::Call,
                EndReason::Meeting,
                EndReason::Demo
            ]
        );
    }
}

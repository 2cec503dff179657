//! What happened with a lead: the kinds of activity, a call's outcome, one logged
//! activity, and the one definition of an answer, an attempt and a touch (DESIGN's Domain)
//! that the agenda, engagement, cadence exits and mail all use.
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::{did_you_mean, normalize_key, rfc3339};

/// Something that happened with a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActivityKind {
    EmailSent,
    EmailOpened,
    EmailReplied,
    EmailBounced,
    Call,
    Meeting,
    Demo,
    Visit,
    Download,
    Webinar,
    Event,
    Form,
    Note,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 13] = [
        ActivityKind::EmailSent,
        ActivityKind::EmailOpened,
        ActivityKind::EmailReplied,
        ActivityKind::EmailBounced,
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Demo,
        ActivityKind::Visit,
        ActivityKind::Download,
        ActivityKind::Webinar,
        ActivityKind::Event,
        ActivityKind::Form,
        ActivityKind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::EmailSent => "email_sent",
            ActivityKind::EmailOpened => "email_opened",
            ActivityKind::EmailReplied => "email_replied",
            ActivityKind::EmailBounced => "email_bounced",
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Demo => "demo",
            ActivityKind::Visit => "visit",
            ActivityKind::Download => "download",
            ActivityKind::Webinar => "webinar",
            ActivityKind::Event => "event",
            ActivityKind::Form => "form",
            ActivityKind::Note => "note",
        }
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActivityKind {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = normalize_key(text);
        let key = match key.as_str() {
            "email" => "email_sent",
            "reply" | "replied" => "email_replied",
            "opened" | "open" => "email_opened",
            "bounce" | "bounced" => "email_bounced",
            "phone" | "phone_call" => "call",
            "website_visit" | "site_visit" => "visit",
            other => other,
        };
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| {
                let names = ActivityKind::ALL.map(|k| k.as_str());
                format!(
                    "unknown activity '{text}'{} (expected one of: {})",
                    did_you_mean(key, &names),
                    names.join(", ")
                )
            })
    }
}

/// How a call went. Only calls have one; a call logged before outcomes existed is
/// `Connected`, as a call was then taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallOutcome {
    Connected,
    NoAnswer,
    Voicemail,
    WrongNumber,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 4] = [
        CallOutcome::Connected,
        CallOutcome::NoAnswer,
        CallOutcome::Voicemail,
        CallOutcome::WrongNumber,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Connected => "connected",
            CallOutcome::NoAnswer => "no_answer",
            CallOutcome::Voicemail => "voicemail",
            CallOutcome::WrongNumber => "wrong_number",
        }
    }

    /// How a table says it: "no answer".
    pub fn words(self) -> &'static str {
        match self {
            CallOutcome::Connected => "connected",
            CallOutcome::NoAnswer => "no answer",
            CallOutcome::Voicemail => "voicemail",
            CallOutcome::WrongNumber => "wrong number",
        }
    }
}

impl fmt::Display for CallOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CallOutcome {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = normalize_key(text);
        let key = match key.as_str() {
            "answered" | "reached" | "talked" | "spoke" => "connected",
            "noanswer" | "no_reply" | "unanswered" | "missed" => "no_answer",
            "vm" | "voice_mail" | "left_voicemail" | "left_message" => "voicemail",
            "wrong" | "wrongnumber" | "bad_number" => "wrong_number",
            other => other,
        };
        CallOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == key)
            .ok_or_else(|| {
                let names = CallOutcome::ALL.map(|o| o.as_str());
                format!(
                    "unknown call outcome '{text}'{} (expected one of: {})",
                    did_you_mean(key, &names),
                    names.join(", ")
                )
            })
    }
}

/// What a touch was: the lead responding, or the seller reaching out without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// `email_replied`, `meeting`, `demo`, a `connected` call.
    Answer,
    /// `email_sent`, a call with no answer, a voicemail or a wrong number.
    Attempt,
}

impl ActivityKind {
    /// The one definition of a touch (DESIGN's Domain). `outcome` matters for calls only;
    /// a call without one is connected. Opens, visits, downloads, forms, webinars, events,
    /// bounces and notes are no touch.
    pub fn touch(self, outcome: Option<CallOutcome>) -> Option<Touch> {
        match self {
            ActivityKind::EmailReplied | ActivityKind::Meeting | ActivityKind::Demo => {
                Some(Touch::Answer)
            }
            ActivityKind::Call => match outcome.unwrap_or(CallOutcome::Connected) {
                CallOutcome::Connected => Some(Touch::Answer),
                _ => Some(Touch::Attempt),
            },
            ActivityKind::EmailSent => Some(Touch::Attempt),
            _ => None,
        }
    }

    /// The kinds that can be a touch with some outcome, for SQL that must find touches.
    pub fn touch_kinds() -> impl Iterator<Item = ActivityKind> {
        ActivityKind::ALL.into_iter().filter(|kind| {
            CallOutcome::ALL
                .into_iter()
                .any(|outcome| kind.touch(Some(outcome)).is_some())
        })
    }

    /// Only a call has an outcome.
    pub fn takes_outcome(self) -> bool {
        self == ActivityKind::Call
    }

    /// What a next follow-up after this touch will be: the same touch when it is one the
    /// seller can plan (a call, an email, a meeting, a demo), else a call. Nobody plans a
    /// reply, an open or a bounce: a follow-up of that kind would log one, done.
    pub fn next_touch(self) -> ActivityKind {
        match self {
            ActivityKind::Call
            | ActivityKind::EmailSent
            | ActivityKind::Meeting
            | ActivityKind::Demo => self,
            _ => ActivityKind::Call,
        }
    }
}

/// Something that happened with a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: i64,
    pub lead_id: i64,
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    /// How a call went (None for every other kind).
    pub outcome: Option<CallOutcome>,
    /// Who logged it (`LEADS_USER`, else the login name); None before it was recorded.
    pub by: Option<String>,
}

impl Activity {
    /// An activity of `kind` at `at`, nothing else known (tests, scoring examples).
    pub fn new(lead_id: i64, kind: ActivityKind, at: DateTime<Utc>) -> Activity {
        Activity {
            id: 0,
            lead_id,
            kind,
            at,
            note: None,
            outcome: kind.takes_outcome().then_some(CallOutcome::Connected),
            by: None,
        }
    }

    /// Whether it is a touch, and which.
    pub fn touch(&self) -> Option<Touch> {
        self.kind.touch(self.outcome)
    }

    /// "call (no answer)", "email_replied": the kind, with a call's outcome when it is not
    /// plainly connected.
    pub fn describe(&self) -> String {
        match self.outcome {
            Some(outcome) if outcome != CallOutcome::Connected => {
                format!("{} ({})", self.kind, outcome.words())
            }
            _ => self.kind.to_string(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "lead_id": self.lead_id,
            "kind": self.kind.as_str(),
            "at": rfc3339(self.at),
            "note": self.note,
            "outcome": self.outcome.map(CallOutcome::as_str),
            "by": self.by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_attempts_and_touches_are_as_the_domain_defines_them() {
        use CallOutcome::*;
        let cases = [
            (ActivityKind::EmailReplied, None, Some(Touch::Answer)),
            (ActivityKind::Meeting, None, Some(Touch::Answer)),
            (ActivityKind::Demo, None, Some(Touch::Answer)),
            (ActivityKind::Call, Some(Connected), Some(Touch::Answer)),
            (ActivityKind::Call, None, Some(Touch::Answer)),
            (ActivityKind::Call, Some(NoAnswer), Some(Touch::Attempt)),
            (ActivityKind::Call, Some(Voicemail), Some(Touch::Attempt)),
            (ActivityKind::Call, Some(WrongNumber), Some(Touch::Attempt)),
            (ActivityKind::EmailSent, None, Some(Touch::Attempt)),
            (ActivityKind::EmailOpened, None, None),
            (ActivityKind::EmailBounced, None, None),
            (ActivityKind::Visit, None, None),
            (ActivityKind::Download, None, None),
            (ActivityKind::Form, None, None),
            (ActivityKind::Webinar, None, None),
            (ActivityKind::Event, None, None),
            (ActivityKind::Note, None, None),
        ];
        for (kind, outcome, touch) in cases {
            assert_eq!(kind.touch(outcome), touch, "{kind} {outcome:?}");
        }
        let kinds: Vec<_> = ActivityKind::touch_kinds().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds,
            ["email_sent", "email_replied", "call", "meeting", "demo"]
        );
    }

    #[test]
    fn outcomes_read_as_sellers_say_them() {
        assert_eq!("no answer".parse(), Ok(CallOutcome::NoAnswer));
        assert_eq!("VM".parse(), Ok(CallOutcome::Voicemail));
        assert_eq!("wrong-number".parse(), Ok(CallOutcome::WrongNumber));
        let err = "voicemial".parse::<CallOutcome>().unwrap_err();
        assert!(err.contains("did you mean 'voicemail'"), "{err}");
        assert!(
            err.contains("connected, no_answer, voicemail, wrong_number"),
            "{err}"
        );
    }
}

//! What happened with a lead: the kinds of activity and one logged activity.
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
    pub const ALL: [ActivityKind; 12] = [
        ActivityKind::EmailSent,
        ActivityKind::EmailOpened,
        ActivityKind::EmailReplied,
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

/// Something that happened with a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: i64,
    pub lead_id: i64,
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

impl Activity {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "lead_id": self.lead_id,
            "kind": self.kind.as_str(),
            "at": rfc3339(self.at),
            "note": self.note,
        })
    }
}

//! What must happen next with a lead.
use chrono::{DateTime, NaiveTime, Utc};
use serde_json::{json, Value};

use super::{rfc3339, ActivityKind};
use crate::dates::Interval;

/// A follow-up that is a step of a cadence: which one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOf {
    pub enrollment_id: i64,
    pub cadence: String,
    /// 1-based.
    pub step: u32,
}

/// What must happen next with a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: i64,
    pub lead_id: i64,
    /// The lead's display name.
    pub name: String,
    pub due_at: DateTime<Utc>,
    pub note: Option<String>,
    /// How often it repeats once done, if it does.
    pub every: Option<Interval>,
    /// A recurrence's time of day as the seller asked for it (local wall-clock time), kept
    /// across changes of summer time; None: the next keeps this one's time of day.
    pub local_time: Option<NaiveTime>,
    pub done_at: Option<DateTime<Utc>>,
    /// The cadence step it is, if it is one (`leads nurture`).
    pub step_of: Option<StepOf>,
    /// The touch it will be: what `follow-up done` logs. None for a follow-up made before
    /// follow-ups had kinds (done, it logs nothing unless told a kind).
    pub kind: Option<ActivityKind>,
}

impl FollowUp {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "lead_id": self.lead_id,
            "name": self.name,
            "due_at": rfc3339(self.due_at),
            "note": self.note,
            "every": self.every.map(|every| every.to_string()),
            "done_at": self.done_at.map(rfc3339),
            "cadence": self.step_of.as_ref().map(|s| s.cadence.as_str()),
            "step": self.step_of.as_ref().map(|s| s.step),
            "kind": self.kind.map(ActivityKind::as_str),
        })
    }
}

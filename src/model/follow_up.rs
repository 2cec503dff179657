//! What must happen next with a lead.
use chrono::{DateTime, NaiveTime, Utc};
use serde_json::{json, Map, Value};

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
    /// The contract's JSON shape.
    pub fn to_json(&self) -> Value {
        self.to_json_of(|_| true)
    }

    /// The keys of the contract's JSON that `keep` names, in its order: a table or a CSV
    /// shows a few, and builds only those.
    pub fn to_json_of(&self, keep: impl Fn(&str) -> bool) -> Value {
        let mut object = Map::with_capacity(10);
        let mut put = |key: &str, value: &dyn Fn() -> Value| {
            if keep(key) {
                object.insert(key.to_string(), value());
            }
        };
        let step_of = self.step_of.as_ref();
        put("id", &|| json!(self.id));
        put("lead_id", &|| json!(self.lead_id));
        put("name", &|| json!(self.name));
        put("due_at", &|| json!(rfc3339(self.due_at)));
        put("note", &|| json!(self.note));
        put("every", &|| {
            json!(self.every.map(|every| every.to_string()))
        });
        put("done_at", &|| json!(self.done_at.map(rfc3339)));
        put("cadence", &|| json!(step_of.map(|s| s.cadence.as_str())));
        put("step", &|| json!(step_of.map(|s| s.step)));
        put("kind", &|| json!(self.kind.map(ActivityKind::as_str)));
        Value::Object(object)
    }
}

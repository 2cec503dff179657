//! Follow-ups: what must happen next with a lead.
use anyhow::Result;

use super::{from_text, opt_from_text, Store};
use crate::model::FollowUp;

/// Columns read by `follow_up_from_row`; `name` is the lead's display name.
pub(super) const FOLLOW_UP_COLUMNS: &str = "f.id, f.lead_id,
    COALESCE(NULLIF(TRIM(COALESCE(l.first_name, '') || ' ' || COALESCE(l.last_name, '')), ''),
             l.company, l.email, l.phone, l.external_id, ''),
    f.due_at, f.note, f.every, f.done_at";

pub(super) fn follow_up_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: row.get(0)?,
        lead_id: row.get(1)?,
        name: row.get(2)?,
        due_at: from_text(&row.get::<_, String>(3)?)?,
        note: row.get(4)?,
        every: row.get(5)?,
        done_at: opt_from_text(row.get(6)?)?,
    })
}

impl Store {
    /// A lead's follow-ups, open ones first, each by due time.
    pub fn follow_ups_of_lead(&self, lead_id: i64) -> Result<Vec<FollowUp>> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups f JOIN leads l ON l.id = f.lead_id
             WHERE f.lead_id = ?1 ORDER BY f.done_at IS NOT NULL, f.due_at, f.id"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([lead_id], follow_up_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

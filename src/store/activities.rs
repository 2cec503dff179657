//! Activities (what happened with a lead) and status changes (moves in the pipeline).
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{from_text, to_text, Store};
use crate::model::{Activity, ActivityKind, Status, StatusChange};

fn activity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Activity> {
    let kind: String = row.get(2)?;
    Ok(Activity {
        id: row.get(0)?,
        lead_id: row.get(1)?,
        kind: kind.parse().unwrap_or(ActivityKind::Note),
        at: super::date_at(row, 3)?,
        note: row.get(4)?,
    })
}

impl Store {
    /// Record an activity; returns its id.
    pub fn add_activity(
        &self,
        lead_id: i64,
        kind: ActivityKind,
        at: DateTime<Utc>,
        note: Option<&str>,
    ) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO activities (lead_id, kind, at, note) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![lead_id, kind.as_str(), to_text(at), note])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// A lead's activities, oldest first.
    pub fn activities(&self, lead_id: i64) -> Result<Vec<Activity>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, lead_id, kind, at, note FROM activities WHERE lead_id = ?1 ORDER BY at, id",
        )?;
        let rows = statement.query_map([lead_id], activity_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every activity of a lead that is still open, for rescoring.
    pub(super) fn for_each_activity_of_open_leads(
        &self,
        mut each: impl FnMut(Activity),
    ) -> Result<()> {
        let mut statement = self.conn.prepare(concat!(
            "SELECT a.id, a.lead_id, a.kind, a.at, a.note FROM activities a
             JOIN leads l ON l.id = a.lead_id
             WHERE l.status NOT IN ",
            closed!()
        ))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            each(activity_from_row(row)?);
        }
        Ok(())
    }

    /// Record a move in the pipeline and set the lead's status.
    pub fn change_status(
        &self,
        lead_id: i64,
        from: Option<Status>,
        to: Status,
        at: DateTime<Utc>,
        reason: Option<&str>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO status_changes (lead_id, from_status, to_status, at, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                lead_id,
                from.map(|s| s.as_str()),
                to.as_str(),
                to_text(at),
                reason
            ])?;
        self.conn
            .prepare_cached("UPDATE leads SET status = ?1, updated_at = ?2 WHERE id = ?3")?
            .execute(params![to.as_str(), to_text(at), lead_id])?;
        Ok(())
    }

    /// A lead's moves in the pipeline, oldest first.
    pub fn status_changes(&self, lead_id: i64) -> Result<Vec<StatusChange>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT from_status, to_status, at, reason FROM status_changes
             WHERE lead_id = ?1 ORDER BY at, id",
        )?;
        let rows = statement.query_map([lead_id], |row| {
            let from: Option<String> = row.get(0)?;
            let to: String = row.get(1)?;
            Ok(StatusChange {
                from: from.and_then(|s| s.parse().ok()),
                to: to.parse().unwrap_or(Status::New),
                at: from_text(&row.get::<_, String>(2)?)?,
                reason: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

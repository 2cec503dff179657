//! Import batches after the fact: `import --list` and `import --undo`.
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::error::not_found;
use crate::store::{to_text, Store};

/// An import batch, as `import --list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub at: String,
    pub file: String,
    pub imported: u64,
    pub updated: u64,
    pub undone_at: Option<String>,
}

/// What undoing a batch would remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoPlan {
    /// The leads the batch created that are still there.
    pub leads: u64,
    /// Those of them worked on since the import (activities, follow-ups, answers,
    /// status moves, edits), by id.
    pub worked_on: Vec<i64>,
    /// When the batch was undone already.
    pub undone_at: Option<String>,
}

/// What `--undo` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// The leads the batch created were removed: how many.
    Removed(u64),
    /// The batch had been undone already, at this time (RFC 3339).
    AlreadyUndone(String),
}

impl Store {
    /// Every import batch, oldest first.
    pub fn import_batches(&self) -> Result<Vec<Batch>> {
        let mut statement = self.conn.prepare(
            "SELECT id, started_at, source_name, imported, updated, undone_at
             FROM import_batches ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Batch {
                id: row.get(0)?,
                at: row.get(1)?,
                file: row.get(2)?,
                imported: row.get(3)?,
                updated: row.get(4)?,
                undone_at: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What undoing a batch would remove, and which of its leads were worked on since.
    pub fn undo_plan(&self, batch: i64) -> Result<UndoPlan> {
        let Some(undone_at) = self.batch_undone_at(batch)? else {
            return Err(not_found(format!("no import batch {batch}")));
        };
        let leads: u64 = self.conn.query_row(
            "SELECT count(*) FROM leads WHERE batch_id = ?1",
            [batch],
            |row| row.get(0),
        )?;
        let mut statement = self.conn.prepare(
            "SELECT l.id FROM leads l JOIN import_batches b ON b.id = l.batch_id
             WHERE l.batch_id = ?1 AND (
                l.updated_at > b.started_at
                OR EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = l.id)
                OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.lead_id = l.id)
                OR EXISTS (SELECT 1 FROM qualifications q WHERE q.lead_id = l.id)
                OR EXISTS (SELECT 1 FROM status_changes s
                           WHERE s.lead_id = l.id AND s.from_status IS NOT NULL))
             ORDER BY l.id",
        )?;
        let worked_on = statement
            .query_map([batch], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(UndoPlan {
            leads,
            worked_on,
            undone_at,
        })
    }

    /// Remove the leads an import batch created (their activities and follow-ups go
    /// with them). Leads it only updated stay as they are. Call inside `write`.
    pub fn undo_batch(&self, batch: i64, now: DateTime<Utc>) -> Result<Undo> {
        match self.batch_undone_at(batch)? {
            None => Err(not_found(format!("no import batch {batch}"))),
            Some(Some(at)) => Ok(Undo::AlreadyUndone(at)),
            Some(None) => {
                self.keep_highest_lead_ids()?;
                let removed = self
                    .conn
                    .prepare_cached("DELETE FROM leads WHERE batch_id = ?1")?
                    .execute([batch])?;
                self.conn
                    .prepare_cached("UPDATE import_batches SET undone_at = ?1 WHERE id = ?2")?
                    .execute(params![to_text(now), batch])?;
                Ok(Undo::Removed(removed as u64))
            }
        }
    }

    /// A batch's undo time: None when there is no such batch, Some(None) when it stands.
    fn batch_undone_at(&self, batch: i64) -> Result<Option<Option<String>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT undone_at FROM import_batches WHERE id = ?1")?
            .query_row([batch], |row| row.get(0))
            .optional()?)
    }
}

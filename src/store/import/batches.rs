//! Import batches after the fact: `import --list` and `import --undo`, which removes the
//! leads a batch created and puts back the fields of those it updated, from the
//! before-image each update kept (`import_updates`).
use std::sync::LazyLock;

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::error::not_found;
use crate::store::leads::writable_column_names;
use crate::store::sql::{params, OptionalExtension};
use crate::store::{to_text, Store};

/// Keep a lead's columns as a JSON object (?1 batch, ?2 lead, ?3 the update's time), the
/// first time a batch updates it; a second update in the same batch only moves the time.
static KEEP_BEFORE_IMAGE: LazyLock<String> = LazyLock::new(|| keep_before_image("json_object"));
/// PostgreSQL's: its json_object is another function.
static KEEP_BEFORE_IMAGE_PG: LazyLock<String> =
    LazyLock::new(|| keep_before_image("json_build_object"));

fn keep_before_image(json_object: &str) -> String {
    let pairs: Vec<String> = writable_column_names()
        .map(|column| format!("'{column}', {column}"))
        .collect();
    format!(
        "INSERT INTO import_updates (batch_id, lead_id, before, updated_at)
         SELECT ?1, id, CAST({json_object}({}) AS TEXT), ?3 FROM leads WHERE id = ?2
         ON CONFLICT (batch_id, lead_id) DO UPDATE SET updated_at = excluded.updated_at",
        pairs.join(", ")
    )
}

/// Put back the columns of the leads batch ?1 updated (those still there). A column an
/// older release did not keep in its before-images (`owner`) is not in them: it stays as
/// it is rather than being emptied (a kept NULL is JSON null, a missing key is none).
static RESTORE_BEFORE_IMAGES: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = writable_column_names()
        .map(|column| {
            format!(
                "{column} = CASE WHEN json_type(u.before, '$.{column}') IS NULL THEN leads.{column} \
                 ELSE json_extract(u.before, '$.{column}') END"
            )
        })
        .collect();
    format!(
        "UPDATE leads SET {} FROM import_updates u
         WHERE u.batch_id = ?1 AND u.lead_id = leads.id",
        sets.join(", ")
    )
});
/// PostgreSQL's: the kept values read once a lead, back in their columns' types, by
/// `jsonb_populate_record` over the table's own row type.
static RESTORE_BEFORE_IMAGES_PG: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = writable_column_names()
        .map(|column| {
            format!(
                "{column} = CASE WHEN jsonb_exists(kept.doc, '{column}') \
                 THEN was.{column} ELSE leads.{column} END"
            )
        })
        .collect();
    format!(
        "UPDATE leads SET {} FROM import_updates u,
             LATERAL (SELECT u.before::jsonb AS doc) kept,
             LATERAL jsonb_populate_record(NULL::leads, kept.doc) was
         WHERE u.batch_id = ?1 AND u.lead_id = leads.id",
        sets.join(", ")
    )
});

/// An import batch, as `import --list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub at: String,
    pub file: String,
    pub imported: u64,
    pub updated: u64,
    pub undone_at: Option<String>,
    /// Who ran the import (`LEADS_USER`); None before it was recorded.
    pub by: Option<String>,
}

/// What undoing a batch would remove and restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoPlan {
    /// The leads the batch created that are still there.
    pub leads: u64,
    /// Those of them worked on since the import (activities, follow-ups, answers,
    /// status moves, edits), by id.
    pub worked_on: Vec<i64>,
    /// The leads the batch updated that are still there (and not created by it).
    pub restores: u64,
    /// Those of them edited since the import (by hand or by a later import), by id.
    pub edited: Vec<i64>,
    /// When the batch was undone already.
    pub undone_at: Option<String>,
}

/// What `--undo` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// The leads the batch created were removed, those it updated restored: how many.
    Undone { removed: u64, restored: u64 },
    /// The batch had been undone already, at this time (RFC 3339).
    AlreadyUndone(String),
}

impl Store {
    /// Every import batch, oldest first.
    pub fn import_batches(&self) -> Result<Vec<Batch>> {
        let mut statement = self.conn.prepare(
            "SELECT id, started_at, source_name, imported, updated, undone_at, imported_by
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
                by: row.get(6)?,
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
        let restores: u64 = self.conn.query_row(
            "SELECT count(*) FROM import_updates u JOIN leads l ON l.id = u.lead_id
             WHERE u.batch_id = ?1 AND l.batch_id IS NOT ?1",
            [batch],
            |row| row.get(0),
        )?;
        let mut statement = self.conn.prepare(
            "SELECT l.id FROM import_updates u JOIN leads l ON l.id = u.lead_id
             WHERE u.batch_id = ?1 AND l.batch_id IS NOT ?1 AND l.updated_at > u.updated_at
             ORDER BY l.id",
        )?;
        let edited = statement
            .query_map([batch], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(UndoPlan {
            leads,
            worked_on,
            restores,
            edited,
            undone_at,
        })
    }

    /// Keep the lead's fields as they are before `batch` updates it (see `import --undo`).
    pub(crate) fn keep_before_image(
        &self,
        batch: i64,
        lead: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(if self.conn.is_postgres() {
                &KEEP_BEFORE_IMAGE_PG
            } else {
                &KEEP_BEFORE_IMAGE
            })?
            .execute(params![batch, lead, to_text(now)])?;
        Ok(())
    }

    /// Remove the leads an import batch created (their activities and follow-ups go
    /// with them), and put back the fields of the leads it updated as they were before
    /// (edited since or not: the caller asked), with the moves in the pipeline it made.
    /// Call inside `write`.
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
                // The batch's own moves (`Importer::update` records them at its start).
                self.conn
                    .prepare_cached(
                        "DELETE FROM status_changes
                         WHERE reason = 'import'
                           AND at = (SELECT started_at FROM import_batches WHERE id = ?1)
                           AND lead_id IN (SELECT lead_id FROM import_updates
                                           WHERE batch_id = ?1)",
                    )?
                    .execute([batch])?;
                let restored = self
                    .conn
                    .prepare_cached(if self.conn.is_postgres() {
                        &RESTORE_BEFORE_IMAGES_PG
                    } else {
                        &RESTORE_BEFORE_IMAGES
                    })?
                    .execute([batch])?;
                self.conn
                    .prepare_cached("DELETE FROM import_updates WHERE batch_id = ?1")?
                    .execute([batch])?;
                self.conn
                    .prepare_cached("UPDATE import_batches SET undone_at = ?1 WHERE id = ?2")?
                    .execute(params![to_text(now), batch])?;
                Ok(Undo::Undone {
                    removed: removed as u64,
                    restored: restored as u64,
                })
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

//! Merging duplicate leads (`leads merge`) and reading what duplicates are found by
//! (`leads duplicates`). The rules (which field wins, which cadence stays, which batch the
//! lead belongs to) are `workflows::merge`'s; this moves the rows.
use anyhow::Result;

use super::sql::{params, OptionalExtension};
use super::Store;
use crate::error::not_found;
use crate::model::Lead;

/// What a merge moved onto the lead kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    pub activities: u64,
    pub follow_ups: u64,
    pub status_changes: u64,
    pub qualifications: u64,
    pub enrollments: u64,
}

/// What duplicates are recognised by: a lead's identity columns, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The import batch that created the lead.
    pub batch: Option<i64>,
}

/// The tables whose rows belong to a lead and move with a merge, with what they count.
const MOVED_TABLES: [&str; 5] = [
    "activities",
    "follow_ups",
    "status_changes",
    "qualifications",
    "enrollments",
];

impl Store {
    /// The import batch that created a lead (None: added by hand, or merged from leads of
    /// several batches).
    pub fn batch_of(&self, lead_id: i64) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT batch_id FROM leads WHERE id = ?1")?
            .query_row([lead_id], |row| row.get(0))
            .optional()?
            .ok_or_else(|| not_found(format!("no lead with id {lead_id}")))
    }

    /// Fold the leads `others` into `merged` (the kept lead, its fields already merged):
    /// their activities, follow-ups, status history, qualification answers and
    /// enrollments move over, the others are deleted (their ids never given again), and
    /// the kept lead is saved with `batch` as its import batch, its next follow-up and
    /// last touch brought in step. At most one enrollment may be active among them all:
    /// the caller ends the others first. Call inside `write`.
    pub fn merge_leads(&self, merged: &Lead, others: &[i64], batch: Option<i64>) -> Result<Moved> {
        let mut moved = Moved::default();
        for &other in others {
            for table in MOVED_TABLES {
                let count = self
                    .conn
                    .prepare_cached(&format!(
                        "UPDATE {table} SET lead_id = ?1 WHERE lead_id = ?2"
                    ))?
                    .execute(params![merged.id, other])? as u64;
                let total = match table {
                    "activities" => &mut moved.activities,
                    "follow_ups" => &mut moved.follow_ups,
                    "status_changes" => &mut moved.status_changes,
                    "qualifications" => &mut moved.qualifications,
                    _ => &mut moved.enrollments,
                };
                *total += count;
            }
        }
        // Their before-images (`import --undo`) hold their own fields, not the kept lead's:
        // they go with them.
        self.keep_highest_lead_ids()?;
        for &other in others {
            let deleted = self
                .conn
                .prepare_cached("DELETE FROM leads WHERE id = ?1")?
                .execute([other])?;
            if deleted == 0 {
                return Err(not_found(format!("no lead with id {other}")));
            }
        }
        self.update_lead(merged)?;
        self.conn
            .prepare_cached("UPDATE leads SET batch_id = ?1 WHERE id = ?2")?
            .execute(params![batch, merged.id])?;
        self.sync_next_follow_up(merged.id)?;
        self.sync_touches(merged.id)?;
        Ok(moved)
    }

    /// Every lead that is not a forgotten person's row, by id, with what duplicates are
    /// recognised by; streamed (a hundred thousand leads cost no more than their keys).
    pub fn for_each_identity(&self, mut each: impl FnMut(Identity)) -> Result<()> {
        let mut statement = self.conn.prepare(
            "SELECT id, first_name, last_name, company, email, phone, batch_id FROM leads
             WHERE forgotten_at IS NULL ORDER BY id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            each(Identity {
                id: row.get(0)?,
                first_name: row.get(1)?,
                last_name: row.get(2)?,
                company: row.get(3)?,
                email: row.get(4)?,
                phone: row.get(5)?,
                batch: row.get(6)?,
            });
        }
        Ok(())
    }
}

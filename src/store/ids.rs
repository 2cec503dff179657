//! Ids are never given twice. SQLite gives a new row the highest id + 1, so deleting the
//! newest lead (`delete`, `import --undo`), follow-up or spend would hand its id to the
//! next one, and "lead 15" in a script, a note, a crontab or an earlier message would name
//! someone else. Before rows are deleted, the highest id the table has given is kept in
//! `settings`; a new row that took an id at or below it moves above it, at once, before
//! anything refers to it.
use anyhow::Result;

use super::sql::{params, OptionalExtension};
use super::Store;

/// The tables whose ids people quote.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ids {
    Leads,
    FollowUps,
    Spend,
    /// `activity edit|delete AID` quote them.
    Activities,
}

impl Ids {
    fn table(self) -> &'static str {
        match self {
            Ids::Leads => "leads",
            Ids::FollowUps => "follow_ups",
            Ids::Spend => "spend",
            Ids::Activities => "activities",
        }
    }

    /// Where the highest id given is kept.
    fn key(self) -> &'static str {
        match self {
            Ids::Leads => "ids.leads",
            Ids::FollowUps => "ids.follow_ups",
            Ids::Spend => "ids.spend",
            Ids::Activities => "ids.activities",
        }
    }
}

impl Store {
    /// Before deleting rows: remember the highest id the table has given (with the one
    /// kept already). Call inside the deleting transaction.
    pub(crate) fn keep_highest_id(&self, ids: Ids) -> Result<()> {
        // An empty table has no highest id: the SELECT gives no row, nothing is kept.
        let sql = format!(
            "INSERT INTO settings (key, value)
             SELECT ?1, max(id) FROM {} WHERE true HAVING max(id) IS NOT NULL
             ON CONFLICT (key) DO UPDATE
             SET value = CASE WHEN CAST(settings.value AS INTEGER) > CAST(excluded.value AS INTEGER)
                         THEN settings.value ELSE excluded.value END",
            ids.table()
        );
        self.conn
            .prepare_cached(&sql)?
            .execute(params![ids.key()])?;
        Ok(())
    }

    /// Before deleting leads: their follow-ups go with them, so both tables keep theirs.
    pub(crate) fn keep_highest_lead_ids(&self) -> Result<()> {
        self.keep_highest_id(Ids::Leads)?;
        self.keep_highest_id(Ids::Activities)?;
        self.keep_highest_id(Ids::FollowUps)
    }

    /// The id the next new row of the table gets: above every row there and every id
    /// given before (an importer that gives ids itself, see `Importer::create`).
    pub(crate) fn next_id(&self, ids: Ids) -> Result<i64> {
        // Two columns, not SQLite's max(a, b), which PostgreSQL calls greatest.
        let sql = format!(
            "SELECT coalesce((SELECT max(id) FROM {}), 0),
                    coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?1), 0)",
            ids.table()
        );
        let (there, given): (i64, i64) = self
            .conn
            .prepare_cached(&sql)?
            .query_row([ids.key()], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(there.max(given) + 1)
    }

    /// A row just inserted with `id`: when a deleted row had that id or a higher one, it
    /// moves above them all. Returns the row's id. Inserting many rows in one
    /// transaction, only the first needs this: the next ones follow it.
    pub(crate) fn above_deleted(&self, ids: Ids, id: i64) -> Result<i64> {
        let highest: Option<i64> = self
            .conn
            .prepare_cached("SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?1")?
            .query_row([ids.key()], |row| row.get(0))
            .optional()?;
        match highest {
            Some(highest) if id <= highest => {
                let sql = format!("UPDATE {} SET id = ?1 WHERE id = ?2", ids.table());
                self.conn
                    .prepare_cached(&sql)?
                    .execute(params![highest + 1, id])?;
                Ok(highest + 1)
            }
            _ => Ok(id),
        }
    }
}

//! `db copy`: everything one database holds, into another of the other engine (or the
//! same), table by table, as stored. Both are at this version of the schema (the source
//! was migrated when it was opened, the target made by it), so every table has the same
//! columns on both; rows keep their ids, so the highest ids given (kept in `settings`)
//! and every reference stay right.
use anyhow::{Context, Result};

use super::sql::Value;
use super::Store;

/// Every table of the schema, a table before those that refer to it; activities before
/// enrollments, so an answer copied never ends an enrollment the source kept going (the
/// rule that ends one fires when an activity is added after it).
const TABLES: [&str; 15] = [
    "import_batches",
    "leads",
    "cadences",
    "cadence_steps",
    "activities",
    "status_changes",
    "enrollments",
    "follow_ups",
    "qualifications",
    "spend",
    "import_updates",
    "settings",
    "forgotten",
    "win_model",
    "mail_messages",
];

/// What one table's copy moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub rows: u64,
}

impl Store {
    /// Whether the database holds no leads data (no row in any table but `settings`,
    /// which a read fills with its bookkeeping: the day scores were refreshed): the only
    /// target `copy_into` writes into, replacing its settings.
    pub fn holds_nothing(&self) -> Result<bool> {
        for table in TABLES.iter().filter(|table| **table != "settings") {
            let any: bool = self.conn.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM {table})"),
                [],
                |row| row.get(0),
            )?;
            if any {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Copy every row of every table into `target`, which must hold nothing (checked in
    /// the target's write transaction): one consistent read of this database, one
    /// all-or-nothing write of the other. Returns each table's count, in `TABLES` order.
    pub fn copy_into(&self, target: &Store) -> Result<Vec<Copied>> {
        self.snapshot(|source| {
            target.write(|target| {
                if !target.holds_nothing()? {
                    return Err(crate::error::Failure::Conflict(
                        "the target database is not empty: db copy writes only into an empty \
                         one (a new file, or a PostgreSQL database without leads data)"
                            .to_string(),
                    )
                    .into());
                }
                target.conn.execute("DELETE FROM settings", [])?;
                TABLES
                    .iter()
                    .map(|table| {
                        let rows = source
                            .copy_table(table, target)
                            .with_context(|| format!("copying the {table} table"))?;
                        Ok(Copied { table, rows })
                    })
                    .collect()
            })
        })
    }

    /// One table's rows, every column by name.
    fn copy_table(&self, table: &str, target: &Store) -> Result<u64> {
        let mut statement = self.conn.prepare(&format!("SELECT * FROM {table}"))?;
        let mut rows = statement.query([])?;
        let mut columns: Vec<String> = Vec::new();
        let mut first: Option<Vec<Value>> = None;
        if let Some(row) = rows.next()? {
            columns = (0..row.column_count())
                .map(|i| row.column_name(i))
                .collect();
            first = Some(values_of(&row)?);
        }
        let Some(first) = first else {
            return Ok(0);
        };
        let mut rest = std::iter::once(Ok(first)).chain(std::iter::from_fn(|| match rows.next() {
            Ok(Some(row)) => Some(values_of(&row)),
            Ok(None) => None,
            Err(err) => Some(Err(err)),
        }));
        Ok(target.conn.add_rows(table, &columns, &mut rest)?)
    }
}

fn values_of(row: &super::sql::Row<'_>) -> super::sql::Result<Vec<Value>> {
    (0..row.column_count())
        .map(|i| row.get_ref(i).map(Value::from))
        .collect()
}

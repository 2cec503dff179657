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
/// Each with what one row and many are called in the seller's words (what `db copy`
/// says it copied).
const TABLES: [Table; 15] = [
    Table::new("import_batches", "import batch", "import batches"),
    Table::new("leads", "lead", "leads"),
    Table::new("cadences", "cadence", "cadences"),
    Table::new("cadence_steps", "cadence step", "cadence steps"),
    Table::new("activities", "activity", "activities"),
    Table::new("status_changes", "status change", "status changes"),
    Table::new("enrollments", "enrollment", "enrollments"),
    Table::new("follow_ups", "follow-up", "follow-ups"),
    Table::new("qualifications", "qualification", "qualifications"),
    Table::new("spend", "spend", "spend"),
    Table::new(
        "import_updates",
        "field kept for an undo",
        "fields kept for undos",
    ),
    Table::new("settings", "setting", "settings"),
    Table::new("forgotten", "forgotten person", "forgotten people"),
    Table::new("win_model", "learned model", "learned models"),
    Table::new("mail_messages", "mail message seen", "mail messages seen"),
];

/// A table of the schema, and what its rows are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub one: &'static str,
    pub many: &'static str,
}

impl Table {
    const fn new(name: &'static str, one: &'static str, many: &'static str) -> Table {
        Table { name, one, many }
    }
}

/// What one table's copy moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: Table,
    pub rows: u64,
}

impl Store {
    /// Whether the database holds no leads data (no row in any table but `settings`,
    /// which a read fills with its bookkeeping: the day scores were refreshed): the only
    /// target `copy_into` writes into, replacing its settings.
    pub fn holds_nothing(&self) -> Result<bool> {
        for table in TABLES.iter().filter(|table| table.name != "settings") {
            let any: bool = self.conn.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM {})", table.name),
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
                let copied = TABLES
                    .iter()
                    .map(|&table| {
                        let rows = source
                            .copy_table(table.name, target)
                            .with_context(|| format!("copying the {} table", table.name))?;
                        Ok(Copied { table, rows })
                    })
                    .collect::<Result<Vec<Copied>>>()?;
                if target.conn.is_postgres() {
                    // The planner's statistics of the tables just filled (see `import`).
                    target.conn.execute_batch("ANALYZE")?;
                }
                Ok(copied)
            })
        })
    }

    /// One table's rows, every column by name.
    fn copy_table(&self, table: &str, target: &Store) -> Result<u64> {
        let sql = format!("SELECT * FROM {table}");
        if let Some(pg) = self.conn.postgres() {
            // Streamed from the server as the target takes them (a query's rows come
            // whole otherwise: a million leads would be in memory at once).
            return pg.stream_rows(&sql, |columns, rows| {
                Ok(target.conn.add_rows(table, columns, rows)?)
            })?;
        }
        let mut statement = self.conn.prepare(&sql)?;
        let columns = statement.column_names();
        let mut rows = statement.query([])?;
        let width = columns.len();
        let mut values =
            std::iter::from_fn(|| rows.next().transpose().map(|row| values_of(&row?, width)));
        Ok(target.conn.add_rows(table, &columns, &mut values)?)
    }
}

/// The `width` values of a row, owned.
fn values_of(row: &super::sql::Row<'_>, width: usize) -> super::sql::Result<Vec<Value>> {
    (0..width)
        .map(|i| row.get_ref(i).map(Value::from))
        .collect()
}

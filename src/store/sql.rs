//! One connection for the two engines: SQLite (a file, the default) and PostgreSQL (a
//! server, for a team). The store writes its SQL once and runs it through this module,
//! whose types have the names and the shape of rusqlite's (`Connection`, `Statement`,
//! `Row`, `Transaction`), so a query reads the same whichever engine answers it.
//!
//! SQLite's arm hands each call straight to rusqlite (a `match` and nothing else: the
//! hot paths of import and the reads are measured with it). PostgreSQL's arm
//! (`postgres.rs`) turns SQLite's `?N` placeholders into `$N`, binds rusqlite's own
//! parameter values, and gives rows back as rusqlite's `ValueRef`s, so every `FromSql`
//! of the store reads a PostgreSQL row as it reads an SQLite one. Errors stay
//! `rusqlite::Error`; a PostgreSQL error travels inside one (see `postgres::error_of`).
pub use rusqlite::types::Value;
use rusqlite::types::{FromSql, FromSqlError, ToSql, ValueRef};
pub use rusqlite::TransactionBehavior;
pub use rusqlite::{Error, OptionalExtension, Result};

use super::postgres::{self as pg, Postgres};

/// Rows for `add_rows_meanwhile`: a table, its columns, and each row's values in their
/// order.
pub type RowsFor<'a> = (
    &'a str,
    &'a [String],
    &'a mut dyn Iterator<Item = Result<Vec<Value>>>,
);

/// A connection to one database, on either engine.
pub enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Postgres>),
}

/// Parameters of a statement, as rusqlite's `&[&dyn ToSql]` (`params!`), an array of
/// one type (`[id]`), nothing (`[]`), or `params_from_iter`.
pub trait Params {
    /// Call `with` with the parameters as rusqlite's slice.
    fn with<R>(&self, with: impl FnOnce(&[&dyn ToSql]) -> R) -> R;
}

impl Params for &[&dyn ToSql] {
    fn with<R>(&self, with: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        with(self)
    }
}

/// `[]`: no parameters (an empty array's element type is this one, as in rusqlite).
impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn with<R>(&self, with: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        with(&[])
    }
}

/// `[id]`, `[a, b]`: values of one type (up to 16, as rusqlite takes them).
macro_rules! array_params {
    ($($n:literal)+) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with<R>(&self, with: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                with(&self.each_ref().map(|value| value as &dyn ToSql))
            }
        }
    )+};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

impl<T: ToSql, const N: usize> Params for &[T; N] {
    fn with<R>(&self, with: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        with(&self.each_ref().map(|value| value as &dyn ToSql))
    }
}

impl Params for () {
    fn with<R>(&self, with: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        with(&[])
    }
}

/// Parameters from an iterator (a query built at run time).
pub struct ParamsFromIter<T>(Vec<T>);

/// The parameters an iterator gives, in order.
pub fn params_from_iter<I>(values: I) -> ParamsFromIter<I::Item>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(values.into_iter().collect())
}

impl<T: ToSql> Params for ParamsFromIter<T> {
    fn with<R>(&self, with: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        let values: Vec<&dyn ToSql> = self.0.iter().map(|value| value as &dyn ToSql).collect();
        with(&values)
    }
}

/// `params![a, b]`: rusqlite's own, a slice of `&dyn ToSql`.
pub use rusqlite::params;

impl Connection {
    /// The SQLite connection, for what only SQLite has (pragmas, its file, functions).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Connection::Sqlite(conn) => Some(conn),
            Connection::Postgres(_) => None,
        }
    }

    /// Set an SQLite pragma; PostgreSQL has none of SQLite's (each is SQLite's tuning
    /// or SQLite's own guard), so there it does nothing.
    pub fn pragma_update<V: ToSql>(
        &self,
        schema: Option<&str>,
        name: &str,
        value: V,
    ) -> Result<()> {
        match self {
            Connection::Sqlite(conn) => conn.pragma_update(schema, name, value),
            Connection::Postgres(_) => Ok(()),
        }
    }

    /// Read an SQLite pragma (an error on PostgreSQL: ask `sqlite()` first).
    pub fn pragma_query_value<T, F>(&self, schema: Option<&str>, name: &str, map: F) -> Result<T>
    where
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        match self {
            Connection::Sqlite(conn) => {
                conn.pragma_query_value(schema, name, |row| map(&Row::Sqlite(row)))
            }
            Connection::Postgres(_) => Err(Error::UserFunctionError(
                format!("PostgreSQL has no SQLite pragma {name}").into(),
            )),
        }
    }

    /// A number that changes when another connection has written since it was last
    /// read, and not for this one's own writes (SQLite's `data_version`).
    pub fn data_version(&self) -> Result<i64> {
        match self {
            Connection::Sqlite(conn) => {
                conn.pragma_query_value(None, "data_version", |row| row.get(0))
            }
            Connection::Postgres(pg) => pg.data_version(),
        }
    }

    /// How long to wait for another writer (PostgreSQL's `lock_timeout`).
    pub fn busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        match self {
            Connection::Sqlite(conn) => conn.busy_timeout(timeout),
            Connection::Postgres(pg) => pg.set_lock_timeout(timeout),
        }
    }

    /// The database file (None in memory and on PostgreSQL).
    pub fn path(&self) -> Option<&str> {
        match self {
            Connection::Sqlite(conn) => conn.path(),
            Connection::Postgres(_) => None,
        }
    }

    /// Whether this is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Connection::Postgres(_))
    }

    /// PostgreSQL's connection, for what only it does.
    pub fn postgres(&self) -> Option<&Postgres> {
        match self {
            Connection::Sqlite(_) => None,
            Connection::Postgres(pg) => Some(pg),
        }
    }

    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Connection::Sqlite(conn) => conn.prepare(sql).map(Statement::Sqlite),
            Connection::Postgres(pg) => pg.prepare(sql).map(|s| Statement::Postgres(pg, s)),
        }
    }

    /// `prepare`, keeping the statement for the next call with the same text.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Connection::Sqlite(conn) => conn.prepare_cached(sql).map(Statement::SqliteCached),
            Connection::Postgres(pg) => pg.prepare(sql).map(|s| Statement::Postgres(pg, s)),
        }
    }

    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match self {
            Connection::Sqlite(conn) => params.with(|values| conn.execute(sql, values)),
            Connection::Postgres(_) => self.prepare(sql)?.execute(params),
        }
    }

    /// Run statements with no parameters, separated by `;`.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Connection::Sqlite(conn) => conn.execute_batch(sql),
            Connection::Postgres(pg) => pg.batch(sql),
        }
    }

    pub fn query_row<T, P, F>(&self, sql: &str, params: P, map: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        match self {
            Connection::Sqlite(conn) => {
                params.with(|values| conn.query_row(sql, values, |row| map(&Row::Sqlite(row))))
            }
            Connection::Postgres(_) => self.prepare(sql)?.query_row(params, map),
        }
    }

    /// The id of the row the last `INSERT` of this connection made.
    pub fn last_insert_rowid(&self) -> Result<i64> {
        match self {
            Connection::Sqlite(conn) => Ok(conn.last_insert_rowid()),
            Connection::Postgres(pg) => pg.last_insert_id(),
        }
    }

    /// Add `rows` (each a value for each of `columns`, in order) to `table`, which the
    /// caller names from the schema (never from the data): SQLite's prepared insert, a
    /// row at a time; PostgreSQL's COPY, which takes them in one stream instead of a
    /// round trip each. Returns how many were added.
    pub fn add_rows(
        &self,
        table: &str,
        columns: &[String],
        rows: &mut dyn Iterator<Item = Result<Vec<Value>>>,
    ) -> Result<u64> {
        match self {
            Connection::Sqlite(conn) => {
                let marks = vec!["?"; columns.len()].join(", ");
                let mut insert = conn.prepare(&format!(
                    "INSERT INTO {table} ({}) VALUES ({marks})",
                    columns.join(", ")
                ))?;
                let mut added = 0;
                for row in rows {
                    insert.execute(rusqlite::params_from_iter(row?))?;
                    added += 1;
                }
                Ok(added)
            }
            Connection::Postgres(pg) => pg.copy_in(table, columns, rows),
        }
    }

    /// `add_rows` into each table in turn. On PostgreSQL they are sent from another
    /// thread while this one goes on (see `Postgres::send_later`); `settle` waits for
    /// them, as does any other use of the connection.
    pub fn add_rows_meanwhile(&self, tables: &mut [RowsFor<'_>]) -> Result<()> {
        match self {
            Connection::Sqlite(_) => {
                for (table, columns, rows) in tables.iter_mut() {
                    self.add_rows(table, columns, *rows)?;
                }
                Ok(())
            }
            Connection::Postgres(pg) => {
                let mut copies = Vec::with_capacity(tables.len());
                for (table, columns, rows) in tables.iter_mut() {
                    copies.push(super::postgres::encode_rows(table, columns, *rows)?.0);
                }
                pg.send_later(copies)
            }
        }
    }

    /// Wait until what `add_rows_meanwhile` sent is saved; its failure is this call's.
    pub fn settle(&self) -> Result<()> {
        match self {
            Connection::Sqlite(_) => Ok(()),
            Connection::Postgres(pg) => pg.settle(),
        }
    }

    /// Whether no transaction is open.
    pub fn is_autocommit(&self) -> bool {
        match self {
            Connection::Sqlite(conn) => conn.is_autocommit(),
            Connection::Postgres(pg) => !pg.in_transaction(),
        }
    }

    fn begin(&self, behavior: TransactionBehavior) -> Result<()> {
        match self {
            Connection::Sqlite(conn) => conn.execute_batch(match behavior {
                TransactionBehavior::Deferred => "BEGIN DEFERRED",
                TransactionBehavior::Immediate => "BEGIN IMMEDIATE",
                _ => "BEGIN EXCLUSIVE",
            }),
            Connection::Postgres(pg) => {
                pg.begin(!matches!(behavior, TransactionBehavior::Deferred))
            }
        }
    }

    fn end(&self, commit: bool) -> Result<()> {
        match self {
            Connection::Sqlite(conn) => {
                conn.execute_batch(if commit { "COMMIT" } else { "ROLLBACK" })
            }
            Connection::Postgres(pg) => pg.end(commit),
        }
    }
}

/// A transaction: rolled back when dropped unless committed. `Immediate` takes the
/// write lock first (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL a lock every writing
/// `leads` takes, so writers run one at a time as on SQLite).
pub struct Transaction<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Transaction<'c> {
    /// Begin a transaction on a shared connection (the store's way: it knows no other
    /// transaction is open).
    pub fn new_unchecked(conn: &'c Connection, behavior: TransactionBehavior) -> Result<Self> {
        conn.begin(behavior)?;
        Ok(Transaction { conn, open: true })
    }

    /// Commit; when the commit fails (busy, disk full), the drop rolls back, as
    /// rusqlite's does.
    pub fn commit(mut self) -> Result<()> {
        self.conn.end(true)?;
        self.open = false;
        Ok(())
    }

    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.conn.end(false)
    }

    /// End a read: roll back (rusqlite's default), which releases the snapshot and
    /// keeps nothing a read should not have written.
    pub fn finish(self) -> Result<()> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.rollback()
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            let _ = self.conn.end(false);
        }
    }
}

/// A prepared statement.
pub enum Statement<'c> {
    Sqlite(rusqlite::Statement<'c>),
    SqliteCached(rusqlite::CachedStatement<'c>),
    Postgres(&'c Postgres, pg::Prepared),
}

/// A statement's engine, borrowed for one call.
enum On<'a, 'c> {
    Sqlite(&'a mut rusqlite::Statement<'c>),
    Postgres(&'c Postgres, &'a pg::Prepared),
}

impl<'c> Statement<'c> {
    fn on(&mut self) -> On<'_, 'c> {
        match self {
            Statement::Sqlite(statement) => On::Sqlite(statement),
            Statement::SqliteCached(statement) => On::Sqlite(statement),
            Statement::Postgres(pg, statement) => On::Postgres(pg, statement),
        }
    }

    /// The names of the columns a query gives, in order.
    pub fn column_names(&mut self) -> Vec<String> {
        match self.on() {
            On::Sqlite(statement) => statement
                .column_names()
                .into_iter()
                .map(String::from)
                .collect(),
            On::Postgres(_, statement) => statement
                .columns()
                .iter()
                .map(|column| column.name().to_string())
                .collect(),
        }
    }

    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match self.on() {
            On::Sqlite(statement) => params.with(|values| statement.execute(values)),
            On::Postgres(pg, statement) => params.with(|values| pg.execute(statement, values)),
        }
    }

    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        match self.on() {
            On::Sqlite(statement) => params
                .with(|values| statement.query(values))
                .map(Rows::Sqlite),
            On::Postgres(pg, statement) => {
                let rows = params.with(|values| pg.query(statement, values))?;
                Ok(Rows::Postgres(rows.into_iter(), None))
            }
        }
    }

    pub fn query_map<T, P, F>(&mut self, params: P, map: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            map,
        })
    }

    pub fn query_row<T, P, F>(&mut self, params: P, map: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => map(&row),
            None => Err(Error::QueryReturnedNoRows),
        }
    }
}

/// The rows of a query, read one at a time.
pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    /// PostgreSQL's rows, all read, and the one given last.
    Postgres(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)] // rusqlite's name: a row borrows the rows
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// Rows mapped to values as they are read.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    map: F,
}

impl<T, F: FnMut(&Row<'_>) -> Result<T>> Iterator for MappedRows<'_, F> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.map)(&row)),
            Ok(None) => None,
            Err(err) => Some(Err(err)),
        }
    }
}

/// One row of a result.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

/// A column's place in a row: its number (the store never names columns in reads). A
/// trait, as rusqlite's `RowIndex`, so reads keep rusqlite's `row.get::<_, T>(i)`.
pub trait ColumnIndex {
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

impl Row<'_> {
    /// The value of column `index` as `T`, as rusqlite reads it.
    pub fn get<I: ColumnIndex, T: FromSql>(&self, index: I) -> Result<T> {
        let index = index.index();
        match self {
            Row::Sqlite(row) => row.get(index),
            Row::Postgres(_) => {
                let value = self.get_ref(index)?;
                T::column_result(value).map_err(|err| match err {
                    FromSqlError::InvalidType => {
                        Error::InvalidColumnType(index, self.column_name(index), value.data_type())
                    }
                    FromSqlError::OutOfRange(n) => Error::IntegralValueOutOfRange(index, n),
                    FromSqlError::Other(err) => {
                        Error::FromSqlConversionFailure(index, value.data_type(), err)
                    }
                    other => {
                        Error::FromSqlConversionFailure(index, value.data_type(), Box::new(other))
                    }
                })
            }
        }
    }

    /// The value of column `index` as stored, borrowed from the row.
    pub fn get_ref(&self, index: usize) -> Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(row) => row.get_ref(index),
            Row::Postgres(row) => pg::value_at(row, index),
        }
    }

    /// The name of column `index` (its number when it has none).
    pub fn column_name(&self, index: usize) -> String {
        match self {
            Row::Sqlite(row) => row
                .as_ref()
                .column_name(index)
                .map_or_else(|_| index.to_string(), str::to_string),
            Row::Postgres(row) => row
                .columns()
                .get(index)
                .map_or_else(|| index.to_string(), |c| c.name().to_string()),
        }
    }
}

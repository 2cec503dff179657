//! PostgreSQL's arm of `sql::Connection`: a client of the server, its prepared
//! statements kept by their SQLite text, values to and from rusqlite's.
//!
//! The store's SQL is written once, in the dialect both engines read; what differs is
//! mended here (`translate`: placeholders) or chosen in the store where the engines
//! truly differ. Values: a parameter adapts to the type the server gives it (an integer
//! bound where text is expected is sent as its digits, as SQLite's loose typing would
//! take it), and a column comes back as the `ValueRef` SQLite would give.
use std::cell::{Cell, RefCell, RefMut};
use std::collections::HashMap;
use std::error::Error as StdError;

use anyhow::Context as _;
use postgres::error::SqlState;
use postgres::types::{FromSql as PgFromSql, IsNull, ToSql as PgToSql, Type};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Error, Result};

/// The key of the advisory lock every writing transaction takes first: writers run one
/// at a time, as on SQLite (DESIGN: two adds of one email, one wins).
const WRITE_LOCK: i64 = 0x006c_6561_6473; // "leads"

/// A connection to a PostgreSQL database.
pub struct Postgres {
    /// `None` while a `send_later` has it (see `client`).
    client: RefCell<Option<postgres::Client>>,
    /// The COPY running in the background, which gives the client back when done.
    sending: RefCell<Option<Sending>>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    in_transaction: Cell<bool>,
    /// The write transactions this connection committed (see `data_version`).
    own_writes: Cell<i64>,
    /// The open transaction counts itself as a write (counted when it commits).
    counted: Cell<bool>,
}

/// A statement prepared on the server.
pub type Prepared = postgres::Statement;

/// A thread sending COPY data, with the client it took.
type Sending = std::thread::JoinHandle<(postgres::Client, Result<()>)>;

/// Rows for one `COPY table (columns) FROM STDIN`, written as CSV (see `encode_rows`).
pub struct Copy {
    sql: String,
    data: Vec<u8>,
}

/// A PostgreSQL error carried in rusqlite's error type (the store's), so `?` takes it
/// through every query. Another writer holding the lock past `lock_timeout`, or a server
/// gone, is SQLite's busy error with the server's words: every reader of a busy database
/// (`store::is_busy`, exit 75) knows it without knowing the engine.
pub fn wrap(err: postgres::Error) -> Error {
    let busy = err.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) || err.is_closed();
    let err = ServerError(err);
    if busy {
        let code = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY);
        return Error::SqliteFailure(code, Some(err.to_string()));
    }
    Error::UserFunctionError(Box::new(err))
}

/// A PostgreSQL error, said with the server's message (postgres' own says "db error").
#[derive(Debug)]
pub struct ServerError(pub postgres::Error);

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_db_error() {
            Some(db) => write!(f, "{} ({})", db.message(), db.code().code()),
            None => write!(f, "{}", self.0),
        }
    }
}

impl StdError for ServerError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

/// Whether a connection failed in its TLS handshake (a certificate refused, a server
/// without TLS when `sslmode=require`): a refusal, not a server that does not answer.
fn tls_failed(err: &postgres::Error) -> bool {
    let mut cause = std::error::Error::source(err);
    while let Some(err) = cause {
        if err.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
            {
                return true;
            }
        }
        cause = err.source();
    }
    err.to_string().contains("TLS") || err.to_string().contains("SSL")
}

/// What to do when the database has no leads tables (see `Postgres::connect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tables {
    Create,
    Existing,
    IfAny,
}

impl Postgres {
    /// Connect to the server `url` names (`postgres://` or `postgresql://`, TLS as its
    /// `sslmode` asks: see `tls`), each failure said with the server and never the
    /// password: a server that does not answer is busy (exit 75, try again later), a
    /// database that is not there is missing (exit 66, as a missing SQLite file), a
    /// refusal (user, password, a certificate) an error.
    ///
    /// When the database has no leads schema, create it
    /// (`Tables::Create`), refuse (`Tables::Existing`: exit 66, as a missing SQLite file)
    /// or give None (`Tables::IfAny`). The flag says whether this call created it.
    pub fn connect(
        url: &str,
        lock_timeout: std::time::Duration,
        tables: Tables,
    ) -> anyhow::Result<Option<(Postgres, bool)>> {
        let server = super::location::server_of(url);
        let (url, check) = super::tls::read_sslmode(url);
        let config: postgres::Config = url.parse().map_err(|err| {
            crate::error::bad_input(format!(
                "{server} is not a PostgreSQL URL ({err}): write \
                 postgres://USER@HOST/DATABASE[?sslmode=require]"
            ))
        })?;
        let mut config = config;
        if config.get_password().is_none() {
            if let Some(password) = super::pgpass::password_for(&config) {
                config.password(password);
            }
        }
        // A server that does not answer (a host that drops packets) is exit 75 in
        // moments, not after the system's two minutes; `connect_timeout=` in the URL wins.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        let connected = match config.get_ssl_mode() {
            postgres::config::SslMode::Disable => config.connect(postgres::NoTls),
            _ => config.connect(super::tls::connector(check)?),
        };
        let client = connected.map_err(|err| -> anyhow::Error {
            let cause = std::error::Error::source(&err)
                .map(|cause| format!(": {cause}"))
                .unwrap_or_default();
            // A parameter the URL parsed but the connection cannot use (`?port=x`).
            if err.to_string().starts_with("invalid configuration") {
                return crate::error::bad_input(format!(
                    "{server}: {err}{cause} (write postgres://USER@HOST:PORT/DATABASE)"
                ));
            }
            if tls_failed(&err) {
                return anyhow::anyhow!(
                    "the TLS connection to the PostgreSQL server {server} failed{cause}"
                );
            }
            match err.as_db_error() {
                Some(db) if *db.code() == SqlState::INVALID_CATALOG_NAME => {
                    crate::error::Failure::InputMissing(format!(
                        "no such database on the PostgreSQL server {server}: {}",
                        db.message()
                    ))
                    .into()
                }
                Some(db) => anyhow::anyhow!(
                    "the PostgreSQL server {server} refused the connection: {} ({})",
                    db.message(),
                    db.code().code()
                ),
                None => crate::error::Failure::Busy(format!(
                    "cannot reach the PostgreSQL server {server}: {err}{cause} (is it \
                         running, and is the address right? try again)"
                ))
                .into(),
            }
        })?;
        let pg = Postgres {
            client: RefCell::new(Some(client)),
            sending: RefCell::new(None),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Cell::new(false),
            own_writes: Cell::new(0),
            counted: Cell::new(false),
        };
        pg.set_lock_timeout(lock_timeout)?;
        match pg.create_or_check_schema(tables, &server)? {
            None => Ok(None),
            Some(created) => Ok(Some((pg, created))),
        }
    }

    pub fn prepare(&self, sql: &str) -> Result<Prepared> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client()?.prepare(&translate(sql)).map_err(wrap)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    pub fn execute(&self, statement: &Prepared, values: &[&dyn rusqlite::ToSql]) -> Result<usize> {
        let mut client = self.client()?;
        let count = with_bound(values, |values| client.execute(statement, values))?;
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    pub fn query(
        &self,
        statement: &Prepared,
        values: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<postgres::Row>> {
        let mut client = self.client()?;
        with_bound(values, |values| client.query(statement, values))
    }

    /// Statements without parameters, separated by `;`.
    pub fn batch(&self, sql: &str) -> Result<()> {
        self.client()?.batch_execute(sql).map_err(wrap)
    }

    /// The id the last insert of this session gave a row without one (the schema's
    /// `*_next_id` triggers keep it); 0 before any, as SQLite's.
    pub fn last_insert_id(&self) -> Result<i64> {
        let row = self
            .client()?
            .query_one(
                "SELECT coalesce(current_setting('leads.last_id', true), '0')::bigint",
                &[],
            )
            .map_err(wrap)?;
        Ok(row.get(0))
    }

    /// The client, once a COPY sent in the background (`send_later`) is done: its
    /// failure is this call's, so the transaction it was part of fails at its next step.
    fn client(&self) -> Result<RefMut<'_, postgres::Client>> {
        self.settle()?;
        RefMut::filter_map(self.client.borrow_mut(), Option::as_mut).map_err(|_| lost())
    }

    /// Wait for the COPY sent in the background, if any, and take the client back.
    pub fn settle(&self) -> Result<()> {
        let Some(sending) = self.sending.borrow_mut().take() else {
            return Ok(());
        };
        let (client, sent) = sending.join().map_err(|_| lost())?;
        *self.client.borrow_mut() = Some(client);
        sent
    }

    /// `COPY table (columns) FROM STDIN`, now, the rows streamed as they come (a table
    /// of `db copy` is never whole in memory). Returns how many rows were added.
    pub fn copy_in(
        &self,
        table: &str,
        columns: &[String],
        rows: &mut dyn Iterator<Item = Result<Vec<Value>>>,
    ) -> Result<u64> {
        use std::io::Write;
        let mut client = self.client()?;
        let mut writer = client.copy_in(&copy_sql(table, columns)).map_err(wrap)?;
        let mut line = Vec::with_capacity(1024);
        let mut added = 0;
        for row in rows {
            line.clear();
            encode_row(table, &row?, &mut line)?;
            writer
                .write_all(&line)
                .map_err(|err| Error::ToSqlConversionFailure(Box::new(err)))?;
            added += 1;
        }
        writer.finish().map_err(wrap)?;
        Ok(added)
    }

    /// The rows of `sql` (no parameters) handed to `use_them` as they arrive, with the
    /// columns' names: a table of `db copy` is never whole in memory.
    pub fn stream_rows<T>(
        &self,
        sql: &str,
        use_them: impl FnOnce(&[String], &mut dyn Iterator<Item = Result<Vec<Value>>>) -> T,
    ) -> Result<T> {
        use postgres::fallible_iterator::FallibleIterator;
        let statement = self.prepare(sql)?;
        let columns: Vec<String> = statement
            .columns()
            .iter()
            .map(|column| column.name().to_string())
            .collect();
        let mut client = self.client()?;
        let mut rows = client
            .query_raw(&statement, std::iter::empty::<&(dyn PgToSql + Sync)>())
            .map_err(wrap)?;
        let width = columns.len();
        let mut values = std::iter::from_fn(|| match rows.next() {
            Ok(Some(row)) => Some(
                (0..width)
                    .map(|index| value_at(&row, index).map(Value::from))
                    .collect(),
            ),
            Ok(None) => None,
            Err(err) => Some(Err(wrap(err))),
        });
        Ok(use_them(&columns, &mut values))
    }

    /// Send `copies` in order from another thread, while this one goes on (an import
    /// reads and scores the next rows meanwhile: the server's work and the client's
    /// overlap). The next use of the connection waits for them and fails if they did.
    pub fn send_later(&self, copies: Vec<Copy>) -> Result<()> {
        self.settle()?;
        let mut taken = self.client.borrow_mut().take().ok_or_else(lost)?;
        let thread = std::thread::Builder::new()
            .name("leads-copy".into())
            .spawn(move || {
                let sent = send(&mut taken, &copies);
                (taken, sent)
            })
            .map_err(|err| Error::ToSqlConversionFailure(Box::new(err)))?;
        *self.sending.borrow_mut() = Some(thread);
        Ok(())
    }

    pub fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    /// Begin a transaction; a write takes the write lock first, and is counted (see
    /// `data_version`).
    pub fn begin(&self, write: bool) -> Result<()> {
        if !write {
            return self.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ");
        }
        self.begin_locked()?;
        if let Err(err) = self.batch("UPDATE leads_schema SET writes = writes + 1") {
            let _ = self.end(false);
            return Err(err);
        }
        self.counted.set(true);
        Ok(())
    }

    /// Begin a transaction holding the write lock.
    fn begin_locked(&self) -> Result<()> {
        self.begin_with(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
        ))
    }

    /// Begin with `sql`; when it fails half-way (the lock not had in time), the
    /// transaction it began is rolled back, so the connection is usable again.
    fn begin_with(&self, sql: &str) -> Result<()> {
        self.in_transaction.set(true);
        let begun = self.batch(sql);
        if begun.is_err() {
            let _ = self.end(false);
        }
        begun
    }

    /// Wait for another writer's lock this long at most; a lock not had in time is
    /// SQLite's busy error (see `wrap`). PostgreSQL reads 0 as "for ever", so no wait is
    /// the shortest it has: a millisecond.
    pub fn set_lock_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        self.batch(&format!(
            "SET lock_timeout = {}",
            timeout.as_millis().max(1)
        ))
    }

    /// SQLite's `data_version`: changes when another connection has written since, and
    /// not for this one's own writes.
    pub fn data_version(&self) -> Result<i64> {
        let row = self
            .client()?
            .query_one("SELECT max(writes) FROM leads_schema", &[])
            .map_err(wrap)?;
        Ok(row.get::<_, i64>(0) - self.own_writes.get())
    }

    /// Commit or roll back the open transaction.
    pub fn end(&self, commit: bool) -> Result<()> {
        // A COPY still in flight is part of the transaction: when it failed, the
        // transaction is rolled back (and the connection left usable), and that is told.
        let settled = self.settle();
        let commit = commit && settled.is_ok();
        self.in_transaction.set(false);
        let counted = self.counted.replace(false);
        self.batch(if commit { "COMMIT" } else { "ROLLBACK" })?;
        if commit && counted {
            self.own_writes.set(self.own_writes.get() + 1);
        }
        settled
    }
}

/// The schema of a new database: SQLite's of version `SCHEMA_VERSION`, the first
/// PostgreSQL had. `migrate` takes it to `schema::CURRENT_VERSION`, as it does an older
/// database, so a new one and an upgraded one are the same.
const SCHEMA: &str = include_str!("postgres.sql");
const SCHEMA_VERSION: i64 = 14;

impl Postgres {
    /// Create the schema on first use, or check that it is the one this `leads` knows:
    /// under the write lock, so sellers starting together create it once.
    fn create_or_check_schema(&self, tables: Tables, server: &str) -> anyhow::Result<Option<bool>> {
        // Most opens find the schema there: checked without the write lock, so a read
        // never waits for another seller's import. Only making it takes the lock (two
        // first writes at once: one makes it, the other finds it made).
        let made: bool = self
            .client()?
            .query_one("SELECT to_regclass('leads_schema') IS NOT NULL", &[])
            .map_err(wrap)?
            .get(0);
        if made {
            let version: i64 = self
                .client()?
                .query_one("SELECT max(version) FROM leads_schema", &[])
                .map_err(wrap)?
                .get(0);
            // An older schema is migrated under the lock, below.
            if version >= super::schema::CURRENT_VERSION {
                return self.check_schema(tables, server, false);
            }
        }
        // Not `begin`: the count of writes it keeps is in the schema made here.
        self.begin_locked()?;
        let done = self.check_schema(tables, server, true);
        self.end(done.is_ok())?;
        done
    }

    /// `create_or_check_schema`'s work; `may_make`: inside the write lock.
    fn check_schema(
        &self,
        tables: Tables,
        server: &str,
        may_make: bool,
    ) -> anyhow::Result<Option<bool>> {
        let current = super::schema::CURRENT_VERSION;
        let done = (|| -> anyhow::Result<Option<bool>> {
            let exists: bool = self
                .client()?
                .query_one("SELECT to_regclass('leads_schema') IS NOT NULL", &[])?
                .get(0);
            if !exists && tables == Tables::IfAny {
                return Ok(None);
            }
            if !exists && tables == Tables::Existing {
                return Err(crate::error::Failure::InputMissing(format!(
                    "no leads database at {server} (the PostgreSQL database has no leads \
                     tables): check --db or LEADS_DB (a command that adds data, such as \
                     `leads add` or `leads import`, creates them)"
                ))
                .into());
            }
            if !exists && may_make {
                self.batch(SCHEMA)?;
                self.client()?.execute(
                    "INSERT INTO leads_schema (version) VALUES ($1)",
                    &[&SCHEMA_VERSION],
                )?;
                self.migrate(SCHEMA_VERSION)?;
                return Ok(Some(true));
            }
            let version: i64 = self
                .client()?
                .query_one("SELECT max(version) FROM leads_schema", &[])?
                .get(0);
            super::schema::check_not_newer(version)?;
            if version < current {
                if !may_make {
                    return Err(anyhow::anyhow!(
                        "the database is at schema version {version}, older than this leads \
                         understands ({current})"
                    ));
                }
                self.migrate(version)
                    .with_context(|| format!("upgrading {server} from schema version {version}"))?;
            }
            Ok(Some(false))
        })();
        done
    }

    /// Bring a database at `from` (at least `SCHEMA_VERSION`) to `schema::CURRENT_VERSION`,
    /// inside the caller's transaction under the write lock: SQLite's migrations since,
    /// made PostgreSQL's (what needs leads' own code is done here, in Rust).
    fn migrate(&self, from: i64) -> anyhow::Result<()> {
        for next in from + 1..=super::schema::CURRENT_VERSION {
            match next {
                15 => self.add_email_keys()?,
                _ => anyhow::bail!("no PostgreSQL migration to schema version {next}"),
            }
            self.client()?
                .execute("UPDATE leads_schema SET version = $1", &[&next])
                .map_err(wrap)?;
        }
        Ok(())
    }

    /// Migration 15 (SQLite's `EMAIL_KEY`): each email's match key, folded by leads. The
    /// emails are read a page at a time on the primary key, the keys sent back by COPY
    /// into a table of the transaction and set by one join (an UPDATE a page joined the
    /// whole table each time: 193 s for a million keys; now a few seconds).
    fn add_email_keys(&self) -> anyhow::Result<()> {
        use super::fold::stored_email_key;
        const PAGE: i64 = 10_000;
        self.batch(
            "ALTER TABLE leads ADD COLUMN email_key TEXT;
             CREATE TEMP TABLE leads_email_keys (id BIGINT, key TEXT) ON COMMIT DROP;
             CREATE TEMP TABLE leads_before_keys (batch_id BIGINT, lead_id BIGINT, key TEXT)
                 ON COMMIT DROP",
        )?;
        let mut keys: Vec<(i64, String)> = Vec::new();
        let mut after = 0_i64;
        loop {
            let rows = self.client()?.query(
                "SELECT id, email FROM leads WHERE id > $1 AND email IS NOT NULL
                 ORDER BY id LIMIT $2",
                &[&after, &PAGE],
            )?;
            let Some(last) = rows.last() else { break };
            after = last.get(0);
            keys.extend(
                rows.iter()
                    .filter_map(|row| Some((row.get(0), stored_email_key(row.get(1))?))),
            );
        }
        let columns = ["id".to_string(), "key".to_string()];
        self.copy_in(
            "leads_email_keys",
            &columns,
            &mut keys
                .drain(..)
                .map(|(id, key)| Ok(vec![Value::Integer(id), Value::Text(key)])),
        )?;
        // Every before-image gains the key, NULL ones too: an undo puts back the email
        // and its key together (a key missing from an image is left as it is).
        let mut befores: Vec<(i64, i64, Option<String>)> = Vec::new();
        let (mut batch, mut lead) = (0_i64, 0_i64);
        loop {
            let rows = self.client()?.query(
                "SELECT batch_id, lead_id, before::jsonb ->> 'email' FROM import_updates
                 WHERE (batch_id, lead_id) > ($1, $2) ORDER BY batch_id, lead_id LIMIT $3",
                &[&batch, &lead, &PAGE],
            )?;
            let Some(last) = rows.last() else { break };
            (batch, lead) = (last.get(0), last.get(1));
            befores.extend(rows.iter().map(|row| {
                let email: Option<&str> = row.get(2);
                (row.get(0), row.get(1), email.and_then(stored_email_key))
            }));
        }
        let columns = ["batch_id", "lead_id", "key"].map(String::from);
        self.copy_in(
            "leads_before_keys",
            &columns,
            &mut befores.drain(..).map(|(batch, lead, key)| {
                Ok(vec![
                    Value::Integer(batch),
                    Value::Integer(lead),
                    key.map_or(Value::Null, Value::Text),
                ])
            }),
        )?;
        self.batch(
            "UPDATE leads SET email_key = k.key FROM leads_email_keys k WHERE leads.id = k.id;
             UPDATE import_updates u
             SET before = jsonb_set(u.before::jsonb, '{email_key}',
                                    coalesce(to_jsonb(k.key), 'null'::jsonb))::text
             FROM leads_before_keys k
             WHERE u.batch_id = k.batch_id AND u.lead_id = k.lead_id;
             DROP INDEX leads_email;
             CREATE INDEX leads_email_key ON leads ((coalesce(email_key, email)));
             -- A cadence's name is one by the same folding as `find_cadence`'s, not by
             -- the ICU collation (which took ss for ß).
             DROP INDEX cadences_name;
             CREATE UNIQUE INDEX cadences_name ON cadences (leads_fold(name))
                 WHERE deleted_at IS NULL",
        )?;
        Ok(())
    }
}

/// SQLite's text made PostgreSQL's, outside quotes and comments: `?N` and `?`
/// placeholders become `$N`; SQLite's `INDEXED BY` hints go (PostgreSQL plans alone); an
/// integer cast is to BIGINT (SQLite's integers are 64-bit); `IS NOT` a value is `IS
/// DISTINCT FROM` it (PostgreSQL's `IS NOT` takes only NULL, TRUE...); and `LIKE` ignores
/// case, as SQLite's does (`ILIKE`).
pub fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    // SQLite's rule: a bare `?` is one more than the largest number so far.
    let mut largest = 0;
    let mut code = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        let ends = match c {
            '\'' | '"' => c,
            '-' if chars.peek() == Some(&'-') => '\n',
            _ => {
                code.push(c);
                continue;
            }
        };
        // A literal, a quoted name or a comment: copied as it is, to its end.
        out.push_str(&code_translated(&code, &mut largest));
        code.clear();
        out.push(c);
        for inner in chars.by_ref() {
            out.push(inner);
            if inner == ends {
                break;
            }
        }
    }
    out.push_str(&code_translated(&code, &mut largest));
    out
}

/// `translate` of a stretch of SQL with no literal or comment in it.
fn code_translated(code: &str, largest: &mut usize) -> String {
    let mut code = code
        .replace(" IS NOT ?", " IS DISTINCT FROM ?")
        .replace(" LIKE ", " ILIKE ")
        .replace(" AS INTEGER)", " AS BIGINT)");
    while let Some(at) = code.find("INDEXED BY ") {
        let name = &code[at + "INDEXED BY ".len()..];
        let end = name
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(name.len());
        code.replace_range(at..at + "INDEXED BY ".len() + end, "");
    }
    let mut out = String::with_capacity(code.len() + 8);
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '?' {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            digits.push(d);
        }
        let number = digits.parse().unwrap_or(*largest + 1);
        *largest = (*largest).max(number);
        out.push('$');
        out.push_str(&number.to_string());
    }
    out
}

/// A parameter for PostgreSQL: rusqlite's value, sent as the type the server asks for.
#[derive(Debug)]
struct Param(Value);

/// Run `work` with `values` bound as PostgreSQL's parameters.
/// Rows as the data of a `COPY table (columns) FROM STDIN (FORMAT csv)`: each value
/// written as PostgreSQL reads it back (NULL unquoted and empty, text always quoted,
/// bytes in hex). Text with a NUL byte, which PostgreSQL's text cannot hold, is refused
/// naming the table. Returns the rows' count too.
pub fn encode_rows(
    table: &str,
    columns: &[String],
    rows: &mut dyn Iterator<Item = Result<Vec<Value>>>,
) -> Result<(Copy, u64)> {
    let mut data = Vec::with_capacity(1 << 16);
    let mut added = 0;
    for row in rows {
        encode_row(table, &row?, &mut data)?;
        added += 1;
    }
    Ok((
        Copy {
            sql: copy_sql(table, columns),
            data,
        },
        added,
    ))
}

fn copy_sql(table: &str, columns: &[String]) -> String {
    format!(
        "COPY {table} ({}) FROM STDIN (FORMAT csv)",
        columns.join(", ")
    )
}

/// One row of `encode_rows`, with its line's end.
fn encode_row(table: &str, row: &[Value], data: &mut Vec<u8>) -> Result<()> {
    use std::io::Write;
    let io = |err: std::io::Error| Error::ToSqlConversionFailure(Box::new(err));
    for (index, value) in row.iter().enumerate() {
        if index > 0 {
            data.push(b',');
        }
        match value {
            Value::Null => {}
            Value::Integer(n) => write!(data, "{n}").map_err(io)?,
            Value::Real(x) if x.is_nan() => data.extend_from_slice(b"NaN"),
            Value::Real(x) if x.is_infinite() => {
                data.extend_from_slice(if *x > 0.0 { b"Infinity" } else { b"-Infinity" })
            }
            Value::Real(x) => write!(data, "{x:?}").map_err(io)?,
            Value::Text(text) => {
                if text.contains('\0') {
                    return Err(Error::ToSqlConversionFailure(
                        format!(
                            "a text of the {table} table holds a NUL byte, which PostgreSQL \
                             cannot store"
                        )
                        .into(),
                    ));
                }
                data.push(b'"');
                for byte in text.bytes() {
                    if byte == b'"' {
                        data.push(b'"');
                    }
                    data.push(byte);
                }
                data.push(b'"');
            }
            Value::Blob(bytes) => {
                data.extend_from_slice(b"\\x");
                for byte in bytes {
                    write!(data, "{byte:02x}").map_err(io)?;
                }
            }
        }
    }
    data.push(b'\n');
    Ok(())
}

/// Run each COPY with its data, in pieces the server starts on while the rest comes.
fn send(client: &mut postgres::Client, copies: &[Copy]) -> Result<()> {
    use std::io::Write;
    for copy in copies {
        let mut writer = client.copy_in(&copy.sql).map_err(wrap)?;
        for piece in copy.data.chunks(1 << 16) {
            writer
                .write_all(piece)
                .map_err(|err| Error::ToSqlConversionFailure(Box::new(err)))?;
        }
        writer.finish().map_err(wrap)?;
    }
    Ok(())
}

/// The error of a connection whose client was lost with the thread that had it.
fn lost() -> Error {
    Error::ToSqlConversionFailure("the connection to PostgreSQL was lost".into())
}

fn with_bound<T>(
    values: &[&dyn rusqlite::ToSql],
    work: impl FnOnce(&[&(dyn PgToSql + Sync)]) -> std::result::Result<T, postgres::Error>,
) -> Result<T> {
    let params = bind(values)?;
    let refs: Vec<&(dyn PgToSql + Sync)> =
        params.iter().map(|p| p as &(dyn PgToSql + Sync)).collect();
    work(&refs).map_err(wrap)
}

fn bind(values: &[&dyn rusqlite::ToSql]) -> Result<Vec<Param>> {
    values
        .iter()
        .map(|value| {
            Ok(Param(match value.to_sql()? {
                ToSqlOutput::Borrowed(value) => value.into(),
                ToSqlOutput::Owned(value) => value,
                _ => return Err(Error::ToSqlConversionFailure("an unsupported value".into())),
            }))
        })
        .collect()
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl PgToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::FLOAT4 => (*n as f32).to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                _ => n.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Real(x) => match *ty {
                Type::FLOAT8 => x.to_sql(ty, out),
                Type::FLOAT4 => (*x as f32).to_sql(ty, out),
                Type::INT8 if x.fract() == 0.0 => (*x as i64).to_sql(ty, out),
                _ => x.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Text(text) => match *ty {
                Type::INT8 => text.trim().parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => text.trim().parse::<i32>()?.to_sql(ty, out),
                Type::FLOAT8 => text.trim().parse::<f64>()?.to_sql(ty, out),
                Type::BYTEA => text.as_bytes().to_sql(ty, out),
                _ => text.as_str().to_sql(&Type::TEXT, out),
            },
            Value::Blob(bytes) => match *ty {
                Type::BYTEA => bytes.as_slice().to_sql(ty, out),
                _ => String::from_utf8_lossy(bytes)
                    .as_ref()
                    .to_sql(&Type::TEXT, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Column `index` of `row` as SQLite would give it.
pub fn value_at(row: &postgres::Row, index: usize) -> Result<ValueRef<'_>> {
    let Some(column) = row.columns().get(index) else {
        return Err(Error::InvalidColumnIndex(index));
    };
    let failed = |err: postgres::Error| wrap(err);
    Ok(match *column.type_() {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, ValueRef::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |n| ValueRef::Integer(n.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |n| ValueRef::Integer(n.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |b| ValueRef::Integer(b.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, ValueRef::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |x| ValueRef::Real(x.into())),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, ValueRef::Blob),
        _ => row
            .try_get::<_, Option<Text<'_>>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |text| ValueRef::Text(text.0)),
    })
}

/// Any column read as its text (text, json, a name...).
struct Text<'a>(&'a [u8]);

impl<'a> PgFromSql<'a> for Text<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        // jsonb's binary form starts with its version.
        Ok(Text(if *ty == Type::JSONB { &raw[1..] } else { raw }))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// For tests (this crate's and the command line's): the server `LEADS_TEST_POSTGRES`
/// names, as a URL without a database (`postgres://USER@HOST:PORT`), or None when it
/// names none.
#[doc(hidden)]
pub fn test_server() -> Option<String> {
    let server = std::env::var("LEADS_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())?;
    Some(match server.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => server,
    })
}

/// For tests: a new, empty database on the server `LEADS_TEST_POSTGRES` names, its URL;
/// None when the variable names no server. Databases that earlier test processes left
/// (named with their process id) are dropped first.
#[doc(hidden)]
pub fn test_database() -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    let base = test_server()?;
    let mut admin = postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls)
        .unwrap_or_else(|err| panic!("LEADS_TEST_POSTGRES={base}: {err}"));
    let pid = std::process::id();
    SWEPT.call_once(|| {
        let names: Vec<String> = admin
            .query(
                "SELECT datname FROM pg_database WHERE datname LIKE 'leads\\_test\\_%'",
                &[],
            )
            .expect("the test server lists its databases")
            .iter()
            .map(|row| row.get(0))
            .collect();
        for name in names {
            let owner: Option<u32> = name.split('_').nth(2).and_then(|p| p.parse().ok());
            if owner.is_some_and(|owner| {
                owner != pid && !std::path::Path::new(&format!("/proc/{owner}")).exists()
            }) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
            }
        }
    });
    let name = format!("leads_test_{pid}_{}", NEXT.fetch_add(1, Ordering::SeqCst));
    // One statement a call: DROP and CREATE DATABASE cannot share a transaction.
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .expect("a stale test database dropped");
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
        ))
        .expect("a test database created");
    Some(format!("{base}/{name}"))
}

/// For tests: drop a database `test_database` made (its connections ended first).
#[doc(hidden)]
pub fn drop_test_database(url: &str) {
    let Some((base, name)) = url.rsplit_once('/') else {
        return;
    };
    if !name.starts_with("leads_test_") {
        return;
    }
    if let Ok(mut admin) = postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls) {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{test_database, test_server, translate};
    use crate::store::Store;

    #[test]
    fn placeholders_become_numbered_outside_quotes() {
        assert_eq!(
            translate("SELECT '?', \"a?\" FROM t WHERE a = ?1 AND b = ?2 -- ?\n AND c = ?"),
            "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2 -- ?\n AND c = $3"
        );
        assert_eq!(translate("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
    }

    #[test]
    fn sqlites_words_are_rewritten_in_the_sql_and_never_in_its_texts() {
        assert_eq!(
            translate(
                "SELECT ' LIKE ', a FROM t INDEXED BY t_a WHERE a LIKE ?1 \
                 AND b IS NOT ?2 AND CAST(c AS INTEGER) = 1 -- a LIKE b IS NOT ?\n"
            ),
            "SELECT ' LIKE ', a FROM t  WHERE a ILIKE $1 \
             AND b IS DISTINCT FROM $2 AND CAST(c AS BIGINT) = 1 -- a LIKE b IS NOT ?\n"
        );
        // An unclosed quote runs to the end, as a literal.
        assert_eq!(translate("SELECT 'x ? LIKE "), "SELECT 'x ? LIKE ");
    }

    proptest::proptest! {
        /// Whatever the text, the translation ends, and leaves quoted text as it was.
        #[test]
        fn any_text_translates_without_panicking(sql in "\\PC{0,200}") {
            let translated = translate(&sql);
            proptest::prop_assert_eq!(translated.matches('\'').count(), sql.matches('\'').count());
        }
    }

    /// A store on a new PostgreSQL database, and a second connection to it, or None
    /// without `LEADS_TEST_POSTGRES`.
    fn two_sellers(timeout: Duration) -> Option<(Store, Store)> {
        let url = test_database()?;
        let first = Store::open_url(&url, timeout).unwrap();
        let second = Store::open_url(&url, timeout).unwrap();
        Some((first, second))
    }

    #[test]
    fn rows_sent_meanwhile_are_saved_before_the_next_step_or_fail_it() {
        let Some(url) = test_database() else {
            return eprintln!("skipped: LEADS_TEST_POSTGRES names no server");
        };
        let (pg, _) = super::Postgres::connect(&url, Duration::from_secs(5), super::Tables::Create)
            .unwrap()
            .expect("created when missing");
        let columns = ["key".to_string(), "value".to_string()];
        let setting = |key: &str| {
            let row = vec![
                super::Value::Text(key.into()),
                super::Value::Text("1".into()),
            ];
            super::encode_rows("settings", &columns, &mut std::iter::once(Ok(row)))
                .unwrap()
                .0
        };
        let count = |pg: &super::Postgres| -> i64 {
            let statement = pg.prepare("SELECT count(*) FROM settings").unwrap();
            pg.query(&statement, &[]).unwrap()[0].get(0)
        };
        pg.begin(true).unwrap();
        pg.send_later(vec![setting("a"), setting("b")]).unwrap();
        // The next query waits for them, and sees them.
        assert_eq!(count(&pg), 2);
        // A COPY the server refuses (a key already there) fails the step after it.
        pg.send_later(vec![setting("a")]).unwrap();
        let err = pg.batch("SELECT 1").unwrap_err();
        assert!(err.to_string().contains("duplicate key"), "{err}");
        // Rolled back, the connection is usable, and nothing of the transaction is kept.
        pg.end(false).unwrap();
        assert_eq!(count(&pg), 0);
        // A failed COPY met by the commit itself: rolled back, told, the connection usable.
        pg.begin(true).unwrap();
        pg.send_later(vec![setting("c"), setting("c")]).unwrap();
        let err = pg.end(true).unwrap_err();
        assert!(err.to_string().contains("duplicate key"), "{err}");
        assert_eq!(count(&pg), 0);
        pg.begin(true).unwrap();
        pg.send_later(vec![setting("d")]).unwrap();
        pg.end(true).unwrap();
        assert_eq!(count(&pg), 1);
        drop(pg);
        super::drop_test_database(&url);
    }

    #[test]
    fn a_version_14_database_is_upgraded_with_the_email_keys_leads_folds() {
        let Some(url) = test_database() else {
            return eprintln!("skipped: LEADS_TEST_POSTGRES names no server");
        };
        // A database as the first PostgreSQL leads made it, with a lead and a before-image.
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client.batch_execute(super::SCHEMA).unwrap();
        client
            .batch_execute(
                "INSERT INTO leads_schema (version) VALUES (14);
                 INSERT INTO import_batches (id, started_at, source_name)
                 VALUES (1, '2026-01-01T00:00:00Z', 'a.csv');
                 INSERT INTO leads (id, email, status, created_at, updated_at) VALUES
                     (1, 'ada@example.com', 'new', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                     (2, 'STRAßE@x.de', 'new', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO import_updates (batch_id, lead_id, before, updated_at)
                 VALUES (1, 2, '{\"email\": \"Old@X.de\"}', '2026-01-02T00:00:00Z');",
            )
            .unwrap();
        drop(client);
        let store = Store::open_url(&url, Duration::from_secs(5)).unwrap();
        assert_eq!(store.lead_id_by_email("straße@X.DE").unwrap(), Some(2));
        assert_eq!(store.lead_id_by_email("strasse@x.de").unwrap(), None);
        assert_eq!(store.lead_id_by_email("ADA@example.com").unwrap(), Some(1));
        assert_eq!(
            store.lead(1).unwrap().email.as_deref(),
            Some("ada@example.com")
        );
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let row = client
            .query_one(
                "SELECT (SELECT max(version) FROM leads_schema),
                        (SELECT before FROM import_updates),
                        (SELECT count(*) FROM pg_indexes WHERE indexname = 'leads_email_key')",
                &[],
            )
            .unwrap();
        let (version, before, indexed): (i64, String, i64) = (row.get(0), row.get(1), row.get(2));
        assert_eq!(version, crate::store::schema::CURRENT_VERSION);
        assert_eq!(before, r#"{"email": "Old@X.de", "email_key": "old@x.de"}"#);
        assert_eq!(indexed, 1);
        drop((store, client));
        super::drop_test_database(&url);
    }

    #[test]
    fn a_writer_held_up_is_busy_and_its_connection_stays_usable() {
        let Some((first, second)) = two_sellers(Duration::from_millis(200)) else {
            return eprintln!("skipped: LEADS_TEST_POSTGRES names no server");
        };
        let version = second.data_version().unwrap();
        let held = first.write(|_| {
            // While the first seller writes: the second waits its timeout, then is busy.
            let err = second.write(|s| s.set_setting("a", "1")).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), 75, "{err:#}");
            // A read's housekeeping gives way at once rather than waiting.
            assert_eq!(second.try_write(|s| s.set_setting("a", "2")).unwrap(), None);
            Ok(())
        });
        held.unwrap();
        // The failed begins left nothing open: the second seller writes now.
        second.write(|s| s.set_setting("a", "3")).unwrap();
        assert_eq!(first.setting("a").unwrap().as_deref(), Some("3"));
        // The first seller's write moved the second's version; its own did not, nor
        // did a write it threw away.
        let moved = second.data_version().unwrap();
        assert_ne!(moved, version);
        second
            .write_then_discard(|s| s.set_setting("b", "1"))
            .unwrap();
        second.write(|s| s.set_setting("b", "2")).unwrap();
        assert_eq!(second.data_version().unwrap(), moved);
    }

    #[test]
    fn a_server_that_does_not_answer_is_busy_and_its_password_unsaid() {
        let err = Store::open_url(
            "postgres://seller:s3cret@127.0.0.1:1/leads",
            Duration::from_secs(1),
        )
        .err()
        .unwrap();
        let said = format!("{err:#}");
        assert_eq!(crate::error::exit_code(&err), 75, "{said}");
        assert!(said.contains("postgres://127.0.0.1:1/leads"), "{said}");
        assert!(!said.contains("s3cret"), "{said}");

        let err = Store::open_url(
            "postgres://seller:s3cret@host:port/x",
            Duration::from_secs(1),
        )
        .err()
        .unwrap();
        assert_eq!(crate::error::exit_code(&err), 65, "{err:#}");
        assert!(!format!("{err:#}").contains("s3cret"));
    }

    #[test]
    fn a_database_the_server_does_not_have_is_missing() {
        let Some(base) = test_server() else {
            return eprintln!("skipped: LEADS_TEST_POSTGRES names no server");
        };
        let err = Store::open_url(
            &format!("{base}/leads_no_such_database"),
            Duration::from_secs(1),
        )
        .err()
        .unwrap();
        assert_eq!(crate::error::exit_code(&err), 66, "{err:#}");
    }

    /// Whether the connection `url` opens is encrypted, or why it could not open.
    fn encrypted(url: &str) -> anyhow::Result<bool> {
        let (pg, _) = super::Postgres::connect(url, Duration::from_secs(1), super::Tables::Create)?
            .expect("created when missing");
        let row = pg.client()?.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )?;
        Ok(row.get(0))
    }

    #[test]
    fn tls_is_used_as_the_url_asks() {
        let Some(url) = test_database() else {
            return eprintln!("skipped: LEADS_TEST_POSTGRES names no server");
        };
        assert!(!encrypted(&format!("{url}?sslmode=disable")).unwrap());
        let offered = {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client
                .query_one("SHOW ssl", &[])
                .unwrap()
                .get::<_, String>(0)
                == "on"
        };
        for mode in ["require", "prefer"] {
            let url = format!("{url}?sslmode={mode}");
            match (mode, offered) {
                (_, true) => assert!(encrypted(&url).unwrap(), "{mode}"),
                ("prefer", false) => assert!(!encrypted(&url).unwrap()),
                (_, false) => {
                    let err = encrypted(&url).unwrap_err();
                    assert_eq!(crate::error::exit_code(&err), 1, "{err:#}");
                    assert!(format!("{err:#}").contains("TLS"), "{err:#}");
                }
            }
        }
        // The same server reached under a name its certificate cannot hold (`hostaddr`
        // says where it is): verify-full refuses it, whoever signed the certificate.
        let (scheme, rest) = url.split_once("://").unwrap();
        let (user, rest) = rest.split_once('@').unwrap_or(("", rest));
        let (address, database) = rest.split_once('/').unwrap();
        let (host, port) = address.split_once(':').unwrap_or((address, "5432"));
        if offered && host.parse::<std::net::IpAddr>().is_ok() {
            let user = if user.is_empty() {
                String::new()
            } else {
                format!("{user}@")
            };
            let misnamed = format!(
                "{scheme}://{user}leads-test.invalid:{port}/{database}?hostaddr={host}&sslmode=verify-full"
            );
            let err = encrypted(&misnamed).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), 1, "{err:#}");
            assert!(format!("{err:#}").contains("the TLS connection"), "{err:#}");
        }
    }

    /// Opening finds the schema without the write lock: another seller's import does not
    /// keep a read from starting (a cold review found every open waiting for it).
    #[test]
    fn a_store_opens_while_another_seller_writes() {
        let Some(url) = test_database() else {
            return eprintln!("skipped: LEADS_TEST_POSTGRES names no server");
        };
        let writer = Store::open_url(&url, Duration::from_secs(1)).unwrap();
        writer
            .write(|_| {
                let reader = Store::open_url(&url, Duration::from_millis(50))?;
                assert_eq!(reader.setting("anything")?, None);
                Ok(())
            })
            .unwrap();
    }
}

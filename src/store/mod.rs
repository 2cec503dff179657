//! The only place with SQL: opening the database, migrations, typed queries.
//!
//! One `Store` owns the connection. Commands ask it for domain values (`Lead`,
//! `Activity`, ...) and never see SQL.
//!
//! # The storage interface
//!
//! The storage interface is `Store`'s public methods (and `Importer`'s, the handle of one
//! import) together with the values they take and give: the domain's (`Lead`,
//! `Activity`, `FollowUp`, `StatusChange`, `Qualification`, `Cadence`, `Step`,
//! `Enrollment`, `SavedModel`, `ActivityCounts`, `Profile`) and the store's own, all
//! engine-free plain data re-exported below (`LeadQuery`, `NewActivity`, `NewFollowUp`,
//! `Batch`, `Undo`, `UndoPlan`, `Same`, `Identity`, `Moved`, `Forgetting`, `Report`,
//! `Period`, `Spend`, `NoNextStep`, ...). Commands and workflows reach the data through
//! nothing else: no `rusqlite` outside `src/store` but `error::exit_code`, which reads a
//! busy SQLite error as exit 75. Transactions are part of it: `write` (all or nothing,
//! the write lock taken first), `write_then_discard` (a dry run), `snapshot` (one
//! consistent read), `try_write` (housekeeping that gives way), `import` (one batch).
//!
//! What the methods must do is `conformance`'s: each check there runs on a fresh, empty
//! store through these methods alone, and `every_method_of_the_interface_is_checked`
//! fails when a public method has no check. What must agree is decided by leads, not by
//! an engine: emails compare on `fold` (Unicode lower case) and forgotten people on
//! `email_hash`; ids are never given twice (`ids`); ties in every list are broken by id
//! and a missing value sorts as SQLite sorts NULL (first ascending, last descending);
//! the rules SQLite keeps with triggers (an answer, a qualifying or closing status,
//! do-not-contact, forget and delete end an enrollment and close its open step) hold
//! whichever method makes the change; times are RFC 3339 UTC to the second.
//!
//! # A second engine
//!
//! PostgreSQL (issue 28) sits under the store, not beside it: the store's connection is
//! `sql::Connection`, an enum of the two engines' connections with rusqlite's shape
//! (`prepare_cached`, `query_map`, `Row::get`...), so each method's SQL is written once.
//! SQLite's arm hands every call straight to rusqlite (the reads and the import were
//! measured with it: +0.9% instructions on a read, no change in import time).
//! PostgreSQL's arm (`postgres`) translates what differs mechanically (placeholders,
//! `INDEXED BY`, `IS NOT ?`, `LIKE`, integer casts), binds rusqlite's values in the types
//! the server asks for and reads its columns back as SQLite's `ValueRef`s. Where the
//! engines truly differ a method asks `conn.is_postgres()` (JSON building in an import's
//! before-images, the vacuum of `forget`) or `conn.sqlite()` (pragmas, WAL, the import's
//! journal switch). A busy or lost server is SQLite's busy error (`postgres::wrap`), so
//! `is_busy` and exit 75 need not know the engine. `postgres.sql` is the schema at the current version, with SQLite's
//! triggers as PL/pgSQL and SQLite's functions (`json_each`, `instr`, `leads_fold`) as
//! SQL functions.
//!
//! What each command opens is `Location` (`--db`/`LEADS_DB`: a file, or a `postgres://`
//! URL): `open_existing`/`open_existing_server` for reads (a file or tables missing is
//! exit 66), `open_or_create`/`open_server` for writes (the schema made on first use,
//! under the write lock; a newer schema refused), TLS as the URL's `sslmode` asks
//! (`tls`). A server that does not answer is exit 75, a database it does not have 66, a
//! malformed URL 65, each naming the server without the password. `copy_into` is `db
//! copy`: every table, as stored, into an empty database of either engine (PostgreSQL
//! takes the rows through COPY). Ids on PostgreSQL are SQLite's (the highest + 1, in the
//! transaction: a rolled-back insert gives none away), by the schema's `*_next_id`
//! triggers. `import` sends its new leads by COPY, 10,000 at a time (`Importer::create`).
//! Not yet: the schema's upgrades on PostgreSQL (there has been no version since it
//! came), text with a NUL byte (SQLite keeps it; PostgreSQL's text cannot hold it).
//!
//! # Running the suite for an engine
//!
//! `cargo test --lib store::conformance` runs every check on every engine;
//! `store::conformance::sqlite::` (in memory) or `store::conformance::sqlite_file::` (a
//! file, as commands open it: WAL, secure delete, an import's journal switch) one engine.
//! An engine joins with one line, its name and a factory of fresh, empty stores, e.g. in
//! its own test module:
//!
//! ```ignore
//! crate::store::conformance::conformance_tests!(postgres, postgres_test_store);
//! ```
//!
//! where `postgres_test_store()` gives a `Store` in a database of its own, or None when
//! `LEADS_TEST_POSTGRES` names no server (each check then says it was skipped).
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::OpenFlags;

use sql::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::scoring::Profile;

/// The closed statuses as an SQL list, for `status IN closed!()`: one spelling of
/// `Status::is_closed` for every query (a test keeps the two in step).
macro_rules! closed {
    () => {
        "('won', 'lost', 'disqualified')"
    };
}

mod activities;
mod agenda;
mod attributes;
#[cfg(test)]
pub(crate) mod conformance;
mod copy;
mod fold;
mod follow_ups;
mod ids;
mod import;
mod lead_query;
mod leads;
mod location;
mod mail;
mod merge;
mod nurture;
mod owner_attribute;
mod pgpass;
pub(crate) mod postgres;
mod privacy;
mod qualify;
mod report;
pub mod schema;
mod spend;
pub(crate) mod sql;
mod tls;
mod win_model;

pub use activities::NewActivity;
pub use agenda::{NoNextStep, WalkOrder};
pub use copy::Copied;
pub use fold::fold;
pub use follow_ups::{DueFollowUp, NewFollowUp};
pub use import::{Batch, Importer, Same, Undo, UndoPlan};
pub use lead_query::{LeadOrder, LeadQuery};
pub use location::{check_database_path, Location};
pub use merge::{Identity, Moved};
pub use nurture::{CadenceTally, CadenceUse};
#[doc(hidden)]
pub use postgres::{drop_test_database, test_database, test_server};
pub use privacy::{email_hash, Forgetting};
pub use report::{Funnel, GroupTally, Months, Period, Report, ReportGroup};
pub use spend::Spend;

/// How long a command waits for another `leads` that is writing before giving up (exit 75).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a row a read leaves out is said (see `Store::on_unreadable`).
pub type UnreadableSink = Box<dyn Fn(&str)>;

/// The database of leads.
pub struct Store {
    conn: Open,
    busy_timeout: Duration,
    /// Where a skipped row is said at once: the command's warnings, set when it opens
    /// the database, so that every read (a listing, the rescoring before `show` or
    /// `report`) reports what it left out, not only the commands that remember to ask.
    on_unreadable: Option<UnreadableSink>,
    /// Set when the database could only be opened read-only (see `open_read_only`): its
    /// path, for the message of a command that tries to write.
    read_only: Option<PathBuf>,
    /// Who is doing what this store writes (`LEADS_USER`, else the login name): recorded
    /// with each status change and import (activities carry their own `by`). A cell: who
    /// acts is the session's, set once the store is open (see `act_as`).
    user: std::cell::RefCell<Option<String>>,
    /// Set by `close_at_exit`: the process ends with this store, so a connection with
    /// nothing to copy back is left for the operating system to close.
    at_exit: bool,
}

/// The connection, open until the store is dropped (only `Drop for Store` takes it).
struct Open(Option<Connection>);

impl std::ops::Deref for Open {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.0
            .as_ref()
            .expect("the connection is taken only when the store is dropped")
    }
}

impl Drop for Store {
    /// At the end of a command that wrote nothing, the connection is not closed: SQLite's
    /// close frees every statement and the whole schema one allocation at a time, tries a
    /// checkpoint that has nothing to copy, and deletes the `-wal` and `-shm` files that
    /// the next command creates again (4% of `today`'s instructions and four file
    /// operations). It is kept in `LEFT_OPEN` until the process exits, when the operating
    /// system closes the files and releases the locks, as after a crash, which SQLite is
    /// built to meet. A connection whose log holds anything (this command wrote, or
    /// another did) closes as ever, so the log is copied back into the database.
    fn drop(&mut self) {
        let Some(conn) = self.conn.0.take() else {
            return;
        };
        if self.at_exit && nothing_to_copy_back(&conn) {
            if let Ok(mut left) = LEFT_OPEN.lock() {
                left.push(conn);
            }
        }
    }
}

/// The connections of stores dropped with nothing to copy back (see `Drop for Store`).
/// A command that opens a second store (a dry run's currency, then the import) closes
/// them first: a connection left open keeps its shared lock on the file, which in one
/// process would stop the next connection from switching the journal or copying its log
/// back when it closes.
static LEFT_OPEN: std::sync::Mutex<Vec<Connection>> = std::sync::Mutex::new(Vec::new());

/// Close the connections left open by stores this process dropped (see `LEFT_OPEN`).
fn close_left_open() {
    if let Ok(mut left) = LEFT_OPEN.lock() {
        left.clear();
    }
}

/// Whether closing `conn` would have nothing to do but free memory: a file database in
/// WAL mode, outside a transaction, its log empty.
fn nothing_to_copy_back(conn: &Connection) -> bool {
    let Connection::Sqlite(conn) = conn else {
        return false;
    };
    let Some(path) = conn.path().filter(|path| !path.is_empty()) else {
        return false;
    };
    conn.is_autocommit() && std::fs::metadata(format!("{path}-wal")).is_ok_and(|log| log.len() == 0)
}

impl Store {
    /// Open (creating if needed, readable by its owner only) the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        Ok(Self::open_or_create(path, BUSY_TIMEOUT)?.0)
    }

    /// Open the database at `path`, creating it (mode 0600) when it does not exist; the
    /// flag says whether this call created it. Its folder must exist: only the caller
    /// knows whether the path is the default one, whose folder may be made.
    pub fn open_or_create(path: &Path, busy_timeout: Duration) -> Result<(Store, bool)> {
        check_database_path("the database", path)?;
        let created = create_private(path)?;
        Ok((Self::open_file(path, busy_timeout)?, created))
    }

    /// Open the database at `path`, which must exist: a missing file is exit 66 naming it
    /// (a typo in a crontab must not look like "nothing due").
    pub fn open_existing(path: &Path, busy_timeout: Duration) -> Result<Store> {
        check_database_path("the database", path)?;
        match std::fs::metadata(path) {
            Ok(_) => Self::open_file(path, busy_timeout),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let folder = path.parent().filter(|dir| !dir.as_os_str().is_empty());
                let missing_folder = match folder.filter(|dir| !dir.exists()) {
                    Some(folder) => format!(" (the folder {} does not exist)", folder.display()),
                    None => String::new(),
                };
                Err(crate::error::Failure::InputMissing(format!(
                    "no database at {}{missing_folder}: check --db or LEADS_DB (a command \
                     that adds data, such as `leads add` or `leads import`, creates it)",
                    path.display()
                ))
                .into())
            }
            Err(err) => Err(crate::error::Failure::InputMissing(format!(
                "cannot read the database {}: {err}",
                path.display()
            ))
            .into()),
        }
    }

    fn open_file(path: &Path, busy_timeout: Duration) -> Result<Store> {
        // An empty file (`touch`, another program given a typo, or one a `leads` starting
        // at the same moment has just made) becomes the database: private, as a new one
        // is made, before anything is written into it. SQLite gives its -wal and -shm the
        // same mode.
        if is_empty_file(path) {
            make_private(path)?;
        }
        if path.is_dir() {
            return Err(crate::error::Failure::InputMissing(format!(
                "cannot use the database {}: it is a folder, not a database file",
                path.display()
            ))
            .into());
        }
        // No SQLITE_OPEN_URI: a path is a file path (`check_database_path` refuses the
        // names the bundled SQLite would still read as URIs).
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open the database {}", path.display()))?;
        match Self::setup(conn, busy_timeout, None) {
            Ok(store) => Ok(store),
            // A folder this user cannot write, or the `-wal`/`-shm` of another user's read
            // left there (see `Drop for Store`), which this user cannot open.
            Err(err) if cannot_use_side_files(&err) => Self::open_read_only(path, busy_timeout),
            Err(err) => {
                Err(err).with_context(|| format!("cannot use the database {}", path.display()))
            }
        }
    }

    /// Open a database whose folder leads cannot write (another user's shared folder, a
    /// read-only mount): SQLite cannot create its `-wal` and `-shm` there. Read-only, which
    /// works while another process has them open; else immutable, which needs neither
    /// (no writer can exist: it would have to create them). Reads work; a write says why
    /// it cannot.
    fn open_read_only(path: &Path, busy_timeout: Duration) -> Result<Store> {
        let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let opened = rusqlite::Connection::open_with_flags(path, read_only)
            .map_err(anyhow::Error::from)
            .and_then(|conn| Self::setup(conn, busy_timeout, Some(path.to_path_buf())));
        let opened = match opened {
            Err(err) if cannot_use_side_files(&err) => {
                let uri = immutable_uri(&std::fs::canonicalize(path)?);
                rusqlite::Connection::open_with_flags(uri, read_only | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(anyhow::Error::from)
                    .and_then(|conn| Self::setup(conn, busy_timeout, Some(path.to_path_buf())))
            }
            other => other,
        };
        opened.with_context(|| {
            format!(
                "cannot use the database {} (read-only: leads cannot create files in its folder)",
                path.display()
            )
        })
    }

    /// Open the database `location` names, which must exist (a file missing, or a
    /// PostgreSQL database without leads' tables, is exit 66).
    pub fn open_existing_at(location: &Location, busy_timeout: Duration) -> Result<Store> {
        match location {
            Location::File(path) => Self::open_existing(path, busy_timeout),
            Location::Server(url) => Self::open_existing_server(url, busy_timeout),
        }
    }

    /// Open the database `location` names, creating it (a file) or its tables (on a
    /// server) when missing; the flag says whether this call did.
    pub fn open_or_create_at(location: &Location, busy_timeout: Duration) -> Result<(Store, bool)> {
        match location {
            Location::File(path) => Self::open_or_create(path, busy_timeout),
            Location::Server(url) => Self::open_server(url, busy_timeout),
        }
    }

    /// Open the PostgreSQL database `url` names (`postgres://USER@HOST/DB`), creating
    /// its schema on first use (see `postgres::Postgres::connect` for its failures).
    pub fn open_url(url: &str, busy_timeout: Duration) -> Result<Store> {
        Ok(Self::open_server(url, busy_timeout)?.0)
    }

    /// `open_url`, saying whether this call created leads' schema in that database.
    pub fn open_server(url: &str, busy_timeout: Duration) -> Result<(Store, bool)> {
        let opened = postgres::Postgres::connect(url, busy_timeout, postgres::Tables::Create)?;
        let (pg, created) = opened.expect("created when missing");
        Ok((Self::on_server(pg, busy_timeout), created))
    }

    /// The PostgreSQL database `url` names, which must have leads' tables already: one
    /// without them is exit 66, as a missing SQLite file is (a read never creates them).
    pub fn open_existing_server(url: &str, busy_timeout: Duration) -> Result<Store> {
        let opened = postgres::Postgres::connect(url, busy_timeout, postgres::Tables::Existing)?;
        let (pg, _) = opened.expect("refused when missing");
        Ok(Self::on_server(pg, busy_timeout))
    }

    /// The PostgreSQL database `url` names when it has leads' tables, else None (a dry
    /// run then works in memory, as on a new SQLite file).
    pub fn open_server_if_set_up(url: &str, busy_timeout: Duration) -> Result<Option<Store>> {
        let opened = postgres::Postgres::connect(url, busy_timeout, postgres::Tables::IfAny)?;
        Ok(opened.map(|(pg, _)| Self::on_server(pg, busy_timeout)))
    }

    fn on_server(pg: postgres::Postgres, busy_timeout: Duration) -> Store {
        Store::new(Connection::Postgres(Box::new(pg)), busy_timeout, None)
    }

    /// A fresh database in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(rusqlite::Connection::open_in_memory()?, BUSY_TIMEOUT, None)
    }

    /// Make `conn` a leads database: checked as ours, WAL, migrated. `read_only` (the
    /// path) is set for a connection opened read-only, which changes nothing (and cannot
    /// upgrade).
    fn setup(
        mut conn: rusqlite::Connection,
        busy_timeout: Duration,
        read_only: Option<PathBuf>,
    ) -> Result<Store> {
        close_left_open();
        conn.busy_timeout(busy_timeout)?;
        // Only reads until the file is known to be a leads database: a file leads refuses
        // is left byte-identical (no journal mode change, no schema, no WAL files).
        schema::check_is_ours(&conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if let Some(path) = &read_only {
            conn.pragma_update(None, "query_only", "ON")?;
            schema::check_current(&conn, path)?;
        } else {
            // WAL lets cron read while the seller writes; secure_delete overwrites erased data.
            set_wal(&conn, busy_timeout)?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.pragma_update(None, "secure_delete", "ON")?;
        }
        fold::register(&conn)?;
        if read_only.is_none() {
            schema::migrate(&mut conn)?;
        }
        Ok(Store::new(
            Connection::Sqlite(conn),
            busy_timeout,
            read_only,
        ))
    }

    /// A store on an open, ready connection.
    fn new(conn: Connection, busy_timeout: Duration, read_only: Option<PathBuf>) -> Store {
        Store {
            conn: Open(Some(conn)),
            busy_timeout,
            on_unreadable: None,
            read_only,
            user: std::cell::RefCell::new(None),
            at_exit: false,
        }
    }

    /// Record `user` as the one who moves leads in the pipeline, imports, and owns the
    /// leads an import creates without an owner of their own (DESIGN's "who did what");
    /// None records nobody.
    pub fn act_as(&self, user: Option<String>) {
        *self.user.borrow_mut() = user;
    }

    /// Who this store records as doing what it writes (see `act_as`).
    fn user(&self) -> Option<String> {
        self.user.borrow().clone()
    }

    /// The process ends when this store is dropped (the command line's stores): a read
    /// leaves its connection for the operating system to close (see `Drop for Store`).
    /// Tests and other long-lived users keep the default, a plain close.
    pub fn close_at_exit(mut self) -> Store {
        self.at_exit = true;
        self
    }

    /// Whether this database could only be opened read-only (see `open_read_only`).
    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// Say each row left out to `sink` as it is skipped (the store itself prints nothing).
    pub fn on_unreadable(mut self, sink: UnreadableSink) -> Store {
        self.on_unreadable = Some(sink);
        self
    }

    /// Note a row a listing leaves out (see `on_unreadable`) and go on; any other error
    /// stops the listing.
    pub(crate) fn skip_unreadable(&self, table: &str, id: i64, err: rusqlite::Error) -> Result<()> {
        match unreadable(&err) {
            Some(what) => {
                let message = repair_hint(table, id, &what);
                // A store opened without a sink (the library's own tests) leaves it unsaid.
                if let Some(sink) = &self.on_unreadable {
                    sink(&message);
                }
                Ok(())
            }
            None => Err(err.into()),
        }
    }

    /// Read in one snapshot: every statement of `work` sees the same database, and the
    /// file is locked once rather than once a statement (a read of many small queries,
    /// such as `today`'s, spends less on locks). Takes no write lock.
    pub fn snapshot<T>(&self, work: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
        let value = work(self)?;
        tx.finish()?;
        Ok(value)
    }

    /// Set this connection for a long run of writes all over the database, such as a mail
    /// import's inserts into random places of its indexes: SQLite keeps up to `mib` MiB of
    /// pages in memory (2 MiB otherwise, so pages were read again and again, and written
    /// out before their commit), and copies the write-ahead log back into the database
    /// when it holds `mib` MiB rather than 4 (each copy waits for the disk twice, and
    /// copies the same pages again).
    pub fn prepare_for_many_writes(&self, mib: u32) -> Result<()> {
        if self.conn.sqlite().is_none() {
            return Ok(()); // the server's own settings
        }
        // Negative: a size in KiB rather than a number of pages.
        self.conn
            .pragma_update(None, "cache_size", -i64::from(mib) * 1024)?;
        let page_size: i64 = self
            .conn
            .pragma_query_value(None, "page_size", |row| row.get(0))?;
        self.conn.pragma_update(
            None,
            "wal_autocheckpoint",
            i64::from(mib) * (1 << 20) / page_size.max(512),
        )?;
        Ok(())
    }

    /// A number that changes when another connection (another process) has written to the
    /// database since it was last read; what this one writes leaves it as it is. For a
    /// long run that keeps what it looked up between its transactions.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.data_version()?)
    }

    /// Run `work` in one write transaction: all of it lands, or none of it.
    /// IMMEDIATE takes the write lock up front, so a concurrent writer waits its turn
    /// (busy timeout) instead of failing half-way through.
    pub fn write<T>(&self, work: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if let Some(path) = &self.read_only {
            anyhow::bail!(
                "the database {} is read-only here: leads cannot create files in its folder \
                 (SQLite keeps its -wal and -shm beside it); nothing was changed",
                path.display()
            );
        }
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let value = work(self)?;
        tx.commit()?;
        Ok(value)
    }

    /// Run `work` in one write transaction and roll it back: what a `--dry-run` would do,
    /// with every read inside it seeing the changes made so far.
    pub fn write_then_discard<T>(&self, work: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let value = work(self)?;
        tx.rollback()?;
        Ok(value)
    }

    /// Like `write`, but gives up at once (returning None) when another process holds the
    /// write lock: for housekeeping a reader can do without.
    pub fn try_write<T>(&self, work: impl FnOnce(&Store) -> Result<T>) -> Result<Option<T>> {
        if self.read_only.is_some() {
            return Ok(None);
        }
        self.conn.busy_timeout(Duration::ZERO)?;
        let began = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate);
        self.conn.busy_timeout(self.busy_timeout)?;
        let tx = match began {
            Ok(tx) => tx,
            Err(err) if is_busy(&err) => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        let value = work(self)?;
        tx.commit()?;
        Ok(Some(value))
    }

    /// The scoring profile: the seller's settings over the defaults.
    pub fn profile(&self) -> Result<Profile> {
        match self.setting(PROFILE_KEY)? {
            Some(json) => serde_json::from_str(&json).context("reading the stored profile"),
            None => Ok(Profile::default()),
        }
    }

    pub fn save_profile(&self, profile: &Profile) -> Result<()> {
        self.set_setting(PROFILE_KEY, &serde_json::to_string(profile)?)
    }

    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Remove a setting (nothing when it is not set).
    pub fn delete_setting(&self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }
}

const PROFILE_KEY: &str = "profile";

pub(crate) fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// SQLite could not create the `-wal`/`-shm` it needs in the database's folder, nor open
/// the ones there.
fn cannot_use_side_files(err: &anyhow::Error) -> bool {
    sqlite_errors(err).any(|error| {
        error.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY
            || error.code == rusqlite::ErrorCode::CannotOpen
    })
}

fn sqlite_errors(err: &anyhow::Error) -> impl Iterator<Item = &rusqlite::ffi::Error> {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<rusqlite::Error>())
        .filter_map(rusqlite::Error::sqlite_error)
}

/// `file:/the/path?immutable=1`, the path percent-encoded: the one URI leads builds itself.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(*byte));
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Where the database lives when neither `--db` nor `LEADS_DB` says.
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "leads")
        .context("cannot find a data directory for leads; give --db PATH or set LEADS_DB")?;
    Ok(dirs.data_dir().join("leads.db"))
}

/// Switch a new database to WAL. Changing the journal mode needs the file to itself, and
/// SQLite reports a busy file at once rather than waiting: wait here, as a busy timeout
/// would, for the processes starting at the same moment.
fn set_wal(conn: &rusqlite::Connection, timeout: Duration) -> Result<()> {
    let started = std::time::Instant::now();
    loop {
        let attempt = conn
            .pragma_query_value(None, "journal_mode", |row| row.get::<_, String>(0))
            .and_then(|mode| {
                if mode == "wal" || mode == "memory" {
                    Ok(mode)
                } else {
                    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
                }
            });
        match attempt {
            Ok(_) => return Ok(()),
            Err(err) if is_busy(&err) && started.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(err) => return Err(err.into()),
        }
    }
}

/// Readable and writable by its owner only (0600).
fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make the database {} private", path.display()))?;
    }
    Ok(())
}

/// Whether `path` is a regular file of no bytes (no database yet).
pub fn is_empty_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|file| file.is_file() && file.len() == 0)
}

/// Create the file with mode 0600 if it does not exist: it holds personal data.
/// SQLite gives its -wal and -shm files the same permissions. True when this call created it.
fn create_private(path: &Path) -> Result<bool> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(err) => {
            Err(err).with_context(|| format!("cannot create the database {}", path.display()))
        }
    }
}

/// "lead 5 left out: created_at '9999-...' is not a date; repair it with sqlite3 ...".
pub(crate) fn repair_hint(table: &str, id: i64, what: &str) -> String {
    let (noun, table_name) = match table {
        "follow_ups" => ("follow-up", "follow_ups"),
        "activities" => ("activity", "activities"),
        _ => ("lead", "leads"),
    };
    format!(
        "{noun} {id} cannot be read: {what}; repair it with sqlite3, e.g. \
         UPDATE {table_name} SET <column> = '2026-01-01T00:00:00Z' WHERE id = {id}"
    )
}

/// Dates are stored as RFC 3339 text in UTC, which sorts like time.
pub(crate) fn to_text(at: DateTime<Utc>) -> String {
    crate::model::rfc3339(at)
}

/// The date in column `index` of a row; a value that cannot be read (a hand edit such as
/// `9999-...` or text that is no date) is an error naming the column and the value.
pub(crate) fn date_at(row: &sql::Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    parse_stored(row, index, &text)
}

/// Like `date_at`, for a column that may be NULL.
pub(crate) fn opt_date_at(
    row: &sql::Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(index)?;
    text.map(|text| parse_stored(row, index, &text)).transpose()
}

fn parse_stored(row: &sql::Row<'_>, index: usize, text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            let column = row.column_name(index);
            let shown: String = text.chars().take(40).collect();
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                format!("{column} '{shown}' is not a date (RFC 3339, e.g. 2026-03-01T09:00:00Z)")
                    .into(),
            )
        })
}

/// What is wrong with a row that cannot be read back (a hand edit with another tool), or
/// None for any other error.
pub(crate) fn unreadable(err: &rusqlite::Error) -> Option<String> {
    match err {
        rusqlite::Error::FromSqlConversionFailure(_, _, cause) => Some(cause.to_string()),
        rusqlite::Error::InvalidColumnType(_, column, kind) => Some(format!(
            "{column} holds a value of type {kind} that leads cannot read"
        )),
        rusqlite::Error::IntegralValueOutOfRange(index, value) => {
            Some(format!("column {index} holds {value}, out of range"))
        }
        _ => None,
    }
}

pub(crate) fn from_text(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            let shown: String = text.chars().take(40).collect();
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!(
                    "a stored date '{shown}' is not a date (RFC 3339, e.g. \
                     2026-03-01T09:00:00Z); it was edited by another tool: repair it with sqlite3"
                )
                .into(),
            )
        })
}

pub(crate) fn opt_from_text(text: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    text.as_deref().map(from_text).transpose()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::Status;

    #[test]
    fn the_immutable_uri_keeps_every_byte_of_the_path() {
        assert_eq!(
            super::immutable_uri(Path::new("/srv/shared leads/a?b#c%d/é.db")),
            "file:/srv/shared%20leads/a%3Fb%23c%25d/%C3%A9.db?immutable=1"
        );
    }

    #[test]
    fn the_sql_list_of_closed_statuses_matches_the_model() {
        let closed: Vec<String> = Status::ALL
            .into_iter()
            .filter(|s| s.is_closed())
            .map(|s| format!("'{s}'"))
            .collect();
        assert_eq!(closed!(), format!("({})", closed.join(", ")));
    }

    /// The size of the database's write-ahead log, None when there is none.
    fn log_size(db: &Path) -> Option<u64> {
        let mut log = db.as_os_str().to_owned();
        log.push("-wal");
        std::fs::metadata(log).ok().map(|m| m.len())
    }

    #[test]
    fn a_write_at_exit_copies_its_log_back_and_a_read_leaves_its_empty_log() {
        let folder = tempfile::tempdir().unwrap();
        let db = folder.path().join("leads.db");
        drop(super::Store::open(&db).unwrap());
        assert_eq!(log_size(&db), None, "a plain close removes the log");

        // A write at exit closes as ever: the log is copied back and removed, and what it
        // wrote is in the database file itself.
        let store = super::Store::open(&db).unwrap().close_at_exit();
        store.set_setting("agenda.cold_after", "21d").unwrap();
        drop(store);
        assert_eq!(
            log_size(&db),
            None,
            "the written log is copied back and removed"
        );

        // A read at exit: nothing to copy back, the connection is left for the process's
        // end (last: in this test process it stays open, as it would until exit).
        let store = super::Store::open(&db).unwrap().close_at_exit();
        assert_eq!(
            store.setting("agenda.cold_after").unwrap().as_deref(),
            Some("21d")
        );
        drop(store);
        assert_eq!(
            log_size(&db),
            Some(0),
            "the empty log stays, as after a crash"
        );
    }
}

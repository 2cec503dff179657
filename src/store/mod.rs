//! The only place with SQL: opening the database, migrations, typed queries.
//!
//! One `Store` owns the connection. Commands ask it for domain values (`Lead`,
//! `Activity`, ...) and never see SQL.
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use crate::scoring::Profile;

/// The closed statuses as an SQL list, for `status IN closed!()`: one spelling of
/// `Status::is_closed` for every query (a test keeps the two in step).
macro_rules! closed {
    () => {
        "('won', 'lost', 'disqualified')"
    };
}

mod activities;
mod attributes;
mod fold;
mod follow_ups;
mod import;
mod leads;
mod privacy;
mod qualify;
mod report;
pub mod schema;
mod spend;
mod win_model;

pub use import::{Batch, Importer, Same, Undo, UndoPlan};
pub use leads::{LeadOrder, LeadQuery};
pub use privacy::{email_hash, Forgetting};
pub use report::{Funnel, GroupTally, Months, Period, Report, ReportGroup};
pub use spend::Spend;

/// How long a command waits for another `leads` that is writing before giving up (exit 75).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The database of leads.
pub struct Store {
    conn: Connection,
    busy_timeout: Duration,
}

impl Store {
    /// Open (creating if needed, readable by its owner only) the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        create_private(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open the database {}", path.display()))?;
        Self::setup(conn).with_context(|| format!("cannot use the database {}", path.display()))
    }

    /// A fresh database in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The first statement reads the header: a file that is not SQLite fails here.
        conn.pragma_query_value(None, "schema_version", |row| row.get::<_, i64>(0))
            .map_err(not_a_database)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // WAL lets cron read while the seller writes; secure_delete overwrites erased data.
        let mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
        if mode != "wal" && mode != "memory" {
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| {
                row.get::<_, String>(0)
            })?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        fold::register(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn,
            busy_timeout: BUSY_TIMEOUT,
        })
    }

    /// Wait at most this long for another writer (default `BUSY_TIMEOUT`).
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        self.conn.busy_timeout(timeout)?;
        self.busy_timeout = timeout;
        Ok(())
    }

    /// Run `work` in one write transaction: all of it lands, or none of it.
    /// IMMEDIATE takes the write lock up front, so a concurrent writer waits its turn
    /// (busy timeout) instead of failing half-way through.
    pub fn write<T>(&self, work: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let value = work(self)?;
        tx.commit()?;
        Ok(value)
    }

    /// Like `write`, but gives up at once (returning None) when another process holds the
    /// write lock: for housekeeping a reader can do without.
    pub fn try_write<T>(&self, work: impl FnOnce(&Store) -> Result<T>) -> Result<Option<T>> {
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
}

const PROFILE_KEY: &str = "profile";

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Where the database lives when neither `--db` nor `LEADS_DB` says.
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "leads")
        .context("cannot find a data directory for leads; give --db PATH or set LEADS_DB")?;
    Ok(dirs.data_dir().join("leads.db"))
}

/// Create the file with mode 0600 if it does not exist: it holds personal data.
/// SQLite gives its -wal and -shm files the same permissions.
fn create_private(path: &Path) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => {
            Err(err).with_context(|| format!("cannot create the database {}", path.display()))
        }
    }
}

fn not_a_database(err: rusqlite::Error) -> anyhow::Error {
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            anyhow::anyhow!("the file is not a leads database (not SQLite)")
        }
        _ => err.into(),
    }
}

/// Dates are stored as RFC 3339 text in UTC, which sorts like time.
pub(crate) fn to_text(at: DateTime<Utc>) -> String {
    crate::model::rfc3339(at)
}

pub(crate) fn from_text(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|err| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(err))
        })
}

pub(crate) fn opt_from_text(text: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    text.as_deref().map(from_text).transpose()
}

#[cfg(test)]
mod tests {
    use crate::model::Status;

    #[test]
    fn the_sql_list_of_closed_statuses_matches_the_model() {
        let closed: Vec<String> = Status::ALL
            .into_iter()
            .filter(|s| s.is_closed())
            .map(|s| format!("'{s}'"))
            .collect();
        assert_eq!(closed!(), format!("({})", closed.join(", ")));
    }
}

//! Where the database is: a PostgreSQL server (`postgres://` or `postgresql://`, see
//! DESIGN's "Beyond one machine") or, else, an SQLite file, whose path must be a plain
//! file path. The bundled SQLite is built with URI
//! filenames on (`SQLITE_USE_URI`), whatever flags a connection is opened with, so a path
//! starting with `file:` would be read as a URI naming another file (`file:leads.db` is
//! `leads.db`, which the output guard would not know to protect) and `:memory:` as no
//! file at all. Such paths, and files that are no regular file (`/dev/null`, a FIFO),
//! are refused before anything is created or opened.
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::bad_input;

/// Where a command's database is, as `--db` or `LEADS_DB` named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL database: its URL as typed, password and all (shown by `Display`
    /// without it).
    Server(String),
}

impl Location {
    /// Read what `label` (`--db`, `FROM`...) named: a PostgreSQL URL, or a path checked
    /// as `check_database_path` does (exit 65 otherwise).
    pub fn of(label: &str, path: &Path) -> Result<Location> {
        if let Some(text) = path.to_str().filter(|text| is_server_url(text)) {
            return Ok(Location::Server(text.to_string()));
        }
        // libpq's other form, `host=... user=... password=...`, would otherwise become a
        // file of that name, and its password be shown as the file's: refused unshown.
        if path.to_str().is_some_and(is_key_value_conninfo) {
            return Err(bad_input(format!(
                "{label} looks like a libpq connection string (KEY=VALUE ...): write it as \
                 a URL, postgres://USER@HOST:PORT/DATABASE?sslmode=require (the password \
                 in ~/.pgpass)"
            )));
        }
        check_database_path(label, path)?;
        Ok(Location::File(path.to_path_buf()))
    }

    /// The file, for what only a file has (its folder, the output guard, its size).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Server(_) => None,
        }
    }
}

/// The path, or the server's URL without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Server(url) => f.write_str(&server_of(url)),
        }
    }
}

/// Whether `text` is libpq's KEY=VALUE form: words, each a connection key and a value.
fn is_key_value_conninfo(text: &str) -> bool {
    const KEYS: [&str; 8] = [
        "host", "hostaddr", "port", "dbname", "user", "password", "sslmode", "service",
    ];
    let mut words = text.split_whitespace().peekable();
    words.peek().is_some()
        && words.all(|word| {
            word.split_once('=')
                .is_some_and(|(key, _)| KEYS.contains(&key.trim().to_ascii_lowercase().as_str()))
        })
}

/// Whether `text` names a PostgreSQL database (`postgres://`, `postgresql://`, any case).
fn is_server_url(text: &str) -> bool {
    SERVER_SCHEMES
        .iter()
        .any(|scheme| strip_prefix_ignoring_case(text, scheme).is_some())
}

const SERVER_SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// A PostgreSQL URL as it may be shown: the part before '@' may hold a password, and so
/// may the parameters after '?' (`?password=`): neither is ever shown.
pub fn server_of(url: &str) -> String {
    // The user and password go first: a password may hold a '?' (the driver reads the
    // login up to the '@'), which must not cut the URL before it.
    let (scheme, address) = url.split_once("://").unwrap_or(("", url));
    let address = without_password(address);
    let address = address
        .split_once('?')
        .map_or(address, |(address, _)| address);
    match scheme {
        "" => address.to_string(),
        scheme => format!("{scheme}://{address}"),
    }
}

fn without_password(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map_or(address, |(_, server)| server)
}

/// Refuse (exit 65) a database path that is not a plain file path. `label` is what the
/// path is called in the message (`--db`, "the database").
pub fn check_database_path(label: &str, path: &Path) -> Result<()> {
    let text = path.to_string_lossy();
    if text.is_empty() {
        return Err(bad_input(format!(
            "{label} is empty: give the path of a database file"
        )));
    }
    if is_server_url(&text) {
        return Err(bad_input(format!(
            "{label} {}: give the path of an SQLite database file here",
            server_of(&text)
        )));
    }
    if strip_prefix_ignoring_case(&text, "file:").is_some() {
        return Err(bad_input(format!(
            "{label} {text} is not a database file path: SQLite would read it as a URI \
             (for a file of that name, write ./{text})"
        )));
    }
    if text == ":memory:" {
        return Err(bad_input(format!(
            "{label} {text} is not a database file path: it names a database in memory, \
             lost when the command ends"
        )));
    }
    // A folder is named by the callers (exit 66, as a missing folder is); anything else
    // that is not a regular file would have SQLite write journals beside it, or block.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            return Err(bad_input(format!(
                "{label} {text} is not a database file: it is {}",
                special_kind(&meta)
            )));
        }
    }
    Ok(())
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(path: &str) -> Option<String> {
        check_database_path("--db", Path::new(path))
            .err()
            .map(|err| err.to_string())
    }

    #[test]
    fn only_plain_file_paths_are_databases() {
        for path in [
            "leads.db",
            "./file:leads.db",
            "/tmp/x/leads.db",
            "data/:memory:",
        ] {
            assert_eq!(refusal(path), None, "{path}");
        }
        for (path, why) in [
            ("file:leads.db", "SQLite would read it as a URI"),
            ("File:leads.db?mode=ro", "SQLite would read it as a URI"),
            (":memory:", "in memory"),
            ("", "--db is empty"),
            ("/dev/null", "a character device"),
            (
                "postgresql://seller@db.example",
                "give the path of an SQLite database file",
            ),
        ] {
            let message = refusal(path).unwrap_or_default();
            assert!(message.contains(why), "{path}: {message}");
        }
    }

    #[test]
    fn a_postgresql_url_is_a_server_whatever_its_case() {
        for url in [
            "postgres://seller@db.example/leads",
            "postgresql://seller@db.example/leads",
            "POSTGRES://seller@db.example/leads",
        ] {
            assert_eq!(
                Location::of("--db", Path::new(url)).unwrap(),
                Location::Server(url.to_string())
            );
        }
        assert_eq!(
            Location::of("--db", Path::new("postgres.db")).unwrap(),
            Location::File(PathBuf::from("postgres.db"))
        );
        assert!(Location::of("--db", Path::new("file:x.db")).is_err());
        for conninfo in [
            "host=db user=me password=s3cret dbname=leads",
            "dbname=leads",
        ] {
            let err = Location::of("--db", Path::new(conninfo))
                .unwrap_err()
                .to_string();
            assert!(err.contains("libpq connection string"), "{err}");
            assert!(!err.contains("s3cret"), "{err}");
        }
        assert_eq!(
            Location::of("--db", Path::new("a=b.db")).unwrap(),
            Location::File(PathBuf::from("a=b.db"))
        );
        let shown = Location::of("--db", Path::new("postgres://me:s3cret@h/db"))
            .unwrap()
            .to_string();
        assert_eq!(shown, "postgres://h/db");
        assert_eq!(
            server_of("postgresql://h/db?user=me&password=s3cret&sslmode=require"),
            "postgresql://h/db"
        );
        assert_eq!(
            server_of("postgres://sam:ab?cd@db/leads"),
            "postgres://db/leads"
        );
    }

    #[test]
    fn a_postgresql_password_is_never_shown() {
        let message = refusal("postgres://seller:s3cret@db.example:5432/leads").unwrap();
        assert!(!message.contains("s3cret"), "{message}");
        assert!(
            message.contains("postgres://db.example:5432/leads"),
            "{message}"
        );
    }
}

//! What a database path may be: a plain file path. The bundled SQLite is built with URI
//! filenames on (`SQLITE_USE_URI`), whatever flags a connection is opened with, so a path
//! starting with `file:` would be read as a URI naming another file (`file:leads.db` is
//! `leads.db`, which the output guard would not know to protect) and `:memory:` as no
//! file at all. Such paths, and files that are no regular file (`/dev/null`, a FIFO),
//! are refused before anything is created or opened.
use std::path::Path;

use anyhow::Result;

use crate::error::bad_input;

/// A PostgreSQL URL as it may be shown: the part before '@' may hold a password, and
/// never is.
pub fn server_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, address)) => format!("{scheme}://{}", without_password(address)),
        None => without_password(url).to_string(),
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
    if let Some(rest) = ["postgres://", "postgresql://"]
        .iter()
        .find_map(|scheme| strip_prefix_ignoring_case(&text, scheme).map(|rest| (scheme, rest)))
    {
        let (scheme, address) = rest;
        let server = without_password(address);
        return Err(bad_input(format!(
            "{label} {scheme}{server}: the PostgreSQL engine is not available in this build \
             yet; give the path of an SQLite database file"
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
                "PostgreSQL engine is not available",
            ),
        ] {
            let message = refusal(path).unwrap_or_default();
            assert!(message.contains(why), "{path}: {message}");
        }
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

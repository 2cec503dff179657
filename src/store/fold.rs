//! Case folding beyond ASCII in SQL. SQLite's `LIKE` and `NOCASE` fold the ASCII letters
//! only, so `--search MÜLLER` would miss Müller and `JÖRG@x.example` would not be found as
//! a duplicate of `jörg@x.example`. `leads_fold(text)` is Unicode lower case, registered on
//! every connection; queries call it only when the text asked for is not ASCII, so the
//! common case keeps SQLite's own (indexed, C-speed) comparisons. Nothing stored depends on
//! it: the file stays plain SQLite for any other tool.
use anyhow::Result;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

/// The SQL name of the folding function.
pub const FOLD: &str = "leads_fold";

/// Register `leads_fold` on a connection.
pub fn register(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        FOLD,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Text(bytes) => Some(fold(&String::from_utf8_lossy(bytes))),
                _ => None,
            })
        },
    )?;
    Ok(())
}

/// Unicode lower case: what two texts that differ only in case have in common.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_beyond_ascii_in_sql() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let folded: (String, Option<String>, String) = conn
            .query_row(
                "SELECT leads_fold('MÜLLER Ünal'), leads_fold(NULL), leads_fold('ÉLODIE')",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            folded,
            ("müller ünal".to_string(), None, "élodie".to_string())
        );
    }
}

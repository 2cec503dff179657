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

/// What two emails that are one person's have in common: the email folded by leads
/// (DESIGN: the same folding on both engines, never the engine's own), trimmed.
pub fn email_match_key(email: &str) -> String {
    fold(email.trim())
}

/// The `email_key` column of a lead with this email: its match key, or NULL when that
/// is the email itself (most addresses are written in lower case), so the column costs
/// no bytes for them; lookups compare `coalesce(email_key, email)`.
pub fn stored_email_key(email: &str) -> Option<String> {
    let key = email_match_key(email);
    (key != email).then_some(key)
}

/// The SQL name of `stored_email_key` (migration 15 fills the column with it).
pub const STORED_EMAIL_KEY: &str = "leads_email_key";

/// Register `leads_fold` and `leads_email_key` on a connection.
pub fn register(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        STORED_EMAIL_KEY,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Text(bytes) => stored_email_key(&String::from_utf8_lossy(bytes)),
                _ => None,
            })
        },
    )?;
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
    fn an_email_s_key_is_leads_own_folding_and_is_kept_only_when_it_differs() {
        assert_eq!(email_match_key("  Ada@Example.COM "), "ada@example.com");
        // Beyond ASCII: Unicode lower case, never an engine's collation (ß stays ß, the
        // ligature ﬁ stays one letter, the Kelvin sign is a k).
        assert_eq!(email_match_key("STRAßE@x.de"), "straße@x.de");
        assert_eq!(email_match_key("ﬁ@x.de"), "ﬁ@x.de");
        assert_eq!(email_match_key("\u{212A}im@x.de"), "kim@x.de");
        assert_eq!(stored_email_key("ada@example.com"), None);
        assert_eq!(
            stored_email_key("Ada@example.com").as_deref(),
            Some("ada@example.com")
        );
        assert_eq!(
            stored_email_key(" ada@example.com").as_deref(),
            Some("ada@example.com")
        );
    }

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

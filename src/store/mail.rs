//! The messages the mail log has logged, by digest (never their Message-ID), and the
//! mail settings.
use anyhow::Result;
use chrono::{DateTime, Utc};

use super::sql::{params, OptionalExtension};
use super::{to_text, Store};

impl Store {
    /// Has a message with this digest been logged?
    pub fn mail_logged(&self, digest: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM mail_messages WHERE digest = ?1")?
            .query_row([digest], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Remember that the message with this digest is logged; false when it was already.
    /// Call inside `write`.
    pub fn remember_mail(&self, digest: &str, at: DateTime<Utc>) -> Result<bool> {
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO mail_messages (digest, logged_at) VALUES (?1, ?2)
                 ON CONFLICT (digest) DO NOTHING",
            )?
            .execute(params![digest, to_text(at)])?;
        Ok(added == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_message_is_remembered_by_its_digest() {
        let store = Store::open_in_memory().unwrap();
        let at = chrono::Utc::now();
        assert!(!store.mail_logged("ab12").unwrap());
        assert!(store.write(|s| s.remember_mail("ab12", at)).unwrap());
        assert!(!store.write(|s| s.remember_mail("ab12", at)).unwrap());
        assert!(store.mail_logged("ab12").unwrap());
    }
}

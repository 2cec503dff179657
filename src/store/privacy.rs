//! Privacy: forgetting a person, the hashes of forgotten emails.
use anyhow::Result;
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::Store;

/// The SHA-256 (hex) of the trimmed, lower-cased email: what is kept of a forgotten person.
pub fn email_hash(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Store {
    /// Did the person with this email ask to be forgotten?
    pub fn is_forgotten_email(&self, email: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM forgotten WHERE email_hash = ?1")?
            .query_row([email_hash(email)], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_ignores_case_and_spaces() {
        assert_eq!(
            email_hash(" Ada@Example.com "),
            email_hash("ada@example.com")
        );
        assert_eq!(email_hash("ada@example.com").len(), 64);
    }
}

//! Privacy: forgetting a person, the hashes of forgotten emails.
//!
//! Forgetting erases the person's values from the lead row (the company and the source
//! detail too, unless another lead shares them), its activities, its follow-ups, its
//! status-change reasons, its cadences' end notes, its qualification answers, what
//! imports kept to undo their updates, and the names of the files it was imported from
//! that name them, in one transaction. `secure_delete` (set
//! when the store opens) makes SQLite overwrite the freed bytes with zeros, and a
//! truncating checkpoint then moves the clean pages into the file and empties the WAL,
//! where older copies of the pages would otherwise survive.
use anyhow::Result;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::ids::Ids;
use super::sql::{params, OptionalExtension};
use super::{from_text, to_text, Store};
use crate::error::not_found;
use crate::model::squash;

/// The SHA-256 (hex) of the trimmed, lower-cased email: what is kept of a forgotten person.
pub fn email_hash(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What `forget_lead` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgetting {
    /// The person's data was erased now.
    Erased,
    /// The lead had been forgotten already, at this time.
    AlreadyForgotten(DateTime<Utc>),
}

/// What an import batch's file name becomes when it named a forgotten person.
pub const ERASED_FILE: &str = "(erased)";

/// What forgetting needs to know of the person before erasing them.
struct Person {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    source_detail: Option<String>,
    batch: Option<i64>,
}

impl Person {
    /// What, found in a file name, names the person (each squashed as header keys are, by
    /// `model::squash`: `Jane-Doe_card.VCF` is `janedoecardvcf`): the first
    /// and last name together, the email and its local part, the phone's digits (and its
    /// last seven, the number without a country or area code).
    fn marks(&self) -> Vec<String> {
        let mut marks = Vec::new();
        let part = |value: &Option<String>| squash(value.as_deref().unwrap_or_default());
        let (first, last) = (part(&self.first_name), part(&self.last_name));
        if !first.is_empty() && !last.is_empty() {
            marks.push(format!("{first}{last}"));
            marks.push(format!("{last}{first}"));
        }
        if let Some(email) = self.email.as_deref() {
            marks.push(squash(email));
            let local = email.split('@').next().unwrap_or_default();
            marks.push(squash(local));
        }
        if let Some(phone) = self.phone.as_deref() {
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            if digits.len() > 7 {
                marks.push(digits[digits.len() - 7..].to_string());
            }
            marks.push(digits);
        }
        // Too short to name anybody ("al", "42"): a file name would match by chance.
        marks.retain(|mark| mark.chars().count() >= 4);
        marks
    }
}

/// Does a file name (a path) name the person, by one of their `marks`?
fn names_them(file: &str, marks: &[String]) -> bool {
    let folded = squash(file);
    marks.iter().any(|mark| folded.contains(mark.as_str()))
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

    /// Erase everything personal about a lead, keeping an anonymous row (company, industry,
    /// size, country, source, status, scores, dates) so reports keep their counts. The email is remembered as a hash. Call inside `write`, then
    /// `purge_erased` once committed.
    pub fn forget_lead(&self, id: i64, now: DateTime<Utc>) -> Result<Forgetting> {
        let found: Option<(Person, Option<String>)> = self
            .conn
            .query_row(
                "SELECT first_name, last_name, email, phone, company, source_detail, batch_id,
                        forgotten_at
                 FROM leads WHERE id = ?1",
                [id],
                |row| {
                    let person = Person {
                        first_name: row.get(0)?,
                        last_name: row.get(1)?,
                        email: row.get(2)?,
                        phone: row.get(3)?,
                        company: row.get(4)?,
                        source_detail: row.get(5)?,
                        batch: row.get(6)?,
                    };
                    Ok((person, row.get(7)?))
                },
            )
            .optional()?;
        let Some((person, forgotten_at)) = found else {
            return Err(not_found(format!("no lead with id {id}")));
        };
        if let Some(at) = forgotten_at {
            return Ok(Forgetting::AlreadyForgotten(from_text(&at)?));
        }
        let now = to_text(now);
        if let Some(email) = person.email.as_deref().filter(|e| !e.trim().is_empty()) {
            self.conn.execute(
                "INSERT INTO forgotten (email_hash, forgotten_at) VALUES (?1, ?2)
                 ON CONFLICT (email_hash) DO NOTHING",
                params![email_hash(email), now],
            )?;
        }
        self.erase_file_names(id, &person)?;
        // A company or a source detail ("referred by Ada's cousin") can name the person;
        // one another lead shares names a group, which the reports keep counting.
        let company = self.shared(id, "company", person.company.as_deref())?;
        let source_detail = self.shared(id, "source_detail", person.source_detail.as_deref())?;
        // Nobody will follow up with a forgotten person: do_not_contact, no follow-ups.
        self.conn.execute(
            "UPDATE leads SET first_name = NULL, last_name = NULL, email = NULL, email_key = NULL,
                 phone = NULL,
                 title = NULL, website = NULL, notes = NULL, external_id = NULL, need = NULL,
                 company = ?3, source_detail = ?4,
                 tags = NULL, attributes = NULL, do_not_contact = 1,
                 next_follow_up = NULL, last_touch_at = NULL, last_answer_at = NULL,
                 forgotten_at = ?2, updated_at = ?2
             WHERE id = ?1",
            params![id, now, company, source_detail],
        )?;
        // What the person did is theirs too: nothing reads a forgotten lead's activities
        // (its scores are frozen, learning skips it), so they go entirely.
        self.keep_highest_id(Ids::Activities)?;
        self.conn
            .execute("DELETE FROM activities WHERE lead_id = ?1", [id])?;
        self.keep_highest_id(Ids::FollowUps)?;
        self.conn
            .execute("DELETE FROM follow_ups WHERE lead_id = ?1", [id])?;
        self.conn.execute(
            "UPDATE status_changes SET reason = NULL WHERE lead_id = ?1",
            [id],
        )?;
        // `nurture stop --reason "call Jane at ..."`; the end reason is a word of ours.
        self.conn.execute(
            "UPDATE enrollments SET end_note = NULL WHERE lead_id = ?1",
            [id],
        )?;
        // What imports changed in the lead, kept for `import --undo`, holds their data: an
        // undo will not bring it back.
        self.conn
            .execute("DELETE FROM import_updates WHERE lead_id = ?1", [id])?;
        self.forget_qualifications(id)?;
        Ok(Forgetting::Erased)
    }

    /// `value` when another lead has it too (ignoring case and spaces), else None.
    fn shared(&self, id: i64, column: &str, value: Option<&str>) -> Result<Option<String>> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM leads
                            WHERE id <> ?1 AND trim({column}) = ?2 COLLATE NOCASE)"
        );
        let shared: bool = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![id, value], |row| row.get(0))?;
        Ok(shared.then(|| value.to_string()))
    }

    /// The name of a file the lead was imported from, when it names them
    /// (`jane-doe-card.vcf`, `jane.doe@example.com.csv`), becomes `(erased)`.
    fn erase_file_names(&self, id: i64, person: &Person) -> Result<()> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, source_name FROM import_batches
             WHERE id = ?1 OR id IN (SELECT batch_id FROM import_updates WHERE lead_id = ?2)",
        )?;
        let batches: Vec<(i64, String)> = statement
            .query_map(params![person.batch, id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let marks = person.marks();
        for (batch, file) in batches {
            if names_them(&file, &marks) {
                self.conn
                    .prepare_cached("UPDATE import_batches SET source_name = ?1 WHERE id = ?2")?
                    .execute(params![ERASED_FILE, batch])?;
            }
        }
        Ok(())
    }

    /// Move every page of the write-ahead log into the database file and empty the log, so
    /// no older copy of erased data survives there. Returns false when another `leads`
    /// was reading and the log could not be emptied (the next checkpoint will).
    pub fn purge_erased(&self) -> Result<bool> {
        if self.conn.is_postgres() {
            // The erased rows' old versions stay in the table's and its indexes' pages,
            // dead: a plain VACUUM only marks their room free (a cold trial found the
            // name in the files after it). VACUUM FULL writes every table forget touches
            // anew, without them, and drops the old files: the SQLite file's secure
            // delete. (The server's WAL archives and backups keep them: the README says
            // what an administrator must do.) It locks those tables for its length.
            // Only the tables' owner may (PostgreSQL skips the others with a warning
            // that would go unseen), and a lock not had in time must not fail a forget
            // already saved: either is said as "not purged".
            const TOUCHED: [&str; 8] = [
                "leads",
                "activities",
                "status_changes",
                "follow_ups",
                "qualifications",
                "enrollments",
                "import_updates",
                "import_batches",
            ];
            if !self.conn.is_autocommit() {
                return Ok(true);
            }
            let owned: bool = self.conn.query_row(
                "SELECT coalesce(bool_and(pg_has_role(relowner, 'USAGE')), false)
                 FROM pg_class WHERE relnamespace = current_schema()::regnamespace
                   AND relkind = 'r' AND relname = ANY (string_to_array(?1, ','))",
                [TOUCHED.join(",")],
                |row| row.get(0),
            )?;
            let vacuum = format!("VACUUM FULL {}", TOUCHED.join(", "));
            return Ok(owned && self.conn.execute_batch(&vacuum).is_ok());
        }
        let blocked: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(blocked == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActivityKind, Lead};
    use crate::store::NewActivity;

    #[test]
    fn a_file_name_names_the_person_by_name_email_or_phone() {
        let person = Person {
            first_name: Some("Jane".into()),
            last_name: Some("Doe".into()),
            email: Some("j.d@example.com".into()),
            phone: Some("+1 (555) 014-2977".into()),
            company: None,
            source_detail: None,
            batch: None,
        };
        let marks = person.marks();
        let cases = [
            ("/home/me/jane-doe-card.vcf", true),
            ("/home/me/Doe, Jane.csv", true),
            ("/tmp/J.D@Example.com.csv", true),
            ("jd-export.csv", false),
            ("calls 555-014-2977.csv", true),
            ("contacts.csv", false),
            ("jane.csv", false),
            ("-", false),
        ];
        for (file, expected) in cases {
            assert_eq!(names_them(file, &marks), expected, "{file}");
        }
    }

    #[test]
    fn the_hash_ignores_case_and_spaces() {
        assert_eq!(
            email_hash(" Ada@Example.com "),
            email_hash("ada@example.com")
        );
        assert_eq!(email_hash("ada@example.com").len(), 64);
    }

    /// `forget` erases at least what `model::FIELDS` marks personal (its SQL names the
    /// columns itself): a personal field added to the table but not here fails this test.
    #[test]
    fn forgetting_erases_every_personal_field() {
        let store = Store::open_in_memory().unwrap();
        let lead = Lead {
            forgotten: false,
            ..crate::model::every_field_set()
        };
        let id = store.insert_lead(&lead).unwrap();
        store.forget_lead(id, lead.created_at.unwrap()).unwrap();
        let left = store.lead(id).unwrap();
        for field in crate::model::personal_fields() {
            assert_eq!(
                left.json_value(field),
                serde_json::Value::Null,
                "{}",
                field.name()
            );
        }
    }

    #[test]
    fn forgetting_keeps_an_anonymous_row_and_the_email_hash() {
        let store = Store::open_in_memory().unwrap();
        let now = from_text("2026-03-01T09:00:00Z").unwrap();
        let lead = Lead {
            first_name: Some("Ada".into()),
            email: Some("Ada@Example.com".into()),
            company: Some("Analytical".into()),
            source: Some("referral".into()),
            notes: Some("likes engines".into()),
            created_at: Some(now),
            updated_at: Some(now),
            ..Lead::default()
        };
        let id = store.insert_lead(&lead).unwrap();
        store
            .add_activity(
                &NewActivity::new(id, ActivityKind::Call, now)
                    .with_note(Some("talked about engines")),
            )
            .unwrap();

        assert_eq!(store.forget_lead(id, now).unwrap(), Forgetting::Erased);
        let left = store.lead(id).unwrap();
        assert!(left.forgotten);
        assert_eq!(
            (left.first_name, left.email, left.notes),
            (None, None, None)
        );
        // No other lead works there: the company could name them, it goes.
        assert_eq!(left.company, None);
        assert_eq!(left.source.as_deref(), Some("referral"));
        assert_eq!(store.activities(id).unwrap(), []);
        assert!(store.is_forgotten_email("ada@example.com").unwrap());
        assert_eq!(
            store.forget_lead(id, now).unwrap(),
            Forgetting::AlreadyForgotten(now)
        );
        assert!(store.forget_lead(id + 1, now).is_err());
    }
}

//! Bulk import: one transaction per import, its batch, duplicates (listing and undoing
//! batches is `batches`).
//!
//! Duplicates are found in memory: a map from a 64-bit hash of each known email
//! (lower-cased) and external id to the lead's id, filled from the database when the
//! import starts and from every lead it creates, so duplicates inside the file and
//! against the database are one question. A hit is confirmed against the row (and a
//! miss of the confirmation falls back to the index), so a hash collision cannot merge
//! two people. A million emails cost about 20 MB.
//!
//! A large import into a small table drops the leads' secondary indexes (but the
//! `KEPT_INDEXES`) once it has created `REINDEX_AFTER` leads, an import into an empty
//! table from its first lead, and builds them again before committing: SQLite sorts
//! once instead of updating seven B-trees at random places for every row (about four
//! times faster for a million rows). The drop is inside the transaction, so a failed or
//! killed import gets its indexes back with the rest.
//!
//! An import into an empty database runs with a rollback journal instead of the WAL
//! (and back to WAL after): the WAL would receive every page of the new table and its
//! indexes, then copy them all into the database file at the checkpoint; a rollback
//! journal only keeps the few pages that existed before, and new pages go straight to
//! the file. It is as safe: a killed import leaves a hot journal that the next
//! connection rolls back, truncating the file to what it was. Readers cannot read
//! meanwhile (they wait their busy timeout), but an empty database has nothing to read.
//! 1M rows: 17.4 s -> 11.6 s wall, 17.7 s -> 15.8 s CPU on a busy 2-core machine.
//!
//! On PostgreSQL a statement a row is a round trip to the server each (40,000 rows took
//! 16 s): new leads and their arrival moves wait in `Pending` and go by COPY, 10,000 at
//! a time, with ids the importer gives (it holds the write lock). Each COPY is sent from
//! another thread while the importer reads and scores the next rows, so the server's
//! work and the client's overlap; everything that reads the table waits for it first.
//! A duplicate of a lead this import created is confirmed from `Created` (its email and
//! external id, kept packed), not by a query that would wait. Into an empty table the
//! indexes are dropped and rebuilt as on SQLite, and the foreign keys a COPY checks a
//! row at a time too; into one with leads they stay (DROP INDEX would lock the other
//! sellers' reads out). 1M rows: 22.3 s -> 15.6 s.
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use super::ids::Ids;
use super::leads::{execute_with_lead, with_lead_values, writable_column_names, INSERT_LEAD};
use super::sql::{params, Statement, Transaction, TransactionBehavior, Value};
use super::{email_hash, is_busy, to_text, Store};
use crate::model::{Lead, Status};

mod batches;

pub use batches::{Batch, Undo, UndoPlan};

/// One import in progress, inside its transaction.
pub struct Importer<'s> {
    store: &'s Store,
    batch: i64,
    by_email: KeyMap,
    by_external_id: KeyMap,
    /// Phone digits and name-with-company of every lead, for rows with neither an email
    /// nor an external id: loaded at the first such row (most files never need it).
    by_identity: Option<KeyMap>,
    /// How many leads there were when the import began.
    existing: u64,
    /// The `CREATE INDEX` statements of the indexes dropped for a large import.
    dropped_indexes: Vec<String>,
    forgotten: HashSet<String>,
    scratch: Vec<u8>,
    imported: u64,
    updated: u64,
    /// The statements run for every created lead, prepared at the first: taken from the
    /// statement cache for each row, they cost a hash of their text and a trip back into
    /// the cache (a tenth of the saving thread's work).
    insert_lead: Option<Statement<'s>>,
    insert_arrival: Option<Statement<'s>>,
    /// On PostgreSQL, the leads created and not yet sent (see `create`).
    pending: Pending,
}

/// PostgreSQL's side of an import: new leads and their arrival moves, sent by COPY every
/// `SEND_EVERY` leads (a statement a row is a round trip to the server each: 40,000 rows
/// took 16 s), and before anything reads the table. The ids are the importer's to give:
/// it holds the write lock, so no one else adds a lead meanwhile.
#[derive(Default)]
struct Pending {
    leads: Vec<Vec<Value>>,
    arrivals: Vec<Vec<Value>>,
    /// The id the next created lead gets, once the first has asked.
    next_id: Option<i64>,
    /// The same for the arrival moves (ids no one quotes, but given as the schema's
    /// trigger would, without a trigger's query a row).
    next_arrival_id: Option<i64>,
    created: Created,
}

impl Pending {
    /// Whether the lead `id` is among those not sent yet.
    fn waits(&self, id: i64) -> bool {
        let first = match self.leads.first().and_then(|row| row.first()) {
            Some(Value::Integer(first)) => *first,
            _ => return false,
        };
        id >= first && id - first < i64::try_from(self.leads.len()).unwrap_or(i64::MAX)
    }
}

/// A lead's email and external id.
type Identity = (Option<String>, Option<String>);

/// The email and external id of each lead an import created on PostgreSQL, by id,
/// packed (the texts' bytes and 8 more a lead: 35 MB for a million): a duplicate of one
/// is confirmed here, where a query would wait for the COPY in flight.
#[derive(Default)]
struct Created {
    first: i64,
    /// Where each lead's email and external id end in `text`; `ABSENT` set for one it
    /// has not (the end is then where the previous text ended).
    ends: Vec<[u32; 2]>,
    text: String,
    /// The leads an update changed since (rare): their identity now.
    changed: HashMap<i64, Identity>,
    /// A lead could not be kept (its id not the next, or 2 GB of text): those after it
    /// are read from the database.
    full: bool,
}

const ABSENT: u32 = 1 << 31;

impl Created {
    fn record(&mut self, id: i64, email: Option<&str>, external_id: Option<&str>) {
        if self.ends.is_empty() {
            self.first = id;
        }
        let next = i64::try_from(self.ends.len())
            .ok()
            .map(|len| self.first + len);
        let room = self.text.len() + email.map_or(0, str::len) + external_id.map_or(0, str::len);
        if self.full || next != Some(id) || room >= ABSENT as usize {
            self.full = true;
            return;
        }
        let mut end = |part: Option<&str>| match part {
            Some(part) => {
                self.text.push_str(part);
                self.text.len() as u32
            }
            None => self.text.len() as u32 | ABSENT,
        };
        let ends = [end(email), end(external_id)];
        self.ends.push(ends);
    }

    fn identity(&self, id: i64) -> Option<Identity> {
        if let Some(changed) = self.changed.get(&id) {
            return Some(changed.clone());
        }
        let index = usize::try_from(id.checked_sub(self.first)?).ok()?;
        let [email_end, external_id_end] = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends[previous][1] & !ABSENT,
            None => 0,
        };
        let part = |start: u32, end: u32| {
            (end & ABSENT == 0).then(|| self.text[start as usize..end as usize].to_string())
        };
        Some((
            part(start, email_end),
            part(email_end & !ABSENT, external_id_end),
        ))
    }

    /// An update gave the lead `id` this identity.
    fn change(&mut self, id: i64, identity: Identity) {
        if self.identity(id).is_some() {
            self.changed.insert(id, identity);
        }
    }
}

/// Where a pending lead's row holds its email and external id: after its id, in the
/// order of `writable_columns!()`.
const EMAIL_AT: usize = 3;
const EXTERNAL_ID_AT: usize = 17;

/// How many new leads PostgreSQL receives in one COPY.
const SEND_EVERY: usize = 10_000;

impl Store {
    /// Run an import as one IMMEDIATE transaction with a new batch. `work` returns its
    /// value and whether to keep what it did: false (a dry run, a strict import with
    /// rejects) rolls everything back, batch included. An error rolls back too, and a
    /// killed process leaves the database as it was (SQLite's journal).
    pub fn import<T>(
        &self,
        source_name: &str,
        now: DateTime<Utc>,
        work: impl FnOnce(&mut Importer<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        let rollback_journal = self.is_empty_wal()? && self.set_journal_mode("DELETE")?;
        if rollback_journal {
            // A rollback journal syncs only at the commit of this one transaction: FULL
            // costs two fsyncs and keeps a power cut from harming the file.
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let result = self.import_transaction(source_name, now, work);
        if rollback_journal {
            // Back to WAL for the readers. Should this fail (another process opened the
            // file meanwhile), nothing is lost: the next `leads` to open it sets WAL again.
            let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
            let _ = self.set_journal_mode("WAL");
        }
        result
    }

    /// The database is in WAL mode and holds no lead: the case where a rollback journal
    /// makes an import about a third faster (see the module's doc).
    fn is_empty_wal(&self) -> Result<bool> {
        if self.conn.sqlite().is_none() {
            return Ok(false);
        }
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |row| row.get(0))?;
        let empty: bool =
            self.conn
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM leads)", [], |row| {
                    row.get(0)
                })?;
        Ok(mode == "wal" && empty)
    }

    /// Switch the journal mode; false (and no change) when another connection has the
    /// database open, which leaving WAL requires there be none of. Never waits for it.
    fn set_journal_mode(&self, mode: &str) -> Result<bool> {
        let Some(conn) = self.conn.sqlite() else {
            return Ok(false);
        };
        conn.busy_timeout(std::time::Duration::ZERO)?;
        let switched =
            conn.pragma_update_and_check(None, "journal_mode", mode, |row| row.get::<_, String>(0));
        self.conn.busy_timeout(self.busy_timeout)?;
        match switched {
            Ok(now) => Ok(now.eq_ignore_ascii_case(mode)),
            Err(err) if is_busy(&err) => Ok(false),
            Err(err) => Err(err.into()),
        }
    }

    fn import_transaction<T>(
        &self,
        source_name: &str,
        now: DateTime<Utc>,
        work: impl FnOnce(&mut Importer<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        self.conn
            .prepare_cached(
                "INSERT INTO import_batches (started_at, source_name, imported_by)
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![to_text(now), source_name, self.user()])?;
        let mut importer = Importer {
            store: self,
            batch: self.conn.last_insert_rowid()?,
            by_email: KeyMap::default(),
            by_external_id: KeyMap::default(),
            by_identity: None,
            existing: 0,
            dropped_indexes: Vec::new(),
            forgotten: HashSet::new(),
            scratch: Vec::new(),
            imported: 0,
            updated: 0,
            insert_lead: None,
            insert_arrival: None,
            pending: Pending::default(),
        };
        importer.load_known()?;
        let (value, keep) = work(&mut importer)?;
        if keep {
            importer.send_pending()?;
            if !importer.dropped_indexes.is_empty() {
                // The reading thread is done by now: CREATE INDEX may sort on two cores.
                self.conn.pragma_update(None, "threads", 2)?;
            }
            for sql in &importer.dropped_indexes {
                self.conn
                    .execute_batch(sql)
                    .context("rebuilding an index after the import")?;
            }
            if self.conn.is_postgres() && !importer.dropped_indexes.is_empty() {
                // The planner knows nothing of a table filled from empty until autovacuum
                // comes (if it is on): `report` took 3.1 s on the new million, 1.1 s after.
                self.conn.execute_batch("ANALYZE leads, status_changes")?;
            }
            self.conn
                .prepare_cached(
                    "UPDATE import_batches SET imported = ?1, updated = ?2 WHERE id = ?3",
                )?
                .execute(params![importer.imported, importer.updated, importer.batch])?;
            tx.commit().context("saving the import")?;
        } else {
            tx.rollback()?;
        }
        Ok(value)
    }
}

impl<'s> Importer<'s> {
    /// The store, for the reads and updates an import shares with other commands (every
    /// lead created so far saved first).
    pub fn store(&mut self) -> Result<&'s Store> {
        self.send_pending()?;
        Ok(self.store)
    }

    pub fn batch(&self) -> i64 {
        self.batch
    }

    /// How many leads there were when the import began.
    pub fn existing(&self) -> u64 {
        self.existing
    }

    /// The existing lead (in the database, or created earlier by this import) that a
    /// lead duplicates: same email without regard to case, else same external id, else
    /// (a row with neither) the same phone digits, else the same name and company.
    pub fn duplicate_of(&mut self, lead: &Lead) -> Result<Option<(i64, Same)>> {
        if let Some(email) = lead.email.as_deref() {
            let key = self.email_key(email);
            if let Some(&id) = self.by_email.get(&key) {
                let same = self.stored_identity(id)?.0;
                if same.is_some_and(|e| e.eq_ignore_ascii_case(email.trim())) {
                    return Ok(Some((id, Same::Email)));
                }
                self.send_pending()?;
                if let Some(id) = self.store.lead_id_by_email(email.trim())? {
                    return Ok(Some((id, Same::Email)));
                }
            }
        }
        if let Some(external_id) = lead.external_id.as_deref() {
            let key = hash(external_id.as_bytes());
            if let Some(&id) = self.by_external_id.get(&key) {
                let same = self.stored_identity(id)?.1;
                if same.as_deref() == Some(external_id) {
                    return Ok(Some((id, Same::ExternalId)));
                }
                self.send_pending()?;
                return Ok(self
                    .store
                    .lead_id_by_external_id(external_id)?
                    .map(|id| (id, Same::ExternalId)));
            }
        }
        if lead.email.is_some() || lead.external_id.is_some() {
            return Ok(None);
        }
        if self.by_identity.is_none() {
            // Read from the table: what waits is sent first (once; after, `remember`
            // keeps the map).
            self.send_pending()?;
            self.load_identities()?;
        }
        for (key, same) in identity_keys(lead) {
            let found = self
                .by_identity
                .as_ref()
                .and_then(|map| map.get(&key).copied());
            if let Some(id) = found {
                // Only a match is read back: a file of rows without emails is not sent a
                // row at a time.
                if self.pending.waits(id) {
                    self.send_pending()?;
                }
                let stored = self.store.lead(id)?;
                if identity_keys(&stored)
                    .iter()
                    .any(|(k, s)| *k == key && *s == same)
                {
                    return Ok(Some((id, same)));
                }
            }
        }
        Ok(None)
    }

    /// Phone digits and name-with-company of every lead so far.
    fn load_identities(&mut self) -> Result<()> {
        let mut map = KeyMap::default();
        let mut statement = self.store.conn.prepare(
            "SELECT id, phone, first_name, last_name, company, email, external_id, website
                 FROM leads ORDER BY id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let lead = Lead {
                phone: row.get(1)?,
                first_name: row.get(2)?,
                last_name: row.get(3)?,
                company: row.get(4)?,
                email: row.get(5)?,
                external_id: row.get(6)?,
                website: row.get(7)?,
                ..Lead::default()
            };
            for (key, _) in identity_keys(&lead) {
                map.entry(key).or_insert(row.get(0)?);
            }
        }
        self.by_identity = Some(map);
        Ok(())
    }

    /// Did the person with this email ask to be forgotten?
    pub fn is_forgotten(&self, email: &str) -> bool {
        !self.forgotten.is_empty() && self.forgotten.contains(&email_hash(email))
    }

    /// Create a lead in this batch; returns its id. A lead arriving in a later stage
    /// than `new` gets its move recorded at its creation date, so reports see it.
    pub fn create(&mut self, lead: &Lead) -> Result<i64> {
        if self.store.conn.is_postgres() {
            return self.create_pending(lead);
        }
        let status = lead.status();
        let conn = &self.store.conn;
        let statement = match &mut self.insert_lead {
            Some(statement) => statement,
            none => none.insert(conn.prepare(INSERT_LEAD)?),
        };
        // Who imports owns the new leads a row assigns to nobody.
        let user = self.store.user.borrow();
        execute_with_lead(statement, lead, user.as_deref(), &self.batch)
            .context("saving an imported lead")?;
        let mut id = conn.last_insert_rowid()?;
        if self.imported == 0 {
            // The first of the batch sets where its ids start (see `ids`).
            id = self.store.above_deleted(Ids::Leads, id)?;
        }
        if status != Status::New {
            let statement = match &mut self.insert_arrival {
                Some(statement) => statement,
                none => none.insert(conn.prepare(
                    "INSERT INTO status_changes (lead_id, from_status, to_status, at, changed_by)
                     VALUES (?1, NULL, ?2, ?3, ?4)",
                )?),
            };
            statement.execute(params![
                id,
                status.as_str(),
                lead.created_at.map(to_text),
                user.as_deref()
            ])?;
        }
        self.remember(id, lead);
        self.imported += 1;
        self.drop_indexes_when_due()?;
        Ok(id)
    }

    /// Into an empty table, from the first lead: nothing to keep indexed meanwhile; into
    /// a small one, once it has had `REINDEX_AFTER` leads (see the module's doc).
    fn drop_indexes_when_due(&mut self) -> Result<()> {
        let drop_now = if self.existing == 0 {
            self.imported == 1
        } else if self.store.conn.is_postgres() {
            // PostgreSQL's DROP INDEX locks the table until the commit: the other sellers'
            // reads, which see the leads as they were meanwhile, would wait instead.
            false
        } else {
            self.imported == REINDEX_AFTER && self.existing <= 4 * REINDEX_AFTER
        };
        if drop_now {
            self.drop_indexes()?;
        }
        Ok(())
    }

    /// `create` on PostgreSQL: the lead and its arrival kept for the next COPY.
    fn create_pending(&mut self, lead: &Lead) -> Result<i64> {
        let id = match self.pending.next_id {
            Some(id) => id,
            None => self.store.next_id(Ids::Leads)?,
        };
        self.pending.next_id = Some(id + 1);
        let user = self.store.user();
        let mut row = vec![Value::Integer(id)];
        with_lead_values(lead, user.as_deref(), &self.batch, |values| {
            for value in values {
                row.push(owned(value.to_sql()?));
            }
            Ok(())
        })
        .context("saving an imported lead")?;
        let text = |index: usize| match row.get(index) {
            Some(Value::Text(text)) => Some(text.as_str()),
            _ => None,
        };
        self.pending
            .created
            .record(id, text(EMAIL_AT), text(EXTERNAL_ID_AT));
        self.pending.leads.push(row);
        let status = lead.status();
        if status != Status::New {
            let arrival = match self.pending.next_arrival_id {
                Some(arrival) => arrival,
                None => self.store.conn.query_row(
                    "SELECT coalesce(max(id), 0) + 1 FROM status_changes",
                    [],
                    |row| row.get(0),
                )?,
            };
            self.pending.next_arrival_id = Some(arrival + 1);
            self.pending.arrivals.push(vec![
                Value::Integer(arrival),
                Value::Integer(id),
                Value::Null,
                Value::Text(status.as_str().to_string()),
                lead.created_at
                    .map_or(Value::Null, |at| Value::Text(to_text(at))),
                user.map_or(Value::Null, Value::Text),
            ]);
        }
        self.remember(id, lead);
        self.imported += 1;
        self.drop_indexes_when_due()?;
        if self.pending.leads.len() >= SEND_EVERY {
            self.send_pending_meanwhile()?;
        }
        Ok(id)
    }

    /// Send the leads created and not yet saved (PostgreSQL; nothing to do on SQLite),
    /// and wait until the server has them: the caller reads or changes the tables next.
    fn send_pending(&mut self) -> Result<()> {
        self.send_pending_meanwhile()?;
        self.store.conn.settle()?;
        // Asked again at the next lead: an update between (a status change) adds rows.
        self.pending.next_id = None;
        self.pending.next_arrival_id = None;
        Ok(())
    }

    /// Send the leads created and not yet saved, and go on while the server takes
    /// them (the next rows are read and scored meanwhile; the next query waits).
    fn send_pending_meanwhile(&mut self) -> Result<()> {
        if self.pending.leads.is_empty() {
            return Ok(());
        }
        let columns: Vec<String> = std::iter::once("id")
            .chain(writable_column_names())
            .chain(std::iter::once("batch_id"))
            .map(String::from)
            .collect();
        let arrival_columns: Vec<String> = [
            "id",
            "lead_id",
            "from_status",
            "to_status",
            "at",
            "changed_by",
        ]
        .map(String::from)
        .to_vec();
        let mut leads = self.pending.leads.drain(..).map(Ok);
        let mut arrivals = self.pending.arrivals.drain(..).map(Ok);
        self.store
            .conn
            .add_rows_meanwhile(&mut [
                ("leads", &columns, &mut leads),
                ("status_changes", &arrival_columns, &mut arrivals),
            ])
            .context("saving the imported leads")?;
        Ok(())
    }

    /// Drop the leads' secondary indexes until the commit (see the module's doc).
    fn drop_indexes(&mut self) -> Result<()> {
        let conn = &self.store.conn;
        // PostgreSQL too: a COPY into thirteen indexes took 3.2 s for 100,000 leads, 1.9 s
        // into none (the rebuild sorts once).
        let indexes: Vec<(String, String)> = conn
            .prepare(if conn.is_postgres() {
                "SELECT indexname, indexdef FROM pg_indexes
                 WHERE tablename = 'leads' AND schemaname = current_schema()
                   AND indexname <> 'leads_pkey'"
            } else {
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = 'leads' AND sql IS NOT NULL"
            })?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            if KEPT_INDEXES.contains(&name.as_str()) {
                continue;
            }
            conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            self.dropped_indexes.push(sql);
        }
        if conn.is_postgres() {
            self.drop_checks_of_arrivals()?;
        }
        Ok(())
    }

    /// PostgreSQL, into an empty table: the arrival moves' indexes and the foreign keys
    /// a COPY checks a row at a time (the lead's batch, the move's lead) are dropped
    /// too, and made again at the end, where a key is checked by one join (1M leads:
    /// 3.9 s -> 1.9 s for their moves' COPY). With no leads there are no moves.
    fn drop_checks_of_arrivals(&mut self) -> Result<()> {
        let conn = &self.store.conn;
        let indexes: Vec<(String, String)> = conn
            .prepare(
                "SELECT indexname, indexdef FROM pg_indexes
                 WHERE tablename = 'status_changes' AND schemaname = current_schema()
                   AND indexname <> 'status_changes_pkey'",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            self.dropped_indexes.push(sql);
        }
        let keys: Vec<(String, String, String)> = conn
            .prepare(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                 FROM pg_constraint
                 WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
                   AND (conrelid, confrelid) IN (('leads'::regclass, 'import_batches'::regclass),
                                                 ('status_changes'::regclass, 'leads'::regclass))",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (table, name, definition) in keys {
            let name = format!("\"{}\"", name.replace('"', "\"\""));
            conn.execute_batch(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))?;
            self.dropped_indexes.push(format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
            ));
        }
        Ok(())
    }

    /// Save an existing lead changed by a row; a new status is recorded as a move.
    /// The lead's fields as they were before this batch first changed it are kept, so
    /// that `import --undo` can put them back.
    pub fn update(&mut self, lead: &Lead, was: Status, now: DateTime<Utc>) -> Result<()> {
        self.send_pending()?;
        self.store.keep_before_image(self.batch, lead.id, now)?;
        self.store.update_lead(lead)?;
        if lead.status() != was {
            self.store
                .change_status(lead.id, Some(was), lead.status(), now, Some("import"))?;
        }
        self.pending
            .created
            .change(lead.id, (lead.email.clone(), lead.external_id.clone()));
        self.remember(lead.id, lead);
        self.updated += 1;
        Ok(())
    }

    fn remember(&mut self, id: i64, lead: &Lead) {
        if let Some(map) = self.by_identity.as_mut() {
            for (key, _) in identity_keys(lead) {
                map.entry(key).or_insert(id);
            }
        }
        if let Some(email) = lead.email.as_deref() {
            let key = self.email_key(email);
            self.by_email.entry(key).or_insert(id);
        }
        if let Some(external_id) = lead.external_id.as_deref() {
            self.by_external_id
                .entry(hash(external_id.as_bytes()))
                .or_insert(id);
        }
    }

    /// The emails and external ids already in the database, and the forgotten people.
    fn load_known(&mut self) -> Result<()> {
        let conn = &self.store.conn;
        let mut statement = conn.prepare("SELECT id, email, external_id FROM leads ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            self.existing += 1;
            if let Some(email) = row.get_ref(1)?.as_str_or_null()? {
                let key = self.email_key(email);
                self.by_email.entry(key).or_insert(id);
            }
            if let Some(external_id) = row.get_ref(2)?.as_str_or_null()? {
                self.by_external_id
                    .entry(hash(external_id.as_bytes()))
                    .or_insert(id);
            }
        }
        let mut statement = conn.prepare("SELECT email_hash FROM forgotten")?;
        let hashes = statement.query_map([], |row| row.get::<_, String>(0))?;
        for hash in hashes {
            self.forgotten.insert(hash?);
        }
        Ok(())
    }

    /// The hash of an email with its case folded (beyond ASCII too: `lead_id_by_email`
    /// confirms), trimmed.
    fn email_key(&mut self, email: &str) -> u64 {
        self.scratch.clear();
        let email = email.trim();
        if email.is_ascii() {
            self.scratch
                .extend(email.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            self.scratch
                .extend_from_slice(super::fold::fold(email).as_bytes());
        }
        hash(&self.scratch)
    }

    fn stored_identity(&self, id: i64) -> Result<(Option<String>, Option<String>)> {
        if let Some(identity) = self.pending.created.identity(id) {
            return Ok(identity);
        }
        Ok(self
            .store
            .conn
            .prepare_cached("SELECT email, external_id FROM leads WHERE id = ?1")?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?)
    }
}

/// A value bound to a statement, as an owned value to send later.
fn owned(value: rusqlite::types::ToSqlOutput<'_>) -> Value {
    use rusqlite::types::ToSqlOutput;
    match value {
        ToSqlOutput::Borrowed(value) => value.into(),
        ToSqlOutput::Owned(value) => value,
        // Neither a zero-filled blob nor an array is ever a lead's field.
        _ => Value::Null,
    }
}

/// What a duplicate has in common with the lead it duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Same {
    Email,
    ExternalId,
    Phone,
    NameAndCompany,
    /// A name and nothing else to tell the person by (no company, no phone).
    Name,
    /// A company and nothing else (no name, no phone): an account, not yet a person.
    Company,
    /// An organization with no person's name, known by its website's domain.
    Website,
}

impl Same {
    pub fn describe(self) -> &'static str {
        match self {
            Same::Email => "same email",
            Same::ExternalId => "same external id",
            Same::Phone => "same phone number",
            Same::NameAndCompany => "same name and company",
            Same::Name => "same name, and nothing else to tell them apart",
            Same::Company => "same company, and nothing else to tell them apart",
            Same::Website => "same website",
        }
    }
}

/// The keys a lead without email or external id is known by: its phone's last digits (when
/// it has enough to be a number) and its name with its company (when it has both). A lead
/// known by its name alone (no company, no phone) is known by that name, and one known by
/// its company alone by that company: otherwise every re-import of a LinkedIn list or of
/// an export would add them again.
fn identity_keys(lead: &Lead) -> Vec<(u64, Same)> {
    let mut keys = Vec::new();
    // Compared as `duplicates` and `merge` compare them (`model::phone_key`).
    if let Some(key) = lead.phone.as_deref().and_then(crate::model::phone_key) {
        keys.push((hash(format!("phone:{key}").as_bytes()), Same::Phone));
    }
    let part = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_lowercase();
    let (first, last, company) = (
        part(&lead.first_name),
        part(&lead.last_name),
        part(&lead.company),
    );
    let named = !first.is_empty() || !last.is_empty();
    if named && !company.is_empty() {
        let text = format!("name:{first}\u{1f}{last}\u{1f}{company}");
        keys.push((hash(text.as_bytes()), Same::NameAndCompany));
    } else if keys.is_empty() && lead.email.is_none() && lead.external_id.is_none() {
        if named {
            let text = format!("name:{first}\u{1f}{last}\u{1f}");
            keys.push((hash(text.as_bytes()), Same::Name));
        } else if let Some(domain) = lead.website.as_deref().and_then(site_domain) {
            // An organization is its website: ten thousand companies a list cannot name
            // are ten thousand leads, not one "Upgrade to reveal".
            keys.push((hash(format!("site:{domain}").as_bytes()), Same::Website));
        } else if !company.is_empty() {
            let text = format!("company:{company}");
            keys.push((hash(text.as_bytes()), Same::Company));
        }
    }
    keys
}

/// A website's domain, for matching: `https://www.Acme.example/` -> `acme.example`.
fn site_domain(website: &str) -> Option<String> {
    let lower = website.trim().to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_string())
}

/// Leads created before the indexes are dropped for the rest of a large import.
const REINDEX_AFTER: u64 = 50_000;

/// Indexes kept up to date during a large import: rebuilding costs a scan of the whole
/// table each (0.1 s a million leads), updating them costs next to nothing, since an
/// import only appends to `leads_batch` and rarely fills the others.
const KEPT_INDEXES: [&str; 5] = [
    "leads_batch",
    "leads_deal_value",
    "leads_timeline",
    "leads_next_follow_up",
    "leads_win",
];

/// Maps from a key's hash to a lead id. The keys are hashes already: not hashed again.
type KeyMap = HashMap<u64, i64, BuildHasherDefault<AlreadyHashed>>;

#[derive(Default)]
struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys come here; fold anything else anyway.
        self.0 = hash(bytes);
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// A fast 64-bit hash of a key: foldhash with a fixed seed (the same keys hash alike on
/// every run). Not collision-proof, and need not be: every hit is confirmed against the
/// stored lead.
fn hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x51_7c_c1_b7_27_22_0a_95).hash_one(bytes)
}

#[cfg(test)]
mod tests {
    use super::Created;

    #[test]
    fn the_identities_of_created_leads_come_back_as_recorded() {
        let mut created = Created::default();
        created.record(7, Some("a@example.com"), Some("X1"));
        created.record(8, None, Some("X2"));
        created.record(9, Some("c@example.com"), None);
        created.record(10, None, None);
        created.record(11, Some(""), Some("Ünïcode"));
        let some = |text: &str| Some(text.to_string());
        assert_eq!(
            created.identity(7),
            Some((some("a@example.com"), some("X1")))
        );
        assert_eq!(created.identity(8), Some((None, some("X2"))));
        assert_eq!(created.identity(9), Some((some("c@example.com"), None)));
        assert_eq!(created.identity(10), Some((None, None)));
        assert_eq!(created.identity(11), Some((some(""), some("Ünïcode"))));
        // Not created by this import: the caller reads the database.
        assert_eq!(created.identity(6), None);
        assert_eq!(created.identity(12), None);
        assert_eq!(created.identity(i64::MIN), None);
    }

    #[test]
    fn a_changed_identity_replaces_the_recorded_one() {
        let mut created = Created::default();
        created.record(1, Some("old@example.com"), None);
        created.change(1, (Some("new@example.com".into()), None));
        assert_eq!(
            created.identity(1),
            Some((Some("new@example.com".into()), None))
        );
        // A lead it never recorded stays unknown.
        created.change(5, (Some("x@example.com".into()), None));
        assert_eq!(created.identity(5), None);
    }

    #[test]
    fn ids_out_of_turn_stop_the_record_rather_than_mislabel() {
        let mut created = Created::default();
        created.record(1, Some("a@example.com"), None);
        created.record(3, Some("c@example.com"), None);
        created.record(2, Some("b@example.com"), None);
        assert_eq!(
            created.identity(1),
            Some((Some("a@example.com".into()), None))
        );
        assert_eq!(created.identity(2), None);
        assert_eq!(created.identity(3), None);
    }
}

//! The schema, one migration per version, applied in order through `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: add a new one. Each runs in its own transaction,
//! so a failed upgrade leaves the database at the previous version.
use anyhow::{anyhow, bail, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// Version 1: leads, their activities and moves in the pipeline, and settings.
const V1: &str = "
CREATE TABLE leads (
    id             INTEGER PRIMARY KEY,
    first_name     TEXT,
    last_name      TEXT,
    email          TEXT,
    phone          TEXT,
    company        TEXT,
    title          TEXT,
    industry       TEXT,
    company_size   INTEGER,
    country        TEXT,
    website        TEXT,
    source         TEXT,
    source_detail  TEXT,
    status         TEXT NOT NULL DEFAULT 'new',
    tags           TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    notes          TEXT,
    attributes     TEXT NOT NULL DEFAULT '{}',   -- JSON object: imported columns kept verbatim
    external_id    TEXT,
    incentivized   INTEGER NOT NULL DEFAULT 0,
    aware          INTEGER NOT NULL DEFAULT 0,
    do_not_contact INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,                -- RFC 3339, UTC
    updated_at     TEXT NOT NULL,
    budget         TEXT NOT NULL DEFAULT 'unknown',
    authority      TEXT NOT NULL DEFAULT 'unknown',
    need           TEXT,
    timeline       TEXT,
    fit            INTEGER NOT NULL DEFAULT 0,   -- scores as of the last rescoring
    engagement     INTEGER NOT NULL DEFAULT 0,
    readiness      INTEGER NOT NULL DEFAULT 0,
    score          INTEGER NOT NULL DEFAULT 0,
    grade          TEXT NOT NULL DEFAULT 'D',
    sort_name      TEXT NOT NULL DEFAULT ''      -- lower-case display name, for --sort name
);
CREATE INDEX leads_email ON leads (email COLLATE NOCASE);
CREATE INDEX leads_external_id ON leads (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX leads_score ON leads (score DESC, id);
CREATE INDEX leads_status_score ON leads (status, score DESC);
-- Wide enough that `leads report` reads the index alone, never the table rows.
CREATE INDEX leads_source ON leads (source, status, score, created_at);
CREATE INDEX leads_created ON leads (created_at);
CREATE INDEX leads_sort_name ON leads (sort_name);
CREATE INDEX leads_timeline ON leads (timeline) WHERE timeline IS NOT NULL;

CREATE TABLE activities (
    id      INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    at      TEXT NOT NULL,
    note    TEXT
);
CREATE INDEX activities_lead ON activities (lead_id, at);

CREATE TABLE status_changes (
    id          INTEGER PRIMARY KEY,
    lead_id     INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          TEXT NOT NULL,
    reason      TEXT
);
CREATE INDEX status_changes_lead ON status_changes (lead_id, at);
CREATE INDEX status_changes_to ON status_changes (to_status, lead_id, at);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
";

/// Version 2: follow-ups, import batches, forgotten people, the learned model.
const V2: &str = "
CREATE TABLE follow_ups (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    due_at     TEXT NOT NULL,
    note       TEXT,
    every      TEXT,           -- recurrence such as '2w'; NULL when it happens once
    done_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX follow_ups_open ON follow_ups (due_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_lead ON follow_ups (lead_id);

ALTER TABLE leads ADD COLUMN next_follow_up TEXT;  -- earliest open follow-up, kept in step
CREATE INDEX leads_next_follow_up ON leads (next_follow_up) WHERE next_follow_up IS NOT NULL;

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    source_name TEXT NOT NULL,
    imported    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    undone_at   TEXT
);
ALTER TABLE leads ADD COLUMN batch_id INTEGER REFERENCES import_batches (id);
CREATE INDEX leads_batch ON leads (batch_id) WHERE batch_id IS NOT NULL;

-- SHA-256 of the lower-cased email of each person who asked to be forgotten.
CREATE TABLE forgotten (
    email_hash   TEXT PRIMARY KEY,
    forgotten_at TEXT NOT NULL
);
ALTER TABLE leads ADD COLUMN forgotten_at TEXT;

-- The learned win-probability model (JSON), at most one row.
CREATE TABLE win_model (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    learned_at TEXT NOT NULL,
    closed     INTEGER NOT NULL,
    auc        REAL,
    model      TEXT NOT NULL
);
ALTER TABLE leads ADD COLUMN win_probability REAL;
CREATE INDEX leads_win ON leads (win_probability DESC) WHERE win_probability IS NOT NULL;
";

/// Version 3: the qualification answers as given over time (the lead's budget, authority,
/// need and timeline columns hold the latest ones).
const V3: &str = "
CREATE TABLE qualifications (
    id        INTEGER PRIMARY KEY,
    lead_id   INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,   -- when the answers were recorded
    budget    TEXT NOT NULL,   -- yes, no or unknown
    authority TEXT NOT NULL,
    need      TEXT,
    timeline  TEXT             -- when the lead means to buy, RFC 3339
);
CREATE INDEX qualifications_lead ON qualifications (lead_id, at);
";

/// Version 4: what sources cost (spend) and what won deals brought (deal_value), for the
/// return on investment in `leads report`.
const V4_SPEND: &str = "
CREATE TABLE spend (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,   -- normalized, as leads.source
    detail     TEXT,            -- the campaign, event or list, as leads.source_detail
    amount     REAL NOT NULL CHECK (amount >= 0),
    spent_on   TEXT NOT NULL,   -- RFC 3339, UTC: the moment the spend counts at
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX spend_spent_on ON spend (spent_on);

ALTER TABLE leads ADD COLUMN deal_value REAL;  -- the amount of a won deal
-- Revenue per group without reading the table: only the leads with a value are indexed.
CREATE INDEX leads_deal_value ON leads (status, created_at, source, source_detail, deal_value)
    WHERE deal_value IS NOT NULL;
-- The moves made in the pipeline (not how a lead arrived), in each lead's order: the
-- report's reached-stage funnel reads this index alone.
CREATE INDEX status_changes_moves ON status_changes (lead_id, at, from_status, to_status)
    WHERE from_status IS NOT NULL;
";

/// Version 5: `list` shows open leads by default, best first; this index holds only them,
/// so the first page never walks past closed deals. (The condition must stay word for
/// word the one `LeadQuery` writes, or SQLite will not use the index.)
const V5_OPEN_LEADS: &str = "
CREATE INDEX leads_open_score ON leads (score DESC, id)
    WHERE status NOT IN ('won', 'lost', 'disqualified');
";

/// Nurturing cadences (issue 15): cadences and their steps, leads enrolled in them, and the
/// follow-up that is each enrollment's next step. A lead leaves its cadence by itself,
/// whatever command (or another tool) makes the change: triggers end the enrollment when
/// the lead answers, is qualified or closed, marked do-not-contact or forgotten; deleting
/// the lead deletes its enrollments. An ended enrollment's open step is closed.
const NURTURING: &str = "
CREATE TABLE cadences (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT            -- kept, so ended enrollments still name their cadence
);
CREATE UNIQUE INDEX cadences_name ON cadences (name COLLATE NOCASE) WHERE deleted_at IS NULL;

CREATE TABLE cadence_steps (
    cadence_id INTEGER NOT NULL REFERENCES cadences (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,   -- 1-based
    delay      TEXT NOT NULL,      -- an interval ('0d', '3d', '1w'), after the previous step
    kind       TEXT NOT NULL,      -- an activity kind
    note       TEXT,
    PRIMARY KEY (cadence_id, position)
);

CREATE TABLE enrollments (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    cadence_id INTEGER NOT NULL REFERENCES cadences (id),
    step       INTEGER NOT NULL DEFAULT 1,  -- the next step, 1-based
    started_at TEXT NOT NULL,
    ended_at   TEXT,
    end_reason TEXT,                        -- completed, replied, qualified, stopped, ...
    end_note   TEXT                         -- nurture stop --reason
);
-- One active cadence per lead.
CREATE UNIQUE INDEX enrollments_active ON enrollments (lead_id) WHERE ended_at IS NULL;
CREATE INDEX enrollments_lead ON enrollments (lead_id, started_at);
CREATE INDEX enrollments_cadence ON enrollments (cadence_id, started_at);

-- The follow-up that is a step of an enrollment, and the activity that step logged.
ALTER TABLE follow_ups ADD COLUMN enrollment_id INTEGER REFERENCES enrollments (id) ON DELETE CASCADE;
ALTER TABLE follow_ups ADD COLUMN step INTEGER;
CREATE INDEX follow_ups_enrollment ON follow_ups (enrollment_id) WHERE enrollment_id IS NOT NULL;
ALTER TABLE activities ADD COLUMN follow_up_id INTEGER;  -- set when a cadence step logged it

CREATE TRIGGER enrollment_ends_on_an_answer AFTER INSERT ON activities
WHEN NEW.kind IN ('email_replied', 'meeting', 'demo') AND NEW.follow_up_id IS NULL
BEGIN
    UPDATE enrollments
    SET ended_at = NEW.at,
        end_reason = CASE NEW.kind WHEN 'email_replied' THEN 'replied' ELSE NEW.kind END
    WHERE lead_id = NEW.lead_id AND ended_at IS NULL AND started_at <= NEW.at;
END;

CREATE TRIGGER enrollment_ends_on_a_status AFTER UPDATE OF status ON leads
WHEN NEW.status IN ('qualified', 'won', 'lost', 'disqualified') AND NEW.status IS NOT OLD.status
BEGIN
    UPDATE enrollments SET ended_at = NEW.updated_at, end_reason = NEW.status
    WHERE lead_id = NEW.id AND ended_at IS NULL;
END;

CREATE TRIGGER enrollment_ends_on_do_not_contact AFTER UPDATE OF do_not_contact ON leads
WHEN NEW.do_not_contact AND NOT OLD.do_not_contact AND NEW.forgotten_at IS NULL
BEGIN
    UPDATE enrollments SET ended_at = NEW.updated_at, end_reason = 'do_not_contact'
    WHERE lead_id = NEW.id AND ended_at IS NULL;
END;

CREATE TRIGGER enrollment_ends_when_forgotten AFTER UPDATE OF forgotten_at ON leads
WHEN NEW.forgotten_at IS NOT NULL AND OLD.forgotten_at IS NULL
BEGIN
    UPDATE enrollments SET ended_at = NEW.forgotten_at, end_reason = 'forgotten'
    WHERE lead_id = NEW.id AND ended_at IS NULL;
END;

-- Closed rather than deleted: a deleted row's id could be given to the next follow-up,
-- and a `follow-up done ID` (or a calendar's UID) read earlier would hit the wrong one.
CREATE TRIGGER enrollment_end_closes_its_open_step AFTER UPDATE OF ended_at ON enrollments
WHEN NEW.ended_at IS NOT NULL AND OLD.ended_at IS NULL
BEGIN
    UPDATE follow_ups SET done_at = NEW.ended_at WHERE enrollment_id = NEW.id AND done_at IS NULL;
    UPDATE leads SET next_follow_up =
        (SELECT MIN(due_at) FROM follow_ups WHERE lead_id = NEW.lead_id AND done_at IS NULL)
    WHERE id = NEW.lead_id;
END;
";

/// The daily loop (issue 21): a call's outcome and who logged an activity; the kind of touch
/// a follow-up will be; each lead's latest touch and latest answer, kept in step by the
/// code that logs, edits and deletes activities (`Store::sync_touches`), so that `today`,
/// `list --stale` and `--sort touch` read them from the lead's row. A call logged before
/// outcomes existed was taken to be a conversation: it is `connected`. An answer (Domain:
/// a reply, a meeting, a demo, a connected call) ends the lead's cadence; the trigger now
/// counts a connected call too. (A test holds this condition against `ActivityKind::touch`.)
///
/// No new index: `today` walks `leads_open_score` (its leads without a next step come in
/// score order) and `follow_ups_open`; `--sort touch` and `--stale` are rare, and sort.
const DAILY_WORK: &str = "
ALTER TABLE activities ADD COLUMN outcome TEXT;      -- calls only: connected, no_answer, ...
ALTER TABLE activities ADD COLUMN logged_by TEXT;    -- LEADS_USER, else the login name
UPDATE activities SET outcome = 'connected' WHERE kind = 'call';
ALTER TABLE follow_ups ADD COLUMN kind TEXT;         -- the touch it will be; NULL before kinds
ALTER TABLE leads ADD COLUMN last_touch_at TEXT;     -- latest answer or attempt
ALTER TABLE leads ADD COLUMN last_answer_at TEXT;    -- latest answer

UPDATE leads SET last_touch_at = t.at FROM (
    SELECT lead_id, MAX(at) AS at FROM activities
    WHERE kind IN ('email_sent', 'email_replied', 'call', 'meeting', 'demo')
    GROUP BY lead_id
) AS t WHERE leads.id = t.lead_id;
UPDATE leads SET last_answer_at = t.at FROM (
    SELECT lead_id, MAX(at) AS at FROM activities
    WHERE kind IN ('email_replied', 'meeting', 'demo')
       OR (kind = 'call' AND COALESCE(outcome, 'connected') = 'connected')
    GROUP BY lead_id
) AS t WHERE leads.id = t.lead_id;

DROP TRIGGER enrollment_ends_on_an_answer;
CREATE TRIGGER enrollment_ends_on_an_answer AFTER INSERT ON activities
WHEN (NEW.kind IN ('email_replied', 'meeting', 'demo')
      OR (NEW.kind = 'call' AND COALESCE(NEW.outcome, 'connected') = 'connected'))
     AND NEW.follow_up_id IS NULL
BEGIN
    UPDATE enrollments
    SET ended_at = NEW.at,
        end_reason = CASE NEW.kind WHEN 'email_replied' THEN 'replied' ELSE NEW.kind END
    WHERE lead_id = NEW.lead_id AND ended_at IS NULL AND started_at <= NEW.at;
END;
";

/// What an import changed in the leads it updated (`--on-duplicate update`), so that
/// `import --undo` puts their fields back: each lead's columns as they were before the
/// batch first touched it (a JSON object, `Store::lead_columns_json`), and its `updated_at`
/// as the batch left it (a later one: the lead was edited since). Deleting the lead
/// deletes its rows; `forget` deletes them too (they hold the person's data).
const UPDATE_UNDO: &str = "
CREATE TABLE import_updates (
    batch_id   INTEGER NOT NULL REFERENCES import_batches (id),
    lead_id    INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    before     TEXT NOT NULL,   -- JSON object: the lead's columns before the batch
    updated_at TEXT NOT NULL,   -- the lead's updated_at as the batch left it
    PRIMARY KEY (batch_id, lead_id)
);
CREATE INDEX import_updates_lead ON import_updates (lead_id);
";

/// Mail (issue 25): the messages `leads mail import` logged, so each is logged once. Only a
/// SHA-256 digest (hex) of the Message-ID is kept (of the date, sender and subject when
/// there is none), never the Message-ID itself, which can hold a stranger's address.
const MAIL: &str = "
CREATE TABLE mail_messages (
    digest    TEXT PRIMARY KEY,
    logged_at TEXT NOT NULL
);
";

/// A recurrence keeps the time of day the seller asked for (Safety): a daily 02:30 moves
/// to 03:30 on the day 02:30 does not exist, and is 02:30 again the day after, which the
/// due time alone (UTC) cannot say. `local_time` is that wall-clock time, 'HH:MM' (with
/// ':SS' when it has seconds), set by `follow-up add --every` (days, weeks, months) and
/// carried to each next occurrence; NULL (every follow-up before this version, and
/// hourly ones): the next occurrence keeps the previous one's time of day.
const RECURRENCE_WALL_TIME: &str = "
ALTER TABLE follow_ups ADD COLUMN local_time TEXT;
";

/// The agenda's first read (`today`, issue 21's budget): the open follow-ups due by
/// tonight with their leads, read from the index alone. `follow_ups_open` held only the
/// due time, so each of them cost a visit of its row, and the old walk a visit of its
/// lead's row too; with the lead in the index the walk touches index pages only and the
/// leads of one page are read once, by `Store::agenda_page`. (`done_at`, NULL in every
/// row, is there because SQLite reads a column its query names from the table unless the
/// index holds it, even when the index's own condition says what it is.)
const AGENDA_KEYS: &str = "
DROP INDEX follow_ups_open;
CREATE INDEX follow_ups_open ON follow_ups (due_at, lead_id, done_at) WHERE done_at IS NULL;
";

/// Who did what (DESIGN's "Beyond one machine": `LEADS_USER`, else the login name): the
/// seller a lead belongs to (`owner`: `add` and `import` make the user its owner), who
/// moved a lead in the pipeline and who ran an import. NULL in what came before: nobody
/// knows who did it, and no one's name is guessed into the history. A lead imported with
/// a CRM's owner column (`Lead Owner`, kept as an attribute until now) gets it as its owner,
/// as an import does now, so a rule or a learned model naming `Owner` still finds it.
const WHO_DID_WHAT: &str = "
ALTER TABLE leads ADD COLUMN owner TEXT;
ALTER TABLE status_changes ADD COLUMN changed_by TEXT;
ALTER TABLE import_batches ADD COLUMN imported_by TEXT;
UPDATE leads SET owner = leads_owner_attribute(attributes),
    attributes = leads_without_owner(attributes)
WHERE leads_owner_attribute(attributes) IS NOT NULL;
";

/// A narrower database for imports (issue 26): what only a rare sort or nothing at all read
/// goes, so an import writes and sorts less and the file is smaller.
/// - `sort_name` (a lower-cased copy of the display name on every row, 12 bytes a lead)
///   and its index `leads_sort_name`: `list --sort name` sorts on the name computed from
///   the lead's own columns (`store::lead_query::SORT_NAME`), a top-N sort of the table.
/// - `leads_created`: `list --sort created` and `--since` sort or scan the table; `report`
///   never read it (its periods go through the covering `leads_source`).
/// - `status_changes_to`: only the closing time of `learn` and `report --since` read it
///   (a lead's last move to its status), and they find a lead's few moves as fast through
///   `status_changes_lead`; yet every imported lead that came in a later stage than `new`
///   wrote an entry in it.
/// - `leads_status_score` (status, score): one index in score order serves every status,
///   `leads_score` with the status in it. `list --status S` walks it and skips the other
///   statuses on the index itself (a status no lead has: the whole index, 0.1 s on a
///   million leads; any other: a few hundred entries), and the closed leads `learn` and
///   `report` rank are as fast read by a scan of the table (measured).
///
/// - `budget` and `authority` NULL rather than `'unknown'`, `tags` NULL rather than `'[]'`,
///   `attributes` NULL rather than `'{}'`: most leads have none, and the defaults cost 17
///   bytes on every row. (Read back, either form is the same lead: a before-image kept by
///   an older version still restores.) The columns were NOT NULL: each is made again at
///   the end of the table, its values copied, and the old one dropped.
///
/// On a million leads: 23 + 29 + 26 + 17 MB of indexes and 29 MB of rows fewer, and four
/// sorts of a million entries less at the end of each large import.
const NARROW_IMPORT: &str = "
DROP INDEX leads_sort_name;
ALTER TABLE leads DROP COLUMN sort_name;
ALTER TABLE leads RENAME COLUMN budget TO budget_was;
ALTER TABLE leads RENAME COLUMN authority TO authority_was;
ALTER TABLE leads RENAME COLUMN tags TO tags_was;
ALTER TABLE leads RENAME COLUMN attributes TO attributes_was;
ALTER TABLE leads ADD COLUMN budget TEXT;      -- yes, no; NULL: unknown
ALTER TABLE leads ADD COLUMN authority TEXT;   -- yes, no; NULL: unknown
ALTER TABLE leads ADD COLUMN tags TEXT;        -- JSON array of strings; NULL: none
ALTER TABLE leads ADD COLUMN attributes TEXT;  -- JSON object of imported columns; NULL: none
UPDATE leads SET budget = NULLIF(budget_was, 'unknown'),
    authority = NULLIF(authority_was, 'unknown'),
    tags = NULLIF(tags_was, '[]'),
    attributes = NULLIF(attributes_was, '{}')
WHERE budget_was <> 'unknown' OR authority_was <> 'unknown' OR tags_was <> '[]'
    OR attributes_was <> '{}';
ALTER TABLE leads DROP COLUMN budget_was;
ALTER TABLE leads DROP COLUMN authority_was;
ALTER TABLE leads DROP COLUMN tags_was;
ALTER TABLE leads DROP COLUMN attributes_was;
DROP INDEX leads_created;
DROP INDEX status_changes_to;
DROP INDEX leads_status_score;
DROP INDEX leads_score;
CREATE INDEX leads_score ON leads (score DESC, id, status);
";

/// The forgotten leads, alone in an index (none in most databases, a few in others): the
/// report's ranking of the closed leads (`Store::closed_scores_in`) reads their scores and
/// outcomes from `leads_status_score` and leaves these out, where asking every closed
/// lead's row whether it was forgotten cost 0.37 s of `report` on a million leads. An
/// import adds nothing to it (no imported lead is forgotten).
const FORGOTTEN_LEADS: &str = "
CREATE INDEX leads_forgotten ON leads (forgotten_at) WHERE forgotten_at IS NOT NULL;
";

/// The email's match key, folded by leads (DESIGN: "a folded key that leads computes,
/// the same Unicode folding on both" engines): SQLite's NOCASE folds ASCII only and
/// PostgreSQL's ICU collation more than case (`ss` found `ß`, `fi` the ligature `ﬁ`).
/// NULL when the email is its own key (`fold::stored_email_key`), so most rows gain no
/// bytes; lookups compare `coalesce(email_key, email)`, which the new index holds. The
/// before-images of updates gain the key too, so an undo puts back the email and its key
/// together.
const EMAIL_KEY: &str = "
ALTER TABLE leads ADD COLUMN email_key TEXT;
UPDATE leads SET email_key = leads_email_key(email) WHERE leads_email_key(email) IS NOT NULL;
UPDATE import_updates
SET before = json_set(before, '$.email_key', leads_email_key(json_extract(before, '$.email')));
DROP INDEX leads_email;
CREATE INDEX leads_email_key ON leads (coalesce(email_key, email));
";

/// Every migration, in order: index + 1 is the version it produces.
pub const MIGRATIONS: &[&str] = &[
    V1,
    V2,
    V3,
    V4_SPEND,
    V5_OPEN_LEADS,
    NURTURING,
    DAILY_WORK,
    UPDATE_UNDO,
    MAIL,
    RECURRENCE_WALL_TIME,
    AGENDA_KEYS,
    WHO_DID_WHAT,
    NARROW_IMPORT,
    FORGOTTEN_LEADS,
    EMAIL_KEY,
];

/// The schema version this binary writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of a leads database ("LEAD" in ASCII): set when leads creates
/// or upgrades a file, so it can tell its own files from other programs' SQLite files.
pub const APPLICATION_ID: i64 = 0x4c45_4144;

/// The last schema version written before leads set `application_id`: databases up to
/// this version are recognized by their tables and columns instead.
pub const UNMARKED_VERSION: i64 = 3;

/// Refuse a file that is not a leads database (not SQLite, another program's SQLite file,
/// or one from a newer leads) using reads only, so a refused file is left byte-identical.
pub fn check_is_ours(conn: &Connection) -> Result<()> {
    // One snapshot for all the reads: another process may be creating the schema now.
    let snapshot = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    let verdict = classify(&snapshot);
    snapshot.finish()?;
    verdict
}

fn classify(conn: &Connection) -> Result<()> {
    let read = |pragma: &str| -> Result<i64> {
        conn.pragma_query_value(None, pragma, |row| row.get(0))
            .map_err(|err| match err.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => {
                    anyhow!("the file is not a leads database (not SQLite)")
                }
                _ => err.into(),
            })
    };
    let application_id = read("application_id")?;
    let version = read("user_version")?;
    if application_id == APPLICATION_ID {
        return check_not_newer(version);
    }
    if application_id != 0 {
        bail!(
            "the file is not a leads database (it belongs to another program: \
             application_id {application_id:#x}); leads leaves it as it is"
        );
    }
    let tables: Vec<String> = {
        let mut statement = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?;
        let names = statement.query_map([], |row| row.get(0))?;
        names.collect::<rusqlite::Result<_>>()?
    };
    if tables.is_empty() && version == 0 {
        return Ok(()); // a new, empty file
    }
    if (1..=UNMARKED_VERSION).contains(&version) && looks_like_leads(conn, &tables)? {
        return Ok(());
    }
    bail!(
        "the file is not a leads database (an SQLite file of another program: tables {}); \
         leads leaves it as it is",
        tables.join(", ")
    )
}

/// A database of an earlier leads, before `application_id`: the tables and columns of V1.
fn looks_like_leads(conn: &Connection, tables: &[String]) -> Result<bool> {
    for table in ["leads", "activities", "status_changes", "settings"] {
        if !tables.iter().any(|t| t == table) {
            return Ok(false);
        }
    }
    let mut statement = conn.prepare("SELECT name FROM pragma_table_info('leads')")?;
    let columns: Vec<String> = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok([
        "first_name",
        "email",
        "status",
        "sort_name",
        "attributes",
        "score",
        "grade",
    ]
    .iter()
    .all(|column| columns.iter().any(|c| c == column)))
}

/// A migration that fails on the SQL itself (a table or column already there, or missing)
/// met tables that are not those of the version the file says: `user_version` was
/// changed by another tool. Said in one line, without the migration's SQL; any other
/// failure (busy, disk full) keeps its own words.
fn not_matching(err: rusqlite::Error, version: i64, next: i64) -> anyhow::Error {
    // SqlInputError is how rusqlite reports an error in a statement, with its text.
    let code = match &err {
        rusqlite::Error::SqliteFailure(error, _) => Some(error.code),
        rusqlite::Error::SqlInputError { error, .. } => Some(error.code),
        _ => None,
    };
    if code == Some(rusqlite::ErrorCode::Unknown) {
        anyhow!(
            "its schema version ({version}) does not match its tables (upgrading it to \
             version {next} failed): PRAGMA user_version was changed by another tool; leads \
             leaves the file as it is"
        )
    } else {
        anyhow::Error::from(err).context(format!("upgrading the database to schema version {next}"))
    }
}

pub(super) fn check_not_newer(version: i64) -> Result<()> {
    if version > CURRENT_VERSION {
        bail!(
            "the database is at schema version {version}, newer than this leads understands \
             ({CURRENT_VERSION}); upgrade leads to use it"
        );
    }
    Ok(())
}

/// For a database opened read-only, which cannot be upgraded: it must be current.
pub fn check_current(conn: &Connection, path: &std::path::Path) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    check_not_newer(version)?;
    let application_id: i64 = conn.pragma_query_value(None, "application_id", |row| row.get(0))?;
    if version < CURRENT_VERSION || application_id != APPLICATION_ID {
        bail!(
            "the database {} needs upgrading to schema version {CURRENT_VERSION}, which needs \
             write access to its folder",
            path.display()
        );
    }
    Ok(())
}

/// Bring the database up to `CURRENT_VERSION`; refuse one made by a newer `leads`.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, CURRENT_VERSION)
}

/// Apply migrations up to `target` (tests build older databases with it). Each migration
/// runs in its own transaction under the write lock (BEGIN IMMEDIATE) and reads the version
/// again inside it: processes starting together on a new or older database take turns,
/// and each finds the work done by the one before.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    // Versions up to UNMARKED_VERSION are built as that leads built them, without the mark.
    let mark = target == CURRENT_VERSION || target > UNMARKED_VERSION;
    let read = |conn: &Connection, pragma: &str| -> Result<i64> {
        Ok(conn.pragma_query_value(None, pragma, |row| row.get(0))?)
    };
    let version = read(conn, "user_version")?;
    check_not_newer(version)?;
    let unmarked = mark && read(conn, "application_id")? != APPLICATION_ID;
    if version >= target && !unmarked {
        return Ok(());
    }
    // Migration 12 moves an imported owner column out of the attributes with these;
    // migration 15 makes the email keys with leads' folding.
    super::owner_attribute::register(conn)?;
    super::fold::register(conn)?;
    for next in (1..=target).filter(|next| *next > version) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = read(&tx, "user_version")?;
        check_not_newer(current)?;
        if current < next {
            tx.execute_batch(MIGRATIONS[next as usize - 1])
                .map_err(|err| not_matching(err, current, next))?;
            tx.pragma_update(None, "user_version", next)?;
        }
        if mark {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.commit()?;
    }
    if unmarked && version >= target {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_database_upgrades_and_keeps_its_leads() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO leads (first_name, email, created_at, updated_at)
             VALUES ('Ada', 'ada@example.com', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, CURRENT_VERSION);
        let (email, next): (String, Option<String>) = conn
            .query_row("SELECT email, next_follow_up FROM leads", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((email.as_str(), next), ("ada@example.com", None));
        conn.execute(
            "INSERT INTO follow_ups (lead_id, due_at, created_at) VALUES (1, 'x', 'y')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO qualifications (lead_id, at, budget, authority) VALUES (1, 'x', 'yes', 'no')",
            [],
        )
        .unwrap();
    }

    #[test]
    fn a_version_3_database_gains_cadences_and_keeps_its_data() {
        // Version 3 is the release before nurturing.
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, email, status, created_at, updated_at)
             VALUES ('Ada', 'ada@example.com', 'contacted', '2025-01-01T00:00:00Z',
                     '2025-01-01T00:00:00Z');
             INSERT INTO follow_ups (lead_id, due_at, note, every, created_at)
             VALUES (1, '2025-02-01T09:00:00Z', 'call back', '2w', '2025-01-01T00:00:00Z');
             INSERT INTO activities (lead_id, kind, at) VALUES (1, 'call', '2025-01-02T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let kept: (String, String, Option<i64>, String, Option<i64>) = conn
            .query_row(
                "SELECT l.status, f.every, f.enrollment_id, a.kind, a.follow_up_id
                 FROM leads l JOIN follow_ups f ON f.lead_id = l.id
                 JOIN activities a ON a.lead_id = l.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            kept,
            ("contacted".into(), "2w".into(), None, "call".into(), None)
        );
        // The old lead can be enrolled, and leaves on an answer.
        conn.execute_batch(
            "INSERT INTO cadences (name, created_at) VALUES ('e-book', '2025-03-01T00:00:00Z');
             INSERT INTO enrollments (lead_id, cadence_id, started_at)
             VALUES (1, 1, '2025-03-01T00:00:00Z');
             INSERT INTO activities (lead_id, kind, at)
             VALUES (1, 'email_replied', '2025-03-02T00:00:00Z');",
        )
        .unwrap();
        let reason: String = conn
            .query_row("SELECT end_reason FROM enrollments", [], |r| r.get(0))
            .unwrap();
        assert_eq!(reason, "replied");
    }

    #[test]
    fn a_version_3_database_upgrades_keeping_its_leads_and_moves() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, source, status, created_at, updated_at)
             VALUES ('Ada', 'referral', 'won', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
             INSERT INTO status_changes (lead_id, from_status, to_status, at)
             VALUES (1, 'new', 'won', '2025-01-05T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let (status, value): (String, Option<f64>) = conn
            .query_row("SELECT status, deal_value FROM leads", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((status.as_str(), value), ("won", None));
        let moves: i64 = conn
            .query_row("SELECT count(*) FROM status_changes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(moves, 1);
        conn.execute(
            "INSERT INTO spend (source, amount, spent_on, created_at) VALUES ('referral', 5, 'x', 'y')",
            [],
        )
        .unwrap();
        let negative = conn.execute(
            "INSERT INTO spend (source, amount, spent_on, created_at) VALUES ('referral', -5, 'x', 'y')",
            [],
        );
        assert!(negative.is_err());
    }

    #[test]
    fn a_version_7_database_gains_the_before_images_of_updates() {
        // Version 7 is the release before `import --undo` restored updated leads.
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO import_batches (started_at, source_name, imported, updated)
             VALUES ('2025-01-01T00:00:00Z', 'crm.csv', 0, 1);
             INSERT INTO leads (first_name, email, created_at, updated_at)
             VALUES ('Ada', 'ada@example.com', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO import_updates (batch_id, lead_id, before, updated_at)
             VALUES (1, 1, '{\"first_name\":\"Ada\"}', '2025-02-01T00:00:00Z');",
        )
        .unwrap();
        let (name, batch): (String, String) = conn
            .query_row(
                "SELECT l.first_name, b.source_name FROM leads l, import_batches b",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((name.as_str(), batch.as_str()), ("Ada", "crm.csv"));
        // The before-image goes with its lead.
        conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM leads;")
            .unwrap();
        let left: i64 = conn
            .query_row("SELECT count(*) FROM import_updates", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn a_version_9_database_keeps_its_recurrences_without_a_wall_time() {
        // Version 9 is the release before recurrences kept their wall-clock time.
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 9).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, email, created_at, updated_at)
             VALUES ('Ada', 'ada@example.com', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO follow_ups (lead_id, due_at, note, every, created_at, kind)
             VALUES (1, '2026-03-07T07:30:00Z', 'call back', '1d', '2026-01-01T00:00:00Z',
                     'call');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, CURRENT_VERSION);
        let kept: (String, String, String, Option<String>) = conn
            .query_row(
                "SELECT due_at, note, every, local_time FROM follow_ups",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        let text = |t: &str| t.to_string();
        assert_eq!(
            kept,
            (
                text("2026-03-07T07:30:00Z"),
                text("call back"),
                text("1d"),
                None
            )
        );
        conn.execute(
            "INSERT INTO follow_ups (lead_id, due_at, every, created_at, local_time)
             VALUES (1, '2026-03-08T07:30:00Z', '1d', '2026-03-07T00:00:00Z', '02:30')",
            [],
        )
        .unwrap();
    }

    /// Everything a database holds, as text: each schema statement, then each table's rows
    /// in rowid order.
    fn dump(conn: &Connection) -> Vec<String> {
        use rusqlite::types::ValueRef;
        let mut lines = Vec::new();
        let mut tables = Vec::new();
        let mut statement = conn
            .prepare(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name",
            )
            .unwrap();
        let rows = statement
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .unwrap();
        for row in rows {
            let (kind, name, sql): (String, String, String) = row.unwrap();
            if kind == "table" {
                tables.push(name);
            }
            lines.push(sql);
        }
        for table in tables {
            let mut statement = conn
                .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
                .unwrap();
            let columns = statement.column_count();
            let rows = statement
                .query_map([], |row| {
                    let cells: Vec<String> = (0..columns)
                        .map(|i| match row.get_ref(i).unwrap() {
                            ValueRef::Null => "NULL".to_string(),
                            ValueRef::Integer(n) => n.to_string(),
                            ValueRef::Real(x) => x.to_string(),
                            ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                            ValueRef::Blob(b) => format!("{b:?}"),
                        })
                        .collect();
                    Ok(format!("{table}: {}", cells.join(" | ")))
                })
                .unwrap();
            lines.extend(rows.map(Result::unwrap));
        }
        lines
    }

    #[test]
    fn a_version_10_database_gets_the_agenda_index_with_its_follow_ups_kept() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 10).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, email, created_at, updated_at)
             VALUES ('Ada', 'ada@example.com', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO follow_ups (lead_id, due_at, created_at, kind)
             VALUES (1, '2026-03-07T07:30:00Z', '2026-01-01T00:00:00Z', 'call');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let index: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'follow_ups_open'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            index,
            "CREATE INDEX follow_ups_open ON follow_ups (due_at, lead_id, done_at) WHERE done_at IS NULL"
        );
        let open: (i64, String) = conn
            .query_row(
                "SELECT lead_id, due_at FROM follow_ups INDEXED BY follow_ups_open
                 WHERE done_at IS NULL AND due_at > ''",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(open, (1, "2026-03-07T07:30:00Z".to_string()));
    }

    #[test]
    fn a_version_11_database_keeps_its_history_with_nobody_named() {
        // Version 11 is the release before leads recorded who did what.
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 11).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, email, created_at, updated_at)
             VALUES ('Ada', 'ada@example.com', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO status_changes (lead_id, from_status, to_status, at)
             VALUES (1, NULL, 'new', '2026-01-01T00:00:00Z');
             INSERT INTO import_batches (started_at, source_name)
             VALUES ('2026-01-01T00:00:00Z', 'leads.csv');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let kept: (
            String,
            Option<String>,
            String,
            Option<String>,
            String,
            Option<String>,
        ) = conn
            .query_row(
                "SELECT first_name, owner, to_status, changed_by, source_name, imported_by
                 FROM leads, status_changes, import_batches",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .unwrap();
        let text = |t: &str| t.to_string();
        assert_eq!(
            kept,
            (
                text("Ada"),
                None,
                text("new"),
                None,
                text("leads.csv"),
                None
            )
        );
    }

    #[test]
    fn a_version_11_lead_imported_with_a_crm_owner_column_gets_it_as_its_owner() {
        // Before owners, an import kept `Lead Owner` as an attribute; a rule on `Owner`
        // reads the field now, so the value moves there, as an import would put it.
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 11).unwrap();
        conn.execute_batch(
            r#"INSERT INTO leads (first_name, created_at, updated_at, attributes)
               VALUES ('Ada', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
                       '{"Lead Owner":"Jane Seller","Seats":"3"}');
               INSERT INTO leads (first_name, created_at, updated_at, attributes)
               VALUES ('Bo', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
                       '{"Account Owner":"Kim"}');"#,
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let leads: Vec<(Option<String>, Option<String>)> = conn
            .prepare("SELECT owner, attributes FROM leads ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let text = |t: &str| Some(t.to_string());
        assert_eq!(
            leads,
            [
                (text("Jane Seller"), text(r#"{"Seats":"3"}"#)),
                (None, text(r#"{"Account Owner":"Kim"}"#)),
            ]
        );
    }

    #[test]
    fn a_version_12_database_loses_the_sort_copy_four_indexes_and_its_defaults_and_keeps_its_data()
    {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, last_name, email, status, created_at, updated_at,
                 sort_name, batch_id, tags)
             VALUES ('Ada', 'Lovelace', 'ada@example.com', 'won', '2026-01-01T00:00:00Z',
                     '2026-01-02T00:00:00Z', 'ada lovelace', NULL, '[\"vip\"]');
             INSERT INTO status_changes (lead_id, from_status, to_status, at)
             VALUES (1, NULL, 'won', '2026-01-01T00:00:00Z');
             INSERT INTO leads (id, first_name, created_at, updated_at, budget, attributes)
             VALUES (3, 'Linus', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'yes',
                     '{\"Seats\":\"3\"}');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('leads')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!columns.iter().any(|c| c == "sort_name"), "{columns:?}");
        let gone: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN
                     ('leads_sort_name', 'leads_created', 'status_changes_to',
                      'leads_status_score')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(gone, 0);
        let kept: (String, String, String, String, String) = conn
            .query_row(
                "SELECT l.first_name || ' ' || l.last_name, l.email, l.tags, l.updated_at,
                     s.to_status FROM leads l JOIN status_changes s ON s.lead_id = l.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        let text = |t: &str| t.to_string();
        assert_eq!(
            kept,
            (
                text("Ada Lovelace"),
                text("ada@example.com"),
                text("[\"vip\"]"),
                text("2026-01-02T00:00:00Z"),
                text("won")
            )
        );
        // The defaults that cost bytes are NULL now; what was said is kept.
        type Narrow = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let narrow = |id: i64| -> Narrow {
            conn.query_row(
                "SELECT budget, authority, tags, attributes FROM leads WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
        };
        assert_eq!(narrow(1), (None, None, Some(text("[\"vip\"]")), None));
        assert_eq!(
            narrow(3),
            (
                Some(text("yes")),
                None,
                None,
                Some(text("{\"Seats\":\"3\"}"))
            )
        );
        // The triggers on leads survived the rewrite of the table.
        conn.execute_batch(
            "INSERT INTO cadences (name, created_at) VALUES ('e-book', '2026-01-01T00:00:00Z');
             INSERT INTO leads (id, first_name, created_at, updated_at)
             VALUES (2, 'Grace', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO enrollments (lead_id, cadence_id, started_at)
             VALUES (2, 1, '2026-01-01T00:00:00Z');
             UPDATE leads SET status = 'qualified', updated_at = '2026-01-03T00:00:00Z'
             WHERE id = 2;",
        )
        .unwrap();
        let reason: String = conn
            .query_row("SELECT end_reason FROM enrollments", [], |r| r.get(0))
            .unwrap();
        assert_eq!(reason, "qualified");
    }

    #[test]
    fn a_version_13_database_indexes_its_forgotten_leads_and_keeps_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 13).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, status, created_at, updated_at)
             VALUES ('Ada', 'won', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO leads (status, created_at, updated_at, forgotten_at)
             VALUES ('lost', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z',
                     '2026-01-02T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, CURRENT_VERSION);
        let forgotten: Vec<i64> = {
            let mut statement = conn
                .prepare(
                    "SELECT id FROM leads INDEXED BY leads_forgotten
                     WHERE forgotten_at IS NOT NULL",
                )
                .unwrap();
            let rows = statement.query_map([], |r| r.get(0)).unwrap();
            rows.map(Result::unwrap).collect()
        };
        assert_eq!(forgotten, [2]);
        let kept: (String, String) = conn
            .query_row(
                "SELECT first_name, status FROM leads WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("Ada".to_string(), "won".to_string()));
    }

    #[test]
    fn a_version_14_database_gains_the_email_keys_leads_folds_in_its_leads_and_before_images() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 14).unwrap();
        conn.execute_batch(
            "INSERT INTO import_batches (id, started_at, source_name)
             VALUES (1, '2026-01-01T00:00:00Z', 'a.csv');
             INSERT INTO leads (email, status, created_at, updated_at) VALUES
                 ('ada@example.com', 'new', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                 (' STRAßE@x.de', 'new', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                 (NULL, 'new', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO import_updates (batch_id, lead_id, before, updated_at) VALUES
                 (1, 2, '{\"email\":\"Old@X.de\",\"owner\":null}', '2026-01-02T00:00:00Z'),
                 (1, 1, '{\"email\":\"ada@example.com\"}', '2026-01-02T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let keys: Vec<Option<String>> = {
            let mut statement = conn
                .prepare("SELECT email_key FROM leads ORDER BY id")
                .unwrap();
            let rows = statement.query_map([], |r| r.get(0)).unwrap();
            rows.map(Result::unwrap).collect()
        };
        assert_eq!(keys, [None, Some("straße@x.de".to_string()), None]);
        let found: i64 = conn
            .query_row(
                "SELECT id FROM leads INDEXED BY leads_email_key
                 WHERE coalesce(email_key, email) = 'straße@x.de'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 2);
        let befores: Vec<String> = {
            let mut statement = conn
                .prepare("SELECT before FROM import_updates ORDER BY lead_id")
                .unwrap();
            let rows = statement.query_map([], |r| r.get(0)).unwrap();
            rows.map(Result::unwrap).collect()
        };
        assert_eq!(
            befores,
            [
                r#"{"email":"ada@example.com","email_key":null}"#,
                r#"{"email":"Old@X.de","owner":null,"email_key":"old@x.de"}"#
            ]
        );
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        // A database of an older release, with data the migrations rewrite (a call logged
        // before outcomes, a lead without its last touch), brought up to date once...
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, email, created_at, updated_at)
             VALUES ('Ada', 'ada@example.com', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO activities (lead_id, kind, at) VALUES (1, 'call', '2026-02-01T00:00:00Z');
             INSERT INTO follow_ups (lead_id, due_at, note, every, created_at)
             VALUES (1, '2026-03-07T07:30:00Z', 'call back', '1d', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let before = dump(&conn);
        assert!(
            before.iter().any(|line| line.contains("\"connected\"")),
            "the first migration gave the call its outcome: {before:#?}"
        );
        // ...and again: not one row written, the schema and every row as they were.
        let changes = conn.total_changes();
        migrate(&mut conn).unwrap();
        assert_eq!(conn.total_changes(), changes);
        assert_eq!(dump(&conn), before);
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, CURRENT_VERSION);
    }

    /// The daily loop's migration: a call logged before outcomes is connected (an answer),
    /// and every lead's last touch and last answer are found from what it already has.
    #[test]
    fn a_version_6_database_gains_outcomes_and_last_touches() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO leads (first_name, created_at, updated_at)
             VALUES ('Ada', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                    ('Grace', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                    ('Linus', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO activities (lead_id, kind, at) VALUES
                 (1, 'call', '2026-02-01T00:00:00Z'),
                 (1, 'email_sent', '2026-02-03T00:00:00Z'),
                 (1, 'visit', '2026-02-05T00:00:00Z'),
                 (2, 'email_opened', '2026-02-01T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let outcome: Option<String> = conn
            .query_row(
                "SELECT outcome FROM activities WHERE kind = 'call'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(outcome.as_deref(), Some("connected"));
        let touches: Vec<(Option<String>, Option<String>)> = {
            let mut statement = conn
                .prepare("SELECT last_touch_at, last_answer_at FROM leads ORDER BY id")
                .unwrap();
            let rows = statement
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap();
            rows.map(Result::unwrap).collect()
        };
        let some = |t: &str| Some(t.to_string());
        assert_eq!(
            touches,
            [
                (some("2026-02-03T00:00:00Z"), some("2026-02-01T00:00:00Z")),
                (None, None),
                (None, None),
            ]
        );
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer than this leads"), "{err}");
    }
}

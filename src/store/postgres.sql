-- The leads schema on PostgreSQL as it was first made: SQLite's of version 14
-- (`SCHEMA_VERSION`; `Postgres::migrate` brings it to the current one), in PostgreSQL's
-- types. Integers are BIGINT (SQLite's are 64-bit), reals DOUBLE PRECISION, times RFC
-- 3339 text as on SQLite (they sort as text on both). Ids are given as SQLite gives a
-- row its id (see the end): the highest + 1, in the transaction, so a rolled-back insert
-- (a dry run) gives nothing away, and `ids` keeps the highest given when rows are
-- deleted, on both engines alike.

-- SQLite's NOCASE: equal whatever the case (ICU, so beyond ASCII too; what must agree
-- on both engines compares the key leads folds itself).
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- The version of the schema, and a count of write transactions (`Store::data_version`).
CREATE TABLE leads_schema (version BIGINT NOT NULL, writes BIGINT NOT NULL DEFAULT 0);

CREATE TABLE import_batches (
    id          BIGINT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    source_name TEXT NOT NULL,
    imported    BIGINT NOT NULL DEFAULT 0,
    updated     BIGINT NOT NULL DEFAULT 0,
    undone_at   TEXT,
    imported_by TEXT
);

CREATE TABLE leads (
    id             BIGINT PRIMARY KEY,
    first_name     TEXT,
    last_name      TEXT,
    email          TEXT,
    phone          TEXT,
    company        TEXT,
    title          TEXT,
    industry       TEXT,
    company_size   BIGINT,
    country        TEXT,
    website        TEXT,
    source         TEXT,
    source_detail  TEXT,
    status         TEXT NOT NULL DEFAULT 'new',
    notes          TEXT,
    external_id    TEXT,
    incentivized   BIGINT NOT NULL DEFAULT 0,
    aware          BIGINT NOT NULL DEFAULT 0,
    do_not_contact BIGINT NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    need           TEXT,
    timeline       TEXT,
    fit            BIGINT NOT NULL DEFAULT 0,
    engagement     BIGINT NOT NULL DEFAULT 0,
    readiness      BIGINT NOT NULL DEFAULT 0,
    score          BIGINT NOT NULL DEFAULT 0,
    grade          TEXT NOT NULL DEFAULT 'D',
    next_follow_up TEXT,
    batch_id       BIGINT REFERENCES import_batches (id),
    forgotten_at   TEXT,
    win_probability DOUBLE PRECISION,
    deal_value     DOUBLE PRECISION,
    last_touch_at  TEXT,
    last_answer_at TEXT,
    owner          TEXT,
    budget         TEXT,
    authority      TEXT,
    tags           TEXT,
    attributes     TEXT
);

CREATE TABLE activities (
    id           BIGINT PRIMARY KEY,
    lead_id      BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    at           TEXT NOT NULL,
    note         TEXT,
    follow_up_id BIGINT,
    outcome      TEXT,
    logged_by    TEXT
);

CREATE TABLE status_changes (
    id          BIGINT PRIMARY KEY,
    lead_id     BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          TEXT NOT NULL,
    reason      TEXT,
    changed_by  TEXT
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cadences (
    id         BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE cadence_steps (
    cadence_id BIGINT NOT NULL REFERENCES cadences (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    delay      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    note       TEXT,
    PRIMARY KEY (cadence_id, position)
);

CREATE TABLE enrollments (
    id         BIGINT PRIMARY KEY,
    lead_id    BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    cadence_id BIGINT NOT NULL REFERENCES cadences (id),
    step       BIGINT NOT NULL DEFAULT 1,
    started_at TEXT NOT NULL,
    ended_at   TEXT,
    end_reason TEXT,
    end_note   TEXT
);

CREATE TABLE follow_ups (
    id            BIGINT PRIMARY KEY,
    lead_id       BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    due_at        TEXT NOT NULL,
    note          TEXT,
    every         TEXT,
    done_at       TEXT,
    created_at    TEXT NOT NULL,
    enrollment_id BIGINT REFERENCES enrollments (id) ON DELETE CASCADE,
    step          BIGINT,
    kind          TEXT,
    local_time    TEXT
);

CREATE TABLE forgotten (
    email_hash   TEXT PRIMARY KEY,
    forgotten_at TEXT NOT NULL
);

CREATE TABLE win_model (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    learned_at TEXT NOT NULL,
    closed     BIGINT NOT NULL,
    auc        DOUBLE PRECISION,
    model      TEXT NOT NULL
);

CREATE TABLE qualifications (
    id        BIGINT PRIMARY KEY,
    lead_id   BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    budget    TEXT NOT NULL,
    authority TEXT NOT NULL,
    need      TEXT,
    timeline  TEXT
);

CREATE TABLE spend (
    id         BIGINT PRIMARY KEY,
    source     TEXT NOT NULL,
    detail     TEXT,
    amount     DOUBLE PRECISION NOT NULL CHECK (amount >= 0),
    spent_on   TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE import_updates (
    batch_id   BIGINT NOT NULL REFERENCES import_batches (id),
    lead_id    BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    before     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (batch_id, lead_id)
);

CREATE TABLE mail_messages (
    digest    TEXT PRIMARY KEY,
    logged_at TEXT NOT NULL
);

CREATE INDEX leads_email ON leads (email COLLATE nocase);
CREATE INDEX leads_external_id ON leads (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX leads_source ON leads (source, status, score, created_at);
CREATE INDEX leads_timeline ON leads (timeline) WHERE timeline IS NOT NULL;
CREATE INDEX leads_next_follow_up ON leads (next_follow_up) WHERE next_follow_up IS NOT NULL;
CREATE INDEX leads_batch ON leads (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX leads_win ON leads (win_probability DESC) WHERE win_probability IS NOT NULL;
CREATE INDEX leads_deal_value ON leads (status, created_at, source, source_detail, deal_value)
    WHERE deal_value IS NOT NULL;
CREATE INDEX leads_open_score ON leads (score DESC, id)
    WHERE status NOT IN ('won', 'lost', 'disqualified');
CREATE INDEX leads_score ON leads (score DESC, id, status);
CREATE INDEX leads_forgotten ON leads (forgotten_at) WHERE forgotten_at IS NOT NULL;
CREATE INDEX activities_lead ON activities (lead_id, at);
CREATE INDEX status_changes_lead ON status_changes (lead_id, at);
CREATE INDEX status_changes_moves ON status_changes (lead_id, at, from_status, to_status)
    WHERE from_status IS NOT NULL;
CREATE INDEX follow_ups_lead ON follow_ups (lead_id);
CREATE INDEX follow_ups_open ON follow_ups (due_at, lead_id, done_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_enrollment ON follow_ups (enrollment_id) WHERE enrollment_id IS NOT NULL;
CREATE INDEX qualifications_lead ON qualifications (lead_id, at);
CREATE INDEX spend_spent_on ON spend (spent_on);
CREATE UNIQUE INDEX cadences_name ON cadences (name COLLATE nocase) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX enrollments_active ON enrollments (lead_id) WHERE ended_at IS NULL;
CREATE INDEX enrollments_lead ON enrollments (lead_id, started_at);
CREATE INDEX enrollments_cadence ON enrollments (cadence_id, started_at);
CREATE INDEX import_updates_lead ON import_updates (lead_id);

-- The rules SQLite keeps with triggers, word for word.
CREATE FUNCTION leads_enrollment_ends_on_a_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('qualified', 'won', 'lost', 'disqualified')
       AND NEW.status IS DISTINCT FROM OLD.status THEN
        UPDATE enrollments SET ended_at = NEW.updated_at, end_reason = NEW.status
        WHERE lead_id = NEW.id AND ended_at IS NULL;
    END IF;
    IF NEW.do_not_contact <> 0 AND OLD.do_not_contact = 0 AND NEW.forgotten_at IS NULL THEN
        UPDATE enrollments SET ended_at = NEW.updated_at, end_reason = 'do_not_contact'
        WHERE lead_id = NEW.id AND ended_at IS NULL;
    END IF;
    IF NEW.forgotten_at IS NOT NULL AND OLD.forgotten_at IS NULL THEN
        UPDATE enrollments SET ended_at = NEW.forgotten_at, end_reason = 'forgotten'
        WHERE lead_id = NEW.id AND ended_at IS NULL;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER enrollment_ends_on_a_change AFTER UPDATE OF status, do_not_contact, forgotten_at
    ON leads FOR EACH ROW EXECUTE FUNCTION leads_enrollment_ends_on_a_status();

CREATE FUNCTION leads_enrollment_end_closes_its_open_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.ended_at IS NOT NULL AND OLD.ended_at IS NULL THEN
        UPDATE follow_ups SET done_at = NEW.ended_at
        WHERE enrollment_id = NEW.id AND done_at IS NULL;
        UPDATE leads SET next_follow_up =
            (SELECT MIN(due_at) FROM follow_ups WHERE lead_id = NEW.lead_id AND done_at IS NULL)
        WHERE id = NEW.lead_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER enrollment_end_closes_its_open_step AFTER UPDATE OF ended_at ON enrollments
    FOR EACH ROW EXECUTE FUNCTION leads_enrollment_end_closes_its_open_step();

CREATE FUNCTION leads_enrollment_ends_on_an_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.kind IN ('email_replied', 'meeting', 'demo')
        OR (NEW.kind = 'call' AND COALESCE(NEW.outcome, 'connected') = 'connected'))
       AND NEW.follow_up_id IS NULL THEN
        UPDATE enrollments
        SET ended_at = NEW.at,
            end_reason = CASE NEW.kind WHEN 'email_replied' THEN 'replied' ELSE NEW.kind END
        WHERE lead_id = NEW.lead_id AND ended_at IS NULL AND started_at <= NEW.at;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER enrollment_ends_on_an_answer AFTER INSERT ON activities
    FOR EACH ROW EXECUTE FUNCTION leads_enrollment_ends_on_an_answer();

-- SQLite's functions of the store, as SQL: folding (lower case; leads compares the
-- folded key it computes where it matters) and the owner kept among the attributes.
CREATE FUNCTION leads_fold(text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT lower($1 COLLATE "und-x-icu") $$;

-- SQLite's json_each over a JSON text: an object's keys and values, an array's
-- positions and items, each value as text.
CREATE FUNCTION json_each(doc text) RETURNS TABLE (key text, value text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT e.key, e.value
    FROM jsonb_each_text(CASE WHEN jsonb_typeof(doc::jsonb) = 'object' THEN doc::jsonb END) e
    UNION ALL
    SELECT (a.n - 1)::text, a.value
    FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(doc::jsonb) = 'array' THEN doc::jsonb END)
        WITH ORDINALITY a (value, n)
$$;

-- SQLite's instr: where a text starts in another (1-based), 0 when it is not there.
CREATE FUNCTION instr(text, text) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT strpos($1, $2) $$;

-- Ids as SQLite gives a row without one: the table's highest + 1, inside the transaction
-- (a sequence would be consumed by a rolled-back insert: a dry run's batch would move
-- the next batch's number). Writers take the write lock first (`Postgres::begin`), so two
-- never compute the same. The id given is kept for `Store`'s last_insert_rowid.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['import_batches', 'leads', 'activities', 'status_changes',
                             'cadences', 'enrollments', 'follow_ups', 'qualifications',
                             'spend'] LOOP
        EXECUTE format($f$
            CREATE FUNCTION %1$s_next_id() RETURNS trigger LANGUAGE plpgsql AS $b$
            BEGIN
                NEW.id := coalesce((SELECT max(id) FROM %1$I), 0) + 1;
                PERFORM set_config('leads.last_id', NEW.id::text, false);
                RETURN NEW;
            END $b$;
            -- Only for a row without an id: an import's COPY gives them (no call a row).
            CREATE TRIGGER %1$s_next_id BEFORE INSERT ON %1$I
                FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION %1$s_next_id();
        $f$, t);
    END LOOP;
END $$;

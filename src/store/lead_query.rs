//! Which leads to list: `LeadQuery`, its filters as people give them, and the one SQL
//! statement it becomes (conditions, search, order).
use chrono::{DateTime, Utc};
use rusqlite::types::Value as SqlValue;

use super::leads::LEAD_COLUMNS;
use super::to_text;
use crate::model::{normalize_source, normalize_tag, Grade, Status};

/// How to order a list of leads (in `model`: the command line names them too).
pub use crate::model::LeadOrder;

/// Which leads to list, already parsed and checked.
#[derive(Debug, Clone, Default)]
pub struct LeadQuery {
    /// Only open leads (not won, lost or disqualified): `list`'s default.
    pub open_only: bool,
    pub statuses: Vec<Status>,
    pub sources: Vec<String>,
    pub tags: Vec<String>,
    pub grades: Vec<Grade>,
    pub min_score: Option<i64>,
    pub search: Option<String>,
    pub since: Option<DateTime<Utc>>,
    /// Only leads with a follow-up due at or before this time (never do-not-contact,
    /// closed or forgotten ones).
    pub overdue_at: Option<DateTime<Utc>>,
    /// Only leads whose last touch (or creation, never touched) is before this.
    pub untouched_since: Option<DateTime<Utc>>,
    /// Only leads with no open follow-up.
    pub no_next_step: bool,
    /// Only the leads of this owner (compared as emails are: folded case).
    pub owner: Option<String>,
    pub order: LeadOrder,
    pub limit: Option<u64>,
}

/// Filters as people give them, each read into the one form the database holds.
impl LeadQuery {
    /// Only leads from one of these sources, as typed ("Trade Show", "LinkedIn").
    pub fn with_sources(mut self, sources: &[String]) -> LeadQuery {
        self.sources = sources.iter().map(|s| normalize_source(s)).collect();
        self
    }

    /// Only leads with every one of these tags.
    pub fn with_tags(mut self, tags: &[String]) -> LeadQuery {
        self.tags = tags.iter().map(|t| normalize_tag(t)).collect();
        self
    }

    /// Only leads that contain this text; blank text filters nothing.
    pub fn with_search(mut self, text: Option<&str>) -> LeadQuery {
        self.search = text.filter(|s| !s.trim().is_empty()).map(str::to_string);
        self
    }
}

/// What `--search` looks in.
const SEARCHED_COLUMNS: [&str; 7] = [
    "first_name",
    "last_name",
    "COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')",
    "email",
    "company",
    "title",
    "notes",
];

impl LeadQuery {
    pub(super) fn to_sql(&self) -> (String, Vec<SqlValue>) {
        let conditions = self.conditions();
        let mut sql = format!("SELECT {LEAD_COLUMNS} FROM leads");
        if !conditions.clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.clauses.join(" AND "));
        }
        sql.push_str(self.order.order_by());
        if let Some(limit) = self.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        (sql, conditions.values)
    }

    /// Every filter as a condition, all of which a lead must meet.
    fn conditions(&self) -> Conditions {
        let mut conditions = Conditions::default();
        if self.open_only {
            // Word for word the condition of the partial index `leads_open_score`.
            conditions.add(concat!("status NOT IN ", closed!()), []);
        }
        conditions.any_of(
            "status",
            self.statuses.iter().map(|s| s.as_str().to_string()),
        );
        conditions.any_of("source", self.sources.iter().cloned());
        conditions.any_of("grade", self.grades.iter().map(|g| g.to_string()));
        for tag in &self.tags {
            conditions.add(
                "EXISTS (SELECT 1 FROM json_each(leads.tags) WHERE json_each.value = ? COLLATE NOCASE)",
                [SqlValue::Text(tag.clone())],
            );
        }
        if let Some(min) = self.min_score {
            conditions.add("score >= ?", [SqlValue::Integer(min)]);
        }
        if let Some(text) = &self.search {
            let (clause, values) = search_condition(text);
            conditions.add(clause, values);
        }
        if let Some(since) = self.since {
            conditions.add("created_at >= ?", [SqlValue::Text(to_text(since))]);
        }
        if let Some(at) = self.overdue_at {
            // The same leads as `follow-up list --overdue`: not closed, not forgotten.
            conditions.add(
                concat!(
                    "next_follow_up <= ? AND do_not_contact = 0 AND forgotten_at IS NULL \
                     AND status NOT IN ",
                    closed!()
                ),
                [SqlValue::Text(to_text(at))],
            );
        }
        // The seller's work lists: nobody who may not be contacted is work.
        if let Some(at) = self.untouched_since {
            conditions.add(
                "COALESCE(last_touch_at, created_at) < ? AND do_not_contact = 0 \
                 AND forgotten_at IS NULL",
                [SqlValue::Text(to_text(at))],
            );
        }
        if self.no_next_step {
            conditions.add(
                "next_follow_up IS NULL AND do_not_contact = 0 AND forgotten_at IS NULL",
                [],
            );
        }
        if let Some(owner) = &self.owner {
            conditions.add(
                format!("{}(owner) = ?", super::fold::FOLD),
                [SqlValue::Text(super::fold::fold(owner))],
            );
        }
        conditions
    }
}

/// A WHERE clause being built: conditions joined by AND, their values in order.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    values: Vec<SqlValue>,
}

impl Conditions {
    fn add(&mut self, clause: impl Into<String>, values: impl IntoIterator<Item = SqlValue>) {
        self.clauses.push(clause.into());
        self.values.extend(values);
    }

    /// `column IN (?, ...)`: the column is one of `items`; no condition when there are none.
    fn any_of(&mut self, column: &str, items: impl Iterator<Item = String>) {
        let items: Vec<SqlValue> = items.map(SqlValue::Text).collect();
        if !items.is_empty() {
            let marks = vec!["?"; items.len()].join(", ");
            self.add(format!("{column} IN ({marks})"), items);
        }
    }
}

/// `--search`: any searched column contains the text, in any case. SQLite's LIKE folds
/// only ASCII case, so text beyond ASCII compares folded texts instead.
fn search_condition(text: &str) -> (String, Vec<SqlValue>) {
    let (test, value): (fn(&str) -> String, String) = if text.is_ascii() {
        let pattern = format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        (|column| format!("{column} LIKE ? ESCAPE '\\'"), pattern)
    } else {
        let test = |column: &str| format!("instr({}({column}), ?) > 0", super::fold::FOLD);
        (test, super::fold::fold(text))
    };
    let any = SEARCHED_COLUMNS
        .iter()
        .map(|column| test(column))
        .collect::<Vec<_>>()
        .join(" OR ");
    let values = vec![SqlValue::Text(value); SEARCHED_COLUMNS.len()];
    (format!("({any})"), values)
}

/// `Lead::name()` lower-cased, computed in SQL from the lead's columns: the order of
/// `--sort name`. Kept off the rows (it was the `sort_name` column, and its index): every
/// import paid for a copy of each name that only this rare sort read, which sorts the
/// leads it lists instead. A test holds it to `Lead::name()`.
macro_rules! sort_name {
    () => {
        "leads_fold(CASE
            WHEN COALESCE(first_name, '') <> '' AND COALESCE(last_name, '') <> ''
                THEN first_name || ' ' || last_name
            WHEN COALESCE(first_name, '') <> '' THEN first_name
            WHEN COALESCE(last_name, '') <> '' THEN last_name
            ELSE COALESCE(company, email, CASE WHEN forgotten_at IS NOT NULL
                THEN '(forgotten)' END, phone, website, external_id, '')
        END)"
    };
}

impl LeadOrder {
    fn order_by(self) -> &'static str {
        match self {
            LeadOrder::Score => " ORDER BY score DESC, id",
            LeadOrder::Created => " ORDER BY created_at DESC, id DESC",
            LeadOrder::Name => concat!(" ORDER BY ", sort_name!(), ", id"),
            LeadOrder::FollowUp => " ORDER BY next_follow_up IS NULL, next_follow_up, id",
            // A closed lead's probability is stale until the next `learn` clears it: last.
            // Without a probability (no model yet), the score decides.
            LeadOrder::Win => concat!(
                " ORDER BY win_probability IS NULL OR status IN ",
                closed!(),
                ", win_probability DESC NULLS LAST, score DESC, id"
            ),
            LeadOrder::Touch => " ORDER BY COALESCE(last_touch_at, created_at), id",
            LeadOrder::Id => " ORDER BY id",
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::sql::params_from_iter;

    use super::*;
    use crate::store::Store;

    /// The plan SQLite picks for a query, one line per step.
    fn plan(store: &Store, query: &LeadQuery) -> String {
        let (sql, values) = query.to_sql();
        let mut statement = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = statement
            .query_map(params_from_iter(values), |row| row.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn the_default_list_reads_the_open_leads_index_in_order() {
        let store = Store::open_in_memory().unwrap();
        let query = LeadQuery {
            open_only: true,
            limit: Some(50),
            ..LeadQuery::default()
        };
        assert_eq!(
            plan(&store, &query),
            "SCAN leads USING INDEX leads_open_score"
        );
        let all = LeadQuery {
            limit: Some(50),
            ..LeadQuery::default()
        };
        assert_eq!(plan(&store, &all), "SCAN leads USING INDEX leads_score");
    }

    #[test]
    fn a_list_by_status_walks_the_score_index_and_filters_on_it() {
        let store = Store::open_in_memory().unwrap();
        let query = LeadQuery {
            statuses: vec![Status::Won, Status::Lost],
            limit: Some(50),
            ..LeadQuery::default()
        };
        assert_eq!(plan(&store, &query), "SCAN leads USING INDEX leads_score");
        let index: String = store
            .conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'leads_score'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert!(index.ends_with("(score DESC, id, status)"), "{index}");
    }

    #[test]
    fn the_name_sorted_on_is_the_display_name_lower_cased() {
        let store = Store::open_in_memory().unwrap();
        // (first, last, company, email, phone, website, external id, forgotten)
        type Case = (
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            bool,
        );
        let cases: [Case; 12] = [
            (
                Some("Ada"),
                Some("Lovelace"),
                Some("Acme"),
                None,
                None,
                None,
                None,
                false,
            ),
            (Some("ÉLODIE"), None, None, None, None, None, None, false),
            (None, Some("Müller"), None, None, None, None, None, false),
            (Some(""), Some("Ünal"), None, None, None, None, None, false),
            (
                Some(""),
                Some(""),
                Some("Initech"),
                None,
                None,
                None,
                None,
                false,
            ),
            (
                None,
                None,
                Some(""),
                Some("a@x.example"),
                None,
                None,
                None,
                false,
            ),
            (
                None,
                None,
                None,
                Some("BOB@X.EXAMPLE"),
                Some("555"),
                None,
                None,
                false,
            ),
            (
                None,
                None,
                None,
                None,
                Some("+1 555"),
                Some("x.example"),
                None,
                true,
            ),
            (None, None, Some("Shared Co"), None, None, None, None, true),
            (
                None,
                None,
                None,
                None,
                Some("+1 555"),
                Some("x.example"),
                None,
                false,
            ),
            (
                None,
                None,
                None,
                None,
                None,
                Some("X.Example"),
                Some("7"),
                false,
            ),
            (None, None, None, None, None, None, Some("ID-7"), false),
        ];
        for (first, last, company, email, phone, website, external_id, forgotten) in cases {
            store
                .conn
                .execute(
                    "INSERT INTO leads (first_name, last_name, company, email, phone, website,
                         external_id, forgotten_at, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '2026-01-01T00:00:00Z',
                         '2026-01-01T00:00:00Z')",
                    rusqlite::params![
                        first,
                        last,
                        company,
                        email,
                        phone,
                        website,
                        external_id,
                        forgotten.then_some("2026-01-02T00:00:00Z")
                    ],
                )
                .unwrap();
            let id = store.conn.last_insert_rowid().unwrap();
            let sorted_on: String = store
                .conn
                .query_row(
                    concat!("SELECT ", sort_name!(), " FROM leads WHERE id = ?1"),
                    [id],
                    |row| row.get(0),
                )
                .unwrap();
            let lead = store.lead(id).unwrap();
            assert_eq!(sorted_on, lead.name().to_lowercase(), "{lead:?}");
        }
    }
}

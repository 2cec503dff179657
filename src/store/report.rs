//! Report aggregates: per source, source detail or creation month, with the days each
//! lead took to reach `qualified` and `won`, the money (spend, deal values won and still
//! open) of each group, and the funnel of the stages leads reached.
//!
//! Speed matters here (a million leads in well under half a second), so the work is a
//! few index-only scans joined in memory, not one SQL join: `leads_source` holds source,
//! status, score and created_at; `status_changes_moves` holds the moves made in the
//! pipeline (not how leads arrived), each lead's in order; `leads_deal_value` holds the
//! deal values (few leads have one: the open ones among them are read from the table for
//! their score and win probability). Grouping by source detail has no index and reads the table.
use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::OpenFlags;

use super::sql::{params_from_iter, Connection, OptionalExtension};
use super::{from_text, to_text, Store};
use crate::model::Status;

/// What the report groups leads by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportGroup {
    Source,
    SourceDetail,
    /// The month of creation (of spend: its date), by the calendar given.
    Month(Months),
}

/// Months of a calendar as moments: the start of each (seconds since 1970, ascending)
/// and its label ("2026-03"). Built by the caller in the seller's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Months {
    starts: Vec<i64>,
    labels: Vec<String>,
}

impl Months {
    /// From (start, label) pairs in ascending order of start.
    pub fn new(months: Vec<(DateTime<Utc>, String)>) -> Months {
        let (starts, labels) = months
            .into_iter()
            .map(|(start, label)| (start.timestamp(), label))
            .unzip();
        Months { starts, labels }
    }

    /// The label of the month holding this moment (the first month's for earlier ones).
    fn label(&self, seconds: i64) -> Option<&str> {
        let after = self.starts.partition_point(|start| *start <= seconds);
        self.labels.get(after.saturating_sub(1)).map(String::as_str)
    }
}

/// Which leads and spend count: leads created, spend dated, in [since, until).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// The counts of one group of leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupTally {
    /// The source, source detail or month; None for leads without one.
    pub group: Option<String>,
    pub leads: u64,
    /// Leads by current status, in `Status::ALL` (pipeline) order.
    pub by_status: [u64; Status::ALL.len()],
    /// Leads that reached `qualified` (are or were qualified, or went further).
    pub reached_qualified: u64,
    pub score_total: i64,
    /// Days from creation to the first move to `qualified`, one per lead that made it.
    pub days_to_qualify: Vec<f64>,
    /// Days from creation to the first move to `won`, one per lead that made it.
    pub days_to_win: Vec<f64>,
    /// The spend of the group dated in the period, and how many records it sums (a
    /// campaign that cost nothing still shows).
    pub spend: f64,
    pub spends: u64,
    /// The deal values of the group's won leads.
    pub revenue: f64,
    /// The open leads (not won, lost or disqualified) that have a deal value, the sum of
    /// their values (the pipeline), and what they are expected to bring (the forecast:
    /// each value times the lead's win probability, or its score / 100 without one).
    pub open_deals: u64,
    pub pipeline: f64,
    pub forecast: f64,
}

/// The funnel: the leads that reached each stage, in `Status::ALL` order. Reaching a
/// stage of the pipeline (new, contacted, nurturing, qualified, won) means reaching every
/// earlier one; lost and disqualified are reached only by going there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Funnel {
    pub reached: [u64; Status::ALL.len()],
    /// Per stage, the days each lead took to move into it (its first move there) from its
    /// previous stage (its move before, or its creation).
    pub days: [Vec<f64>; Status::ALL.len()],
}

impl Funnel {
    /// Add the leads of another part of the same report.
    fn merge(&mut self, other: Funnel) {
        for (count, more) in self.reached.iter_mut().zip(other.reached) {
            *count += more;
        }
        for (days, more) in self.days.iter_mut().zip(other.days) {
            days.extend(more);
        }
    }
}

/// What `report` shows: the groups (in no particular order) and the funnel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub groups: Vec<GroupTally>,
    pub funnel: Funnel,
}

/// From how many leads (the span of their ids) the report's walk is split in two
/// threads: a second connection and thread cost about a millisecond, a walk of 50,000
/// leads about ten.
const SPLIT_FROM_LEADS: i64 = 50_000;

/// The stages of the pipeline in order: reaching one means reaching those before.
const PIPELINE: [Status; 5] = [
    Status::New,
    Status::Contacted,
    Status::Nurturing,
    Status::Qualified,
    Status::Won,
];

/// One lead's moves in the pipeline (not its arrival), in order.
#[derive(Debug, Clone, Default)]
struct History {
    /// Bits (by `Status::ALL` position) of every status the moves came from or went to.
    held: u8,
    /// Where its moves are in `Histories::moves`.
    moves: std::ops::Range<usize>,
}

/// Histories by lead id, with a bitmap of the ids that have one: most leads never moved
/// (an import), and the bitmap, small enough for the processor's cache, answers for them
/// without a search. The moves are read in the order of lead ids, so the histories are
/// kept in that order (found by a binary search) and every lead's moves in one vector:
/// no hashing and no allocation per lead (a hash map of a vector each was a fifth of
/// `report` on a million leads).
#[derive(Default)]
struct Histories {
    any: Vec<u64>,
    ids: Vec<i64>,
    histories: Vec<History>,
    /// (when, position of the status moved to), each lead's oldest first.
    moves: Vec<(i64, u8)>,
}

impl Histories {
    fn get(&self, id: i64) -> Option<&History> {
        let index = usize::try_from(id).ok()?;
        let word = self.any.get(index / 64)?;
        if word & (1 << (index % 64)) == 0 {
            return None;
        }
        let found = self.ids.binary_search(&id).ok()?;
        self.histories.get(found)
    }

    /// Add a move of lead `id`, whose moves come after every other lead's read so far
    /// (or right after its own).
    fn add(&mut self, id: i64, held: u8, at: i64, to: u8) {
        if self.ids.last() != Some(&id) {
            if let Ok(index) = usize::try_from(id) {
                if self.any.len() <= index / 64 {
                    self.any.resize(index / 64 + 1, 0);
                }
                self.any[index / 64] |= 1 << (index % 64);
            }
            self.ids.push(id);
            let start = self.moves.len();
            self.histories.push(History {
                held: 0,
                moves: start..start,
            });
        }
        self.moves.push((at, to));
        if let Some(history) = self.histories.last_mut() {
            history.held |= held;
            history.moves.end = self.moves.len();
        }
    }

    fn moves_of(&self, history: &History) -> &[(i64, u8)] {
        &self.moves[history.moves.clone()]
    }
}

/// The groups of a report, found by key: index 0 is the leads with no group.
struct Groups {
    tallies: Vec<GroupTally>,
    positions: HashMap<Vec<u8>, usize>,
}

impl Groups {
    fn new() -> Groups {
        Groups {
            tallies: vec![GroupTally::default()],
            positions: HashMap::new(),
        }
    }

    /// The position of the group named `key` (None: no group), created when new.
    fn slot(&mut self, key: Option<&[u8]>) -> usize {
        let Some(name) = key else {
            return 0;
        };
        if let Some(position) = self.positions.get(name) {
            return *position;
        }
        self.tallies.push(GroupTally {
            group: Some(String::from_utf8_lossy(name).into_owned()),
            ..GroupTally::default()
        });
        self.positions.insert(name.to_vec(), self.tallies.len() - 1);
        self.tallies.len() - 1
    }

    /// Add the leads counted in another part of the same report (before any money).
    fn merge(&mut self, other: Groups) {
        for tally in other.tallies {
            let slot = self.slot(tally.group.as_deref().map(str::as_bytes));
            let into = &mut self.tallies[slot];
            into.leads += tally.leads;
            for (count, more) in into.by_status.iter_mut().zip(tally.by_status) {
                *count += more;
            }
            into.reached_qualified += tally.reached_qualified;
            into.score_total += tally.score_total;
            into.days_to_qualify.extend(tally.days_to_qualify);
            into.days_to_win.extend(tally.days_to_win);
        }
    }
}

/// The position of a status in the pipeline, from its stored text.
fn status_position(text: &[u8]) -> Option<usize> {
    Status::ALL
        .iter()
        .position(|status| status.as_str().as_bytes() == text)
}

/// Seconds since 1970 of a stored date: the shape leads writes read by hand
/// (`dates::stored_seconds`: a million of them must take milliseconds), any other RFC 3339
/// text through chrono.
fn epoch_seconds(text: &[u8]) -> rusqlite::Result<i64> {
    if let Some(seconds) = crate::dates::stored_seconds(text) {
        return Ok(seconds);
    }
    let text = std::str::from_utf8(text).map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(err))
    })?;
    Ok(from_text(text)?.timestamp())
}

fn days_between(from: i64, to: i64) -> f64 {
    // A move dated before the lead's creation (history imported from another tool) is day 0.
    ((to - from) as f64 / 86_400.0).max(0.0)
}

fn text_of<'a>(value: ValueRef<'a>) -> Option<&'a [u8]> {
    match value {
        ValueRef::Text(text) if !text.is_empty() => Some(text),
        _ => None,
    }
}

/// The key of a group in a row: the text of `column`, or the month of `created`.
fn group_key<'a>(by: &'a ReportGroup, column: ValueRef<'a>, created: i64) -> Option<&'a [u8]> {
    match by {
        ReportGroup::Month(months) => months.label(created).map(str::as_bytes),
        _ => text_of(column),
    }
}

/// The SQL condition of a period on `column` ("" when the period is open at both
/// ends) and its parameters, numbered from ?1.
fn period_filter(period: Period, column: &str) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    if let Some(since) = period.since {
        params.push(to_text(since));
        clauses.push(format!("{column} >= ?{}", params.len()));
    }
    if let Some(until) = period.until {
        params.push(to_text(until));
        clauses.push(format!("{column} < ?{}", params.len()));
    }
    (clauses.join(" AND "), params)
}

/// The open statuses as an SQL condition, from the model: `status IN ('new', ...)`, which
/// the index of deal values (status first) seeks, where `NOT IN` would scan it.
fn open_sql() -> String {
    let open: Vec<String> = Status::ALL
        .iter()
        .filter(|status| !status.is_closed())
        .map(|status| format!("'{status}'"))
        .collect();
    format!("status IN ({})", open.join(", "))
}

/// The query of the deal values of the period's leads in `status` (an SQL condition):
/// the group column, created_at, deal_value, then `more` columns; and its parameters.
fn deal_values_sql(
    by: &ReportGroup,
    period: Period,
    more: &str,
    status: &str,
) -> (String, Vec<String>) {
    let column = match by {
        ReportGroup::SourceDetail => "source_detail",
        _ => "source",
    };
    let (condition, params) = period_filter(period, "created_at");
    let sql = format!(
        "SELECT {column}, created_at, deal_value{more} FROM leads INDEXED BY leads_deal_value
         WHERE deal_value IS NOT NULL AND {status}{}",
        joined("AND", &condition)
    );
    (sql, params)
}

/// " WHERE condition" (or " AND condition" after another), or "" for no condition.
fn joined(word: &str, condition: &str) -> String {
    if condition.is_empty() {
        String::new()
    } else {
        format!(" {word} {condition}")
    }
}

impl Store {
    /// The report of the leads created in the period, grouped: each group's figures
    /// (its spend and revenue too) and the funnel over all of them.
    pub fn report(&self, by: &ReportGroup, period: Period) -> Result<Report> {
        let histories = self.histories()?;
        let mut groups = Groups::new();
        let mut funnel = Funnel::default();
        self.tally_leads(by, period, &histories, &mut groups, &mut funnel)?;
        self.add_revenue(by, period, &mut groups)?;
        self.add_pipeline(by, period, &mut groups)?;
        for spend in self.spends_between(period.since, period.until)? {
            let key = match by {
                ReportGroup::Source => Some(spend.source.as_bytes()),
                ReportGroup::SourceDetail => spend.detail.as_deref().map(str::as_bytes),
                ReportGroup::Month(months) => months.label(spend.on.timestamp()).map(str::as_bytes),
            };
            let slot = groups.slot(key);
            groups.tallies[slot].spend += spend.amount;
            groups.tallies[slot].spends += 1;
        }
        let mut tallies = groups.tallies;
        tallies.retain(|tally| tally.leads > 0 || tally.spends > 0);
        Ok(Report {
            groups: tallies,
            funnel,
        })
    }

    /// Whether any open lead has a deal value: the report then shows the pipeline.
    pub fn has_open_deal_values(&self) -> Result<bool> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM leads INDEXED BY leads_deal_value
             WHERE deal_value IS NOT NULL AND {})",
            open_sql()
        );
        Ok(self.conn.query_row(&sql, [], |row| row.get(0))?)
    }

    /// The first and last creation of the leads in the period, and the first and last date
    /// of its spend: the months a report by month spans.
    pub fn report_span(&self, period: Period) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
        let mut span: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
        for (table, column) in [("leads", "created_at"), ("spend", "spent_on")] {
            let (condition, params) = period_filter(period, column);
            let filter = joined("WHERE", &condition);
            // min and max apart: each alone is one step down the index.
            let mut ends = Vec::new();
            for end in ["min", "max"] {
                let text: Option<String> = self.conn.query_row(
                    &format!("SELECT {end}({column}) FROM {table}{filter}"),
                    params_from_iter(&params),
                    |row| row.get(0),
                )?;
                ends.push(text.as_deref().map(from_text).transpose()?);
            }
            if let [Some(first), Some(last)] = ends[..] {
                span = Some(match span {
                    Some((a, b)) => (a.min(first), b.max(last)),
                    None => (first, last),
                });
            }
        }
        Ok(span)
    }

    /// Count each lead of the period in its group and in the funnel. On a large database
    /// the walk of `leads_source` is split at a source in two halves, the upper one read
    /// by a second connection on another thread: it is most of the report's time, and
    /// each row costs the same on either side (the halves are merged, so the figures are
    /// those of one walk).
    fn tally_leads(
        &self,
        by: &ReportGroup,
        period: Period,
        histories: &Histories,
        groups: &mut Groups,
        funnel: &mut Funnel,
    ) -> Result<()> {
        self.tally_leads_split_from(by, period, histories, groups, funnel, SPLIT_FROM_LEADS)
    }

    /// `tally_leads`, splitting the walk when the ids span `split_from` or more (tests
    /// split small databases).
    fn tally_leads_split_from(
        &self,
        by: &ReportGroup,
        period: Period,
        histories: &Histories,
        groups: &mut Groups,
        funnel: &mut Funnel,
        split_from: i64,
    ) -> Result<()> {
        let (condition, params) = period_filter(period, "created_at");
        // The covering index even with a period: a date range through leads_created would
        // fetch every table row it selects, far slower when it selects many.
        let (columns, source) = match by {
            ReportGroup::SourceDetail => (
                "source_detail, status, score, created_at, id FROM leads",
                None,
            ),
            _ => (
                "source, status, score, created_at, id FROM leads INDEXED BY leads_source",
                self.split_source(split_from)?,
            ),
        };
        let sql = |range: &str| {
            let conditions: Vec<&str> = [range, condition.as_str()]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect();
            let filter = if conditions.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", conditions.join(" AND "))
            };
            format!("SELECT {columns}{filter}")
        };
        let split = match source {
            Some(source) => self.second_reader()?.map(|reader| (source, reader)),
            None => None,
        };
        let Some((source, reader)) = split else {
            return tally_rows(&self.conn, &sql(""), &params, by, histories, groups, funnel);
        };
        // The split source is the last parameter of each half (after the period's).
        let at = format!("?{}", params.len() + 1);
        let mut with_split = params.clone();
        with_split.push(source);
        let upper = sql(&format!("source >= {at}"));
        // NULL sorts first: the lower half is two ranges of the index, read one after the other.
        let lower = [sql("source IS NULL"), sql(&format!("source < {at}"))];
        let upper_params = with_split.clone();
        std::thread::scope(|scope| {
            // The connection moves to the thread that reads with it.
            let other = scope.spawn(move || {
                let mut groups = Groups::new();
                let mut funnel = Funnel::default();
                tally_rows(
                    &reader,
                    &upper,
                    &upper_params,
                    by,
                    histories,
                    &mut groups,
                    &mut funnel,
                )
                .map(|()| (groups, funnel))
            });
            tally_rows(
                &self.conn, &lower[0], &params, by, histories, groups, funnel,
            )?;
            tally_rows(
                &self.conn,
                &lower[1],
                &with_split,
                by,
                histories,
                groups,
                funnel,
            )?;
            let (other_groups, other_funnel) = other
                .join()
                .map_err(|_| anyhow::anyhow!("the report's second reader stopped"))??;
            groups.merge(other_groups);
            funnel.merge(other_funnel);
            Ok(())
        })
    }

    /// Where to split the walk of `leads_source` in two halves of about as many leads: the
    /// middle of the sources of 15 leads taken at even steps of id (a few lookups), or
    /// None when the ids span less than `split_from` or no lead sampled has a source.
    fn split_source(&self, split_from: i64) -> Result<Option<String>> {
        let (first, last): (Option<i64>, Option<i64>) =
            self.conn
                .query_row("SELECT min(id), max(id) FROM leads", [], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(None);
        };
        if last.saturating_sub(first) < split_from {
            return Ok(None);
        }
        let mut statement = self
            .conn
            .prepare("SELECT source FROM leads WHERE id >= ?1 ORDER BY id LIMIT 1")?;
        let mut sources = Vec::new();
        for step in 1..16 {
            let id = first + (last - first) / 16 * step;
            let source: Option<Option<String>> =
                statement.query_row([id], |row| row.get(0)).optional()?;
            sources.extend(source.flatten());
        }
        sources.sort();
        Ok(sources.get(sources.len() / 2).cloned())
    }

    /// A second connection to the same database file, for reading on another thread;
    /// None for a database in memory or opened read-only (the walk is then not split).
    fn second_reader(&self) -> Result<Option<Connection>> {
        if self.read_only.is_some() {
            return Ok(None);
        }
        let Some(path) = self.conn.path().filter(|path| !path.is_empty()) else {
            return Ok(None);
        };
        let reader = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(self.busy_timeout)?;
        Ok(Some(Connection::Sqlite(reader)))
    }

    /// Add the deal values of the period's won leads to their groups.
    fn add_revenue(&self, by: &ReportGroup, period: Period, groups: &mut Groups) -> Result<()> {
        let (sql, params) = deal_values_sql(by, period, "", "status = 'won'");
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query(params_from_iter(&params))?;
        while let Some(row) = rows.next()? {
            let created = epoch_seconds(row.get_ref(1)?.as_bytes()?)?;
            let slot = groups.slot(group_key(by, row.get_ref(0)?, created));
            groups.tallies[slot].revenue += row.get::<_, f64>(2)?;
        }
        Ok(())
    }

    /// Add the deal values of the period's open leads to their groups' pipeline, and each
    /// value times the lead's chance of winning (its win probability when `learn` gave it
    /// one, else its score / 100) to their forecast. The index finds these leads; their
    /// score and probability are read from their rows, one lookup per lead with a value.
    fn add_pipeline(&self, by: &ReportGroup, period: Period, groups: &mut Groups) -> Result<()> {
        let (sql, params) = deal_values_sql(by, period, ", win_probability, score", &open_sql());
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query(params_from_iter(&params))?;
        while let Some(row) = rows.next()? {
            let created = epoch_seconds(row.get_ref(1)?.as_bytes()?)?;
            let slot = groups.slot(group_key(by, row.get_ref(0)?, created));
            let value: f64 = row.get(2)?;
            let chance = match (row.get::<_, Option<f64>>(3)?, row.get::<_, Option<i64>>(4)?) {
                (Some(probability), _) => probability,
                (None, Some(score)) => score as f64 / 100.0,
                (None, None) => 0.0,
            };
            let tally = &mut groups.tallies[slot];
            tally.open_deals += 1;
            tally.pipeline += value;
            tally.forecast += value * chance;
        }
        Ok(())
    }

    /// The moves each lead made in the pipeline, in order. A move from no status is how a
    /// lead arrived (an import of a lead already won, dated at its creation): it says where
    /// the lead stood, not how long it took, so it is left out (the current status, or the
    /// next move's `from`, still says the lead was there).
    fn histories(&self) -> Result<Histories> {
        let mut histories = Histories::default();
        let mut statement = self.conn.prepare(
            "SELECT lead_id, at, from_status, to_status FROM status_changes
             INDEXED BY status_changes_moves WHERE from_status IS NOT NULL
             ORDER BY lead_id, at, id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let at = epoch_seconds(row.get_ref(1)?.as_bytes()?)?;
            let from = text_of(row.get_ref(2)?).and_then(status_position);
            let Some(to) = text_of(row.get_ref(3)?).and_then(status_position) else {
                continue;
            };
            histories.add(id, (1 << to) | from.map_or(0, |p| 1 << p), at, to as u8);
        }
        Ok(histories)
    }
}

/// Count the leads of `sql` (group column, status, score, created_at, id) in their groups
/// and in the funnel.
fn tally_rows(
    conn: &Connection,
    sql: &str,
    params: &[String],
    by: &ReportGroup,
    histories: &Histories,
    groups: &mut Groups,
    funnel: &mut Funnel,
) -> Result<()> {
    let mut statement = conn.prepare(sql)?;
    let mut rows = statement.query(params_from_iter(params))?;
    // Rows come grouped by source (the index order), so the group is only looked up
    // when it changes; by month, every row is looked up (a binary search).
    let by_month = matches!(by, ReportGroup::Month(_));
    let mut current_key: Option<Vec<u8>> = None;
    let mut current = 0;
    let mut reached_sets = [0u64; 1 << Status::ALL.len()];
    while let Some(row) = rows.next()? {
        let created = epoch_seconds(row.get_ref(3)?.as_bytes()?)?;
        let key = group_key(by, row.get_ref(0)?, created);
        if by_month || key != current_key.as_deref() {
            current = groups.slot(key);
            if !by_month {
                current_key = key.map(<[u8]>::to_vec);
            }
        }
        let tally = &mut groups.tallies[current];
        tally.leads += 1;
        if let ValueRef::Integer(score) = row.get_ref(2)? {
            tally.score_total += score;
        }
        let position = text_of(row.get_ref(1)?).and_then(status_position);
        if let Some(position) = position {
            tally.by_status[position] += 1;
        }
        let history = match row.get_ref(4)? {
            ValueRef::Integer(id) => histories.get(id),
            _ => None,
        };
        let held = history.map_or(0, |h| h.held) | position.map_or(0, |p| 1 << p);
        let reached = reached_stages(held);
        if reached & (1 << Status::Qualified.index()) != 0 {
            tally.reached_qualified += 1;
        }
        // Counted by the set of stages reached (a few kinds), added up at the end.
        reached_sets[usize::from(reached)] += 1;
        if let Some(history) = history {
            measure(histories.moves_of(history), created, tally, funnel);
        }
    }
    for (set, leads) in reached_sets.iter().enumerate() {
        for (stage, count) in funnel.reached.iter_mut().enumerate() {
            if set & (1 << stage) != 0 {
                *count += leads;
            }
        }
    }
    Ok(())
}

/// The stages reached (bits by `Status::ALL` position) by a lead that held the statuses
/// in `held`: each held stage of the pipeline and every one before it, and `new` always.
fn reached_stages(held: u8) -> u8 {
    let furthest = PIPELINE
        .iter()
        .rposition(|stage| held & (1 << stage.index()) != 0)
        .unwrap_or(0);
    let pipeline = PIPELINE[..=furthest]
        .iter()
        .fold(0u8, |bits, stage| bits | (1 << stage.index()));
    let closed = [Status::Lost, Status::Disqualified]
        .iter()
        .fold(0u8, |bits, stage| bits | (held & (1 << stage.index())));
    pipeline | closed
}

/// The days of one lead's moves: into each stage (its first move there) from the move
/// before or its creation, for the funnel; from creation to qualified and won, for its group.
fn measure(moves: &[(i64, u8)], created: i64, tally: &mut GroupTally, funnel: &mut Funnel) {
    let mut entered = 0u8;
    let mut previous = created;
    for (at, to) in moves {
        let stage = usize::from(*to);
        if entered & (1 << stage) == 0 {
            entered |= 1 << stage;
            funnel.days[stage].push(days_between(previous, *at));
            if stage == Status::Qualified.index() {
                tally.days_to_qualify.push(days_between(created, *at));
            } else if stage == Status::Won.index() {
                tally.days_to_win.push(days_between(created, *at));
            }
        }
        previous = *at;
    }
}

#[cfg(test)]
mod tests;

//! `leads today`: every open lead that needs the seller today, with why and how to reach
//! them (DESIGN's Daily work). The follow-ups due by tonight come first, most overdue
//! first; then the leads with nothing planned that are engaged or going cold, by expected
//! value (p × v), highest first.
//!
//! Expected value: p is the learned win probability when the model ranked the held-out
//! closed leads better than the score did, else score / 100; v is the lead's deal value,
//! else the median deal value of the open leads that have one, else 1. The leads without a
//! value then share one v, so their order is p's: the store walks them on an index in that
//! order, and only the few with a value are merged in by hand. A page (`--limit`) reads
//! about a page of rows.
use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use crate::error::bad_input;
use crate::model::{rfc3339, round_to, Activity, FollowUp, Grade, Lead, Status, Touch};
use crate::scoring::Clock;
use crate::store::{NoNextStep, Store, WalkOrder};

/// How long an answer keeps a lead without a next step "engaged".
pub const ANSWERED_WITHIN_DAYS: i64 = 14;

/// The setting that says when a worked lead with nothing planned is going cold.
pub const COLD_AFTER: &str = crate::scoring::keys::OTHER_SETTINGS[1];

/// Its default: two weeks.
pub const COLD_AFTER_DEFAULT: &str = "14d";

/// Why a lead is on the agenda, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// A follow-up or cadence step was due before today.
    Overdue,
    /// One is due today.
    DueToday,
    /// Engaged (a recent answer, qualified, grade A or B) and nothing planned.
    NoNextStep,
    /// Worked, nothing planned, and untouched for `agenda.cold_after`.
    GoingCold,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Overdue => "overdue",
            Reason::DueToday => "due_today",
            Reason::NoNextStep => "no_next_step",
            Reason::GoingCold => "going_cold",
        }
    }
}

/// The day the agenda is for, and its settings.
#[derive(Debug, Clone, Copy)]
pub struct Today {
    pub clock: Clock,
    /// Local midnight at the start of today and of tomorrow.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// A worked lead untouched since before this is going cold (now − `agenda.cold_after`).
    pub cold_before: DateTime<Utc>,
    /// An answer at or after this is recent (now − 14 days).
    pub answered_since: DateTime<Utc>,
    pub limit: Option<usize>,
}

impl Today {
    /// The day `day` (local midnight to local midnight) as of `clock`, with the seller's
    /// `agenda.cold_after`.
    pub fn new(
        store: &Store,
        clock: Clock,
        day: (DateTime<Utc>, DateTime<Utc>),
        limit: Option<usize>,
    ) -> Result<Today> {
        let text = store
            .setting(COLD_AFTER)?
            .unwrap_or_else(|| COLD_AFTER_DEFAULT.to_string());
        let cold_after = crate::dates::parse_interval(&text).map_err(|err| {
            bad_input(format!(
                "the setting {COLD_AFTER} '{text}' cannot be read ({err}); set it with \
                 leads config {COLD_AFTER} 14d"
            ))
        })?;
        let cold_before = cold_after
            .shift(clock.now, -1, &chrono::Local)
            .ok_or_else(|| bad_input(format!("{COLD_AFTER} '{text}' is too long")))?;
        Ok(Today {
            clock,
            start: day.0,
            end: day.1,
            cold_before,
            answered_since: clock.now - Duration::days(ANSWERED_WITHIN_DAYS),
            limit,
        })
    }
}

/// One line of the agenda.
#[derive(Debug, Clone)]
pub struct Entry {
    pub lead: Lead,
    /// Every reason that applies, most urgent first (never empty).
    pub reasons: Vec<Reason>,
    /// The lead's earliest open follow-up, when the reason is one.
    pub follow_up: Option<FollowUp>,
    pub last_touch: Option<Activity>,
    pub last_answer: Option<Activity>,
    /// The reason in words.
    pub why: String,
}

impl Entry {
    pub fn reason(&self) -> Reason {
        self.reasons[0]
    }

    /// The contract's JSON shape (`today --format json`).
    pub fn to_json(&self, clock: Clock) -> Value {
        self.to_json_of(clock, |_| true)
    }

    /// The keys of the contract's JSON that `keep` names, in its order: a table or a CSV
    /// shows a few, and builds only those.
    pub fn to_json_of(&self, clock: Clock, keep: impl Fn(&str) -> bool) -> Value {
        let mut object = Map::new();
        let mut put = |key: &str, value: &dyn Fn() -> Value| {
            if keep(key) {
                object.insert(key.to_string(), value());
            }
        };
        let lead = &self.lead;
        let follow_up = self.follow_up.as_ref();
        let touch = self.last_touch.as_ref();
        put("lead_id", &|| json!(lead.id));
        put("name", &|| json!(lead.name()));
        put("company", &|| json!(lead.company));
        put("phone", &|| json!(lead.phone));
        put("email", &|| json!(lead.email));
        put("reason", &|| json!(self.reason().as_str()));
        put("reasons", &|| {
            json!(self.reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>())
        });
        put("why", &|| json!(self.why));
        put("follow_up_id", &|| json!(follow_up.map(|f| f.id)));
        put("due_at", &|| json!(follow_up.map(|f| rfc3339(f.due_at))));
        put("last_touch_at", &|| json!(lead.last_touch_at.map(rfc3339)));
        put("last_touch_kind", &|| json!(touch.map(|a| a.kind.as_str())));
        put("last_touch", &|| {
            json!(touch.map(|a| last_touch_words(a, clock)))
        });
        put("score", &|| json!(lead.scores.score));
        put("grade", &|| json!(lead.scores.grade.to_string()));
        put("win_probability", &|| {
            json!(lead.win_probability.map(|p| round_to(p, 3)))
        });
        put("marker", &|| json!(lead.contact_marker()));
        Value::Object(object)
    }
}

/// The agenda, and whether the learned model ordered it.
pub struct Agenda {
    pub entries: Vec<Entry>,
    pub by_model: bool,
}

/// Build today's agenda.
pub fn agenda(store: &Store, today: &Today) -> Result<Agenda> {
    let room = today.limit.unwrap_or(usize::MAX);
    if room == 0 {
        return finish(Vec::new(), false);
    }
    let mut entries = due_by_tonight(store, today, room)?;
    if entries.len() >= room {
        return finish(entries, false);
    }
    let room = room - entries.len();

    let by_model = store.model_ranks_better()?;
    let p = |lead: &Lead| match lead.win_probability.filter(|_| by_model) {
        Some(p) => p,
        None => lead.scores.score as f64 / 100.0,
    };
    let v_default = median(store.open_deal_values()?).unwrap_or(1.0);
    let value = |lead: &Lead| {
        let value = p(lead) * lead.deal_value.unwrap_or(v_default);
        if value.is_finite() {
            value
        } else {
            0.0
        }
    };
    let which = NoNextStep {
        answered_since: today.answered_since,
        cold_before: today.cold_before,
        order: if by_model {
            WalkOrder::Win
        } else {
            WalkOrder::Score
        },
        valued_only: false,
    };
    // Merged by hand into the main walk: the leads with a value (few, each its own v), and
    // with a model, the leads learned after it (no probability: p is their score), the
    // best `room` of them.
    let mut extras = Vec::new();
    let mut take = |lead: Lead| {
        if let Some(reasons) = reasons_without_next_step(&lead, today) {
            extras.push((value(&lead), lead, reasons));
        }
    };
    store.walk_without_next_step(
        NoNextStep {
            valued_only: true,
            order: WalkOrder::Score,
            ..which
        },
        |lead| {
            take(lead);
            true
        },
    )?;
    if by_model {
        let mut taken = 0;
        store.walk_without_next_step(
            NoNextStep {
                order: WalkOrder::ScoreWithoutWin,
                ..which
            },
            |lead| {
                if lead.deal_value.is_none() && reasons_without_next_step(&lead, today).is_some() {
                    take(lead);
                    taken += 1;
                }
                taken < room
            },
        )?;
    }
    extras.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    let mut extras = extras.into_iter().peekable();

    // The others share v: walked in p's order, merged with the extras.
    let mut rest: Vec<(Lead, Vec<Reason>)> = Vec::new();
    store.walk_without_next_step(which, |lead| {
        if lead.deal_value.is_some() {
            return true;
        }
        let Some(reasons) = reasons_without_next_step(&lead, today) else {
            return true;
        };
        let value = value(&lead);
        while let Some((better, _, _)) = extras.peek() {
            if *better < value {
                break;
            }
            if let Some((_, lead, reasons)) = extras.next() {
                rest.push((lead, reasons));
            }
        }
        rest.push((lead, reasons));
        rest.len() < room
    })?;
    rest.extend(extras.map(|(_, lead, reasons)| (lead, reasons)));
    rest.truncate(room);
    for (lead, reasons) in rest {
        entries.push(entry(store, lead, reasons, None, today)?);
    }
    finish(entries, by_model)
}

/// The leads with a follow-up or cadence step due by tonight, earliest first (that is the
/// order of `overdue`, oldest due first, then `due_today`, earliest first): a lead's
/// earliest is its line, and a later one due today adds `due_today` to its reasons.
fn due_by_tonight(store: &Store, today: &Today, room: usize) -> Result<Vec<Entry>> {
    // First the keys alone (ids, lead, overdue or not), earliest first: each lead's first
    // follow-up opens its line, a later one only adds its reason.
    let mut lines: Vec<(i64, Vec<Reason>)> = Vec::new();
    let mut line_of: HashMap<i64, usize> = HashMap::new();
    for key in store.due_follow_ups(today.end - Duration::seconds(1), today.start)? {
        let reason = if key.overdue {
            Reason::Overdue
        } else {
            Reason::DueToday
        };
        match line_of.get(&key.lead_id) {
            Some(&line) => {
                let reasons = &mut lines[line].1;
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
            None => {
                line_of.insert(key.lead_id, lines.len());
                lines.push((key.id, vec![reason]));
            }
        }
    }
    // Then the page's follow-ups and leads, whole, one statement a round: a lead who may
    // not be contacted is left out by it, and the next lines take its place.
    let mut entries = Vec::new();
    let mut lines = lines.into_iter();
    while entries.len() < room {
        let round: Vec<(i64, Vec<Reason>)> = lines.by_ref().take(room - entries.len()).collect();
        if round.is_empty() {
            break;
        }
        let ids: Vec<i64> = round.iter().map(|(id, _)| *id).collect();
        let mut page: HashMap<i64, (FollowUp, Lead)> = store
            .agenda_page(&ids)?
            .into_iter()
            .map(|(follow_up, lead)| (follow_up.id, (follow_up, lead)))
            .collect();
        for (id, reasons) in round {
            if let Some((follow_up, lead)) = page.remove(&id) {
                entries.push(entry(store, lead, reasons, Some(follow_up), today)?);
            }
        }
    }
    Ok(entries)
}

fn finish(entries: Vec<Entry>, by_model: bool) -> Result<Agenda> {
    Ok(Agenda { entries, by_model })
}

/// The reasons a lead without an open follow-up is on the agenda, if any: the rule of
/// DESIGN's table (the store's walk only narrows the rows down).
fn reasons_without_next_step(lead: &Lead, today: &Today) -> Option<Vec<Reason>> {
    let answered_since = today.answered_since;
    let status = lead.status();
    let mut reasons = Vec::new();
    let engaged = lead.last_answer_at.is_some_and(|at| at >= answered_since)
        || status == Status::Qualified
        || matches!(lead.scores.grade, Grade::A | Grade::B);
    if engaged {
        reasons.push(Reason::NoNextStep);
    }
    let worked = matches!(
        status,
        Status::Contacted | Status::Nurturing | Status::Qualified
    );
    let touched = lead.last_touch_at.or(lead.created_at);
    if worked && touched.is_some_and(|at| at < today.cold_before) {
        reasons.push(Reason::GoingCold);
    }
    (!reasons.is_empty()).then_some(reasons)
}

fn entry(
    store: &Store,
    lead: Lead,
    reasons: Vec<Reason>,
    follow_up: Option<FollowUp>,
    today: &Today,
) -> Result<Entry> {
    let last_touch = match lead.last_touch_at {
        Some(_) => store.last_touch(lead.id)?,
        None => None,
    };
    // Only the reason "answered lately, nothing planned" names the answer.
    let answered_since = today.answered_since;
    let last_answer = match lead.last_answer_at {
        Some(at) if reasons[0] == Reason::NoNextStep && at >= answered_since => {
            store.last_answer(lead.id)?
        }
        _ => None,
    };
    let mut entry = Entry {
        lead,
        reasons,
        follow_up,
        last_touch,
        last_answer,
        why: String::new(),
    };
    entry.why = why(&entry, today);
    Ok(entry)
}

/// The reason in words: "call: ask about the trial, 2 days overdue"; "replied 2 days
/// ago, nothing planned"; "no touch for 21 days".
pub fn why(entry: &Entry, today: &Today) -> String {
    let clock = today.clock;
    let lead = &entry.lead;
    match entry.reason() {
        Reason::Overdue | Reason::DueToday => {
            let Some(follow_up) = &entry.follow_up else {
                return String::new();
            };
            let task = task(follow_up);
            let when = if entry.reason() == Reason::Overdue {
                let days = clock.days_since(follow_up.due_at).max(1);
                format!("{days} day{} overdue", plural(days))
            } else {
                "due today".to_string()
            };
            format!("{task}, {when}")
        }
        Reason::NoNextStep => {
            let answered_since = today.answered_since;
            let head = match &entry.last_answer {
                Some(answer) if answer.at >= answered_since => {
                    format!("{} {}", answered(answer), ago(answer.at, clock))
                }
                _ if lead.status() == Status::Qualified => "qualified".to_string(),
                _ => format!("grade {}", lead.scores.grade),
            };
            format!("{head}, nothing planned")
        }
        Reason::GoingCold => match lead.last_touch_at {
            Some(at) => {
                let days = clock.days_since(at);
                format!("no touch for {days} day{}", plural(days))
            }
            None => {
                let days = lead.created_at.map_or(0, |at| clock.days_since(at));
                format!("never touched, added {days} day{} ago", plural(days))
            }
        },
    }
}

/// What the follow-up is for: "call: ask about the trial" (a cadence step's note says
/// its kind already), "call", or the note alone for a follow-up without a kind.
fn task(follow_up: &FollowUp) -> String {
    let note = follow_up
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    match (follow_up.kind, note) {
        (Some(kind), Some(note)) if note.starts_with(&format!("{kind}:")) => note.to_string(),
        (Some(kind), Some(note)) => format!("{kind}: {note}"),
        (Some(kind), None) => kind.to_string(),
        (None, Some(note)) => note.to_string(),
        (None, None) => "follow-up".to_string(),
    }
}

/// An answer as a seller says it: "replied", "met", "had a demo", "talked".
fn answered(answer: &Activity) -> &'static str {
    use crate::model::ActivityKind;
    match answer.kind {
        ActivityKind::EmailReplied => "replied",
        ActivityKind::Meeting => "met",
        ActivityKind::Demo => "had a demo",
        _ if answer.touch() == Some(Touch::Answer) => "talked",
        _ => "answered",
    }
}

/// "call 3 days ago", "email_sent (no answer) today": the LAST TOUCH column.
pub fn last_touch_words(touch: &Activity, clock: Clock) -> String {
    format!("{} {}", touch.describe(), ago(touch.at, clock))
}

/// "today", "yesterday", "3 days ago", on the user's calendar.
fn ago(at: DateTime<Utc>, clock: Clock) -> String {
    match clock.days_since(at) {
        i64::MIN..=0 => "today".to_string(),
        1 => "yesterday".to_string(),
        days => format!("{days} days ago"),
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The median of some values (None for none).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    // Halves first: two amounts near the largest float must not add up to infinity.
    Some(if values.len() % 2 == 1 {
        values[middle]
    } else {
        values[middle - 1] / 2.0 + values[middle] / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_deal_values() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3000.0]), Some(3000.0));
        assert_eq!(median(vec![5000.0, 1000.0, 3000.0]), Some(3000.0));
        assert_eq!(median(vec![1000.0, 4000.0]), Some(2500.0));
    }

    #[test]
    fn a_task_says_its_kind_once() {
        let follow_up = |kind, note: Option<&str>| FollowUp {
            id: 1,
            lead_id: 1,
            name: String::new(),
            due_at: Utc::now(),
            note: note.map(String::from),
            every: None,
            local_time: None,
            done_at: None,
            step_of: None,
            kind,
        };
        use crate::model::ActivityKind::{Call, EmailSent};
        assert_eq!(
            task(&follow_up(Some(Call), Some("ask about the trial"))),
            "call: ask about the trial"
        );
        assert_eq!(
            task(&follow_up(Some(Call), Some("call: ask how it went"))),
            "call: ask how it went"
        );
        assert_eq!(task(&follow_up(Some(EmailSent), None)), "email_sent");
        assert_eq!(task(&follow_up(None, Some("renewal"))), "renewal");
        assert_eq!(task(&follow_up(None, None)), "follow-up");
    }
}

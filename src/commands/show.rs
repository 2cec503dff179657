//! `leads show`: every field, the score with its reasons, activities, follow-ups, history.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::Ctx;
use crate::cadence::Enrollment;
use crate::cli::{Format, ShowArgs};
use crate::io::mapping::outcome_column;
use crate::learning::{self, LiveWin};
use crate::model::{rfc3339, Activity, Field, FollowUp, Lead, Qualification, StatusChange};
use crate::output::{self, fields, heading, local_time, write_json, write_records, Column};
use crate::output::{factor_json, write_win_section, Style};
use crate::rescoring::{refresh_scores, score_lead};
use crate::scoring::{Profile, Reason, Scores};
use crate::store::Store;

/// The activity's id is what `activity edit|delete` take.
const ACTIVITY_COLUMNS: [Column; 5] = [
    Column::number("id", "ID"),
    Column::date("at", "WHEN"),
    Column::text("kind", "WHAT"),
    Column::text("outcome", "OUTCOME"),
    Column::text("note", "NOTE"),
];
const FOLLOW_UP_COLUMNS: [Column; 6] = [
    Column::number("id", "ID"),
    Column::date("due_at", "DUE"),
    Column::text("kind", "KIND"),
    Column::text("note", "NOTE"),
    Column::text("every", "EVERY"),
    Column::date("done_at", "DONE"),
];
const HISTORY_COLUMNS: [Column; 4] = [
    Column::date("at", "WHEN"),
    Column::text("from", "FROM"),
    Column::text("to", "TO"),
    Column::text("reason", "REASON"),
];

const QUALIFICATION_COLUMNS: [Column; 5] = [
    Column::date("at", "WHEN"),
    Column::text("budget", "BUDGET"),
    Column::text("authority", "AUTHORITY"),
    Column::text("need", "NEED"),
    Column::date("timeline", "TIMELINE"),
];

/// How many factors `show` gives for, and against.
const TOP_FACTORS: usize = 3;

pub fn run(args: ShowArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let profile = store.profile()?;
    refresh_scores(&store, &profile, ctx.clock())?;
    let lead = store.lead(args.id)?;
    write_lead(&store, &lead, &profile, args.format, ctx)
}

/// Print a lead as `show` does, in `format` (also `merge`'s merged lead).
pub(super) fn write_lead(
    store: &Store,
    lead: &Lead,
    profile: &Profile,
    format: Format,
    ctx: &Ctx,
) -> Result<()> {
    // The probability shown is the stored one, as in `list` and `export`; the live one
    // (from the lead's current data) only explains it and says when it has moved.
    let win = live_win(store, lead)?;
    // A forgotten person's data is gone: rescoring what is left would move report
    // figures, so the scores stay as they were when the person was forgotten.
    let scores = if lead.forgotten {
        Scores::frozen(lead.scores)
    } else {
        score_lead(store, lead, profile, ctx.clock())?
    };
    let record = full_record(store, lead, &scores, win.as_ref())?;

    let mut out = ctx.stdout();
    match format {
        Format::Json | Format::Ndjson => write_json(&mut out, &record, format)?,
        Format::Csv | Format::Tsv => {
            let columns = [
                Column::text("field", "FIELD"),
                Column::text("value", "VALUE"),
            ];
            let rows = field_value_pairs(lead, &scores);
            write_records(&mut out, format, &columns, &rows)?;
        }
        Format::Table => {
            let style = &ctx.style;
            writeln!(out, "{}", title(lead, style))?;
            fields(&mut out, &field_rows(lead, &record), style)?;
            score_section(&mut out, &scores, profile, win.as_ref(), style)?;
            history_sections(&mut out, &record, ctx.user.as_deref(), style)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Everything `show` knows about a lead, in the contract's JSON shape: the lead with its
/// scores and reasons, then its activities, follow-ups, status history, qualification
/// answers, cadence and what moves its win probability.
fn full_record(
    store: &Store,
    lead: &Lead,
    scores: &Scores,
    win: Option<&LiveWin>,
) -> Result<Value> {
    let mut record = output::lead_record(lead, scores);
    record["reasons"] = array_of(&scores.reasons, Reason::to_json);
    record["activities"] = array_of(&store.activities(lead.id)?, Activity::to_json);
    record["follow_ups"] = array_of(&store.follow_ups_of_lead(lead.id)?, FollowUp::to_json);
    record["status_history"] = array_of(&store.status_changes(lead.id)?, StatusChange::to_json);
    record["qualifications"] = array_of(&store.qualifications(lead.id)?, Qualification::to_json);
    // The cadence the lead is in, else the last one it was in.
    let enrollment = store.enrollments_of_lead(lead.id)?.pop();
    record["cadence"] = enrollment.as_ref().map_or(Value::Null, Enrollment::to_json);
    let factors = win
        .iter()
        .flat_map(|w| w.now.factors.iter().map(factor_json));
    record["win_factors"] = Value::Array(factors.collect());
    if let Some(win) = win {
        record["win_model"] = json!({
            "learned_at": rfc3339(win.saved.learned_at),
            "closed": win.saved.closed,
            "auc": win.saved.auc.map(|auc| crate::model::round_to(auc, 3)),
        });
    }
    Ok(record)
}

/// Items in their JSON shape, as one array.
fn array_of<T>(items: &[T], to_json: fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(to_json).collect())
}

/// CSV and TSV: one field/value row per scalar field of the lead.
fn field_value_pairs(lead: &Lead, scores: &Scores) -> Vec<Value> {
    output::lead_record(lead, scores)
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            let value = match value {
                Value::Object(map) => serde_json::to_string(map).unwrap_or_default(),
                other => output::plain_text(Some(other)),
            };
            json!({"field": key, "value": value})
        })
        .collect()
}

/// The table's first line: the name in bold, the id, and who must not be contacted
/// ("(do not contact)", "(forgotten)"), as `list` marks them.
fn title(lead: &Lead, style: &Style) -> String {
    let mark = lead
        .contact_marker()
        .map_or(String::new(), |mark| format!(" ({mark})"));
    format!("{}  #{}{mark}", style.bold(&lead.name()), lead.id)
}

/// The fields `show` lists right after the status, when they have a value: who the lead
/// is and where it came from (each under its label in `model::FIELDS`).
const IDENTITY_ROWS: [Field; 13] = [
    Field::Email,
    Field::Phone,
    Field::Company,
    Field::Title,
    Field::Industry,
    Field::CompanySize,
    Field::Country,
    Field::Website,
    Field::Source,
    Field::SourceDetail,
    Field::ExternalId,
    Field::Tags,
    Field::Owner,
];

/// A field's label in `show` (every field `show` lists has one in `model::FIELDS`).
fn label(field: Field) -> &'static str {
    field.label().unwrap_or_else(|| field.name())
}

/// The lead's fields as labelled rows, those without a value left out: who the lead is,
/// where it stands, then its own attributes and notes.
fn field_rows<'a>(lead: &'a Lead, record: &Value) -> Vec<(&'a str, String)> {
    let text = |field: Field| output::plain_text(record.get(field.name()));
    let mut rows = vec![(label(Field::Status), text(Field::Status))];
    for field in IDENTITY_ROWS {
        let value = text(field);
        if !value.is_empty() {
            rows.push((label(field), value));
        }
    }
    let flags: Vec<&str> = [
        (lead.do_not_contact, Field::DoNotContact),
        (lead.incentivized, Field::Incentivized),
        (lead.aware, Field::Aware),
    ]
    .into_iter()
    .filter_map(|(on, field)| on.then_some(label(field)))
    .collect();
    if !flags.is_empty() {
        rows.push(("flags", flags.join(", ")));
    }
    if let Some(value) = lead.deal_value {
        rows.push((label(Field::DealValue), output::money(value)));
    }
    rows.extend(standing_rows(lead, record));
    for (key, value) in &lead.attributes {
        rows.push((key.as_str(), value.clone()));
    }
    if let Some(notes) = &lead.notes {
        rows.push((label(Field::Notes), notes.clone()));
    }
    rows.push((label(Field::CreatedAt), local_time(&text(Field::CreatedAt))));
    rows.push((label(Field::UpdatedAt), local_time(&text(Field::UpdatedAt))));
    rows
}

/// Where the lead stands: its qualification answers, what is next, its win probability.
fn standing_rows(lead: &Lead, record: &Value) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        (label(Field::Budget), lead.budget.as_str().to_string()),
        (label(Field::Authority), lead.authority.as_str().to_string()),
    ];
    if let Some(need) = &lead.need {
        rows.push((label(Field::Need), need.clone()));
    }
    if let Some(timeline) = lead.timeline {
        rows.push((label(Field::Timeline), output::local(timeline)));
    }
    if let Some(next) = lead.next_follow_up {
        rows.push((label(Field::NextFollowUp), output::local(next)));
    }
    if let Some(touched) = lead.last_touch_at {
        rows.push((label(Field::LastTouchAt), output::local(touched)));
    }
    if let Some(cadence) = record.get("cadence").and_then(cadence_line) {
        rows.push(("cadence", cadence));
    }
    if let Some(p) = lead.win_probability {
        rows.push((label(Field::WinProbability), output::percent(p)));
    }
    rows
}

/// The score with its reasons, then the win probability's explanation when a model is
/// stored.
fn score_section(
    out: &mut dyn Write,
    scores: &Scores,
    profile: &Profile,
    win: Option<&LiveWin>,
    style: &Style,
) -> Result<()> {
    heading(
        out,
        &format!(
            "Score {} (grade {}): fit {}, engagement {}, readiness {}",
            scores.score, scores.grade, scores.fit, scores.engagement, scores.readiness
        ),
        style,
    )?;
    output::explanation(out, scores, profile, style)?;
    if let Some(win) = win {
        write_win_section(out, win, style)?;
    }
    Ok(())
}

/// The lead's activities, follow-ups, status history and answers, each a table under its
/// heading; an empty one is left out. Who logged an activity or moved the lead (BY) is a
/// column when someone other than the reader did: a team sees who did what, a seller
/// alone is not shown their own name on every line (JSON always has `by`).
fn history_sections(
    out: &mut dyn Write,
    record: &Value,
    reader: Option<&str>,
    style: &Style,
) -> Result<()> {
    let sections = [
        ("Activities", "activities", &ACTIVITY_COLUMNS[..]),
        ("Follow-ups", "follow_ups", &FOLLOW_UP_COLUMNS[..]),
        ("Status history", "status_history", &HISTORY_COLUMNS[..]),
        (
            "Qualification answers",
            "qualifications",
            &QUALIFICATION_COLUMNS[..],
        ),
    ];
    for (title, key, columns) in sections {
        let items = record
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if items.is_empty() {
            continue;
        }
        let mut columns = columns.to_vec();
        if output::done_by_another(&items, reader) {
            columns.push(Column::text("by", "BY"));
        }
        heading(out, title, style)?;
        write_records(out, Format::Table, &columns, &items)?;
    }
    Ok(())
}

/// Where the lead is in its cadence (`record["cadence"]`): "e-book, step 2 of 3, due
/// 2026-03-04 09:00", or how it left: "e-book, completed on 2026-03-10 09:00".
fn cadence_line(enrollment: &Value) -> Option<String> {
    let text = |key: &str| output::plain_text(enrollment.get(key));
    let name = enrollment.get("cadence")?.as_str()?;
    if enrollment.get("ended_at").is_some_and(|at| !at.is_null()) {
        return Some(format!(
            "{name}, {} on {}",
            text("end_reason"),
            local_time(&text("ended_at"))
        ));
    }
    let due = enrollment
        .get("next_due")
        .filter(|due| !due.is_null())
        .map_or(String::new(), |_| {
            format!(", due {}", local_time(&text("next_due")))
        });
    Some(format!(
        "{name}, step {} of {}{due}",
        text("step"),
        text("steps")
    ))
}

/// The live win probability of an open lead, when a model is stored.
fn live_win(store: &Store, lead: &Lead) -> Result<Option<LiveWin>> {
    if lead.status().is_closed() || lead.forgotten {
        return Ok(None);
    }
    let Some(saved) = store.win_model()? else {
        return Ok(None);
    };
    let counts = store.activity_counts(lead.id)?;
    let now = saved
        .model
        .predict(&learning::facts(lead, &counts, outcome_column), TOP_FACTORS);
    Ok(Some(LiveWin {
        saved,
        stored: lead.win_probability,
        now,
        closed_now: store.count_closed_leads()?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{every_field_set, Kind, FIELDS};

    /// A field given a label in `model::FIELDS` but no row here (or a row here under
    /// another label) fails this test.
    #[test]
    fn show_lists_every_labelled_field() {
        let lead = Lead {
            forgotten: false,
            ..every_field_set()
        };
        let rows = field_rows(&lead, &lead.to_json());
        let flags = &rows.iter().find(|(label, _)| *label == "flags").unwrap().1;
        for spec in FIELDS {
            let Some(label) = spec.label else { continue };
            let shown = rows.iter().any(|(row, _)| *row == label)
                || (spec.kind == Kind::Flag && flags.contains(label));
            assert!(shown, "{} ({label}) is not shown", spec.name);
        }
    }
}

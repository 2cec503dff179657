//! `leads config rule add|list|delete`: the seller's scoring rules on any field or
//! imported attribute. Parsing and evaluation live in `scoring::rules`; this command
//! checks the names against the database, saves the profile and rescores open leads.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{Format, RuleAddArgs, RuleCommand, RuleDeleteArgs, RuleListArgs};
use crate::error::{bad_input, not_found, Failure};
use crate::model::edit_distance;
use crate::model::{
    parse_company_size, read_number, read_yes_no, rule_fields, Answer, Field, Kind, Status,
};
use crate::output::{write_records, Column};
use crate::rescoring::refresh_scores;
use crate::scoring::rules::{self, Op, Rule};
use crate::store::Store;

pub fn run(command: RuleCommand, ctx: &Ctx) -> Result<()> {
    match command {
        RuleCommand::Add(args) => add(args, ctx),
        RuleCommand::List(args) => list(args, ctx),
        RuleCommand::Delete(args) => delete(args, ctx),
    }
}

fn add(args: RuleAddArgs, ctx: &Ctx) -> Result<()> {
    let text = args.condition.join(" ");
    let condition = rules::parse_condition(&text).map_err(bad_input)?;
    let points = check_points(args.points)?;
    let axis = args.axis;
    let subject = if rules::is_field(&condition.subject) {
        condition.subject.trim().to_ascii_lowercase()
    } else {
        condition.subject.clone()
    };
    // The value is checked before the database is opened (or created).
    let value = check_value(&subject, condition.op, &condition.value)?;
    // A new database has no attributes: a rule on one is refused before a file is made.
    if !rules::is_field(&subject) && !ctx.database_may_exist()? {
        return Err(bad_input(unknown_subject(&subject, &[])));
    }
    let store = ctx.open_store()?;
    let subject = resolve_subject(&store, &subject)?;
    let (rule, profile) = store.write(|store| {
        let mut profile = store.profile()?;
        let rule = Rule {
            id: profile.next_rule_id(),
            subject: subject.clone(),
            op: condition.op,
            value: value.clone(),
            axis,
            points,
        };
        if let Some(same) = profile.rules.iter().find(|r| r.same_as(&rule)) {
            return Err(Failure::Conflict(format!(
                "rule {} is already {}; delete it first to change its points \
                 (leads config rule delete {})",
                same.id,
                describe(same),
                same.id
            ))
            .into());
        }
        profile.last_rule_id = rule.id;
        profile.rules.push(rule.clone());
        store.save_profile(&profile)?;
        Ok((rule, profile))
    })?;
    refresh_scores(&store, &profile, ctx.clock())?;
    // The new rule's number on stdout, as `add` prints the new lead's id.
    let mut out = ctx.stdout();
    writeln!(out, "{}", rule.id)?;
    out.flush()?;
    ctx.say(format!("rule {} added: {}", rule.id, describe(&rule)));
    Ok(())
}

/// Points from -100 to 100, to one decimal, and not 0: a rule of no points does nothing.
fn check_points(points: f64) -> Result<f64> {
    let rounded = (points * 10.0).round() / 10.0;
    if !points.is_finite() || !(-100.0..=100.0).contains(&rounded) {
        return Err(bad_input(format!(
            "--points {points}: expected a number from -100 to 100"
        )));
    }
    if rounded == 0.0 {
        return Err(bad_input(format!(
            "--points {points}: a rule of 0 points does nothing (expected a number from \
             -100 to 100, not 0)"
        )));
    }
    Ok(rounded)
}

fn list(args: RuleListArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let profile = store.profile()?;
    let mut out = ctx.stdout();
    if profile.rules.is_empty() && args.format == Format::Table {
        ctx.say("no rules (add one with leads config rule add)");
        return Ok(());
    }
    match args.format {
        // JSON and NDJSON carry every part of a rule; the table and the line formats its
        // number, axis, points and condition, as `rule list` shows them.
        Format::Json | Format::Ndjson => {
            let rules: Vec<Value> = profile.rules.iter().map(to_json).collect();
            write_records(&mut out, args.format, &RULE_COLUMNS, &rules)?;
        }
        format => {
            let rows: Vec<Value> = profile
                .rules
                .iter()
                .map(|rule| {
                    json!({
                        "id": rule.id,
                        "axis": rule.axis.as_str(),
                        "points": signed(rule.points),
                        "condition": rule.condition(),
                    })
                })
                .collect();
            write_records(&mut out, format, &RULE_COLUMNS, &rows)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Deletes the rules named, all or none: an unknown number changes nothing (exit 3).
fn delete(args: RuleDeleteArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let mut wanted: Vec<i64> = Vec::new();
    for id in args.ids {
        if !wanted.contains(&id) {
            wanted.push(id);
        }
    }
    let (deleted, profile) = store.write(|store| {
        let mut profile = store.profile()?;
        let missing: Vec<String> = wanted
            .iter()
            .filter(|id| !profile.rules.iter().any(|r| i64::from(r.id) == **id))
            .map(|id| id.to_string())
            .collect();
        if !missing.is_empty() {
            let ids: Vec<String> = profile.rules.iter().map(|r| r.id.to_string()).collect();
            let which = match missing.len() {
                1 => format!("no rule {}", missing[0]),
                _ => format!("no rules {}", missing.join(", ")),
            };
            return Err(not_found(if ids.is_empty() {
                format!("{which}: there are no rules")
            } else {
                format!("{which} (rules: {}); nothing was deleted", ids.join(", "))
            }));
        }
        // The highest number is kept, so that it is not given again.
        profile.last_rule_id = profile.next_rule_id() - 1;
        let (deleted, kept) = profile
            .rules
            .drain(..)
            .partition(|r| wanted.contains(&i64::from(r.id)));
        profile.rules = kept;
        store.save_profile(&profile)?;
        Ok((deleted, profile))
    })?;
    refresh_scores(&store, &profile, ctx.clock())?;
    let deleted: Vec<Rule> = deleted;
    for rule in &deleted {
        ctx.say(format!("rule {} deleted: {}", rule.id, describe(rule)));
    }
    Ok(())
}

/// `"Total Time Spent on Website" >= 600: engagement +15`
fn describe(rule: &Rule) -> String {
    format!(
        "{}: {} {}",
        rule.condition(),
        rule.axis.as_str(),
        signed(rule.points)
    )
}

/// One line of `rule list`: number, axis, points, condition.
/// `rule list`'s table.
const RULE_COLUMNS: [Column; 4] = [
    Column::number("id", "ID"),
    Column::text("axis", "AXIS"),
    Column::number("points", "POINTS"),
    Column::text("condition", "CONDITION"),
];

fn signed(points: f64) -> String {
    if points.fract() == 0.0 {
        format!("{:+}", points as i64)
    } else {
        format!("{points:+.1}")
    }
}

pub fn to_json(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "condition": rule.condition(),
        "subject": rule.subject,
        "operator": rule.op.as_str(),
        "value": rule.value,
        "axis": rule.axis.as_str(),
        "points": if rule.points.fract() == 0.0 { json!(rule.points as i64) } else { json!(rule.points) },
    })
}

/// A rule as a TOML table of `leads config`'s listing.
pub fn to_toml(rule: &Rule) -> String {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let points = match to_json(rule)["points"].clone() {
        Value::Number(n) => n.to_string(),
        _ => rule.points.to_string(),
    };
    format!(
        "[[rules]]\nid = {}\ncondition = {}\naxis = {}\npoints = {points}",
        rule.id,
        quote(&rule.condition()),
        quote(rule.axis.as_str()),
    )
}

/// The field (its JSON name) or the attribute (its name as stored) a rule names; an
/// unknown name is refused with the near ones.
fn resolve_subject(store: &Store, name: &str) -> Result<String> {
    let name = name.trim();
    if rules::is_field(name) {
        return Ok(name.to_ascii_lowercase());
    }
    let attributes = store.attribute_names()?;
    if let Some(found) = attributes.iter().find(|a| a.as_str() == name) {
        return Ok(found.clone());
    }
    let key = crate::model::squash(name);
    if let Some(found) = attributes.iter().find(|a| crate::model::squash(a) == key) {
        return Ok(found.clone());
    }
    Err(bad_input(unknown_subject(name, &attributes)))
}

fn unknown_subject(name: &str, attributes: &[String]) -> String {
    let lower = name.to_lowercase();
    let fields: Vec<&str> = rule_fields().map(Field::name).collect();
    let mut near: Vec<(usize, &str)> = fields
        .iter()
        .copied()
        .chain(attributes.iter().map(String::as_str))
        .map(|candidate| (edit_distance(&lower, &candidate.to_lowercase()), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.chars().count() / 4))
        .collect();
    near.sort();
    let mut message = format!("no field or attribute '{name}'");
    if let Some((_, best)) = near.first() {
        message.push_str(&format!(" (did you mean '{best}'?)"));
    }
    message.push_str(&format!("; fields: {}", fields.join(", ")));
    const SHOWN: usize = 12;
    match attributes.len() {
        0 => message.push_str("; no lead has imported attributes yet"),
        n if n <= SHOWN => message.push_str(&format!("; attributes: {}", attributes.join(", "))),
        n => message.push_str(&format!(
            "; attributes: {}, ... ({n} in all)",
            attributes[..SHOWN].join(", ")
        )),
    }
    message
}

/// Values a field can never have are refused: a size that is no whole number, a status
/// or an answer that does not exist, a flag that is not yes or no, a date that is not
/// `YYYY-MM-DD`; and a number no comparison can use (`NaN`, `inf`). Values are stored as
/// the lead holds them (flags as true/false, a size as digits, a status by its name).
fn check_value(subject: &str, op: Op, value: &str) -> Result<String> {
    let value = value.trim();
    let kind = rules::field_named(subject).map(Field::kind);
    // Values compared as what they are, not as text: `contains` means nothing for them.
    let closed = matches!(
        kind,
        Some(Kind::Count | Kind::Status | Kind::Answer | Kind::Flag)
    );
    if op == Op::Contains {
        return match closed {
            true => Err(only_some_operators(subject, op)),
            false => Ok(value.to_string()),
        };
    }
    // A company size is a whole number: `1,200` reads one way there.
    if kind != Some(Kind::Count) {
        rules::check_number(value).map_err(bad_input)?;
    }
    let equality = matches!(op, Op::Eq | Op::Ne);
    match kind {
        Some(Kind::Count) => match parse_company_size(value) {
            Ok(Some(size)) => Ok(size.to_string()),
            Ok(None) | Err(_) => Err(bad_input(format!(
                "{subject} is a number of employees: '{value}' is not a {}number \
                 (expected a whole number such as 120 or 1,200)",
                if read_number(value).is_ok() {
                    "whole "
                } else {
                    ""
                }
            ))),
        },
        Some(Kind::Status) if equality => value
            .parse::<Status>()
            .map(|status| status.as_str().to_string())
            .map_err(|message| bad_input(format!("status: {message}"))),
        Some(Kind::Answer) if equality => value
            .parse::<Answer>()
            .map(|answer| answer.as_str().to_string())
            .map_err(|message| bad_input(format!("{subject}: {message}"))),
        Some(Kind::Flag) if equality => match read_yes_no(value) {
            Some(on) => Ok(on.to_string()),
            None => Err(bad_input(format!(
                "{subject} is yes or no, not '{}'",
                value.to_ascii_lowercase()
            ))),
        },
        _ if closed => Err(only_some_operators(subject, op)),
        Some(Kind::Date) => match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) => Ok(date.format("%Y-%m-%d").to_string()),
            Err(_) => Err(bad_input(format!(
                "{subject} is a date: expected YYYY-MM-DD (e.g. 2026-04-01), not '{value}'"
            ))),
        },
        _ => Ok(value.to_string()),
    }
}

fn only_some_operators(subject: &str, op: Op) -> anyhow::Error {
    let accepted = if rules::field_named(subject).map(Field::kind) == Some(Kind::Count) {
        "= != < <= > >="
    } else {
        "= or !="
    };
    bad_input(format!("{subject} takes {accepted}, not {}", op.as_str()))
}

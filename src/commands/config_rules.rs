//! `leads config rule add|list|delete`: the seller's scoring rules on any field or
//! imported attribute. Parsing and evaluation live in `scoring::rules`; this command
//! checks the names against the database, saves the profile and rescores open leads.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{ConfigFormat, RuleAddArgs, RuleAxis, RuleCommand, RuleDeleteArgs, RuleListArgs};
use crate::error::{bad_input, not_found};
use crate::model::edit_distance;
use crate::output::write_json;
use crate::rescoring::refresh_scores;
use crate::scoring::rules::{self, Op, Rule, FIELDS};
use crate::scoring::Part;
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
    if !args.points.is_finite() || !(-100.0..=100.0).contains(&args.points) {
        return Err(bad_input(format!(
            "--points {}: expected a number from -100 to 100",
            args.points
        )));
    }
    let axis = match args.axis {
        RuleAxis::Fit => Part::Fit,
        RuleAxis::Engagement => Part::Engagement,
        RuleAxis::Readiness => Part::Readiness,
    };
    let store = ctx.open_store()?;
    let subject = resolve_subject(&store, &condition.subject)?;
    let value = check_value(&subject, condition.op, &condition.value)?;
    let (rule, profile) = store.write(|store| {
        let mut profile = store.profile()?;
        let rule = Rule {
            id: profile.rules.iter().map(|r| r.id).max().unwrap_or(0) + 1,
            subject: subject.clone(),
            op: condition.op,
            value: value.clone(),
            axis,
            points: (args.points * 10.0).round() / 10.0,
        };
        profile.rules.push(rule.clone());
        store.save_profile(&profile)?;
        Ok((rule, profile))
    })?;
    refresh_scores(&store, &profile, ctx.clock())?;
    ctx.say(format!("rule {} added: {}", rule.id, describe(&rule)));
    Ok(())
}

fn list(args: RuleListArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let profile = store.profile()?;
    let mut out = ctx.stdout();
    match args.format {
        ConfigFormat::Text => {
            for rule in &profile.rules {
                writeln!(out, "{}", crate::output::escape_controls(&line(rule)))?;
            }
        }
        ConfigFormat::Json => {
            let rules: Vec<Value> = profile.rules.iter().map(to_json).collect();
            write_json(&mut out, &Value::Array(rules), crate::cli::Format::Json)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn delete(args: RuleDeleteArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let (rule, profile) = store.write(|store| {
        let mut profile = store.profile()?;
        let Some(at) = profile.rules.iter().position(|r| r.id == args.id) else {
            let ids: Vec<String> = profile.rules.iter().map(|r| r.id.to_string()).collect();
            return Err(not_found(if ids.is_empty() {
                format!("no rule {}: there are no rules", args.id)
            } else {
                format!("no rule {} (rules: {})", args.id, ids.join(", "))
            }));
        };
        let rule = profile.rules.remove(at);
        store.save_profile(&profile)?;
        Ok((rule, profile))
    })?;
    refresh_scores(&store, &profile, ctx.clock())?;
    ctx.say(format!("rule {} deleted: {}", rule.id, describe(&rule)));
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
fn line(rule: &Rule) -> String {
    format!(
        "{:<3} {:<10} {:>6}  {}",
        rule.id,
        rule.axis.as_str(),
        signed(rule.points),
        rule.condition()
    )
}

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
    let key = crate::io::mapping::squash(name);
    if let Some(found) = attributes
        .iter()
        .find(|a| crate::io::mapping::squash(a) == key)
    {
        return Ok(found.clone());
    }
    Err(bad_input(unknown_subject(name, &attributes)))
}

fn unknown_subject(name: &str, attributes: &[String]) -> String {
    let lower = name.to_lowercase();
    let mut near: Vec<(usize, &str)> = FIELDS
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
    message.push_str(&format!("; fields: {}", FIELDS.join(", ")));
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

/// Values a field can never have are refused: a size that is no number, a flag that is
/// not yes or no. Flags are stored as true/false.
fn check_value(subject: &str, op: Op, value: &str) -> Result<String> {
    let ordered = matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
    match subject {
        "company_size" if op != Op::Contains && value.trim().parse::<f64>().is_err() => {
            Err(bad_input(format!(
                "company_size is a number of employees: '{value}' is not a number"
            )))
        }
        "incentivized" | "aware" | "do_not_contact" => {
            match value.trim().to_ascii_lowercase().as_str() {
                _ if ordered => Err(bad_input(format!(
                    "{subject} is yes or no: use = or != (not {})",
                    op.as_str()
                ))),
                "yes" | "true" | "y" | "1" => Ok("true".into()),
                "no" | "false" | "n" | "0" => Ok("false".into()),
                other => Err(bad_input(format!("{subject} is yes or no, not '{other}'"))),
            }
        }
        _ => Ok(value.to_string()),
    }
}

//! `leads qualify`: record the qualification answers (budget, authority, need, timeline),
//! rescore, and move the lead to `qualified` or `disqualified` by the profile's thresholds
//! (or to the `--status` given). `--all` only rescores every open lead.
use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{Format, QualifyArgs};
use crate::error::bad_input;
use crate::model::{Answer, Lead, Qualification, Status};
use crate::output::{self, heading, write_json, write_records, Column};
use crate::rescoring::{rescore_all_open_leads, score_lead, Rescored};
use crate::scoring::{Profile, Scores};

/// The answers given for a lead; None leaves the current answer as it is.
#[derive(Debug, Clone, Default)]
struct Answers {
    budget: Option<Answer>,
    authority: Option<Answer>,
    /// Some(None) clears the need.
    need: Option<Option<String>>,
    /// Some(None) clears the timeline.
    timeline: Option<Option<DateTime<Utc>>>,
}

impl Answers {
    fn from_args(args: &QualifyArgs, ctx: &Ctx) -> Result<Answers> {
        Ok(Answers {
            budget: args.budget,
            authority: args.authority,
            need: args.need.as_deref().map(parse_need),
            timeline: args
                .timeline
                .as_ref()
                .map(|text| parse_timeline("--timeline", text, ctx))
                .transpose()?,
        })
    }

    fn is_empty(&self) -> bool {
        self.budget.is_none()
            && self.authority.is_none()
            && self.need.is_none()
            && self.timeline.is_none()
    }

    /// Write the answers into the lead.
    fn apply(&self, lead: &mut Lead) {
        if let Some(budget) = self.budget {
            lead.budget = budget;
        }
        if let Some(authority) = self.authority {
            lead.authority = authority;
        }
        if let Some(need) = &self.need {
            lead.need = need.clone();
        }
        if let Some(timeline) = self.timeline {
            lead.timeline = timeline;
        }
    }
}

fn parse_answer(flag: &str, text: &str) -> Result<Answer> {
    text.parse()
        .map_err(|err: String| bad_input(format!("{flag}: {err}")))
}

/// A stated need; empty or `unknown` clears it.
fn parse_need(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && !text.eq_ignore_ascii_case("unknown")).then(|| text.to_string())
}

/// A purchase date (any WHEN, a quarter or a month); empty or `unknown` clears it.
fn parse_timeline(flag: &str, text: &str, ctx: &Ctx) -> Result<Option<DateTime<Utc>>> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("unknown") {
        return Ok(None);
    }
    Ok(Some(ctx.timeline(flag, trimmed)?))
}

/// What happened to a lead's status.
#[derive(Debug, Clone, PartialEq)]
enum Move {
    /// Moved, with the reason recorded in the history.
    To(Status, String),
    /// Already where the thresholds (or --status) put it.
    Already(Status),
    /// Between the thresholds: left as it was.
    Between,
    /// Won or lost: the thresholds do not reopen a closed deal.
    Closed,
    /// Below the threshold but no answer recorded yet: a low score alone does not
    /// disqualify anyone.
    Unanswered,
}

/// Has the lead answered anything (a "no" is an answer)? Fresh leads have not: their
/// score is all fit and engagement, and disqualifying them on that alone would throw
/// away most of a new import.
fn has_answers(lead: &Lead) -> bool {
    lead.budget != Answer::Unknown
        || lead.authority != Answer::Unknown
        || lead.need.is_some()
        || lead.timeline.is_some()
}

/// Where the thresholds (or an explicit status) send a lead with these scores.
/// `answered`: the lead has answered something (see `has_answers`).
fn decide(
    from: Status,
    scores: &Scores,
    profile: &Profile,
    explicit: Option<Status>,
    answered: bool,
) -> Move {
    let (to, reason) = match explicit {
        Some(to) => (to, format!("qualify: set by hand (score {})", scores.score)),
        None if matches!(from, Status::Won | Status::Lost) => return Move::Closed,
        None if scores.score < profile.disqualify_below
            && !answered
            && from != Status::Disqualified =>
        {
            return Move::Unanswered
        }
        None if scores.score >= profile.qualify_at => (
            Status::Qualified,
            format!("qualify: score {} >= {}", scores.score, profile.qualify_at),
        ),
        None if scores.score < profile.disqualify_below => (
            Status::Disqualified,
            format!(
                "qualify: score {} < {}",
                scores.score, profile.disqualify_below
            ),
        ),
        None => return Move::Between,
    };
    if to == from {
        Move::Already(to)
    } else {
        Move::To(to, reason)
    }
}

/// One qualified lead, for the report.
struct Outcome {
    lead: Lead,
    scores: Scores,
    from: Status,
    moved: Move,
}

pub fn run(args: QualifyArgs, ctx: &Ctx) -> Result<()> {
    let answers = Answers::from_args(&args, ctx)?;
    if args.all {
        if !answers.is_empty() || args.explain {
            return Err(bad_input(
                "--all only rescores every open lead; give lead ids to record answers or --explain",
            ));
        }
        return rescore_all(args.format, ctx);
    }
    let explicit = args.status;

    let mut ids: Vec<i64> = Vec::with_capacity(args.ids.len());
    for id in &args.ids {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    let store = ctx.open_store_to_read()?;
    // Every id must exist before anything changes.
    let leads = ids
        .iter()
        .map(|id| super::writable_lead(&store, *id))
        .collect::<Result<Vec<_>>>()?;

    // Ask on a terminal when nothing was given; never while holding the write lock.
    let asking = ctx.interactive() && answers.is_empty() && explicit.is_none();
    let mut plan = Vec::with_capacity(leads.len());
    for lead in &leads {
        let given = if asking {
            ask_answers(lead, ctx)?
        } else {
            answers.clone()
        };
        plan.push((lead.id, given));
    }

    let (profile, outcomes) = store.write(|store| {
        let profile = store.profile()?;
        let mut outcomes = Vec::with_capacity(plan.len());
        for (id, given) in &plan {
            let mut lead = super::writable_lead(store, *id)?;
            given.apply(&mut lead);
            let scores = score_lead(store, &lead, &profile, ctx.clock())?;
            lead.scores = scores.stored();
            if given.is_empty() {
                store.save_scores(lead.id, &lead.scores)?;
            } else {
                lead.updated_at = Some(ctx.now);
                store.update_lead(&lead)?;
                store.add_qualification(lead.id, &Qualification::of(&lead, ctx.now))?;
            }
            let from = lead.status();
            let moved = decide(from, &scores, &profile, explicit, has_answers(&lead));
            if let Move::To(to, reason) = &moved {
                store.change_status(lead.id, Some(from), *to, ctx.now, Some(reason))?;
                lead.status = Some(*to);
            }
            outcomes.push(Outcome {
                lead,
                scores,
                from,
                moved,
            });
        }
        Ok((profile, outcomes))
    })?;

    for outcome in &outcomes {
        ctx.say(summary(outcome, &profile));
    }
    render(&outcomes, &profile, &args, ctx)
}

/// "lead 12 Ada Lovelace: score 64 (B) -> qualified", and why a lead did not move.
fn summary(outcome: &Outcome, profile: &Profile) -> String {
    let Outcome {
        lead,
        scores,
        from,
        moved,
    } = outcome;
    let head = format!(
        "lead {} {}: score {} ({})",
        lead.id,
        lead.name(),
        scores.score,
        scores.grade
    );
    match moved {
        Move::To(to, _) => format!("{head} -> {to}"),
        Move::Already(status) => format!("{head}, already {status}"),
        Move::Between => format!(
            "{head}, status stays {from} (qualified at {} or more, disqualified below {})",
            profile.qualify_at, profile.disqualify_below
        ),
        Move::Closed => format!(
            "{head}, status stays {from} (the thresholds do not move won or lost leads; use --status)"
        ),
        Move::Unanswered => format!(
            "{head}, status stays {from} (not disqualified without answers: give --budget, --authority, --need or --timeline)"
        ),
    }
}

const OUTCOME_COLUMNS: [Column; 8] = [
    Column::number("id", "ID"),
    Column::text("name", "NAME"),
    Column::text("status", "STATUS"),
    Column::number("fit", "FIT"),
    Column::number("engagement", "ENGAGEMENT"),
    Column::number("readiness", "READINESS"),
    Column::number("score", "SCORE"),
    Column::text("grade", "GRADE"),
];

fn render(outcomes: &[Outcome], profile: &Profile, args: &QualifyArgs, ctx: &Ctx) -> Result<()> {
    let mut out = ctx.stdout();
    match args.format {
        Format::Table => {
            if args.explain {
                for (index, outcome) in outcomes.iter().enumerate() {
                    if index > 0 {
                        writeln!(out)?;
                    }
                    let mark = outcome
                        .lead
                        .contact_marker()
                        .map_or(String::new(), |mark| format!(" ({mark})"));
                    let title = format!("{}  #{}{mark}", outcome.lead.name(), outcome.lead.id);
                    writeln!(out, "{}", ctx.style.bold(&title))?;
                    output::explanation(&mut out, &outcome.scores, profile, &ctx.style)?;
                }
            }
        }
        // A JSON array one lead a line, as every listing; NDJSON one a line.
        Format::Json | Format::Ndjson => {
            let records: Vec<Value> = outcomes.iter().map(record).collect();
            write_records(&mut out, args.format, &OUTCOME_COLUMNS, &records)?;
        }
        Format::Csv | Format::Tsv => {
            let records: Vec<Value> = outcomes.iter().map(record).collect();
            write_records(&mut out, args.format, &OUTCOME_COLUMNS, &records)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// {id, name, status, fit, engagement, readiness, score, grade, reasons}.
fn record(outcome: &Outcome) -> Value {
    let full = output::lead_record(&outcome.lead, &outcome.scores);
    let mut record = json!({
        "id": outcome.lead.id,
        "name": outcome.lead.name(),
        "status": outcome.lead.status().as_str(),
        "previous_status": outcome.from.as_str(),
    });
    for key in ["fit", "engagement", "readiness", "score", "grade"] {
        record[key] = full[key].clone();
    }
    record["reasons"] = outcome
        .scores
        .reasons
        .iter()
        .map(|reason| reason.to_json())
        .collect();
    record
}

/// `qualify --all`: rescore every open lead in one transaction. Statuses do not move: a
/// profile change should not silently reshuffle the pipeline.
fn rescore_all(format: Format, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store_to_read()?;
    let profile = store.profile()?;
    let Rescored { scored, changed } = rescore_all_open_leads(&store, &profile, ctx.clock())?;
    let changes = match changed {
        0 => "no score changed".to_string(),
        1 => "1 score changed".to_string(),
        n => format!("{n} scores changed"),
    };
    ctx.say(format!(
        "rescored {scored} open lead{}: {changes}",
        if scored == 1 { "" } else { "s" }
    ));
    if matches!(format, Format::Json | Format::Ndjson) {
        let mut out = ctx.stdout();
        write_json(
            &mut out,
            &json!({ "rescored": scored, "changed": changed }),
            format,
        )?;
        out.flush()?;
    }
    Ok(())
}

/// Ask the four questions on the terminal, showing the current answers; Enter keeps one.
fn ask_answers(lead: &Lead, ctx: &Ctx) -> Result<Answers> {
    let heading_text = format!(
        "Qualifying lead {} {} (score {}, grade {}); Enter keeps the current answer.",
        lead.id,
        lead.name(),
        lead.scores.score,
        lead.scores.grade
    );
    let mut err = std::io::stderr();
    heading(&mut err, &heading_text, &ctx.style)?;
    let mut answers = Answers::default();
    for (question, current, flag) in [
        ("Budget (yes/no/unknown)", lead.budget, "budget"),
        ("Authority (yes/no/unknown)", lead.authority, "authority"),
    ] {
        let answer = ask_until_valid(ctx, question, current.as_str(), |text| {
            parse_answer(flag, text)
        })?;
        match flag {
            "budget" => answers.budget = answer,
            _ => answers.authority = answer,
        }
    }
    let need = lead.need.clone().unwrap_or_else(|| "unknown".into());
    answers.need = ask_until_valid(ctx, "Need", &need, |text| Ok(parse_need(text)))?;
    let timeline = lead
        .timeline
        .map(output::local)
        .unwrap_or_else(|| "unknown".into());
    answers.timeline = ask_until_valid(
        ctx,
        "Timeline (a date, +3w, in 2 months, Q2, april, unknown)",
        &timeline,
        |text| parse_timeline("timeline", text, ctx),
    )?;
    Ok(answers)
}

/// Ask until the answer parses; None when the person just pressed Enter (or input ended).
fn ask_until_valid<T>(
    ctx: &Ctx,
    question: &str,
    current: &str,
    parse: impl Fn(&str) -> Result<T>,
) -> Result<Option<T>> {
    loop {
        let Some(text) = ctx.ask(&format!("{question} [{current}]: "))? else {
            return Ok(None);
        };
        match parse(&text) {
            Ok(value) => return Ok(Some(value)),
            Err(err) => eprintln!("{}", output::escape_controls(&err.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(score: i64) -> Scores {
        Scores {
            fit: score,
            engagement: score,
            readiness: score,
            score,
            grade: crate::model::Grade::C,
            reasons: Vec::new(),
        }
    }

    #[test]
    fn thresholds_move_open_leads_and_leave_closed_ones() {
        let profile = Profile::default(); // qualified at 60, disqualified below 25
        let to = |status, reason: &str| Move::To(status, reason.to_string());
        let cases = [
            (
                Status::New,
                60,
                None,
                to(Status::Qualified, "qualify: score 60 >= 60"),
            ),
            (Status::Nurturing, 59, None, Move::Between),
            (Status::New, 25, None, Move::Between),
            (
                Status::Contacted,
                24,
                None,
                to(Status::Disqualified, "qualify: score 24 < 25"),
            ),
            (
                Status::Disqualified,
                80,
                None,
                to(Status::Qualified, "qualify: score 80 >= 60"),
            ),
            (
                Status::Qualified,
                70,
                None,
                Move::Already(Status::Qualified),
            ),
            (Status::Won, 10, None, Move::Closed),
            (Status::Lost, 90, None, Move::Closed),
            (
                Status::New,
                90,
                Some(Status::Nurturing),
                to(Status::Nurturing, "qualify: set by hand (score 90)"),
            ),
        ];
        for (from, score, explicit, expected) in cases {
            assert_eq!(
                decide(from, &scores(score), &profile, explicit, true),
                expected,
                "{from} at {score}"
            );
        }
        // Without any answer a low score does not disqualify; a high one still qualifies.
        assert_eq!(
            decide(Status::New, &scores(10), &profile, None, false),
            Move::Unanswered
        );
        assert_eq!(
            decide(Status::New, &scores(70), &profile, None, false),
            to(Status::Qualified, "qualify: score 70 >= 60")
        );
    }

    #[test]
    fn need_and_timeline_clear_on_unknown_or_empty() {
        assert_eq!(parse_need("  a CRM "), Some("a CRM".to_string()));
        assert_eq!(parse_need("Unknown"), None);
        assert_eq!(parse_need(""), None);
        let now = crate::dates::test_support::at("2026-03-01T09:00:00Z");
        let ctx = Ctx::new(None, now, true, crate::cli::ColorChoice::Never).unwrap();
        let timeline = |text: &str| parse_timeline("--timeline", text, &ctx);
        assert_eq!(timeline(" Unknown ").unwrap(), None);
        assert_eq!(timeline("").unwrap(), None);
        assert_eq!(
            timeline("2026-04-15T00:00:00Z").unwrap(),
            Some(crate::dates::test_support::at("2026-04-15T00:00:00Z"))
        );
        // A quarter or a month is its last day on the user's calendar: "by the end of Q2".
        let q2 = timeline("Q2")
            .unwrap()
            .map(|at| at.with_timezone(&chrono::Local));
        assert_eq!(
            q2.map(|at| at.naive_local().to_string()).as_deref(),
            Some("2026-06-30 00:00:00")
        );
        let err = timeline("someday").unwrap_err().to_string();
        assert!(err.starts_with("--timeline: "), "{err}");
        assert!(err.contains("Q2 2027, april"), "{err}");
    }
}

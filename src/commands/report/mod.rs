//! `leads report`: which sources bring leads that qualify and win, what they cost and
//! brought, and the funnel of the stages leads reached.
use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Datelike, Local, TimeZone, Utc};
use serde_json::{json, Map, Value};

mod by_cadence;

use super::Ctx;
use crate::cli::{Format, ReportArgs, ReportBy};
use crate::error::bad_input;
use crate::model::{round_to, Status};
use crate::output::{bar_chart, heading, write_json, write_records, Column};
use crate::rescoring::refresh_scores;
use crate::store::{Funnel, GroupTally, Months, Period, ReportGroup, Store};
use crate::workflows::ranking::{closed_ranking, Ranking};

/// The name of the group of leads with no source (or no source detail).
const NO_GROUP: &str = "(none)";
/// The name of the row of totals in tables, CSV and TSV.
const TOTAL: &str = "(total)";
/// How many characters the longest bar takes.
const BAR_WIDTH: usize = 40;

/// The figures of one group, after its key column.
const FIGURE_COLUMNS: [Column; 8] = [
    Column::number("leads", "LEADS"),
    Column::number("contacted", "CONTACTED"),
    Column::number("qualified_pct", "QUALIFIED %"),
    Column::number("won_pct", "WON %"),
    Column::number("lost_pct", "LOST %"),
    Column::number("mean_score", "MEAN SCORE"),
    Column::number("median_days_to_qualify", "DAYS TO QUALIFY"),
    Column::number("median_days_to_win", "DAYS TO WIN"),
];

/// The money of one group, shown when any spend or deal value exists.
const MONEY_COLUMNS: [Column; 5] = [
    Column::amount("spend", "SPEND"),
    Column::amount("cost_per_lead", "COST/LEAD"),
    Column::amount("cost_per_win", "COST/WIN"),
    Column::amount("revenue", "REVENUE"),
    Column::amount("roi", "ROI"),
];

/// What the open deals are worth, shown when any open lead has a deal value.
const PIPELINE_COLUMNS: [Column; 2] = [
    Column::amount("pipeline", "PIPELINE"),
    Column::amount("forecast", "FORECAST"),
];

/// The funnel's figures per stage.
const FUNNEL_COLUMNS: [Column; 4] = [
    Column::text("status", "STAGE").whole(),
    Column::number("leads", "REACHED"),
    Column::number("conversion_pct", "FROM PREVIOUS %"),
    Column::number("median_days", "MEDIAN DAYS"),
];

pub fn run(args: ReportArgs, ctx: &Ctx) -> Result<()> {
    let period = period(&args, ctx)?;
    let store = ctx.open_store_to_read()?;
    if args.by == ReportBy::Cadence {
        return by_cadence::run(&args, &store, period, ctx);
    }
    let (group, key_column, title) = grouping(args.by, &store, period)?;
    // Mean scores read the stored scores: bring them up to date first, as `list` does.
    refresh_scores(&store, &store.profile()?, ctx.clock())?;
    let report = store.report(&group, period)?;
    let ranking = closed_ranking(&store, period)?;
    let money = store.has_money()?;
    let pipeline = store.has_open_deal_values()?;
    let currency = store.currency()?;
    let mut tallies = report.groups;
    sort_groups(&mut tallies, args.by);
    let groups: Vec<Value> = tallies
        .iter_mut()
        .map(|tally| {
            let mut record = summarize(tally, key_column.key);
            if money {
                record.extend(money_figures(tally));
            }
            if pipeline {
                record.extend(pipeline_figures(tally));
            }
            Value::Object(record)
        })
        .collect();
    // The totals of what is summed across groups: the pipeline and its forecast.
    let totals = pipeline.then(|| pipeline_figures(&total_pipeline(&tallies)));
    let funnel = funnel_records(&report.funnel);

    let mut columns = vec![key_column];
    columns.extend(FIGURE_COLUMNS);
    if money {
        columns.extend(MONEY_COLUMNS);
    }
    if pipeline {
        columns.extend(PIPELINE_COLUMNS);
    }
    // Tables, CSV and TSV end with a row of the totals; JSON has them apart.
    let mut rows = groups.clone();
    if let Some(totals) = &totals {
        let mut row = Map::new();
        row.insert(key_column.key.into(), TOTAL.into());
        row.extend(totals.clone());
        rows.push(Value::Object(row));
    }
    let mut out = ctx.stdout();
    match args.format {
        Format::Json => {
            let mut report = json!({
                "by": key_column.key,
                "currency": currency,
                "groups": groups,
            });
            if let (Some(totals), Value::Object(report)) = (totals, &mut report) {
                report.insert("totals".into(), Value::Object(totals));
            }
            // How well the score and the model ranked the leads closed in the period.
            report["score_auc"] = json!(ranking.score_auc.map(|auc| round_to(auc, 3)));
            report["model_auc"] = json!(ranking.model_auc.map(|auc| round_to(auc, 3)));
            report["funnel"] = Value::Array(funnel);
            write_json(&mut out, &report, Format::Json)?;
        }
        Format::Table if groups.is_empty() => {
            ctx.say("no leads to report");
        }
        Format::Table => {
            let table = Table {
                columns: &columns,
                groups: &rows,
                currency: currency.filter(|_| money),
                title,
                bars: tallies
                    .iter()
                    .map(|t| (group_name(t).to_string(), t.leads))
                    .collect(),
                reached: report.funnel.reached,
                funnel: &funnel,
            };
            write_table(&mut out, &table, ctx)?;
            if let Some(note) = ranking_note(&ranking) {
                out.flush()?;
                ctx.say(note);
            }
        }
        Format::Csv | Format::Tsv => {
            write_records(&mut out, args.format, &columns, &rows)?;
        }
        Format::Ndjson => {
            write_records(&mut out, args.format, &columns, &groups)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// What the groups are, the key column that names them, and the title of their bars.
fn grouping(
    by: ReportBy,
    store: &Store,
    period: Period,
) -> Result<(ReportGroup, Column, &'static str)> {
    Ok(match by {
        ReportBy::Source => (
            ReportGroup::Source,
            Column::text("source", "SOURCE").whole(),
            "Leads by source",
        ),
        ReportBy::SourceDetail => (
            ReportGroup::SourceDetail,
            Column::text("source_detail", "SOURCE DETAIL").whole(),
            "Leads by source detail",
        ),
        ReportBy::Month => (
            ReportGroup::Month(local_months(store.report_span(period)?, &Local)),
            Column::text("month", "MONTH").whole(),
            "Leads by month",
        ),
        // Its own report (`by_cadence`), dispatched before the groups are made.
        ReportBy::Cadence => anyhow::bail!("the cadence report has no source groups"),
    })
}

/// The report as a person reads it.
struct Table<'a> {
    columns: &'a [Column],
    groups: &'a [Value],
    /// The label under the table, when amounts are shown and a currency is set.
    currency: Option<String>,
    title: &'static str,
    /// Leads per group, for the bars.
    bars: Vec<(String, u64)>,
    reached: [u64; Status::ALL.len()],
    funnel: &'a [Value],
}

/// The groups' table, their bars, and the funnel as bars and as a table.
fn write_table(out: &mut dyn Write, table: &Table<'_>, ctx: &Ctx) -> Result<()> {
    write_records(out, Format::Table, table.columns, table.groups)?;
    if let Some(currency) = &table.currency {
        writeln!(
            out,
            "amounts in {currency}; ROI = (revenue - spend) / spend"
        )?;
    }
    let blocks = ctx.stdout_terminal;
    heading(out, table.title, &ctx.style)?;
    bar_chart(out, &table.bars, BAR_WIDTH, blocks)?;
    let stages: Vec<(String, u64)> = Status::ALL
        .iter()
        .zip(table.reached)
        .map(|(status, leads)| (status.as_str().to_string(), leads))
        .collect();
    heading(out, "Funnel (leads that reached each stage)", &ctx.style)?;
    bar_chart(out, &stages, BAR_WIDTH, blocks)?;
    writeln!(out)?;
    write_records(out, Format::Table, &FUNNEL_COLUMNS, table.funnel)?;
    Ok(())
}

/// "leads closed in the period (12 won, 30 lost) ranked by the score: AUC 0.71; by the
/// learned model: 0.78": a note under the table (None when the period closed no won or no
/// lost lead).
fn ranking_note(ranking: &Ranking) -> Option<String> {
    let score_auc = ranking.score_auc?;
    let model = ranking.model_auc.map_or(String::new(), |auc| {
        format!("; by the learned model: {auc:.2}")
    });
    Some(format!(
        "leads closed in the period ({} won, {} lost) ranked by the score: AUC {score_auc:.2}{model}",
        ranking.won, ranking.lost
    ))
}

/// `--since` and `--until`: leads created, spend dated, from since up to (not including)
/// until.
fn period(args: &ReportArgs, ctx: &Ctx) -> Result<Period> {
    let since = match &args.since {
        Some(text) => Some(ctx.when_past("--since", text)?),
        None => None,
    };
    let until = match &args.until {
        Some(text) => Some(ctx.when("--until", text)?),
        None => None,
    };
    if let (Some(since), Some(until)) = (since, until) {
        if until <= since {
            return Err(bad_input(format!(
                "--until ({}) must be after --since ({}): the period is from --since up to \
                 --until",
                crate::output::local(until),
                crate::output::local(since)
            )));
        }
    }
    Ok(Period { since, until })
}

/// Largest group first (then by name); months in calendar order.
fn sort_groups(tallies: &mut [GroupTally], by: ReportBy) {
    match by {
        ReportBy::Month => tallies.sort_by(|a, b| a.group.cmp(&b.group)),
        _ => tallies.sort_by(|a, b| {
            b.leads
                .cmp(&a.leads)
                .then_with(|| group_name(a).cmp(group_name(b)))
        }),
    }
}

/// The months from the first moment's to the last's, in the time zone `tz` ("2026-03"
/// holds what happened in March there).
fn local_months<Tz: TimeZone>(span: Option<(DateTime<Utc>, DateTime<Utc>)>, tz: &Tz) -> Months {
    let Some((first, last)) = span else {
        return Months::new(Vec::new());
    };
    let (first, last) = (first.with_timezone(tz), last.with_timezone(tz));
    let (mut year, mut month) = (first.year(), first.month());
    let mut months = Vec::new();
    while (year, month) <= (last.year(), last.month()) {
        // Midnight may not exist (a daylight-saving jump); then the first hour that does.
        let start = (0..3)
            .find_map(|hour| tz.with_ymd_and_hms(year, month, 1, hour, 0, 0).earliest())
            .map(|start| start.with_timezone(&Utc));
        if let Some(start) = start {
            months.push((start, format!("{year:04}-{month:02}")));
        }
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    Months::new(months)
}

fn group_name(tally: &GroupTally) -> &str {
    tally.group.as_deref().unwrap_or(NO_GROUP)
}

/// One group's figures as a record. Sorts its day lists (for the medians).
fn summarize(tally: &mut GroupTally, key: &str) -> Map<String, Value> {
    let count = |status: Status| tally.by_status[status.index()];
    let contacted = tally.leads - count(Status::New);
    let won = count(Status::Won);
    let lost = count(Status::Lost);
    // A figure with nothing to measure is null (an empty cell), never 0.
    let mean_score =
        (tally.leads > 0).then(|| round_to(tally.score_total as f64 / tally.leads as f64, 1));
    let record = json!({
        key: group_name(tally),
        "leads": tally.leads,
        "contacted": contacted,
        "qualified_pct": percent(tally.reached_qualified, tally.leads),
        "won_pct": percent(won, tally.leads),
        "lost_pct": percent(lost, tally.leads),
        "mean_score": mean_score,
        "median_days_to_qualify": median(&mut tally.days_to_qualify),
        "median_days_to_win": median(&mut tally.days_to_win),
    });
    match record {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A group's money: its spend, what a lead and a win cost, the revenue of its won deals
/// and the return on the spend. A figure that would divide by zero is null.
fn money_figures(tally: &GroupTally) -> Map<String, Value> {
    let won = tally.by_status[Status::Won.index()];
    let per = |count: u64| (count > 0).then(|| round_to(tally.spend / count as f64, 2));
    let roi = (tally.spend > 0.0).then(|| round_to((tally.revenue - tally.spend) / tally.spend, 2));
    let figures = json!({
        "spend": round_to(tally.spend, 2),
        "cost_per_lead": per(tally.leads),
        "cost_per_win": per(won),
        "revenue": round_to(tally.revenue, 2),
        "roi": roi,
    });
    match figures {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A group's open deals: the sum of their values (the pipeline) and the forecast; both
/// null for a group with no open lead with a value.
fn pipeline_figures(tally: &GroupTally) -> Map<String, Value> {
    let amount = |sum: f64| (tally.open_deals > 0).then(|| round_to(sum, 2));
    let mut figures = Map::new();
    figures.insert("pipeline".into(), json!(amount(tally.pipeline)));
    figures.insert("forecast".into(), json!(amount(tally.forecast)));
    figures
}

/// The open deals of every group together.
fn total_pipeline(tallies: &[GroupTally]) -> GroupTally {
    tallies
        .iter()
        .fold(GroupTally::default(), |mut total, tally| {
            total.open_deals += tally.open_deals;
            total.pipeline += tally.pipeline;
            total.forecast += tally.forecast;
            total
        })
}

/// The funnel as records: per stage the leads that reached it, the share of those that
/// reached the stage before (along the pipeline; none for the first stage and the
/// closing ones, which can follow any stage), and the median days it took.
fn funnel_records(funnel: &Funnel) -> Vec<Value> {
    let mut days = funnel.days.clone();
    Status::ALL
        .iter()
        .enumerate()
        .map(|(position, status)| {
            let along_pipeline = (1..=4).contains(&position);
            let conversion = along_pipeline
                .then(|| percent(funnel.reached[position], funnel.reached[position - 1]))
                .flatten();
            json!({
                "status": status.as_str(),
                "leads": funnel.reached[position],
                "conversion_pct": conversion,
                "median_days": median(&mut days[position]),
            })
        })
        .collect()
}

/// `part` as a percentage of `whole`, to one decimal; none of nothing (0/0 is no figure).
pub(super) fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round_to(part as f64 * 100.0 / whole as f64, 1))
}

/// The median (the mean of the middle two for an even count), to one decimal.
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    let median = if values.len() % 2 == 0 {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    };
    Some(round_to(median, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::test_support::at;

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0]), Some(5.0));
        assert_eq!(median(&mut [9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(&mut [10.0, 1.0, 2.0, 4.0]), Some(3.0));
        assert_eq!(median(&mut [1.0, 2.0]), Some(1.5));
    }

    #[test]
    fn percentages_round_to_one_decimal() {
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(4, 4), Some(100.0));
    }

    #[test]
    fn money_divides_only_by_what_is_not_zero() {
        let mut tally = GroupTally {
            leads: 3,
            spend: 800.0,
            revenue: 3000.0,
            ..GroupTally::default()
        };
        tally.by_status[4] = 2;
        assert_eq!(
            Value::Object(money_figures(&tally)),
            json!({"spend": 800.0, "cost_per_lead": 266.67, "cost_per_win": 400.0,
                   "revenue": 3000.0, "roi": 2.75})
        );
        let free = GroupTally {
            leads: 2,
            ..GroupTally::default()
        };
        assert_eq!(
            Value::Object(money_figures(&free)),
            json!({"spend": 0.0, "cost_per_lead": 0.0, "cost_per_win": null,
                   "revenue": 0.0, "roi": null})
        );
    }

    #[test]
    fn a_group_without_open_deals_has_no_pipeline_and_a_deal_of_nothing_has_one_of_zero() {
        let none = GroupTally::default();
        assert_eq!(
            Value::Object(pipeline_figures(&none)),
            json!({"pipeline": null, "forecast": null})
        );
        let free = GroupTally {
            open_deals: 1,
            ..GroupTally::default()
        };
        assert_eq!(
            Value::Object(pipeline_figures(&free)),
            json!({"pipeline": 0.0, "forecast": 0.0})
        );
        let two = GroupTally {
            open_deals: 2,
            pipeline: 4000.0,
            forecast: 2500.004,
            ..GroupTally::default()
        };
        let total = total_pipeline(&[none, free, two]);
        assert_eq!(
            Value::Object(pipeline_figures(&total)),
            json!({"pipeline": 4000.0, "forecast": 2500.0})
        );
    }

    #[test]
    fn months_follow_the_local_calendar() {
        let auckland = chrono::FixedOffset::east_opt(13 * 3600).unwrap();
        let months = local_months(
            Some((at("2026-01-31T12:00:00Z"), at("2026-03-01T00:00:00Z"))),
            &auckland,
        );
        // 12:00 UTC on Jan 31 is already February 1 in Auckland.
        assert_eq!(
            months,
            Months::new(vec![
                (at("2026-01-31T11:00:00Z"), "2026-02".into()),
                (at("2026-02-28T11:00:00Z"), "2026-03".into()),
            ])
        );
        assert_eq!(local_months(None, &Utc), Months::new(Vec::new()));
    }
}

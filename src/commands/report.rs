//! `leads report`: which sources bring leads that qualify and win, and the funnel.
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::{refresh_scores, Ctx};
use crate::cli::{Format, ReportArgs, ReportBy};
use crate::model::Status;
use crate::output::{bar_chart, heading, write_json, write_records, Column};
use crate::store::{GroupTally, ReportGroup};

/// The name of the group of leads with no source (or no source detail).
const NO_GROUP: &str = "(none)";
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

pub fn run(args: ReportArgs, ctx: &Ctx) -> Result<()> {
    let since = match &args.since {
        Some(text) => Some(ctx.when_past("--since", text)?),
        None => None,
    };
    let (group, key_column) = match args.by {
        ReportBy::Source => (ReportGroup::Source, Column::text("source", "SOURCE")),
        ReportBy::SourceDetail => (
            ReportGroup::SourceDetail,
            Column::text("source_detail", "SOURCE DETAIL"),
        ),
    };
    let store = ctx.open_store_to_read()?;
    // Mean scores read the stored scores: bring them up to date first, as `list` does.
    refresh_scores(&store, &store.profile()?, ctx.clock())?;
    let mut tallies = store.report_tallies(group, since)?;
    tallies.sort_by(|a, b| {
        b.leads
            .cmp(&a.leads)
            .then_with(|| group_name(a).cmp(group_name(b)))
    });
    let groups: Vec<Value> = tallies
        .iter_mut()
        .map(|tally| summarize(tally, key_column.key))
        .collect();
    let funnel = funnel(&tallies);

    let mut columns = vec![key_column];
    columns.extend(FIGURE_COLUMNS);
    let mut out = ctx.stdout();
    match args.format {
        Format::Json => {
            let by = key_column.key;
            let funnel: Vec<Value> = funnel
                .iter()
                .map(|(status, leads)| json!({"status": status.as_str(), "leads": leads}))
                .collect();
            let report = json!({"by": by, "groups": groups, "funnel": funnel});
            write_json(&mut out, &report, Format::Json)?;
        }
        Format::Table if groups.is_empty() => {
            ctx.say("no leads to report");
        }
        Format::Table => {
            write_records(&mut out, Format::Table, &columns, &groups)?;
            let blocks = ctx.stdout_terminal;
            let by_group: Vec<(String, u64)> = tallies
                .iter()
                .map(|t| (group_name(t).to_string(), t.leads))
                .collect();
            let title = match args.by {
                ReportBy::Source => "Leads by source",
                ReportBy::SourceDetail => "Leads by source detail",
            };
            heading(&mut out, title, &ctx.style)?;
            bar_chart(&mut out, &by_group, BAR_WIDTH, blocks)?;
            let funnel: Vec<(String, u64)> = funnel
                .iter()
                .map(|(status, leads)| (status.as_str().to_string(), *leads))
                .collect();
            heading(&mut out, "Funnel", &ctx.style)?;
            bar_chart(&mut out, &funnel, BAR_WIDTH, blocks)?;
        }
        Format::Csv | Format::Tsv | Format::Ndjson => {
            write_records(&mut out, args.format, &columns, &groups)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn group_name(tally: &GroupTally) -> &str {
    tally.group.as_deref().unwrap_or(NO_GROUP)
}

/// One group's figures as a record. Sorts its day lists (for the medians).
fn summarize(tally: &mut GroupTally, key: &str) -> Value {
    let count = |status: Status| {
        Status::ALL
            .iter()
            .position(|s| *s == status)
            .map_or(0, |p| tally.by_status[p])
    };
    let contacted = tally.leads - count(Status::New);
    let won = count(Status::Won);
    let lost = count(Status::Lost);
    let mean_score = if tally.leads == 0 {
        0.0
    } else {
        one_decimal(tally.score_total as f64 / tally.leads as f64)
    };
    json!({
        key: group_name(tally),
        "leads": tally.leads,
        "contacted": contacted,
        "qualified_pct": percent(tally.reached_qualified, tally.leads),
        "won_pct": percent(won, tally.leads),
        "lost_pct": percent(lost, tally.leads),
        "mean_score": mean_score,
        "median_days_to_qualify": median(&mut tally.days_to_qualify),
        "median_days_to_win": median(&mut tally.days_to_win),
    })
}

/// Leads per status over every group, in pipeline order.
fn funnel(tallies: &[GroupTally]) -> Vec<(Status, u64)> {
    Status::ALL
        .iter()
        .enumerate()
        .map(|(position, status)| (*status, tallies.iter().map(|t| t.by_status[position]).sum()))
        .collect()
}

/// `part` as a percentage of `whole`, to one decimal.
fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        one_decimal(part as f64 * 100.0 / whole as f64)
    }
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
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
    Some(one_decimal(median))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(0, 0), 0.0);
        assert_eq!(percent(4, 4), 100.0);
    }
}

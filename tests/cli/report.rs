//! `leads report`: figures equal the hand-computed ones, `--since`, `--by source-detail`,
//! CSV, the table's bars, figures with nothing to measure, group names never cut, and
//! leads imported already won.

use serde_json::{json, Value};

use crate::harness::*;

/// Five leads with a known history:
/// - referral A: created Jan 1, qualified Jan 11, won Jan 21 12:00 (score from add)
/// - referral B: created Jan 1, qualified Jan 3, lost Jan 4
/// - referral C: created Jan 1, contacted Jan 2
/// - web_form D: created Feb 1, new
/// - (none) E: created Feb 1, disqualified Feb 2
fn fixture() -> (Env, Vec<i64>) {
    let env = Env::new();
    let jan = "2026-01-01T00:00:00Z";
    let mut ids = Vec::new();
    for (name, source) in [
        ("Ann A", "referral"),
        ("Bob B", "referral"),
        ("Cy C", "referral"),
    ] {
        let out = env
            .run_at(jan, &["add", name, "--source", source])
            .success();
        ids.push(out.stdout.trim().parse::<i64>().expect("test value"));
    }
    let feb = "2026-02-01T00:00:00Z";
    let out = env
        .run_at(feb, &["add", "Di D", "--source", "web_form"])
        .success();
    ids.push(out.stdout.trim().parse().expect("test value"));
    let out = env.run_at(feb, &["add", "Ed E"]).success();
    ids.push(out.stdout.trim().parse().expect("test value"));
    let moves = [
        (ids[0], "2026-01-11T00:00:00Z", "qualified"),
        (ids[0], "2026-01-21T12:00:00Z", "won"),
        (ids[1], "2026-01-03T00:00:00Z", "qualified"),
        (ids[1], "2026-01-04T00:00:00Z", "lost"),
        (ids[2], "2026-01-02T00:00:00Z", "contacted"),
        (ids[4], "2026-02-02T00:00:00Z", "disqualified"),
    ];
    for (id, at, status) in moves {
        env.run_at(
            at,
            &["status", &id.to_string(), status, "--reason", "fixture"],
        )
        .success();
    }
    (env, ids)
}

fn group<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .expect("test value")
        .iter()
        .find(|g| g["source"] == name)
        .unwrap_or_else(|| panic!("no group {name} in {report}"))
}

#[test]
fn report_figures_with_nothing_to_measure_are_null_and_empty() {
    let env = Env::new();
    env.add(&["Ann", "--email", "ann@x.test", "--source", "referral"]);
    let report = env.run(&["report", "--format", "json"]).success().json();
    let conversions: Vec<_> = report["funnel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| stage["conversion_pct"].clone())
        .collect();
    // 1 of 1 new lead reached contacted: 0.0; nobody reached contacted: no figure after.
    assert_eq!(
        conversions,
        vec![
            json!(null),
            json!(0.0),
            json!(null),
            json!(null),
            json!(null),
            json!(null),
            json!(null)
        ]
    );
    // A source with spend and no lead: its shares and mean are null, not 0.
    env.run(&["spend", "add", "trade_show", "5000"]).success();
    for by in ["source", "month", "source-detail"] {
        let report = env
            .run(&["report", "--by", by, "--format", "json"])
            .success()
            .json();
        for group in report["groups"].as_array().unwrap() {
            if group["leads"] == 0 {
                for key in [
                    "qualified_pct",
                    "won_pct",
                    "lost_pct",
                    "mean_score",
                    "cost_per_lead",
                ] {
                    assert_eq!(group[key], json!(null), "--by {by}: {key} in {group}");
                }
            }
        }
    }
    env.run(&["report", "--format", "csv"]).success().stdout_is(
        "source,leads,contacted,qualified_pct,won_pct,lost_pct,mean_score,median_days_to_qualify,median_days_to_win,spend,cost_per_lead,cost_per_win,revenue,roi\n\
         referral,1,0,0.0,0.0,0.0,13.0,,,0.00,0.00,,0.00,\n\
         trade_show,0,0,,,,,,,5000.00,,,0.00,-1.00\n",
    );
    let table = env.run(&["report"]).success();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "SOURCE      LEADS  CONTACTED  QUALIFIED %  WON %  LOST %  MEAN SCORE  DAYS TO QUALIFY  DAYS TO WIN    SPEND  COST/LEAD  COST/WIN  REVENUE    ROI",
            "referral        1          0          0.0    0.0     0.0        13.0                                   0.00       0.00               0.00",
            "trade_show      0          0                                                                        5000.00                          0.00  -1.00",
        ]
    );
}

#[test]
fn a_report_never_cuts_the_name_of_its_group() {
    // Two campaigns cut to one label would read as one.
    let env = Env::new();
    for detail in ["Expo 2026 Hall A", "Expo 2026 Hall B"] {
        env.add(&["Lee", "--source", "trade_show", "--source-detail", detail]);
    }
    let (code, out) = env.on_terminal(
        &[("COLUMNS", "60"), ("NO_COLOR", "1")],
        &["report", "--by", "source-detail"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Expo 2026 Hall A "), "{out}");
    assert!(out.contains("Expo 2026 Hall B "), "{out}");
}

#[test]
fn report_figures_equal_the_hand_computed_ones() {
    let (env, ids) = fixture();
    let scores: Vec<i64> = ids
        .iter()
        .map(|id| env.show(*id)["score"].as_i64().expect("test value"))
        .collect();
    let report = env.run(&["report", "--format", "json"]).success().json();
    assert_eq!(report["by"], "source");
    let referral = group(&report, "referral");
    let mean = ((scores[0] + scores[1] + scores[2]) as f64 / 3.0 * 10.0).round() / 10.0;
    assert_eq!(
        referral,
        &json!({
            "source": "referral",
            "leads": 3,
            "contacted": 3,
            "qualified_pct": 66.7,
            "won_pct": 33.3,
            "lost_pct": 33.3,
            "mean_score": mean,
            // A took 10 days, B took 2: the median of two is their mean.
            "median_days_to_qualify": 6.0,
            "median_days_to_win": 20.5,
        })
    );
    let web = group(&report, "web_form");
    assert_eq!(
        (&web["leads"], &web["contacted"], &web["qualified_pct"]),
        (&json!(1), &json!(0), &json!(0.0))
    );
    assert_eq!(web["median_days_to_qualify"], Value::Null);
    let none = group(&report, "(none)");
    assert_eq!((&none["leads"], &none["contacted"]), (&json!(1), &json!(1)));
    // Largest group first.
    assert_eq!(report["groups"][0]["source"], "referral");
    // Leads that reached each stage: A and B skipped contacted and nurturing.
    let reached: Vec<&Value> = report["funnel"]
        .as_array()
        .expect("test value")
        .iter()
        .map(|stage| &stage["leads"])
        .collect();
    assert_eq!(reached, [5, 3, 2, 2, 1, 1, 1]);
}

#[test]
fn report_since_counts_only_newer_leads() {
    let (env, _) = fixture();
    let report = env
        .run(&["report", "--since", "2026-01-15", "--format", "json"])
        .success()
        .json();
    let groups: Vec<&str> = report["groups"]
        .as_array()
        .expect("test value")
        .iter()
        .map(|g| g["source"].as_str().expect("test value"))
        .collect();
    assert_eq!(groups, ["(none)", "web_form"]);
    env.run(&["report", "--since", "someday"])
        .failure(65)
        .stderr_has("--since");
}

#[test]
fn report_by_source_detail_and_in_csv() {
    let env = Env::new();
    env.add(&[
        "Ann",
        "--source",
        "trade_show",
        "--source-detail",
        "Expo 2026",
    ]);
    env.add(&["Bob", "--source", "trade_show"]);
    let report = env
        .run(&["report", "--by", "source-detail", "--format", "json"])
        .success()
        .json();
    assert_eq!(report["by"], "source_detail");
    let names: Vec<&str> = report["groups"]
        .as_array()
        .expect("test value")
        .iter()
        .map(|g| g["source_detail"].as_str().expect("test value"))
        .collect();
    assert_eq!(names, ["(none)", "Expo 2026"]);
    let csv = env.run(&["report", "--format", "csv"]).success().stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "source,leads,contacted,qualified_pct,won_pct,lost_pct,mean_score,median_days_to_qualify,median_days_to_win"
    );
    assert!(lines[1].starts_with("trade_show,2,0,0.0,0.0,0.0,"), "{csv}");
    assert!(lines[1].ends_with(",,"), "{csv}");
}

#[test]
fn report_table_draws_bars_for_sources_and_the_funnel() {
    let (env, _) = fixture();
    let table = env.run(&["report"]).success().stdout;
    assert!(table.starts_with("SOURCE "), "{table}");
    assert!(table.contains("\nLeads by source\n"), "{table}");
    assert!(
        table.contains("\nFunnel (leads that reached each stage)\n"),
        "{table}"
    );
    // Not a terminal: plain '#' bars, the largest 40 wide.
    assert!(
        table.contains(&format!("referral  3  {}\n", "#".repeat(40))),
        "{table}"
    );
    assert!(
        table.contains(&format!("\nnurturing     2  {}\n", "#".repeat(16))),
        "{table}"
    );
    assert!(!table.contains('\x1b'), "{table}");
}

#[test]
fn report_on_an_empty_database_says_so() {
    let env = Env::new();
    env.create_db();
    env.run(&["report"]).success().stdout_is("");
    let report = env.run(&["report", "--format", "json"]).success().json();
    assert_eq!(report["groups"], json!([]));
    assert_eq!(
        report["funnel"][0],
        json!({"status": "new", "leads": 0, "conversion_pct": null, "median_days": null})
    );
}

#[test]
fn leads_imported_already_won_count_as_won_but_not_in_the_days_to_win() {
    let env = Env::new();
    let file = env.write(
        "closed.csv",
        "Name,Email,Lead Source,Lead Status,Created Date\n\
         Ada Lovelace,ada@example.test,Referral,Closed - Converted,2025-01-10\n",
    );
    env.run(&["import", &file]).success();
    let id = env.add(&["Bo Brown", "--source", "referral"]).to_string();
    env.run_at("2026-03-11T09:00:00Z", &["status", &id, "won"])
        .success();
    let report = env
        .run_at("2026-03-11T09:00:00Z", &["report", "--format", "json"])
        .success()
        .json();
    let referral = &report["groups"][0];
    assert_eq!(referral["leads"], 2);
    assert_eq!(referral["won_pct"], 100.0);
    // Only Bo's win was seen happening: 10 days after he was added.
    assert_eq!(referral["median_days_to_win"], 10.0);
}

//! Source return on investment: `spend`, deal values, the report's money columns, its
//! period and months, and the funnel of stages reached.
use serde_json::{json, Value};

use crate::harness::*;

/// A lead that arrives already won, with its deal amount, from a CRM export.
const WON_IMPORT: &str =
    "First Name,Last Name,Email,Lead Source,Lead Status,Created Date,Amount,Annual Revenue
Gus,Grey,gus@example.com,Purchased List,Closed - Converted,2026-01-10 09:00:00,\"1,500.00\",5000000
";

/// Seven leads with a known history (all times 09:00 UTC), and five spends:
/// - 1 Ann   trade_show "Expo 2026", created Jan 5: contacted Jan 7, qualified Jan 15, won Jan 25 (12,000)
/// - 2 Bob   trade_show "Expo 2026", created Jan 5: contacted Jan 6, lost Jan 20
/// - 3 Cy    trade_show "Fair 2026", created Feb 3: new
/// - 4 Di    webinar, created Feb 10: qualified Feb 12 (skipped two stages), won Feb 22 (3,000)
/// - 5 Ed    webinar, created Feb 11: disqualified Feb 12
/// - 6 Flo   no source, created Jan 20: contacted Jan 21, nurturing Jan 31
/// - 7 Gus   purchased_list, imported already won, created Jan 10 (1,500)
/// - spend: trade_show 5,000 "Expo 2026" Jan 2; trade_show 1,000 "Fair 2026" Feb 1;
///   webinar 0 Feb 1; purchased_list 800 Jan 1; advertising 2,000 Dec 15 2025.
fn history() -> Env {
    let env = Env::new();
    let day = |date: &str| format!("{date}T09:00:00Z");
    let leads = [
        ("Ann", Some(("trade_show", "Expo 2026")), "2026-01-05"),
        ("Bob", Some(("trade_show", "Expo 2026")), "2026-01-05"),
        ("Cy", Some(("trade_show", "Fair 2026")), "2026-02-03"),
        ("Di", Some(("webinar", "")), "2026-02-10"),
        ("Ed", Some(("webinar", "")), "2026-02-11"),
        ("Flo", None, "2026-01-20"),
    ];
    for (name, source, created) in leads {
        let mut args = vec!["add", name];
        if let Some((source, detail)) = source {
            args.extend(["--source", source]);
            if !detail.is_empty() {
                args.extend(["--source-detail", detail]);
            }
        }
        env.run_at(&day(created), &args).success();
    }
    let moves: [(&str, &str, &str, Option<&str>); 10] = [
        ("1", "2026-01-07", "contacted", None),
        ("1", "2026-01-15", "qualified", None),
        ("1", "2026-01-25", "won", Some("12000")),
        ("2", "2026-01-06", "contacted", None),
        ("2", "2026-01-20", "lost", None),
        ("4", "2026-02-12", "qualified", None),
        ("4", "2026-02-22", "won", Some("3,000.00")),
        ("5", "2026-02-12", "disqualified", None),
        ("6", "2026-01-21", "contacted", None),
        ("6", "2026-01-31", "nurturing", None),
    ];
    for (id, at, status, value) in moves {
        let mut args = vec!["status", id, status, "--reason", "history"];
        if let Some(value) = value {
            args.extend(["--value", value]);
        }
        env.run_at(&day(at), &args).success();
    }
    let file = env.write("won.csv", WON_IMPORT);
    env.run(&["import", &file]).success();
    let spends: [&[&str]; 5] = [
        &[
            "trade_show",
            "5000",
            "--detail",
            "Expo 2026",
            "--on",
            "2026-01-02",
        ],
        &[
            "trade_show",
            "1000",
            "--detail",
            "Fair 2026",
            "--on",
            "2026-02-01",
        ],
        &[
            "webinar",
            "0",
            "--on",
            "2026-02-01",
            "--note",
            "our own webinar",
        ],
        &["purchased_list", "800", "--on", "2026-01-01"],
        &["advertising", "2000", "--on", "2025-12-15"],
    ];
    for spend in spends {
        let mut args = vec!["spend", "add"];
        args.extend_from_slice(spend);
        env.run(&args).success();
    }
    env
}

fn report(env: &Env, args: &[&str]) -> Value {
    let mut full = vec!["report", "--format", "json"];
    full.extend_from_slice(args);
    env.run(&full).success().json()
}

/// The money of each group, by the group's name.
fn money(report: &Value, key: &str) -> Vec<(String, Value)> {
    report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|group| {
            let name = group[key].as_str().expect("group name").to_string();
            let figures = json!({
                "leads": group["leads"],
                "spend": group["spend"],
                "cost_per_lead": group["cost_per_lead"],
                "cost_per_win": group["cost_per_win"],
                "revenue": group["revenue"],
                "roi": group["roi"],
            });
            (name, figures)
        })
        .collect()
}

fn figures(
    leads: u64,
    spend: f64,
    per_lead: Value,
    per_win: Value,
    revenue: f64,
    roi: Value,
) -> Value {
    json!({
        "leads": leads,
        "spend": spend,
        "cost_per_lead": per_lead,
        "cost_per_win": per_win,
        "revenue": revenue,
        "roi": roi,
    })
}

#[test]
fn money_per_source_equals_the_hand_computed_figures() {
    let env = history();
    let report = report(&env, &[]);
    let null = Value::Null;
    assert_eq!(
        money(&report, "source"),
        vec![
            // (12000 - 6000) / 6000
            (
                "trade_show".into(),
                figures(3, 6000.0, json!(2000.0), json!(6000.0), 12000.0, json!(1.0))
            ),
            // Zero spend: a lead cost nothing, and the return on nothing is not a number.
            (
                "webinar".into(),
                figures(2, 0.0, json!(0.0), json!(0.0), 3000.0, null.clone())
            ),
            (
                "(none)".into(),
                figures(1, 0.0, json!(0.0), null.clone(), 0.0, null.clone())
            ),
            // (1500 - 800) / 800 = 0.875
            (
                "purchased_list".into(),
                figures(1, 800.0, json!(800.0), json!(800.0), 1500.0, json!(0.88))
            ),
            // Spend and no lead at all: every cent lost.
            (
                "advertising".into(),
                figures(0, 2000.0, null.clone(), null, 0.0, json!(-1.0))
            ),
        ]
    );
    let trade_show = &report["groups"][0];
    assert_eq!(
        (
            &trade_show["contacted"],
            &trade_show["qualified_pct"],
            &trade_show["won_pct"],
            &trade_show["median_days_to_qualify"],
            &trade_show["median_days_to_win"],
        ),
        (
            &json!(2),
            &json!(33.3),
            &json!(33.3),
            &json!(10.0),
            &json!(20.0)
        )
    );
}

#[test]
fn the_json_keys_are_the_contract() {
    let env = history();
    let report = report(&env, &[]);
    let keys: Vec<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "by",
            "currency",
            "groups",
            "score_auc",
            "model_auc",
            "funnel"
        ]
    );
    let group: Vec<&str> = report["groups"][0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        group,
        [
            "source",
            "leads",
            "contacted",
            "qualified_pct",
            "won_pct",
            "lost_pct",
            "mean_score",
            "median_days_to_qualify",
            "median_days_to_win",
            "spend",
            "cost_per_lead",
            "cost_per_win",
            "revenue",
            "roi",
        ]
    );
    let stage: Vec<&str> = report["funnel"][0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(stage, ["status", "leads", "conversion_pct", "median_days"]);
}

#[test]
fn no_money_no_money_columns() {
    let env = Env::new();
    env.add(&["Ann", "--source", "referral"]);
    let report = report(&env, &[]);
    assert_eq!(report["groups"][0].get("spend"), None);
    assert_eq!(report["groups"][0].get("roi"), None);
    assert_eq!(report["currency"], Value::Null);
    let csv = env.run(&["report", "--format", "csv"]).success().stdout;
    assert!(!csv.contains("spend"), "{csv}");
}

#[test]
fn the_funnel_counts_stages_reached_with_conversions_and_median_days() {
    let env = history();
    let report = report(&env, &[]);
    // Di went from new to qualified and Gus arrived won: both reached contacted and
    // nurturing. Only moves count in the days: Gus's arrival took no time to measure.
    assert_eq!(
        report["funnel"],
        json!([
            {"status": "new", "leads": 7, "conversion_pct": null, "median_days": null},
            {"status": "contacted", "leads": 5, "conversion_pct": 71.4, "median_days": 1.0},
            {"status": "nurturing", "leads": 4, "conversion_pct": 80.0, "median_days": 10.0},
            {"status": "qualified", "leads": 3, "conversion_pct": 75.0, "median_days": 5.0},
            {"status": "won", "leads": 3, "conversion_pct": 100.0, "median_days": 10.0},
            {"status": "lost", "leads": 1, "conversion_pct": null, "median_days": 14.0},
            {"status": "disqualified", "leads": 1, "conversion_pct": null, "median_days": 1.0},
        ])
    );
    let table = env.run(&["report"]).success().stdout;
    assert!(
        table.contains("\nFunnel (leads that reached each stage)\nnew           7  ########################################\ncontacted     5  #############################\n"),
        "{table}"
    );
    assert!(
        table.contains("\nqualified           3             75.0          5.0\n"),
        "{table}"
    );
}

#[test]
fn the_period_counts_spend_by_its_date_and_leads_by_their_creation() {
    let env = history();
    let february = report(&env, &["--since", "2026-02-01", "--until", "2026-03-01"]);
    let null = Value::Null;
    assert_eq!(
        money(&february, "source"),
        vec![
            (
                "webinar".into(),
                figures(2, 0.0, json!(0.0), json!(0.0), 3000.0, null.clone())
            ),
            // Cy, new: Expo's spend and Ann's win were in January.
            (
                "trade_show".into(),
                figures(1, 1000.0, json!(1000.0), null, 0.0, json!(-1.0))
            ),
        ]
    );
    assert_eq!(february["funnel"][0]["leads"], 3);
    // The spend of December is outside a period from January on.
    let since = report(&env, &["--since", "2026-01-01"]);
    let names: Vec<String> = money(&since, "source")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(!names.contains(&"advertising".to_string()), "{names:?}");
    env.run(&["report", "--since", "2026-02-01", "--until", "2026-01-01"])
        .failure(65)
        .stderr_has("--until");
    env.run(&["report", "--until", "someday"])
        .failure(65)
        .stderr_has("--until");
}

#[test]
fn by_month_is_the_trend_and_by_source_detail_has_the_money_per_campaign() {
    let env = history();
    let null = Value::Null;
    let months = report(&env, &["--by", "month"]);
    assert_eq!(months["by"], "month");
    assert_eq!(
        money(&months, "month"),
        vec![
            (
                "2025-12".into(),
                figures(0, 2000.0, null.clone(), null.clone(), 0.0, json!(-1.0))
            ),
            // Ann, Bob, Flo and Gus; Ann and Gus won. (13500 - 5800) / 5800 = 1.3276
            (
                "2026-01".into(),
                figures(
                    4,
                    5800.0,
                    json!(1450.0),
                    json!(2900.0),
                    13500.0,
                    json!(1.33)
                )
            ),
            (
                "2026-02".into(),
                figures(3, 1000.0, json!(333.33), json!(1000.0), 3000.0, json!(2.0))
            ),
        ]
    );
    let campaigns = report(&env, &["--by", "source-detail"]);
    assert_eq!(
        money(&campaigns, "source_detail"),
        vec![
            // Di, Ed, Flo, Gus; the spend without a campaign: 0 + 800 + 2000.
            (
                "(none)".into(),
                figures(4, 2800.0, json!(700.0), json!(1400.0), 4500.0, json!(0.61))
            ),
            (
                "Expo 2026".into(),
                figures(2, 5000.0, json!(2500.0), json!(5000.0), 12000.0, json!(1.4))
            ),
            (
                "Fair 2026".into(),
                figures(1, 1000.0, json!(1000.0), null, 0.0, json!(-1.0))
            ),
        ]
    );
}

#[test]
fn months_are_the_sellers_local_months() {
    let env = Env::new();
    // 12:00 UTC on January 31 is already February 1 in Auckland.
    env.run_at("2026-01-31T12:00:00Z", &["add", "Ann"])
        .success();
    let month = |tz: &str| {
        let run = env
            .run_with_env(
                &[("TZ", tz)],
                &["report", "--by", "month", "--format", "json"],
            )
            .success();
        run.json()["groups"][0]["month"].clone()
    };
    assert_eq!(month("UTC"), "2026-01");
    assert_eq!(month("Pacific/Auckland"), "2026-02");
    assert_eq!(month("America/New_York"), "2026-01");
}

#[test]
fn spend_add_list_and_delete() {
    let env = Env::new();
    env.add(&["Ann", "--source", "trade_show"]);
    let id = env
        .run(&[
            "spend",
            "add",
            "Trade Show",
            "5,000.50",
            "--detail",
            "Expo 2026",
            "--on",
            "2026-02-10",
            "--note",
            "stand",
        ])
        .success()
        .stdout;
    assert_eq!(id, "1\n");
    // A synonym keeps the word it was given as the campaign.
    env.run(&["spend", "add", "LinkedIn", "300", "--on", "2026-02-11"])
        .success();
    let list = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        list,
        json!([
            {"id": 1, "on": "2026-02-10T00:00:00Z", "source": "trade_show", "detail": "Expo 2026",
             "amount": 5000.5, "note": "stand"},
            {"id": 2, "on": "2026-02-11T00:00:00Z", "source": "social", "detail": "LinkedIn",
             "amount": 300.0, "note": null},
        ])
    );
    env.run(&["config", "currency", "EUR"]).success();
    env.run(&["spend", "list"]).success().stdout_is(
        "ID  ON                SOURCE      DETAIL      AMOUNT  NOTE\n 1  2026-02-10 00:00  trade_show  Expo 2026  5000.50  stand\n 2  2026-02-11 00:00  social      LinkedIn    300.00\namounts in EUR\n",
    );
    env.run(&["spend", "delete", "2"]).success();
    env.run(&["spend", "delete", "2"])
        .failure(3)
        .stderr_has("no spend with id 2");
    let list = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
}

#[test]
fn bad_amounts_exit_65_naming_the_value_and_what_is_accepted() {
    let env = Env::new();
    let id = env.add(&["Ann"]).to_string();
    for bad in ["-5", "abc", "1.2.3", "1e3"] {
        env.run(&["spend", "add", "webinar", bad])
            .failure(65)
            .stderr_has(&format!(
                "invalid amount '{bad}' (expected a number of at least 0"
            ));
        env.run(&["status", &id, "won", "--value", bad])
            .failure(65)
            .stderr_has(&format!("'--value <AMOUNT>': invalid amount '{bad}'"));
        env.run(&["edit", &id, "--value", bad])
            .failure(65)
            .stderr_has(&format!("--value: invalid amount '{bad}'"));
    }
    // Nothing was written by the refused commands.
    assert_eq!(env.show(id.parse().expect("id"))["status"], "new");
    env.run(&["status", &id, "lost", "--value", "10"])
        .failure(65)
        .stderr_has("when it is won");
}

#[test]
fn a_near_miss_source_is_pointed_at_the_one_in_use() {
    let env = Env::new();
    env.add(&["Ann", "--source", "Podcast Guest"]);
    env.run(&["spend", "add", "podcast gest", "10"])
        .success()
        .stderr_has("no lead has the source 'podcast_gest' (did you mean 'podcast_guest'?)");
    env.run(&["spend", "add", "Podcast Guest", "10"]).success();
    let run = env.run(&["spend", "add", "webinar", "0"]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn deal_values_are_set_shown_exported_and_imported_again() {
    let env = Env::new();
    let id = env.add(&["Ann", "--email", "ann@example.com"]).to_string();
    env.run(&["status", &id, "won", "--value", "12000"])
        .success()
        .stderr_has("deal value 12000.00");
    assert_eq!(
        env.show(id.parse().expect("id"))["deal_value"],
        json!(12000.0)
    );
    env.run(&["edit", &id, "--value", "12500.75"]).success();
    assert_eq!(
        env.show(id.parse().expect("id"))["deal_value"],
        json!(12500.75)
    );
    let listed = env
        .run(&["list", "--status", "won", "--format", "json"])
        .success()
        .json();
    assert_eq!(listed[0]["deal_value"], json!(12500.75));

    let csv = env.run(&["export"]).success().stdout;
    assert!(
        csv.lines()
            .next()
            .expect("header")
            .ends_with(",deal_value,owner"),
        "{csv}"
    );
    let json = env.run(&["export", "--format", "json"]).success().json();
    assert_eq!(json[0]["deal_value"], json!(12500.75));
    let other = Env::new();
    let file = other.write("export.csv", &csv);
    other.run(&["import", &file]).success();
    assert_eq!(other.show(1)["deal_value"], json!(12500.75));

    env.run(&["edit", &id, "--value", ""]).success();
    assert_eq!(env.show(id.parse().expect("id"))["deal_value"], Value::Null);
}

#[test]
fn import_reads_deal_amounts_but_never_annual_revenue() {
    let env = Env::new();
    let file = env.write("won.csv", WON_IMPORT);
    env.run(&["import", &file]).success();
    let gus = env.show(1);
    assert_eq!(gus["deal_value"], json!(1500.0));
    assert_eq!(gus["status"], "won");
    assert_eq!(gus["attributes"]["Annual Revenue"], "5000000");
    let file = env.write(
        "deals.csv",
        "Name,Email,Opportunity Amount\nBo Bell,bo@example.com,800\nCy Cole,cy@example.com,lots\n",
    );
    env.run(&["import", &file]).success();
    assert_eq!(env.show(2)["deal_value"], json!(800.0));
    let cy = env.show(3);
    assert_eq!(cy["deal_value"], Value::Null);
    assert_eq!(cy["attributes"]["Opportunity Amount"], "lots");
}

#[test]
fn currency_labels_amounts() {
    let env = history();
    env.run(&["config", "currency"]).success().stdout_is("\n");
    env.run(&["config", "currency", "EUR"])
        .success()
        .stderr_has("currency = \"EUR\" (was none)");
    env.run(&["config", "currency"])
        .success()
        .stdout_is("EUR\n");
    let settings = env.run(&["config"]).success().stdout;
    assert!(
        settings.ends_with("\ncurrency = \"EUR\"\nagenda.cold_after = \"14d\"\n"),
        "{settings}"
    );
    assert_eq!(report(&env, &[])["currency"], "EUR");
    let table = env.run(&["report"]).success().stdout;
    assert!(
        table.contains("\namounts in EUR; ROI = (revenue - spend) / spend\n"),
        "{table}"
    );
    env.run(&["config", "currency", "default"]).success();
    assert_eq!(report(&env, &[])["currency"], Value::Null);
}

#[test]
fn the_guide_s_worked_example_is_what_report_prints() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/GUIDE.md"))
        .expect("the guide");
    let start = guide
        .find("<!-- roi example -->")
        .expect("the guide's worked example of a report");
    let block = &guide[start..];
    let open = block.find("```text\n").expect("a text block") + "```text\n".len();
    let close = block[open..].find("```").expect("its end");
    let example = &block[open..open + close];
    let env = history();
    env.run(&["config", "currency", "EUR"]).success();
    let out = env
        .run(&["report", "--since", "2026-01-01", "--until", "2026-03-01"])
        .success()
        .stdout;
    assert_eq!(out, example);
}

#[test]
fn spend_dates_are_local_days_and_count_in_local_months() {
    let env = Env::new();
    // March 1 in Auckland begins at 11:00 UTC on February 28.
    env.run_with_env(
        &[("TZ", "Pacific/Auckland")],
        &["spend", "add", "webinar", "100", "--on", "2026-03-01"],
    )
    .success();
    let list = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(list[0]["on"], "2026-02-28T11:00:00Z");
    let month = |tz: &str| {
        env.run_with_env(
            &[("TZ", tz)],
            &["report", "--by", "month", "--format", "json"],
        )
        .success()
        .json()["groups"][0]
            .clone()
    };
    let auckland = month("Pacific/Auckland");
    assert_eq!(
        (&auckland["month"], &auckland["spend"]),
        (&json!("2026-03"), &json!(100.0))
    );
    assert_eq!(month("UTC")["month"], "2026-02");
}

/// Scores a test can compute by hand: only fit counts, and a rule per industry gives it.
/// Ann (referral, alpha): score 40, open, 1,000; Bob (referral, beta): score 70, open,
/// 3,000; Cy (webinar): open, no value; Di (webinar): won 500; Ed (webinar): lost, 700.
fn open_deals() -> Env {
    open_deals_in(Env::new())
}

/// `open_deals`'s leads in `env`.
fn open_deals_in(env: Env) -> Env {
    env.run(&["config", "weights.engagement", "0"]).success();
    env.run(&["config", "weights.readiness", "0"]).success();
    env.run(&[
        "config",
        "rule",
        "add",
        "industry = alpha",
        "--points",
        "30",
    ])
    .success();
    env.run(&["config", "rule", "add", "industry = beta", "--points", "60"])
        .success();
    let ann = env.add(&["Ann", "--source", "referral", "--industry", "alpha"]);
    let bob = env.add(&["Bob", "--source", "referral", "--industry", "beta"]);
    env.add(&["Cy", "--source", "webinar"]);
    let di = env.add(&["Di", "--source", "webinar"]);
    let ed = env.add(&["Ed", "--source", "webinar"]);
    assert_eq!(
        (
            env.show(ann)["score"].clone(),
            env.show(bob)["score"].clone()
        ),
        (json!(40), json!(70))
    );
    env.run(&["edit", &ann.to_string(), "--value", "1000"])
        .success()
        .stderr_has("deal value 1000.00");
    env.run(&["edit", &bob.to_string(), "--value", "3000"])
        .success();
    env.run(&["status", &di.to_string(), "won", "--value", "500"])
        .success();
    env.run(&["status", &ed.to_string(), "lost"]).success();
    env.run(&["edit", &ed.to_string(), "--value", "700"])
        .success();
    env
}

#[test]
fn an_open_leads_deal_value_stays_as_it_moves_along() {
    let env = Env::new();
    let id = env.add(&["Ann", "--email", "ann@example.com"]);
    let text = id.to_string();
    env.run(&["edit", &text, "--value", "5000"])
        .success()
        .stderr_has("deal value 5000.00");
    for status in ["contacted", "nurturing", "qualified"] {
        env.run(&["status", &text, status]).success();
        let lead = env.show(id);
        assert_eq!(
            (&lead["status"], &lead["deal_value"]),
            (&json!(status), &json!(5000.0))
        );
    }
    env.run(&["qualify", &text, "--budget", "yes"]).success();
    env.run(&["log", &text, "call"]).success();
    assert_eq!(env.show(id)["deal_value"], json!(5000.0));
    // Won without --value: the expected amount is what it brought.
    env.run(&["status", &text, "won"]).success();
    assert_eq!(env.show(id)["deal_value"], json!(5000.0));
}

#[test]
fn an_import_that_updates_a_lead_updates_its_deal_value() {
    let env = Env::new();
    let id = env.add(&["Bo Bell", "--email", "bo@example.com"]);
    env.run(&["edit", &id.to_string(), "--value", "800"])
        .success();
    let file = env.write(
        "deals.csv",
        "Name,Email,Opportunity Amount\nBo Bell,bo@example.com,1200\n",
    );
    env.run(&["import", &file, "--on-duplicate", "update"])
        .success()
        .stderr_has("updated 1");
    assert_eq!(env.show(id)["deal_value"], json!(1200.0));
    // An empty cell changes nothing.
    let file = env.write(
        "no-amount.csv",
        "Name,Email,Opportunity Amount,Company\nBo Bell,bo@example.com,,Acme\n",
    );
    env.run(&["import", &file, "--on-duplicate", "update"])
        .success();
    let bo = env.show(id);
    assert_eq!(
        (&bo["company"], &bo["deal_value"]),
        (&json!("Acme"), &json!(1200.0))
    );
}

#[test]
fn the_pipeline_sums_open_deal_values_and_the_forecast_weighs_them_by_score() {
    let env = open_deals();
    let report = report(&env, &[]);
    let pipeline = |group: &Value| {
        (
            group["source"].clone(),
            group["revenue"].clone(),
            group["pipeline"].clone(),
            group["forecast"].clone(),
        )
    };
    let groups: Vec<_> = report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(pipeline)
        .collect();
    assert_eq!(
        groups,
        vec![
            // No open lead with a value: no pipeline (lost Ed's 700 is not one, won Di's
            // 500 is revenue).
            (json!("webinar"), json!(500.0), Value::Null, Value::Null),
            // 1000 × 0.40 + 3000 × 0.70 = 2500.
            (json!("referral"), json!(0.0), json!(4000.0), json!(2500.0)),
        ]
    );
    assert_eq!(
        report["totals"],
        json!({"pipeline": 4000.0, "forecast": 2500.0})
    );
    let keys: Vec<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "by",
            "currency",
            "groups",
            "totals",
            "score_auc",
            "model_auc",
            "funnel"
        ]
    );

    // Every grouping has the same totals.
    for by in ["source-detail", "month"] {
        let grouped = report_by(&env, by);
        assert_eq!(grouped["totals"], report["totals"], "{by}");
    }
    let months = report_by(&env, "month");
    assert_eq!(months["groups"][0]["pipeline"], json!(4000.0));
    assert_eq!(months["groups"][0]["forecast"], json!(2500.0));

    // Moving along keeps the value: the pipeline is the same with Bob qualified.
    env.run(&["status", "2", "qualified"]).success();
    assert_eq!(report_by(&env, "source")["totals"], report["totals"]);

    let csv = env.run(&["report", "--format", "csv"]).success().stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].ends_with(",revenue,roi,pipeline,forecast"),
        "{csv}"
    );
    assert!(
        lines[1].starts_with("webinar,3,") && lines[1].ends_with(",500.00,,,"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("referral,2,") && lines[2].ends_with(",0.00,,4000.00,2500.00"),
        "{csv}"
    );
    assert_eq!(lines[3], "(total),,,,,,,,,,,,,,4000.00,2500.00");
    assert_eq!(lines.len(), 4, "{csv}");
    let tsv = env.run(&["report", "--format", "tsv"]).success().stdout;
    assert!(tsv.ends_with("\t4000.00\t2500.00\n"), "{tsv}");
    let table = env.run(&["report"]).success().stdout;
    let header = table.lines().next().expect("header");
    assert!(header.ends_with("  ROI  PIPELINE  FORECAST"), "{table}");
    let total = table
        .lines()
        .find(|line| line.starts_with("(total)"))
        .expect("a row of totals");
    assert!(total.ends_with("  4000.00   2500.00"), "{table}");
    // Bars count leads: the totals are not a group.
    assert_eq!(table.matches("(total)").count(), 1, "{table}");
}

#[test]
fn a_learned_win_probability_weighs_the_forecast_instead_of_the_score() {
    // The probability read whole, from the file (shown, it is rounded).
    let env = open_deals_in(Env::sqlite());
    // A history to learn from: referrals win, web forms lose.
    let history: String = (0..80)
        .map(|i| {
            let (source, status) = if i % 2 == 0 {
                ("Referral", "Closed - Converted")
            } else {
                ("Web Form", "Closed - Not Converted")
            };
            format!("Lead{i},lead{i}@example.com,{source},{status}\n")
        })
        .collect();
    let file = env.write(
        "history.csv",
        format!("Name,Email,Lead Source,Lead Status\n{history}"),
    );
    env.run(&["import", &file]).success();
    env.run(&["learn"]).success();
    let conn = rusqlite::Connection::open(&env.db).expect("open the database");
    let chance = |id: i64| -> f64 {
        conn.query_row(
            "SELECT win_probability FROM leads WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
        .expect("a win probability")
    };
    let (ann, bob) = (chance(1), chance(2));
    assert!(
        ann > 0.5 && bob > 0.5 && (ann, bob) != (0.4, 0.7),
        "{ann} {bob}"
    );
    let expected = ((1000.0 * ann + 3000.0 * bob) * 100.0).round() / 100.0;
    assert_ne!(expected, 2500.0, "the scores' forecast");
    let report = report(&env, &[]);
    assert_eq!(
        report["totals"],
        json!({"pipeline": 4000.0, "forecast": expected})
    );
}

#[test]
fn without_an_open_deal_value_there_is_no_pipeline() {
    // Spend and won values show the money columns, not the pipeline's.
    let env = history();
    let report = report(&env, &[]);
    assert_eq!(report.get("totals"), None);
    assert_eq!(report["groups"][0].get("pipeline"), None);
    let csv = env.run(&["report", "--format", "csv"]).success().stdout;
    assert!(
        !csv.contains("pipeline") && !csv.contains("(total)"),
        "{csv}"
    );
}

fn report_by(env: &Env, by: &str) -> Value {
    report(env, &["--by", by])
}

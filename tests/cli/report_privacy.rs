//! `report`, `forget`, forgotten emails and `completions`.
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

/// Every file of the database (main file, WAL) as bytes.
fn database_bytes(env: &Env) -> Vec<u8> {
    let mut bytes = std::fs::read(&env.db).expect("test value");
    let wal = env.db.with_extension("db-wal");
    if let Ok(more) = std::fs::read(&wal) {
        bytes.extend(more);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn forget_erases_the_bytes_and_keeps_the_counts() {
    let env = Env::new();
    let id = env.add(&[
        "Zebulon Quixotic",
        "--email",
        "zebulon.quixotic@example.test",
        "--phone",
        "+1 555 0199",
        "--source",
        "referral",
        "--note",
        "Prefers calls about xylophones",
    ]);
    let other = env.add(&[
        "Ann Other",
        "--source",
        "referral",
        "--email",
        "ann@example.test",
    ]);
    let id_text = id.to_string();
    env.run(&["edit", &id_text, "--attr", "favourite=Wombatique"])
        .success();
    env.run(&[
        "log",
        &id_text,
        "call",
        "--note",
        "Quixotic plans for Zanzibar",
    ])
    .success();
    env.run(&[
        "follow-up",
        "add",
        &id_text,
        "--due",
        "tomorrow",
        "--note",
        "Ring Zebulon",
    ]);
    env.run(&["qualify", &id_text, "--need", "Marmalade logistics"])
        .success();
    env.run(&[
        "status",
        &id_text,
        "lost",
        "--reason",
        "Zebulon moved to Zanzibar",
    ])
    .success();
    let values = [
        "Marmalade",
        "Zebulon",
        "Quixotic",
        "zebulon.quixotic@example.test",
        "+1 555 0199",
        "xylophones",
        "Wombatique",
        "Zanzibar",
    ];
    let before = database_bytes(&env);
    assert!(
        contains(&before, "Zebulon"),
        "the fixture must be in the file"
    );
    let report_before = env.run(&["report", "--format", "json"]).success().stdout;

    env.run(&["forget", &id_text])
        .failure(1)
        .stderr_has("--force");
    env.run(&["forget", &id_text, "--force"])
        .success()
        .stderr_has(&format!("forgot lead {id}"));

    let after = database_bytes(&env);
    for value in values {
        assert!(
            !contains(&after, value),
            "{value:?} is still in the database files"
        );
        assert!(
            !contains(&after, &value.to_lowercase()),
            "{:?} is still in the database files",
            value.to_lowercase()
        );
    }
    assert_eq!(
        env.run(&["report", "--format", "json"]).success().stdout,
        report_before
    );

    let lead = env.show(id);
    assert_eq!(lead["name"], "(forgotten)");
    for field in ["first_name", "last_name", "email", "phone", "notes"] {
        assert_eq!(lead[field], Value::Null, "{field}");
    }
    assert_eq!(lead["attributes"], json!({}));
    assert_eq!(lead["source"], "referral");
    assert_eq!(lead["status"], "lost");
    assert_eq!(lead["activities"], json!([]));
    assert_eq!(lead["follow_ups"], json!([]));
    assert_eq!(env.show(other)["email"], "ann@example.test");

    env.run(&["add", "Zeb", "--email", "Zebulon.Quixotic@example.test"])
        .failure(4)
        .stderr_has("forgotten");
    env.add(&[
        "Zeb",
        "--email",
        "zebulon.quixotic@example.test",
        "--allow-forgotten",
    ]);
}

#[test]
fn forget_twice_and_unknown_ids() {
    let env = Env::new();
    let id = env.add(&["Ann", "--email", "ann@example.test"]).to_string();
    env.run(&["forget", &id, "--force"]).success();
    env.run(&["forget", &id, "--force"])
        .success()
        .stderr_has("already forgotten");
    // Already forgotten: nothing to confirm, so no --force needed.
    env.run(&["forget", &id])
        .success()
        .stderr_has("already forgotten");
    env.run(&["forget", "999", "--force"])
        .failure(3)
        .stderr_has("999");
    env.run(&["forget", "999"]).failure(3);
}

#[test]
fn completions_generate_for_every_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.run(&["completions", shell]).success().stdout;
        assert!(out.contains("follow-up"), "{shell}: no follow-up");
        assert!(out.contains("import"), "{shell}: no import");
    }
    env.run(&["completions", "tcsh"]).failure(65);
}

#[test]
fn forget_empties_the_wal_even_while_another_process_has_the_database_open() {
    let env = Env::new();
    let id = env.add(&[
        "Zebulon Quixotic",
        "--email",
        "zebulon.quixotic@example.test",
    ]);
    // A reader that stays open (cron, a second terminal) keeps the WAL file alive after
    // `leads` exits: only forget's own checkpoint empties it.
    let reader = rusqlite::Connection::open(&env.db).expect("open the database");
    let count: i64 = reader
        .query_row("SELECT count(*) FROM leads", [], |row| row.get(0))
        .expect("read");
    assert_eq!(count, 1);
    env.run(&["edit", &id.to_string(), "--note", "Quixotic xylophones"])
        .success();
    env.run(&["forget", &id.to_string(), "--force"]).success();
    let bytes = database_bytes(&env);
    for value in [
        "Zebulon",
        "Quixotic",
        "zebulon.quixotic@example.test",
        "xylophones",
    ] {
        assert!(
            !contains(&bytes, value),
            "{value:?} is still in the database files"
        );
    }
    drop(reader);
}

#[test]
fn a_forgotten_lead_is_marked_and_keeps_its_scores() {
    let env = Env::new();
    let ada = env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@example.test",
        "--company",
        "Zeta Works",
        "--title",
        "CEO",
    ]);
    env.add(&["Bo Brown", "--company", "Acme"]);
    let before = env.show(ada);
    env.run(&["forget", &ada.to_string(), "--force"]).success();
    let after = env.show(ada);
    for key in ["fit", "engagement", "readiness", "score", "grade"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    assert_eq!(after["reasons"], serde_json::json!([]));
    let table = env.run(&["list", "--sort", "name"]).success().stdout;
    let rows: Vec<&str> = table.lines().skip(1).collect();
    // Its company, which no other lead shares, was erased with the rest.
    assert!(rows[0].contains("(forgotten)"), "{table}");
    assert!(rows[1].contains("Bo Brown"), "{table}");
    let shown = env.run(&["show", &ada.to_string()]).success().stdout;
    assert!(shown.starts_with("(forgotten)  #1\n"), "{shown}");
}

#[test]
fn nobody_follows_up_with_a_forgotten_person() {
    let env = Env::new();
    let id = env.add(&["Ada Lovelace"]).to_string();
    env.run(&["forget", &id, "--force"]).success();
    env.run(&["follow-up", "add", &id, "--due", "tomorrow"])
        .failure(65)
        .stderr_has("lead 1 was forgotten");
    env.run(&["follow-up", "list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
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

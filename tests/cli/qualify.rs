//! `leads qualify`: answers, thresholds, the explained form, scores under a changed
//! profile, the timeline's local date, `--all`, JSON, and Ctrl-D at a prompt.
use serde_json::{json, Value};

use crate::harness::*;

/// The worked example of docs/SCORING.md: Ada, a VP referred by a customer, with three activities.
fn worked_example(env: &Env) -> i64 {
    let id = env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@acme.test",
        "--phone",
        "+44 20 7946 0000",
        "--company",
        "Acme Analytics",
        "--title",
        "VP Sales",
        "--industry",
        "software",
        "--size",
        "120",
        "--country",
        "GB",
        "--source",
        "referral",
    ]);
    let id_text = id.to_string();
    for (kind, at) in [
        ("meeting", "2026-02-15"),
        ("call", "2026-02-26"),
        ("email_opened", "2026-02-27"),
    ] {
        env.run(&["log", &id_text, kind, "--at", at]).success();
    }
    id
}

const QUALIFY_ADA: [&str; 10] = [
    "--budget",
    "yes",
    "--authority",
    "yes",
    "--need",
    "replace spreadsheets",
    "--timeline",
    "2026-04-15",
    "--explain",
    "--quiet",
];

/// Exactly the form quoted in docs/SCORING.md.
const ADA_EXPLAINED: &str = "\
Ada Lovelace  #1

Fit
FACTOR        VALUE                                POINTS
industry      software (no target industries set)      10
company size  120 (target 10-500)                      20
country       GB (no target countries set)              8
title         VP Sales (decision maker)                20
email         present                                  10
phone         present                                   5
company       present                                   5
website       missing                                   0
= fit                                                  78

Engagement
FACTOR        VALUE                     POINTS
source        referral                      25
email_opened  1, latest 2 days ago         2.9
call          1, latest 3 days ago          14
meeting       1, latest 14 days ago       21.7
saturation    63.6 raw points above 50    -1.7
= engagement                                62

Readiness
FACTOR       VALUE                    POINTS
budget       yes                          25
authority    yes                          25
need         replace spreadsheets         25
timeline     2026-04-15 (in 45 days)      15
= readiness                               90

score = (40×fit + 35×engagement + 25×readiness) / 100 = (40×78 + 35×62 + 25×90) / 100 = 75, grade A
";

fn qualify(env: &Env, id: i64, extra: &[&str]) -> Run {
    let id = id.to_string();
    let mut args = vec!["qualify", id.as_str()];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn statuses(env: &Env, id: i64) -> Vec<(String, String)> {
    env.show(id)["status_history"]
        .as_array()
        .expect("show has a status history")
        .iter()
        .map(|c| {
            (
                c["to"].as_str().expect("a status").to_string(),
                c["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_worked_example_of_the_scoring_document_gives_its_numbers() {
    let env = Env::new();
    let id = worked_example(&env);
    qualify(&env, id, &QUALIFY_ADA)
        .success()
        .stdout_is(ADA_EXPLAINED);
    let scoring = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/SCORING.md"))
        .expect("the scoring document");
    assert!(
        scoring.contains(&format!("```text\n{ADA_EXPLAINED}```")),
        "the worked example of docs/SCORING.md differs from:\n{ADA_EXPLAINED}"
    );
    let shown = env.show(id);
    let scores: Vec<&Value> = ["fit", "engagement", "readiness", "score", "grade", "status"]
        .iter()
        .map(|k| &shown[*k])
        .collect();
    assert_eq!(
        scores,
        [
            &json!(78),
            &json!(62),
            &json!(90),
            &json!(75),
            &json!("A"),
            &json!("qualified")
        ]
    );

    // docs/SCORING.md: targeting software raises the industry line from 10 to 20 points.
    env.run(&["config", "fit.industries", "software,fintech"])
        .success()
        .stderr_has("fit.industries = [\"software\", \"fintech\"] (was [])");
    let shown = env.show(id);
    assert_eq!((&shown["fit"], &shown["score"]), (&json!(88), &json!(79)));
}

#[test]
fn explain_adds_up_to_the_score_shown() {
    let env = Env::new();
    let id = worked_example(&env);
    env.run(&["edit", &id.to_string(), "--incentivized", "true"])
        .success();
    let run = qualify(&env, id, &["--budget", "no", "--format", "json"]).success();
    let outcome = &run.json()[0];
    let reasons = outcome["reasons"].as_array().unwrap();
    for part in ["fit", "engagement", "readiness"] {
        let tenths: i64 = reasons
            .iter()
            .filter(|r| r["part"] == part)
            .map(|r| (r["points"].as_f64().unwrap() * 10.0).round() as i64)
            .sum();
        assert_eq!(json!((tenths + 5) / 10), outcome[part], "{part}");
    }
    let sub = |k: &str| outcome[k].as_i64().unwrap() as f64;
    let combined = (40.0 * sub("fit") + 35.0 * sub("engagement") + 25.0 * sub("readiness")) / 100.0;
    assert_eq!(json!(combined.round() as i64), outcome["score"]);

    // The text form: each table's lines add up to its "= part" line.
    let text = qualify(&env, id, &["--explain"]).success().stdout;
    let mut sum: f64 = 0.0;
    for line in text.lines() {
        let Some(points) = line.rsplit(' ').next().and_then(|p| p.parse::<f64>().ok()) else {
            continue;
        };
        if line.starts_with('=') {
            assert_eq!(sum.round(), points, "{line}\n{text}");
            sum = 0.0;
        } else {
            sum += points;
        }
    }
    let last = text.lines().last().unwrap();
    assert!(
        last.ends_with(&format!(
            "= {}, grade {}",
            outcome["score"],
            outcome["grade"].as_str().unwrap()
        )),
        "{last}"
    );
    assert!(
        text.contains("incentivized, not aware of a follow-up  x0.5"),
        "{text}"
    );
}

#[test]
fn answers_move_readiness_and_status_by_the_thresholds() {
    let env = Env::new();
    let id = env.add(&[
        "Bo Diaz",
        "--email",
        "bo@shop.test",
        "--title",
        "Store Manager",
        "--size",
        "40",
        "--source",
        "web_form",
    ]);
    // fit 20 + 10 + 10 = 40, engagement 10, readiness 0: score (1600 + 350) / 100 = 20.
    // A "no" budget keeps readiness at 0: the score stays below 25, disqualified.
    qualify(&env, id, &["--budget", "no"])
        .success()
        .stderr_has("lead 1 Bo Diaz: score 20 (D) -> disqualified");
    let shown = env.show(id);
    assert_eq!(
        (&shown["readiness"], &shown["status"]),
        (&json!(0), &json!("disqualified"))
    );

    // Authority and a need: readiness 50, score (1600 + 350 + 1250) / 100 = 32: between
    // the thresholds, the status stays.
    qualify(&env, id, &["--authority", "yes", "--need", "new tills"])
        .success()
        .stderr_has("score 32 (C), status stays disqualified (qualified at 60 or more, disqualified below 25)");

    // Budget and a purchase within 30 days: readiness 100, score (1600 + 350 + 2500) / 100
    // = 44.5, rounded 45. Then a demo and a meeting: engagement 10 + 35 + 30 = 75 raw points,
    // bent to 70, score (1600 + 2450 + 2500) / 100 = 65.5, rounded 66: qualified.
    qualify(&env, id, &["--budget", "yes", "--timeline", "+2w"])
        .success()
        .stderr_has("score 45 (C), status stays");
    env.run(&["log", "1", "demo"]).success();
    env.run(&["log", "1", "meeting"]).success();
    qualify(&env, id, &[]).success().stderr_has(" -> qualified");
    let shown = env.show(id);
    assert_eq!(shown["readiness"], json!(100));
    assert_eq!(
        statuses(&env, id)[1..],
        [
            ("disqualified".into(), "qualify: score 20 < 25".into()),
            ("qualified".into(), "qualify: score 66 >= 60".into()),
        ]
    );
    // Every set of answers is kept with its time.
    let answers = shown["qualifications"].as_array().unwrap();
    assert_eq!(answers.len(), 3);
    assert_eq!(
        answers[2],
        json!({"at": NOW, "budget": "yes", "authority": "yes", "need": "new tills",
               "timeline": "2026-03-15T09:00:00Z"})
    );
}

#[test]
fn explicit_status_overrides_and_closed_leads_stay_closed() {
    let env = Env::new();
    let id = env.add(&["Cy", "--email", "cy@x.test"]);
    qualify(&env, id, &["--status", "nurturing"])
        .success()
        .stderr_has("-> nurturing");
    assert_eq!(
        statuses(&env, id).last().unwrap(),
        &("nurturing".into(), "qualify: set by hand (score 4)".into())
    );
    env.run(&["status", "1", "won"]).success();
    qualify(&env, id, &["--budget", "no"])
        .success()
        .stderr_has("status stays won");
    assert_eq!(env.show(id)["status"], json!("won"));
    qualify(&env, id, &["--status", "maybe"])
        .failure(65)
        .stderr_has("maybe");
}

#[test]
fn bad_answers_and_unknown_ids_change_nothing() {
    let env = Env::new();
    let id = env.add(&["Di", "--email", "di@x.test"]);
    qualify(&env, id, &["--budget", "maybe"])
        .failure(65)
        .stderr_has("'--budget <ANSWER>': unknown answer 'maybe' (expected yes, no or unknown)");
    qualify(&env, id, &["--timeline", "someday"])
        .failure(65)
        .stderr_has("--timeline");
    env.run(&["qualify", "1", "99", "--budget", "yes"])
        .failure(3)
        .stderr_has("99");
    let shown = env.show(id);
    assert_eq!(shown["budget"], json!("unknown"));
    assert_eq!(shown["status"], json!("new"));
    assert_eq!(shown["qualifications"], json!([]));
}

#[test]
fn unknown_clears_the_timeline_and_the_need() {
    let env = Env::new();
    let id = env.add(&["Ed", "--email", "ed@x.test"]);
    qualify(&env, id, &["--timeline", "2026-03-10", "--need", "a CRM"]).success();
    assert_eq!(env.show(id)["readiness"], json!(50));
    qualify(&env, id, &["--timeline", "unknown", "--need", "unknown"]).success();
    let shown = env.show(id);
    assert_eq!(
        (&shown["timeline"], &shown["need"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(shown["readiness"], json!(0));
}

#[test]
fn json_output_lists_each_lead_with_its_reasons() {
    let env = Env::new();
    env.add(&["Fa", "--email", "fa@x.test"]);
    env.add(&["Gu", "--phone", "555"]);
    let run = env
        .run(&["qualify", "2", "1", "--format", "json", "--quiet"])
        .success();
    let outcomes = run.json();
    let ids: Vec<&Value> = outcomes
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert_eq!(ids, [&json!(2), &json!(1)]);
    let first = &outcomes[0];
    for key in [
        "name",
        "status",
        "fit",
        "engagement",
        "readiness",
        "score",
        "grade",
    ] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    assert_eq!(
        first["reasons"][0],
        json!({"part": "fit", "factor": "industry", "value": "unknown", "points": 0.0})
    );
}

#[test]
fn changing_weights_and_the_profile_changes_scores_as_documented() {
    let env = Env::new();
    let id = worked_example(&env);
    qualify(&env, id, &QUALIFY_ADA).success();
    // Only fit counts: the score is the fit.
    env.run(&["config", "weights.engagement", "0"]).success();
    env.run(&["config", "weights.readiness", "0"]).success();
    assert_eq!(env.show(id)["score"], json!(78));
    // Fit and readiness alike: (78 + 90) / 2 = 84.
    env.run(&["config", "weights.fit", "1"]).success();
    env.run(&["config", "weights.readiness", "1"]).success();
    let shown = env.show(id);
    assert_eq!(
        (&shown["score"], &shown["grade"]),
        (&json!(84), &json!("A"))
    );
    // A size range that leaves Acme out: 5 points instead of 20.
    env.run(&["config", "fit.company_size", "200-1000"])
        .success();
    assert_eq!(env.show(id)["fit"], json!(63));
    // A meeting counting 60 instead of 30 points: 43.4 instead of 21.7, so 85.3 raw points,
    // which the curve bends to 100 - 50 × e^(-35.3/50) = 75.3.
    env.run(&["config", "engagement.activity.meeting", "60"])
        .success();
    assert_eq!(env.show(id)["engagement"], json!(75));
    env.run(&["config", "weights.fit", "0"]).success();
    let explained = qualify(&env, id, &["--explain"]).success().stdout;
    assert!(
        explained.ends_with(
            "score = (0×fit + 0×engagement + 1×readiness) / 1 = (0×63 + 0×75 + 1×90) / 1 = 90, grade A\n"
        ),
        "{explained}"
    );
}

#[test]
fn qualify_all_rescores_every_open_lead_after_a_profile_change() {
    let env = Env::sqlite();
    let ada = worked_example(&env);
    let closed = env.add(&["Hu", "--email", "hu@x.test", "--source", "referral"]);
    env.run(&["status", &closed.to_string(), "lost"]).success();
    let stored = |id: i64| -> (i64, String) {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.query_row("SELECT score, status FROM leads WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    // The worked example's meeting was its first touch: it moved the lead to contacted.
    assert_eq!(stored(ada), (53, "contacted".to_string()));
    // A profile written behind the scores' back (as an older leads, or a busy moment, would
    // leave it): only fit counts.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value)
         VALUES ('profile', '{\"weight_engagement\": 0.0, \"weight_readiness\": 0.0}')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [],
    )
    .unwrap();
    drop(conn);
    env.run(&["qualify", "--all"])
        .success()
        .stderr_has("rescored 1 open lead");
    // Rescored, but statuses stay where they were (78 would have qualified Ada).
    assert_eq!(stored(ada), (78, "contacted".to_string()));
    assert_eq!(stored(closed).1, "lost");
    env.run(&["qualify", "--all", "--budget", "yes"])
        .failure(65)
        .stderr_has("--all only rescores");
}

#[test]
fn a_lead_without_answers_is_not_disqualified_by_its_score_alone() {
    let env = Env::new();
    let id = env.add(&["--company", "Globex", "--source", "purchased_list"]);
    env.run(&["qualify", &id.to_string()])
        .success()
        .stderr_has("score 2 (D), status stays new (not disqualified without answers: give --budget, --authority, --need or --timeline)");
    assert_eq!(env.show(id)["status"], "new");
    // An answer, even a "no", lets the thresholds decide.
    env.run(&["qualify", &id.to_string(), "--budget", "no"])
        .success()
        .stderr_has("-> disqualified");
}

#[test]
fn qualify_json_is_an_array_one_lead_a_line() {
    let env = Env::new();
    env.add(&["Ann", "--email", "ann@x.test"]);
    env.add(&["Bo", "--email", "bo@x.test"]);
    let run = env
        .run(&["qualify", "1", "2", "--budget", "yes", "--format", "json"])
        .success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!((lines[0], lines[3]), ("[", "]"));
    assert!(
        lines[1].starts_with("  {\"id\":1,\"name\":\"Ann\","),
        "{}",
        lines[1]
    );
    assert_eq!(run.json().as_array().map(Vec::len), Some(2));
}

#[test]
fn the_timeline_reason_prints_the_local_date() {
    for (tz, evening) in [
        ("Pacific/Auckland", "2026-02-28T08:30:00Z"),
        ("America/Los_Angeles", "2026-03-01T05:30:00Z"),
    ] {
        let env = Env::new();
        run_in(&env, tz, evening, &["add", "Ada Lovelace"]).success();
        run_in(
            &env,
            tz,
            evening,
            &[
                "qualify",
                "1",
                "--timeline",
                "2026-03-10",
                "--status",
                "nurturing",
            ],
        )
        .success();
        let shown = run_in(&env, tz, evening, &["show", "1", "--format", "json"])
            .success()
            .json();
        // Saturday 2026-02-28 local: ten calendar days ahead, whatever the hour.
        assert_eq!(
            reason(&shown, "timeline"),
            "2026-03-10 (in 10 days)",
            "{tz}"
        );
        let table = run_in(&env, tz, evening, &["show", "1"]).success().stdout;
        assert!(table.contains("2026-03-10 (in 10 days)"), "{tz}\n{table}");
        let passed = run_in(
            &env,
            tz,
            "2026-03-11T12:00:00Z",
            &["show", "1", "--format", "json"],
        )
        .success()
        .json();
        assert!(
            reason(&passed, "timeline").starts_with("2026-03-10 (passed)"),
            "{tz}"
        );
    }
}

#[test]
fn qualify_all_counts_the_scores_that_changed() {
    let env = Env::sqlite();
    three_leads(&env);
    env.run(&["qualify", "--all"])
        .success()
        .stderr_is("rescored 3 open leads: no score changed\n");
    env.run(&["config", "weights.fit", "80"]).success();
    env.run(&["qualify", "--all", "--format", "json"])
        .success()
        .stdout_is("{\n  \"rescored\": 3,\n  \"changed\": 0\n}\n");
    env.run(&["status", "3", "lost"]).success();
    // A profile written behind the scores' back: only fit counts now.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE settings SET value = '{\"weight_engagement\": 0.0, \"weight_readiness\": 0.0}'
         WHERE key = 'profile'",
        [],
    )
    .unwrap();
    drop(conn);
    env.run(&["qualify", "--all"])
        .success()
        .stderr_is("rescored 2 open leads: 2 scores changed\n");
}

#[test]
fn ctrl_d_at_a_qualify_prompt_saves_nothing_and_exits_1() {
    let env = Env::new();
    three_leads(&env);
    let (code, out) = env.on_terminal(&[("NO_COLOR", "1")], &["qualify", "2"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.ends_with(
            "Budget (yes/no/unknown) [unknown]: \nleads: stopped at end of input; nothing was changed\n"
        ),
        "{out:?}"
    );
    let lead = env.show(2);
    assert_eq!(
        (lead["budget"].clone(), lead["status"].clone()),
        (json!("unknown"), json!("new"))
    );
}

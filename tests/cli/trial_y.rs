//! The cold trial's findings (a new user following the README): a dry run writes no
//! rejects file, an import that adds nothing keeps no batch, the rejects file lines up,
//! report's 0/0 figures, amounts with two decimals, parser messages naming the value,
//! upper-case headers and compact JSON everywhere, dates as the README says.
use serde_json::json;

use crate::harness::*;

const RAGGED: &str = "Name,Mail,Firm,Badge\nAnn,ann@x.test,A,1\nCarl,,,,extra\n";

#[test]
fn a_dry_run_writes_no_rejects_file_and_says_what_it_would_write() {
    let env = Env::new();
    let file = env.write("in.csv", RAGGED);
    let rejects = env.path("rej.csv");
    let run = env
        .run(&[
            "import",
            "--dry-run",
            "--rejects",
            rejects.to_str().unwrap(),
            &file,
        ])
        .failure(65);
    assert!(
        run.stderr.contains(&format!(
            "would write 1 rejected row to {} (dry run: not written)\n",
            rejects.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!rejects.exists(), "the dry run wrote {}", rejects.display());
    assert!(!env.db.exists(), "the dry run created the database");
    // Still refused when it names the input, before anything is read.
    env.run(&["import", "--dry-run", "--rejects", &file, &file])
        .failure(65)
        .stderr_has("refusing to write to");
}

#[test]
fn an_import_that_adds_nothing_keeps_no_batch() {
    let env = Env::new();
    let file = env.write("a.csv", "Name,Email\nAda Byron,ada@x.test\n");
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 1, updated 0, skipped 0 duplicates, rejected 0 (batch 1; undo with: leads import --undo 1)\n");
    // The same file again: nothing new, no batch, no undo hint.
    let again = env.run(&["import", &file]).success();
    assert!(
        again.stderr.ends_with(
            "imported 0, updated 0, skipped 1 duplicates, rejected 0 (nothing new: no batch to undo)\n"
        ),
        "{}",
        again.stderr
    );
    env.run(&["import", "--format", "json", &file])
        .success()
        .stdout_is(
            "{\"batch\":null,\"imported\":0,\"updated\":0,\"skipped\":1,\"rejected\":0,\"warnings\":0}\n",
        );
    // A header alone, and a file whose every row is rejected.
    let empty = env.write("empty.csv", "Name,Email\n");
    env.run(&["import", "--format", "json", &empty])
        .success()
        .stdout_is(
            "{\"batch\":null,\"imported\":0,\"updated\":0,\"skipped\":0,\"rejected\":0,\"warnings\":0}\n",
        );
    let bad = env.write("bad.csv", "Name,Email\nCarl,c@x.test,extra\n");
    env.run(&["import", "--format", "json", &bad])
        .failure(65)
        .stdout_is(
            "{\"batch\":null,\"imported\":0,\"updated\":0,\"skipped\":0,\"rejected\":1,\"warnings\":0}\n",
        );
    // One batch only, and the next real import is batch 2.
    env.run(&["import", "--list", "--format", "json"])
        .success()
        .stdout_is(&format!(
            "[\n  {{\"id\":1,\"at\":\"2026-03-01T09:00:00Z\",\"file\":{},\"imported\":1,\"updated\":0,\"undone_at\":null}}\n]\n",
            json!(file)
        ));
    let more = env.write("b.csv", "Name,Email\nBo Lund,bo@x.test\n");
    env.run(&["import", &more])
        .success()
        .stderr_has("(batch 2; undo with: leads import --undo 2)");
    // An update is a change: it keeps its batch.
    let changed = env.write("c.csv", "Name,Email,Company\nBo Lund,bo@x.test,Lund AB\n");
    env.run(&["import", "--on-duplicate", "update", &changed])
        .success()
        .stderr_has("imported 0, updated 1, skipped 0 duplicates, rejected 0 (batch 3; undo with: leads import --undo 3)");
}

#[test]
fn every_rejects_row_lines_up_and_the_fixed_file_imports_as_it_is() {
    let env = Env::new();
    let file = env.write(
        "in.csv",
        "Name,Mail,Firm,Badge\nAnn,ann@x.test,A,1\nCarl,,,,extra\n=Bob,,\n",
    );
    let rejects = env.path("rej.csv");
    env.run(&["import", "--rejects", rejects.to_str().unwrap(), &file])
        .failure(65);
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        written,
        "error,Name,Mail,Firm,Badge\n\
         a value in cell 5 where the header has 4 (a missing quote or an unquoted comma?),Carl,,,,extra\n\
         3 cells where the header has 4 (a missing quote or an unquoted comma?),'=Bob,,\n"
    );
    // Fixed by hand (the extra cell removed, the missing one added), imported as it is:
    // the error column is dropped, never an attribute.
    let fixed = written
        .replace("Carl,,,,extra", "Carl,,,,")
        .replace("'=Bob,,", "'=Bob,,,");
    let fixed_path = env.write("fixed.csv", fixed);
    env.run(&["import", "--dry-run", &fixed_path])
        .success()
        .stderr_has(
            "columns:\n  error -> dropped (computed by leads)\n  Name -> name (its name)\n",
        );
    env.run(&["import", &fixed_path])
        .success()
        .stderr_has("imported 2, updated 0, skipped 0 duplicates, rejected 0");
    let carl = env.show(2);
    assert_eq!(carl["name"], "Carl");
    assert_eq!(carl["attributes"], json!({}));
    assert_eq!(env.show(3)["name"], "=Bob");
}

#[test]
fn import_list_has_upper_case_headers_and_compact_json() {
    let env = Env::new();
    let file = env.write("a.csv", "Name,Email\nAda Byron,ada@x.test\n");
    env.run(&["import", &file]).success();
    env.run(&["import", "--undo", "1"]).success();
    let table = env.run(&["import", "--list"]).success();
    let header = table.stdout.lines().next().unwrap();
    assert!(
        header.starts_with("BATCH  AT                FILE"),
        "{}",
        table.stdout
    );
    assert!(header.ends_with("IMPORTED  UPDATED  UNDONE"), "{header}");
    let json = env.run(&["import", "--list", "--format", "json"]).success();
    assert_eq!(json.stdout.lines().count(), 3, "{}", json.stdout);
    assert_eq!(json.json()[0]["undone_at"], "2026-03-01T09:00:00Z");
    // Messages show local time, as every table does.
    env.run_with_env(&[("TZ", "Pacific/Auckland")], &["import", "--undo", "1"])
        .success()
        .stderr_has("import batch 1 was already undone on 2026-03-01 22:00; nothing to remove");
    let id = env.add(&["Ann", "--email", "ann@x.test"]);
    env.run(&["forget", &id.to_string(), "--force"]).success();
    env.run_with_env(
        &[("TZ", "Pacific/Auckland")],
        &["forget", &id.to_string(), "--force"],
    )
    .success()
    .stderr_has(&format!(
        "lead {id} was already forgotten on 2026-03-01 22:00: nothing left to erase"
    ));
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
fn amounts_have_two_decimals_in_every_table_and_csv() {
    let env = Env::new();
    let id = env.add(&["Ann", "--email", "ann@x.test", "--source", "referral"]);
    let id = id.to_string();
    env.run(&["status", &id, "won", "--value", "5000"])
        .success()
        .stderr_has("lead 1: Ann new -> won, deal value 5000.00\n");
    env.run(&["edit", &id, "--value", "7000.5"])
        .success()
        .stderr_has("deal value 7000.50\n");
    let show = env.run(&["show", &id]).success();
    assert!(
        show.stdout.contains("\ndeal value  7000.50\n"),
        "{}",
        show.stdout
    );
    assert_eq!(env.show(1)["deal_value"], json!(7000.5));
    let csv = env.run(&["export", "--format", "csv"]).success();
    assert!(
        csv.stdout.lines().nth(1).unwrap().ends_with(",7000.50"),
        "{}",
        csv.stdout
    );
    env.run(&["spend", "add", "trade_show", "5000"])
        .success()
        .stderr_has("recorded spend 1: 5000.00 trade_show");
    env.run(&["spend", "list"]).success().stdout_is(
        "ID  ON                SOURCE      DETAIL   AMOUNT  NOTE\n 1  2026-03-01 09:00  trade_show          5000.00\n",
    );
    env.run(&["spend", "list", "--format", "tsv"])
        .success()
        .stdout_is(
        "id\ton\tsource\tdetail\tamount\tnote\n1\t2026-03-01T09:00:00Z\ttrade_show\t\t5000.00\t\n",
    );
    let json = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(json[0]["amount"], json!(5000.0));
    // Exported and imported again, the amount is the same.
    let file = env.write("out.csv", csv.stdout);
    let other = Env::new();
    other.run(&["import", &file]).success();
    assert_eq!(other.show(1)["deal_value"], json!(7000.5));
}

#[test]
fn a_number_the_parser_refuses_is_named_with_what_is_accepted() {
    let env = Env::new();
    env.create_db();
    let cases: [(&[&str], &str); 12] = [
        (&["list", "--limit", "-1"], "invalid value '-1' for '--limit <N>': '-1' is not a count of leads (a whole number from 0, such as 50)"),
        (&["list", "--min-score", "abc"], "invalid value 'abc' for '--min-score <SCORE>': 'abc' is not a score (a whole number from 0 to 100, such as 40)"),
        (&["list", "--min-score", "101"], "'101' is not a score (a whole number from 0 to 100, such as 40)"),
        (&["qualify", "1", "abc"], "'abc' is not a lead id (a whole number such as 12)"),
        (&["show", "abc"], "invalid value 'abc' for '<ID>': 'abc' is not a lead id (a whole number such as 12)"),
        (&["follow-up", "list", "--lead", "abc"], "'abc' is not a lead id (a whole number such as 12)"),
        (&["log", "x1", "call"], "'x1' is not a lead id (a whole number such as 12)"),
        (&["follow-up", "done", "abc"], "'abc' is not a follow-up id (a whole number such as 12; see leads follow-up list)"),
        (&["spend", "delete", "abc"], "'abc' is not a spend id (a whole number such as 12; see leads spend list)"),
        (&["import", "--undo", "abc"], "'abc' is not an import batch id (a whole number such as 12; see leads import --list)"),
        (&["config", "rule", "delete", "abc"], "'abc' is not a rule id (a whole number such as 12; see leads config rule list)"),
        (&["config", "rule", "add", "industry = software", "--axis", "fit", "--points", "ten"], "invalid value 'ten' for '--points <POINTS>': 'ten' is not a number of points (a number from -100 to 100, such as 10 or -5)"),
    ];
    for (args, message) in cases {
        let run = env.run(args).failure(65).stderr_has(message);
        assert!(!run.stderr.contains("invalid digit"), "{}", run.stderr);
    }
    // An id that parses but does not exist is still "not found".
    env.run(&["show", "-1"])
        .failure(3)
        .stderr_has("no lead with id -1");
}

#[test]
fn rule_list_has_a_header_row_and_compact_json() {
    let env = Env::new();
    env.run(&[
        "config",
        "rule",
        "add",
        "industry = software",
        "--points",
        "10",
    ])
    .success();
    env.run(&["config", "rule", "add", "country = india", "--points", "-5"])
        .success();
    env.run(&["config", "rule", "list"]).success().stdout_is(
        "ID  AXIS  POINTS  CONDITION\n 1  fit      +10  industry = software\n 2  fit       -5  country = india\n",
    );
    env.run(&["config", "rule", "list", "--format", "json"])
        .success()
        .stdout_is(
            "[\n  {\"id\":1,\"condition\":\"industry = software\",\"subject\":\"industry\",\"operator\":\"=\",\"value\":\"software\",\"axis\":\"fit\",\"points\":10},\n  \
             {\"id\":2,\"condition\":\"country = india\",\"subject\":\"country\",\"operator\":\"=\",\"value\":\"india\",\"axis\":\"fit\",\"points\":-5}\n]\n",
        );
    env.run(&["config", "rule", "delete", "1", "2"]).success();
    env.run(&["config", "rule", "list"])
        .success()
        .stdout_is("")
        .stderr_has("no rules (add one with leads config rule add)\n");
    env.run(&["config", "rule", "list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
}

/// The due date `follow-up add --due WHEN` stored (UTC), under time zone `tz`.
fn due_of(env: &Env, tz: &str, when: &str) -> String {
    env.run_with_env(&[("TZ", tz)], &["follow-up", "add", "1", "--due", when])
        .success();
    let listed = env
        .run(&["follow-up", "list", "--format", "json"])
        .success()
        .json();
    let last = listed
        .as_array()
        .and_then(|all| all.iter().max_by_key(|f| f["id"].as_i64()))
        .expect("a follow-up");
    last["due_at"].as_str().expect("due_at").to_string()
}

#[test]
fn a_month_day_is_the_next_one_today_included_and_a_time_alone_is_today_or_tomorrow() {
    // Now: Sunday 2026-03-01 09:00 UTC (04:00 in New York, 22:00 in Auckland).
    let env = Env::new();
    env.add(&["Ann", "--email", "ann@x.test"]);
    let cases = [
        ("UTC", "1 March", "2026-03-01T00:00:00Z"),
        ("UTC", "28 Feb", "2027-02-28T00:00:00Z"),
        ("UTC", "March 1 5pm", "2026-03-01T17:00:00Z"),
        ("UTC", "9am", "2026-03-02T09:00:00Z"),
        ("UTC", "9 am", "2026-03-02T09:00:00Z"),
        ("UTC", "at 14:30", "2026-03-01T14:30:00Z"),
        ("UTC", "Friday 9 am", "2026-03-06T09:00:00Z"),
        ("UTC", "friday 9am", "2026-03-06T09:00:00Z"),
        ("America/New_York", "1 March", "2026-03-01T05:00:00Z"),
        ("America/New_York", "9am", "2026-03-01T14:00:00Z"),
        ("Pacific/Auckland", "9am", "2026-03-01T20:00:00Z"),
        ("Pacific/Auckland", "2 March", "2026-03-01T11:00:00Z"),
    ];
    for (tz, when, expected) in cases {
        assert_eq!(due_of(&env, tz, when), expected, "{when} in {tz}");
    }
    // Only the two "1 March" are overdue at once: today's date, its start past (as
    // `today`), never a year away.
    let overdue = env
        .run(&["follow-up", "list", "--overdue", "--format", "json"])
        .success()
        .json();
    let due: Vec<&str> = overdue
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| f["due_at"].as_str().expect("due_at"))
        .collect();
    assert_eq!(due, vec!["2026-03-01T00:00:00Z", "2026-03-01T05:00:00Z"]);
    // A past moment leans back: "1 March" is today, "10am" yesterday's.
    env.run(&["log", "1", "call", "--at", "10am"]).success();
    let show = env.show(1);
    assert_eq!(show["activities"][0]["at"], "2026-02-28T10:00:00Z");
}

#[test]
fn a_past_start_warns_and_a_stop_before_the_start_never_ends_before_it() {
    let env = Env::new();
    env.add(&["Ann", "--email", "ann@x.test"]);
    env.add(&["Bo", "--email", "bo@x.test"]);
    env.run(&[
        "cadence",
        "add",
        "e-book",
        "0d email_sent: send it",
        "3d call",
    ])
    .success();
    // Begun by hand earlier: accepted, its overdue step said (local time).
    let run = env
        .run_with_env(
            &[("TZ", "America/New_York")],
            &[
                "nurture",
                "2",
                "--cadence",
                "e-book",
                "--start",
                "yesterday",
            ],
        )
        .success();
    assert_eq!(
        run.stderr,
        "lead 2 Bo is in cadence 'e-book': step 1 of 2 due 2026-02-28 00:00
\
         leads: warning: --start 2026-02-28 00:00 is in the past: step 1, due 2026-02-28 00:00, is overdue already\n"
    );
    // A start to come: no warning.
    let run = env
        .run(&["nurture", "1", "--cadence", "e-book", "--start", "+2d"])
        .success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    env.run(&["nurture", "stop", "1"]).success();
    let listed = env
        .run(&["nurture", "list", "--format", "json"])
        .success()
        .json();
    let ann = listed
        .as_array()
        .and_then(|all| all.iter().find(|e| e["lead_id"] == 1))
        .expect("Ann's enrollment");
    assert_eq!(ann["started_at"], "2026-03-01T09:00:00Z");
    assert_eq!(ann["ended_at"], "2026-03-01T09:00:00Z");
    assert_eq!(ann["end_reason"], "stopped");
    let table = env.run(&["nurture", "list"]).success();
    assert!(
        !table.stdout.contains("2026-03-03"),
        "the planned start is not shown: {}",
        table.stdout
    );
}

#[test]
fn sort_win_without_a_model_is_by_score_and_says_so() {
    let env = Env::new();
    env.add(&["Cold", "--source", "purchased_list"]);
    env.add(&[
        "Warm",
        "--email",
        "warm@x.test",
        "--company",
        "Acme",
        "--title",
        "CEO",
        "--source",
        "referral",
    ]);
    let run = env
        .run(&["list", "--sort", "win", "--format", "csv"])
        .success();
    let names: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(names, ["Warm", "Cold"]);
    assert_eq!(
        run.stderr,
        "leads: warning: --sort win: no win probabilities yet (run leads learn once enough leads are closed); sorted by score\n"
    );
}

#[test]
fn json_rejects_carry_the_error_first_and_import_again_as_they_are() {
    let env = Env::new();
    let file = env.write(
        "in.ndjson",
        "{\"name\":\"Ann\",\"email\":\"ann@x.test\"}\n{\"phone\":\"\",\"error\":\"old\"}\n",
    );
    let rejects = env.path("rej.ndjson");
    env.run(&["import", "--rejects", rejects.to_str().unwrap(), &file])
        .failure(65);
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        written,
        "{\"error\":\"no name, company, email, phone, website or external id: nothing to know the lead by\",\"phone\":\"\"}\n"
    );
    let fixed = env.write(
        "fixed.ndjson",
        written.replace("\"phone\":\"\"", "\"phone\":\"+1 555 0100\""),
    );
    env.run(&["import", &fixed])
        .success()
        .stderr_has("imported 1, updated 0, skipped 0 duplicates, rejected 0");
    assert_eq!(env.show(2)["attributes"], json!({}));
    assert_eq!(env.show(2)["phone"], "+1 555 0100");
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

//! The everyday commands: add, list, show, edit, status, log; the store; errors.
use serde_json::json;

use crate::harness::*;

/// A warm lead and a cold one, as in the README tour.
fn two_leads(env: &Env) -> (i64, i64) {
    let ada = env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@acme.test",
        "--phone",
        "+1 555 0100",
        "--company",
        "Acme",
        "--title",
        "VP Sales",
        "--size",
        "120",
        "--source",
        "Referral",
        "--tag",
        "Hot",
    ]);
    let globex = env.add(&[
        "--company",
        "Globex",
        "--email",
        "buyer@globex.test",
        "--source",
        "Purchased List",
    ]);
    (ada, globex)
}

fn lead_count(env: &Env) -> usize {
    env.run(&["list", "--format", "json"])
        .success()
        .json()
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn add_prints_the_id_and_show_has_every_contract_field() {
    let env = Env::new();
    let (ada, globex) = two_leads(&env);
    assert_eq!((ada, globex), (1, 2));
    let lead = env.show(ada);
    let expected = json!({
        "id": 1, "first_name": "Ada", "last_name": "Lovelace", "name": "Ada Lovelace",
        "email": "ada@acme.test", "phone": "+1 555 0100", "company": "Acme", "title": "VP Sales",
        "industry": null, "company_size": 120, "country": null, "website": null,
        "source": "referral", "source_detail": null, "status": "new", "tags": ["hot"],
        "notes": null, "attributes": {}, "external_id": null, "incentivized": false,
        "aware": false, "do_not_contact": false,
        "created_at": "2026-03-01T09:00:00Z", "updated_at": "2026-03-01T09:00:00Z",
        "budget": "unknown", "authority": "unknown", "need": null, "timeline": null,
        // fit: size 20 + decision maker 20 + email 10 + phone 5 + company 5
        "fit": 60,
        // engagement: a referral is worth 25 points
        "engagement": 25,
        "readiness": 0,
        // (40*60 + 35*25 + 25*0) / 100 = 32.75
        "score": 33, "grade": "C",
        "win_probability": null, "next_follow_up": null,
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&lead[key], value, "field {key}");
    }
    assert_eq!(
        lead["status_history"],
        json!([{"from": null, "to": "new", "at": "2026-03-01T09:00:00Z", "reason": null}])
    );
    assert_eq!(lead["activities"], json!([]));
    assert_eq!(lead["follow_ups"], json!([]));
}

#[test]
fn list_renders_every_format() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["list"]).success().stdout_is(
        "ID  NAME          COMPANY  EMAIL              STATUS  SCORE  GRADE  SOURCE          FOLLOW-UP\n \
         1  Ada Lovelace  Acme     ada@acme.test      new        33  C      referral\n \
         2  Globex        Globex   buyer@globex.test  new         6  D      purchased_list\n",
    );
    env.run(&["list", "--format", "csv"]).success().stdout_is(
        "id,name,company,email,status,score,grade,source,next_follow_up,last_touch_at\n\
         1,Ada Lovelace,Acme,ada@acme.test,new,33,C,referral,,\n\
         2,Globex,Globex,buyer@globex.test,new,6,D,purchased_list,,\n",
    );
    env.run(&["list", "--format", "tsv"]).success().stdout_is(
        "id\tname\tcompany\temail\tstatus\tscore\tgrade\tsource\tnext_follow_up\tlast_touch_at\n\
         1\tAda Lovelace\tAcme\tada@acme.test\tnew\t33\tC\treferral\t\t\n\
         2\tGlobex\tGlobex\tbuyer@globex.test\tnew\t6\tD\tpurchased_list\t\t\n",
    );
    let json = env.run(&["list", "--format", "json"]).success().json();
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ada Lovelace", "Globex"]);
    assert_eq!(json[1]["fit"], 15); // a valid email and a company
    let lines = env.run(&["list", "--format", "ndjson"]).success().ndjson();
    assert_eq!(lines, json.as_array().unwrap().clone());
}

#[test]
fn an_empty_list_prints_nothing_on_stdout() {
    let env = Env::new();
    env.create_db();
    env.run(&["list"]).success().stdout_is("");
    env.run(&["list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
    env.run(&["list", "--format", "csv"]).success().stdout_is(
        "id,name,company,email,status,score,grade,source,next_follow_up,last_touch_at\n",
    );
}

#[test]
fn list_filters_and_sorts() {
    let env = Env::new();
    two_leads(&env);
    env.add(&[
        "Zoe Zimmer",
        "--title",
        "Owner",
        "--company",
        "Initech",
        "--source",
        "trade show",
        "--tag",
        "expo",
        "--note",
        "met at booth 12",
    ]);
    let ids = |args: &[&str]| env.list_ids(args);
    assert_eq!(ids(&[]), [1, 3, 2]); // by score: 33, 14, 6
    assert_eq!(ids(&["--source", "Trade Show"]), [3]);
    assert_eq!(ids(&["--tag", "HOT"]), [1]);
    assert_eq!(ids(&["--grade", "d"]), [3, 2]);
    assert_eq!(ids(&["--min-score", "10"]), [1, 3]);
    assert_eq!(ids(&["--search", "booth"]), [3]);
    assert_eq!(ids(&["--search", "ada lovelace"]), [1]);
    assert_eq!(ids(&["--search", "GLOBEX"]), [2]);
    assert_eq!(ids(&["--status", "new", "--status", "won"]), [1, 3, 2]);
    assert_eq!(ids(&["--status", "won"]), Vec::<i64>::new());
    assert_eq!(ids(&["--sort", "name"]), [1, 2, 3]);
    assert_eq!(ids(&["--sort", "created", "--limit", "2"]), [3, 2]);
    assert_eq!(ids(&["--since", "tomorrow"]), Vec::<i64>::new());
    assert_eq!(ids(&["--since", "2026-03-01"]), [1, 3, 2]);
}

#[test]
fn bad_filter_values_name_the_value_and_what_is_accepted() {
    let env = Env::new();
    env.run(&["list", "--status", "hot"])
        .failure(65)
        .stderr_has("unknown status 'hot' (expected one of: new, contacted");
    env.run(&["list", "--grade", "E"])
        .failure(65)
        .stderr_has("invalid value 'E' for '--grade <GRADE>'\n  [possible values: A, B, C, D]");
    env.run(&["list", "--min-score", "lots"])
        .failure(65)
        .stderr_has("'lots'");
    env.run(&["list", "--since", "someday"])
        .failure(65)
        .stderr_has("invalid date 'someday'");
    // A value clap refuses is as unusable as one the command refuses: 65 both ways.
    env.run(&["list", "--sort", "height"])
        .failure(65)
        .stderr_has("[possible values: score, created, name, follow-up, win, touch]");
    env.run(&["list", "--sorting", "score"]).failure(2);
}

#[test]
fn duplicate_emails_are_refused_with_the_existing_id() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["add", "Ada Again", "--email", "ADA@Acme.test"])
        .failure(4)
        .stderr_has("a lead with email ADA@acme.test already exists: id 1");
    assert_eq!(lead_count(&env), 2);
    let id = env.add(&["Ada Again", "--email", "ADA@Acme.test", "--allow-duplicate"]);
    assert_eq!(id, 3);
}

#[test]
fn bad_input_changes_nothing_and_exits_65() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["add", "--tag", "x"])
        .failure(65)
        .stderr_has("a lead needs at least one of");
    env.run(&["add", "Bo", "--email", "bo-at-example"])
        .failure(65)
        .stderr_has("invalid email 'bo-at-example' (expected an address like name@example.com");
    env.run(&["add", "Bo", "--size", "lots"])
        .failure(65)
        .stderr_has("invalid company size 'lots' (expected a whole number of employees");
    env.run(&["edit", "1", "--email", "nope"]).failure(65);
    env.run(&["status", "1", "hot"])
        .failure(65)
        .stderr_has("unknown status 'hot'");
    env.run(&["log", "1", "lunch"])
        .failure(65)
        .stderr_has("unknown activity 'lunch' (expected one of: email_sent");
    env.run(&["log", "1", "call", "--at", "the other day"])
        .failure(65)
        .stderr_has("accepted: now, today, tomorrow");
    assert_eq!(lead_count(&env), 2);
    let ada = env.show(1);
    assert_eq!(
        (ada["email"].as_str(), ada["status"].as_str()),
        (Some("ada@acme.test"), Some("new"))
    );
    assert_eq!(ada["activities"], json!([]));
}

#[test]
fn a_missing_id_exits_3() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["show", "99"])
        .failure(3)
        .stderr_has("no lead with id 99");
    env.run(&["edit", "99", "--phone", "1"]).failure(3);
    env.run(&["status", "99", "won"]).failure(3);
    env.run(&["log", "99", "call"]).failure(3);
    env.run(&["show", "abc"]).failure(65);
    env.run(&["show"]).failure(2);
}

#[test]
fn edit_changes_fields_and_rescores() {
    let env = Env::new();
    two_leads(&env);
    env.run(&[
        "edit",
        "2",
        "--name",
        "Hank Scorpio",
        "--title",
        "CEO",
        "--size",
        "1,200",
        "--country",
        "US",
        "--attr",
        "plan=enterprise",
        "--attr",
        "fax=555",
        "--do-not-contact",
        "true",
        "--tag",
        "vip",
    ])
    .success();
    env.run(&["edit", "2", "--attr", "fax=", "--phone", "+1 555 0142"])
        .success();
    let lead = env.show(2);
    assert_eq!(lead["name"], "Hank Scorpio");
    assert_eq!(lead["company_size"], 1200);
    assert_eq!(lead["attributes"], json!({"plan": "enterprise"}));
    assert_eq!(lead["do_not_contact"], true);
    assert_eq!(lead["tags"], json!(["vip"]));
    assert_eq!(lead["updated_at"], "2026-03-01T09:00:00Z");
    // fit: size outside 10-500 5 + decision maker 20 + country 8 + email 10 + phone 5 + company 5
    assert_eq!(lead["fit"], 53);
    let table = env.run(&["list"]).success().stdout;
    assert!(table.contains("Hank Scorpio (do not contact)"), "{table}");
    env.run(&["edit", "2", "--untag", "VIP", "--do-not-contact", "false"])
        .success();
    assert_eq!(env.show(2)["tags"], json!([]));
    env.run(&["edit", "2", "--email", "ada@acme.test"])
        .failure(4)
        .stderr_has("id 1");
    env.run(&["edit", "2", "--do-not-contact", "maybe"])
        .failure(65);
}

#[test]
fn status_moves_are_recorded_with_time_and_reason() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["status", "1", "Contacted"]).success();
    env.run_at(
        "2026-03-10T12:00:00Z",
        &["status", "1", "won", "--reason", "signed the annual plan"],
    )
    .success();
    let lead = env.show(1);
    assert_eq!(lead["status"], "won");
    assert_eq!(
        lead["status_history"],
        json!([
            {"from": null, "to": "new", "at": "2026-03-01T09:00:00Z", "reason": null},
            {"from": "new", "to": "contacted", "at": "2026-03-01T09:00:00Z", "reason": null},
            {"from": "contacted", "to": "won", "at": "2026-03-10T12:00:00Z", "reason": "signed the annual plan"},
        ])
    );
    env.run(&["status", "1", "won"])
        .success()
        .stderr_has("already won");
}

#[test]
fn logging_an_activity_raises_engagement_which_decays_with_time() {
    let env = Env::new();
    let id = env.add(&["Bo Brown", "--email", "bo@example.test"]);
    assert_eq!(env.show(id)["engagement"], 0);
    env.run(&[
        "log",
        &id.to_string(),
        "meeting",
        "--at",
        "2026-03-01 08:00",
        "--note",
        "coffee",
    ])
    .success()
    .stderr_has("engagement 0 -> 30");
    let lead = env.show(id);
    assert_eq!(lead["engagement"], 30);
    assert_eq!(
        lead["activities"],
        json!([{
            "id": 1, "lead_id": 1, "kind": "meeting", "at": "2026-03-01T08:00:00Z",
            "note": "coffee", "outcome": null, "by": "tester"
        }])
    );
    // One half-life (30 days) later the meeting counts half, in show and in list.
    let later = "2026-03-31T09:00:00Z";
    let shown = env
        .run_at(later, &["show", "1", "--format", "json"])
        .success()
        .json();
    assert_eq!(shown["engagement"], 15);
    let listed = env
        .run_at(later, &["list", "--format", "json"])
        .success()
        .json();
    assert_eq!(listed[0]["engagement"], 15);
}

#[test]
fn a_warm_referral_outranks_a_purchased_list_lead() {
    let env = Env::new();
    let cold = env.add(&["--email", "someone@list.test", "--source", "purchased_list"]);
    let warm = env.add(&[
        "Vera Vice",
        "--title",
        "VP Operations",
        "--size",
        "80",
        "--source",
        "referral",
        "--email",
        "vera@example.test",
    ]);
    env.run(&["log", &warm.to_string(), "meeting", "--at", "yesterday"])
        .success();
    let listed = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(listed[0]["id"], warm);
    assert_eq!(listed[1]["id"], cold);
    assert!(listed[0]["score"].as_i64() > listed[1]["score"].as_i64());
}

#[test]
fn show_explains_the_score_in_a_table() {
    let env = Env::new();
    two_leads(&env);
    let out = env.run(&["show", "2"]).success().stdout;
    assert!(
        out.starts_with("Globex  #2\nstatus     new\nemail      buyer@globex.test\n"),
        "{out}"
    );
    assert!(
        out.contains("Score 6 (grade D): fit 15, engagement 0, readiness 0"),
        "{out}"
    );
    assert!(
        out.contains("source        purchased_list       0"),
        "{out}"
    );
    assert!(out.contains("email         present      10\n"), "{out}");
    assert!(out.contains("= fit                      15\n"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    let coloured = env
        .run(&["--color", "always", "show", "2"])
        .success()
        .stdout;
    assert!(coloured.contains("\x1b[1mGlobex\x1b[0m"), "{coloured}");
    let fields = env.run(&["show", "2", "--format", "csv"]).success().stdout;
    assert!(
        fields.starts_with("field,value\nid,2\nfirst_name,\n"),
        "{fields}"
    );
}

#[test]
fn quiet_silences_messages_but_not_data() {
    let env = Env::new();
    let run = env.run(&["--quiet", "add", "Bo"]).success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("1\n", ""));
    let run = env.run(&["add", "Cy"]).success();
    assert_eq!(run.stderr, "added lead 2: Cy (score 0, grade D)\n");
}

#[test]
fn the_database_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.add(&["Bo"]);
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // The default database, in a data directory created on first use (an explicit path
    // in a missing folder is refused: see trial_x).
    let nested = env.path("deep/er/leads/leads.db");
    let mut command = env.command(&["add", "Cy"]);
    command
        .env_remove("LEADS_DB")
        .env("XDG_DATA_HOME", env.path("deep/er"));
    assert!(command.output().unwrap().status.success());
    assert_eq!(
        std::fs::metadata(&nested).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let env = Env::new();
    let contents = "name,email\nAda,ada@example.com\n".repeat(200);
    std::fs::write(&env.db, &contents).unwrap();
    env.run(&["list"])
        .failure(1)
        .stderr_has("is not a leads database");
    assert_eq!(std::fs::read_to_string(&env.db).unwrap(), contents);
}

#[test]
fn a_database_from_a_newer_leads_is_refused() {
    let env = Env::new();
    env.add(&["Bo"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    env.run(&["list"])
        .failure(1)
        .stderr_has("newer than this leads understands");
}

#[test]
fn an_older_database_is_upgraded_and_keeps_its_leads() {
    let env = Env::new();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(leads::store::schema::MIGRATIONS[0])
        .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO leads (first_name, last_name, email, created_at, updated_at, sort_name)
         VALUES ('Old', 'Timer', 'old@example.test', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'old timer')",
        [],
    )
    .unwrap();
    drop(conn);
    let listed = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(listed[0]["name"], "Old Timer");
    assert_eq!(listed[0]["fit"], 10); // rescored on first read: a valid email
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, leads::store::schema::CURRENT_VERSION);
}

#[test]
fn a_bad_leads_now_is_an_error() {
    let env = Env::new();
    env.run_at("yesterday-ish", &["list"])
        .failure(65)
        .stderr_has("LEADS_NOW 'yesterday-ish' is not an RFC 3339 date-time");
}

#[test]
fn a_closed_pipe_is_a_quiet_success() {
    let env = Env::new();
    env.add(&["Bo"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO leads (first_name, company, created_at, updated_at, sort_name)
         SELECT 'Person ' || i, 'Company with a fairly long name ' || i, '2026-01-01T00:00:00Z',
                '2026-01-01T00:00:00Z', 'person ' || i FROM n;",
    )
    .unwrap();
    drop(conn);
    for command in [
        "list --format ndjson",
        "list --format csv",
        "export",
        "export --format json",
        "export --format ndjson",
    ] {
        let script = format!(
            "'{}' {command} | head -n 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            env!("CARGO_BIN_EXE_leads")
        );
        let result = std::process::Command::new("bash")
            .args(["-c", &script])
            .env("LEADS_DB", &env.db)
            .env("LEADS_NOW", NOW)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&result.stdout), "0\n", "{command}");
        assert_eq!(String::from_utf8_lossy(&result.stderr), "", "{command}");
    }
}

#[test]
fn help_describes_every_command() {
    let env = Env::new();
    let help = env.run(&["--help"]).success().stdout;
    for command in [
        "add",
        "import",
        "list",
        "show",
        "edit",
        "log",
        "qualify",
        "status",
        "follow-up",
        "export",
        "learn",
        "report",
        "forget",
        "config",
        "completions",
    ] {
        assert!(
            help.contains(&format!("  {command} ")),
            "{command} missing from\n{help}"
        );
    }
}

#[test]
fn a_database_busy_beyond_the_timeout_exits_75() {
    let env = Env::new();
    env.add(&["Bo"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE leads SET notes = 'held' WHERE id = 1;")
        .unwrap();
    let mut command = env.command(&["add", "Cy"]);
    command.env("LEADS_BUSY_TIMEOUT", "200");
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(75));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another leads process is using the database"),
        "{stderr}"
    );
    // Readers are not blocked by the writer (WAL).
    env.run(&["list", "--format", "json"]).success();
    conn.execute_batch("COMMIT").unwrap();
    env.run(&["add", "Cy"]).success().stdout_is("2\n");
}

#[test]
fn values_starting_with_a_hyphen_and_bare_boolean_flags_are_accepted() {
    let env = Env::new();
    let id = env.add(&["Bo"]);
    env.run(&["log", "1", "call", "--at", "-2d"]).success();
    assert_eq!(env.show(id)["activities"][0]["at"], "2026-02-27T09:00:00Z");
    env.run(&["list", "--since", "-1w"]).success();
    env.run(&["edit", "1", "--incentivized", "--aware", "--do-not-contact"])
        .success();
    let lead = env.show(id);
    assert_eq!(
        (
            &lead["incentivized"],
            &lead["aware"],
            &lead["do_not_contact"]
        ),
        (&json!(true), &json!(true), &json!(true))
    );
    env.run(&["edit", "1", "--aware", "false"]).success();
    assert_eq!(env.show(id)["aware"], false);
}

#[test]
fn edge_values_are_refused_with_a_clear_message() {
    let env = Env::new();
    env.add(&["Bo"]);
    env.run(&["log", "1", "meeting", "--at", "2030-01-01"])
        .failure(65)
        .stderr_has("'2030-01-01' is in the future");
    env.run(&["add", "Cy", "--source", "!!!"])
        .failure(65)
        .stderr_has("invalid source '!!!'");
    env.run(&["list", "--limit", "9223372036854775808"])
        .failure(65);
    let mut command = env.command(&["list"]);
    command.env("LEADS_BUSY_TIMEOUT", "soon");
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&output.stderr).contains("LEADS_BUSY_TIMEOUT 'soon'"));
    assert_eq!(lead_count(&env), 1);
}

#[test]
fn a_lead_sharing_an_email_stays_editable() {
    let env = Env::new();
    env.add(&["Ada", "--email", "ada@example.test"]);
    let twin = env.add(&[
        "Ada Twin",
        "--email",
        "ADA@example.test",
        "--allow-duplicate",
    ]);
    env.run(&["edit", &twin.to_string(), "--phone", "+1 555 0101"])
        .success();
    assert_eq!(env.show(twin)["phone"], "+1 555 0101");
}

#[test]
fn completions_on_a_closed_pipe_are_quiet() {
    let script = format!(
        "'{}' completions bash | head -n 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_leads")
    );
    let result = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&result.stdout), "0\n");
    assert_eq!(String::from_utf8_lossy(&result.stderr), "");
}

#[test]
fn reading_from_a_folder_that_does_not_exist_is_an_error_not_a_new_database() {
    let env = Env::new();
    let typo = env.path("no-such-folder/leads.db");
    for args in [
        &["list"][..],
        &["follow-up", "list", "--overdue"],
        &["show", "1"],
        &["export"],
        &["report"],
    ] {
        let mut command = env.command(args);
        command.env("LEADS_DB", &typo);
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(66), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("the folder") && stderr.contains("does not exist"),
            "{stderr}"
        );
    }
    assert!(!env.path("no-such-folder").exists());
    // A missing file in an existing folder is no database either (issue 11): a typo in a
    // crontab must not look like "nothing due".
    env.run(&["follow-up", "list", "--overdue"])
        .failure(66)
        .stderr_has("no database at");
    assert!(!env.db.exists());
}

#[test]
fn a_weekday_for_an_activity_is_the_latest_one() {
    let env = Env::new(); // Sunday 2026-03-01
    let id = env.add(&["Bo"]);
    env.run(&["log", "1", "call", "--at", "friday 14:30"])
        .success();
    env.run(&["log", "1", "email_sent", "--at", "last sunday"])
        .success();
    let at: Vec<String> = env.show(id)["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["at"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(at, ["2026-02-22T00:00:00Z", "2026-02-27T14:30:00Z"]);
}

#[test]
fn an_edit_that_changes_nothing_says_so_and_keeps_the_update_time() {
    let env = Env::new();
    let id = env.add(&["Bo", "--phone", "+1 555 0100"]);
    env.run_at(
        "2026-03-02T09:00:00Z",
        &["edit", "1", "--phone", "+1 555 0100"],
    )
    .success()
    .stderr_has("nothing to change for lead 1");
    assert_eq!(env.show(id)["updated_at"], "2026-03-01T09:00:00Z");
}

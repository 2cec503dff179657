//! `forget ID` erases every text that can name the person, down to the bytes of the
//! database file: the texts kept beside the lead (a cadence's end note, a status change's
//! reason, the qualification's need, the follow-ups' and activities' notes), the company
//! and the source detail when no other lead shares them, and the name of a file the lead
//! was imported from when that names them.
//!
//! And what a forgotten lead is afterwards: marked once in every list and JSON, keeping its
//! scores and counts, taking no new data, never followed up; the WAL emptied even while
//! another process has the database open; forgetting twice or an unknown id.
use serde_json::{json, Value};

use crate::harness::*;

/// Every file of the database (main file, WAL) as bytes.
fn database_bytes(env: &Env) -> Vec<u8> {
    let mut bytes = std::fs::read(&env.db).expect("the database file");
    let mut wal = env.db.clone().into_os_string();
    wal.push("-wal");
    if let Ok(more) = std::fs::read(&wal) {
        bytes.extend(more);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

fn batch_files(env: &Env) -> Vec<Value> {
    match env
        .run(&["import", "--list", "--format", "json"])
        .success()
        .json()
    {
        Value::Array(batches) => batches.into_iter().map(|b| b["file"].clone()).collect(),
        other => panic!("expected an array, got {other}"),
    }
}

#[test]
fn forget_erases_every_text_that_names_the_person() {
    let env = Env::sqlite();
    // Imported from a file that names her, then updated from one that names her email.
    let card = env.write(
        "jane-doe-card.csv",
        "First Name,Last Name,Email,Phone,Company,Lead Source,Source Detail\n\
         Jane,Doe,jane.doe@example.test,+1 555 014 2977,Doe Plumbing,event,Quasar Expo\n\
         Bob,Other,bob@example.test,,Shared Works,event,Quasar Expo\n",
    );
    env.run(&["import", &card]).success();
    let update = env.write(
        "Jane.Doe@Example.test.csv",
        "Email,Title\njane.doe@example.test,Head of Pipes\n",
    );
    env.run(&["import", &update, "--on-duplicate", "update"])
        .success();
    let bob_file = env.write("bob-only.csv", "Email,Title\nbob@example.test,Boss\n");
    env.run(&["import", &bob_file, "--on-duplicate", "update"])
        .success();
    // A lead of her own company's name, alone: the company names her, it goes. Bob shares
    // her source detail: it stays.
    let jane = "1";
    env.run(&["edit", jane, "--attr", "nickname=Janie Wolfsbane"])
        .success();
    env.run(&[
        "log",
        jane,
        "call",
        "--note",
        "Jane liked the Krakatoa valve",
    ])
    .success();
    env.run(&[
        "follow-up",
        "add",
        jane,
        "--due",
        "tomorrow",
        "--note",
        "Ring Jane about the Zeppelin order",
    ])
    .success();
    env.run(&["qualify", jane, "--need", "Marmalade pipes"])
        .success();
    env.run(&["cadence", "add", "drip", "0d email_sent: hello"])
        .success();
    env.run(&["nurture", jane, "--cadence", "drip"]).success();
    env.run(&[
        "nurture",
        "stop",
        jane,
        "--reason",
        "call Jane Doe at 555 014 2977 about Quixotry",
    ])
    .success();
    env.run(&[
        "status",
        jane,
        "lost",
        "--reason",
        "Jane chose Obsidian Taps",
    ])
    .success();

    let secrets = [
        "Jane",
        "Doe Plumbing",
        "jane.doe@example.test",
        "+1 555 014 2977",
        "Head of Pipes",
        "Wolfsbane",
        "Krakatoa",
        "Zeppelin",
        "Marmalade",
        "Quixotry",
        "Obsidian",
        "jane-doe-card",
    ];
    let before = database_bytes(&env);
    for secret in secrets {
        assert!(
            contains(&before, secret),
            "the fixture must hold {secret:?}"
        );
    }

    env.run(&["forget", jane, "--force"]).success();

    let after = database_bytes(&env);
    let left: Vec<&str> = secrets
        .into_iter()
        .filter(|secret| contains(&after, secret))
        .collect();
    assert_eq!(left, [""; 0], "still in the database files");
    let lead = env.show(1);
    assert_eq!(lead["company"], Value::Null);
    assert_eq!(lead["source_detail"], "Quasar Expo", "Bob shares it");
    assert_eq!(lead["status"], "lost");
    assert_eq!(lead["source"], "networking_event");
    assert_eq!(env.show(2)["company"], "Shared Works");
    assert_eq!(
        batch_files(&env),
        [json!("(erased)"), json!("(erased)"), json!(bob_file)]
    );
}

#[test]
fn a_company_or_source_detail_another_lead_shares_is_kept() {
    let env = Env::sqlite();
    let ann = env.add(&[
        "Ann Smith",
        "--company",
        "Acme",
        "--source",
        "referral",
        "--source-detail",
        "referred by Ann's cousin Brunhilde",
    ]);
    env.add(&["Cy Jones", "--company", "acme"]);
    env.run(&["forget", &ann.to_string(), "--force"]).success();
    let lead = env.show(ann);
    assert_eq!(lead["company"], "Acme", "another lead works at Acme");
    assert_eq!(lead["source_detail"], Value::Null);
    assert!(!contains(&database_bytes(&env), "Brunhilde"));
}

#[test]
fn every_json_of_a_lead_says_whether_it_was_forgotten() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["forget", "2", "--force"]).success();
    let listed = env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    let flags: Vec<Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["forgotten"].clone())
        .collect();
    assert_eq!(flags, [json!(false), json!(true), json!(false)]);
    assert_eq!(env.show(2)["forgotten"], json!(true));
    assert_eq!(env.show(1)["forgotten"], json!(false));
    for format in ["json", "ndjson"] {
        let out = env.run(&["export", "--format", format]).success().stdout;
        assert_eq!(
            out.matches("\"forgotten\":true").count(),
            1,
            "{format}: {out}"
        );
        assert_eq!(out.matches("\"forgotten\":false").count(), 2, "{format}");
    }
    let ndjson = env
        .run(&["list", "--all", "--format", "ndjson"])
        .success()
        .ndjson();
    assert_eq!(ndjson[1]["forgotten"], json!(true));
    // A JSON export imports back: `forgotten` is not an attribute of the new leads.
    let exported = env.run(&["export", "--format", "json"]).success().stdout;
    let file = env.write("export.json", exported);
    let other = Env::new();
    other.run(&["import", &file]).success();
    assert_eq!(other.show(1)["attributes"], json!({}));
}

#[test]
fn a_forgotten_lead_without_a_company_is_marked_once() {
    let env = Env::new();
    let id = env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.run(&["forget", &id.to_string(), "--force"]).success();
    let listed = env.run(&["list", "--all"]).success().stdout;
    assert!(listed.contains(" (forgotten) "), "{listed}");
    assert!(!listed.contains("(forgotten) (forgotten)"), "{listed}");
    let shown = env.run(&["show", &id.to_string()]).success().stdout;
    assert!(
        shown.starts_with(&format!("(forgotten)  #{id}\n")),
        "{shown}"
    );
}

#[test]
fn a_forgotten_lead_takes_no_new_data() {
    let env = Env::new();
    let id = env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    let fid = env
        .run(&["follow-up", "add", &id.to_string(), "--due", "tomorrow"])
        .success()
        .stdout
        .trim()
        .to_string();
    env.run(&["forget", &id.to_string(), "--force"]).success();
    let before = env.show(id);
    let id = id.to_string();
    for args in [
        vec!["log", &id, "call", "--note", "met Ada at her home"],
        vec!["status", &id, "contacted"],
        vec!["status", &id, "won"],
        vec!["edit", &id, "--note", "Ada's new address"],
        vec!["edit", &id, "--email", "ada2@example.com"],
        vec!["qualify", &id, "--budget", "yes"],
        vec!["qualify", &id, "--status", "qualified"],
        vec!["follow-up", "add", &id, "--due", "tomorrow"],
    ] {
        env.run(&args).failure(65).stderr_has(&format!(
            "lead {id} was forgotten (privacy): it takes no new data"
        ));
    }
    assert_eq!(env.show(id.parse().unwrap()), before);
    // Its follow-ups went with the rest of its data.
    env.run(&["follow-up", "done", &fid]).failure(3);
}

#[test]
fn the_forget_warning_names_this_databases_wal() {
    let env = Env::new();
    let db = env.path("crm.sqlite");
    let mut command = env.command(&["add", "Ada", "--email", "ada@example.com"]);
    command.env("LEADS_DB", &db);
    assert!(command.output().unwrap().status.success());
    // A reader in the middle of a read keeps the WAL from being emptied.
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM leads", [], |row| row.get(0))
        .unwrap();
    // The checkpoint waits out the busy timeout for that reader: a short one keeps the test
    // short (the default is 10 s); the outcome is the same.
    let mut command = env.command(&["forget", "1", "--force"]);
    command
        .env("LEADS_DB", &db)
        .env("LEADS_BUSY_TIMEOUT", "100");
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.ends_with(&format!(
            "leads: warning: another leads process is reading the database: old copies of the \
             erased data stay in the database file and its write-ahead log ({}, {}-wal) until \
             the next checkpoint; run `leads forget 1` again when it is done\n",
            db.display(),
            db.display()
        )),
        "{stderr}"
    );
    reader.execute_batch("COMMIT").unwrap();
}

#[test]
fn forget_erases_the_bytes_and_keeps_the_counts() {
    let env = Env::sqlite();
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
fn forget_empties_the_wal_even_while_another_process_has_the_database_open() {
    let env = Env::sqlite();
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

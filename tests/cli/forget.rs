//! `forget ID` erases every text that can name the person, down to the bytes of the
//! database file: the texts kept beside the lead (a cadence's end note, a status change's
//! reason, the qualification's need, the follow-ups' and activities' notes), the company
//! and the source detail when no other lead shares them, and the name of a file the lead
//! was imported from when that names them.
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
    let env = Env::new();
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
    let env = Env::new();
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

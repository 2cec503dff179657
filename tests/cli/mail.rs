//! `leads mail import` (issue 25): the seller's email exchanges with leads, logged from
//! their own mail. The fixtures (`tests/fixtures/mail`) are messages as real clients write
//! them (Gmail, Outlook, Apple Mail, Thunderbird; bounces from Postfix and Exchange; a
//! newsletter, an auto-reply), between invented people:
//!
//! - the seller, Ann Smith: ann@acme.example and a.smith@acme.example;
//! - leads Bruno Keller (1), Carla Diaz (2), Dana Okafor (3), Emil Novak (4), Ines Moreau
//!   (5) and Quinn Parker (6, at partners.example, which the seller ignores);
//! - strangers: Frank Miller (in Cc of a sent message, and writing once), Gwen Harper (an
//!   unknown person writing directly).
#![allow(clippy::unwrap_used)] // test helpers: a failed step is a failed test
use serde_json::{json, Value};

use crate::harness::Env;

/// After every fixture's date.
const LATER: &str = "2026-03-10T12:00:00Z";

/// Which fixtures are in the Sent folder; the rest are in the inbox.
const SENT: [&str; 3] = ["gmail_sent.eml", "apple_sent.eml", "own.eml"];

const INBOX: [&str; 11] = [
    "outlook_reply.eml",
    "thunderbird_reply.eml",
    "postfix_bounce.eml",
    "postfix_delayed.eml",
    "exchange_bounce.eml",
    "newsletter.eml",
    "auto_reply.eml",
    "stranger.eml",
    "ignored.eml",
    "unknown_direct.eml",
    "no_message_id.eml",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).expect("fixture")
}

/// The seller's database: the six leads, mail.me and mail.ignore; "now" after the mail.
fn seller() -> Env {
    seller_in(Env::new())
}

/// `seller`'s leads in `env`.
fn seller_in(mut env: Env) -> Env {
    for (name, email) in [
        ("Bruno Keller", "bruno@keller-bau.example"),
        ("Carla Diaz", "carla@brightlane.example"),
        ("Dana Okafor", "dana.okafor@northwind.example"),
        ("Emil Novak", "emil@novak.example"),
        ("Ines Moreau", "ines@moreau-conseil.example"),
        ("Quinn Parker", "quinn@partners.example"),
    ] {
        env.add(&[name, "--email", email]);
    }
    env.run(&[
        "config",
        "mail.me",
        "ann@acme.example, A.Smith@acme.example",
    ])
    .success()
    .stderr_is("mail.me = [\"ann@acme.example\", \"a.smith@acme.example\"] (was [])\n");
    env.run(&["config", "mail.ignore", "partners.example"])
        .success();
    env.now = LATER.to_string();
    env
}

/// A Maildir as a mail client keeps it: the inbox in cur/ and new/, Sent as a Maildir++
/// subfolder, a delivery in progress in tmp/ (never read).
fn maildir(env: &Env) -> String {
    let root = env.path("Maildir");
    for folder in ["cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    for (i, name) in INBOX.iter().enumerate() {
        let folder = if i % 2 == 0 { "cur" } else { "new" };
        let file = format!("{}.M{i}P100.host:2,S", 1772600000 + i);
        std::fs::write(root.join(folder).join(file), fixture(name)).unwrap();
    }
    for (i, name) in SENT.iter().enumerate() {
        let file = format!("{}.M{i}P200.host:2,S", 1772500000 + i);
        std::fs::write(root.join(".Sent/cur").join(file), fixture(name)).unwrap();
    }
    std::fs::write(
        root.join("tmp/1772700000.M9P9.host"),
        fixture("stranger.eml"),
    )
    .unwrap();
    root.to_string_lossy().into_owned()
}

/// The same messages in one mbox file, as mutt or Thunderbird keep them.
fn mbox(env: &Env) -> String {
    let mut bytes = Vec::new();
    for name in SENT.iter().chain(&INBOX) {
        bytes.extend_from_slice(b"From ann@acme.example Mon Mar  2 10:00:00 2026\n");
        bytes.extend(fixture(name));
        bytes.extend_from_slice(b"\n");
    }
    env.write("archive.mbox", bytes)
}

/// The kind, time and note of each of a lead's activities, oldest first.
fn activities(env: &Env, id: i64) -> Vec<(String, String, Value)> {
    let shown = env.show(id);
    let mut list: Vec<(String, String, Value)> = shown["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().to_string(),
                a["at"].as_str().unwrap().to_string(),
                a["note"].clone(),
            )
        })
        .collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

fn act(kind: &str, at: &str, note: &str) -> (String, String, Value) {
    (kind.to_string(), at.to_string(), json!(note))
}

fn summary(env: &Env, args: &[&str]) -> Value {
    let mut full = vec!["mail", "import"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    env.run(&full).success().json()
}

/// What every fixture logs: who sent what to whom, by rule.
fn assert_everything_logged(env: &Env) {
    // Sent from Gmail to Bruno (Frank, in Cc, is no lead); Bruno's reply without a
    // Message-ID; his out-of-office reply is automatic mail.
    assert_eq!(
        activities(env, 1),
        [
            act(
                "email_sent",
                "2026-03-02T09:15:03Z",
                "Proposal for Keller Bau"
            ),
            act(
                "email_replied",
                "2026-03-09T10:00:00Z",
                "Re: Proposal for Keller Bau"
            ),
        ]
    );
    // Carla replied from Outlook (her address in capitals, an encoded subject), was sent
    // Apple Mail's message from the seller's alias; her newsletter is list mail.
    assert_eq!(
        activities(env, 2),
        [
            act(
                "email_replied",
                "2026-03-02T14:05:12Z",
                "RE: Angebot für Brightlane – Q2"
            ),
            act("email_sent", "2026-03-03T15:40:00Z", "Café next week?"),
        ]
    );
    // Dana replied from Thunderbird, in New Zealand's summer time (+13:00).
    assert_eq!(
        activities(env, 3),
        [
            act("email_sent", "2026-03-03T15:40:00Z", "Café next week?"),
            act(
                "email_replied",
                "2026-03-03T20:12:44Z",
                "Re: Café next week?"
            ),
        ]
    );
    // Bounces: from Postfix for Emil; from Exchange for Ines. Not touches.
    assert_eq!(
        activities(env, 4),
        [act(
            "email_bounced",
            "2026-03-05T08:00:02Z",
            "Undelivered Mail Returned to Sender"
        )]
    );
    assert_eq!(
        activities(env, 5),
        [act(
            "email_bounced",
            "2026-03-06T11:30:45Z",
            "Undeliverable: Workshop invitation"
        )]
    );
    // Quinn's domain is ignored.
    assert_eq!(activities(env, 6), []);
}

#[test]
fn a_maildir_logs_sent_mail_replies_and_bounces_once() {
    let env = seller();
    let dir = maildir(&env);
    env.run(&["mail", "import", &dir]).success().stderr_is(
        "read 14 messages: logged 8 (3 sent, 3 replies, 2 bounces), skipped 7 (2 not a lead, \
         3 list or bulk, 1 ignored, 1 among your own addresses)\n",
    );
    assert_everything_logged(&env);
    // Importing again, or the same messages from an mbox, adds nothing.
    assert_eq!(
        summary(&env, &[&dir, &mbox(&env)]),
        json!({"read": 28, "logged": 0, "sent": 0, "replied": 0, "bounced": 0,
               "skipped": 28, "unreadable": 0, "created": 0})
    );
    assert_everything_logged(&env);
}

#[test]
fn an_mbox_file_logs_the_same_as_the_maildir() {
    let env = seller();
    let file = mbox(&env);
    assert_eq!(
        summary(&env, &[&file]),
        json!({"read": 14, "logged": 8, "sent": 3, "replied": 3, "bounced": 2,
               "skipped": 7, "unreadable": 0, "created": 0})
    );
    assert_everything_logged(&env);
}

#[test]
fn eml_files_and_one_message_on_stdin_as_a_mail_filter_hands_it_over() {
    let env = seller();
    let gmail = env.write("gmail_sent.eml", fixture("gmail_sent.eml"));
    let bounce = env.write("bounce.eml", fixture("postfix_bounce.eml"));
    assert_eq!(summary(&env, &[&gmail, &bounce])["logged"], json!(2));
    // procmail and maildrop hand the message over with its mbox `From ` line.
    let mut piped = b"From dana.okafor@northwind.example  Tue Mar  3 20:12:50 2026\n".to_vec();
    piped.extend(fixture("thunderbird_reply.eml"));
    let run = env
        .run_with_input(&["mail", "import", "-", "--format", "json"], Some(&piped))
        .success();
    assert_eq!(run.json()["replied"], json!(1));
    // A plain message, as a notmuch or mu hook pipes it.
    let run = env
        .run_with_input(
            &["mail", "import", "-", "--format", "json"],
            Some(&fixture("outlook_reply.eml")),
        )
        .success();
    assert_eq!(run.json()["replied"], json!(1));
    assert_eq!(activities(&env, 2).len(), 1);
    assert_eq!(activities(&env, 3).len(), 1);
}

#[test]
fn the_first_touch_moves_a_new_lead_and_a_reply_ends_its_cadence() {
    let mut env = seller();
    env.now = "2026-03-01T09:00:00Z".to_string();
    env.run(&["cadence", "add", "Intro", "0d email_sent: intro", "1w call"])
        .success();
    env.run(&["nurture", "3", "--cadence", "Intro"]).success();
    env.now = LATER.to_string();
    let dir = maildir(&env);
    env.run(&["mail", "import", &dir]).success();
    let bruno = env.show(1);
    assert_eq!(bruno["status"], "contacted");
    assert_eq!(bruno["last_touch_at"], "2026-03-09T10:00:00Z");
    let moves: Vec<(Value, Value, Value)> = bruno["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["from"].clone(), m["to"].clone(), m["at"].clone()))
        .collect();
    assert_eq!(
        moves.last().unwrap(),
        &(json!("new"), json!("contacted"), json!(LATER))
    );
    // Dana, in a cadence (nurturing), answered: the cadence ends.
    let dana = env.show(3);
    assert_eq!(dana["status"], "nurturing");
    assert_eq!(dana["last_touch_at"], "2026-03-03T20:12:44Z");
    let enrollments = env
        .run(&["nurture", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(enrollments[0]["lead_id"], 3);
    assert_eq!(enrollments[0]["end_reason"], "replied");
    assert_eq!(enrollments[0]["ended_at"], "2026-03-03T20:12:44Z");
    // A bounce is no touch: Emil is still new, never touched.
    let emil = env.show(4);
    assert_eq!(
        (emil["status"].clone(), emil["last_touch_at"].clone()),
        (json!("new"), Value::Null)
    );
    // Each activity records who logged it.
    assert_eq!(dana["activities"][0]["by"], "tester");
}

#[test]
fn nothing_is_kept_of_strangers_nor_of_bodies() {
    let env = seller_in(Env::sqlite());
    let dir = maildir(&env);
    env.run(&["mail", "import", &dir]).success();
    let mut bytes = std::fs::read(&env.db).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", env.db.display())) {
        bytes.extend(wal);
    }
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    for absent in [
        "frank@stranger.example",
        "stranger.example",
        "gwen@harbor.example",
        "news@brightlane.example",
        "SECRET-BODY-WORDS",
        "Thursday works for me",
        "CAF4xq7Nw3m2kq8oB3cVxQ5Yp0f1Zr7T",
        "Lunch on Friday",
    ] {
        assert!(!contains(absent), "the database holds {absent:?}");
    }
    assert!(contains("Proposal for Keller Bau"));
}

#[test]
fn add_unknown_makes_a_lead_of_a_direct_sender_but_never_of_a_forgotten_person() {
    let env = seller();
    let dir = maildir(&env);
    let first = summary(&env, &[&dir, "--add-unknown"]);
    // Frank and Gwen wrote to the seller directly; the newsletter, the robots and the
    // ignored domain make no lead. Frank, a lead once his message is read, is logged in
    // the Cc of the seller's message read after it.
    assert_eq!(
        (
            first["created"].clone(),
            first["replied"].clone(),
            first["logged"].clone()
        ),
        (json!(2), json!(5), json!(11))
    );
    let gwen = env
        .run(&["list", "--search", "harbor", "--format", "json"])
        .success()
        .json();
    assert_eq!(gwen[0]["name"], "Gwen Harper");
    assert_eq!(gwen[0]["email"], "gwen@harbor.example");
    assert_eq!(gwen[0]["source"], "inbound_email");
    assert_eq!(gwen[0]["status"], "contacted");
    let id = gwen[0]["id"].as_i64().unwrap();
    assert_eq!(
        activities(&env, id),
        [act(
            "email_replied",
            "2026-03-09T08:30:00Z",
            "Do you ship to Norway?"
        )]
    );
    // Gwen asks to be forgotten; her next message makes no lead again, and her erased
    // row takes nothing.
    env.run(&["forget", &id.to_string(), "--force"]).success();
    let again = fixture("unknown_direct.eml");
    let again = String::from_utf8(again)
        .unwrap()
        .replace("CAGwen000111222", "CAGwen-second");
    let file = env.write("again.eml", again);
    assert_eq!(
        summary(&env, &[&file, "--add-unknown"]),
        json!({"read": 1, "logged": 0, "sent": 0, "replied": 0, "bounced": 0,
               "skipped": 1, "unreadable": 0, "created": 0})
    );
    let everyone = env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    assert_eq!(everyone.as_array().unwrap().len(), 8);
    assert_eq!(env.show(id)["activities"], json!([]));
}

#[test]
fn a_dry_run_counts_and_writes_nothing() {
    let env = seller();
    let dir = maildir(&env);
    let dry = summary(&env, &[&dir, "--dry-run", "--add-unknown"]);
    assert_eq!(
        dry,
        json!({"read": 14, "logged": 11, "sent": 4, "replied": 5, "bounced": 2,
               "skipped": 5, "unreadable": 0, "created": 2})
    );
    for id in 1..=6 {
        assert_eq!(env.show(id)["activities"], json!([]), "lead {id}");
    }
    assert_eq!(env.show(1)["status"], "new");
    env.run(&["show", "7"]).failure(3);
    env.run(&["mail", "import", &dir, "--dry-run"])
        .success()
        .stderr_has("(dry run: nothing was written)");
    assert_eq!(summary(&env, &[&dir])["logged"], json!(8));
}

#[test]
fn no_subject_stores_no_note() {
    let env = seller();
    let dir = maildir(&env);
    env.run(&["mail", "import", &dir, "--no-subject"]).success();
    assert_eq!(
        activities(&env, 4),
        [(
            "email_bounced".to_string(),
            "2026-03-05T08:00:02Z".to_string(),
            Value::Null
        )]
    );
}

#[test]
fn an_unreadable_message_is_skipped_with_a_warning_naming_its_file() {
    let env = seller();
    let dir = maildir(&env);
    let bad = format!("{dir}/new/1772800000.M1P1.host");
    std::fs::write(&bad, [0xff, 0x00, 0x1b, b'[', b'2', b'J', 0x07]).unwrap();
    std::fs::write(format!("{dir}/cur/1772800001.M1P1.host:2,S"), "").unwrap();
    let run = env
        .run(&["mail", "import", &dir, "--format", "json"])
        .success();
    assert_eq!(run.json()["unreadable"], json!(2));
    assert_eq!(run.json()["logged"], json!(8));
    assert!(
        run.stderr.contains(&format!(
        "leads: warning: {bad}: cannot read the message (no sender and no recipient); skipped\n"
    )),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("cannot read the message (it is empty); skipped"));
}

#[test]
fn without_mail_me_or_with_a_missing_path_nothing_is_read() {
    let env = Env::new();
    env.add(&["Bruno Keller", "--email", "bruno@keller-bau.example"]);
    let dir = maildir(&env);
    env.run(&["mail", "import", &dir])
        .failure(65)
        .stderr_has("leads config mail.me");
    env.run(&["config", "mail.me", "ann@acme.example"])
        .success();
    env.run(&["mail", "import", &dir, "no-such-folder"])
        .failure(66)
        .stderr_has("cannot read no-such-folder");
    env.run(&["mail", "import"]).failure(2);
}

#[test]
fn mail_settings_are_checked_listed_and_cleared() {
    let env = Env::new();
    env.run(&["config", "mail.me", "ann@acme.example, acme.example"])
        .failure(65)
        .stderr_has("'acme.example' is not an email address");
    env.run(&["config", "mail.ignore", "not a domain"])
        .failure(65)
        .stderr_has("'not a domain' is neither an email address nor a domain");
    env.run(&["config", "mail.me", "ann@acme.example"])
        .success();
    env.run(&["config", "mail.me", "--add", "a.smith@ACME.example"])
        .success()
        .stderr_is("mail.me = [\"ann@acme.example\", \"a.smith@acme.example\"] (was [\"ann@acme.example\"])\n");
    env.run(&[
        "config",
        "mail.ignore",
        "@calendar.example, boss@holding.example",
    ])
    .success();
    env.run(&["config", "mail.me"])
        .success()
        .stdout_is("ann@acme.example,a.smith@acme.example\n");
    let all = env.run(&["config", "--format", "json"]).success().json();
    assert_eq!(
        all["mail"],
        json!({"me": ["ann@acme.example", "a.smith@acme.example"],
               "ignore": ["calendar.example", "boss@holding.example"]})
    );
    env.run(&["config", "mail.ignore", "default"]).success();
    env.run(&["config", "mail.ignore"])
        .success()
        .stdout_is("\n");
}

#[test]
fn dates_are_the_messages_own_whatever_the_time_zone() {
    let env = seller();
    let dir = maildir(&env);
    env.run_with_env(&[("TZ", "Pacific/Auckland")], &["mail", "import", &dir])
        .success();
    // Dana wrote at 09:12 on Wednesday in Auckland: Tuesday 20:12 UTC.
    assert_eq!(
        activities(&env, 3)[1],
        act(
            "email_replied",
            "2026-03-03T20:12:44Z",
            "Re: Café next week?"
        )
    );
    // A message without a Date is dated by its Maildir name (when it arrived); one dated
    // in the future counts as arriving now.
    let undated = "From: Bruno Keller <bruno@keller-bau.example>\nTo: ann@acme.example\nSubject: undated\nMessage-ID: <u1@x.example>\n\nHi";
    let future = "From: Bruno Keller <bruno@keller-bau.example>\nTo: ann@acme.example\nSubject: from the future\nDate: Fri, 1 Jan 2100 00:00:00 +0000\nMessage-ID: <u2@x.example>\n\nHi";
    std::fs::write(format!("{dir}/new/1772900000.M5P5.host"), undated).unwrap();
    std::fs::write(format!("{dir}/new/1772900001.M5P5.host"), future).unwrap();
    env.run_with_env(&[("TZ", "Pacific/Auckland")], &["mail", "import", &dir])
        .success();
    let bruno = activities(&env, 1);
    assert!(
        bruno.contains(&act("email_replied", "2026-03-07T16:13:20Z", "undated")),
        "{bruno:?}"
    );
    assert!(
        bruno.contains(&act("email_replied", LATER, "from the future")),
        "{bruno:?}"
    );
}

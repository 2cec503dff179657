//! `leads import` and `leads export` through the real binary: files in the shapes of
//! real exports, a broken file, a large generated one, undo, dry runs, a killed import,
//! and the export -> import round trip.
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;

/// Every lead, by `list --format json`.
fn all_leads(env: &Env) -> Vec<Value> {
    let run = env
        .run(&["list", "--all", "--format", "json", "--sort", "created"])
        .success();
    run.json().as_array().cloned().unwrap_or_default()
}

/// The lead with this email.
fn lead_with_email(env: &Env, email: &str) -> Value {
    all_leads(env)
        .into_iter()
        .find(|lead| lead["email"] == email)
        .unwrap_or_else(|| panic!("no lead with email {email}"))
}

/// The import summary printed with `--format json`.
fn summary(run: &Run) -> Value {
    run.json()
}

/// Pick the fields a test checks.
fn pick(lead: &Value, fields: &[&str]) -> Value {
    let mut picked = serde_json::Map::new();
    for field in fields {
        picked.insert(field.to_string(), lead[field].clone());
    }
    Value::Object(picked)
}

#[test]
fn a_salesforce_report_with_bom_crlf_quoted_newlines_and_commas() {
    let env = Env::new();
    let csv = "\u{feff}Lead ID,Salutation,First Name,Last Name,Title,Company,Email,Phone,Lead Source,Lead Status,Created Date,Description,Email Opt Out,Rating\r\n\
        00Q1,Ms.,Ada,Lovelace,VP Engineering,\"Analytical Engines, Ltd.\",ada@example.com,+44 20 7946 0000,Trade Show,Working - Contacted,2025-01-15,\"Met at the expo.\r\nWants a demo.\",0,Hot\r\n\
        00Q2,Mr.,Charles,Babbage,Dr.,\"Difference, Inc.\",charles@example.com,,Web,Closed - Converted,2024-12-01,,1,Warm\r\n";
    let file = env.write("salesforce.csv", csv);
    let run = env.run(&["import", &file, "--format", "json"]).success();
    assert_eq!(
        summary(&run),
        json!({"batch": 1, "imported": 2, "updated": 0, "skipped": 0, "rejected": 0, "warnings": 0})
    );
    let ada = lead_with_email(&env, "ada@example.com");
    assert_eq!(
        pick(
            &ada,
            &[
                "first_name",
                "last_name",
                "title",
                "company",
                "phone",
                "source",
                "status",
                "created_at",
                "notes",
                "external_id",
                "do_not_contact",
                "attributes"
            ]
        ),
        json!({
            "first_name": "Ada", "last_name": "Lovelace", "title": "VP Engineering",
            "company": "Analytical Engines, Ltd.", "phone": "+44 20 7946 0000",
            "source": "trade_show", "status": "contacted", "created_at": "2025-01-15T00:00:00Z",
            "notes": "Met at the expo.\r\nWants a demo.", "external_id": "00Q1",
            "do_not_contact": false, "attributes": {"Rating": "Hot", "Salutation": "Ms."}
        })
    );
    let charles = lead_with_email(&env, "charles@example.com");
    // "Dr." in a Title column is an honorific, not a job title: kept in attributes.
    assert_eq!(
        pick(
            &charles,
            &["title", "status", "source", "do_not_contact", "attributes"]
        ),
        json!({
            "title": null, "status": "won", "source": "web_form", "do_not_contact": true,
            "attributes": {"Rating": "Warm", "Salutation": "Mr.", "Title": "Dr."}
        })
    );
}

#[test]
fn a_hubspot_export_maps_original_source_and_keeps_unknown_values() {
    let env = Env::new();
    let csv = "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,Lead Status,Original Source,Create Date,Lifecycle Stage\n\
        501,Grace,Hopper,grace@example.com,555-0100,Navy Labs,Rear Admiral,Sleeping,Organic Search,2025-02-03 14:30,lead\n\
        502,Alan,Turing,alan@example.com,,Bletchley,,Open,Referrals,2025-02-04 09:00:00,subscriber\n";
    let file = env.write("hubspot.csv", csv);
    let run = env.run(&["import", &file, "--format", "json"]).success();
    assert_eq!(summary(&run)["warnings"], 2);
    assert_eq!(summary(&run)["imported"], 2);
    let grace = lead_with_email(&env, "grace@example.com");
    assert_eq!(
        pick(
            &grace,
            &[
                "first_name",
                "phone",
                "company",
                "title",
                "status",
                "source",
                "created_at",
                "external_id",
                "attributes"
            ]
        ),
        json!({
            "first_name": "Grace", "phone": "555-0100", "company": "Navy Labs",
            "title": "Rear Admiral", "status": "new", "source": "organic_search",
            "created_at": "2025-02-03T14:30:00Z", "external_id": "501",
            "attributes": {"Lead Status": "Sleeping", "Lifecycle Stage": "lead", "Original Source": "Organic Search"}
        })
    );
    let alan = lead_with_email(&env, "alan@example.com");
    assert_eq!(
        pick(&alan, &["source", "status"]),
        json!({"source": "referral", "status": "new"})
    );
}

#[test]
fn a_google_contacts_export_in_utf16() {
    let env = Env::new();
    let text = "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Value,Organization 1 - Name,Organization 1 - Title,Phone 1 - Value,Labels\r\n\
        Zoë Ångström,Zoë,Ångström,* Work,zoe@example.se,zoe.private@example.se,Ångström AB,CTO,+46 8 123 456,* myContacts ::: Customers\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let file = env.write("google.csv", bytes);
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 1, updated 0, skipped 0 duplicates, rejected 0");
    let zoe = lead_with_email(&env, "zoe@example.se");
    assert_eq!(
        pick(
            &zoe,
            &[
                "first_name",
                "last_name",
                "company",
                "title",
                "phone",
                "tags",
                "attributes"
            ]
        ),
        json!({
            "first_name": "Zoë", "last_name": "Ångström", "company": "Ångström AB", "title": "CTO",
            "phone": "+46 8 123 456", "tags": ["customers"],
            "attributes": {"E-mail 1 - Type": "* Work", "E-mail 2 - Value": "zoe.private@example.se"}
        })
    );
}

#[test]
fn an_outlook_export_in_windows_1252_needs_its_encoding() {
    let env = Env::new();
    let text = "First Name,Last Name,E-mail Address,Business Phone,Job Title,Company\r\nJosé,Müller,jose@example.de,+49 30 1234,Geschäftsführer,Société Générale\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let file = env.write("outlook.csv", bytes.as_ref());
    env.run(&["import", &file])
        .failure(65)
        .stderr_has("line 2 is not valid UTF-8")
        .stderr_has("--encoding windows-1252");
    assert_eq!(all_leads(&env), Vec::<Value>::new());
    env.run(&["import", &file, "--encoding", "windows-1252"])
        .success();
    let jose = lead_with_email(&env, "jose@example.de");
    assert_eq!(
        pick(
            &jose,
            &["first_name", "last_name", "phone", "title", "company"]
        ),
        json!({"first_name": "José", "last_name": "Müller", "phone": "+49 30 1234", "title": "Geschäftsführer", "company": "Société Générale"})
    );
    env.run(&["import", &file, "--encoding", "klingon"])
        .failure(65)
        .stderr_has("unknown encoding 'klingon'");
}

#[test]
fn a_mailchimp_export_and_an_eventbrite_list_from_stdin() {
    let env = Env::new();
    let mailchimp = "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,TAGS\n\
        mia@example.com,Mia,Wong,4,2025-03-01 08:15:00,\"\"\"VIP\"\",\"\"Webinar 2025\"\"\"\n";
    let file = env.write("mailchimp.csv", mailchimp);
    env.run(&["import", &file]).success();
    let mia = lead_with_email(&env, "mia@example.com");
    assert_eq!(
        pick(&mia, &["first_name", "created_at", "tags", "attributes"]),
        json!({"first_name": "Mia", "created_at": "2025-03-01T08:15:00Z", "tags": ["vip", "webinar 2025"], "attributes": {"MEMBER_RATING": "4"}})
    );

    let eventbrite =
        "Order #,Attendee #,First Name,Last Name,Email,Company,Job Title,Ticket Type\n\
        9001,77001,Lin,Chen,lin@example.com,\"Chen, Chen & Partners\",Buyer,Early Bird\n";
    let run = env
        .run_with_input(
            &["import", "-", "--format", "json"],
            Some(eventbrite.as_bytes()),
        )
        .success();
    assert_eq!(summary(&run)["batch"], 2);
    let lin = lead_with_email(&env, "lin@example.com");
    assert_eq!(
        pick(
            &lin,
            &["name", "company", "title", "external_id", "attributes"]
        ),
        json!({"name": "Lin Chen", "company": "Chen, Chen & Partners", "title": "Buyer", "external_id": "77001", "attributes": {"Order #": "9001", "Ticket Type": "Early Bird"}})
    );
}

#[test]
fn a_broken_file_reports_every_bad_row_and_imports_the_rest() {
    let env = Env::new();
    let csv = "Name,Email,Company\n\
        Ann Able,ann@example.com,Acme\n\
        Bad Email,bob@,Acme\n\
        \n\
        ,,\n\
        Ragged,ragged@example.com,Acme,extra\n\
        Ann Again,ANN@example.com,Acme\n\
        Cy Clone,cy@example.com,\"Unclosed, Inc.\"\n\
        Short\n";
    let file = env.write("broken.csv", csv);
    let rejects = env.path("rejects.csv");
    let run = env
        .run(&[
            "import",
            &file,
            "--rejects",
            rejects.to_str().unwrap(),
            "--format",
            "json",
        ])
        .failure(65)
        .stderr_has("leads: warning: line 3: invalid email 'bob@' (expected an address like name@example.com or Name <name@example.com>); kept in attributes as 'Email'")
        .stderr_has("line 6: rejected: a value in cell 4 where the header has 3")
        .stderr_has("line 7: skipped: duplicate of lead 1 (same email)")
        .stderr_has("line 9: rejected: 1 cells where the header has 3");
    assert_eq!(
        summary(&run),
        json!({"batch": 1, "imported": 3, "updated": 0, "skipped": 1, "rejected": 2, "warnings": 1})
    );
    assert_eq!(
        std::fs::read_to_string(&rejects).unwrap(),
        "error,Name,Email,Company\n\
         a value in cell 4 where the header has 3 (a missing quote or an unquoted comma?),Ragged,ragged@example.com,Acme,extra\n\
         1 cells where the header has 3 (a missing quote or an unquoted comma?),Short\n"
    );
    let names: Vec<Value> = all_leads(&env).iter().map(|l| l["name"].clone()).collect();
    assert_eq!(names.len(), 3);
    assert_eq!(
        pick(
            &all_leads(&env)
                .into_iter()
                .find(|lead| lead["name"] == "Bad Email")
                .unwrap(),
            &["email", "attributes"]
        ),
        json!({"email": null, "attributes": {"Email": "bob@"}})
    );
    assert!(names.contains(&json!("Ann Able")) && names.contains(&json!("Cy Clone")));
}

#[test]
fn strict_imports_all_or_nothing_and_dry_run_writes_nothing() {
    let env = Env::new();
    let file = env.write(
        "mixed.csv",
        "Name,Email\nAnn,ann@example.com\nBob,bob@example.com,extra\n",
    );
    let run = env
        .run(&["import", &file, "--strict", "--format", "json"])
        .failure(65)
        .stderr_has("nothing was imported (--strict)");
    assert_eq!(
        summary(&run),
        json!({"batch": null, "imported": 0, "updated": 0, "skipped": 0, "rejected": 1, "warnings": 0})
    );
    assert_eq!(all_leads(&env), Vec::<Value>::new());

    let good = env.write(
        "good.csv",
        "Name,Email\nAnn,ann@example.com\nAnn twice,ann@example.com\n",
    );
    env.run(&["import", &good, "--dry-run"])
        .success()
        .stderr_has(
        "imported 1, updated 0, skipped 1 duplicates, rejected 0 (dry run: nothing was written)",
    );
    assert_eq!(all_leads(&env), Vec::<Value>::new());
    let run = env.run(&["import", &good, "--format", "json"]).success();
    assert_eq!(summary(&run)["batch"], 1, "a dry run uses no batch id");
}

#[test]
fn duplicates_against_the_database_skip_update_or_error() {
    let env = Env::new();
    let id = env.add(&[
        "Ann Able",
        "--email",
        "ann@example.com",
        "--company",
        "Acme",
    ]);
    let file = env.write(
        "again.csv",
        "Name,Email,Phone,Lead Status,Tags\nAnn Able,ANN@example.com,555-0101,Working - Contacted,vip\nNew Person,new@example.com,,,\n",
    );
    let run = env
        .run(&["import", &file, "--format", "json", "--dry-run"])
        .success();
    assert_eq!(
        summary(&run),
        json!({"batch": null, "imported": 1, "updated": 0, "skipped": 1, "rejected": 0, "warnings": 0})
    );

    let run = env
        .run(&[
            "import",
            &file,
            "--on-duplicate",
            "error",
            "--format",
            "json",
        ])
        .failure(65)
        .stderr_has(&format!("line 2: rejected: duplicate of lead {id}"));
    assert_eq!(summary(&run)["imported"], 1);

    let run = env
        .run(&[
            "import",
            &file,
            "--on-duplicate",
            "update",
            "--format",
            "json",
        ])
        .success();
    assert_eq!(
        summary(&run),
        json!({"batch": 2, "imported": 0, "updated": 2, "skipped": 0, "rejected": 0, "warnings": 0})
    );
    let ann = env.show(id);
    let ann = if ann.get("lead").is_some() {
        ann["lead"].clone()
    } else {
        ann
    };
    assert_eq!(
        pick(&ann, &["email", "company", "phone", "status", "tags"]),
        json!({"email": "ANN@example.com", "company": "Acme", "phone": "555-0101", "status": "contacted", "tags": ["vip"]})
    );
}

#[test]
fn undo_removes_what_a_batch_created() {
    let env = Env::new();
    let kept = env.add(&["Kept Person", "--email", "kept@example.com"]);
    let file = env.write(
        "batch.csv",
        "Name,Email\nOne,one@example.com\nTwo,two@example.com\nKept,kept@example.com\n",
    );
    let run = env.run(&["import", &file, "--format", "json"]).success();
    let batch = summary(&run)["batch"].as_i64().unwrap();
    assert_eq!(all_leads(&env).len(), 3);
    env.run(&["import", "--undo", &batch.to_string()])
        .success()
        .stderr_has(&format!("removed 2 leads created by import batch {batch}"));
    let left: Vec<Value> = all_leads(&env).iter().map(|l| l["id"].clone()).collect();
    assert_eq!(left, vec![json!(kept)]);
    env.run(&["import", "--undo", &batch.to_string()])
        .success()
        .stderr_has("already undone");
    env.run(&["import", "--undo", "99"])
        .failure(3)
        .stderr_has("no import batch 99");
}

#[test]
fn dates_are_never_guessed_and_maps_override() {
    let env = Env::new();
    let csv = "Full Name,Mail 2,Signup Date,Fax\nAnn Able,ann@example.com,03/04/2025,555\n";
    let file = env.write("dates.csv", csv);
    env.run(&["import", &file, "--map", "Mail 2=email", "--strict"])
        .failure(65)
        .stderr_has("line 2: rejected: Signup Date: ambiguous date '03/04/2025'");
    env.run(&["import", &file, "--map", "Mail 2=email"])
        .success()
        .stderr_has("leads: warning: line 2: Signup Date: ambiguous date '03/04/2025': day and month could be either way and no date of the column settles it; --date-format '%m/%d/%Y' or '%d/%m/%Y' would read it; the value is kept in attributes");
    let ann = lead_with_email(&env, "ann@example.com");
    assert_eq!(
        ann["attributes"],
        json!({"Signup Date": "03/04/2025", "Fax": "555"})
    );
    assert_eq!(ann["created_at"], NOW);
    env.run(&["import", "--undo", "1"]).success();
    let file2 = env.write(
        "dates2.csv",
        "Full Name,Mail 2,Created Date,Fax\nAnn Able,ann@example.com,03/04/2025,555\n",
    );
    env.run(&[
        "import",
        &file2,
        "--map",
        "Mail 2=email",
        "--map",
        "fax=-",
        "--date-format",
        "%d/%m/%Y",
    ])
    .success();
    let ann = lead_with_email(&env, "ann@example.com");
    assert_eq!(
        pick(&ann, &["first_name", "created_at", "attributes"]),
        json!({"first_name": "Ann", "created_at": "2025-04-03T00:00:00Z", "attributes": {}})
    );
    env.run(&["import", &file2, "--map", "Nope=email"])
        .failure(65)
        .stderr_has("no column 'Nope'");
}

#[test]
fn a_missing_file_exits_66() {
    let env = Env::new();
    env.run(&["import", "no-such-file.csv"])
        .failure(66)
        .stderr_has("no-such-file.csv");
}

#[test]
fn export_then_import_gives_back_the_same_leads() {
    let env = Env::new();
    let ada = env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--phone",
        "+1 555 0100",
        "--company",
        "=Engines, Ltd",
        "--title=-VP-",
        "--industry",
        "software",
        "--size",
        "120",
        "--country",
        "UK",
        "--website",
        "https://ada.example",
        "--source",
        "Podcast Guest",
        "--source-detail",
        "Episode 12",
        "--tag",
        "vip",
        "--tag",
        "expo 2025",
        "--note",
        "@home \"quoted\"\nsecond line",
        "--incentivized",
        "--aware",
    ]);
    env.run(&[
        "edit",
        &ada.to_string(),
        "--attr",
        "Shoe Size=44",
        "--attr",
        "Formula=+SUM(A1)",
        "--do-not-contact",
        "true",
        "--external-id",
        "X-1",
    ])
    .success();
    env.add(&["Bare Company", "--company", "Just A Company"]);
    let charles = env.add(&["Charles Babbage", "--email", "charles@example.com"]);
    env.run(&["status", &charles.to_string(), "qualified"])
        .success();

    let before = all_leads(&env);
    for format in ["csv", "json", "ndjson"] {
        let out = env.path(&format!("export.{format}"));
        env.run(&["export", "--format", format, "-o", out.to_str().unwrap()])
            .success();
        let fresh = Env::new();
        let from = if format == "csv" { "csv" } else { format };
        fresh
            .run(&["import", out.to_str().unwrap(), "--from", from])
            .success()
            .stderr_has("imported 3, updated 0, skipped 0 duplicates, rejected 0");
        let after = all_leads(&fresh);
        assert_eq!(after, before, "round trip through {format}");
    }
    // Formula-like cells are neutralized in the CSV itself.
    let csv = env.run(&["export"]).success().stdout;
    assert!(csv.contains(",'+1 555 0100,"), "{csv}");
    assert!(csv.contains("\"'=Engines, Ltd\""), "{csv}");
    assert!(csv.contains(",'-VP-,"), "{csv}");
}

#[test]
fn export_takes_list_filters_and_redacts() {
    let env = Env::new();
    env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--phone",
        "+1 555 0100",
        "--company",
        "Engines",
        "--tag",
        "vip",
    ]);
    env.add(&[
        "Bob Other",
        "--email",
        "bob@example.com",
        "--phone",
        "555-0199",
    ]);
    let vip = env
        .run(&["export", "--tag", "vip", "--format", "ndjson"])
        .success()
        .ndjson();
    assert_eq!(vip.len(), 1);
    assert_eq!(vip[0]["email"], "ada@example.com");

    for format in ["csv", "json", "ndjson"] {
        let out = env
            .run(&["export", "--redact", "--format", format])
            .success()
            .stdout;
        for secret in [
            "ada@example.com",
            "bob@example.com",
            "555 0100",
            "555-0199",
            "Lovelace",
            "Bob",
        ] {
            assert!(
                !out.contains(secret),
                "{secret} in the redacted {format}: {out}"
            );
        }
        assert!(out.contains("Engines"), "{out}");
    }
}

#[test]
fn opt_out_columns_and_forgotten_people() {
    let env = Env::new();
    let csv = "Name,Email,Do Not Email,DoNotCall\nAnn,ann@example.com,yes,\nBob,bob@example.com,,x\nCy,cy@example.com,false,0\n";
    let file = env.write("optout.csv", csv);
    env.run(&["import", &file]).success();
    let flags: Vec<(Value, Value)> = ["ann@example.com", "bob@example.com", "cy@example.com"]
        .iter()
        .map(|e| {
            let lead = lead_with_email(&env, e);
            (lead["email"].clone(), lead["do_not_contact"].clone())
        })
        .collect();
    assert_eq!(
        flags,
        vec![
            (json!("ann@example.com"), json!(true)),
            (json!("bob@example.com"), json!(true)),
            (json!("cy@example.com"), json!(false))
        ]
    );

    // Someone who asked to be forgotten is not re-added by an import.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "INSERT INTO forgotten (email_hash, forgotten_at) VALUES (?1, '2026-01-01T00:00:00Z')",
        [leads::store::email_hash("Gone@Example.com")],
    )
    .unwrap();
    drop(conn);
    let file = env.write("back.csv", "Name,Email\nGone Person,gone@example.com\n");
    let run = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .stderr_has("gone@example.com asked to be forgotten");
    assert_eq!(
        summary(&run),
        json!({"batch": null, "imported": 0, "updated": 0, "skipped": 1, "rejected": 0, "warnings": 1})
    );
    env.run(&["import", &file, "--allow-forgotten"])
        .success()
        .stderr_has("imported 1");
}

/// A generated lead list of `rows` rows.
fn generated(rows: usize) -> String {
    let mut csv = String::with_capacity(rows * 120);
    csv.push_str("First Name,Last Name,Email,Company,Job Title,Lead Source,Created Date,Notes\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "First{i},Last{i},person{i}@example.com,\"Company {}, Inc.\",Buyer,Webinar,2025-{:02}-{:02},note {i}\n",
            i % 1000,
            i % 12 + 1,
            i % 28 + 1
        ));
    }
    csv
}

#[test]
fn a_hundred_thousand_rows() {
    let env = Env::new();
    let file = env.write("big.csv", generated(100_000));
    let run = env.run(&["import", &file, "--format", "json"]).success();
    // Every generated row is the same buyer from the same webinar: the score is blind.
    assert_eq!(
        summary(&run),
        json!({"batch": 1, "imported": 100000, "updated": 0, "skipped": 0, "rejected": 0, "warnings": 0, "blind": true})
    );
    let last = env
        .run(&[
            "list",
            "--search",
            "person99999@example.com",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(
        pick(
            &last[0],
            &["first_name", "company", "source", "created_at", "notes"]
        ),
        json!({"first_name": "First99999", "company": "Company 999, Inc.", "source": "webinar", "created_at": "2025-04-12T00:00:00Z", "notes": "note 99999"})
    );
    // The same file again: every row is a duplicate now.
    let again = env.run(&["import", &file, "--format", "json"]).success();
    assert_eq!(summary(&again)["skipped"], 100000);
}

#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    let env = Env::new();
    env.add(&["Before One", "--email", "one@example.com"]);
    env.add(&["Before Two", "--email", "two@example.com"]);
    let before = all_leads(&env);

    let data = generated(300_000);
    let mut child = env
        .command(&["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Feed half the file, then wait until the import has begun writing.
    let half = data.len() / 2;
    stdin.write_all(&data.as_bytes()[..half]).unwrap();
    let wal = env.path("leads.db-wal");
    let started = Instant::now();
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) < 1_000_000 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the import never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);

    assert_eq!(all_leads(&env), before);
    let file = env.write("after.csv", "Name,Email\nAfter,after@example.com\n");
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 1");
    assert_eq!(all_leads(&env).len(), 3);
}

/// The journal mode the database file is in.
fn journal_mode(env: &Env) -> String {
    let conn = rusqlite::Connection::open(&env.db).expect("open the database");
    conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("read the journal mode")
}

#[test]
fn a_killed_import_into_an_empty_database_leaves_it_empty() {
    // An import into an empty database writes through a rollback journal, not the WAL.
    let env = Env::new();
    let data = generated(300_000);
    let mut child = env
        .command(&["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let half = data.len() / 2;
    stdin.write_all(&data.as_bytes()[..half]).unwrap();
    // Wait until new pages have gone into the database file itself.
    let journal = env.path("leads.db-journal");
    let started = Instant::now();
    while !journal.exists() || std::fs::metadata(&env.db).map_or(0, |m| m.len()) < 4_000_000 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the import never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);

    assert_eq!(all_leads(&env), Vec::<Value>::new());
    assert_eq!(journal_mode(&env), "wal");
    let file = env.write("after.csv", "Name,Email\nAfter,after@example.com\n");
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 1");
    assert_eq!(all_leads(&env).len(), 1);
    assert_eq!(journal_mode(&env), "wal", "back to WAL after the import");
}

#[test]
fn json_and_ndjson_imports() {
    let env = Env::new();
    let ndjson = "{\"name\":\"Ann Able\",\"email\":\"ann@example.com\",\"tags\":[\"vip\"],\"attributes\":{\"Shoe\":\"44\"},\"status\":\"nurturing\"}\n\
        not json\n\
        {\"email\":\"bad@\"}\n";
    let file = env.write("leads.ndjson", ndjson);
    let rejects = env.path("rejects.ndjson");
    env.run(&[
        "import",
        &file,
        "--from",
        "ndjson",
        "--rejects",
        rejects.to_str().unwrap(),
    ])
    .failure(65)
    .stderr_has("line 2: rejected: not valid JSON")
    .stderr_has("line 3: rejected: no name, company, email, phone, website or external id");
    let ann = lead_with_email(&env, "ann@example.com");
    assert_eq!(
        pick(&ann, &["first_name", "tags", "attributes", "status"]),
        json!({"first_name": "Ann", "tags": ["vip"], "attributes": {"Shoe": "44"}, "status": "nurturing"})
    );
    let rejected: Vec<Value> = std::fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        rejected[1],
        json!({"email": "bad@", "error": "no name, company, email, phone, website or external id: nothing to know the lead by"})
    );

    let json = env.write(
        "leads.json",
        "[{\"first_name\":\"Bo\",\"email\":\"bo@example.com\"}]",
    );
    env.run(&["import", &json, "--from", "json"])
        .success()
        .stderr_has("imported 1");
}

#[test]
fn the_input_tells_its_format_and_stdin_needs_no_dash() {
    let env = Env::new();
    // Excel's CSV where the decimal mark is a comma: semicolons.
    let semicolons = env.write(
        "excel.csv",
        "Vorname;Nachname;E-Mail;Firma\nJürgen;Groß;juergen@example.de;Müller, Schmidt & Co\n",
    );
    env.run(&["import", &semicolons]).success();
    // Piped JSON without --from, and no `-`.
    let json = br#"[{"first_name": "Ada", "email": "ada@example.com", "tags": ["vip"]}]"#;
    env.run_with_input(&["import"], Some(json)).success();
    let ndjson = b"{\"first_name\": \"Bo\", \"email\": \"bo@example.com\"}\n";
    env.run_with_input(&["import", "-"], Some(ndjson)).success();
    let leads = env
        .run(&["list", "--sort", "name", "--format", "json"])
        .success()
        .json();
    let summary: Vec<(String, String)> = leads
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().into(),
                l["email"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Ada".to_string(), "ada@example.com".to_string()),
            ("Bo".into(), "bo@example.com".into()),
            ("Jürgen Groß".into(), "juergen@example.de".into()),
        ]
    );
    assert_eq!(leads[2]["company"], "Müller, Schmidt & Co");
}

#[test]
fn the_rejects_file_cannot_run_formulas() {
    let env = Env::new();
    let input = env.write("bad.csv", "Email,Note\nnot-an-email,@SUM(A1)\n");
    let rejects = env.path("rejects.csv");
    env.run(&["import", &input, "--rejects", rejects.to_str().unwrap()])
        .failure(65);
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        written,
        "error,Email,Note\n\"no name, company, email, phone, website or external id: nothing to know the lead by\",not-an-email,'@SUM(A1)\n"
    );
}

#[test]
fn an_empty_json_record_is_rejected_not_dropped() {
    let env = Env::new();
    let run = env.run_with_input(
        &["import", "-", "--format", "json"],
        Some(br#"[{"email": "a@example.com"}, {}, {"first_name": null}]"#),
    );
    let run = run.failure(65);
    assert_eq!(
        run.json(),
        serde_json::json!({"batch": 1, "imported": 1, "updated": 0, "skipped": 0, "rejected": 2, "warnings": 0})
    );
    assert!(
        run.stderr
            .contains("record 2: rejected: empty record: no field has a value"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_date_format_or_a_folder_fails_once_and_clearly() {
    let env = Env::new();
    let file = env.write("d.csv", "Name,Created Date\nAda,03/04/2025\n");
    env.run(&["import", &file, "--date-format", "%Q"])
        .failure(65)
        .stderr_has("--date-format: invalid pattern '%Q'");
    env.run(&["import", &file, "--date-format", "%H:%M"])
        .failure(65)
        .stderr_has("invalid pattern '%H:%M'");
    let folder = env.dir().to_string_lossy().into_owned();
    env.run(&["import", &folder])
        .failure(66)
        .stderr_has("it is a folder, not a file");
    env.run(&["import", &file, "--date-format", "%d/%m/%Y"])
        .success();
    assert_eq!(
        env.run(&["list", "--format", "json"]).success().json()[0]["created_at"],
        "2025-04-03T00:00:00Z"
    );
}

//! `leads import` through the real binary: files in the shapes of real exports (Salesforce,
//! HubSpot, Google Contacts in UTF-16, Outlook in Windows-1252, Mailchimp, Eventbrite on
//! standard input), JSON and NDJSON, the reader's hostile shapes, a broken file's rejects
//! and the rejects file, dates never guessed, duplicates in the file and in the database,
//! flags for a whole file, the dry run's column mapping, opt-out columns, vCard both ways,
//! encodings, and a hundred thousand rows.

use serde_json::{json, Value};

use crate::harness::*;

fn leads(env: &Env) -> Vec<Value> {
    env.run(&["export", "--format", "json"])
        .success()
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn an_unterminated_quote_never_swallows_the_rest_of_the_file() {
    let env = Env::new();
    let mut csv = String::from("Name,Email,Notes\n");
    for n in 1..=4 {
        csv.push_str(&format!("P{n},p{n}@example.com,fine\n"));
    }
    csv.push_str("Quinn,quinn@example.com,\"oops\n");
    for n in 6..=9 {
        csv.push_str(&format!("P{n},p{n}@example.com,fine\n"));
    }
    let file = env.write("quote.csv", &csv);
    env.run(&["import", &file, "--strict"])
        .failure(65)
        .stderr_has("line 6: rejected: a quote opened on line 6 is never closed")
        .stderr_has("nothing was imported (--strict)");
    assert_eq!(leads(&env).len(), 0);
    let run = env.run(&["import", &file, "--format", "json"]).failure(65);
    assert_eq!(
        run.json(),
        json!({"batch": 1, "imported": 4, "updated": 0, "skipped": 0, "rejected": 1, "warnings": 0})
    );
    assert!(leads(&env).iter().all(|lead| lead["notes"] == "fine"));
    // In an earlier column, after quoted line breaks: still the line where it opened.
    let earlier = env.write(
        "earlier.csv",
        "Name,Email,Notes\nAda,ada@example.com,\"two\nlines\"\nBo,\"bo@example.com,x\nCy,cy@example.com,z\n",
    );
    env.run(&["import", &earlier])
        .failure(65)
        .stderr_has("line 4: rejected: a quote opened on line 4 is never closed");
}

#[test]
fn old_mac_files_and_a_bom_before_windows_1252() {
    let env = Env::new();
    let mac = env.write(
        "mac.csv",
        "First Name,Last Name,E-mail Address\rAda,Byron,ada@example.com\rBo,Lund,bo@example.com\r",
    );
    env.run(&["import", &mac])
        .success()
        .stderr_has("imported 2, updated 0");
    let mut bytes = b"\xEF\xBB\xBFFirst Name,Company,Email\r\n".to_vec();
    bytes.extend(b"Ren\xE9e,Soci\xE9t\xE9 \x80,renee@example.fr\r\n");
    let file = env.write("legacy.csv", bytes);
    env.run(&["import", &file])
        .failure(65)
        .stderr_has("line 2 is not valid UTF-8");
    env.run(&["import", &file, "--encoding", "windows-1252"])
        .success();
    let renee = leads(&env)
        .into_iter()
        .find(|lead| lead["email"] == "renee@example.fr")
        .unwrap();
    assert_eq!(renee["first_name"], "Renée");
    assert_eq!(renee["company"], "Société €");
}

#[test]
fn dates_say_which_format_reads_them_and_y_refuses_two_digits() {
    let env = Env::new();
    let file = env.write(
        "dates.csv",
        "Email,Create Date\na@example.com,2/5/24 1:51\nb@example.com,3/4/24 10:00\n",
    );
    env.run(&["import", &file, "--date-format", "%m/%d/%Y %H:%M"])
        .success()
        .stderr_has("date '2/5/24 1:51' has a short year, which %Y does not take");
    let run = env.run(&["import", "--undo", "1"]).success();
    assert!(run.stderr.contains("removed 2 leads"), "{}", run.stderr);
    let run = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .stderr_has("leads: warning: line 2: Create Date: ambiguous date '2/5/24 1:51': day and month could be either way and no date of the column settles it; --date-format '%m/%d/%y %H:%M' or '%d/%m/%y %H:%M' would read it; the value is kept in attributes")
        .stderr_has("leads: warning: Create Date: 1 more date like it could not be read (kept in attributes)");
    assert_eq!(run.json()["warnings"], 2);
    assert_eq!(
        run.stderr.matches("ambiguous date").count(),
        1,
        "{}",
        run.stderr
    );
    env.run(&["import", "--undo", "2"]).success();
    env.run(&["import", &file, "--date-format", "%m/%d/%y %H:%M"])
        .success();
    let dates: Vec<Value> = leads(&env)
        .iter()
        .map(|l| l["created_at"].clone())
        .collect();
    assert_eq!(
        dates,
        vec![json!("2024-02-05T01:51:00Z"), json!("2024-03-04T10:00:00Z")]
    );
}

#[test]
fn rows_without_email_are_duplicates_by_phone_or_name_and_company() {
    let env = Env::new();
    let csv = "Name,Company,Phone\n\
        Ada Byron,Acme,+1 (555) 010-0001\n\
        Bo Lund,Acme,\n\
        Ada B.,Other,1 555 010 0001\n\
        bo lund,ACME,\n";
    let file = env.write("nomail.csv", csv);
    let run = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .stderr_has("line 4: skipped: duplicate of lead 1 (same phone number)")
        .stderr_has("line 5: skipped: duplicate of lead 2 (same name and company)");
    assert_eq!(run.json()["imported"], 2);
    let again = env.run(&["import", &file, "--format", "json"]).success();
    assert_eq!(again.json()["imported"], 0);
    assert_eq!(again.json()["skipped"], 4);
}

#[test]
fn a_whole_file_gets_its_source_and_tags_and_the_dry_run_shows_the_mapping() {
    let env = Env::new();
    let file = env.write(
        "attendees.csv",
        "Order #,First Name,Last Name,Email,Mail,Attendee #\n1,Ann,Lee,ann@example.com,ann@home.example,77\n",
    );
    env.run(&[
        "import",
        &file,
        "--dry-run",
        "--source",
        "trade show",
        "--tag",
        "Expo 2026",
    ])
    .success()
    .stderr_has(
        "columns:\n  Order # -> attributes (neither its name nor its values name a field)\n  \
         First Name -> first_name (its name)\n  Last Name -> last_name (its name)\n  \
         Email -> email (its name)\n  Mail -> email (its values are email addresses)\n  \
         Attendee # -> external_id (its name)\n",
    )
    .stderr_has("(dry run: nothing was written)");
    // Not even the database (issue 11: a dry run never creates one).
    assert!(!env.db.exists());
    env.run(&[
        "import",
        &file,
        "--source",
        "trade show",
        "--source-detail",
        "Expo 2026",
        "--tag",
        "Expo 2026",
        "--tag",
        "vip",
    ])
    .success();
    let ann = &leads(&env)[0];
    assert_eq!(ann["source"], "trade_show");
    assert_eq!(ann["source_detail"], "Expo 2026");
    assert_eq!(ann["tags"], json!(["expo 2026", "vip"]));
    assert_eq!(ann["external_id"], "77");
}

#[test]
fn the_batches_are_listed_and_undo_guards_work_done_since() {
    let env = Env::new();
    let file = env.write(
        "a.csv",
        "Name,Email\nAda Byron,ada@example.com\nBo Lund,bo@example.com\n",
    );
    env.run(&["import", &file]).success();
    let list = env.run(&["import", "--list", "--format", "json"]).success();
    assert_eq!(
        list.json(),
        json!([{"id": 1, "at": NOW, "file": file, "imported": 2, "updated": 0, "undone_at": null, "by": "tester"}])
    );
    env.run(&["import", "--undo", "1", "--dry-run"])
        .success()
        .stderr_has(
            "would remove 2 leads created by import batch 1 (dry run: nothing was removed)",
        );
    assert_eq!(leads(&env).len(), 2);
    env.run(&["log", "1", "call", "--note", "meeting booked"])
        .success();
    env.run(&["import", "--undo", "1", "--dry-run"])
        .success()
        .stderr_has("would remove 2 leads created by import batch 1; 1 of them worked on since the import (activities, follow-ups, answers, status moves or edits: 1)");
    env.run(&["import", "--undo", "1"])
        .failure(4)
        .stderr_has("import batch 1 has 1 lead worked on since the import")
        .stderr_has("--force removes them anyway");
    assert_eq!(leads(&env).len(), 2);
    env.run(&["import", "--undo", "1", "--force"])
        .success()
        .stderr_has("removed 2 leads created by import batch 1");
    assert!(leads(&env).is_empty());
    let table = env.run(&["import", "--list"]).success();
    assert!(table.stdout.starts_with("BATCH  AT"), "{}", table.stdout);
    assert!(
        table.stdout.contains("2026-03-01 09:00"),
        "{}",
        table.stdout
    );
}

#[test]
fn vcards_export_and_import_back() {
    let env = Env::new();
    env.add(&[
        "Zoë Quill",
        "--email",
        "zoe@example.com",
        "--company",
        "Quill; Sons, Ltd",
        "--phone",
        "+1 555 0100",
        "--tag",
        "vip",
        "--note",
        "two\nlines",
    ]);
    let vcf = env.run(&["export", "--format", "vcard"]).success().stdout;
    assert!(
        vcf.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Quill;Zoë;;;\r\nFN:Zoë Quill\r\n"),
        "{vcf}"
    );
    assert!(vcf.contains("ORG:Quill\\; Sons\\, Ltd\r\n"), "{vcf}");
    let other = Env::new();
    let file = other.write("out.vcf", &vcf);
    other.run(&["import", &file]).success();
    let back = &leads(&other)[0];
    let original = &leads(&env)[0];
    for field in [
        "first_name",
        "last_name",
        "email",
        "phone",
        "company",
        "tags",
        "notes",
    ] {
        assert_eq!(back[field], original[field], "{field}");
    }
    let again = other.run(&["import", &file, "--format", "json"]).success();
    assert_eq!(again.json()["imported"], 0);
}

#[test]
fn a_hundred_thousand_identical_headers_import_in_linear_time() {
    let env = Env::new();
    let columns = 100_000;
    let mut csv = vec!["Email"; columns].join(",");
    csv.push_str("\nada@example.com");
    csv.push_str(&",".repeat(columns - 1));
    csv.push('\n');
    let file = env.write("wide.csv", &csv);
    let started = std::time::Instant::now();
    env.run(&["import", &file]).success();
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!(leads(&env)[0]["email"], "ada@example.com");
}

/// A date written without a zone is the seller's local time, as the tool showed it.
#[test]
fn dates_without_a_zone_are_in_the_local_time_zone() {
    let env = Env::new();
    let file = env.write(
        "zoho.csv",
        "First Name,Email,Created Time\nAda,ada@example.com,\"15 Apr, 2021 00:03:00\"\n",
    );
    let mut command = env.command(&["import", &file]);
    command.env("TZ", "Pacific/Auckland");
    let status = command.status().unwrap();
    assert!(status.success());
    // 00:03 in Auckland (UTC+12 once summer time ended on 4 April) is 12:03 UTC the day before.
    assert_eq!(leads(&env)[0]["created_at"], "2021-04-14T12:03:00Z");
}

/// An import whose new leads all score alike says the score is blind to them, and where
/// to go from there; one whose leads differ says nothing of the kind.
#[test]
fn an_import_the_score_cannot_tell_apart_says_so() {
    let env = Env::new();
    let mut alike = String::from("name,email\n");
    for i in 0..20 {
        alike.push_str(&format!("Person {i},person{i}@example.com\n"));
    }
    let file = env.write("alike.csv", alike);
    env.run(&["import", &file])
        .success()
        .stderr_has("the 20 new leads all score ");
    env.run(&["import", "--undo", "1", "--force"]).success();
    let json = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(json["blind"], true);

    let mut varied = String::from("name,email,title,source,company,phone\n");
    let titles = ["CEO", "Intern", "Head of Sales", "Student", "VP Marketing"];
    let sources = ["referral", "purchased_list", "web_form", "trade_show"];
    for i in 0..20 {
        varied.push_str(&format!(
            "Other {i},other{i}@corp{i}.com,{},{},{},{}\n",
            titles[i % 5],
            sources[i % 4],
            if i % 2 == 0 { "Acme" } else { "" },
            if i % 3 == 0 { "+1 555 0100" } else { "" },
        ));
    }
    let file = env.write("varied.csv", varied);
    let run = env.run(&["import", &file]).success();
    assert!(
        !run.stderr.contains("cannot tell them apart"),
        "{}",
        run.stderr
    );
}

const RAGGED: &str = "Name,Mail,Firm,Badge\nAnn,ann@x.test,A,1\nCarl,,,,extra\n";

/// The lead with this email.
fn lead_with_email(env: &Env, email: &str) -> Value {
    all_leads(env)
        .into_iter()
        .find(|lead| lead["email"] == email)
        .unwrap_or_else(|| panic!("no lead with email {email}"))
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
fn the_dry_run_says_where_a_linkedin_profile_url_goes() {
    let env = Env::new();
    let file = env.write(
        "Connections.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Ann,Lee,https://www.linkedin.com/in/ann-lee-0000,,Acme,Buyer,05 Mar 2024\n",
    );
    env.run(&["import", &file, "--dry-run"])
        .success()
        .stderr_has("  URL -> website (its name; a LinkedIn profile URL goes to attributes)\n")
        .stderr_has(
            "  Position -> title (its name; a salutation such as Mr. or Dr. goes to attributes)\n",
        );
    env.run(&["import", &file]).success();
    let lead = env.show(1);
    assert_eq!(lead["website"], serde_json::Value::Null);
    assert_eq!(
        lead["attributes"]["URL"],
        "https://www.linkedin.com/in/ann-lee-0000"
    );
}

#[test]
fn re_importing_people_known_by_name_alone_adds_nobody() {
    let env = Env::new();
    let file = env.write("solo.csv", "Name\nSolo Person\n");
    env.run(&["import", &file]).success();
    env.run(&["import", &file, "--format", "json"]).success();
    let all = env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
}

#[test]
fn re_importing_a_row_known_by_its_company_alone_adds_nobody() {
    let env = Env::new();
    let file = env.write(
        "accounts.csv",
        "Name,Email,Company\nAda Lovelace,ada@x.example,Acme\n,,Widgets\n",
    );
    env.run(&["import", &file, "--quiet"]).success();
    let again = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (&again["imported"], &again["skipped"], &again["batch"]),
        (
            &serde_json::json!(0),
            &serde_json::json!(2),
            &serde_json::Value::Null
        )
    );
    env.run(&["import", &file, "--dry-run"])
        .success()
        .stderr_has("same company, and nothing else to tell them apart");
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
        run.json(),
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
    assert_eq!(run.json()["warnings"], 2);
    assert_eq!(run.json()["imported"], 2);
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
    assert_eq!(run.json()["batch"], 2);
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
        run.json(),
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
        run.json(),
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
    assert_eq!(run.json()["imported"], 1);

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
        run.json(),
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
fn opt_out_columns_and_forgotten_people() {
    let env = Env::sqlite();
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
        run.json(),
        json!({"batch": null, "imported": 0, "updated": 0, "skipped": 1, "rejected": 0, "warnings": 1})
    );
    env.run(&["import", &file, "--allow-forgotten"])
        .success()
        .stderr_has("imported 1");
}

#[test]
fn a_hundred_thousand_rows() {
    let env = Env::new();
    let file = env.write("big.csv", generated_csv(100_000));
    let run = env.run(&["import", &file, "--format", "json"]).success();
    // Every generated row is the same buyer from the same webinar: the score is blind.
    assert_eq!(
        run.json(),
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
    // Rows from all over the file again (every 97th: reading all hundred thousand again
    // took a third of this test), and one new row: each old row is found among the hundred
    // thousand leads and skipped, the new one is imported.
    let sample: String = std::iter::once(GENERATED_HEADER.to_string())
        .chain((0..100_000).step_by(97).map(generated_row))
        .chain(std::iter::once(generated_row(100_000)))
        .collect();
    let again = env.write("again.csv", sample);
    let again = env
        .run(&["import", &again, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (&again["imported"], &again["skipped"], &again["rejected"]),
        (&json!(1), &json!(1031), &json!(0))
    );
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

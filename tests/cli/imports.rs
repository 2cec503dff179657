//! Import through the binary (issues 11, 12, 13, 17): the reader's hostile shapes, dates,
//! duplicates without email, flags for a whole file, the dry run's column mapping,
//! `import --list`, undo's dry run and its guard for leads worked on since, vCard both
//! ways, the encoding flag over a BOM.
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
        json!([{"id": 1, "at": NOW, "file": file, "imported": 2, "updated": 0, "undone_at": null}])
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

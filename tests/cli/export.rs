//! `leads export`: list's filters, `--redact` in every format, formula cells neutralized
//! in every CSV and TSV, and an export that imports back as the same leads.
#![allow(clippy::unwrap_used)] // test code: a failed step fails the test

use std::fs;

use crate::harness::*;

// export --redact masks every name part present, the same in every format.

#[test]
fn redact_masks_each_name_part_present_in_every_format() {
    let env = Env::new();
    env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@engines.test",
        "--company",
        "Analytical Engines",
    ]);
    env.add(&["Cher", "--phone", "+1 555 0100"]);
    env.add(&["--company", "Globex"]);
    let csv = env
        .run(&["export", "--redact", "--format", "csv"])
        .success()
        .stdout;
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("id,first_name,last_name,name,email,phone,company,"));
    assert!(
        rows[1].starts_with("1,***,***,*** ***,***,,Analytical Engines,"),
        "{csv}"
    );
    assert!(rows[2].starts_with("2,***,,***,,***,,"), "{csv}");
    assert!(rows[3].starts_with("3,,,Globex,,,Globex,"), "{csv}");
    for format in ["json", "ndjson"] {
        let run = env
            .run(&["export", "--redact", "--format", format])
            .success();
        let leads = if format == "json" {
            run.json().as_array().cloned().unwrap()
        } else {
            run.ndjson()
        };
        let names: Vec<(String, String, String)> = leads
            .iter()
            .map(|lead| {
                let text = |key: &str| lead[key].as_str().unwrap_or("null").to_string();
                (text("first_name"), text("last_name"), text("name"))
            })
            .collect();
        let expected = [
            ("***", "***", "*** ***"),
            ("***", "null", "***"),
            ("null", "null", "Globex"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
        assert_eq!(names, expected, "{format}");
    }
    env.run(&["export", "--redact", "--format", "vcard"])
        .success()
        .stdout_is(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:***;***;;;\r\nFN:*** ***\r\nORG:Analytical Engines\r\n\
             EMAIL;TYPE=INTERNET,pref:***\r\nPRODID:-//leads//leads export//EN\r\nEND:VCARD\r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nN:;***;;;\r\nFN:***\r\nTEL:***\r\n\
             PRODID:-//leads//leads export//EN\r\nEND:VCARD\r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Globex\r\nORG:Globex\r\n\
             PRODID:-//leads//leads export//EN\r\nEND:VCARD\r\n",
        );
}

#[test]
fn export_redact_masks_every_way_to_name_or_reach_the_person() {
    let env = Env::new();
    let input = env.write(
        "in.csv",
        "first_name,last_name,email,phone,website,notes,lead_source,source_detail,Home Address,company\n\
         Ada,Lovelace,ada@example.com,+44 20 7946 0000,https://ada.example,likes maths,referral,\
         referred by Charles Babbage,12 St James's Square,Analytical Ltd\n",
    );
    env.run(&["import", &input]).success();
    for format in ["csv", "json", "ndjson"] {
        let out = env
            .run(&["export", "--redact", "--format", format])
            .success()
            .stdout;
        for secret in [
            "Ada",
            "Lovelace",
            "ada@example.com",
            "7946",
            "ada.example",
            "maths",
            "Babbage",
            "James",
        ] {
            assert!(
                !out.contains(secret),
                "{secret} in the redacted {format}: {out}"
            );
        }
        assert!(out.contains("Analytical Ltd"), "{out}");
        assert!(out.contains("referral"), "{out}");
    }
}

#[test]
fn every_csv_and_tsv_neutralizes_formula_cells() {
    let env = Env::new();
    let id = env.add(&[
        "=HYPERLINK(\"http://evil.example\")",
        "--company",
        "+cmd|' /C calc'!A0",
        "--note",
        "@SUM(1+1)",
    ]);
    env.run(&[
        "follow-up",
        "add",
        &id.to_string(),
        "--due",
        "yesterday",
        "--note=-2+3",
    ])
    .success();
    for format in ["csv", "tsv"] {
        let list = env.run(&["list", "--format", format]).success().stdout;
        assert!(list.contains("'=HYPERLINK("), "{list}");
        assert!(list.contains("'+cmd|"), "{list}");
        assert!(
            !list.contains(",=HYPERLINK") && !list.contains("\t=HYPERLINK"),
            "{list}"
        );
        let follow_ups = env
            .run(&["follow-up", "list", "--format", format])
            .success()
            .stdout;
        assert!(follow_ups.contains("'=HYPERLINK("), "{follow_ups}");
        assert!(follow_ups.contains("'-2+3"), "{follow_ups}");
        let report = env.run(&["report", "--format", format]).success().stdout;
        assert!(
            !report.contains(",=") && !report.contains("\t="),
            "{report}"
        );
    }
    // JSON keeps the data as it is.
    let json = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(json[0]["company"], "+cmd|' /C calc'!A0");
    // The rejects file also guards cells starting with tab or CR.
    let input = env.write(
        "in.csv",
        "first_name,email,notes,industry\n,,\"\t=1+2\",\"\r=cmd\"\n",
    );
    env.run(&["import", &input, "--rejects", "rejects.csv"])
        .failure(65);
    let rejects = fs::read_to_string(env.path("rejects.csv")).unwrap();
    assert!(
        rejects.contains("'\t=1+2") && rejects.contains("'\r=cmd"),
        "{rejects:?}"
    );
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

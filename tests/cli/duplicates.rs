//! `duplicates`: likely pairs, each with why (the same email, the same phone digits, the
//! same name at the same company, the same name with the same email domain); and the
//! import's pointer to it when new rows look like leads already there; emails compared
//! whatever their case, beyond ASCII too.
use serde_json::json;

use crate::harness::*;

#[test]
fn lists_each_likely_pair_with_why() {
    let env = Env::new();
    env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@engines.example",
        "--company",
        "Analytical Engines",
    ]);
    env.add(&[
        "ADA  lovelace",
        "--company",
        "analytical engines",
        "--phone",
        "+44 20 7946 0958",
    ]);
    env.add(&["Grace Hopper", "--email", "grace@navy.example"]);
    env.add(&[
        "Grace Hopper",
        "--email",
        "GRACE@navy.example",
        "--allow-duplicate",
    ]);
    env.add(&["Linus", "--phone", "020 7946 0958"]);
    env.add(&["Ada Lovelace", "--email", "countess@engines.example"]);
    env.add(&[
        "Alan Turing",
        "--email",
        "alan@bletchley.example",
        "--phone",
        "555 0100",
    ]);
    // Forgotten people are no one's duplicate.
    env.add(&["Grace Hopper", "--email", "hopper@navy.example"]);
    env.run(&["forget", "8", "--force"]).success();

    let pairs = env
        .run(&["duplicates", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        pairs,
        json!([
            {"lead_id": 1, "other_id": 2, "why": ["same name at the same company"],
             "name": "Ada Lovelace", "other_name": "ADA lovelace"},
            {"lead_id": 1, "other_id": 6, "why": ["same name with the same email domain"],
             "name": "Ada Lovelace", "other_name": "Ada Lovelace"},
            {"lead_id": 2, "other_id": 5, "why": ["same phone digits"],
             "name": "ADA lovelace", "other_name": "Linus"},
            {"lead_id": 3, "other_id": 4, "why": ["same email"],
             "name": "Grace Hopper", "other_name": "Grace Hopper"},
        ])
    );
    env.run(&["duplicates"])
        .success()
        .stdout_is(
            "ID  OTHER  WHY                                   NAME          OTHER NAME\n \
             1      2  same name at the same company         Ada Lovelace  ADA lovelace\n \
             1      6  same name with the same email domain  Ada Lovelace  Ada Lovelace\n \
             2      5  same phone digits                     ADA lovelace  Linus\n \
             3      4  same email                            Grace Hopper  Grace Hopper\n",
        )
        .stderr_is("merge a pair with: leads merge 1 2\n");
    let csv = env.run(&["duplicates", "--format", "csv"]).success().stdout;
    assert_eq!(
        csv.lines().next(),
        Some("lead_id,other_id,why,name,other_name")
    );

    // After a merge, the pair is gone.
    env.run(&["merge", "3", "4", "--force"]).success();
    let left = env
        .run(&["duplicates", "--format", "json"])
        .success()
        .json();
    assert_eq!(left.as_array().map(Vec::len), Some(3));
}

#[test]
fn two_reasons_for_one_pair_are_one_row() {
    let env = Env::new();
    env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@engines.example",
        "--phone",
        "555 014 2977",
    ]);
    env.add(&[
        "Ada Lovelace",
        "--email",
        "Ada@Engines.example",
        "--allow-duplicate",
        "--phone",
        "+1 (555) 014-2977",
    ]);
    let pairs = env
        .run(&["duplicates", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        pairs,
        json!([{"lead_id": 1, "other_id": 2, "why": ["same email", "same phone digits"],
                "name": "Ada Lovelace", "other_name": "Ada Lovelace"}])
    );
}

#[test]
fn nothing_to_say_when_there_are_no_duplicates() {
    let env = Env::new();
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.run(&["duplicates", "--format", "json"])
        .success()
        .stdout_is("[]\n");
    env.run(&["duplicates"]).success().stderr_is("");
    // A read command: no database, no new file.
    let missing = Env::new();
    missing.run(&["duplicates"]).failure(66);
    assert!(!missing.db.exists());
}

#[test]
fn import_points_at_duplicates_when_rows_look_like_existing_leads() {
    let env = Env::new();
    env.add(&["Ada Lovelace", "--company", "Analytical Engines"]);
    env.add(&["Grace Hopper", "--phone", "+1 555 014 2977"]);
    let file = env.write(
        "crm.csv",
        "Name,Email,Phone,Company\n\
         Ada Lovelace,ada@engines.example,,Analytical Engines\n\
         G. Hopper,grace@navy.example,555-014-2977,\n\
         Alan Turing,alan@bletchley.example,,\n",
    );
    env.run(&["import", &file]).success().stderr_is(
        "imported 3, updated 0, skipped 0 duplicates, rejected 0 (batch 1; undo with: \
             leads import --undo 1)\n2 rows look like existing leads (same phone, or same \
             name at the same company): `leads duplicates`\n",
    );
    // Into an empty database, or with nothing alike: the summary alone.
    let fresh = Env::new();
    let run = fresh.run(&["import", &file]).success();
    assert!(!run.stderr.contains("look like"), "{}", run.stderr);
    let run = env.run(&["import", &file]).success();
    assert!(!run.stderr.contains("look like"), "{}", run.stderr);
}

/// An import matches phones as `duplicates` and `merge` do: the same number with and
/// without its country code is one person.
#[test]
fn an_import_matches_phones_as_duplicates_does() {
    let env = crate::harness::Env::new();
    let file = env.write(
        "phones.csv",
        "Name,Phone\nAda Lovelace,+44 20 7946 0958\nAda Lovelace,020 7946 0958\n",
    );
    let summary = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (summary["imported"].clone(), summary["skipped"].clone()),
        (serde_json::json!(1), serde_json::json!(1))
    );
}

#[test]
fn duplicate_emails_are_found_whatever_the_case_beyond_ascii() {
    let env = Env::new();
    env.add(&["--email", "Jörg.Müller@Straße.example"]);
    assert_eq!(shown_field(&env, 1, "email"), "Jörg.Müller@straße.example");
    env.run(&["add", "--email", "JÖRG.MÜLLER@STRASSE.example"])
        .success();
    env.run(&["add", "--email", "jörg.müller@STRAßE.EXAMPLE"])
        .failure(4)
        .stderr_has("already exists: id 1");
    env.run(&["add", "--email", "ÉMILE@example.com"]).success();
    env.run(&["add", "--email", "émile@example.com"])
        .failure(4)
        .stderr_has("already exists: id 3");
    env.run(&["edit", "2", "--email", "Émile@Example.com"])
        .failure(4)
        .stderr_has("a lead with email Émile@example.com already exists: id 3");
}

#[test]
fn import_finds_duplicates_whatever_the_case_beyond_ascii() {
    let env = Env::new();
    env.add(&["--email", "jörg@straße.example"]);
    let file = env.write(
        "people.csv",
        "Name,Email\nJörg Müller,JÖRG@STRAßE.example\nÉmile Zola,émile@zola.example\nÉmile Z,ÉMILE@zola.example\n",
    );
    let summary = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (&summary["imported"], &summary["skipped"]),
        (&serde_json::json!(1), &serde_json::json!(2)),
        "{summary}"
    );
}

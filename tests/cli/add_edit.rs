//! `leads add` and `leads edit`: the id printed, every contract field stored, names as
//! people type them (honorifics, particles, "Last, First"), pasted addresses, notes, company
//! sizes, flags and values that start with a hyphen, duplicate emails, edits that change
//! nothing.
#![allow(clippy::unwrap_used)] // test code: a failed step fails the test

use serde_json::json;

use crate::harness::*;

#[test]
fn a_pasted_address_gives_the_address_and_the_name() {
    let env = Env::new();
    let id = env.add(&["--email", "Bob Smith <Bob@Smith.Example>"]);
    assert_eq!(shown_field(&env, id, "email"), "Bob@smith.example");
    assert_eq!(shown_field(&env, id, "first_name"), "Bob");
    assert_eq!(shown_field(&env, id, "last_name"), "Smith");
    // The same person pasted another way is a duplicate, not a new lead.
    env.run(&["add", "--email", "bob@smith.example"])
        .failure(4)
        .stderr_has("a lead with email bob@smith.example already exists: id 1");
    env.run(&[
        "add",
        "Robert",
        "--email",
        "\"Smith, Bob\" <bob@SMITH.example>",
    ])
    .failure(4);
    // A lead that has a name keeps it.
    let ada = env.add(&["Ada Lovelace", "--email", "Countess <ada@acme.test>"]);
    assert_eq!(shown_field(&env, ada, "first_name"), "Ada");
    assert_eq!(shown_field(&env, ada, "email"), "ada@acme.test");
}

#[test]
fn edit_takes_a_pasted_address_too() {
    let env = Env::new();
    let id = env.add(&["--company", "Globex"]);
    env.run(&[
        "edit",
        &id.to_string(),
        "--email",
        "Hank Scorpio <hank@globex.test>",
    ])
    .success();
    assert_eq!(shown_field(&env, id, "email"), "hank@globex.test");
    assert_eq!(shown_field(&env, id, "first_name"), "Hank");
    assert_eq!(shown_field(&env, id, "last_name"), "Scorpio");
    env.run(&["edit", &id.to_string(), "--email", "Hank <hank@>"])
        .failure(65)
        .stderr_has(
            "--email: invalid email 'Hank <hank@>' (expected an address like \
             name@example.com or Name <name@example.com>)",
        );
}

#[test]
fn names_with_honorifics_suffixes_and_particles() {
    let env = Env::new();
    let cases = [
        (
            "Dr. Martin Luther King Jr.",
            "Martin",
            "Luther King Jr.",
            "Martin Luther King Jr.",
        ),
        ("van der Berg", "null", "van der Berg", "van der Berg"),
        ("Anna de la Cruz", "Anna", "de la Cruz", "Anna de la Cruz"),
        ("Mrs Lovelace", "null", "Lovelace", "Lovelace"),
        ("Van Morrison", "Van", "Morrison", "Van Morrison"),
    ];
    for (typed, first, last, name) in cases {
        let id = env.add(&[typed]);
        let shown = env.show(id);
        let text = |key: &str| shown[key].as_str().unwrap_or("null").to_string();
        assert_eq!(
            (text("first_name"), text("last_name"), text("name")),
            (first.to_string(), last.to_string(), name.to_string()),
            "{typed}"
        );
    }
    env.run(&["edit", "1", "--name", "Prof. Ada von Lovelace PhD"])
        .success();
    assert_eq!(shown_field(&env, 1, "first_name"), "Ada");
    assert_eq!(shown_field(&env, 1, "last_name"), "von Lovelace PhD");
}

#[test]
fn note_replaces_and_append_note_adds_a_line() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["edit", "1", "--note", "met at the expo"])
        .success();
    env.run(&[
        "edit",
        "1",
        "--append-note",
        "called back",
        "--append-note",
        "sent prices",
    ])
    .success();
    assert_eq!(
        env.show(1)["notes"],
        json!("met at the expo\ncalled back\nsent prices")
    );
    env.run(&["edit", "1", "--note", "fresh start"]).success();
    assert_eq!(env.show(1)["notes"], json!("fresh start"));
    let help = env.run(&["edit", "--help"]).success().stdout;
    assert!(help.contains("`edit --note` replaces the notes"), "{help}");
    assert!(help.contains("--append-note <TEXT>"), "{help}");
}

#[test]
fn a_name_typed_with_a_comma_is_last_first_unless_a_title_follows() {
    let env = Env::new();
    let sarah = env.add(&["Sarah O'Connor, CFO", "--email", "sarah@example.com"]);
    let lead = env.show(sarah);
    assert_eq!(
        (&lead["first_name"], &lead["last_name"], &lead["title"]),
        (
            &serde_json::json!("Sarah"),
            &serde_json::json!("O'Connor"),
            &serde_json::json!("CFO")
        )
    );
    let ada = env.add(&["Lovelace, Ada", "--email", "ada@example.com"]);
    let lead = env.show(ada);
    assert_eq!(
        (&lead["first_name"], &lead["last_name"], &lead["title"]),
        (
            &serde_json::json!("Ada"),
            &serde_json::json!("Lovelace"),
            &serde_json::Value::Null
        )
    );
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
        json!([{"from": null, "to": "new", "at": "2026-03-01T09:00:00Z", "reason": null, "by": "tester"}])
    );
    assert_eq!(lead["activities"], json!([]));
    assert_eq!(lead["follow_ups"], json!([]));
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

#[test]
fn company_sizes_follow_one_rule_in_add_edit_and_import() {
    let env = Env::new();
    for bad in ["1.5", "2,5", "1,2,3", "-4", "many"] {
        env.run(&["add", "Ada", &format!("--size={bad}")])
            .failure(65)
            .stderr_has(&format!("--size: invalid company size '{bad}'"));
    }
    let id = env.add(&["Ada", "--size", "1,200"]);
    assert_eq!(env.show(id)["company_size"], 1200);
    env.run(&["edit", &id.to_string(), "--size", "2,5"])
        .failure(65);
    env.run(&["edit", &id.to_string(), "--size", "1 500"])
        .success();
    assert_eq!(env.show(id)["company_size"], 1500);
    let input = env.write(
        "in.csv",
        "first_name,email,company_size\nBo,bo@example.com,1.5\nCy,cy@example.com,\"2,5\"\n\
         Di,di@example.com,\"1,2,3\"\nEd,ed@example.com,\"1,200\"\n",
    );
    let run = env.run(&["import", &input]).success();
    for bad in ["1.5", "2,5", "1,2,3"] {
        assert!(
            run.stderr
                .contains(&format!("invalid company size '{bad}'")),
            "{}",
            run.stderr
        );
    }
    let sizes: Vec<serde_json::Value> = env
        .run(&["export", "--format", "json"])
        .success()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|lead| lead["company_size"].clone())
        .collect();
    assert_eq!(
        sizes,
        vec![
            serde_json::json!(1500),
            serde_json::Value::Null,
            serde_json::Value::Null,
            serde_json::Value::Null,
            serde_json::json!(1200)
        ]
    );
}

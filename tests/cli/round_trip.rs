//! Every export round-trips exactly: exported, imported into a new database and exported
//! again, the leads come back as they were, whatever their texts look like (a name
//! `Null`, tags holding the `;` that joins them or starting with `*`, a cell starting
//! with an apostrophe or a formula sign).
use serde_json::Value;

use crate::harness::*;

/// Leads whose texts look like what an import reads specially.
fn awkward_leads() -> Env {
    let env = Env::new();
    env.add(&[
        "Null",
        "--email",
        "null@example.test",
        "--tag",
        "a;b",
        "--tag",
        "*star",
        "--tag",
        "back\\slash;",
    ]);
    env.add(&[
        "'quoted",
        "--note",
        "'=not a formula",
        "--company",
        "NULL",
        "--tag",
        "'tick",
        "--title",
        "(null)",
    ]);
    env.add(&[
        "=Eq Name",
        "--source",
        "referral",
        "--source-detail",
        "''twice",
        "--title=-dash",
    ]);
    env.run(&["edit", "3", "--attr", "nickname=Null"]).success();
    env.add(&["Null", "--last-name", "NULL", "--phone", "+1 555 0100"]);
    env
}

fn export(env: &Env, format: &str) -> String {
    env.run(&["export", "--format", format]).success().stdout
}

#[test]
fn csv_json_and_ndjson_exports_round_trip_exactly() {
    let original = awkward_leads();
    let fields = export(&original, "json");
    for format in ["csv", "json", "ndjson"] {
        let exported = export(&original, format);
        let copy = Env::new();
        let file = copy.write(&format!("leads.{format}"), &exported);
        copy.run(&["import", &file])
            .success()
            .stderr_has("imported 4, updated 0");
        assert_eq!(export(&copy, "json"), fields, "the fields after {format}");
        assert_eq!(export(&copy, format), exported, "the {format} export");
    }
}

#[test]
fn vcard_export_round_trips_what_a_card_holds() {
    let original = awkward_leads();
    let cards = export(&original, "vcard");
    let copy = Env::new();
    let file = copy.write("leads.vcf", &cards);
    copy.run(&["import", &file])
        .success()
        .stderr_has("imported 4, updated 0");
    let held = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "company",
        "title",
        "tags",
        "notes",
    ];
    let pick = |env: &Env| -> Vec<Vec<Value>> {
        match env.run(&["export", "--format", "json"]).success().json() {
            Value::Array(leads) => leads
                .iter()
                .map(|lead| held.iter().map(|field| lead[field].clone()).collect())
                .collect(),
            other => panic!("expected an array, got {other}"),
        }
    };
    assert_eq!(pick(&copy), pick(&original));
    assert_eq!(export(&copy, "vcard"), cards);
}

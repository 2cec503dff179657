//! An older file never rolls a lead back: `import --on-duplicate update` moves no lead
//! backwards in the pipeline, never changes a closed status, never changes or clears a
//! deal value (each lead whose values were ignored is one warning).
use serde_json::{json, Value};

use crate::harness::*;

/// `export` as CSV rows (header first), to edit like a spreadsheet would.
fn export_rows(env: &Env) -> Vec<Vec<String>> {
    let out = env.run(&["export"]).success().stdout;
    csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
        .collect()
}

fn header(env: &Env) -> Vec<String> {
    let out = env.run(&["export"]).success().stdout;
    out.lines()
        .next()
        .expect("a header")
        .split(',')
        .map(String::from)
        .collect()
}

fn write_csv(env: &Env, name: &str, header: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).expect("header");
    for row in rows {
        writer.write_record(row).expect("row");
    }
    env.write(name, writer.into_inner().expect("csv bytes"))
}

fn revenue(env: &Env) -> Value {
    env.run(&["report", "--format", "json"]).success().json()["groups"][0]["revenue"].clone()
}

#[test]
fn an_older_export_never_rolls_a_lead_back() {
    let env = Env::new();
    let won = env.add(&["Ada Won", "--email", "ada@example.test"]);
    let contacted = env.add(&["Bo Contacted", "--email", "bo@example.test"]);
    let nurturing = env.add(&["Cy Nurturing", "--email", "cy@example.test"]);
    let lost = env.add(&["Di Lost", "--email", "di@example.test"]);
    // The older file: everybody as they were at the start.
    let header = header(&env);
    let old_rows = export_rows(&env);
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    env.run(&["status", &won.to_string(), "won", "--value", "18000"])
        .success();
    env.run(&["status", &contacted.to_string(), "contacted"])
        .success();
    env.run(&["status", &nurturing.to_string(), "nurturing"])
        .success();
    env.run(&["status", &lost.to_string(), "lost"]).success();

    let mut rows = old_rows.clone();
    rows[0][column("status")] = "qualified".into();
    rows[0][column("deal_value")] = "12000".into();
    // Bo stays "new" in the file; Cy moves forward; Di "won" with a value.
    rows[2][column("status")] = "qualified".into();
    rows[3][column("status")] = "won".into();
    rows[3][column("deal_value")] = "5000".into();
    let file = write_csv(&env, "older.csv", &header, &rows);
    let summary = env
        .run(&[
            "import",
            &file,
            "--on-duplicate",
            "update",
            "--format",
            "json",
        ])
        .success()
        .stderr_has(
            "lead 1 is won: the file's status qualified and deal value 12000.00 are ignored",
        )
        .stderr_has("lead 2 is contacted: the file's status new is ignored")
        .stderr_has("lead 4 is lost: the file's status won and deal value 5000.00 are ignored");
    assert_eq!(summary.json()["updated"], 4);
    assert_eq!(
        summary.json()["warnings"],
        3,
        "one warning per lead rolled back"
    );

    let status = |id: i64| env.show(id)["status"].clone();
    assert_eq!(
        [
            status(won),
            status(contacted),
            status(nurturing),
            status(lost)
        ],
        [
            json!("won"),
            json!("contacted"),
            json!("qualified"),
            json!("lost")
        ]
    );
    assert_eq!(env.show(won)["deal_value"], 18000.0);
    assert_eq!(env.show(lost)["deal_value"], Value::Null);
    assert_eq!(revenue(&env), 18000.0);

    // An empty cell never clears the value; the same value is no warning.
    let mut rows = export_rows(&env);
    rows[0][column("deal_value")] = String::new();
    let file = write_csv(&env, "empty-value.csv", &header, &rows);
    let summary = env
        .run(&[
            "import",
            &file,
            "--on-duplicate",
            "update",
            "--format",
            "json",
        ])
        .success();
    assert_eq!(summary.json()["warnings"], 0, "{}", summary.stderr);
    assert_eq!(env.show(won)["deal_value"], 18000.0);
    assert_eq!(revenue(&env), 18000.0);
}

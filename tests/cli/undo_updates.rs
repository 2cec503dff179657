//! `import --undo` puts back the fields of the leads a batch updated (`--on-duplicate
//! update`) as well as removing those it created, says so in its dry run, and asks first
//! (exit 4 without a terminal or `--force`) about the leads edited since.
use serde_json::{json, Value};

use crate::harness::*;

const LATER: &str = "2026-03-02T10:00:00Z";

#[test]
fn undo_restores_the_leads_a_batch_updated() {
    let env = Env::new();
    let ada = env.add(&[
        "Ada Lovelace",
        "--email",
        "ada@example.test",
        "--company",
        "Old Co",
        "--title",
        "CTO",
        "--tag",
        "vip",
    ]);
    env.run(&["status", &ada.to_string(), "contacted"])
        .success();
    let before = env.show(ada);
    let file = env.write(
        "crm.csv",
        "Email,Company,Title,Status,Tags,Notes\n\
         ada@example.test,New Co,CEO,qualified,hot,met at the fair\n\
         cy@example.test,Cy Co,,new,,\n",
    );
    env.run(&["import", &file, "--on-duplicate", "update"])
        .success()
        .stderr_has("imported 1, updated 1");
    assert_eq!(env.show(ada)["company"], "New Co");
    assert_eq!(env.show(ada)["status"], "qualified");

    env.run(&["import", "--undo", "1", "--dry-run"])
        .success()
        .stderr_has(
            "would remove 1 lead created by import batch 1 and restore 1 lead it updated \
             (dry run: nothing was removed)",
        );
    assert_eq!(env.show(ada)["company"], "New Co");
    let json = env
        .run(&["import", "--undo", "1", "--dry-run", "--format", "json"])
        .success()
        .json();
    assert_eq!(json["would_restore"], 1);

    env.run(&["import", "--undo", "1"])
        .success()
        .stderr_has("removed 1 lead created by import batch 1 and restored 1 lead it updated");
    let after = env.show(ada);
    for field in [
        "company",
        "title",
        "status",
        "tags",
        "notes",
        "score",
        "updated_at",
    ] {
        assert_eq!(after[field], before[field], "{field}");
    }
    let leads = env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    assert_eq!(leads.as_array().map(Vec::len), Some(1), "{leads}");
}

#[test]
fn undo_asks_before_restoring_a_lead_edited_since() {
    let env = Env::new();
    let bo = env.add(&["Bo Lund", "--email", "bo@example.test", "--title", "CTO"]);
    let file = env.write("crm.csv", "Email,Title\nbo@example.test,CEO\n");
    env.run(&["import", &file, "--on-duplicate", "update"])
        .success();
    env.run_at(LATER, &["edit", &bo.to_string(), "--company", "Lund AB"])
        .success();

    env.run_at(LATER, &["import", "--undo", "1", "--dry-run"])
        .success()
        .stderr_has(
            "would restore 1 lead updated by import batch 1; 1 of them edited since the import (1)",
        );
    env.run_at(LATER, &["import", "--undo", "1"])
        .failure(4)
        .stderr_has("import batch 1 has 1 lead edited since the import (1)")
        .stderr_has("--force");
    assert_eq!(env.show(bo)["title"], "CEO");
    env.run_at(LATER, &["import", "--undo", "1", "--force"])
        .success()
        .stderr_has("restored 1 lead updated by import batch 1");
    let lead = env.show(bo);
    assert_eq!(
        (lead["title"].clone(), lead["company"].clone()),
        (json!("CTO"), Value::Null)
    );
}

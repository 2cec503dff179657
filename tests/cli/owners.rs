//! Who did what (DESIGN's "Beyond one machine", the same on SQLite): `LEADS_USER` (else the
//! login name) owns the leads it adds or imports, is recorded with status changes, imports
//! and activities, and `show` names whoever else did something; `--owner` and `--mine`
//! divide the leads.
use serde_json::json;

use crate::harness::*;

#[test]
fn who_adds_a_lead_owns_it_unless_another_seller_is_named() {
    let env = Env::new();
    let mine = env.add(&["Ada Byron"]);
    let theirs = env.add(&["Bo Lund", "--owner", "  Alice Seller "]);
    assert_eq!(env.show(mine)["owner"], json!("tester"));
    assert_eq!(env.show(theirs)["owner"], json!("Alice Seller"));
    env.run(&["edit", &mine.to_string(), "--owner", "Alice Seller"])
        .success();
    assert_eq!(env.show(mine)["owner"], json!("Alice Seller"));
    // An empty owner clears it, as an empty value clears any text field.
    env.run(&["edit", &theirs.to_string(), "--owner", ""])
        .success();
    assert_eq!(env.show(theirs)["owner"], json!(null));
    let shown = env.run(&["show", &mine.to_string()]).success().stdout;
    let owner_row = shown
        .lines()
        .find(|line| line.starts_with("owner "))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "));
    assert_eq!(owner_row.as_deref(), Some("owner Alice Seller"), "{shown}");
}

#[test]
fn owner_and_mine_divide_the_leads() {
    let env = Env::new();
    let ada = env.add(&["Ada Byron"]);
    let bo = env.run_as("alice", &["add", "Bo Lund"]).success();
    let bo: i64 = bo.stdout.trim().parse().expect("an id");
    let cy = env.add(&["Cy Young", "--owner", "Álvaro"]);
    assert_eq!(env.list_ids(&["--mine"]), [ada]);
    assert_eq!(env.list_ids(&["--owner", "ALICE"]), [bo]);
    assert_eq!(env.list_ids(&["--owner", "álvaro"]), [cy]);
    assert_eq!(env.list_ids(&["--owner", "nobody"]), Vec::<i64>::new());
    let theirs = env
        .run_as("alice", &["list", "--mine", "--format", "json"])
        .success()
        .json();
    assert_eq!(ids_of(&theirs), [bo]);
    // `export` takes list's filters.
    let exported = env
        .run(&["export", "--mine", "--format", "json"])
        .success()
        .json();
    assert_eq!(ids_of(&exported), [ada]);
    env.run(&["list", "--owner", " "])
        .failure(65)
        .stderr_has("leads: --owner: the name is empty");
    env.run(&["list", "--owner", "alice", "--mine"]).failure(2);
}

#[test]
fn mine_without_a_known_user_says_how_to_name_yourself() {
    let env = Env::new();
    env.add(&["Ada Byron"]);
    let mut command = env.command(&["list", "--mine"]);
    command
        .env_remove("LEADS_USER")
        .env_remove("USER")
        .env_remove("LOGNAME");
    Run::from(command, &["list", "--mine"], None)
        .failure(65)
        .stderr_has("leads: --mine: who you are is not known: set LEADS_USER");
}

#[test]
fn an_import_is_owned_by_its_importer_unless_the_file_names_the_owner() {
    let env = Env::new();
    let file = env.write(
        "team.csv",
        "Name,Email,Lead Owner\nAda Byron,ada@example.com,Jane Seller\nBo Lund,bo@example.com,\n",
    );
    env.run_as("alice", &["import", &file]).success();
    assert_eq!(env.show(1)["owner"], json!("Jane Seller"));
    assert_eq!(env.show(2)["owner"], json!("alice"));
    let batches = env
        .run(&["import", "--list", "--format", "json"])
        .success()
        .json();
    assert_eq!(batches[0]["by"], json!("alice"));
    // Someone else's import is named in the table; the reader's own would not be.
    let listed = env.run(&["import", "--list"]).success().stdout;
    assert!(
        listed.lines().next().unwrap_or("").ends_with("BY"),
        "{listed}"
    );
    assert!(listed.contains("alice"), "{listed}");
    let own = env.run_as("alice", &["import", "--list"]).success().stdout;
    assert!(!own.contains("BY"), "{own}");
    // An update by another seller keeps the owner a row does not name.
    let again = env.write(
        "again.csv",
        "Name,Email,Title\nBo Lund,bo@example.com,CTO\n",
    );
    env.run_as("carl", &["import", &again, "--on-duplicate", "update"])
        .success();
    assert_eq!(env.show(2)["owner"], json!("alice"));
    assert_eq!(env.show(2)["title"], json!("CTO"));
}

#[test]
fn owners_survive_an_export_and_an_import() {
    let env = Env::new();
    env.add(&[
        "Ada Byron",
        "--email",
        "ada@example.com",
        "--owner",
        "Jane Seller",
    ]);
    let exported = env.path("leads.csv");
    env.run(&["export", "-o", &exported.to_string_lossy()])
        .success();
    let other = Env::new();
    other
        .run_as("someone", &["import", &exported.to_string_lossy()])
        .success();
    assert_eq!(other.show(1)["owner"], json!("Jane Seller"));
}

#[test]
fn show_names_whoever_else_moved_or_touched_the_lead() {
    let env = Env::new();
    let id = env.add(&["Ada Byron"]).to_string();
    env.run_as("alice", &["log", &id, "call", "--note", "left a message"])
        .success();
    env.run_as("alice", &["status", &id, "qualified"]).success();
    let shown = env.show(id.parse().expect("an id"));
    let by: Vec<_> = shown["status_history"]
        .as_array()
        .expect("a history")
        .iter()
        .map(|change| (change["to"].clone(), change["by"].clone()))
        .collect();
    assert_eq!(
        by,
        [
            (json!("new"), json!("tester")),
            (json!("contacted"), json!("alice")),
            (json!("qualified"), json!("alice")),
        ]
    );
    assert_eq!(shown["activities"][0]["by"], json!("alice"));
    // A BY column when someone other than the reader did something...
    let table = env.run(&["show", &id]).success().stdout;
    let history = table
        .split("Status history")
        .nth(1)
        .expect("a status history");
    assert!(
        history.lines().nth(1).unwrap_or("").ends_with("BY"),
        "{table}"
    );
    assert!(history.contains("alice"), "{table}");
    // ...and none for a seller alone, who would read their own name on every line.
    let alone = Env::new();
    let id = alone.add(&["Cy Young"]).to_string();
    alone.run(&["log", &id, "call"]).success();
    let table = alone.run(&["show", &id]).success().stdout;
    assert!(!table.contains(" BY"), "{table}");
}

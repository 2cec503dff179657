//! `leads delete`: leads removed everywhere, forgotten ones too; it asks on a terminal and
//! needs `--force` without one.

use crate::harness::*;

#[test]
fn delete_removes_leads_everywhere_and_needs_force_without_a_terminal() {
    let env = Env::sqlite();
    three_leads(&env);
    env.run(&["follow-up", "add", "2", "--due", "tomorrow"])
        .success();
    env.run(&["log", "2", "call"]).success();
    env.run(&["delete", "2"]).failure(1).stderr_is(
        "leads: deleting lead 2 (Grace Hopper) removes them and their history for good: \
             pass --force to confirm (there is no terminal to ask on)\n",
    );
    assert_eq!(env.list_ids(&[]), [1, 2, 3]);
    // An unknown id among them: nothing is deleted.
    env.run(&["delete", "2", "99", "--force"])
        .failure(3)
        .stderr_is("leads: no lead with id 99\n");
    assert_eq!(env.list_ids(&[]), [1, 2, 3]);
    env.run(&["delete", "2", "3", "--force"])
        .success()
        .stdout_is("")
        .stderr_is("deleted leads 2 (Grace Hopper), 3 (Globex)\n");
    assert_eq!(env.list_ids(&["--all"]), [1]);
    env.run(&["show", "2"])
        .failure(3)
        .stderr_is("leads: no lead with id 2\n");
    env.run(&["follow-up", "list", "--format", "json"])
        .success()
        .stdout_is("[]\n");
    let exported = env.run(&["export", "--format", "json"]).success().json();
    assert_eq!(ids_of(&exported), [1]);
    let report = env.run(&["report", "--format", "json"]).success().stdout;
    assert!(!report.contains("trade_show"), "{report}");
    assert!(!report.contains("purchased_list"), "{report}");
    // Nothing of them is left in the file's tables.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    for table in ["activities", "follow_ups", "status_changes"] {
        let left: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE lead_id IN (2, 3)"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
}

#[test]
fn a_forgotten_lead_can_be_deleted_too() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["forget", "1", "--force"]).success();
    env.run(&["delete", "1", "--force"])
        .success()
        .stderr_is("deleted lead 1 ((forgotten))\n");
    assert_eq!(env.list_ids(&["--all"]), [2, 3]);
}

#[test]
fn delete_asks_on_a_terminal() {
    let env = Env::new();
    three_leads(&env);
    // No answer (end of input) deletes nothing.
    let (code, out) = env.on_terminal(&[], &["delete", "3"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Delete lead 3 (Globex) with their activities and follow-ups for good? [y/N]"),
        "{out}"
    );
    assert_eq!(env.list_ids(&[]), [1, 2, 3]);
}

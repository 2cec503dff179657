//! An import is one batch: all or nothing with `--strict`, nothing kept when it adds
//! nothing, `import --list`, `import --undo`, and a killed import leaves the database as it
//! was.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;

/// The journal mode the database file is in.
fn journal_mode(env: &Env) -> String {
    let conn = rusqlite::Connection::open(&env.db).expect("open the database");
    conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("read the journal mode")
}

#[test]
fn an_import_that_adds_nothing_keeps_no_batch() {
    let env = Env::new();
    let file = env.write("a.csv", "Name,Email\nAda Byron,ada@x.test\n");
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 1, updated 0, skipped 0 duplicates, rejected 0 (batch 1; undo with: leads import --undo 1)\n");
    // The same file again: nothing new, no batch, no undo hint.
    let again = env.run(&["import", &file]).success();
    assert!(
        again.stderr.ends_with(
            "imported 0, updated 0, skipped 1 duplicates, rejected 0 (nothing new: no batch to undo)\n"
        ),
        "{}",
        again.stderr
    );
    env.run(&["import", "--format", "json", &file])
        .success()
        .stdout_is(
            "{\"batch\":null,\"imported\":0,\"updated\":0,\"skipped\":1,\"rejected\":0,\"warnings\":0}\n",
        );
    // A header alone, and a file whose every row is rejected.
    let empty = env.write("empty.csv", "Name,Email\n");
    env.run(&["import", "--format", "json", &empty])
        .success()
        .stdout_is(
            "{\"batch\":null,\"imported\":0,\"updated\":0,\"skipped\":0,\"rejected\":0,\"warnings\":0}\n",
        );
    let bad = env.write("bad.csv", "Name,Email\nCarl,c@x.test,extra\n");
    env.run(&["import", "--format", "json", &bad])
        .failure(65)
        .stdout_is(
            "{\"batch\":null,\"imported\":0,\"updated\":0,\"skipped\":0,\"rejected\":1,\"warnings\":0}\n",
        );
    // One batch only, and the next real import is batch 2.
    env.run(&["import", "--list", "--format", "json"])
        .success()
        .stdout_is(&format!(
            "[\n  {{\"id\":1,\"at\":\"2026-03-01T09:00:00Z\",\"file\":{},\"imported\":1,\"updated\":0,\"undone_at\":null,\"by\":\"tester\"}}\n]\n",
            json!(file)
        ));
    let more = env.write("b.csv", "Name,Email\nBo Lund,bo@x.test\n");
    env.run(&["import", &more])
        .success()
        .stderr_has("(batch 2; undo with: leads import --undo 2)");
    // An update is a change: it keeps its batch.
    let changed = env.write("c.csv", "Name,Email,Company\nBo Lund,bo@x.test,Lund AB\n");
    env.run(&["import", "--on-duplicate", "update", &changed])
        .success()
        .stderr_has("imported 0, updated 1, skipped 0 duplicates, rejected 0 (batch 3; undo with: leads import --undo 3)");
}

#[test]
fn import_list_has_upper_case_headers_and_compact_json() {
    let env = Env::new();
    let file = env.write("a.csv", "Name,Email\nAda Byron,ada@x.test\n");
    env.run(&["import", &file]).success();
    env.run(&["import", "--undo", "1"]).success();
    let table = env.run(&["import", "--list"]).success();
    let header = table.stdout.lines().next().unwrap();
    assert!(
        header.starts_with("BATCH  AT                FILE"),
        "{}",
        table.stdout
    );
    assert!(header.ends_with("IMPORTED  UPDATED  UNDONE"), "{header}");
    let json = env.run(&["import", "--list", "--format", "json"]).success();
    assert_eq!(json.stdout.lines().count(), 3, "{}", json.stdout);
    assert_eq!(json.json()[0]["undone_at"], "2026-03-01T09:00:00Z");
    // Messages show local time, as every table does.
    env.run_with_env(&[("TZ", "Pacific/Auckland")], &["import", "--undo", "1"])
        .success()
        .stderr_has("import batch 1 was already undone on 2026-03-01 22:00; nothing to remove");
    let id = env.add(&["Ann", "--email", "ann@x.test"]);
    env.run(&["forget", &id.to_string(), "--force"]).success();
    env.run_with_env(
        &[("TZ", "Pacific/Auckland")],
        &["forget", &id.to_string(), "--force"],
    )
    .success()
    .stderr_has(&format!(
        "lead {id} was already forgotten on 2026-03-01 22:00: nothing left to erase"
    ));
}

#[test]
fn strict_imports_all_or_nothing_and_dry_run_writes_nothing() {
    let env = Env::new();
    let file = env.write(
        "mixed.csv",
        "Name,Email\nAnn,ann@example.com\nBob,bob@example.com,extra\n",
    );
    let run = env
        .run(&["import", &file, "--strict", "--format", "json"])
        .failure(65)
        .stderr_has("nothing was imported (--strict)");
    assert_eq!(
        run.json(),
        json!({"batch": null, "imported": 0, "updated": 0, "skipped": 0, "rejected": 1, "warnings": 0})
    );
    assert_eq!(all_leads(&env), Vec::<Value>::new());

    let good = env.write(
        "good.csv",
        "Name,Email\nAnn,ann@example.com\nAnn twice,ann@example.com\n",
    );
    env.run(&["import", &good, "--dry-run"])
        .success()
        .stderr_has(
        "imported 1, updated 0, skipped 1 duplicates, rejected 0 (dry run: nothing was written)",
    );
    assert_eq!(all_leads(&env), Vec::<Value>::new());
    let run = env.run(&["import", &good, "--format", "json"]).success();
    assert_eq!(run.json()["batch"], 1, "a dry run uses no batch id");
}

#[test]
fn undo_removes_what_a_batch_created() {
    let env = Env::new();
    let kept = env.add(&["Kept Person", "--email", "kept@example.com"]);
    let file = env.write(
        "batch.csv",
        "Name,Email\nOne,one@example.com\nTwo,two@example.com\nKept,kept@example.com\n",
    );
    let run = env.run(&["import", &file, "--format", "json"]).success();
    let batch = run.json()["batch"].as_i64().unwrap();
    assert_eq!(all_leads(&env).len(), 3);
    env.run(&["import", "--undo", &batch.to_string()])
        .success()
        .stderr_has(&format!("removed 2 leads created by import batch {batch}"));
    let left: Vec<Value> = all_leads(&env).iter().map(|l| l["id"].clone()).collect();
    assert_eq!(left, vec![json!(kept)]);
    env.run(&["import", "--undo", &batch.to_string()])
        .success()
        .stderr_has("already undone");
    env.run(&["import", "--undo", "99"])
        .failure(3)
        .stderr_has("no import batch 99");
}

/// Start `import -` and feed it generated rows, a few thousand at a time, until
/// `writing()` says it has begun writing the database; then kill it. Its input never ends,
/// so it dies in the middle of its one transaction, with no more rows fed than needed.
fn kill_an_import_while_it_writes(env: &Env, writing: impl Fn() -> bool) {
    let mut child = env
        .command(&["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start leads import");
    let mut stdin = child.stdin.take().expect("its standard input");
    stdin
        .write_all(GENERATED_HEADER.as_bytes())
        .expect("feed the import");
    let started = Instant::now();
    let mut fed = 0;
    while !writing() {
        assert!(
            started.elapsed() < Duration::from_secs(60) && fed < 300_000,
            "the import never started writing ({fed} rows fed)"
        );
        // The pipe holds 64 KiB: a write waits for the import to read, which paces this.
        let chunk: String = (fed..fed + 2_000).map(generated_row).collect();
        stdin.write_all(chunk.as_bytes()).expect("feed the import");
        fed += 2_000;
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("kill the import");
    child.wait().expect("wait for the import");
    drop(stdin);
}

#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    let env = Env::sqlite();
    env.add(&["Before One", "--email", "one@example.com"]);
    env.add(&["Before Two", "--email", "two@example.com"]);
    let before = all_leads(&env);

    // Kill it once it has begun writing into the WAL.
    let wal = env.path("leads.db-wal");
    kill_an_import_while_it_writes(&env, || {
        std::fs::metadata(&wal).map_or(0, |m| m.len()) >= 1_000_000
    });

    assert_eq!(all_leads(&env), before);
    let file = env.write("after.csv", "Name,Email\nAfter,after@example.com\n");
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 1");
    assert_eq!(all_leads(&env).len(), 3);
}

#[test]
fn a_killed_import_into_an_empty_database_leaves_it_empty() {
    // An import into an empty database writes through a rollback journal, not the WAL.
    let env = Env::sqlite();
    // Kill it once new pages have gone into the database file itself.
    let journal = env.path("leads.db-journal");
    kill_an_import_while_it_writes(&env, || {
        journal.exists() && std::fs::metadata(&env.db).map_or(0, |m| m.len()) >= 4_000_000
    });

    assert_eq!(all_leads(&env), Vec::<Value>::new());
    assert_eq!(journal_mode(&env), "wal");
    let file = env.write("after.csv", "Name,Email\nAfter,after@example.com\n");
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 1");
    assert_eq!(all_leads(&env).len(), 1);
    assert_eq!(journal_mode(&env), "wal", "back to WAL after the import");
}

//! Issue 11: no typo destroys data, no file corrupts the database, nothing from the data
//! reaches the terminal raw.
use std::fs;

use crate::harness::Env;

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("file").permissions().mode() & 0o777
}

fn two_leads(env: &Env) {
    env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.add(&["Grace Hopper", "--email", "grace@example.com"]);
}

#[test]
fn export_refuses_to_overwrite_the_database_however_it_is_spelled() {
    let env = Env::new();
    two_leads(&env);
    let before = fs::read(&env.db).unwrap();
    fs::create_dir(env.path("sub")).unwrap();
    std::os::unix::fs::symlink(&env.db, env.path("link.csv")).unwrap();
    for (target, shown) in [
        ("leads.db", "leads.db"),
        ("./leads.db", "./leads.db"),
        ("sub/../leads.db", "sub/../leads.db"),
        ("leads.db-wal", "leads.db-wal"),
        ("leads.db-shm", "leads.db-shm"),
        ("link.csv", "link.csv"),
    ] {
        env.run(&["export", "-o", target])
            .failure(65)
            .stderr_has(&format!(
                "-o: refusing to write to {shown}: it is the database"
            ));
    }
    assert_eq!(fs::read(&env.db).unwrap(), before);
    env.run(&["list", "--format", "tsv"]).success();
    assert_eq!(
        env.run(&["export", "--format", "json"])
            .success()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn import_rejects_refuses_the_database_and_the_input() {
    let env = Env::new();
    two_leads(&env);
    let before = fs::read(&env.db).unwrap();
    let csv = "first_name,email\nBob,bob@example.com\nBad,not-an-email\n";
    let input = env.write("in.csv", csv);
    env.run(&["import", &input, "--rejects", "leads.db"])
        .failure(65)
        .stderr_has("--rejects: refusing to write to leads.db: it is the database");
    env.run(&["import", "in.csv", "--rejects", "./in.csv"])
        .failure(65)
        .stderr_has("--rejects: refusing to write to ./in.csv: it is the input file");
    assert_eq!(fs::read_to_string(&input).unwrap(), csv);
    assert_eq!(fs::read(&env.db).unwrap(), before);
    // Nothing was imported either: the refusal comes before any work.
    assert_eq!(
        env.run(&["list", "--format", "json"])
            .success()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn outputs_are_private_and_replace_the_old_file_only_when_complete() {
    let env = Env::new();
    two_leads(&env);
    let out = env.path("out.csv");
    fs::write(&out, "old").unwrap();
    env.run(&["export", "-o", "out.csv"]).success();
    assert!(fs::read_to_string(&out)
        .unwrap()
        .contains("ada@example.com"));
    assert_eq!(mode(&out), 0o600);
    // A failing export (a bad filter) leaves the old file and no temporary beside it.
    fs::write(&out, "old").unwrap();
    env.run(&["export", "-o", "out.csv", "--since", "not a date"])
        .failure(65);
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    let input = env.write("in.csv", "first_name,email\nBad,bad@example.com,extra\n");
    env.run(&["import", &input, "--rejects", "rejects.csv"])
        .failure(65);
    assert_eq!(mode(&env.path("rejects.csv")), 0o600);
    let names: Vec<String> = fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn control_characters_from_the_data_reach_the_terminal_escaped() {
    let env = Env::new();
    let id = env.add(&[
        "Eve\x1b[2JMallory",
        "--company",
        "Acme\x07\r\x08\u{9b}31m",
        "--note",
        "\x1b]0;pwned\x07",
    ]);
    let list = env.run(&["list"]).success();
    assert!(list.stdout.contains("Eve\\e[2JMallory"), "{}", list.stdout);
    assert!(
        list.stdout.contains("Acme\\x07\\r\\b\\u{9b}31m"),
        "{}",
        list.stdout
    );
    assert!(!list.stdout.contains('\x1b'));
    let show = env.run(&["show", &id.to_string()]).success();
    assert!(show.stdout.contains("Eve\\e[2JMallory"), "{}", show.stdout);
    assert!(show.stdout.contains("\\e]0;pwned\\x07"), "{}", show.stdout);
    assert!(!show.stdout.contains('\x1b') && !show.stdout.contains('\x07'));
    // Machine formats keep the data as it is.
    let json = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(json[0]["company"], "Acme\x07\r\x08\u{9b}31m");
    let csv = env.run(&["list", "--format", "csv"]).success();
    assert!(csv.stdout.contains("Eve\x1b[2JMallory"));
    // Messages quoting a value: an error and an import warning.
    env.run(&["list", "--status", "won\x1b[2J"])
        .failure(65)
        .stderr_has("won\\e[2J");
    let input = env.write(
        "in.csv",
        "first_name,email,company_size\nBob\x1b[31m,bob@example.com,many\x1b[2J\n",
    );
    let import = env.run(&["import", &input]);
    assert!(!import.stderr.contains('\x1b'), "{}", import.stderr);
}

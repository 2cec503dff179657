//! `leads db copy FROM TO`: a whole database into an empty one, between the engines.
use crate::harness::{file_names, Env};

/// A seller's database with a bit of everything: an import, a deleted lead, an activity,
/// a follow-up, a cadence, a forgotten person, spend, a setting.
fn worked_on(env: &Env) {
    let csv = "Name,Email,Company,Lead Source\n\
               Ada Lovelace,ada@acme.test,Acme,Referral\n\
               Grace Hopper,grace@navy.test,US Navy,Trade Show\n\
               Bob Stone,bob@stone.test,Stone \"Works\",Web Form\n\
               Nadia Kowalski,nadia@kow.test,Kow,Webinar\n";
    let file = env.write("leads.csv", csv);
    env.run(&["import", &file]).success();
    env.run(&["log", "1", "call", "--note", "asked for pricing; «3 seats»"])
        .success();
    env.run(&["follow-up", "add", "2", "--due", "tomorrow"])
        .success();
    env.run(&["cadence", "add", "welcome", "0d email_sent: hi", "3d call"])
        .success();
    env.run(&["nurture", "2", "--cadence", "welcome"]).success();
    env.run(&["forget", "3", "--force"]).success();
    env.run(&["delete", "4", "--force"]).success();
    env.run(&["spend", "add", "trade_show", "1200"]).success();
    env.run(&["config", "agenda.cold_after", "3w"]).success();
}

/// What a seller sees of a database: every lead, one lead whole, the report.
fn seen(env: &Env, db: &str) -> Vec<String> {
    [
        vec!["export", "--format", "json"],
        vec!["show", "1", "--format", "json"],
        vec!["show", "2"],
        vec!["report"],
        vec!["config"],
        vec!["follow-up", "list"],
    ]
    .iter()
    .map(|args| {
        let mut full = vec!["--db", db];
        full.extend(args);
        env.run(&full).success().stdout
    })
    .collect()
}

#[test]
fn a_copy_there_and_back_holds_what_the_seller_sees() {
    let (first, last) = (Env::new(), Env::new());
    worked_on(&first);
    let middle = first.path("middle.db");
    let middle = middle.to_str().unwrap();
    let from = first.database().into_string().unwrap();
    let to = last.database().into_string().unwrap();
    let tally = "3 leads, 1 import batch, 1 cadence, 2 cadence steps, 1 activity, 2 status \
                 changes, 1 enrollment, 2 follow-ups, 1 spend, 6 settings, 1 forgotten person";
    first
        .run(&["db", "copy", &from, middle])
        .success()
        .stdout_is("")
        .stderr_is(&format!("copied {} to {middle}: {tally}\n", first.shown()));
    last.run(&["db", "copy", middle, &to])
        .success()
        .stderr_is(&format!("copied {middle} to {}: {tally}\n", last.shown()));
    let seen_first = seen(&first, &from);
    assert_eq!(seen(&first, middle), seen_first);
    assert_eq!(seen(&last, &to), seen_first);
    // The forgotten person stays flagged, the deleted lead's id stays given.
    let again = last.write("again.csv", "Name,Email\nBob Stone,BOB@stone.test\n");
    last.run(&["import", &again])
        .success()
        .stderr_has("forgotten");
    assert_eq!(
        last.add(&["Someone New"]),
        5,
        "lead 4 was deleted: its id stays given"
    );
}

#[test]
fn a_copy_goes_only_into_an_empty_database_and_leaves_the_target_as_it_was() {
    let (from, to) = (Env::new(), Env::new());
    worked_on(&from);
    to.add(&["Already Here"]);
    let (source, target) = (
        from.database().into_string().unwrap(),
        to.database().into_string().unwrap(),
    );
    let before = to.run(&["export"]).success().stdout;
    to.run(&["db", "copy", &source, &target])
        .failure(4)
        .stderr_has("already holds leads data: db copy writes only into an empty database");
    assert_eq!(to.run(&["export"]).success().stdout, before);
    // The same database twice, however it is spelled.
    from.run(&["db", "copy", &source, &source])
        .failure(65)
        .stderr_has("FROM and TO are the same database");
}

#[test]
fn a_mistyped_source_or_target_folder_creates_nothing() {
    let env = Env::sqlite();
    let listing = file_names(env.dir());
    let missing = env.path("nope.db");
    let missing = missing.to_str().unwrap();
    env.run(&["db", "copy", missing, "copy.db"])
        .failure(66)
        .stderr_has("no database at");
    env.add(&["Ada"]);
    let db = env.db.to_str().unwrap().to_string();
    env.run(&["db", "copy", &db, "no/such/folder/copy.db"])
        .failure(66)
        .stderr_has("no folder no/such/folder");
    env.run(&["db", "copy", &db, ":memory:"]).failure(65);
    env.run(&["db", "copy"]).failure(2);
    let mut now = listing;
    now.push("leads.db".into());
    now.sort();
    assert_eq!(file_names(env.dir()), now);
}

/// A database whose only rows are settings (a read's bookkeeping, a lead added and
/// deleted) holds no leads data: a copy goes into it, its settings replaced.
#[test]
fn a_target_with_settings_alone_takes_a_copy() {
    let (from, to) = (Env::new(), Env::new());
    worked_on(&from);
    to.add(&["Entered By Mistake"]);
    to.run(&["delete", "1", "--force"]).success();
    to.run(&["list"]).success();
    let (source, target) = (
        from.database().into_string().unwrap(),
        to.database().into_string().unwrap(),
    );
    to.run(&["db", "copy", &source, &target]).success();
    assert_eq!(seen(&to, &target), seen(&from, &source));
}

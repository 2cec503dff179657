//! One command per touch: `follow-up done` and `log` record what happened (a call's
//! outcome, a note) and schedule the next step; the first touch moves a new lead to
//! contacted; `last_touch_at` follows; the seller's own attempts never raise engagement;
//! a mistaken activity can be corrected or removed.
use serde_json::{json, Value};

use crate::harness::Env;

fn follow_up(env: &Env, args: &[&str]) -> i64 {
    let mut full = vec!["follow-up", "add"];
    full.extend_from_slice(args);
    env.run(&full)
        .success()
        .stdout
        .trim()
        .parse()
        .expect("follow-up add prints the id")
}

fn history(lead: &Value) -> Vec<(Value, Value)> {
    lead["status_history"]
        .as_array()
        .expect("a status history")
        .iter()
        .map(|change| (change["from"].clone(), change["to"].clone()))
        .collect()
}

#[test]
fn follow_up_done_logs_the_touch_with_its_note_and_schedules_the_next() {
    let env = Env::new();
    let ada = env.add(&["Ada Lovelace"]);
    let first = follow_up(
        &env,
        &["1", "--due", "today", "--note", "ask about the trial"],
    );
    env.run(&[
        "follow-up",
        "done",
        &first.to_string(),
        "--note",
        "she wants a trial",
        "--next",
        "friday",
        "--next-note",
        "set up the trial",
    ])
    .success()
    .stderr_has(
        "follow-up 1 with Ada Lovelace done: call logged (engagement 0 -> 15, score 0 -> 5); \
         now contacted; next: follow-up 2 due 2026-03-06 00:00",
    );
    let lead = env.show(ada);
    assert_eq!(
        lead["activities"],
        json!([{"id": 1, "lead_id": 1, "kind": "call", "at": "2026-03-01T09:00:00Z",
                "note": "she wants a trial", "outcome": "connected", "by": "tester"}])
    );
    assert_eq!(lead["status"], "contacted");
    assert_eq!(
        history(&lead).last().unwrap(),
        &(json!("new"), json!("contacted"))
    );
    assert_eq!(lead["last_touch_at"], "2026-03-01T09:00:00Z");
    let next = &lead["follow_ups"][0];
    assert_eq!(
        (
            next["id"].clone(),
            next["note"].clone(),
            next["kind"].clone(),
            next["done_at"].clone()
        ),
        (
            json!(2),
            json!("set up the trial"),
            json!("call"),
            Value::Null
        )
    );
}

#[test]
fn a_follow_up_knows_its_kind_and_done_can_say_another() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    let email = follow_up(&env, &["1", "--due", "today", "--kind", "email_sent"]);
    env.run(&[
        "follow-up",
        "done",
        &email.to_string(),
        "--outcome",
        "no_answer",
    ])
    .failure(65)
    .stderr_has("an outcome is for calls only, and follow-up 1 is for email_sent");
    // Nothing changed by the refusal.
    assert_eq!(env.show(1)["activities"], json!([]));
    env.run(&[
        "follow-up",
        "done",
        &email.to_string(),
        "--kind",
        "call",
        "--outcome",
        "voicemail",
    ])
    .success()
    .stderr_has("call (voicemail) logged");
    let activity = &env.show(1)["activities"][0];
    assert_eq!(
        (activity["kind"].clone(), activity["outcome"].clone()),
        (json!("call"), json!("voicemail"))
    );
    env.run(&[
        "follow-up",
        "add",
        "1",
        "--due",
        "today",
        "--kind",
        "telepathy",
    ])
    .failure(65)
    .stderr_has("unknown activity 'telepathy'");
}

#[test]
fn a_follow_up_made_before_kinds_logs_nothing_unless_told() {
    let env = Env::sqlite();
    env.add(&["Ada Lovelace"]);
    let old = follow_up(&env, &["1", "--due", "today"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute("UPDATE follow_ups SET kind = NULL", [])
        .unwrap();
    drop(conn);
    env.run(&["follow-up", "done", &old.to_string()])
        .success()
        .stderr_has("nothing logged");
    assert_eq!(env.show(1)["activities"], json!([]));
    assert_eq!(env.show(1)["status"], "new");
}

#[test]
fn next_is_refused_on_a_cadence_step_or_a_recurring_follow_up() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.add(&["Grace Hopper"]);
    let weekly = follow_up(&env, &["1", "--due", "today", "--every", "1w"]);
    env.run(&["follow-up", "done", &weekly.to_string(), "--next", "friday"])
        .failure(65)
        .stderr_has("repeats, and schedules its next date itself");
    env.run(&["cadence", "add", "intro", "0d email_sent: hello", "3d call"])
        .success();
    env.run(&["nurture", "2", "--cadence", "intro"]).success();
    env.run(&["follow-up", "done", "2", "--next", "friday"])
        .failure(65)
        .stderr_has("is a cadence step");
    // The step, done with a note, logs its own kind with that note.
    env.run(&["follow-up", "done", "2", "--note", "sent the intro"])
        .success();
    let activity = &env.show(2)["activities"][0];
    assert_eq!(
        (activity["kind"].clone(), activity["note"].clone()),
        (json!("email_sent"), json!("sent the intro"))
    );
}

#[test]
fn done_takes_several_ids_and_a_wrong_one_changes_nothing() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.add(&["Grace Hopper"]);
    follow_up(&env, &["1", "--due", "today"]);
    follow_up(&env, &["2", "--due", "today"]);
    env.run(&["follow-up", "done", "1", "2", "99"]).failure(3);
    assert_eq!(env.show(1)["activities"], json!([]));
    env.run(&["follow-up", "done", "1", "2", "--outcome", "no_answer"])
        .success()
        .stderr_has("follow-up 2 with Grace Hopper done: call (no answer) logged");
    for id in [1, 2] {
        assert_eq!(env.show(id)["activities"][0]["outcome"], "no_answer");
    }
}

#[test]
fn log_records_a_mailing_and_the_next_step_in_one_command() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.add(&["Grace Hopper"]);
    env.run(&["log", "1", "2", "email_sent", "--note", "spring offer"])
        .success()
        .stderr_has("logged email_sent with lead 2: Grace Hopper");
    for id in [1, 2] {
        let lead = env.show(id);
        assert_eq!(lead["activities"][0]["note"], "spring offer");
        assert_eq!(lead["status"], "contacted");
    }
    env.run(&[
        "log",
        "1",
        "call",
        "--outcome",
        "no_answer",
        "--next",
        "tomorrow 10am",
        "--next-note",
        "try again",
    ])
    .success()
    .stderr_has("logged call (no answer) with lead 1: Ada Lovelace (engagement");
    let next = &env.show(1)["follow_ups"][0];
    assert_eq!(
        (
            next["due_at"].clone(),
            next["note"].clone(),
            next["kind"].clone()
        ),
        (
            json!("2026-03-02T10:00:00Z"),
            json!("try again"),
            json!("call")
        )
    );
    env.run(&["log", "1", "email_sent", "--outcome", "connected"])
        .failure(65)
        .stderr_has("an outcome is for calls only");
    env.run(&["log", "1", "call", "--outcome", "maybe"])
        .failure(65);
    env.run(&["log", "1", "99", "meeting"]).failure(3);
    env.run(&["log", "1", "2", "call", "--next-note", "x"])
        .failure(2);
}

#[test]
fn the_seller_s_attempts_never_raise_engagement() {
    let env = Env::new();
    let ghost = env.add(&["Cold Lead", "--source", "purchased_list"]);
    let before = env.show(ghost)["engagement"].as_i64().unwrap();
    for _ in 0..5 {
        env.run(&["log", "1", "call", "--outcome", "no_answer"])
            .success();
        env.run(&["log", "1", "email_sent"]).success();
    }
    let chased = env.show(ghost);
    assert!(chased["engagement"].as_i64().unwrap() <= before, "{chased}");
    // The form says why: attempts earn nothing, unanswered ones count against.
    let explained = env.run(&["qualify", "1", "--explain"]).success().stdout;
    assert!(explained.contains("call (no answer)"), "{explained}");
    assert!(
        explained.contains("your attempts: no points"),
        "{explained}"
    );
    assert!(
        explained.contains("10 attempts, never answered"),
        "{explained}"
    );
    // One who answered once ranks above the chased ghost.
    let answered = env.add(&["Warm Lead", "--source", "purchased_list"]);
    env.run(&["log", &answered.to_string(), "email_replied"])
        .success();
    assert!(
        env.show(answered)["engagement"].as_i64().unwrap() > chased["engagement"].as_i64().unwrap()
    );
    // A bounce counts against, and says so.
    env.run(&["log", &answered.to_string(), "email_bounced"])
        .success();
    let explained = env
        .run(&["qualify", &answered.to_string(), "--explain"])
        .success()
        .stdout;
    assert!(explained.contains("email_bounced"), "{explained}");
    // An attempt carries no points in the profile either.
    env.run(&["config", "engagement.activity.email_sent", "5"])
        .failure(65)
        .stderr_has("never your own attempts");
}

#[test]
fn activities_can_be_corrected_or_removed_and_the_lead_follows() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&["log", "1", "meeting", "--at", "2026-02-27 10:00"])
        .success();
    env.run(&["log", "1", "call", "--at", "2026-02-28 10:00"])
        .success();
    let lead = env.show(1);
    assert_eq!(lead["last_touch_at"], "2026-02-28T10:00:00Z");
    let score = lead["score"].as_i64().unwrap();
    // The call was not answered after all.
    env.run(&[
        "activity",
        "edit",
        "2",
        "--outcome",
        "no_answer",
        "--note",
        "rang out",
    ])
    .success()
    .stderr_has("activity 2 of lead 1 (Ada Lovelace) is now call (no answer)");
    let lead = env.show(1);
    assert_eq!(lead["activities"][1]["outcome"], "no_answer");
    assert_eq!(lead["activities"][1]["note"], "rang out");
    assert!(lead["score"].as_i64().unwrap() < score);
    env.run(&["activity", "edit", "1", "--outcome", "connected"])
        .failure(65)
        .stderr_has("an outcome is for calls only");
    env.run(&["activity", "edit", "2"]).failure(65);
    // Off a terminal, delete needs --force and changes nothing without it.
    env.run(&["activity", "delete", "2"]).failure(1);
    assert_eq!(env.show(1)["activities"].as_array().unwrap().len(), 2);
    env.run(&["activity", "delete", "2", "--force"])
        .success()
        .stderr_has("deleted activity 2 (call (no answer)");
    let lead = env.show(1);
    assert_eq!(lead["last_touch_at"], "2026-02-27T10:00:00Z");
    env.run(&["activity", "delete", "2", "--force"]).failure(3);
    // Its id is never given again.
    env.run(&["log", "1", "note"]).success();
    assert_eq!(env.show(1)["activities"][1]["id"], 3);
}

#[test]
fn list_finds_the_untouched_and_those_with_nothing_planned() {
    let env = Env::new();
    let touched = env.add(&["Ada Lovelace"]);
    let planned = env.add(&["Grace Hopper"]);
    let never = env.add(&["Linus Torvalds"]);
    env.run_at(
        "2026-02-10T09:00:00Z",
        &["log", &touched.to_string(), "email_sent"],
    )
    .success();
    env.run(&["log", &planned.to_string(), "call"]).success();
    follow_up(&env, &[&planned.to_string(), "--due", "friday"]);
    let ids = |args: &[&str]| env.list_ids(args);
    assert_eq!(ids(&["--stale", "14d"]), [touched]);
    // Never touched: since added (today).
    assert_eq!(ids(&["--stale", "14d", "--sort", "touch"]), [touched]);
    assert_eq!(ids(&["--sort", "touch"]), [touched, planned, never]);
    let mut without = ids(&["--no-next-step"]);
    without.sort();
    assert_eq!(without, [touched, never]);
    env.run(&["list", "--stale", "soon"]).failure(65);
}

#[test]
fn the_next_follow_up_is_a_touch_the_seller_can_plan() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    // A demo can be planned again; a reply cannot: its next step is a call.
    env.run(&["log", "1", "email_replied", "--next", "friday"])
        .success();
    env.run(&[
        "log",
        "1",
        "demo",
        "--next",
        "monday",
        "--next-note",
        "send the offer",
        "--next-kind",
        "email_sent",
    ])
    .success();
    env.run(&["log", "1", "meeting", "--next", "tuesday"])
        .success();
    let kinds: Vec<Value> = env.show(1)["follow_ups"]
        .as_array()
        .expect("follow-ups")
        .iter()
        .map(|f| f["kind"].clone())
        .collect();
    // By due date: Monday (email_sent), Tuesday (meeting), Friday (call).
    assert_eq!(
        kinds,
        [json!("email_sent"), json!("meeting"), json!("call")]
    );
    env.run(&["log", "1", "call", "--next-kind", "demo"])
        .failure(2);
}

#[test]
fn a_touch_with_someone_not_to_contact_is_logged_with_a_warning() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.add(&["Grace Hopper", "--do-not-contact"]);
    env.run(&["log", "1", "2", "email_sent", "--note", "april promo"])
        .success()
        .stderr_has("lead 2 Grace Hopper is marked do-not-contact: logged, as it happened");
    // A next step in the past is said at once.
    env.run(&["log", "1", "call", "--next", "yesterday"])
        .success()
        .stderr_has("is in the past: follow-up 1 is overdue already");
}

/// A correction follows the rules of a touch: an activity corrected into a touch moves a
/// new lead to contacted, and into an answer ends the lead's cadence.
#[test]
fn a_corrected_activity_is_a_touch_like_any_other() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&["log", "1", "visit"]).success();
    assert_eq!(env.show(1)["status"], "new");
    env.run(&[
        "activity",
        "edit",
        "1",
        "--kind",
        "call",
        "--outcome",
        "no_answer",
    ])
    .success();
    let lead = env.show(1);
    assert_eq!(lead["status"], "contacted");
    assert_eq!(lead["last_touch_at"], "2026-03-01T09:00:00Z");
    env.run(&["cadence", "add", "intro", "1d email_sent: hello", "3d call"])
        .success();
    env.run(&["nurture", "1", "--cadence", "intro"]).success();
    env.run(&["log", "1", "call", "--outcome", "voicemail"])
        .success();
    env.run(&["activity", "edit", "2", "--outcome", "connected"])
        .success();
    let enrollments = env
        .run(&["nurture", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(enrollments[0]["end_reason"], "call");
}

/// The same lead or follow-up named twice is one touch and one next step.
#[test]
fn a_lead_named_twice_is_touched_once() {
    let env = Env::new();
    env.add(&["Ada Lovelace"]);
    env.run(&["log", "1", "1", "email_sent", "--next", "friday"])
        .success();
    let lead = env.show(1);
    assert_eq!(lead["activities"].as_array().map(Vec::len), Some(1));
    assert_eq!(lead["follow_ups"].as_array().map(Vec::len), Some(1));
    follow_up(&env, &["1", "--due", "today"]);
    env.run(&["follow-up", "done", "2", "3", "2", "--next", "monday"])
        .success();
    let lead = env.show(1);
    let open: Vec<&Value> = lead["follow_ups"]
        .as_array()
        .expect("follow-ups")
        .iter()
        .filter(|f| f["done_at"].is_null())
        .collect();
    assert_eq!(open.len(), 1, "{lead}");
    // A cadence step done as something else than planned is that touch: a reply ends it.
    env.add(&["Grace Hopper"]);
    env.run(&["cadence", "add", "intro", "0d email_sent: hello", "3d call"])
        .success();
    env.run(&["nurture", "2", "--cadence", "intro"]).success();
    let step = env
        .run(&["follow-up", "list", "--lead", "2", "--format", "json"])
        .success()
        .json()[0]["id"]
        .as_i64()
        .expect("the step's id");
    env.run(&[
        "follow-up",
        "done",
        &step.to_string(),
        "--kind",
        "email_replied",
    ])
    .success();
    let enrollments = env
        .run(&["nurture", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(enrollments[0]["end_reason"], "replied");
}

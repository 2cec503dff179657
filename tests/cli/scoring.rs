//! Scores through the binary: a warm referral outranks a purchased list, engagement rises
//! with the lead's activity and decays with time, and `list` and `show` agree on a score at
//! any hour in any time zone.

use serde_json::json;

use crate::harness::*;

#[test]
fn list_and_show_agree_on_the_score_from_morning_to_evening() {
    // (zone, 08:00 and 21:30 local on Saturday 2026-02-28, in UTC)
    let zones = [
        (
            "America/Los_Angeles",
            "2026-02-28T16:00:00Z",
            "2026-03-01T05:30:00Z",
        ),
        (
            "Pacific/Auckland",
            "2026-02-27T19:00:00Z",
            "2026-02-28T08:30:00Z",
        ),
        ("UTC", "2026-02-28T08:00:00Z", "2026-02-28T21:30:00Z"),
    ];
    for (tz, morning, evening) in zones {
        let env = Env::new();
        run_in(
            &env,
            tz,
            morning,
            &["add", "Ada Lovelace", "--source", "referral"],
        )
        .success();
        // A short half-life makes one day's age visible in the score.
        run_in(
            &env,
            tz,
            morning,
            &["config", "engagement.half_life_days", "1"],
        )
        .success();
        run_in(
            &env,
            tz,
            morning,
            &["log", "1", "meeting", "--at", "2026-02-27 10:00"],
        )
        .success();
        let score_in_list = |now: &str| {
            run_in(&env, tz, now, &["list", "--format", "json"])
                .success()
                .json()[0]["score"]
                .clone()
        };
        let in_the_morning = score_in_list(morning);
        let shown = run_in(&env, tz, evening, &["show", "1", "--format", "json"])
            .success()
            .json();
        assert_eq!(reason(&shown, "meeting"), "1, latest 1 day ago", "{tz}");
        assert_eq!(shown["score"], in_the_morning, "{tz}: show in the evening");
        assert_eq!(
            score_in_list(evening),
            in_the_morning,
            "{tz}: list in the evening"
        );
        let shown_in_the_morning = run_in(&env, tz, morning, &["show", "1", "--format", "json"])
            .success()
            .json();
        assert_eq!(shown_in_the_morning["score"], in_the_morning, "{tz}");
    }
}

#[test]
fn logging_an_activity_raises_engagement_which_decays_with_time() {
    let env = Env::new();
    let id = env.add(&["Bo Brown", "--email", "bo@example.test"]);
    assert_eq!(env.show(id)["engagement"], 0);
    env.run(&[
        "log",
        &id.to_string(),
        "meeting",
        "--at",
        "2026-03-01 08:00",
        "--note",
        "coffee",
    ])
    .success()
    .stderr_has("engagement 0 -> 30");
    let lead = env.show(id);
    assert_eq!(lead["engagement"], 30);
    assert_eq!(
        lead["activities"],
        json!([{
            "id": 1, "lead_id": 1, "kind": "meeting", "at": "2026-03-01T08:00:00Z",
            "note": "coffee", "outcome": null, "by": "tester"
        }])
    );
    // One half-life (30 days) later the meeting counts half, in show and in list.
    let later = "2026-03-31T09:00:00Z";
    let shown = env
        .run_at(later, &["show", "1", "--format", "json"])
        .success()
        .json();
    assert_eq!(shown["engagement"], 15);
    let listed = env
        .run_at(later, &["list", "--format", "json"])
        .success()
        .json();
    assert_eq!(listed[0]["engagement"], 15);
}

#[test]
fn a_warm_referral_outranks_a_purchased_list_lead() {
    let env = Env::new();
    let cold = env.add(&["--email", "someone@list.test", "--source", "purchased_list"]);
    let warm = env.add(&[
        "Vera Vice",
        "--title",
        "VP Operations",
        "--size",
        "80",
        "--source",
        "referral",
        "--email",
        "vera@example.test",
    ]);
    env.run(&["log", &warm.to_string(), "meeting", "--at", "yesterday"])
        .success();
    let listed = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(listed[0]["id"], warm);
    assert_eq!(listed[1]["id"], cold);
    assert!(listed[0]["score"].as_i64() > listed[1]["score"].as_i64());
}

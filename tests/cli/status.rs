//! `leads status`: moves recorded with their time and reason; a mistyped status gets a
//! did-you-mean wherever a status is typed.

use serde_json::json;

use crate::harness::*;

#[test]
fn a_mistyped_status_gets_a_did_you_mean_everywhere() {
    let env = Env::new();
    three_leads(&env);
    for (args, argument) in [
        (vec!["status", "1", "lsot"], "'<STATUS>'"),
        (vec!["list", "--status", "lsot"], "'--status <STATUS>'"),
        (
            vec!["qualify", "1", "--status", "lsot"],
            "'--status <STATUS>'",
        ),
    ] {
        env.run(&args).failure(65).stderr_is(&format!(
            "leads: invalid value 'lsot' for {argument}: unknown status 'lsot' (did you mean \
             'lost'?) (expected one of: new, contacted, nurturing, qualified, won, lost, \
             disqualified)\n\nFor more information, try '--help'.\n"
        ));
    }
    env.run(&["list", "--status", "qualifed"])
        .failure(65)
        .stderr_has("(did you mean 'qualified'?)");
    env.run(&["log", "1", "meetign"])
        .failure(65)
        .stderr_has("(did you mean 'meeting'?)");
    assert_eq!(env.show(1)["status"], json!("new"));
}

#[test]
fn status_moves_are_recorded_with_time_and_reason() {
    let env = Env::new();
    two_leads(&env);
    env.run(&["status", "1", "Contacted"]).success();
    env.run_at(
        "2026-03-10T12:00:00Z",
        &["status", "1", "won", "--reason", "signed the annual plan"],
    )
    .success();
    let lead = env.show(1);
    assert_eq!(lead["status"], "won");
    assert_eq!(
        lead["status_history"],
        json!([
            {"from": null, "to": "new", "at": "2026-03-01T09:00:00Z", "reason": null, "by": "tester"},
            {"from": "new", "to": "contacted", "at": "2026-03-01T09:00:00Z", "reason": null, "by": "tester"},
            {"from": "contacted", "to": "won", "at": "2026-03-10T12:00:00Z", "reason": "signed the annual plan", "by": "tester"},
        ])
    );
    env.run(&["status", "1", "won"])
        .success()
        .stderr_has("already won");
}

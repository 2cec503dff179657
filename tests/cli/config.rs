//! `leads config`: the settings it names.

use crate::harness::Env;

#[test]
fn config_names_currency_among_the_settings() {
    let env = Env::new();
    env.create_db();
    let run = env.run(&["config", "nosuch"]).failure(65);
    assert!(run
        .stderr
        .starts_with("leads: unknown setting 'nosuch'; settings: fit.industries,"));
    assert!(
        run.stderr.ends_with(
            ", engagement.activity.<activity>, engagement.source.<source>, currency, \
                 agenda.cold_after, mail.me, mail.ignore\n"
        ),
        "{}",
        run.stderr
    );
    env.run(&["config", "curency", "EUR"])
        .failure(65)
        .stderr_has("leads: unknown setting 'curency' (did you mean currency?); settings:");
}

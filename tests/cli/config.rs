//! `leads config`: the profile printed, set and restored, unknown keys and bad values
//! refused, the settings it names, values of several words, lists changed without
//! retyping them, control characters shown escaped.

use serde_json::{json, Value};

use crate::harness::*;

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

#[test]
fn config_prints_sets_and_restores_the_profile() {
    let env = Env::new();
    env.create_db();
    let all = env.run(&["config"]).success().stdout;
    assert!(
        all.starts_with("fit.industries = []\nfit.company_size = \"10-500\"\n"),
        "{all}"
    );
    assert!(all.contains("\nweights.fit = 40\n"), "{all}");
    assert!(all.contains("\nengagement.source.referral = 25\n"), "{all}");
    assert!(all.ends_with(
        "qualify.qualified_at = 60\nqualify.disqualified_below = 25\nagenda.cold_after = \"14d\"\n"
    ));

    env.run(&["config", "weights.fit"])
        .success()
        .stdout_is("40\n");
    env.run(&["config", "weights"])
        .success()
        .stdout_is("weights.fit = 40\nweights.engagement = 35\nweights.readiness = 25\n");
    env.run(&["config", "fit.countries", "GB, ie"]).success();
    env.run(&["config", "fit.countries"])
        .success()
        .stdout_is("gb,ie\n");
    env.run(&["config", "fit.countries", "--format", "json"])
        .success()
        .stdout_is("[\n  \"gb\",\n  \"ie\"\n]\n");
    let json = env.run(&["config", "--format", "json"]).success().json();
    assert_eq!(json["fit"]["countries"], json!(["gb", "ie"]));
    assert_eq!(json["engagement"]["activity"]["demo"], json!(35));
    env.run(&["config", "fit.countries", "default"])
        .success()
        .stderr_has("fit.countries = [] (was [\"gb\", \"ie\"])");
}

#[test]
fn config_refuses_unknown_keys_and_bad_values() {
    let env = Env::new();
    env.run(&["config", "weights.fitt", "3"])
        .failure(65)
        .stderr_has("unknown setting 'weights.fitt' (did you mean weights.fit?)");
    env.run(&["config", "colour"])
        .failure(65)
        .stderr_has("settings: fit.industries");
    env.run(&["config", "weights.fit", "-3"])
        .failure(65)
        .stderr_has("weights.fit: invalid value '-3' (expected a number from 0 up)");
    env.run(&["config", "grades.b", "80"])
        .failure(65)
        .stderr_has("expected a > b > c");
    env.run(&["config", "engagement.half_life_days", "0"])
        .failure(65)
        .stderr_has("above 0");
    env.run(&["config", "weights.fit"])
        .success()
        .stdout_is("40\n");
}

#[test]
fn config_value_words_are_one_value() {
    let env = Env::new();
    env.run(&["config", "fit.industries", "Software,", "FinTech"])
        .success()
        .stderr_has("fit.industries = [\"software\", \"fintech\"] (was [])");
    env.run(&["config", "fit.industries"])
        .success()
        .stdout_is("software,fintech\n");
    env.run(&["config", "weights.fit", "4", "0"])
        .failure(65)
        .stderr_is("leads: weights.fit: invalid value '4 0' (expected a number from 0 up)\n")
        .stdout_is("");
}

#[test]
fn config_shows_control_characters_escaped() {
    let env = Env::new();
    let run = env
        .run(&["config", "fit.senior_titles", "ceo,\u{1b}[31mred\u{7}"])
        .success();
    assert_eq!(
        run.stderr,
        format!(
            "{}fit.senior_titles = [\"ceo\", \
             \"\\e[31mred\\x07\"] (was [\"owner\", \"founder\", \"co-founder\", \"ceo\", \"cto\", \
             \"cfo\", \"coo\", \"cmo\", \"chief\", \"president\", \"vp\", \"vice president\", \
             \"head\", \"director\", \"partner\", \"principal\"])\n",
            env.created_line()
        )
    );
    env.run(&["config", "fit.senior_titles"])
        .success()
        .stdout_is("ceo,\\e[31mred\\x07\n");
    // JSON keeps the data verbatim.
    let json: Value = env
        .run(&["config", "fit.senior_titles", "--format", "json"])
        .success()
        .json();
    assert_eq!(json, serde_json::json!(["ceo", "\u{1b}[31mred\u{7}"]));
}

#[test]
fn config_add_and_remove_change_a_list_without_retyping_it() {
    let env = Env::new();
    env.run(&["config", "fit.industries", "software, fintech"])
        .success();
    // --add appends (several words are one value; commas separate several), printed as
    // `config KEY VALUE` prints; one already there, in any case, is kept once.
    let run = env
        .run(&[
            "config",
            "fit.industries",
            "--add",
            "Retail",
            "Banking,",
            "SOFTWARE",
        ])
        .success();
    assert_eq!(
        run.stderr,
        "fit.industries = [\"software\", \"fintech\", \"retail banking\"] (was [\"software\", \
         \"fintech\"])\n"
    );
    env.run(&["config", "fit.industries"])
        .success()
        .stdout_is("software,fintech,retail banking\n");
    // --remove, as the list reads its values.
    env.run(&["config", "fit.industries", "--remove", " FinTech "])
        .success()
        .stderr_is(
            "fit.industries = [\"software\", \"retail banking\"] (was [\"software\", \
             \"fintech\", \"retail banking\"])\n",
        );
    // A value not in the list: exit 65 naming the list's values, nothing changed.
    env.run(&["config", "fit.industries", "--remove", "retail"])
        .failure(65)
        .stderr_is(
            "leads: fit.industries: 'retail' is not in the list, nothing removed (it holds \
             'software', 'retail banking')\n",
        );
    // A setting that is no list: exit 65 naming the list settings.
    for key in ["weights.fit", "currency"] {
        env.run(&["config", key, "--add", "3"])
            .failure(65)
            .stderr_is(&format!(
                "leads: {key} is not a list (--add and --remove change the list settings: \
                 fit.industries, fit.countries, fit.senior_titles, fit.manager_titles, \
                 fit.non_buyer_titles)\n"
            ));
    }
    env.run(&["config", "bogus", "--add", "x"])
        .failure(65)
        .stderr_has("unknown setting 'bogus'");
    // With VALUE, with each other, or without KEY: usage errors, nothing changed.
    for args in [
        &["config", "fit.industries", "a", "--add", "b"][..],
        &["config", "fit.industries", "--add", "a", "--remove", "b"],
        &["config", "--add", "a"],
        &["config", "fit.industries", "--remove"],
    ] {
        env.run(args).failure(2);
    }
    env.run(&["config", "fit.industries"])
        .success()
        .stdout_is("software,retail banking\n");
    // Scores follow at once, as with `config KEY VALUE`.
    let id = env.add(&["Ann", "--industry", "Logistics"]);
    let before = env.show(id)["fit"].as_i64().expect("fit");
    env.run(&["config", "fit.industries", "--add", "logistics"])
        .success();
    assert!(env.show(id)["fit"].as_i64().expect("fit") > before);
    // The help names both flags.
    let help = env.run(&["config", "--help"]).success().stdout;
    assert!(
        help.contains("--add <VALUE>") && help.contains("--remove <VALUE>"),
        "{help}"
    );
}

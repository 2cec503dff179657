use super::*;

fn set_ok(key: &str, value: &str) -> Profile {
    let key = Key::parse(key).unwrap();
    set(&Profile::default(), &key, value).unwrap()
}

fn set_err(key: &str, value: &str) -> String {
    let key = Key::parse(key).unwrap();
    set(&Profile::default(), &key, value).unwrap_err()
}

#[test]
fn every_listed_setting_reads_back_by_its_name() {
    let profile = Profile::default();
    for (name, setting) in entries(&profile) {
        let key = Key::parse(&name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.name(), name);
        assert_eq!(get(&profile, &key), setting, "{name}");
    }
}

#[test]
fn every_setting_survives_printing_and_typing_back() {
    let profile = Profile::default();
    for (name, setting) in entries(&profile) {
        let key = Key::parse(&name).unwrap();
        let again = set(&profile, &key, &setting.to_input()).unwrap();
        assert_eq!(again, profile, "{name}");
        let again = set(&profile, &key, &setting.to_toml()).unwrap();
        assert_eq!(again, profile, "{name} from {}", setting.to_toml());
    }
}

#[test]
fn values_are_parsed_as_documented() {
    let list = |items: &[&str]| Setting::List(items.iter().map(|s| s.to_string()).collect());
    let cases = [
        (
            "fit.industries",
            " Software, retail,software ,",
            list(&["software", "retail"]),
        ),
        ("fit.countries", "", list(&[])),
        (
            "fit.company_size",
            "1,000 - 5,000",
            Setting::Text("1000-5000".into()),
        ),
        ("weights.fit", "0.5", Setting::Number(0.5)),
        ("engagement.activity.phone", "12", Setting::Number(12.0)),
        ("engagement.source.Trade Show", "30", Setting::Number(30.0)),
        ("grades.c", "10", Setting::Number(10.0)),
        ("QUALIFY.QUALIFIED_AT", "75", Setting::Number(75.0)),
    ];
    for (name, value, expected) in cases {
        let key = Key::parse(name).unwrap();
        assert_eq!(
            get(&set_ok(name, value), &key),
            expected,
            "{name} = {value:?}"
        );
    }
    let call = set_ok("engagement.activity.phone", "12");
    assert_eq!(call.activity_points["call"], 12.0);
    let trade_show = set_ok("engagement.source.Trade Show", "30");
    assert_eq!(trade_show.source_points["trade_show"], 30.0);
}

#[test]
fn bad_values_are_refused_with_what_is_accepted() {
    let cases = [
        ("weights.fit", "-1", "expected a number from 0 up"),
        ("weights.fit", "heavy", "invalid value 'heavy'"),
        ("engagement.half_life_days", "0", "above 0"),
        ("engagement.incentive_factor", "1.5", "from 0 to 1"),
        ("engagement.activity.call", "NaN", "from 0 to 100"),
        ("grades.a", "101", "whole number from 0 to 100"),
        ("grades.a", "45", "expected a > b > c"),
        ("grades.b", "30", "expected a > b > c"),
        ("qualify.disqualified_below", "70", "cannot be above"),
        ("fit.company_size", "500-10", "not above the largest"),
        ("fit.company_size", "big", "expected MIN-MAX"),
    ];
    for (key, value, expected) in cases {
        let err = set_err(key, value);
        assert!(err.contains(expected), "{key} = {value}: {err}");
        assert!(err.starts_with(key), "{err}");
    }
}

#[test]
fn weights_cannot_all_be_zero() {
    let mut profile = Profile::default();
    for key in ["weights.fit", "weights.engagement"] {
        profile = set(&profile, &Key::parse(key).unwrap(), "0").unwrap();
    }
    let err = set(&profile, &Key::WeightReadiness, "0").unwrap_err();
    assert!(err.contains("cannot all be 0"), "{err}");
}

#[test]
fn default_restores_one_setting() {
    let changed = set_ok("engagement.source.podcast", "7");
    assert_eq!(changed.source_points.get("podcast"), Some(&7.0));
    let restored = set(
        &changed,
        &Key::parse("engagement.source.podcast").unwrap(),
        "default",
    )
    .unwrap();
    assert_eq!(restored, Profile::default());
    let changed = set_ok("fit.company_size", "1-5");
    let restored = set(&changed, &Key::CompanySize, "DEFAULT").unwrap();
    assert_eq!(restored, Profile::default());
}

#[test]
fn unknown_keys_suggest_the_near_ones() {
    let cases = [
        ("weights.fitt", "did you mean weights.fit"),
        ("half_life_days", "did you mean engagement.half_life_days"),
        ("grade.a", "grades.a"),
        ("colour", "settings: fit.industries"),
    ];
    for (key, expected) in cases {
        let err = Key::parse(key).unwrap_err();
        assert!(err.contains(expected), "{key}: {err}");
        assert!(err.contains(&format!("'{key}'")), "{err}");
    }
    let err = Key::parse("engagement.activity.lunch").unwrap_err();
    assert!(err.contains("unknown activity 'lunch'"), "{err}");
}

#[test]
fn json_nests_by_the_dots() {
    let json = to_json(&entries(&Profile::default()));
    assert_eq!(json["weights"]["fit"], json!(40));
    assert_eq!(json["engagement"]["incentive_factor"], json!(0.5));
    assert_eq!(json["engagement"]["activity"]["meeting"], json!(30));
    assert_eq!(json["engagement"]["source"]["referral"], json!(25));
    assert_eq!(json["fit"]["company_size"], json!("10-500"));
    assert_eq!(json["fit"]["industries"], json!([]));
    assert_eq!(json["qualify"]["qualified_at"], json!(60));
}

#[test]
fn toml_lines_quote_strings_and_bracket_lists() {
    let profile = set_ok("fit.industries", "software,retail");
    assert_eq!(
        get(&profile, &Key::Industries).to_toml(),
        r#"["software", "retail"]"#
    );
    assert_eq!(get(&profile, &Key::CompanySize).to_toml(), r#""10-500""#);
    assert_eq!(get(&profile, &Key::IncentiveFactor).to_toml(), "0.5");
    assert_eq!(get(&profile, &Key::GradeA).to_toml(), "70");
}

#[test]
fn a_list_setting_gains_or_loses_values_without_retyping_it() {
    let profile = set_ok("fit.industries", "software, fintech");
    let key = Key::parse("fit.industries").unwrap();
    let list = |profile: &Profile| get(profile, &key).to_input();
    // Read as the list is: trimmed, lower case; one already there is kept once, in place.
    let added = change_list(&profile, &key, ListChange::Add, " Retail , SOFTWARE").unwrap();
    assert_eq!(list(&added), "software,fintech,retail");
    let removed = change_list(&added, &key, ListChange::Remove, "FinTech").unwrap();
    assert_eq!(list(&removed), "software,retail");
    let emptied = change_list(&removed, &key, ListChange::Remove, "software, retail").unwrap();
    assert_eq!(list(&emptied), "");
    // A value that is not there: an error naming the list, nothing removed.
    assert_eq!(
        change_list(&profile, &key, ListChange::Remove, "retail").unwrap_err(),
        "fit.industries: 'retail' is not in the list, nothing removed (it holds 'software', \
         'fintech')"
    );
    assert_eq!(
        change_list(&profile, &key, ListChange::Remove, "software, a, b").unwrap_err(),
        "fit.industries: 'a', 'b' are not in the list, nothing removed (it holds 'software', \
         'fintech')"
    );
    assert_eq!(
        change_list(&Profile::default(), &key, ListChange::Remove, "x").unwrap_err(),
        "fit.industries: 'x' is not in the list, nothing removed (it is empty)"
    );
    assert!(change_list(&profile, &key, ListChange::Add, " , ")
        .unwrap_err()
        .contains("nothing to add"));
    // `default` is a value like any other here (`config KEY default` restores the default).
    let titles = Key::parse("fit.senior_titles").unwrap();
    let with = change_list(&Profile::default(), &titles, ListChange::Add, "default").unwrap();
    assert_eq!(
        with.senior_titles.last().map(String::as_str),
        Some("default")
    );
    // A setting that is no list.
    let weight = Key::parse("weights.fit").unwrap();
    assert_eq!(
        change_list(&profile, &weight, ListChange::Add, "3").unwrap_err(),
        "weights.fit is not a list (--add and --remove change the list settings: \
         fit.industries, fit.countries, fit.senior_titles, fit.manager_titles, \
         fit.non_buyer_titles)"
    );
}

/// Each end of a size range is read as every company size is (`model::parse_company_size`):
/// thousands grouped with a comma, a dot or a space; a grouping that is no size refused.
#[test]
fn size_ranges_read_their_ends_as_company_sizes() {
    for (text, range) in [
        ("10-500", (10, 500)),
        ("1,000 - 5,000", (1000, 5000)),
        ("1.000-5.000", (1000, 5000)),
        ("\"1 000-12 000\"", (1000, 12000)),
    ] {
        assert_eq!(parse_range(text), Ok(range), "{text}");
    }
    for text in ["1,00-500", "10-5.5", "-5-10", "10-"] {
        assert!(parse_range(text).is_err(), "{text}");
    }
}

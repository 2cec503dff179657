use super::*;

fn rule(text: &str) -> Rule {
    let condition = parse_condition(text).expect("a condition");
    Rule {
        id: 1,
        subject: condition.subject,
        op: condition.op,
        value: condition.value,
        axis: Part::Fit,
        points: 10.0,
    }
}

#[test]
fn conditions_parse() {
    let cases = [
        ("industry = software", ("industry", Op::Eq, "software")),
        ("industry=software", ("industry", Op::Eq, "software")),
        (
            "\"Total Time Spent on Website\" >= 600",
            ("Total Time Spent on Website", Op::Ge, "600"),
        ),
        (
            "'Lead Origin' != 'Lead Import'",
            ("Lead Origin", Op::Ne, "Lead Import"),
        ),
        (
            "Lead Origin != Lead Import",
            ("Lead Origin", Op::Ne, "Lead Import"),
        ),
        ("title contains founder", ("title", Op::Contains, "founder")),
        ("company_size < 50", ("company_size", Op::Lt, "50")),
        ("company_size <= 50", ("company_size", Op::Le, "50")),
        ("company_size > 50", ("company_size", Op::Gt, "50")),
        ("tags = \"== vip\"", ("tags", Op::Eq, "== vip")),
        ("title contains '<b>'", ("title", Op::Contains, "<b>")),
    ];
    for (text, (subject, op, value)) in cases {
        let condition = parse_condition(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            (
                condition.subject.as_str(),
                condition.op,
                condition.value.as_str()
            ),
            (subject, op, value),
            "{text}"
        );
    }
    for bad in [
        "industry",
        "= software",
        "industry =",
        "\"Total Time >= 600",
        "",
    ] {
        assert!(parse_condition(bad).is_err(), "{bad}");
    }
    // Operator characters typed together are one operator, refused unless one of the
    // seven: never an operator and a value that begins with the rest.
    for (bad, symbol) in [
        ("industry => software", "'=>'"),
        ("industry == software", "'=='"),
        ("industry =~ software", "'=~'"),
        ("industry <> software", "'<>'"),
        ("industry =! software", "'=!'"),
        ("industry != = software", "'!= ='"),
        ("industry = =software", "'= ='"),
        ("title contains >x", "'contains >'"),
    ] {
        let error = parse_condition(bad).expect_err(bad);
        assert!(
            error.contains(&format!("bad operator {symbol}"))
                && error.contains("= != < <= > >= contains"),
            "{bad}: {error}"
        );
    }
    assert_eq!(
        parse_condition("\"Lead Origin\" = \"API"),
        Err(
            "'\"Lead Origin\" = \"API': the quote \" at character 17 (\"API) is never closed"
                .into()
        )
    );
    assert_eq!(
        parse_condition("\"Lead Origin = API"),
        Err("'\"Lead Origin = API': the quote \" at character 1 (\"Lead Origin = API) is never closed".into())
    );
}

#[test]
fn numbers_compare_as_numbers_only_when_both_read_as_numbers() {
    let mut lead = Lead::default();
    let fires = |lead: &Lead, text: &str| rule(text).fires(lead, utc()).is_some();
    let cases = [
        ("674", true),
        // Thousands or a decimal: no number, never a guess.
        ("1,234", false),
        ("1,234.5", true),
        ("1.234,5", true),
        ("600,5", true),
        ("599", false),
        ("NaN", false),
        ("inf", false),
        ("about ten minutes", false),
    ];
    for (cell, expected) in cases {
        lead.attributes.insert("Time".into(), cell.into());
        assert_eq!(fires(&lead, "Time >= 600"), expected, "{cell}");
    }
    // Text still compares as text, so ISO dates in time order.
    lead.attributes.insert("Time".into(), "2026-03-02".into());
    assert!(fires(&lead, "Time >= 2026-01-01"));
    assert!(!fires(&lead, "Time < 2026-01-01"));
    for value in ["NaN", "inf", "-inf", "1e400", "infinity", "4,500", "18.000"] {
        assert!(check_number(value).is_err(), "{value}");
    }
    for value in ["600", "-5", "2,5", "4,500.5", "software", "2026-01-01"] {
        assert!(check_number(value).is_ok(), "{value}");
    }
}

#[test]
fn dates_are_read_on_the_users_calendar() {
    use chrono::{DateTime, TimeZone};
    // 2026-04-01 in Auckland (UTC+13) is 2026-03-31 11:00 UTC.
    let at: DateTime<chrono::Utc> = "2026-03-31T11:00:00Z".parse().expect("a moment");
    let lead = Lead {
        timeline: Some(at),
        created_at: Some(at),
        ..Lead::default()
    };
    let auckland = Clock::new(at, |at| {
        chrono::FixedOffset::east_opt(13 * 3600)
            .expect("an offset")
            .from_utc_datetime(&at.naive_utc())
            .date_naive()
    });
    for text in ["timeline = 2026-04-01", "created_at >= 2026-04-01"] {
        assert_eq!(
            rule(text).fires(&lead, auckland).as_deref(),
            Some("2026-04-01"),
            "{text}"
        );
        assert_eq!(rule(text).fires(&lead, utc()), None, "{text}");
    }
}

fn utc() -> Clock {
    Clock::utc("2026-03-01T09:00:00Z".parse().expect("a moment"))
}

#[test]
fn rules_match_fields_and_attributes() {
    let mut lead = Lead {
        first_name: Some("Ada".into()),
        industry: Some("Software".into()),
        company_size: Some(40),
        tags: vec!["vip".into(), "expo".into()],
        ..Lead::default()
    };
    lead.attributes
        .insert("Total Time Spent on Website".into(), "674".into());
    lead.attributes
        .insert("Last Activity".into(), "SMS Sent".into());
    let cases = [
        ("industry = software", Some("Software")),
        ("industry != software", None),
        ("industry != retail", Some("Software")),
        ("company_size < 50", Some("40")),
        ("company_size >= 50", None),
        ("tags = vip", Some("vip")),
        ("tags != vip", None),
        ("tags != cold", Some("vip, expo")),
        ("\"Total Time Spent on Website\" >= 600", Some("674")),
        ("\"total time spent on website\" > 674", None),
        ("\"Last Activity\" contains sms", Some("SMS Sent")),
        ("country = gb", None),
        ("\"No Such Column\" != x", None),
        ("do_not_contact = false", Some("false")),
    ];
    for (text, expected) in cases {
        assert_eq!(
            rule(text).fires(&lead, utc()).as_deref(),
            expected,
            "{text}"
        );
    }
}

#[test]
fn conditions_print_as_typed_back() {
    for text in [
        "industry = software",
        "\"Total Time Spent on Website\" >= 600",
        "title contains \"vice president\"",
        "title = \">= 5\"",
    ] {
        let printed = rule(text).condition();
        assert_eq!(rule(&printed), rule(text), "{text} -> {printed}");
    }
}

/// Every field a rule may name (`model::FIELDS`, marked `RULE`) has values to compare:
/// a field marked there without a value here would never match.
#[test]
fn every_rule_field_has_values_to_compare() {
    let lead = crate::model::every_field_set();
    for field in crate::model::rule_fields() {
        let values = field_values(&lead, field, utc());
        assert!(!values.is_empty(), "{}", field.name());
        assert!(is_field(field.name()), "{}", field.name());
        assert!(is_field(&field.name().to_uppercase()), "{}", field.name());
    }
    assert!(!is_field("deal_value") && !is_field("score") && !is_field("Shoe Size"));
}

/// A rule reads a cell's number as `learn` does (one reader): an amount with its
/// currency or a percentage is a number, so `"Annual Revenue" >= 1000000` matches
/// "$1,200,000" (it compared as text, and never matched, before).
#[test]
fn amounts_and_percentages_in_cells_are_numbers() {
    let mut lead = Lead::default();
    let fires = |lead: &Lead, text: &str| rule(text).fires(lead, utc()).is_some();
    for (cell, expected) in [
        ("$1,200,000", true),
        ("€1.200.000", true),
        ("1.200.000 EUR", true),
        ("$900,000", false),
        ("1,200", false),
    ] {
        lead.attributes.insert("Annual Revenue".into(), cell.into());
        assert_eq!(
            fires(&lead, "\"Annual Revenue\" >= 1000000"),
            expected,
            "{cell}"
        );
    }
    lead.attributes.insert("Score".into(), "85%".into());
    assert!(fires(&lead, "Score > 80"));
}

//! Amounts and numbers, read one way by every command, import and rule: a currency's
//! convention decides `18.000` and `4,500`, and what could be read two ways is refused,
//! never stored a thousand times too small; amounts have two decimals in every table and
//! CSV.
use serde_json::{json, Value};

use crate::harness::*;

/// The deal value `show` gives lead `id`.
fn deal_value(env: &Env, id: i64) -> Value {
    env.show(id)["deal_value"].clone()
}

/// The amounts `spend list` holds, in the order recorded.
fn spent(env: &Env) -> Vec<Value> {
    let list = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    list.as_array()
        .expect("spends")
        .iter()
        .map(|spend| spend["amount"].clone())
        .collect()
}

#[test]
fn a_euro_amount_with_a_dot_is_thousands_when_the_currency_is_eur() {
    let env = Env::new();
    let id = env.add(&["Ann"]);
    env.run(&["config", "currency", "EUR"]).success();
    env.run(&["status", &id.to_string(), "won", "--value", "€18.000"])
        .success()
        .stderr_has("deal value 18000.00");
    assert_eq!(deal_value(&env, id), json!(18000.0));
    for (typed, stored) in [
        ("4.500 €", 4500.0),
        ("EUR 18.000", 18000.0),
        ("1.250,50", 1250.5),
        ("12,5", 12.5),
        ("12.50", 12.5),
        ("18.000", 18000.0),
    ] {
        env.run(&["edit", &id.to_string(), "--value", typed])
            .success();
        assert_eq!(deal_value(&env, id), json!(stored), "{typed}");
    }
    env.run(&["spend", "add", "webinar", "4.500"]).success();
    env.run(&["spend", "add", "webinar", "€ 2.000,25"])
        .success();
    assert_eq!(spent(&env), [json!(4500.0), json!(2000.25)]);
}

#[test]
fn a_dollar_amount_with_a_comma_is_thousands_when_the_currency_is_usd() {
    let env = Env::new();
    let id = env.add(&["Ann"]);
    env.run(&["config", "currency", "USD"]).success();
    for (typed, stored) in [
        ("4,500", 4500.0),
        ("$1,250.50", 1250.5),
        ("1,250,000", 1_250_000.0),
        ("12,5", 12.5),
        ("$5000", 5000.0),
    ] {
        env.run(&["edit", &id.to_string(), "--value", typed])
            .success();
        assert_eq!(deal_value(&env, id), json!(stored), "{typed}");
    }
    // The symbol in the value names its currency, whatever the setting.
    env.run(&["edit", &id.to_string(), "--value", "€18.000"])
        .success();
    assert_eq!(deal_value(&env, id), json!(18000.0));
}

#[test]
fn an_amount_that_reads_two_ways_without_a_currency_is_refused_naming_both() {
    let env = Env::new();
    let id = env.add(&["Ann"]).to_string();
    let both = "'18.000' could be 18000 or 18";
    env.run(&["status", &id, "won", "--value", "18.000"])
        .failure(65)
        .stderr_has(both)
        .stderr_has("leads config currency EUR");
    env.run(&["edit", &id, "--value", "18.000"])
        .failure(65)
        .stderr_has(both);
    env.run(&["spend", "add", "webinar", "4,500"])
        .failure(65)
        .stderr_has("'4,500' could be 4500 or 4.5");
    // Nothing was written by the refused commands.
    let shown = env.show(1);
    assert_eq!(
        (&shown["status"], &shown["deal_value"]),
        (&json!("new"), &Value::Null)
    );
    assert_eq!(spent(&env), Vec::<Value>::new());
    // A symbol in the value decides, with no currency set; so does a second separator.
    env.run(&["status", &id, "won", "--value", "€18.000"])
        .success();
    assert_eq!(deal_value(&env, 1), json!(18000.0));
    env.run(&["edit", &id, "--value", "$4,500"]).success();
    assert_eq!(deal_value(&env, 1), json!(4500.0));
    env.run(&["edit", &id, "--value", "1.250,50"]).success();
    assert_eq!(deal_value(&env, 1), json!(1250.5));
}

#[test]
fn import_reads_deal_values_by_the_currency_and_keeps_what_reads_two_ways() {
    let csv = "Name,Email,Opportunity Amount\n\
               Bo Bell,bo@example.com,18.000\n\
               Cy Cole,cy@example.com,\"1.250,50\"\n\
               Di Dunn,di@example.com,€4.500\n";
    let env = Env::new();
    let file = env.write("deals.csv", csv);
    env.run(&["import", &file]).success();
    // Without a currency, `18.000` is kept, not guessed.
    let bo = env.show(1);
    assert_eq!(bo["deal_value"], Value::Null);
    assert_eq!(bo["attributes"]["Opportunity Amount"], "18.000");
    assert_eq!(deal_value(&env, 2), json!(1250.5));
    assert_eq!(deal_value(&env, 3), json!(4500.0));

    let env = Env::new();
    env.run(&["config", "currency", "EUR"]).success();
    let file = env.write("deals.csv", csv);
    env.run(&["import", &file]).success();
    assert_eq!(deal_value(&env, 1), json!(18000.0));
}

#[test]
fn a_rule_number_that_reads_two_ways_is_refused_and_a_decimal_comma_is_a_decimal() {
    let env = Env::new();
    env.run(&["config", "rule", "add", "visits >= 4,500", "--points", "5"])
        .failure(65)
        .stderr_has("'4,500' could be 4500 or 4.5");
    let file = env.write(
        "visits.csv",
        "Email,Visits\na@example.com,3\nb@example.com,\"2,4\"\nc@example.com,\"3,000\"\n",
    );
    env.run(&["import", &file, "--quiet"]).success();
    env.run(&["config", "rule", "add", "visits >= 2,5", "--points", "5"])
        .success();
    let fired = |id: i64| {
        env.show(id)["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|r| r["factor"].as_str().is_some_and(|f| f.starts_with("rule")))
    };
    // 3 >= 2.5; 2.4 is not; "3,000" could be 3 or 3000: no number, no match.
    assert_eq!([fired(1), fired(2), fired(3)], [true, false, false]);
}

#[test]
fn profile_weights_and_thresholds_must_be_finite_and_in_range() {
    let env = Env::new();
    for key in [
        "weights.fit",
        "weights.engagement",
        "engagement.incentive_factor",
        "engagement.half_life_days",
        "engagement.source.webinar",
    ] {
        for bad in ["NaN", "inf", "1e309", "1e400"] {
            env.run(&["config", key, bad])
                .failure(65)
                .stderr_has(&format!("invalid value '{bad}'"));
        }
    }
    env.run(&["config", "weights.fit", "2,5"]).success();
    env.run(&["config", "weights.fit"])
        .success()
        .stdout_is("2.5\n");
}

#[test]
fn amounts_have_two_decimals_in_every_table_and_csv() {
    let env = Env::new();
    let id = env.add(&["Ann", "--email", "ann@x.test", "--source", "referral"]);
    let id = id.to_string();
    env.run(&["status", &id, "won", "--value", "5000"])
        .success()
        .stderr_has("lead 1: Ann new -> won, deal value 5000.00\n");
    env.run(&["edit", &id, "--value", "7000.5"])
        .success()
        .stderr_has("deal value 7000.50\n");
    let show = env.run(&["show", &id]).success();
    assert!(
        show.stdout.contains("\ndeal value  7000.50\n"),
        "{}",
        show.stdout
    );
    assert_eq!(env.show(1)["deal_value"], json!(7000.5));
    let csv = env.run(&["export", "--format", "csv"]).success();
    assert!(
        csv.stdout
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",7000.50,tester"),
        "{}",
        csv.stdout
    );
    env.run(&["spend", "add", "trade_show", "5000"])
        .success()
        .stderr_has("recorded spend 1: 5000.00 trade_show");
    env.run(&["spend", "list"]).success().stdout_is(
        "ID  ON                SOURCE      DETAIL   AMOUNT  NOTE\n 1  2026-03-01 09:00  trade_show          5000.00\n",
    );
    env.run(&["spend", "list", "--format", "tsv"])
        .success()
        .stdout_is(
        "id\ton\tsource\tdetail\tamount\tnote\n1\t2026-03-01T09:00:00Z\ttrade_show\t\t5000.00\t\n",
    );
    let json = env
        .run(&["spend", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(json[0]["amount"], json!(5000.0));
    // Exported and imported again, the amount is the same.
    let file = env.write("out.csv", csv.stdout);
    let other = Env::new();
    other.run(&["import", &file]).success();
    assert_eq!(other.show(1)["deal_value"], json!(7000.5));
}

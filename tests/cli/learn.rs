//! `leads learn`, and the win probability it gives `list` and `show`; its data in CSV and
//! TSV.
// The history builders below are test code: a failure there should stop the test loudly.
#![allow(clippy::unwrap_used)]
use chrono::{DateTime, Duration, Utc};
use leads::model::{ActivityKind, Lead, Status};
use serde_json::Value;

use crate::harness::*;

/// A small seeded generator (splitmix64), so the history is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() * items.len() as f64) as usize % items.len()]
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// One generated lead: its fields, calls, and the generator's true chance of a win:
/// sigmoid(1.5·[referral] + 1.3·[plan = enterprise] + 0.6·calls − 2.2); industry and
/// country are noise.
fn generated(rng: &mut Rng, index: usize) -> (Lead, u32, f64) {
    let source = rng.pick(&["referral", "web_form", "trade_show", "purchased_list"]);
    let plan = rng.pick(&["enterprise", "team", "free"]);
    let industry = rng.pick(&["software", "retail", "logistics"]);
    let country = rng.pick(&["de", "fr", "us"]);
    let calls = (rng.next() * 5.0) as u32;
    let z = 1.5 * f64::from(source == "referral")
        + 1.3 * f64::from(plan == "enterprise")
        + 0.6 * f64::from(calls)
        - 2.2;
    let mut lead = Lead {
        first_name: Some(format!("Lead{index}")),
        email: Some(format!("lead{index}@example.com")),
        source: Some(source.into()),
        industry: Some(industry.into()),
        country: Some(country.into()),
        created_at: Some(at("2025-06-01T00:00:00Z")),
        updated_at: Some(at("2025-06-01T00:00:00Z")),
        ..Lead::default()
    };
    lead.attributes.insert("Plan".into(), plan.into());
    (lead, calls, 1.0 / (1.0 + (-z).exp()))
}

/// A history of `closed` closed leads drawn from the generator (the outcome drawn from the
/// true chance) and `open` open ones; returns the true chances and outcomes of the closed.
fn build_history(env: &Env, closed: usize, open: usize) -> (Vec<f64>, Vec<bool>) {
    let store = env.store();
    let mut rng = Rng(42);
    let mut truth = (Vec::new(), Vec::new());
    store
        .write(|store| {
            for index in 0..closed + open {
                let (lead, calls, chance) = generated(&mut rng, index);
                let id = store.insert_lead(&lead)?;
                for day in 0..calls {
                    let when = at("2025-07-01T10:00:00Z") + Duration::days(i64::from(day));
                    store.add_activity(&leads::store::NewActivity::new(
                        id,
                        ActivityKind::Call,
                        when,
                    ))?;
                }
                if index < closed {
                    let won = rng.next() < chance;
                    let status = if won { Status::Won } else { Status::Lost };
                    store.change_status(id, None, status, at("2025-09-01T00:00:00Z"), None)?;
                    truth.0.push(chance);
                    truth.1.push(won);
                }
            }
            Ok(())
        })
        .unwrap();
    truth
}

/// Area under the ROC curve by counting pairs (ties half): the test's own, independent one.
fn pairwise_auc(scores: &[f64], won: &[bool]) -> f64 {
    let (mut wins, mut pairs) = (0.0, 0.0);
    for (i, a) in scores.iter().enumerate() {
        for (j, b) in scores.iter().enumerate() {
            if won[i] && !won[j] {
                pairs += 1.0;
                wins += if a > b {
                    1.0
                } else if a == b {
                    0.5
                } else {
                    0.0
                };
            }
        }
    }
    wins / pairs
}

#[test]
fn learn_finds_the_signal_of_a_known_generator() {
    let env = Env::new();
    let (chances, outcomes) = build_history(&env, 600, 40);
    let best = pairwise_auc(&chances, &outcomes);
    let won = outcomes.iter().filter(|w| **w).count() as u64;

    let summary = env.run(&["learn", "--format", "json"]).success().json();
    assert_eq!(summary["enough_data"], true);
    assert_eq!(summary["closed"], 600);
    assert_eq!(summary["won"], won);
    assert_eq!(summary["lost"], 600 - won);
    // One in five of each outcome.
    assert_eq!(summary["held_out"], won / 5 + (600 - won) / 5);
    assert_eq!(summary["scored_open_leads"], 40);
    assert_eq!(summary["learned_at"], NOW);
    let auc = summary["auc"].as_f64().unwrap();
    assert!(
        auc > 0.7 && auc > best - 0.08,
        "held-out AUC {auc}, the generator's own {best:.3}"
    );

    // Open leads are ranked by the learned probability; closed ones have none.
    let listed = env
        .run(&["list", "--sort", "win", "--format", "json"])
        .success()
        .json();
    let listed = listed.as_array().unwrap();
    let open: Vec<f64> = listed
        .iter()
        .filter(|lead| lead["status"] == "new")
        .map(|lead| lead["win_probability"].as_f64().unwrap())
        .collect();
    assert_eq!(open.len(), 40);
    assert!(open.windows(2).all(|pair| pair[0] >= pair[1]), "{open:?}");
    assert!(open.iter().all(|p| *p > 0.0 && *p < 1.0));
    assert!(listed[..40].iter().all(|lead| lead["status"] == "new"));
    assert!(listed[40..]
        .iter()
        .all(|lead| lead["win_probability"].is_null()));

    // The open leads' probabilities follow the generator's chances.
    let store = env.store();
    let mut rng = Rng(42);
    let mut agree = (Vec::new(), Vec::new());
    for index in 0..640 {
        let (_, _, chance) = generated(&mut rng, index);
        if index >= 600 {
            let lead = store.lead(index as i64 + 1).unwrap();
            agree.0.push(lead.win_probability.unwrap());
            agree.1.push(chance > 0.5);
        } else {
            rng.next();
        }
    }
    assert!(pairwise_auc(&agree.0, &agree.1) > 0.8);
}

#[test]
fn list_and_show_explain_the_probability_and_its_age() {
    let env = Env::new();
    build_history(&env, 300, 0);
    let referral = env.add(&[
        "Rita Referral",
        "--source",
        "referral",
        "--email",
        "rita@example.com",
    ]);
    let cold = env.add(&["Carl Cold", "--source", "purchased_list"]);
    for _ in 0..4 {
        env.run(&["log", &referral.to_string(), "call"]).success();
    }
    let learned = env.run(&["learn"]).success();
    let text = learned.stdout;
    assert!(
        text.starts_with("learned from 300 closed leads (")
            && text.contains("held-out AUC 0.")
            && text.contains(" on 60 leads; 2 open leads scored\nmodel: "),
        "{text}"
    );
    assert!(
        learned.stderr.starts_with("learned in "),
        "{}",
        learned.stderr
    );

    let table = env.run(&["list", "--sort", "win"]).success();
    let first = table.stdout.lines().nth(1).unwrap();
    assert!(first.contains("Rita Referral"), "{}", table.stdout);
    assert!(table.stdout.lines().next().unwrap().contains("  WIN  "));
    assert!(
        table
            .stderr
            .contains("win probability learned 2026-03-01 from 300 closed leads (AUC 0.")
            && table.stderr.ends_with("; `leads learn` to refresh\n"),
        "{}",
        table.stderr
    );
    assert!(env.run(&["list", "--quiet"]).success().stderr.is_empty());

    let shown = env.show(referral);
    let p = shown["win_probability"].as_f64().unwrap();
    assert!(p > 0.5, "{p}");
    let factors = shown["win_factors"].as_array().unwrap();
    let reasons: Vec<(&str, &str)> = factors
        .iter()
        .map(|f| (f["feature"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons[..2],
        [("call activities", "4"), ("source", "referral")]
    );
    assert!(factors[1]["contribution"].as_f64().unwrap() > 0.5);
    assert_eq!(shown["win_model"]["closed"], 300);
    let against = env.show(cold)["win_factors"].clone();
    assert!(against
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["feature"] == "call activities"
            && f["value"] == "0"
            && f["contribution"].as_f64().unwrap() < 0.0));

    let page = env.run(&["show", &referral.to_string()]).success().stdout;
    assert!(
        page.contains(&format!("\nWin probability {:.0}%\nFACTOR", p * 100.0)),
        "{page}"
    );
    let factor_rows = page.split("\nWin probability").nth(1).unwrap();
    assert!(
        factor_rows
            .lines()
            .any(|l| l.starts_with("source ") && l.contains(" referral ") && l.contains(" +0.")),
        "{page}"
    );

    // Closing a lead makes the model stale: the note says so, and the lead loses its number.
    env.run(&["status", &cold.to_string(), "lost"]).success();
    let stale = env.run(&["list"]).success();
    assert!(
        stale.stderr.contains("from 300 closed leads (AUC")
            && stale
                .stderr
                .contains("; 301 closed now; `leads learn` to refresh"),
        "{}",
        stale.stderr
    );
    assert!(env.show(cold)["win_probability"].is_null());
    let exported = env.run(&["list", "--format", "csv"]).success().stdout;
    assert!(exported.starts_with("id,name,company,email,status,score,grade,win_probability,"));
}

/// `count` closed leads from the generator, the first `won` of them won.
fn closed_history(env: &Env, count: u64, won: u64) {
    let store = env.store();
    store
        .write(|store| {
            for index in 0..count {
                let (lead, calls, _) = generated(&mut Rng(index), index as usize);
                let id = store.insert_lead(&lead)?;
                for day in 0..calls {
                    let when = at("2025-07-01T10:00:00Z") + Duration::days(i64::from(day));
                    store.add_activity(&leads::store::NewActivity::new(
                        id,
                        ActivityKind::Call,
                        when,
                    ))?;
                }
                let status = if index < won {
                    Status::Won
                } else {
                    Status::Lost
                };
                store.change_status(id, None, status, at("2025-09-01T00:00:00Z"), None)?;
            }
            Ok(())
        })
        .unwrap();
}

/// Was 20 won and 20 lost against a minimum of 30 each; the minimum is now 10 each.
#[test]
fn too_few_closed_leads_is_not_enough_data_and_stores_nothing() {
    let env = Env::new();
    closed_history(&env, 10, 5);
    let open = env.add(&["Olga Open"]);

    env.run(&["learn"])
        .success()
        .stdout_is("")
        .stderr_has("not enough data: 5 won and 5 lost closed leads; need at least 10 of each\n");
    let summary = env.run(&["learn", "--format", "json"]).success().json();
    assert_eq!(
        summary,
        serde_json::json!({"enough_data": false, "closed": 10, "won": 5, "lost": 5, "needed_each": 10})
    );
    assert_eq!(env.show(open)["win_probability"], Value::Null);
    assert_eq!(env.show(open)["win_factors"], serde_json::json!([]));
    let listed = env.run(&["list"]).success();
    assert!(!listed.stdout.contains("WIN"), "{}", listed.stdout);
    assert!(listed.stderr.is_empty(), "{}", listed.stderr);
}

/// Ten won and ten lost are enough: every closed lead is measured by cross-validation,
/// the AUC comes with its interval, and the seller is told it is a rough guide.
#[test]
fn ten_won_and_ten_lost_learn_a_model_that_says_how_sure_it_is() {
    let env = Env::new();
    closed_history(&env, 20, 10);
    let open = env.add(&["Olga Open", "--source", "referral"]);
    let summary = env.run(&["learn", "--format", "json"]).success().json();
    assert_eq!(summary["enough_data"], true);
    assert_eq!(summary["won"], 10);
    assert_eq!(summary["lost"], 10);
    assert_eq!(summary["held_out"], 20, "every closed lead measured");
    assert_eq!(summary["folds"], 5);
    assert_eq!(summary["scored_open_leads"], 1);
    let auc = summary["auc"].as_f64().unwrap();
    let interval = summary["auc_interval"].as_array().unwrap();
    let (low, high) = (interval[0].as_f64().unwrap(), interval[1].as_f64().unwrap());
    assert!(low < auc && auc < high, "{summary}");
    // Ten and ten leave a wide interval: about ±0.2.
    assert!(high - low > 0.3, "{summary}");
    assert!(summary["score_auc"].is_number(), "{summary}");
    let p = env.show(open)["win_probability"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1.0);

    let text = env.run(&["learn"]).success();
    assert!(
        text.stdout
            .starts_with("learned from 20 closed leads (10 won, 10 lost); held-out AUC ")
            && text.stdout.contains(" (95% interval ")
            && text
                .stdout
                .contains(" on 20 leads (5-fold cross-validation); 1 open lead scored\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stderr
            .contains("few closed leads (20): read win probabilities as a rough guide")
            || text.stderr.contains("little better than chance"),
        "{}",
        text.stderr
    );
    let csv = env.run(&["learn", "--format", "csv"]).success().stdout;
    assert!(
        csv.starts_with(
            "enough_data,closed,won,lost,needed_each,held_out,auc,auc_low,auc_high,score_auc,"
        ),
        "{csv}"
    );
}

#[test]
fn an_empty_database_has_nothing_to_learn() {
    let env = Env::new();
    env.create_db();
    env.run(&["learn"])
        .success()
        .stderr_has("not enough data: 0 won and 0 lost closed leads");
}

/// Cold trial X6: counts agree with their noun ("1 open lead scored").
#[test]
fn learn_says_one_open_lead_in_the_singular() {
    let env = Env::new();
    build_history(&env, 300, 0);
    env.add(&["Only Open"]);
    let text = env.run(&["learn"]).success().stdout;
    assert!(
        text.starts_with("learned from 300 closed leads (")
            && text.contains(" on 60 leads; 1 open lead scored\nmodel: "),
        "{text}"
    );
}

/// `learn` measures the rule score on the same held-out closed leads (JSON `score_auc`);
/// when the model ranks them better, `today` orders by the win probability and says so.
#[test]
fn the_model_orders_today_only_when_it_ranks_better_than_the_score() {
    let env = Env::new();
    build_history(&env, 300, 6);
    // Every open lead is engaged and has nothing planned: all on the agenda.
    for id in 301..=306 {
        env.run(&["status", &id.to_string(), "qualified"]).success();
    }
    let summary = env.run(&["learn", "--format", "json"]).success().json();
    let (auc, score_auc) = (
        summary["auc"].as_f64().expect("the model's AUC"),
        summary["score_auc"].as_f64().expect("the score's AUC"),
    );
    assert!(auc > score_auc, "{summary}");
    let agenda = env.run(&["today", "--format", "json"]).success().json();
    let probabilities: Vec<f64> = agenda
        .as_array()
        .expect("an agenda")
        .iter()
        .map(|entry| entry["win_probability"].as_f64().expect("a probability"))
        .collect();
    assert_eq!(probabilities.len(), 6);
    let mut sorted = probabilities.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(probabilities, sorted);
    env.run(&["today"])
        .success()
        .stderr_has("ordered by the learned win probability");

    // `list` with no --sort follows the model too, and says so in a table.
    let listed = env.run(&["list", "--format", "json"]).success().json();
    let listed: Vec<f64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|lead| lead["win_probability"].as_f64().unwrap())
        .collect();
    assert_eq!(listed, sorted);
    env.run(&["list"])
        .success()
        .stderr_has("ordered by the learned win probability");
    let by_score = env.run(&["list", "--sort", "score"]).success();
    assert!(
        !by_score.stderr.contains("ordered by the learned"),
        "{}",
        by_score.stderr
    );

    // `report` measures both on the leads closed in its period: the score's AUC is the
    // one `learn` saw on all of them; the model's is from its stored weights.
    let report = env.run(&["report", "--format", "json"]).success().json();
    let (report_score, report_model) = (
        report["score_auc"].as_f64().expect("the score's AUC"),
        report["model_auc"].as_f64().expect("the model's AUC"),
    );
    assert!(report_model > report_score, "{report}");
    assert!(report_model > 0.7, "{report}");
    let table = env.run(&["report"]).success().stderr;
    assert!(
        table.contains(&format!(
            "leads closed in the period ({won} won, {lost} lost) ranked by the score: AUC \
             {report_score:.2}; by the learned model: {report_model:.2}\n",
            won = summary["won"],
            lost = summary["lost"],
        )),
        "{table}"
    );
    // A period that closed no lead: nothing to measure.
    let later = env
        .run(&["report", "--since", "2026-02-01", "--format", "json"])
        .success()
        .json();
    assert_eq!(later["score_auc"], Value::Null);
    assert_eq!(later["model_auc"], Value::Null);

    // A lead added since `learn` has no probability: its score stands for it, in the
    // same order (it was put below every learned lead).
    let hot = env.add(&[
        "New Hot",
        "--title",
        "CEO",
        "--source",
        "referral",
        "--email",
        "hot@x.test",
    ]);
    for kind in ["meeting", "demo", "email_replied"] {
        env.run(&["log", &hot.to_string(), kind]).success();
    }
    env.run(&["status", &hot.to_string(), "qualified"])
        .success();
    let agenda = env.run(&["today", "--format", "json"]).success().json();
    let p: Vec<f64> = agenda
        .as_array()
        .expect("an agenda")
        .iter()
        .map(|entry| {
            entry["win_probability"]
                .as_f64()
                .unwrap_or_else(|| entry["score"].as_f64().expect("a score") / 100.0)
        })
        .collect();
    assert_eq!(p.len(), 7);
    let mut sorted = p.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(p, sorted, "{agenda}");
    let first = env
        .run(&["today", "--format", "json", "--limit", "1"])
        .success()
        .json();
    assert_eq!(first[0]["lead_id"], agenda[0]["lead_id"]);
}

#[test]
fn learn_gives_data_in_csv_and_tsv() {
    let env = Env::new();
    three_leads(&env);
    env.run(&["learn", "--format", "csv"]).success().stdout_is(
        "enough_data,closed,won,lost,needed_each,held_out,auc,auc_low,auc_high,score_auc,method,features,learned_at,scored_open_leads\n\
         false,0,0,0,10,,,,,,,,,\n",
    );
    env.run(&["learn", "--format", "tsv"]).success().stdout_is(
        "enough_data\tclosed\twon\tlost\tneeded_each\theld_out\tauc\tauc_low\tauc_high\tscore_auc\tmethod\tfeatures\tlearned_at\tscored_open_leads\n\
         false\t0\t0\t0\t10\t\t\t\t\t\t\t\t\t\n",
    );
}

/// Won when a lead came by referral or is in software, not both (one in ten the other way):
/// neither alone tells a win, so only trees see it. `learn` keeps them, stores them, and
/// `show` explains a lead by its own source and industry.
#[test]
fn an_interaction_is_learned_by_trees_and_explained_by_the_leads_own_values() {
    let env = Env::new();
    let store = env.store();
    let mut rng = Rng(7);
    store
        .write(|store| {
            for index in 0..400 {
                let referral = rng.next() < 0.5;
                let software = rng.next() < 0.5;
                let won = (referral != software) != (rng.next() < 0.1);
                let lead = Lead {
                    first_name: Some(format!("Lead{index}")),
                    source: Some(if referral { "referral" } else { "web_form" }.into()),
                    industry: Some(if software { "software" } else { "retail" }.into()),
                    created_at: Some(at("2025-06-01T00:00:00Z")),
                    updated_at: Some(at("2025-06-01T00:00:00Z")),
                    ..Lead::default()
                };
                let id = store.insert_lead(&lead)?;
                let status = if won { Status::Won } else { Status::Lost };
                store.change_status(id, None, status, at("2025-09-01T00:00:00Z"), None)?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let likely = env.add(&[
        "Rita Retail",
        "--source",
        "referral",
        "--industry",
        "retail",
    ]);
    let unlikely = env.add(&[
        "Sam Software",
        "--source",
        "referral",
        "--industry",
        "software",
    ]);
    let summary = env.run(&["learn", "--format", "json"]).success().json();
    let method = summary["method"].as_str().unwrap();
    assert!(method == "boosted_trees" || method == "blend", "{summary}");
    let compared: Vec<&String> = summary["compared"].as_object().unwrap().keys().collect();
    assert_eq!(
        compared,
        [
            "logistic_regression",
            "naive_bayes",
            "boosted_trees",
            "blend"
        ]
    );
    assert!(summary["compared"]["logistic_regression"].as_f64().unwrap() < 0.65);
    assert!(summary["auc"].as_f64().unwrap() > 0.8, "{summary}");

    // Read back from the database by another process: the trees survived the store.
    let shown = env.show(likely);
    assert!(shown["win_probability"].as_f64().unwrap() > 0.7, "{shown}");
    let reasons: Vec<(&str, &str)> = shown["win_factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["feature"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert!(reasons.contains(&("source", "referral")), "{reasons:?}");
    assert!(reasons.contains(&("industry", "retail")), "{reasons:?}");
    assert!(env.show(unlikely)["win_probability"].as_f64().unwrap() < 0.3);
    let text = env.run(&["learn"]).success().stdout;
    assert!(
        text.contains(" features (held-out AUC of the others: "),
        "{text}"
    );
}

//! The learning module's tests: named cases, a known generator, and the fit's optimum.
use super::calibrate::*;
use super::encoder::*;
use super::evaluate::*;
use super::fit::*;
use super::*;
use crate::model::{ActivityKind, Answer, Lead};

#[test]
fn auc_named_cases() {
    let won = [false, false, true, true];
    let cases: [(&str, [f64; 4], f64); 4] = [
        ("perfect ranking", [0.1, 0.2, 0.8, 0.9], 1.0),
        ("inverted ranking", [0.9, 0.8, 0.2, 0.1], 0.0),
        ("all ties", [0.5, 0.5, 0.5, 0.5], 0.5),
        ("one swapped pair", [0.1, 0.8, 0.7, 0.9], 0.75),
    ];
    for (name, scores, expected) in cases {
        let got = auc(&scores, &won).unwrap();
        assert!((got - expected).abs() < 1e-12, "{name}: {got}");
    }
    assert_eq!(auc(&[0.1, 0.2], &[true, true]), None, "one outcome only");
    // A tie across outcomes counts half: one of four pairs tied, the others right.
    let got = auc(&[0.1, 0.5, 0.5, 0.9], &won).unwrap();
    assert!((got - 0.875).abs() < 1e-12, "{got}");
}

#[test]
fn facts_use_fields_tags_title_words_attributes_and_counts() {
    let mut lead = Lead {
        source: Some("referral".into()),
        industry: Some("Software".into()),
        title: Some("Head of Sales".into()),
        email: Some("ada@gmail.com".into()),
        company_size: Some(120),
        tags: vec!["vip".into()],
        budget: Answer::Yes,
        ..Lead::default()
    };
    lead.attributes.insert("Plan".into(), " Enterprise ".into());
    lead.attributes.insert("Empty".into(), "  ".into());
    // A status the import did not know, kept verbatim: it spells out the outcome.
    lead.attributes
        .insert("Lead Status".into(), "Closed - Lost to competitor".into());
    let mut counts = ActivityCounts::default();
    counts.add(ActivityKind::Call, 3);
    let facts = facts(&lead, &counts, |key| key == "Lead Status");
    for expected in [
        ("source", "referral"),
        ("industry", "software"),
        ("tag", "vip"),
        ("title word", "head"),
        ("title word", "sales"),
        ("email", "free mail"),
        ("budget", "yes"),
    ] {
        assert!(
            facts
                .categories
                .contains(&(expected.0, expected.1.to_string())),
            "{expected:?} in {:?}",
            facts.categories
        );
    }
    assert!(!facts.categories.iter().any(|(_, v)| v == "of"));
    assert_eq!(facts.numbers, vec![("company size", 120.0)]);
    assert_eq!(
        facts.attributes,
        vec![("Plan".to_string(), "Enterprise".to_string())]
    );
    assert_eq!(facts.counts.get(ActivityKind::Call), 3);
}

#[test]
fn rare_values_pool_and_unseen_values_use_the_pool() {
    let row = |source: &str| Facts {
        categories: vec![("source", source.to_string())],
        ..Facts::default()
    };
    let mut rows: Vec<Facts> = (0..MIN_COUNT).map(|_| row("referral")).collect();
    rows.push(row("podcast"));
    let refs: Vec<&Facts> = rows.iter().collect();
    let encoder = Encoder::learn(&refs);
    let sources = &encoder.categories["source"];
    assert_eq!(
        sources.keys().collect::<Vec<_>>(),
        vec![RARE, "referral"],
        "podcast was seen once"
    );
    let mut pooled = Vec::new();
    encoder.walk(&row("never seen"), |column, _, _| pooled.push(column));
    assert_eq!(pooled, vec![sources[RARE]]);
}

#[test]
fn numbers_fall_into_quantile_bins_and_numeric_attributes_are_detected() {
    let rows: Vec<Facts> = (0..100)
        .map(|i| Facts {
            numbers: vec![("company size", f64::from(i))],
            attributes: vec![
                ("Revenue".to_string(), format!("${},000", i * 10)),
                ("Plan".to_string(), format!("{}", i % 3)),
            ],
            ..Facts::default()
        })
        .collect();
    let refs: Vec<&Facts> = rows.iter().collect();
    let encoder = Encoder::learn(&refs);
    let bins = &encoder.numbers["company size"];
    assert_eq!(bins.edges, vec![20.0, 40.0, 60.0, 80.0]);
    assert_eq!(
        (0..5).map(|b| bins.label(b)).collect::<Vec<_>>(),
        [
            "under 20",
            "20 to under 40",
            "40 to under 60",
            "60 to under 80",
            "80 or more"
        ]
    );
    assert!(encoder.numeric_attributes.contains("Revenue"));
    assert!(
        !encoder.numeric_attributes.contains("Plan"),
        "three values: categories"
    );
    assert!(encoder.numbers.contains_key("attribute Revenue"));
    assert_eq!(encoder.categories["attribute Plan"].len(), 3);
}

#[test]
fn each_fold_is_one_in_five_of_each_outcome_and_fixed() {
    let examples: Vec<Example> = (1..=100)
        .map(|id| Example {
            id,
            won: id % 4 == 0,
            facts: Facts::default(),
            score: 0.0,
        })
        .collect();
    let held_out = |examples: &[Example]| -> Vec<bool> {
        folds(examples)
            .into_iter()
            .map(|fold| fold == HELD_OUT_EVERY - 1)
            .collect()
    };
    let held = held_out(&examples);
    for fold in 0..HELD_OUT_EVERY {
        let in_fold = |e: &(&Example, usize)| e.1 == fold;
        let all = folds(&examples);
        let won = examples.iter().zip(all.iter().copied()).filter(in_fold);
        assert_eq!(won.filter(|(e, _)| e.won).count(), 5);
        assert_eq!(all.iter().filter(|f| **f == fold).count(), 20);
    }
    let mut reversed = examples.clone();
    reversed.reverse();
    let mut again: Vec<i64> = reversed
        .iter()
        .zip(held_out(&reversed))
        .filter(|(_, h)| *h)
        .map(|(e, _)| e.id)
        .collect();
    again.sort();
    let first: Vec<i64> = examples
        .iter()
        .zip(&held)
        .filter(|(_, h)| **h)
        .map(|(e, _)| e.id)
        .collect();
    assert_eq!(again, first, "the same leads whatever their order");
}

/// A seeded generator: P(win) = sigmoid(1.5·referral + 1.2·enterprise + 0.6·calls − 1.6).
fn synthetic(n: usize, seed: u64) -> (Vec<Example>, Vec<f64>) {
    let mut state = seed;
    let mut next = move || {
        state = mix(state);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let sources = ["referral", "web_form", "trade_show", "purchased_list"];
    let plans = ["enterprise", "team", "free"];
    let mut examples = Vec::new();
    let mut truth = Vec::new();
    for id in 0..n {
        let source = sources[(next() * 4.0) as usize % 4];
        let plan = plans[(next() * 3.0) as usize % 3];
        let calls = (next() * 5.0) as u32;
        let noise_tag = if next() < 0.5 { "blue" } else { "green" };
        let z = 1.5 * f64::from(source == "referral")
            + 1.2 * f64::from(plan == "enterprise")
            + 0.6 * f64::from(calls)
            - 1.6;
        let p = sigmoid(z);
        let mut counts = ActivityCounts::default();
        counts.add(ActivityKind::Call, calls);
        examples.push(Example {
            score: 0.0,
            id: id as i64 + 1,
            won: next() < p,
            facts: Facts {
                categories: vec![("source", source.into()), ("tag", noise_tag.into())],
                attributes: vec![("plan".into(), plan.into())],
                counts,
                ..Facts::default()
            },
        });
        truth.push(p);
    }
    (examples, truth)
}

#[test]
fn learning_a_known_generator_comes_close_to_its_best_auc() {
    let (examples, truth) = synthetic(2000, 7);
    let won: Vec<bool> = examples.iter().map(|e| e.won).collect();
    let best = auc(&truth, &won).unwrap();
    let Learning::Learned(learned) = learn(&examples) else {
        panic!("2000 leads are enough");
    };
    let got = learned.auc.unwrap();
    assert!(got > 0.7 && got > best - 0.06, "AUC {got} vs best {best}");
    assert_eq!(learned.held_out, 400);
    assert_eq!(learned.won + learned.lost, 2000);
    // The generator's signals come out on top, the noise tag does not.
    let referral = Facts {
        categories: vec![("source", "referral".into())],
        attributes: vec![("plan".into(), "enterprise".into())],
        ..Facts::default()
    };
    let factors = learned.model.factors(&referral);
    assert_eq!(factors.len(), 3, "{factors:?}");
    assert!(factors[0].contribution > 0.5, "{factors:?}");
    // Deterministic: the same history, the same model.
    let Learning::Learned(again) = learn(&examples) else {
        panic!()
    };
    assert_eq!(again.model, learned.model);
}

#[test]
fn logistic_regression_recovers_the_generator_weights() {
    let (examples, _) = synthetic(20_000, 11);
    let facts: Vec<&Facts> = examples.iter().map(|e| &e.facts).collect();
    let won: Vec<bool> = examples.iter().map(|e| e.won).collect();
    let encoder = Encoder::learn(&facts);
    let matrix = Matrix::encode(&encoder, &facts);
    let model = WinModel::new(
        Method::LogisticRegression,
        encoder.clone(),
        fit_logistic(&matrix, &won, encoder.columns),
    );
    let weight = |field: &str, value: &str| model.weights[encoder.categories[field][value]];
    let referral = weight("source", "referral") - weight("source", "web_form");
    let enterprise = weight("attribute plan", "enterprise") - weight("attribute plan", "free");
    let tags = weight("tag", "blue") - weight("tag", "green");
    assert!((referral - 1.5).abs() < 0.2, "referral {referral}");
    assert!((enterprise - 1.2).abs() < 0.2, "enterprise {enterprise}");
    assert!(tags.abs() < 0.15, "noise {tags}");
}

#[test]
fn logistic_regression_reaches_the_optimum() {
    let (examples, _) = synthetic(5000, 13);
    let facts: Vec<&Facts> = examples.iter().map(|e| &e.facts).collect();
    let won: Vec<bool> = examples.iter().map(|e| e.won).collect();
    let encoder = Encoder::learn(&facts);
    let matrix = Matrix::encode(&encoder, &facts);
    let model = fit_logistic(&matrix, &won, encoder.columns);
    // At the optimum of the penalized loss every partial derivative is (nearly) zero.
    let mut gradient: Vec<f64> = model.weights.iter().map(|w| L2 * w).collect();
    let mut intercept_gradient = 0.0;
    for (i, won) in won.iter().enumerate() {
        let residual =
            sigmoid(matrix.margin(i, model.intercept, &model.weights)) - f64::from(u8::from(*won));
        intercept_gradient += residual;
        for (c, v) in matrix.row(i) {
            gradient[c] += residual * v;
        }
    }
    let largest = gradient
        .iter()
        .chain([&intercept_gradient])
        .fold(0.0_f64, |m, g| m.max(g.abs()));
    assert!(largest < 0.05, "largest partial derivative {largest}");
}

#[test]
fn calibration_tames_overconfident_log_odds() {
    // Outcomes drawn from sigmoid(z), but the model claims 3z: too sure of itself.
    let mut state = 1;
    let mut log_odds = Vec::new();
    let mut won = Vec::new();
    for i in 0..4000 {
        let z = f64::from(i % 41 - 20) / 8.0;
        state = mix(state);
        won.push(((state >> 11) as f64 / (1u64 << 53) as f64) < sigmoid(z));
        log_odds.push(3.0 * z);
    }
    let (scale, shift) = calibrate(&log_odds, &won);
    assert!((scale - 1.0 / 3.0).abs() < 0.05, "scale {scale}");
    assert!(shift.abs() < 0.1, "shift {shift}");
    let (scale, _) = calibrate(&log_odds, &won.iter().map(|w| !w).collect::<Vec<_>>());
    assert_eq!(scale, 0.0, "an inverted model is not turned around");
}

#[test]
fn too_few_of_one_outcome_is_not_enough_data() {
    let (mut examples, _) = synthetic(400, 3);
    let mut wins = 0;
    examples.retain(|e| {
        wins += usize::from(e.won);
        !e.won || wins < MIN_EACH
    });
    let lost = examples.iter().filter(|e| !e.won).count();
    assert_eq!(
        learn(&examples),
        Learning::NotEnoughData {
            won: MIN_EACH - 1,
            lost
        }
    );
}

#[test]
fn predictions_never_reach_0_or_1_and_the_model_survives_json() {
    let (examples, _) = synthetic(600, 5);
    let Learning::Learned(learned) = learn(&examples) else {
        panic!()
    };
    let json = serde_json::to_string(&learned.model).unwrap();
    let model: WinModel = serde_json::from_str(&json).unwrap();
    let mut counts = ActivityCounts::default();
    counts.add(ActivityKind::Call, 10_000);
    let extreme = Facts {
        categories: vec![("source", "referral".into())],
        counts,
        ..Facts::default()
    };
    let p = model.probability(&extreme);
    assert!(p <= 1.0 - FLOOR && p > 0.9, "{p}");
    assert!(model.probability(&Facts::default()) >= FLOOR);
}

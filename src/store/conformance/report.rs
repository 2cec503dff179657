//! The report's tallies on small known datasets, and the agenda's walk of the leads
//! without a next step.
use super::{at, person, START};
use crate::model::{ActivityKind, Grade, Lead, Status};
use crate::store::{
    GroupTally, Months, NewActivity, NewFollowUp, NoNextStep, Period, ReportGroup, Spend, Store,
    WalkOrder,
};

fn lead(store: &Store, source: Option<&str>, created: &str, score: i64) -> i64 {
    let mut lead = Lead {
        first_name: Some("Ada".into()),
        source: source.map(str::to_string),
        created_at: Some(at(created)),
        updated_at: Some(at(created)),
        ..Lead::default()
    };
    lead.scores.score = score;
    let id = store.insert_lead(&lead).unwrap();
    store
        .change_status(id, None, Status::New, at(created), None)
        .unwrap();
    id
}

fn by_group(tallies: Vec<GroupTally>, group: Option<&str>) -> GroupTally {
    tallies
        .into_iter()
        .find(|t| t.group.as_deref() == group)
        .unwrap()
}

pub fn tallies_count_statuses_milestones_and_days(store: &Store) {
    let a = lead(store, Some("referral"), "2026-01-01T00:00:00Z", 80);
    let b = lead(store, Some("referral"), "2026-01-01T00:00:00Z", 40);
    lead(store, None, "2026-02-01T00:00:00Z", 10);
    let q = Some(Status::New);
    store
        .change_status(a, q, Status::Qualified, at("2026-01-11T00:00:00Z"), None)
        .unwrap();
    store
        .change_status(
            a,
            Some(Status::Qualified),
            Status::Won,
            at("2026-01-21T12:00:00Z"),
            None,
        )
        .unwrap();
    store
        .change_status(b, q, Status::Qualified, at("2026-01-03T00:00:00Z"), None)
        .unwrap();
    store
        .change_status(
            b,
            Some(Status::Qualified),
            Status::Lost,
            at("2026-01-04T00:00:00Z"),
            None,
        )
        .unwrap();

    let report = store
        .report(&ReportGroup::Source, Period::default())
        .unwrap();
    let mut referral = by_group(report.groups.clone(), Some("referral"));
    referral.days_to_qualify.sort_by(f64::total_cmp);
    assert_eq!(referral.leads, 2);
    assert_eq!(referral.by_status, [0, 0, 0, 0, 1, 1, 0]);
    assert_eq!(referral.reached_qualified, 2);
    assert_eq!(referral.score_total, 120);
    assert_eq!(referral.days_to_qualify, vec![2.0, 10.0]);
    assert_eq!(referral.days_to_win, vec![20.5]);
    let none = by_group(report.groups, None);
    assert_eq!((none.leads, none.by_status[0]), (1, 1));
    // Both skipped contacted and nurturing, yet reached them.
    assert_eq!(report.funnel.reached, [3, 2, 2, 2, 1, 1, 0]);
    let mut qualify_days = report.funnel.days[3].clone();
    qualify_days.sort_by(f64::total_cmp);
    assert_eq!(qualify_days, vec![2.0, 10.0]);
    assert_eq!(report.funnel.days[4], vec![10.5]);
    assert_eq!(report.funnel.days[5], vec![1.0]);

    let since = Period {
        since: Some(at("2026-01-15T00:00:00Z")),
        until: None,
    };
    let report = store.report(&ReportGroup::Source, since).unwrap();
    assert_eq!(report.groups.len(), 1);
    assert_eq!(report.groups[0].group, None);
    let until = Period {
        since: None,
        until: Some(at("2026-02-01T00:00:00Z")),
    };
    let report = store.report(&ReportGroup::Source, until).unwrap();
    assert_eq!(report.groups.len(), 1);
    assert_eq!(report.groups[0].group.as_deref(), Some("referral"));
}

pub fn arrivals_at_a_later_stage_reach_the_earlier_ones_without_days(store: &Store) {
    let created = "2026-01-01T00:00:00Z";
    let won = lead(store, Some("partner"), created, 50);
    // An import of a lead already qualified, won a week later.
    store
        .change_status(won, None, Status::Qualified, at(created), None)
        .unwrap();
    store
        .change_status(
            won,
            Some(Status::Qualified),
            Status::Won,
            at("2026-01-08T00:00:00Z"),
            None,
        )
        .unwrap();
    let lost = lead(store, Some("partner"), created, 50);
    store
        .change_status(lost, None, Status::Lost, at(created), None)
        .unwrap();
    let report = store
        .report(&ReportGroup::Source, Period::default())
        .unwrap();
    assert_eq!(report.funnel.reached, [2, 1, 1, 1, 1, 1, 0]);
    assert_eq!(report.funnel.days[3], Vec::<f64>::new());
    assert_eq!(report.funnel.days[4], vec![7.0]);
    let partner = by_group(report.groups, Some("partner"));
    assert_eq!(partner.reached_qualified, 1);
    assert_eq!(partner.days_to_win, vec![7.0]);
}

/// A lead with a deal value, in `status`, with a score and maybe a win probability.
fn deal(
    store: &Store,
    source: &str,
    status: Status,
    value: f64,
    score: i64,
    win_probability: Option<f64>,
) -> i64 {
    let created = "2026-01-01T00:00:00Z";
    let mut lead = Lead {
        first_name: Some("Ada".into()),
        source: Some(source.into()),
        source_detail: Some("Expo".into()),
        status: Some(status),
        created_at: Some(at(created)),
        updated_at: Some(at(created)),
        deal_value: Some(value),
        win_probability,
        ..Lead::default()
    };
    lead.scores.score = score;
    store.insert_lead(&lead).unwrap()
}

pub fn the_pipeline_sums_open_deal_values_and_the_forecast_weighs_them(store: &Store) {
    deal(store, "referral", Status::New, 1000.0, 40, None);
    deal(store, "referral", Status::Qualified, 3000.0, 70, None);
    // Closed leads' values are revenue (won) or nothing (lost, disqualified).
    deal(store, "referral", Status::Won, 500.0, 90, None);
    deal(store, "referral", Status::Lost, 700.0, 10, None);
    deal(store, "referral", Status::Disqualified, 900.0, 10, None);
    // A learned win probability outweighs the score.
    deal(store, "webinar", Status::Contacted, 2000.0, 80, Some(0.25));
    deal(store, "webinar", Status::Nurturing, 0.0, 50, None);
    lead(store, Some("social"), "2026-01-01T00:00:00Z", 60);

    for by in [ReportGroup::Source, ReportGroup::SourceDetail] {
        let report = store.report(&by, Period::default()).unwrap();
        let mut figures: Vec<(Option<String>, u64, f64, f64, f64)> = report
            .groups
            .into_iter()
            .filter(|t| t.open_deals > 0 || t.revenue > 0.0)
            .map(|t| (t.group, t.open_deals, t.pipeline, t.forecast, t.revenue))
            .collect();
        // The groups come in no particular order.
        figures.sort_by(|a, b| a.0.cmp(&b.0));
        let expected = match by {
            // 1000 × 0.40 + 3000 × 0.70 = 2500; 2000 × 0.25 = 500.
            ReportGroup::Source => vec![
                (Some("referral".into()), 2, 4000.0, 2500.0, 500.0),
                (Some("webinar".into()), 2, 2000.0, 500.0, 0.0),
            ],
            _ => vec![(Some("Expo".into()), 4, 6000.0, 3000.0, 500.0)],
        };
        assert_eq!(figures, expected, "{by:?}");
    }
    let social = by_group(
        store
            .report(&ReportGroup::Source, Period::default())
            .unwrap()
            .groups,
        Some("social"),
    );
    assert_eq!((social.open_deals, social.pipeline), (0, 0.0));

    // Leads count in the period by their creation.
    let later = Period {
        since: Some(at("2026-02-01T00:00:00Z")),
        until: None,
    };
    let report = store.report(&ReportGroup::Source, later).unwrap();
    assert!(report.groups.iter().all(|t| t.open_deals == 0));
}

pub fn spend_counts_in_its_group_and_the_span_covers_it(store: &Store) {
    assert_eq!(store.report_span(Period::default()).unwrap(), None);
    lead(store, Some("trade_show"), "2026-01-15T00:00:00Z", 50);
    lead(store, Some("webinar"), "2026-02-20T00:00:00Z", 30);
    let now = at(START);
    for (source, amount, on) in [
        ("trade_show", 5000.0, "2025-12-20T00:00:00Z"),
        ("trade_show", 250.5, "2026-02-05T00:00:00Z"),
        ("cold_call", 0.0, "2026-03-02T00:00:00Z"),
    ] {
        store
            .add_spend(
                &Spend {
                    id: 0,
                    source: source.into(),
                    detail: None,
                    amount,
                    on: at(on),
                    note: None,
                },
                now,
            )
            .unwrap();
    }
    assert_eq!(
        store.report_span(Period::default()).unwrap(),
        Some((at("2025-12-20T00:00:00Z"), at("2026-03-02T00:00:00Z")))
    );
    let february = Period {
        since: Some(at("2026-02-01T00:00:00Z")),
        until: Some(at("2026-03-01T00:00:00Z")),
    };
    assert_eq!(
        store.report_span(february).unwrap(),
        Some((at("2026-02-05T00:00:00Z"), at("2026-02-20T00:00:00Z")))
    );
    let report = store
        .report(&ReportGroup::Source, Period::default())
        .unwrap();
    let mut spent: Vec<(Option<String>, u64, f64, u64)> = report
        .groups
        .into_iter()
        .map(|t| (t.group, t.leads, t.spend, t.spends))
        .collect();
    spent.sort_by(|a, b| a.0.cmp(&b.0));
    // A campaign that cost nothing and brought no one still shows.
    assert_eq!(
        spent,
        [
            (Some("cold_call".into()), 0, 0.0, 1),
            (Some("trade_show".into()), 1, 5250.5, 2),
            (Some("webinar".into()), 1, 0.0, 0),
        ]
    );
    let months = Months::new(vec![
        (at("2026-01-01T00:00:00Z"), "2026-01".into()),
        (at("2026-02-01T00:00:00Z"), "2026-02".into()),
        (at("2026-03-01T00:00:00Z"), "2026-03".into()),
    ]);
    let report = store.report(&ReportGroup::Month(months), february).unwrap();
    let mut by_month: Vec<(Option<String>, u64, f64)> = report
        .groups
        .into_iter()
        .map(|t| (t.group, t.leads, t.spend))
        .collect();
    by_month.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(by_month, [(Some("2026-02".into()), 1, 250.5)]);
}

pub fn the_agenda_walks_engaged_leads_without_a_next_step(store: &Store) {
    let lead = |name: &str, status: Status, score: i64, grade: Grade| {
        let mut lead = Lead {
            status: Some(status),
            ..person(name, None)
        };
        lead.scores.score = score;
        lead.scores.grade = grade;
        store.insert_lead(&lead).unwrap()
    };
    let qualified = lead("Ada", Status::Qualified, 40, Grade::C);
    let graded = lead("Bo", Status::New, 90, Grade::A);
    let answered = lead("Cy", Status::New, 70, Grade::D);
    let cold = lead("Di", Status::Contacted, 10, Grade::D);
    lead("Ed", Status::New, 95, Grade::D);
    let planned = lead("Flo", Status::Qualified, 99, Grade::A);
    let blocked = lead("Gus", Status::Qualified, 98, Grade::A);
    lead("Hal", Status::Won, 97, Grade::A);
    store
        .insert_follow_up(
            &NewFollowUp::new(planned, at("2026-03-20T00:00:00Z"), ActivityKind::Call),
            at(START),
        )
        .unwrap();
    let mut edited = store.lead(blocked).unwrap();
    edited.do_not_contact = true;
    store.update_lead(&edited).unwrap();
    store
        .add_activity(&NewActivity::new(
            answered,
            ActivityKind::EmailReplied,
            at("2026-03-08T00:00:00Z"),
        ))
        .unwrap();
    let walk = |order, valued_only, stop_after| walk(store, order, valued_only, stop_after);
    assert_eq!(
        walk(WalkOrder::Score, false, 10),
        [graded, answered, qualified, cold]
    );
    assert_eq!(walk(WalkOrder::Score, false, 2), [graded, answered]);
    for (id, probability) in [(qualified, 0.8), (answered, 0.3)] {
        let mut edited = store.lead(id).unwrap();
        edited.win_probability = Some(probability);
        store.update_lead(&edited).unwrap();
    }
    assert_eq!(walk(WalkOrder::Win, false, 10), [qualified, answered]);
    assert_eq!(walk(WalkOrder::ScoreWithoutWin, false, 10), [graded, cold]);
    store.set_deal_value(cold, Some(100.0)).unwrap();
    store.set_deal_value(qualified, Some(900.0)).unwrap();
    let mut valued = walk(WalkOrder::Score, true, 10);
    valued.sort_unstable();
    assert_eq!(valued, [qualified, cold]);
    // The agenda reads a lead with the fields it shows (the others empty).
    let shown = store.agenda_lead(qualified).unwrap();
    assert_eq!(shown.first_name.as_deref(), Some("Ada"));
    assert_eq!(shown.deal_value, Some(900.0));
}

/// A walk longer than PostgreSQL's page (128 leads) meets every candidate once, in the
/// walk's order, across scores and win probabilities shared by many leads.
pub fn a_long_agenda_walk_meets_every_lead_once_in_order(store: &Store) {
    let mut expected_by_score = Vec::new();
    let mut expected_by_win = Vec::new();
    for i in 0..300_i64 {
        let mut lead = Lead {
            status: Some(Status::Qualified),
            ..person(&format!("P{i}"), None)
        };
        lead.scores.score = 50 + i % 7;
        lead.scores.grade = Grade::C;
        lead.win_probability = Some([0.25, 0.5, 0.75][(i % 3) as usize]);
        let id = store.insert_lead(&lead).unwrap();
        expected_by_score.push((-lead.scores.score, id));
        expected_by_win.push((-((i % 3) * 25), -lead.scores.score, id));
    }
    expected_by_score.sort_unstable();
    expected_by_win.sort_unstable();
    let walk = |order, stop_after| walk(store, order, false, stop_after);
    let by_score: Vec<i64> = expected_by_score.iter().map(|(_, id)| *id).collect();
    let by_win: Vec<i64> = expected_by_win.iter().map(|(_, _, id)| *id).collect();
    assert_eq!(walk(WalkOrder::Score, 1_000), by_score);
    assert_eq!(walk(WalkOrder::Score, 200), by_score[..200]);
    assert_eq!(walk(WalkOrder::Win, 1_000), by_win);
    assert!(walk(WalkOrder::ScoreWithoutWin, 1_000).is_empty());
}

/// The ids an agenda walk meets (answered since March 7, cold before March 5), stopping
/// after `stop_after`.
fn walk(store: &Store, order: WalkOrder, valued_only: bool, stop_after: usize) -> Vec<i64> {
    let mut walked = Vec::new();
    store
        .walk_without_next_step(
            NoNextStep {
                answered_since: at("2026-03-07T00:00:00Z"),
                cold_before: at("2026-03-05T00:00:00Z"),
                order,
                valued_only,
            },
            |lead| {
                walked.push(lead.id);
                walked.len() < stop_after
            },
        )
        .unwrap();
    walked
}

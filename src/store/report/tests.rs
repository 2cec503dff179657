use super::*;
use crate::model::Lead;
use crate::test_support::at;

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

#[test]
fn stored_dates_are_read_fast_and_right() {
    for text in [
        "1970-01-01T00:00:00Z",
        "2026-03-01T09:00:00Z",
        "2000-02-29T23:59:59Z",
        "1969-12-31T00:00:00Z",
    ] {
        assert_eq!(
            fast_epoch_seconds(text.as_bytes()),
            Some(at(text).timestamp()),
            "{text}"
        );
    }
    assert_eq!(fast_epoch_seconds(b"2026-03-01T09:00:00+01:00"), None);
    assert_eq!(
        epoch_seconds(b"2026-03-01T10:00:00+01:00").unwrap(),
        at("2026-03-01T09:00:00Z").timestamp()
    );
    assert_eq!(fast_epoch_seconds(b"2026-13-01T09:00:00Z"), None);
}

#[test]
fn tallies_count_statuses_milestones_and_days() {
    let store = Store::open_in_memory().unwrap();
    let a = lead(&store, Some("referral"), "2026-01-01T00:00:00Z", 80);
    let b = lead(&store, Some("referral"), "2026-01-01T00:00:00Z", 40);
    lead(&store, None, "2026-02-01T00:00:00Z", 10);
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

#[test]
fn arrivals_at_a_later_stage_reach_the_earlier_ones_without_days() {
    let store = Store::open_in_memory().unwrap();
    let created = "2026-01-01T00:00:00Z";
    let won = lead(&store, Some("partner"), created, 50);
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
    let lost = lead(&store, Some("partner"), created, 50);
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

#[test]
fn months_label_moments_by_their_calendar() {
    let months = Months::new(vec![
        (at("2026-01-01T00:00:00Z"), "2026-01".into()),
        (at("2026-02-01T00:00:00Z"), "2026-02".into()),
    ]);
    let label = |text: &str| months.label(at(text).timestamp());
    assert_eq!(label("2026-01-31T23:59:59Z"), Some("2026-01"));
    assert_eq!(label("2026-02-01T00:00:00Z"), Some("2026-02"));
    assert_eq!(label("2027-05-01T00:00:00Z"), Some("2026-02"));
    assert_eq!(label("2025-05-01T00:00:00Z"), Some("2026-01"));
}

#[test]
fn reached_stages_fill_the_pipeline_below_the_furthest() {
    let bit = |s: Status| 1u8 << s.index();
    assert_eq!(reached_stages(0), bit(Status::New));
    assert_eq!(
        reached_stages(bit(Status::Qualified)),
        bit(Status::New) | bit(Status::Contacted) | bit(Status::Nurturing) | bit(Status::Qualified)
    );
    assert_eq!(
        reached_stages(bit(Status::Disqualified) | bit(Status::Contacted)),
        bit(Status::New) | bit(Status::Contacted) | bit(Status::Disqualified)
    );
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

#[test]
fn the_pipeline_sums_open_deal_values_and_the_forecast_weighs_them() {
    let store = Store::open_in_memory().unwrap();
    deal(&store, "referral", Status::New, 1000.0, 40, None);
    deal(&store, "referral", Status::Qualified, 3000.0, 70, None);
    // Closed leads' values are revenue (won) or nothing (lost, disqualified).
    deal(&store, "referral", Status::Won, 500.0, 90, None);
    deal(&store, "referral", Status::Lost, 700.0, 10, None);
    deal(&store, "referral", Status::Disqualified, 900.0, 10, None);
    // A learned win probability outweighs the score.
    deal(&store, "webinar", Status::Contacted, 2000.0, 80, Some(0.25));
    deal(&store, "webinar", Status::Nurturing, 0.0, 50, None);
    lead(&store, Some("social"), "2026-01-01T00:00:00Z", 60);

    for by in [ReportGroup::Source, ReportGroup::SourceDetail] {
        let report = store.report(&by, Period::default()).unwrap();
        let figures: Vec<(Option<String>, u64, f64, f64, f64)> = report
            .groups
            .into_iter()
            .filter(|t| t.open_deals > 0 || t.revenue > 0.0)
            .map(|t| (t.group, t.open_deals, t.pipeline, t.forecast, t.revenue))
            .collect();
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

#[test]
fn the_pipeline_seeks_the_index_of_deal_values_and_never_scans_the_table() {
    let store = Store::open_in_memory().unwrap();
    let months = ReportGroup::Month(Months::new(Vec::new()));
    let periods = [
        Period::default(),
        Period {
            since: Some(at("2026-01-01T00:00:00Z")),
            until: Some(at("2026-02-01T00:00:00Z")),
        },
    ];
    for by in [ReportGroup::Source, ReportGroup::SourceDetail, months] {
        for period in periods {
            let (sql, params) =
                deal_values_sql(&by, period, ", win_probability, score", &open_sql());
            let mut statement = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = statement
                .query_map(rusqlite::params_from_iter(&params), |row| row.get(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(plan.len(), 1, "{plan:?}");
            assert!(
                plan[0].starts_with("SEARCH leads USING INDEX leads_deal_value (status=?"),
                "{by:?} {period:?}: {plan:?}"
            );
        }
    }
}

use super::*;
use crate::test_support::at;

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

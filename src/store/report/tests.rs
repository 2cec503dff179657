use super::*;
use crate::dates::test_support::at;

#[test]
fn stored_dates_are_read_fast_and_right() {
    for text in [
        "1970-01-01T00:00:00Z",
        "2026-03-01T09:00:00Z",
        "2000-02-29T23:59:59Z",
        "1969-12-31T00:00:00Z",
    ] {
        assert_eq!(
            epoch_seconds(text.as_bytes()).unwrap(),
            at(text).timestamp(),
            "{text}"
        );
    }
    assert_eq!(
        epoch_seconds(b"2026-03-01T10:00:00+01:00").unwrap(),
        at("2026-03-01T09:00:00Z").timestamp()
    );
    assert_eq!(crate::dates::stored_seconds(b"2026-13-01T09:00:00Z"), None);
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
                .query_map(crate::store::sql::params_from_iter(&params), |row| {
                    row.get(3)
                })
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

/// The report's figures with its walk split in two threads (at a source sampled from the
/// leads) are those of one walk: every lead counted once, whatever its source (none
/// included), with its moves.
#[test]
fn a_report_split_in_two_walks_counts_as_one_walk() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("leads.db")).unwrap();
    let sources = [
        Some("ads"),
        None,
        Some("referral"),
        Some("web_form"),
        Some("partner"),
    ];
    let statuses = ["new", "contacted", "qualified", "won", "lost", "nurturing"];
    store
        .write(|store| {
            for n in 0..600usize {
                store.conn.execute(
                    "INSERT INTO leads (source, status, score, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                    rusqlite::params![
                        sources[n % sources.len()],
                        statuses[n % statuses.len()],
                        (n * 7 % 100) as i64,
                        format!("2026-0{}-1{}T09:00:00Z", 1 + n % 3, n % 10),
                    ],
                )?;
                if n % 4 == 0 {
                    store.conn.execute(
                        "INSERT INTO status_changes (lead_id, from_status, to_status, at)
                         VALUES (?1, 'new', 'qualified', ?2)",
                        rusqlite::params![
                            n as i64 + 1,
                            format!("2026-04-0{}T09:00:00Z", 1 + n % 9)
                        ],
                    )?;
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(store.split_source(0).unwrap().is_some());
    let months = ReportGroup::Month(Months::new(vec![
        (at("2026-01-01T00:00:00Z"), "2026-01".into()),
        (at("2026-02-01T00:00:00Z"), "2026-02".into()),
        (at("2026-03-01T00:00:00Z"), "2026-03".into()),
    ]));
    let february = Period {
        since: Some(at("2026-02-01T00:00:00Z")),
        until: None,
    };
    for by in [ReportGroup::Source, months] {
        for period in [Period::default(), february] {
            let tally = |split_from| {
                let histories = store.histories().unwrap();
                let mut groups = Groups::new();
                let mut funnel = Funnel::default();
                store
                    .tally_leads_split_from(
                        &by,
                        period,
                        &histories,
                        &mut groups,
                        &mut funnel,
                        split_from,
                    )
                    .unwrap();
                let mut tallies = groups.tallies;
                tallies.retain(|tally| tally.leads > 0);
                for tally in &mut tallies {
                    tally.days_to_qualify.sort_by(f64::total_cmp);
                    tally.days_to_win.sort_by(f64::total_cmp);
                }
                tallies.sort_by(|a, b| a.group.cmp(&b.group));
                for days in &mut funnel.days {
                    days.sort_by(f64::total_cmp);
                }
                (tallies, funnel)
            };
            let (one_walk, split) = (tally(i64::MAX), tally(0));
            assert_eq!(split, one_walk, "{by:?} {period:?}");
            let counted: u64 = one_walk.0.iter().map(|t| t.leads).sum();
            let expected = if period == Period::default() {
                600
            } else {
                400
            };
            assert_eq!(counted, expected, "{by:?} {period:?}");
        }
    }
}

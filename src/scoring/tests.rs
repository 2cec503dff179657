//! Named cases of the scores; the properties are in `properties`.
use super::fit::{has_whole, title_has};
use super::*;
use crate::model::{ActivityKind, Answer, KNOWN_SOURCES};
use chrono::{Duration, TimeZone};

mod properties;

/// Most cases score on the UTC calendar.
fn score(lead: &Lead, activities: &[Activity], profile: &Profile, now: DateTime<Utc>) -> Scores {
    super::score(lead, activities, profile, Clock::utc(now))
}

fn score_numbers(
    lead: &Lead,
    activities: &[Activity],
    profile: &Profile,
    now: DateTime<Utc>,
) -> StoredScores {
    super::score_numbers(lead, activities, profile, Clock::utc(now))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

fn activity(kind: ActivityKind, days_ago: i64) -> Activity {
    Activity::new(1, kind, now() - Duration::days(days_ago))
}

fn vp_referral() -> Lead {
    Lead {
        first_name: Some("Ada".into()),
        email: Some("ada@acme.test".into()),
        phone: Some("+1 555 0100".into()),
        company: Some("Acme".into()),
        title: Some("VP Sales".into()),
        company_size: Some(120),
        source: Some("referral".into()),
        ..Lead::default()
    }
}

fn purchased() -> Lead {
    Lead {
        email: Some("someone@list.test".into()),
        source: Some("purchased_list".into()),
        ..Lead::default()
    }
}

#[test]
fn every_score_on_one_local_day_agrees() {
    use crate::dates::test_support::at;
    // Los Angeles in winter (UTC-8): 2026-02-28 runs from 08:00Z to 08:00Z next day.
    fn pacific(at: DateTime<Utc>) -> NaiveDate {
        let offset = chrono::FixedOffset::west_opt(8 * 3600).expect("an offset");
        at.with_timezone(&offset).date_naive()
    }
    let profile = Profile {
        half_life_days: 1.0,
        ..Profile::default()
    };
    let mut lead = vp_referral();
    // 2026-03-10 local midnight in Los Angeles.
    lead.timeline = Some(at("2026-03-10T08:00:00Z"));
    let meeting = Activity {
        at: at("2026-02-27T18:00:00Z"), // 10:00 local, Friday
        ..activity(ActivityKind::Meeting, 0)
    };
    let scores = |now: &str| {
        super::score(
            &lead,
            std::slice::from_ref(&meeting),
            &profile,
            Clock::new(at(now), pacific),
        )
    };
    let morning = scores("2026-02-28T16:00:00Z"); // 08:00 local
    let evening = scores("2026-03-01T07:30:00Z"); // 23:30 local
    assert_eq!(morning.stored(), evening.stored());
    let lines = |scores: &Scores| {
        scores
            .reasons
            .iter()
            .filter(|r| r.factor == "meeting" || r.factor == "timeline")
            .map(|r| r.value.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        lines(&morning),
        ["1, latest 1 day ago", "2026-03-10 (in 10 days)"]
    );
    assert_eq!(lines(&morning), lines(&evening));
    let next_day = scores("2026-03-01T08:30:00Z"); // 00:30 local, Sunday
    assert_eq!(
        lines(&next_day),
        ["1, latest 2 days ago", "2026-03-10 (in 9 days)"]
    );
}

#[test]
fn vp_referral_with_recent_meeting_outranks_purchased_list_lead() {
    let profile = Profile::default();
    let warm = score(
        &vp_referral(),
        &[activity(ActivityKind::Meeting, 2)],
        &profile,
        now(),
    );
    let cold = score(&purchased(), &[], &profile, now());
    assert!(warm.score > cold.score, "{} vs {}", warm.score, cold.score);
    assert_eq!(warm.fit, 20 + 20 + 10 + 5 + 5); // size, title, email, phone, company
    assert_eq!(cold.fit, 10);
    assert_eq!(cold.engagement, 0);
    assert_eq!(cold.grade, Grade::D);
}

#[test]
fn engagement_halves_after_one_half_life() {
    let profile = Profile::default();
    let lead = Lead {
        first_name: Some("Bo".into()),
        ..Lead::default()
    };
    let fresh = score(
        &lead,
        &[activity(ActivityKind::Meeting, 0)],
        &profile,
        now(),
    );
    let later = score(
        &lead,
        &[activity(ActivityKind::Meeting, 30)],
        &profile,
        now(),
    );
    assert_eq!(fresh.engagement, 30);
    assert_eq!(later.engagement, 15);
    let two = score(
        &lead,
        &[activity(ActivityKind::Meeting, 60)],
        &profile,
        now(),
    );
    assert_eq!(two.engagement, 8); // 7.5 rounds up
}

#[test]
fn weights_change_the_combined_score_as_documented() {
    let mut profile = Profile::default();
    assert_eq!(combine(80, 40, 20, &profile), 51); // (40*80 + 35*40 + 25*20) / 100 = 51
    profile.weight_fit = 1.0;
    profile.weight_engagement = 0.0;
    profile.weight_readiness = 0.0;
    assert_eq!(combine(80, 40, 20, &profile), 80);
    profile.weight_engagement = 1.0;
    assert_eq!(combine(80, 40, 20, &profile), 60);
}

#[test]
fn grades_follow_thresholds() {
    let profile = Profile::default();
    let cases = [
        (100, Grade::A),
        (70, Grade::A),
        (69, Grade::B),
        (50, Grade::B),
        (49, Grade::C),
        (30, Grade::C),
        (29, Grade::D),
        (0, Grade::D),
    ];
    for (score, expected) in cases {
        assert_eq!(grade(score, &profile), expected, "score {score}");
    }
}

#[test]
fn unaware_incentivized_lead_counts_half() {
    let profile = Profile::default();
    let mut lead = vp_referral();
    let base = score(&lead, &[], &profile, now()).engagement;
    lead.incentivized = true;
    let unaware = score(&lead, &[], &profile, now()).engagement;
    lead.aware = true;
    let aware = score(&lead, &[], &profile, now()).engagement;
    assert_eq!((base, unaware, aware), (25, 13, 25)); // 12.5 rounds up
}

#[test]
fn an_opt_out_counts_once_and_export_columns_do_not_decay() {
    let mut lead = purchased();
    lead.do_not_contact = true;
    for (header, value) in [
        ("Unsubscribed from all email", "true"),
        ("Total Time Spent on Website", "1200"),
        ("Favourite Colour", "green"),
    ] {
        lead.attributes.insert(header.into(), value.into());
    }
    let profile = Profile::default();
    let scores = score(&lead, &[], &profile, now());
    let lines: Vec<(&str, &str, f64)> = scores
        .reasons
        .iter()
        .filter(|r| r.part == Part::Engagement)
        .map(|r| (r.factor.as_str(), r.value.as_str(), r.points))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("source", "purchased_list", 0.0),
            (
                "time on website",
                "1200 seconds (Total Time Spent on Website)",
                20.0
            ),
            ("opted out", "do not contact", -10.0),
        ]
    );
    assert_eq!(scores.engagement, 10);
    let year_later = score(&lead, &[], &profile, now() + Duration::days(365));
    assert_eq!(year_later.engagement, 10);
}

#[test]
fn engagement_bends_towards_100() {
    assert_eq!(saturate(50.0), 50.0);
    assert!(saturate(100.0) > 80.0 && saturate(100.0) < 100.0);
    assert!(saturate(1000.0) <= 100.0);
}

#[test]
fn readiness_counts_answers_and_timeline() {
    let lead = Lead {
        budget: Answer::Yes,
        authority: Answer::No,
        need: Some("CRM replacement".into()),
        timeline: Some(now() + Duration::days(45)),
        ..vp_referral()
    };
    let scores = score(&lead, &[], &Profile::default(), now());
    assert_eq!(scores.readiness, 25 + 25 + 15); // budget, need, timeline; authority no
}

#[test]
fn reasons_add_up_to_each_sub_score() {
    let profile = Profile::default();
    let acts = [
        activity(ActivityKind::Call, 3),
        activity(ActivityKind::Demo, 10),
    ];
    let scores = score(&vp_referral(), &acts, &profile, now());
    for (part, value) in [
        (Part::Fit, scores.fit),
        (Part::Engagement, scores.engagement),
        (Part::Readiness, scores.readiness),
    ] {
        let sum: f64 = scores
            .reasons
            .iter()
            .filter(|r| r.part == part)
            .map(|r| r.points)
            .sum();
        assert_eq!(sum.round() as i64, value, "{part:?}");
    }
}

/// The fit lines of a form, as (factor, value, points).
fn fit_lines(scores: &Scores) -> Vec<(String, String, f64)> {
    scores
        .reasons
        .iter()
        .filter(|r| r.part == Part::Fit)
        .map(|r| (r.factor.clone(), r.value.clone(), r.points))
        .collect()
}

#[test]
fn students_and_people_out_of_work_are_not_buyers() {
    let profile = Profile::default();
    let title_points = |title: &str| {
        let lead = Lead {
            title: Some(title.into()),
            ..Lead::default()
        };
        let scores = score(&lead, &[], &profile, now());
        fit_lines(&scores)
            .into_iter()
            .find(|(factor, _, _)| factor == "title")
            .map(|(_, value, points)| (value, points))
    };
    let not_a_buyer = |title: &str| Some((format!("{title} (not a buyer)"), 0.0));
    assert_eq!(title_points("Student"), not_a_buyer("Student"));
    assert_eq!(title_points("Unemployed"), not_a_buyer("Unemployed"));
    assert_eq!(title_points("Retired CEO"), not_a_buyer("Retired CEO"));
    assert_eq!(title_points("Sales Intern"), not_a_buyer("Sales Intern"));
    assert_eq!(
        title_points("Working Professional"),
        Some(("Working Professional".into(), 5.0))
    );
    // Whole words: an internal auditor is no intern.
    assert_eq!(
        title_points("Internal Auditor"),
        Some(("Internal Auditor".into(), 5.0))
    );
}

#[test]
fn data_completeness_is_fit_and_a_referral_flag_is_engagement() {
    let mut lead = Lead::default();
    lead.attributes
        .insert("Profile Completed".into(), "Medium".into());
    lead.attributes.insert("Referral".into(), "Yes".into());
    let scores = score(&lead, &[], &Profile::default(), now());
    assert_eq!(
        fit_lines(&scores).last(),
        Some(&(
            "data completeness".to_string(),
            "Medium (Profile Completed)".to_string(),
            5.0
        ))
    );
    assert_eq!(scores.fit, 5);
    let referred: Vec<_> = scores
        .reasons
        .iter()
        .filter(|r| r.factor == "referred")
        .map(|r| (r.part, r.value.as_str(), r.points))
        .collect();
    assert_eq!(referred, vec![(Part::Engagement, "Yes (Referral)", 20.0)]);
    assert_eq!(scores.engagement, 20);
    // A referral source counts once: the flag adds nothing to it.
    lead.source = Some("referral".into());
    let scores = score(&lead, &[], &Profile::default(), now());
    assert!(scores.reasons.iter().all(|r| r.factor != "referred"));
    assert_eq!(scores.engagement, 25);
}

#[test]
fn a_limit_line_keeps_fit_within_100_and_the_form_adding_up() {
    let mut lead = vp_referral();
    lead.industry = Some("software".into());
    lead.country = Some("NZ".into());
    lead.website = Some("acme.test".into());
    lead.attributes
        .insert("Data Completeness".into(), "90%".into());
    let profile = Profile {
        industries: vec!["software".into()],
        countries: vec!["nz".into()],
        ..Profile::default()
    };
    let scores = score(&lead, &[], &profile, now());
    let lines = fit_lines(&scores);
    // Every line at its best: 20 + 20 + 15 + 20 + 10 + 5 + 5 + 5 + 10 = 110.
    let sum: f64 = lines.iter().map(|(_, _, points)| points).sum();
    assert_eq!(
        lines.last(),
        Some(&(
            "limit".to_string(),
            "no more than 100 points".to_string(),
            -10.0
        ))
    );
    assert_eq!((sum, scores.fit), (100.0, 100));
}

#[test]
fn title_keywords_match_whole_words() {
    let keywords = Profile::default().senior_titles;
    assert!(title_has("VP Sales", &keywords));
    assert!(title_has("Co-Founder & CEO", &keywords));
    assert!(title_has("Vice President, Operations", &keywords));
    assert!(!title_has("Directory Assistant", &keywords));
    assert!(!title_has("Sales Representative", &keywords));
}

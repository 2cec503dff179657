use super::*;

#[test]
fn headers_of_real_exports() {
    let cases = [
        ("Number of Pageviews", Some(Signal::PageViews)),
        ("Number of Sessions", Some(Signal::Visits)),
        ("Number of Form Submissions", Some(Signal::FormSubmissions)),
        ("Marketing emails opened", Some(Signal::EmailsOpened)),
        ("Marketing emails clicked", Some(Signal::EmailsClicked)),
        ("Marketing emails replied", Some(Signal::EmailsReplied)),
        ("Marketing emails bounced", Some(Signal::EmailBounced)),
        ("Unsubscribed from all email", Some(Signal::Unsubscribed)),
        ("TotalVisits", Some(Signal::Visits)),
        ("Total Time Spent on Website", Some(Signal::TimeOnSite)),
        ("Page Views Per Visit", Some(Signal::PagesPerVisit)),
        ("Last Activity", Some(Signal::LastActivity)),
        ("Last Notable Activity", Some(Signal::LastActivity)),
        ("MEMBER_RATING", Some(Signal::MemberRating)),
        ("Lead Origin", Some(Signal::LeadOrigin)),
        ("Email Bounced Date", Some(Signal::EmailBounced)),
        ("Email Invalid", Some(Signal::EmailBounced)),
        ("hs_analytics_num_page_views", Some(Signal::PageViews)),
        ("Referral", Some(Signal::Referred)),
        ("Through Recommendations", Some(Signal::Referred)),
        ("Referred By", Some(Signal::Referred)),
        ("Referrer", None), // analytics: the referring web page, not a person
        ("Profile Completed", Some(Signal::DataCompleteness)),
        ("profile_completeness", Some(Signal::DataCompleteness)),
        ("Data Completeness", Some(Signal::DataCompleteness)),
        ("Last Activity Date", None),
        ("Converted", None),
        ("Favourite Colour", None),
        ("Ünsubscribed", None),
    ];
    for (header, expected) in cases {
        assert_eq!(signal_for_header(header), expected, "{header}");
    }
}

#[test]
fn values_become_points() {
    fn read_one(header: &'static str, value: &'static str) -> Option<Found<'static>> {
        signal_for_header(header).and_then(|signal| read(signal, header, value))
    }
    let points =
        |header: &'static str, value: &'static str| read_one(header, value).map(|f| f.points);
    assert_eq!(points("Total Time Spent on Website", "600"), Some(10.0));
    assert_eq!(points("Total Time Spent on Website", "100000"), Some(40.0));
    assert_eq!(points("Time on site (minutes)", "3"), Some(3.0));
    assert_eq!(points("Session Duration", "0:02:30"), Some(2.5));
    assert_eq!(points("TotalVisits", "5"), Some(1.25));
    assert_eq!(points("TotalVisits", "40"), Some(2.5));
    assert_eq!(points("TotalVisits", "0"), None);
    assert_eq!(points("TotalVisits", "lots"), None);
    assert_eq!(points("Number of Pageviews", "1,234.0"), Some(10.0));
    // Thousands or a decimal: no number, never a guess.
    assert_eq!(points("Number of Pageviews", "1,234"), None);
    assert_eq!(points("Page Views Per Visit", "2,5"), Some(0.625));
    assert_eq!(points("Marketing emails clicked", "2"), Some(6.0));
    assert_eq!(
        points("Last Activity", "Had a Phone Conversation"),
        Some(15.0)
    );
    assert_eq!(points("Last Activity", "email bounced"), Some(-10.0));
    assert_eq!(points("Last Activity", "2024-05-01"), None);
    assert_eq!(points("MEMBER_RATING", "4"), Some(10.0));
    assert_eq!(points("Lead Origin", "Lead Add Form"), Some(10.0));
    assert_eq!(points("Lead Origin", "API"), Some(0.0));
    assert_eq!(points("Lead Origin", "Carrier pigeon"), None);
    assert_eq!(points("MEMBER_RATING", "1"), Some(-5.0));
    assert_eq!(points("MEMBER_RATING", "9"), None);
    assert_eq!(points("Email Invalid", "true"), Some(-10.0));
    assert_eq!(points("Email Invalid", "false"), None);
    assert_eq!(points("Email Bounced Date", "2024-01-02"), Some(-10.0));
    assert_eq!(points("Unsubscribed from all email", "No"), None);
    assert_eq!(points("Referral", "Yes"), Some(20.0));
    for empty in ["NaN", "nan", "N/A", "-", "null", "unknown"] {
        assert_eq!(points("Referral", empty), None, "{empty}");
        assert_eq!(points("Email Bounced Date", empty), None, "{empty}");
        assert_eq!(
            points("Unsubscribed from all email", empty),
            None,
            "{empty}"
        );
    }
    assert_eq!(points("Time Spent on Website (mins)", "3"), Some(3.0));
    assert_eq!(points("Time on Site min", "3"), Some(3.0));
    assert_eq!(points("time_on_site_seconds", "120"), Some(2.0));
    assert_eq!(points("Session Duration", "1:99:99"), None);
    assert_eq!(points("Session Duration", "1:02:03"), Some(40.0));
    assert_eq!(signal_for_header("Visits (mins)"), None);
    assert_eq!(
        read_one("TotalVisits", "1e308").map(|f| f.value()),
        Some("1.000e308 (TotalVisits)".into())
    );
    assert_eq!(points("Through Recommendations", "No"), None);
    assert_eq!(points("Referred By", "Karin Lund"), Some(20.0));
    assert_eq!(points("Profile Completed", "High"), Some(10.0));
    assert_eq!(points("Profile Completed", "medium"), Some(5.0));
    assert_eq!(points("Profile Completed", "Low"), Some(0.0));
    assert_eq!(points("Data Completeness", "85%"), Some(10.0));
    assert_eq!(points("Data Completeness", "0.5"), Some(5.0));
    assert_eq!(points("Data Completeness", "39"), Some(0.0));
    assert_eq!(points("Data Completeness", "140"), None);
    assert_eq!(points("Data Completeness", "somewhat"), None);
    assert_eq!(
        signal_for_header("Profile Completed").map(Signal::part),
        Some(Part::Fit)
    );
    assert_eq!(
        signal_for_header("Referral").map(Signal::part),
        Some(Part::Engagement)
    );
    assert_eq!(
        read_one("Total Time Spent on Website", " 674 ").map(|f| f.value()),
        Some("674 seconds (Total Time Spent on Website)".into())
    );
    assert_eq!(
        read_one("Page Views Per Visit", "2.333333").map(|f| f.value()),
        Some("2.33 (Page Views Per Visit)".into())
    );
}

#[test]
fn hostile_values_never_panic_or_overflow() {
    for value in [
        "1e308",
        "inf",
        "NaN",
        "-5",
        "99:99:99:99",
        ":",
        "1,",
        ",5",
        "\u{1b}[31m",
    ] {
        for header in [
            "TotalVisits",
            "Total Time Spent on Website",
            "MEMBER_RATING",
            "Data Completeness",
            "Referral",
        ] {
            if let Some(found) = read(signal_for_header(header).unwrap(), header, value) {
                assert!(
                    found.points.is_finite() && found.points.abs() <= 40.0,
                    "{value}"
                );
            }
        }
    }
}

/// A no word of the one yes/no list says no: a form's unticked "off" or "unchecked" was
/// read as "yes, it happened" before the list was shared.
#[test]
fn no_words_say_nothing_happened() {
    for no in [
        "false",
        "No",
        "0",
        "f",
        "off",
        "unchecked",
        "none",
        "",
        "N/A",
    ] {
        assert!(!says_yes(no), "{no}");
    }
    for yes in ["true", "Yes", "1", "x", "on", "checked", "2", "2024-05-01"] {
        assert!(says_yes(yes), "{yes}");
    }
}

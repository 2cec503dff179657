//! Engagement from the columns of real exports (LeadSquared, HubSpot, Mailchimp), the
//! seller's rules (`config rule add|list|delete`), and the reasons both put on the form.
use serde_json::{json, Value};

use crate::harness::*;

/// LeadSquared's lead export (the shape of the public X Education data), invented people.
const LEADSQUARED: &str = "\
Prospect ID,First Name,Last Name,Email,Lead Origin,Lead Source,Do Not Email,Do Not Call,TotalVisits,Total Time Spent on Website,Page Views Per Visit,Last Activity,Country
5c1e9a4d-0b6f-4d7e-9a51-3f2c8e7d1a01,Asha,Verma,asha.verma@example.in,Lead Add Form,Reference,No,No,5,674,2.5,SMS Sent,India
5c1e9a4d-0b6f-4d7e-9a51-3f2c8e7d1a02,Ravi,Nair,ravi.nair@example.in,Landing Page Submission,Google,Yes,No,2,1532,2,Email Bounced,
5c1e9a4d-0b6f-4d7e-9a51-3f2c8e7d1a03,Meera,Iyer,meera.iyer@example.in,API,Word of mouth,No,No,0,0,0,Olark Chat Conversation,
";

/// HubSpot's contacts export with its engagement properties.
const HUBSPOT: &str = "\
Record ID,First Name,Last Name,Email,Company Name,Number of Pageviews,Number of Sessions,Number of Form Submissions,Marketing emails opened,Marketing emails clicked,Marketing emails replied,Marketing emails bounced,Unsubscribed from all email,Last Activity Date
51,Jonas,Berg,jonas@fjordsoft.test,Fjordsoft,12,4,1,6,2,1,0,false,2026-02-20 10:15
52,Lena,Holm,lena@holmbygg.test,Holm Bygg,3,1,0,2,0,0,1,true,2025-11-02 08:00
";

/// Mailchimp's audience export: the member rating is its engagement, in stars.
const MAILCHIMP: &str = "\
Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LEID,TAGS
tom@bakery.test,Tom,Baker,4,2025-10-01 12:00:00,2025-10-01 12:05:00,11111111,\"newsletter\"
ann@florist.test,Ann,Flores,1,2025-09-01 09:00:00,2025-09-01 09:01:00,22222222,
";

/// An online-course seller's lead export (the shape of the public ExtraaLearn data): no
/// names, an occupation, the channel of the first interaction, how complete the profile
/// is, a referral flag.
const SIGN_UP_EXPORT: &str = "\
ID,age,current_occupation,first_interaction,profile_completed,website_visits,time_spent_on_website,page_views_per_visit,last_activity,print_media_type1,referral
EXT101,34,Professional,Website,High,5,1445,5.557,Website Activity,No,No
EXT102,24,Student,Mobile App,Medium,2,75,2.052,Phone Activity,No,Yes
";

fn import(env: &Env, name: &str, contents: &str) {
    let path = env.write(name, contents);
    env.run(&["import", &path, "--quiet"]).success();
}

/// The engagement lines of a lead's form, as [factor, value, points].
fn engagement_lines(env: &Env, id: i64) -> Vec<Value> {
    lines(env, id, "engagement")
}

/// The lines of one part of a lead's form, as [factor, value, points].
fn lines(env: &Env, id: i64, part: &str) -> Vec<Value> {
    env.show(id)["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter(|r| r["part"] == part)
        .map(|r| json!([r["factor"], r["value"], r["points"]]))
        .collect()
}

#[test]
fn occupation_first_touch_completeness_and_referral_columns_count() {
    let env = Env::new();
    let path = env.write("sign_up.csv", SIGN_UP_EXPORT);
    env.run(&["import", &path, "--dry-run"])
        .success()
        .stderr_has("current_occupation -> title")
        .stderr_has("first_interaction -> source");
    env.run(&["import", &path, "--quiet"]).success();

    let professional = env.show(1);
    assert_eq!(professional["title"], "Professional");
    assert_eq!(professional["source"], "web_form");
    assert_eq!(professional["source_detail"], "Website");
    let known = |factor: &str, value: &str, points: f64| json!([factor, value, points]);
    let missing = |factor: &str| json!([factor, "missing", 0.0]);
    let unknown = |factor: &str| json!([factor, "unknown", 0.0]);
    assert_eq!(
        lines(&env, 1, "fit"),
        vec![
            unknown("industry"),
            unknown("company size"),
            unknown("country"),
            known("title", "Professional", 5.0),
            missing("email"),
            missing("phone"),
            missing("company"),
            missing("website"),
            known("data completeness", "High (profile_completed)", 10.0),
        ]
    );
    assert_eq!(
        engagement_lines(&env, 1),
        vec![
            known("source", "web_form", 10.0),
            known(
                "time on website",
                "1445 seconds (time_spent_on_website)",
                24.1
            ),
            known("website visits", "5 (website_visits)", 1.3),
            // 5.557 could be 5557 or 5.557: with no currency to say, no number.
        ]
    );
    assert_eq!(
        (
            &professional["fit"],
            &professional["engagement"],
            &professional["score"]
        ),
        (&json!(15), &json!(35), &json!(18))
    );

    // A student is no buyer; the referral flag counts as a referral would.
    assert_eq!(
        lines(&env, 2, "fit")[3],
        known("title", "Student (not a buyer)", 0.0)
    );
    assert_eq!(
        lines(&env, 2, "fit")[8],
        known("data completeness", "Medium (profile_completed)", 5.0)
    );
    assert_eq!(
        engagement_lines(&env, 2),
        vec![
            known("source", "mobile_app", 3.0),
            known("time on website", "75 seconds (time_spent_on_website)", 1.3),
            known("website visits", "2 (website_visits)", 0.5),
            known("referred", "Yes (referral)", 20.0),
        ]
    );
    assert_eq!(env.show(2)["engagement"], 25);
    // The raw values stay in the attributes, the mapped ones do not.
    assert_eq!(env.show(2)["attributes"]["referral"], "Yes");
    assert_eq!(env.show(2)["attributes"]["profile_completed"], "Medium");

    // The seller's own view of who buys: a student may be one.
    env.run(&["config", "fit.non_buyer_titles", "unemployed, retired"])
        .success();
    assert_eq!(lines(&env, 2, "fit")[3], known("title", "Student", 5.0));
    env.run(&["config", "fit.non_buyer_titles"])
        .success()
        .stdout_is("unemployed,retired\n");
    env.run(&["config", "fit.non_buyer_titles", "default"])
        .success();
    assert_eq!(env.show(2)["fit"], 5);
}

#[test]
fn leadsquared_columns_are_engagement_with_their_reasons() {
    let env = Env::new();
    import(&env, "leadsquared.csv", LEADSQUARED);
    assert_eq!(
        engagement_lines(&env, 1),
        vec![
            json!(["source", "referral", 25.0]),
            json!([
                "time on website",
                "674 seconds (Total Time Spent on Website)",
                11.2
            ]),
            json!(["website visits", "5 (TotalVisits)", 1.3]),
            json!(["page views per visit", "2.5 (Page Views Per Visit)", 0.6]),
            json!(["last activity", "SMS Sent (Last Activity)", 12.0]),
            json!(["lead origin", "Lead Add Form (Lead Origin)", 10.0]),
            json!(["saturation", "60.1 raw points above 50", -1.0]),
        ]
    );
    // A bounce and an opt-out ("Do Not Email") count against the lead.
    assert_eq!(
        engagement_lines(&env, 2),
        vec![
            json!(["source", "google", 3.0]),
            json!([
                "time on website",
                "1532 seconds (Total Time Spent on Website)",
                25.5
            ]),
            json!(["website visits", "2 (TotalVisits)", 0.5]),
            json!(["page views per visit", "2 (Page Views Per Visit)", 0.5]),
            json!(["last activity", "Email Bounced (Last Activity)", -10.0]),
            json!(["lead origin", "Landing Page Submission (Lead Origin)", 0.0]),
            json!(["opted out", "do not contact", -10.0]),
        ]
    );
    let ravi = env.show(2);
    // 3 + 25.5 + 0.5 + 0.5 - 10 + 0 - 10 = 9.5, rounded half up.
    assert_eq!(ravi["engagement"], 10);
    // The raw values stay in the attributes.
    assert_eq!(ravi["attributes"]["Total Time Spent on Website"], "1532");
    assert_eq!(ravi["attributes"]["Last Activity"], "Email Bounced");
    // Word of mouth and Reference are referrals.
    assert_eq!(env.show(1)["source"], "referral");
    assert_eq!(env.show(3)["source"], "referral");
    // A web chat is a little engagement, zero counts are no line at all.
    assert_eq!(
        engagement_lines(&env, 3),
        vec![
            json!(["source", "referral", 25.0]),
            json!([
                "last activity",
                "Olark Chat Conversation (Last Activity)",
                4.0
            ]),
            json!(["lead origin", "API (Lead Origin)", 0.0]),
        ]
    );
    // The list ranks the engaged referral first.
    let list = env
        .run(&["list", "--sort", "score", "--format", "json"])
        .success()
        .json();
    let order: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![1, 3, 2]);
}

#[test]
fn hubspot_engagement_properties_count_and_bounces_count_against() {
    let env = Env::new();
    import(&env, "hubspot.csv", HUBSPOT);
    assert_eq!(
        engagement_lines(&env, 1),
        vec![
            json!(["source", "unknown", 0.0]),
            json!(["website visits", "4 (Number of Sessions)", 1.0]),
            json!(["page views", "12 (Number of Pageviews)", 6.0]),
            json!(["form submissions", "1 (Number of Form Submissions)", 10.0]),
            json!(["emails opened", "6 (Marketing emails opened)", 6.0]),
            json!(["emails clicked", "2 (Marketing emails clicked)", 6.0]),
            json!(["emails replied", "1 (Marketing emails replied)", 10.0]),
        ]
    );
    assert_eq!(env.show(1)["engagement"], 39);
    assert_eq!(
        engagement_lines(&env, 2),
        vec![
            json!(["source", "unknown", 0.0]),
            json!(["website visits", "1 (Number of Sessions)", 0.3]),
            json!(["page views", "3 (Number of Pageviews)", 1.5]),
            json!(["emails opened", "2 (Marketing emails opened)", 2.0]),
            json!(["email bounced", "1 (Marketing emails bounced)", -10.0]),
            json!(["unsubscribed", "true (Unsubscribed from all email)", -10.0]),
            json!(["saturation", "no fewer than 0 points", 16.2]),
        ]
    );
    assert_eq!(env.show(2)["engagement"], 0);
}

#[test]
fn mailchimp_member_rating_is_engagement() {
    let env = Env::new();
    import(&env, "mailchimp.csv", MAILCHIMP);
    assert_eq!(
        engagement_lines(&env, 1),
        vec![
            json!(["source", "unknown", 0.0]),
            json!(["email rating", "4 of 5 (MEMBER_RATING)", 10.0]),
        ]
    );
    assert_eq!(
        engagement_lines(&env, 2),
        vec![
            json!(["source", "unknown", 0.0]),
            json!(["email rating", "1 of 5 (MEMBER_RATING)", -5.0]),
            json!(["saturation", "no fewer than 0 points", 5.0]),
        ]
    );
}

#[test]
fn column_signals_do_not_decay_with_the_clock() {
    let env = Env::new();
    import(&env, "hubspot.csv", HUBSPOT);
    let later = env
        .run_at("2026-09-01T09:00:00Z", &["show", "1", "--format", "json"])
        .success()
        .json();
    assert_eq!(later["engagement"], 39);
}

#[test]
fn rules_add_explain_rescore_list_and_delete() {
    let env = Env::new();
    import(&env, "leadsquared.csv", LEADSQUARED);
    let before = env.show(1);
    assert_eq!(
        (&before["fit"], &before["engagement"], &before["score"]),
        (&json!(18), &json!(59), &json!(28))
    );

    env.run(&[
        "config",
        "rule",
        "add",
        "\"Total Time Spent on Website\" >= 600",
        "--axis",
        "engagement",
        "--points",
        "15",
    ])
    .success()
    .stderr_has("rule 1 added: \"Total Time Spent on Website\" >= 600: engagement +15");
    // Separate words work too; a negative rule takes points away.
    env.run(&[
        "config", "rule", "add", "country", "=", "india", "--points", "-5",
    ])
    .success()
    .stderr_has("rule 2 added: country = india: fit -5");

    env.run(&["config", "rule", "list"]).success().stdout_is(
        "ID  AXIS        POINTS  CONDITION\n\
         \x201  engagement     +15  \"Total Time Spent on Website\" >= 600\n\
         \x202  fit             -5  country = india\n",
    );
    assert_eq!(
        env.run(&["config", "rule", "list", "--format", "json"])
            .success()
            .json(),
        json!([
            {"id": 1, "condition": "\"Total Time Spent on Website\" >= 600",
             "subject": "Total Time Spent on Website", "operator": ">=", "value": "600",
             "axis": "engagement", "points": 15},
            {"id": 2, "condition": "country = india", "subject": "country", "operator": "=",
             "value": "india", "axis": "fit", "points": -5},
        ])
    );

    // The profile lists them after its settings.
    let profile = env.run(&["config"]).success().stdout;
    assert!(
        profile.ends_with(
            "\n[[rules]]\nid = 1\ncondition = \"\\\"Total Time Spent on Website\\\" >= 600\"\n\
             axis = \"engagement\"\npoints = 15\n\n[[rules]]\nid = 2\ncondition = \"country = india\"\n\
             axis = \"fit\"\npoints = -5\n"
        ),
        "{profile}"
    );
    let profile = env.run(&["config", "--format", "json"]).success().json();
    assert_eq!(profile["rules"][1]["condition"], "country = india");

    // Each rule that fires is a line of the form; the stored scores moved at once.
    let explained = env
        .run(&["qualify", "1", "--explain", "--quiet"])
        .success()
        .stdout;
    assert!(
        explained.contains("rule 2: country = india  India                                -5\n"),
        "{explained}"
    );
    assert!(
        explained.contains(
            "rule 1: \"Total Time Spent on Website\" >= 600  674                                            15\n"
        ),
        "{explained}"
    );
    let listed = env.run(&["list", "--format", "json"]).success().json();
    let asha = &listed[0];
    assert_eq!(
        (&asha["fit"], &asha["engagement"], &asha["score"]),
        (&json!(13), &json!(70), &json!(30))
    );
    // Ravi spent 1532 s: the rule fires; Meera spent none: it does not.
    let lines = |id: i64| -> Vec<String> {
        env.show(id)["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["factor"].as_str().unwrap().to_string())
            .filter(|f| f.starts_with("rule"))
            .collect()
    };
    assert_eq!(
        lines(2),
        vec!["rule 1: \"Total Time Spent on Website\" >= 600"]
    );
    assert!(lines(3).is_empty());

    env.run(&["config", "rule", "delete", "1"])
        .success()
        .stderr_has("rule 1 deleted: \"Total Time Spent on Website\" >= 600: engagement +15");
    env.run(&["config", "rule", "list"])
        .success()
        .stdout_is("ID  AXIS  POINTS  CONDITION\n 2  fit       -5  country = india\n");
    let listed = env.run(&["list", "--format", "json"]).success().json();
    assert_eq!(listed[0]["engagement"], 59);
    // A new rule gets a new number, never a deleted one's.
    env.run(&["config", "rule", "add", "tags = vip", "--points", "5"])
        .success()
        .stderr_has("rule 3 added");
}

#[test]
fn rules_refuse_unknown_names_and_values_with_what_is_near() {
    let env = Env::new();
    import(&env, "leadsquared.csv", LEADSQUARED);
    env.run(&[
        "config",
        "rule",
        "add",
        "\"Total Time Spent on Webiste\" >= 600",
        "--points",
        "5",
    ])
    .failure(65)
    .stderr_has(
        "no field or attribute 'Total Time Spent on Webiste' (did you mean 'Total Time Spent on Website'?)",
    );
    env.run(&[
        "config",
        "rule",
        "add",
        "industy = software",
        "--points",
        "5",
    ])
    .failure(65)
    .stderr_has("no field or attribute 'industy' (did you mean 'industry'?)");
    env.run(&[
        "config",
        "rule",
        "add",
        "industry software",
        "--points",
        "5",
    ])
    .failure(65)
    .stderr_has("no operator");
    env.run(&[
        "config",
        "rule",
        "add",
        "industry = software",
        "--points",
        "500",
    ])
    .failure(65)
    .stderr_has("expected a number from -100 to 100");
    env.run(&[
        "config",
        "rule",
        "add",
        "company_size > big",
        "--points",
        "5",
    ])
    .failure(65)
    .stderr_has("'big' is not a number");
    env.run(&[
        "config",
        "rule",
        "add",
        "do_not_contact = maybe",
        "--points",
        "5",
    ])
    .failure(65)
    .stderr_has("do_not_contact is yes or no");
    env.run(&["config", "rule", "delete", "7"])
        .failure(3)
        .stderr_has("no rule 7: there are no rules");
    // Attribute names ignore case and punctuation, and are kept as the file spells them.
    env.run(&["config", "rule", "add", "totalvisits >= 5", "--points", "5"])
        .success()
        .stderr_has("rule 1 added: TotalVisits >= 5: fit +5");
    env.run(&["config", "rule", "list"])
        .success()
        .stdout_is("ID  AXIS  POINTS  CONDITION\n 1  fit       +5  TotalVisits >= 5\n");
}

#[test]
fn rules_on_dates_compare_in_time_order_in_any_time_zone() {
    let env = Env::new();
    import(&env, "hubspot.csv", HUBSPOT);
    env.run(&[
        "config",
        "rule",
        "add",
        "\"Last Activity Date\" >= 2026-01-01",
        "--axis",
        "engagement",
        "--points",
        "10",
    ])
    .success();
    for tz in ["UTC", "America/New_York", "Pacific/Auckland"] {
        let mut command = env.command(&["show", "1", "--format", "json"]);
        command.env("TZ", tz);
        let output = command.output().expect("run leads");
        let jonas: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(jonas["engagement"], 49, "{tz}");
        let mut command = env.command(&["show", "2", "--format", "json"]);
        command.env("TZ", tz);
        let output = command.output().expect("run leads");
        let lena: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(lena["engagement"], 0, "{tz}");
    }
}

#[test]
fn empty_cells_as_data_tools_write_them_say_nothing() {
    // pandas writes NaN in an empty cell; a unit in a time column's header is read.
    let env = Env::new();
    import(
        &env,
        "pandas.csv",
        "Email,Referral,Email Bounced,Unsubscribed from all email,Time Spent on Website (mins)\n\
         ana@example.test,NaN,N/A,-,3\n",
    );
    assert_eq!(
        engagement_lines(&env, 1),
        vec![
            json!(["source", "unknown", 0.0]),
            json!([
                "time on website",
                "180 seconds (Time Spent on Website (mins))",
                3.0
            ]),
        ]
    );
}

#[test]
fn a_target_country_is_the_same_however_it_is_written() {
    let env = Env::new();
    env.run(&["config", "fit.countries", "NZ, gb"]).success();
    env.add(&["Aroha Ngata", "--country", "New Zealand"]);
    env.add(&["Tom Clarke", "--country", "United Kingdom"]);
    env.add(&["Ella Brown", "--country", "Australia"]);
    let country = |id: i64| lines(&env, id, "fit")[2].clone();
    assert_eq!(
        country(1),
        json!(["country", "New Zealand (a target)", 15.0])
    );
    assert_eq!(
        country(2),
        json!(["country", "United Kingdom (a target)", 15.0])
    );
    assert_eq!(
        country(3),
        json!(["country", "Australia (not a target)", 0.0])
    );
    // A rule on the country reads it the same way.
    env.run(&["config", "rule", "add", "country = NZL", "--points", "5"])
        .success();
    assert_eq!(
        lines(&env, 1, "fit").last(),
        Some(&json!(["rule 1: country = NZL", "New Zealand", 5.0]))
    );
    assert!(lines(&env, 3, "fit")
        .iter()
        .all(|line| line[0] != "rule 1: country = NZL"));
}

//! One test per defect found by a cold trial of the tool (named after what was seen).
use crate::harness::Env;

#[test]
fn a_forgotten_lead_without_a_company_is_marked_once() {
    let env = Env::new();
    let id = env.add(&["Ada Lovelace", "--email", "ada@example.com"]);
    env.run(&["forget", &id.to_string(), "--force"]).success();
    let listed = env.run(&["list", "--all"]).success().stdout;
    assert!(listed.contains(" (forgotten) "), "{listed}");
    assert!(!listed.contains("(forgotten) (forgotten)"), "{listed}");
    let shown = env.run(&["show", &id.to_string()]).success().stdout;
    assert!(
        shown.starts_with(&format!("(forgotten)  #{id}\n")),
        "{shown}"
    );
}

#[test]
fn the_dry_run_says_where_a_linkedin_profile_url_goes() {
    let env = Env::new();
    let file = env.write(
        "Connections.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Ann,Lee,https://www.linkedin.com/in/ann-lee-0000,,Acme,Buyer,05 Mar 2024\n",
    );
    env.run(&["import", &file, "--dry-run"])
        .success()
        .stderr_has("  URL -> website (a LinkedIn profile URL goes to attributes)\n")
        .stderr_has("  Position -> title (a salutation such as Mr. or Dr. goes to attributes)\n");
    env.run(&["import", &file]).success();
    let lead = env.show(1);
    assert_eq!(lead["website"], serde_json::Value::Null);
    assert_eq!(
        lead["attributes"]["URL"],
        "https://www.linkedin.com/in/ann-lee-0000"
    );
}

#[test]
fn re_importing_people_known_by_name_alone_adds_nobody() {
    let env = Env::new();
    let file = env.write("solo.csv", "Name\nSolo Person\n");
    env.run(&["import", &file]).success();
    env.run(&["import", &file, "--format", "json"]).success();
    let all = env
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
}

#[test]
fn an_import_reads_sources_as_add_does() {
    let env = Env::new();
    let file = env.write(
        "leads.csv",
        "Name,Email,Lead Source,Source Detail\n\
         Ann Lee,ann@example.com,LinkedIn,\n\
         Bob Roe,bob@example.com,referal,\n\
         Cy Poe,cy@example.com,LinkedIn,Spring post\n",
    );
    env.run(&["import", &file])
        .success()
        .stderr_has("line 3: source 'referal' taken as the known source 'referral'");
    let leads = env.run(&["export", "--format", "json"]).success().json();
    let pairs: Vec<(String, String)> = leads
        .as_array()
        .into_iter()
        .flatten()
        .map(|lead| {
            (
                lead["source"].as_str().unwrap_or_default().to_string(),
                lead["source_detail"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    let expected = [
        ("social", "LinkedIn"),
        ("referral", ""),
        ("social", "Spring post"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(pairs, expected);

    let attendees = env.write("attendees.csv", "Name,Email\nDee Fox,dee@example.com\n");
    env.run(&["import", &attendees, "--source", "LinkedIn"])
        .success();
    let dee = env.show(4);
    assert_eq!(dee["source"], "social");
    assert_eq!(dee["source_detail"], "LinkedIn");
}

#[test]
fn completions_offer_the_sources_in_use_when_there_is_a_database() {
    let env = Env::new();
    let before = env.run(&["completions", "bash"]).success().stdout;
    assert!(
        !before.contains("spring_expo"),
        "no database, no sources in use"
    );
    env.add(&["Ann Lee", "--source", "Spring Expo"]);
    let bash = env.run(&["completions", "bash"]).success().stdout;
    assert!(
        bash.contains("web_form referral trade_show"),
        "the known sources stay offered"
    );
    assert!(bash.contains("spring_expo"), "the source in use is offered");
}

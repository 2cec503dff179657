//! Real tools' exports, second round (issue 13): files other tools write whose columns the
//! importer must understand by what they hold, not only by their names. Odoo CRM (its
//! technical names `email_from`, `partner_name`, an opportunity's `name` beside the
//! `contact_name`), Stripe (`Created (UTC)`, a billing `Status`), Apollo (phones in
//! `First Phone`, `Corporate Phone` with Excel's apostrophe, the owner's address), Shopify
//! customers (`'` before ids and phones), Meta's Leads Center (UTF-16, tabs, `p:` before the
//! phone), Google Forms (`Timestamp`, an address pasted with `;`, "Last, First"), a Zoom
//! participants report (the meeting's summary table above the participants), a
//! SimilarTech-style list ("Upgrade to reveal"), a Salesforce report with its footer,
//! HubSpot ids rounded by Excel, Close, a German CRM, Olist's and Maven's lead data sets,
//! iCloud's vCard 3.0 (a middle name, a company's card) and Android's vCard 2.1
//! (quoted-printable in UTF-8 over soft line breaks, base64, a photo).
//! People invented. Each file imports with no options, its leads exactly as the file holds
//! them (tests/fixtures/exports/expected/), a second import adds nobody, and the leads
//! exported and imported into a new database are the same leads.
use serde_json::{json, Value};

use crate::harness::*;
use crate::real_exports::{fixture, stored};

fn expected(name: &str) -> Value {
    let path = fixture(&format!("expected/{name}.json"));
    let text = std::fs::read_to_string(&path).expect("the expected leads of a fixture");
    serde_json::from_str(&text).expect("expected leads in JSON")
}

/// Import a fixture with no options: its summary.
fn import(env: &Env, file: &str) -> Value {
    env.run(&["import", &fixture(file), "--format", "json"])
        .success()
        .json()
}

/// Imports `file` with no options into a new database: `imported` leads, `skipped`
/// duplicates inside the file, no rejects, `warnings` warnings, the leads exactly as in
/// `expected/NAME.json` (`LEADS_BLESS=1` rewrites it); a second import adds nobody; an
/// export imported into another new database gives the same leads.
fn imports_as_it_is_again_adds_nobody_and_round_trips(
    file: &str,
    imported: u64,
    skipped: u64,
    warnings: u64,
) {
    let name = file.rsplit_once('.').map_or(file, |(name, _)| name);
    let env = Env::new();
    let first = import(&env, file);
    assert_eq!(
        (
            &first["imported"],
            &first["skipped"],
            &first["rejected"],
            &first["warnings"]
        ),
        (
            &json!(imported),
            &json!(skipped),
            &json!(0),
            &json!(warnings)
        ),
        "{file}"
    );
    let leads = stored(&env);
    if std::env::var_os("LEADS_BLESS").is_some() {
        // Rewrite the expected leads from what the import gives (then read the diff).
        let path = fixture(&format!("expected/{name}.json"));
        let text = serde_json::to_string_pretty(&leads).expect("leads as JSON");
        std::fs::write(path, text + "\n").expect("write the expected leads");
    }
    assert_eq!(leads, expected(name), "{file}");
    let again = import(&env, file);
    assert_eq!(again["imported"], 0, "{file}: a second import adds nobody");
    assert_eq!(stored(&env), leads, "{file}");
    // Export, then import into a new database: the same leads.
    let exported = env.path("export.csv");
    env.run(&["export", "-o", &exported.to_string_lossy()])
        .success();
    let other = Env::new();
    let back = other
        .run(&["import", &exported.to_string_lossy(), "--format", "json"])
        .success()
        .json();
    assert_eq!(back["imported"], json!(imported), "{file}: round trip");
    assert_eq!(stored(&other), leads, "{file}: round trip");
}

/// One test per file (a failure names the file): `name: file, imported, skipped, warnings`.
macro_rules! every_file_imports_as_it_is_again_adds_nobody_and_round_trips {
    ($($name:ident: $file:literal, $imported:literal, $skipped:literal, $warnings:literal;)*) => {
        $(
            #[test]
            fn $name() {
                imports_as_it_is_again_adds_nobody_and_round_trips(
                    $file, $imported, $skipped, $warnings,
                );
            }
        )*
    };
}

every_file_imports_as_it_is_again_adds_nobody_and_round_trips! {
    odoo_crm_leads: "odoo_crm_leads.csv", 4, 0, 0;
    stripe_customers: "stripe_customers.csv", 4, 0, 1;
    apollo_contacts: "apollo_contacts.csv", 3, 0, 0;
    shopify_customers: "shopify_customers.csv", 3, 0, 0;
    meta_leads_center: "meta_leads_center.csv", 3, 0, 0;
    google_forms_responses: "google_forms_responses.csv", 3, 0, 0;
    zoom_participants: "zoom_participants.csv", 3, 1, 0;
    similartech_leads: "similartech_leads.csv", 4, 0, 1;
    salesforce_report: "salesforce_report.csv", 3, 0, 0;
    hubspot_rounded_ids: "hubspot_rounded_ids.csv", 4, 0, 1;
    close_leads: "close_leads.csv", 3, 0, 0;
    german_crm: "german_crm.csv", 3, 0, 0;
    olist_mql: "olist_mql.csv", 5, 0, 1;
    maven_sales_pipeline: "maven_sales_pipeline.csv", 6, 0, 0;
    icloud_contacts: "icloud_contacts.vcf", 2, 0, 0;
    android_contacts: "android_contacts.vcf", 2, 0, 0;
}

/// One field of every lead, in order.
fn field(env: &Env, name: &str) -> Vec<Value> {
    stored(env)
        .as_array()
        .expect("export gives an array")
        .iter()
        .map(|lead| lead.get(name).cloned().unwrap_or(Value::Null))
        .collect()
}

#[test]
fn odoo_s_technical_names_and_its_opportunity_title() {
    let env = Env::new();
    import(&env, "odoo_crm_leads.csv");
    assert_eq!(
        field(&env, "email")[..2],
        [
            json!("rosalind@quillfeather-invented.example"),
            json!("l.brambleworth@brambleworth-invented.example")
        ]
    );
    assert_eq!(field(&env, "name")[0], "Rosalind Quillfeather");
    assert_eq!(field(&env, "company")[0], "Quillfeather Press");
    assert_eq!(
        field(&env, "attributes")[0]["name"],
        "Website redesign for Quillfeather"
    );
    assert_eq!(
        field(&env, "status"),
        [
            json!("new"),
            json!("qualified"),
            json!("qualified"),
            json!("won")
        ]
    );
}

#[test]
fn the_dry_run_says_why_each_column_maps() {
    let env = Env::new();
    env.run(&["import", &fixture("stripe_customers.csv"), "--dry-run"])
        .success()
        .stderr_has("  Email -> email (its name)\n")
        .stderr_has("  Created (UTC) -> created_at (its values are dates, its name says created)\n")
        .stderr_has("  Card Country -> country (its values are countries)\n")
        .stderr_has("  Status -> attributes (its values are not lead statuses)\n")
        .stderr_has(
            "leads: warning: column 'Status': its values (active, past_due, canceled, ...) \
             are not lead statuses: kept in attributes, the leads' status is new\n",
        );
    env.run(&["import", &fixture("apollo_contacts.csv"), "--dry-run"])
        .success()
        .stderr_has("  First Phone -> phone (its values are phone numbers)\n")
        .stderr_has("  Contact Owner -> owner (its name)\n")
        .stderr_has(
            "  Apollo Contact Id -> external_id (its values are unique, its name ends in id)\n",
        );
    env.run(&["import", &fixture("maven_sales_pipeline.csv"), "--dry-run"])
        .success()
        .stderr_has(
            "  opportunity_id -> external_id (its values are unique, its name ends in id)\n",
        )
        .stderr_has("  deal_stage -> status (its values are lead statuses)\n");
}

#[test]
fn a_list_whose_company_is_a_placeholder_is_one_lead_a_website() {
    // 10,000 rows each with its own site, the company "Upgrade to reveal": 10,000 leads.
    let env = Env::new();
    let mut csv = String::from("Domain,Company Name,Country,Email\n");
    for n in 0..10_000 {
        csv.push_str(&format!(
            "shop{n}-invented.example,Upgrade to reveal,United States,Upgrade to reveal\n"
        ));
    }
    let file = env.write("list.csv", csv);
    let run = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (&run["imported"], &run["skipped"]),
        (&json!(10_000), &json!(0))
    );
    let again = env
        .run(&["import", &file, "--format", "json"])
        .success()
        .json();
    assert_eq!(
        (&again["imported"], &again["skipped"]),
        (&json!(0), &json!(10_000))
    );
}

#[test]
fn rounded_ids_never_match_and_are_said_once() {
    let env = Env::new();
    env.run(&["import", &fixture("hubspot_rounded_ids.csv")])
        .success()
        .stderr_has(
            "leads: warning: Record ID: ids like '1.52533E+11' were rounded by a spreadsheet \
             and name nobody: kept in attributes, never used to find duplicates\n",
        )
        .stderr_has("imported 4, updated 0, skipped 0 duplicates, rejected 0, 1 warning");
    assert_eq!(
        field(&env, "external_id"),
        [Value::Null, Value::Null, Value::Null, json!("90017")]
    );
}

#[test]
fn the_header_is_never_a_data_row_and_map_headers_count() {
    // A data row holding the word "email" below a header no list knows.
    let env = Env::new();
    let file = env.write(
        "mql.csv",
        "mql_id,first_contact_date,landing_page,channel\n\
         a1b2c3d4e5f60718293a4b5c6d7e8f90,2018-02-01,lp-1,social\n\
         b2c3d4e5f60718293a4b5c6d7e8f90a1,2018-02-02,lp-1,email\n",
    );
    env.run(&[
        "import",
        &file,
        "--map",
        "channel=source",
        "--format",
        "json",
    ])
    .success()
    .stdout_is(
        "{\"batch\":1,\"imported\":2,\"updated\":0,\"skipped\":0,\"rejected\":0,\"warnings\":0}\n",
    );
    assert_eq!(
        field(&env, "source"),
        [json!("social"), json!("email_campaign")]
    );
    // A header repeated inside the file (two exports joined) is not a lead.
    let env = Env::new();
    let file = env.write(
        "joined.csv",
        "Email,First Name\nann@example.com,Ann\nEmail,First Name\nbo@example.com,Bo\n",
    );
    env.run(&["import", &file])
        .success()
        .stderr_has("imported 2, updated 0, skipped 0 duplicates, rejected 0");
}

#[test]
fn a_vcard_cut_short_is_a_rejected_card_not_a_silent_one() {
    let env = Env::new();
    let file = env.write(
        "cut.vcf",
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Okafor;Chidi;;;\r\nEMAIL:chidi@example.com\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:2.1\r\nN:Lind;Astrid;;;\r\nEMAIL:astrid@exa",
    );
    env.run(&["import", &file])
        .failure(65)
        .stderr_has(
            "line 6: rejected: the card that starts on line 6 has no END:VCARD: the file was \
             cut short there; this card was not imported\n",
        )
        .stderr_has("imported 1, updated 0, skipped 0 duplicates, rejected 1");
}

#[test]
fn json_keeps_values_as_typed_and_every_key_given_twice() {
    let env = Env::new();
    let file = env.write(
        "leads.json",
        r#"[{"name":"Ada Lovelace","email":"ada@example.com","email":"ada@home.example",
            "external_id":12345678901234567890123,"rating":1e2,"status":"won","status":"lost"}]"#,
    );
    env.run(&["import", &file]).success();
    let lead = env.show(1);
    assert_eq!(lead["external_id"], "12345678901234567890123");
    assert_eq!(lead["email"], "ada@example.com");
    assert_eq!(lead["status"], "won");
    assert_eq!(
        lead["attributes"],
        json!({"email (2)": "ada@home.example", "rating": "1e2", "status (2)": "lost"})
    );
}

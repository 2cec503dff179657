use super::*;

fn field(header: &str) -> Option<Field> {
    field_for_header(header)
}

#[test]
fn headers_of_common_exports() {
    let cases = [
        // A German, French and Spanish spreadsheet (Excel writes those with semicolons)
        ("Vorname", Some(Field::FirstName)),
        ("Nachname", Some(Field::LastName)),
        ("E-Mail", Some(Field::Email)),
        ("Firma", Some(Field::Company)),
        ("Prénom", Some(Field::FirstName)),
        ("Société", Some(Field::Company)),
        ("Téléphone", Some(Field::Phone)),
        ("Correo electrónico", Some(Field::Email)),
        ("País", Some(Field::Country)),
        // Salesforce leads report
        ("Lead Source", Some(Field::Source)),
        ("Lead Status", Some(Field::Status)),
        ("Lead ID", Some(Field::ExternalId)),
        ("Created Date", Some(Field::CreatedAt)),
        ("Salutation", None),
        ("Email Opt Out", Some(Field::DoNotContact)),
        ("Do Not Call", Some(Field::DoNotContact)),
        // HubSpot contacts
        ("Original Source", Some(Field::Source)),
        ("Record ID", Some(Field::ExternalId)),
        ("Create Date", Some(Field::CreatedAt)),
        ("Lifecycle Stage", None),
        // Google Contacts
        ("Given Name", Some(Field::FirstName)),
        ("Family Name", Some(Field::LastName)),
        ("E-mail 1 - Value", Some(Field::Email)),
        ("E-mail 2 - Value", None),
        ("Organization 1 - Name", Some(Field::Company)),
        ("Organization 1 - Title", Some(Field::Title)),
        ("Phone 1 - Value", Some(Field::Phone)),
        ("Name Prefix", None),
        // Outlook
        ("E-mail Address", Some(Field::Email)),
        ("E-mail 2 Address", None),
        ("Business Phone", Some(Field::Phone)),
        ("Job Title", Some(Field::Title)),
        ("Categories", Some(Field::Tags)),
        // Mailchimp
        ("Email Address", Some(Field::Email)),
        ("MEMBER_RATING", None),
        ("OPTIN_TIME", Some(Field::CreatedAt)),
        ("TAGS", Some(Field::Tags)),
        // Eventbrite
        ("First Name", Some(Field::FirstName)),
        ("Last Name", Some(Field::LastName)),
        ("Company", Some(Field::Company)),
        ("Attendee #", Some(Field::ExternalId)),
        ("Ticket Type", None),
        // Generic and ours
        ("Name", Some(Field::Name)),
        ("Company Name", Some(Field::Company)),
        ("Organization", Some(Field::Company)),
        ("Phone Number", Some(Field::Phone)),
        ("DoNotCall", Some(Field::DoNotContact)),
        ("do_not_contact", Some(Field::DoNotContact)),
        ("source_detail", Some(Field::SourceDetail)),
        // An occupation is what the person does: the title's job (Google Contacts,
        // Outlook, a sign-up form's question)
        ("Occupation", Some(Field::Title)),
        ("Profession", Some(Field::Title)),
        ("What is your current occupation", Some(Field::Title)),
        ("current_occupation", Some(Field::Title)),
        // The channel of the first touch is where the lead came from
        ("First Interaction", Some(Field::Source)),
        ("first_touch_channel", Some(Field::Source)),
        ("Favourite Colour", None),
    ];
    for (header, expected) in cases {
        assert_eq!(field(header), expected, "{header}");
    }
}

#[test]
fn case_spaces_and_punctuation_do_not_matter() {
    for header in ["EMAIL", " e-mail ", "E_Mail", "e.mail", "Email Address"] {
        assert_eq!(field(header), Some(Field::Email), "{header}");
    }
}

#[test]
fn overrides_win_and_unknown_columns_become_attributes() {
    let headers: Vec<String> = ["E-mail 2 Address", "Fax", "Email", "Shoe Size"]
        .map(String::from)
        .to_vec();
    let overrides = [
        parse_override("E-mail 2 Address=email").unwrap(),
        parse_override("fax=-").unwrap(),
    ];
    let mapping = map_headers(&headers, &overrides);
    assert_eq!(
        mapping.targets,
        vec![
            Target::Field(Field::Email),
            Target::Drop,
            Target::Field(Field::Email),
            Target::Attribute
        ]
    );
    assert!(!mapping.leads_export);
}

#[test]
fn an_override_must_name_a_column() {
    let headers = vec!["Email".to_string()];
    let err = check_overrides(&headers, &[parse_override("Mail 2=email").unwrap()]).unwrap_err();
    assert!(err.contains("no column 'Mail 2'"), "{err}");
    assert!(parse_override("Email").is_err());
    assert!(parse_override("Email=shoe_size").is_err());
    assert_eq!(
        parse_override("Org=Company Name").unwrap().target,
        Target::Field(Field::Company)
    );
}

#[test]
fn our_own_export_drops_computed_columns() {
    let headers: Vec<String> = [
        "id",
        "name",
        "email",
        "external_id",
        "attributes",
        "do_not_contact",
        "score",
        "updated_at",
    ]
    .map(String::from)
    .to_vec();
    let mapping = map_headers(&headers, &[]);
    assert!(mapping.leads_export);
    assert_eq!(
        mapping.targets,
        vec![
            Target::Drop,
            Target::Drop,
            Target::Field(Field::Email),
            Target::Field(Field::ExternalId),
            Target::Field(Field::Attributes),
            Target::Field(Field::DoNotContact),
            Target::Drop,
            Target::Field(Field::UpdatedAt),
        ]
    );
    // Elsewhere a score is the other tool's data, kept; an id is its record id.
    let other = map_headers(&["id".to_string(), "score".to_string()], &[]);
    assert_eq!(
        other.targets,
        vec![Target::Field(Field::ExternalId), Target::Attribute]
    );
}

//! Email addresses: the one check and the one reader of an address as people paste it.

/// A valid bare email address: trimmed, the domain lower-cased (domains are case-insensitive),
/// the local part kept as typed (RFC 5321 lets a server tell `Bob` from `bob`).
pub fn check_email(email: &str) -> Result<String, String> {
    let email = email.trim();
    match email.rsplit_once('@') {
        Some((local, domain))
            if email_address::EmailAddress::is_valid(email) && domain.contains('.') =>
        {
            Ok(format!("{local}@{}", domain.to_lowercase()))
        }
        _ => Err(format!(
            "invalid email '{email}' (expected an address like name@example.com)"
        )),
    }
}

/// The one reader of an email address as people paste it: `bob@x.com`,
/// `Bob Smith <bob@x.com>`, `"Smith, Bob" <bob@x.com>`, `<bob@x.com>`, `mailto:bob@x.com`.
/// Returns the display name when one is given (quotes removed) and the checked address.
/// Used by `add`, `edit` and import alike, so the same person is recognised however written.
pub fn parse_email_address(text: &str) -> Result<(Option<String>, String), String> {
    // Outlook ends each address it copies with `;`.
    let text = text.trim().trim_end_matches([';', ',']).trim_end();
    let (name, address) = match (text.rfind('<'), text.ends_with('>')) {
        (Some(open), true) => (&text[..open], &text[open + 1..text.len() - 1]),
        _ => ("", text),
    };
    let address = address.trim();
    let address = address
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .map_or(address, |_| &address[7..]);
    let address = check_email(address).map_err(|_| {
        format!(
            "invalid email '{text}' (expected an address like name@example.com \
             or Name <name@example.com>)"
        )
    })?;
    let name = name.trim().trim_matches('"').trim();
    Ok(((!name.is_empty()).then(|| name.to_string()), address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        assert!(check_email("ada@example.com").is_ok());
        assert!(check_email("not-an-email").is_err());
        assert!(check_email("a@b").is_err());
        assert!(check_email("a.b@c").is_err());
        assert_eq!(check_email(" Ada@Example.COM ").unwrap(), "Ada@example.com");
    }

    #[test]
    fn email_addresses_as_people_paste_them() {
        let cases = [
            ("bob@smith.example", None, "bob@smith.example"),
            (
                "Bob Smith <bob@smith.example>",
                Some("Bob Smith"),
                "bob@smith.example",
            ),
            (
                "\"Smith, Bob\" <bob@Smith.Example>",
                Some("Smith, Bob"),
                "bob@smith.example",
            ),
            ("<bob@smith.example>", None, "bob@smith.example"),
            ("  mailto:bob@smith.example ", None, "bob@smith.example"),
            (
                "Bob <MAILTO:bob@smith.example>",
                Some("Bob"),
                "bob@smith.example",
            ),
            // Outlook's trailing separator.
            ("bob@smith.example;", None, "bob@smith.example"),
            (
                "Bob <bob@smith.example>; ",
                Some("Bob"),
                "bob@smith.example",
            ),
        ];
        for (text, name, address) in cases {
            let (n, a) = parse_email_address(text).unwrap();
            assert_eq!((n.as_deref(), a.as_str()), (name, address), "{text}");
        }
        for bad in [
            "Bob Smith",
            "Bob <bob@>",
            "<>",
            "",
            "bob@x.com>",
            "urn:li:member:1",
        ] {
            assert!(parse_email_address(bad).is_err(), "{bad}");
        }
    }
}

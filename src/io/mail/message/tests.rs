//! The message reader on real clients' headers (the fixtures of `tests/fixtures/mail`), and
//! random bytes: the readers never panic, never hang.
use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).expect("fixture")
}

fn read_fixture(name: &str) -> Message {
    read(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn emails(list: &[Mailbox]) -> Vec<&str> {
    list.iter().map(|m| m.email.as_str()).collect()
}

#[test]
fn gmail_sent_mail_names_the_sender_and_every_recipient() {
    let message = read_fixture("gmail_sent.eml");
    assert_eq!(
        message.from,
        Some(Mailbox {
            name: Some("Ann Smith".into()),
            email: "ann@acme.example".into()
        })
    );
    assert_eq!(emails(&message.to), ["bruno@keller-bau.example"]);
    assert_eq!(emails(&message.cc), ["frank@stranger.example"]);
    assert_eq!(
        message.date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-03-02T09:15:03+00:00")
    );
    assert_eq!(message.subject.as_deref(), Some("Proposal for Keller Bau"));
    assert_eq!(message.bulk, None);
    assert!(!message.is_bounce());
}

#[test]
fn encoded_subjects_and_folded_headers_are_decoded() {
    let outlook = read_fixture("outlook_reply.eml");
    assert_eq!(
        outlook.subject.as_deref(),
        Some("RE: Angebot für Brightlane – Q2")
    );
    assert_eq!(outlook.from.unwrap().email, "Carla@Brightlane.example");
    let apple = read_fixture("apple_sent.eml");
    assert_eq!(apple.subject.as_deref(), Some("Café next week?"));
    assert_eq!(
        emails(&apple.to),
        [
            "dana.okafor@northwind.example",
            "carla@brightlane.example",
            "ann@acme.example"
        ]
    );
    assert_eq!(apple.to[1].name.as_deref(), Some("Diaz, Carla"));
    let thunderbird = read_fixture("thunderbird_reply.eml");
    assert_eq!(thunderbird.subject.as_deref(), Some("Re: Café next week?"));
    assert_eq!(
        thunderbird.date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-03-03T20:12:44+00:00")
    );
}

#[test]
fn bounces_name_the_addresses_that_failed() {
    let postfix = read_fixture("postfix_bounce.eml");
    assert_eq!(postfix.failed, ["emil@novak.example"]);
    assert_eq!(postfix.bulk, Some(Bulk::AutoSubmitted));
    let exchange = read_fixture("exchange_bounce.eml");
    assert_eq!(exchange.failed, ["ines@moreau-conseil.example"]);
    // A delay is no failure.
    assert!(!read_fixture("postfix_delayed.eml").is_bounce());
    let exim = read(
        b"From: Mail Delivery System <Mailer-Daemon@x.example>\nX-Failed-Recipients: bob@y.example\nSubject: Mail delivery failed\n\nbody",
    )
    .unwrap();
    assert_eq!(exim.failed, ["bob@y.example"]);
}

#[test]
fn lists_bulk_and_automatic_mail_are_recognised() {
    assert_eq!(read_fixture("newsletter.eml").bulk, Some(Bulk::List));
    assert_eq!(
        read_fixture("auto_reply.eml").bulk,
        Some(Bulk::AutoSubmitted)
    );
    let with = |header: &str| {
        read(format!("From: a@b.example\n{header}\nSubject: x\n\n").as_bytes())
            .unwrap()
            .bulk
    };
    assert_eq!(with("Precedence: bulk"), Some(Bulk::Precedence));
    assert_eq!(with("Precedence: junk"), Some(Bulk::Precedence));
    assert_eq!(with("Precedence: first-class"), None);
    assert_eq!(with("Auto-Submitted: no"), None);
    assert_eq!(with("Auto-Submitted: No (written by a person)"), None);
    assert_eq!(
        with("Auto-Submitted: auto-generated"),
        Some(Bulk::AutoSubmitted)
    );
}

#[test]
fn a_message_is_known_by_its_message_id_else_by_date_sender_and_subject() {
    let one = read(b"From: a@b.example\nMessage-ID: <x1@b.example>\nSubject: one\n\n").unwrap();
    let same = read(b"Message-Id:   <x1@b.example>\r\nFrom: other@b.example\r\n\r\n").unwrap();
    assert_eq!(one.digest, same.digest);
    assert_eq!(one.digest.len(), 64);
    assert!(!one.digest.contains("x1"));
    let plain = |subject: &str| {
        read(
            format!(
                "From: A@b.example\nDate: Mon, 9 Mar 2026 11:00:00 +0100\nSubject: {subject}\n\n"
            )
            .as_bytes(),
        )
        .unwrap()
        .digest
    };
    assert_eq!(plain("hello"), plain("hello"));
    assert_ne!(plain("hello"), plain("hello again"));
}

#[test]
fn what_is_no_message_says_why() {
    assert_eq!(read(b"").unwrap_err(), "it is empty");
    assert!(read(b"just some text\nwith lines\n").is_err());
    assert!(read(b"Subject: nobody\n\n").is_err());
    assert!(read(&[0xff, 0xfe, 0x00, 0x01]).is_err());
}

#[test]
fn the_end_of_the_headers_is_found_with_either_line_ending() {
    assert_eq!(header_end(b"A: b\n\nbody"), Some(6));
    assert_eq!(header_end(b"A: b\r\n\r\nbody"), Some(8));
    assert_eq!(header_end(b"A: b\nC: d"), None);
}

/// Random bytes, often with pieces of mail in them so the parsers go deep.
fn message() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    const PIECES: [&[u8]; 14] = [
        b"From ",
        b"From: a@b.example\n",
        b"To: \"x, y\" <c@d.example>, =?utf-8?B?w6k=?= <e@f>\n",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n",
        b"\n--b\nContent-Type: message/delivery-status\n\n",
        b"Final-Recipient: rfc822; z@y.example\nAction: failed\n",
        b"\n\n",
        b"\r\n",
        b"Subject: =?iso-8859-1?Q?caf=E9?=\n",
        b"Date: Mon, 2 Mar 2026 10:15:03 +0100\n",
        b"\n--b--\n",
        b"=?",
        b"\t folded\n",
        b"Message-ID: <",
    ];
    let piece = prop_oneof![
        1 => proptest::sample::select(PIECES.to_vec()).prop_map(<[u8]>::to_vec),
        2 => any::<u8>().prop_map(|byte| vec![byte]),
    ];
    proptest::collection::vec(piece, 0..400).prop_map(|pieces| pieces.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(600))]

    /// Every reader of mail (a message, a bounce report, the header's end, a recipient
    /// list, Maildir headers, an mbox) takes any bytes without panicking, and the mbox
    /// reader always advances: none can hang.
    #[test]
    fn random_bytes_never_panic_or_hang_the_readers(bytes in message()) {
        let started = std::time::Instant::now();
        let _ = read(&bytes);
        let _ = is_report(&bytes);
        let _ = header_end(&bytes);
        let _ = failed_recipients(&String::from_utf8_lossy(&bytes));
        let _ = super::super::maildir::read_headers(&bytes[..]);
        let mut mbox = super::super::mbox::Mbox::new(&bytes[..]);
        let mut messages = 0;
        while let Ok(Some(_)) = mbox.next_message() {
            let _ = mbox.read_body();
            messages += 1;
            assert!(messages <= bytes.len() + 1, "the mbox reader must advance");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "reading {} random bytes took {:?}",
            bytes.len(),
            started.elapsed()
        );
    }
}

use super::*;

fn lead(email: Option<&str>, external_id: Option<&str>) -> Lead {
    Lead {
        first_name: Some("Test".into()),
        email: email.map(String::from),
        external_id: external_id.map(String::from),
        created_at: Some(DateTime::default()),
        updated_at: Some(DateTime::default()),
        ..Lead::default()
    }
}

#[test]
fn duplicates_by_email_without_case_then_by_external_id() {
    let store = Store::open_in_memory().unwrap();
    let now = DateTime::default();
    let ids = store
        .import("test", now, |importer| {
            let first = importer.create(&lead(Some("Ada@Example.com"), Some("X1")))?;
            let by_email = importer.duplicate_of(&lead(Some("ada@example.COM "), None))?;
            let by_id = importer.duplicate_of(&lead(Some("other@example.com"), Some("X1")))?;
            let none = importer.duplicate_of(&lead(Some("new@example.com"), Some("x1")))?;
            Ok(((first, by_email, by_id, none), true))
        })
        .unwrap();
    assert_eq!(
        ids,
        (1, Some((1, Same::Email)), Some((1, Same::ExternalId)), None)
    );
    // A second import sees the first one's leads.
    let again = store
        .import("test", now, |importer| {
            Ok((
                importer.duplicate_of(&lead(Some("ADA@example.com"), None))?,
                false,
            ))
        })
        .unwrap();
    assert_eq!(again, Some((1, Same::Email)));
}

#[test]
fn a_rolled_back_import_leaves_nothing_and_undo_removes_a_batch() {
    let store = Store::open_in_memory().unwrap();
    let now = DateTime::default();
    store
        .import("dry", now, |importer| {
            importer.create(&lead(Some("a@example.com"), None))?;
            Ok(((), false))
        })
        .unwrap();
    assert_eq!(store.count_leads().unwrap(), 0);
    let batch = store
        .import("real", now, |importer| {
            importer.create(&lead(Some("a@example.com"), None))?;
            Ok((importer.batch(), true))
        })
        .unwrap();
    assert_eq!(store.count_leads().unwrap(), 1);
    let undone = store.write(|s| s.undo_batch(batch, now)).unwrap();
    assert_eq!(
        undone,
        Undo::Undone {
            removed: 1,
            restored: 0
        }
    );
    assert_eq!(store.count_leads().unwrap(), 0);
    assert!(matches!(
        store.write(|s| s.undo_batch(batch, now)).unwrap(),
        Undo::AlreadyUndone(_)
    ));
    assert!(store.write(|s| s.undo_batch(99, now)).is_err());
}

//! Migration 12's move of the owner out of the attributes. Before leads had an `owner`, an
//! import kept a CRM's `Owner` or `Lead Owner` column as an attribute; an import now makes
//! it the lead's owner. A scoring rule or a learned model naming `Owner` reads the field
//! now, so the leads imported before must hold their owner there too, or their rules stop
//! matching in silence. Two SQL functions, registered for the migration, make the move:
//! `leads_owner_attribute(attributes)` the first owner column's value (None without one),
//! `leads_without_owner(attributes)` the attributes without it.
use anyhow::Result;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::model::{squash, OWNER_HEADERS};

/// Register both functions on a connection (before migrating it).
pub fn register(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("leads_owner_attribute", 1, flags, |ctx| {
        Ok(attributes(ctx.get_raw(0)).and_then(|map| owner_of(&map).map(|(_, value)| value)))
    })?;
    conn.create_scalar_function("leads_without_owner", 1, flags, |ctx| {
        Ok(attributes(ctx.get_raw(0)).map(|mut map| {
            if let Some((key, _)) = owner_of(&map) {
                map.remove(&key);
            }
            Value::Object(map).to_string()
        }))
    })?;
    Ok(())
}

/// The attributes stored as a JSON object (None when they are not one).
fn attributes(value: ValueRef<'_>) -> Option<Map<String, Value>> {
    match value {
        ValueRef::Text(bytes) => match serde_json::from_slice(bytes) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        },
        _ => None,
    }
}

/// The first attribute naming the lead's owner, with a value: its key and value.
fn owner_of(map: &Map<String, Value>) -> Option<(String, String)> {
    map.iter().find_map(|(key, value)| {
        let text = value.as_str()?.trim();
        (OWNER_HEADERS.contains(&squash(key).as_str()) && !text.is_empty())
            .then(|| (key.clone(), text.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(conn: &Connection, function: &str, attributes: &str) -> Option<String> {
        conn.query_row(&format!("SELECT {function}(?1)"), [attributes], |r| {
            r.get(0)
        })
        .unwrap()
    }

    #[test]
    fn a_crm_owner_column_is_found_and_taken_out_of_the_attributes() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let kept = r#"{"Lead Owner":"Rowan Invented","Seats":"3"}"#;
        assert_eq!(
            call(&conn, "leads_owner_attribute", kept).as_deref(),
            Some("Rowan Invented")
        );
        assert_eq!(
            call(&conn, "leads_without_owner", kept).as_deref(),
            Some(r#"{"Seats":"3"}"#)
        );
        // An account's owner is another record's seller; an empty owner names nobody.
        for none in [
            r#"{"Account Owner":"x"}"#,
            r#"{"Owner":"  "}"#,
            "{}",
            "not json",
        ] {
            assert_eq!(call(&conn, "leads_owner_attribute", none), None, "{none}");
        }
    }
}

//! The names of the imported attributes in the database, for checking the names rules use.
use anyhow::Result;

use super::Store;

impl Store {
    /// Every attribute name some lead has, sorted. Reads every lead's attributes: for
    /// `config rule add`, not for a hot path.
    pub fn attribute_names(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT DISTINCT attribute.key FROM leads, json_each(leads.attributes) AS attribute
             WHERE leads.attributes <> '{}' ORDER BY 1",
        )?;
        let names = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lead;

    #[test]
    fn names_of_every_lead_once() {
        let store = Store::open_in_memory().unwrap();
        for attributes in [
            &[("TotalVisits", "3"), ("Lead Origin", "API")][..],
            &[("TotalVisits", "5")],
        ] {
            let at = crate::test_support::at("2026-03-01T09:00:00Z");
            let mut lead = Lead {
                first_name: Some("Ada".into()),
                created_at: Some(at),
                updated_at: Some(at),
                ..Lead::default()
            };
            for (key, value) in attributes {
                lead.attributes.insert(key.to_string(), value.to_string());
            }
            store.insert_lead(&lead).unwrap();
        }
        assert_eq!(
            store.attribute_names().unwrap(),
            vec!["Lead Origin", "TotalVisits"]
        );
    }
}

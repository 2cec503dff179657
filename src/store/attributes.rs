//! The names of the imported attributes in the database, for checking the names rules use.
use anyhow::Result;

use super::Store;

impl Store {
    /// Every attribute name some lead has, sorted. Reads every lead's attributes: for
    /// `config rule add`, not for a hot path.
    pub fn attribute_names(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT DISTINCT attribute.key FROM leads, json_each(leads.attributes) AS attribute
             WHERE leads.attributes IS NOT NULL AND leads.attributes <> '{}' ORDER BY 1",
        )?;
        let names = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }
}

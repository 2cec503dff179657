//! Editing a lead the way `add` and `edit` do, one field at a time: each value is checked,
//! an empty value clears an optional field, and tags keep one form. The command line names
//! the fields; the rules for their values live here.
use super::{
    checked_source, parse_company_size, parse_email_address, split_name, split_name_and_title,
    Field, Lead,
};

/// A change a person makes to a lead, in the order `add` and `edit` apply them: the name
/// before the email (an address's display name only names a lead that has no name) and
/// the text fields (the source detail among them) before the source (a synonym only
/// becomes the detail when none is given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadField {
    /// The full name, split into first and last name.
    Name,
    /// A field of free text (`Kind::Text` in `FIELDS`: names, phone, company, title,
    /// industry, country, website, source detail, notes (replaced), external id, need).
    Text(Field),
    /// An address, alone or as people paste it ("Bob Smith <bob@x.com>").
    Email,
    /// A number of employees ("1,200").
    CompanySize,
    /// A source as typed: read onto the known ones.
    Source,
    /// A tag to add.
    Tag,
    /// A line added to the notes.
    AppendNote,
    /// A tag to remove.
    Untag,
    /// `key=value`: an attribute set, or removed by an empty value.
    Attribute,
}

impl Lead {
    /// Set one field from what a person typed. Returns a warning to show (a source typo
    /// taken as the known source), or why the value cannot be used.
    pub fn set_field(&mut self, field: LeadField, value: &str) -> Result<Option<String>, String> {
        let text = |target: &mut Option<String>| {
            let value = value.trim();
            *target = (!value.is_empty()).then(|| value.to_string());
        };
        match field {
            LeadField::Name => {
                // "Sarah O'Connor, CFO": a name and a title (a --title given wins).
                let title;
                (self.first_name, self.last_name, title) = split_name_and_title(value);
                if self.title.is_none() {
                    self.title = title;
                }
            }
            LeadField::Text(field) => match self.text_mut(field) {
                Some(slot) => text(slot),
                None => return Err(format!("{} is not a text field", field.name())),
            },
            LeadField::Email => self.set_email(value)?,
            LeadField::CompanySize => self.company_size = parse_company_size(value)?,
            LeadField::Source => return self.set_source(value),
            LeadField::Tag => self.add_tag(value),
            LeadField::AppendNote => append_note(&mut self.notes, value),
            LeadField::Untag => {
                let tag = normalize_tag(value);
                self.tags.retain(|t| *t != tag);
            }
            LeadField::Attribute => self.set_attribute(value)?,
        }
        Ok(None)
    }

    fn set_email(&mut self, text: &str) -> Result<(), String> {
        self.email = if text.trim().is_empty() {
            None
        } else {
            let (name, address) = parse_email_address(text)?;
            // "Bob Smith <bob@x.com>" names a lead that has no name yet.
            if let (Some(name), None, None) = (name, &self.first_name, &self.last_name) {
                (self.first_name, self.last_name) = split_name(&name);
            }
            Some(address)
        };
        Ok(())
    }

    fn set_source(&mut self, text: &str) -> Result<Option<String>, String> {
        if text.trim().is_empty() {
            self.source = None;
            return Ok(None);
        }
        let reading = checked_source(text, "; an empty value clears it")?;
        self.source = Some(reading.source);
        // "linkedin" is stored as social; the word itself is the detail, unless one is given.
        if self.source_detail.is_none() {
            self.source_detail = reading.detail;
        }
        Ok(reading.warning)
    }

    fn set_attribute(&mut self, pair: &str) -> Result<(), String> {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            format!("invalid '{pair}' (expected key=value; an empty value removes the key)")
        })?;
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("invalid '{pair}': the key is empty"));
        }
        if value.is_empty() {
            self.attributes.remove(key);
        } else {
            self.attributes.insert(key.to_string(), value.to_string());
        }
        Ok(())
    }

    /// Add a tag (in its one form), once.
    pub fn add_tag(&mut self, tag: &str) {
        let tag = normalize_tag(tag);
        if !tag.is_empty() && !self.tags.contains(&tag) {
            self.tags.push(tag);
        }
    }

    /// A forgotten lead (privacy) takes no new data: no activity, status, edit, answer or
    /// follow-up. Only deleting what is left of it still applies.
    pub fn check_writable(&self) -> Result<(), String> {
        if self.forgotten {
            let id = self.id;
            return Err(format!(
                "lead {id} was forgotten (privacy): it takes no new data (no activity, status, \
                 edit, answer or follow-up); only `leads delete {id}` still applies to it"
            ));
        }
        Ok(())
    }

    /// A lead nobody could recognise is refused: this says what it needs.
    pub fn check_identity(&self) -> Result<(), String> {
        if self.has_identity() {
            Ok(())
        } else {
            Err(
                "a lead needs at least one of: a name, --company, --email, --phone or --external-id"
                    .to_string(),
            )
        }
    }
}

/// The one form of a tag: trimmed, lower case ("VIP " is `vip`).
pub fn normalize_tag(tag: &str) -> String {
    tag.trim().to_lowercase()
}

/// Add a line to the notes (after `--note`, when both are given); a blank line adds nothing.
fn append_note(notes: &mut Option<String>, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    *notes = Some(match notes.take().filter(|n| !n.trim().is_empty()) {
        Some(existing) => format!("{}\n{line}", existing.trim_end()),
        None => line.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_set_as_people_type_them() {
        let mut lead = Lead::default();
        let edits = [
            (LeadField::Email, "Bob Smith <Bob@Smith.Example>"),
            (LeadField::Text(Field::Phone), "  555-0100 "),
            (LeadField::CompanySize, "1,200"),
            (LeadField::Source, "LinkedIn"),
            (LeadField::Tag, " VIP "),
            (LeadField::Tag, "vip"),
            (LeadField::Attribute, "tier=gold"),
        ];
        for (field, value) in edits {
            assert_eq!(lead.set_field(field, value), Ok(None), "{field:?}");
        }
        assert_eq!(
            (lead.first_name.as_deref(), lead.last_name.as_deref()),
            (Some("Bob"), Some("Smith"))
        );
        assert_eq!(lead.email.as_deref(), Some("Bob@smith.example"));
        assert_eq!(lead.phone.as_deref(), Some("555-0100"));
        assert_eq!(lead.company_size, Some(1200));
        assert_eq!(
            (lead.source.as_deref(), lead.source_detail.as_deref()),
            (Some("social"), Some("LinkedIn"))
        );
        assert_eq!(lead.tags, ["vip"]);
        assert_eq!(lead.attributes["tier"], "gold");

        let cleared = [
            (LeadField::Text(Field::Phone), ""),
            (LeadField::Untag, "VIP"),
            (LeadField::Attribute, "tier="),
        ];
        for (field, value) in cleared {
            assert_eq!(lead.set_field(field, value), Ok(None), "{field:?}");
        }
        assert_eq!(lead.phone, None);
        assert!(lead.tags.is_empty() && lead.attributes.is_empty());

        let warning = lead.set_field(LeadField::Source, "referal").unwrap();
        assert_eq!(
            warning.as_deref(),
            Some("source 'referal' taken as the known source 'referral'")
        );
        for (field, value) in [
            (LeadField::Email, "bob@"),
            (LeadField::CompanySize, "1.5"),
            (LeadField::Source, "!!"),
            (LeadField::Attribute, "tier"),
            (LeadField::Attribute, "=gold"),
        ] {
            assert!(lead.set_field(field, value).is_err(), "{field:?} {value:?}");
        }
    }

    #[test]
    fn every_text_field_can_be_set_and_no_other_as_text() {
        let mut lead = Lead::default();
        for spec in crate::model::FIELDS {
            let set = lead.set_field(LeadField::Text(spec.field), " typed ");
            if spec.kind == crate::model::Kind::Text {
                assert_eq!(set, Ok(None), "{}", spec.name);
                assert_eq!(lead.json_value(spec.field), "typed", "{}", spec.name);
            } else {
                assert_eq!(set, Err(format!("{} is not a text field", spec.name)));
            }
        }
    }

    #[test]
    fn a_lead_needs_something_to_recognise_it_by() {
        let mut lead = Lead::default();
        assert!(lead.check_identity().is_err());
        lead.set_field(LeadField::Text(Field::Company), "Acme")
            .unwrap();
        assert_eq!(lead.check_identity(), Ok(()));
    }

    #[test]
    fn appended_notes_are_lines() {
        let cases: [(Option<&str>, &str, Option<&str>); 5] = [
            (None, "called", Some("called")),
            (Some("met at expo"), "called", Some("met at expo\ncalled")),
            (
                Some("met at expo\n"),
                " called ",
                Some("met at expo\ncalled"),
            ),
            (Some("met at expo"), "  ", Some("met at expo")),
            (Some(""), "called", Some("called")),
        ];
        for (before, line, after) in cases {
            let mut notes = before.map(str::to_string);
            append_note(&mut notes, line);
            assert_eq!(notes.as_deref(), after, "{before:?} + {line:?}");
        }
    }
}

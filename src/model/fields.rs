//! The contract's lead fields, declared once: each field's name (its JSON key, its `leads
//! export` column, the name rules and `import --map` use), what kind of value it holds,
//! which lists it belongs to, and its label in `leads show`.
//!
//! Every other list of fields is derived from this table: `Lead::to_json` and the CSV
//! export write `FIELDS` in order, scoring rules accept the fields marked `RULE`, an
//! import fills those marked `IMPORT` and drops those marked `COMPUTED` from a file `leads
//! export` wrote, `export --redact` masks those marked `PERSONAL`, `show` labels each row
//! by its label, and `add`/`edit` set a `Kind::Text` field through `Lead::text_mut`. Code
//! that needs a field's value matches on `Field`, so a field added here fails to compile
//! until every representation knows it. Where a list keeps its own order or SQL (the
//! store's columns, bound by position; `show`'s layout; `forget`'s erasing; `merge`), a
//! test beside it checks it against this table. Header synonyms stay in `io::mapping`.

/// How a field's values are read and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, kept as typed (trimmed).
    Text,
    /// The display name (computed), or a whole name to split (an import's, `add NAME`).
    Name,
    /// An email address, checked and kept in one form.
    Email,
    /// A source, read onto the known ones.
    Source,
    /// A whole number (the row id, a number of employees).
    Count,
    /// One of `Status`.
    Status,
    /// A list of tags.
    Tags,
    /// A JSON object of the attributes an import kept.
    Attributes,
    /// Yes or no.
    Flag,
    /// A moment, RFC 3339 in the contract.
    Date,
    /// A qualification answer (`Answer`).
    Answer,
    /// A score from 0 to 100 (computed).
    Score,
    /// A letter grade (computed).
    Grade,
    /// A probability from 0 to 1 (computed by `learn`).
    Probability,
    /// An amount of money.
    Amount,
}

/// A column of the CSV export (every field but `forgotten`, which only JSON carries).
const EXPORT: u8 = 1;
/// A scoring rule may name it (`leads config rule add`).
const RULE: u8 = 1 << 1;
/// A column of an imported file can fill it (by its name, a synonym or `--map`).
const IMPORT: u8 = 1 << 2;
/// Computed here: a column of that name in a file `leads export` wrote is dropped on
/// import, and the value recomputed.
const COMPUTED: u8 = 1 << 3;

/// It may name or reach the person (a name, an address, a number, free text about
/// them): `export --redact` masks it. (`forget` erases more: see `store::privacy`.)
const PERSONAL: u8 = 1 << 4;

/// One field of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: Field,
    /// The JSON key, the CSV column, the name rules and `--map` use.
    pub name: &'static str,
    pub kind: Kind,
    flags: u8,
    /// Its label in `leads show`; `None` when `show` presents it otherwise (the name in
    /// the title line, the scores in their own section, attributes under their keys).
    pub label: Option<&'static str>,
}

impl FieldSpec {
    pub fn exported(&self) -> bool {
        self.flags & EXPORT != 0
    }
    pub fn rule(&self) -> bool {
        self.flags & RULE != 0
    }
    pub fn importable(&self) -> bool {
        self.flags & IMPORT != 0
    }
    pub fn computed(&self) -> bool {
        self.flags & COMPUTED != 0
    }
    pub fn personal(&self) -> bool {
        self.flags & PERSONAL != 0
    }
}

/// Declares `Field` and `FIELDS` from one list, so that the enum and the table cannot
/// drift apart (`Field::spec` indexes the table by the variant).
macro_rules! fields {
    ($($variant:ident => $name:literal, $kind:ident, $flags:expr, $label:expr;)*) => {
        /// A field of the contract's lead, in the order of its JSON keys.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $($variant),*
        }

        /// Every field, in the contract's order (JSON keys, CSV columns).
        pub const FIELDS: &[FieldSpec] = &[
            $(FieldSpec {
                field: Field::$variant,
                name: $name,
                kind: Kind::$kind,
                flags: $flags,
                label: $label,
            }),*
        ];
    };
}

fields! {
    Id => "id", Count, EXPORT | COMPUTED, None;
    FirstName => "first_name", Text, EXPORT | RULE | IMPORT | PERSONAL, None;
    LastName => "last_name", Text, EXPORT | RULE | IMPORT | PERSONAL, None;
    // The display name: computed from the names (or the company) in an export, but a
    // whole name in another tool's file, split into first and last.
    Name => "name", Name, EXPORT | RULE | IMPORT | COMPUTED, None;
    Email => "email", Email, EXPORT | RULE | IMPORT | PERSONAL, Some("email");
    Phone => "phone", Text, EXPORT | RULE | IMPORT | PERSONAL, Some("phone");
    Company => "company", Text, EXPORT | RULE | IMPORT, Some("company");
    Title => "title", Text, EXPORT | RULE | IMPORT, Some("title");
    Industry => "industry", Text, EXPORT | RULE | IMPORT, Some("industry");
    CompanySize => "company_size", Count, EXPORT | RULE | IMPORT, Some("company size");
    Country => "country", Text, EXPORT | RULE | IMPORT, Some("country");
    Website => "website", Text, EXPORT | RULE | IMPORT | PERSONAL, Some("website");
    Source => "source", Source, EXPORT | RULE | IMPORT, Some("source");
    SourceDetail => "source_detail", Text, EXPORT | RULE | IMPORT | PERSONAL, Some("source detail");
    Status => "status", Status, EXPORT | RULE | IMPORT, Some("status");
    Tags => "tags", Tags, EXPORT | RULE | IMPORT, Some("tags");
    Notes => "notes", Text, EXPORT | RULE | IMPORT | PERSONAL, Some("notes");
    Attributes => "attributes", Attributes, EXPORT | IMPORT, None;
    ExternalId => "external_id", Text, EXPORT | RULE | IMPORT | PERSONAL, Some("external id");
    Incentivized => "incentivized", Flag, EXPORT | RULE | IMPORT, Some("incentivized");
    Aware => "aware", Flag, EXPORT | RULE | IMPORT, Some("aware of a sales follow-up");
    DoNotContact => "do_not_contact", Flag, EXPORT | RULE | IMPORT, Some("do not contact");
    CreatedAt => "created_at", Date, EXPORT | RULE | IMPORT, Some("created");
    UpdatedAt => "updated_at", Date, EXPORT | RULE | IMPORT, Some("updated");
    Budget => "budget", Answer, EXPORT | RULE | IMPORT, Some("budget");
    Authority => "authority", Answer, EXPORT | RULE | IMPORT, Some("authority");
    Need => "need", Text, EXPORT | RULE | IMPORT | PERSONAL, Some("need");
    Timeline => "timeline", Date, EXPORT | RULE | IMPORT, Some("timeline");
    Fit => "fit", Score, EXPORT | COMPUTED, None;
    Engagement => "engagement", Score, EXPORT | COMPUTED, None;
    Readiness => "readiness", Score, EXPORT | COMPUTED, None;
    Score => "score", Score, EXPORT | COMPUTED, None;
    Grade => "grade", Grade, EXPORT | COMPUTED, None;
    WinProbability => "win_probability", Probability, EXPORT | COMPUTED, Some("win probability");
    NextFollowUp => "next_follow_up", Date, EXPORT | COMPUTED, Some("next follow-up");
    LastTouchAt => "last_touch_at", Date, EXPORT | COMPUTED, Some("last touch");
    // What a won deal brought: imported from a CRM's amount column, not (yet) a rule's.
    DealValue => "deal_value", Amount, EXPORT | IMPORT, Some("deal value");
    // The seller the lead belongs to: the seller's name, not the lead's, so not personal.
    Owner => "owner", Text, EXPORT | RULE | IMPORT, Some("owner");
    // Only JSON says a lead was erased; tables mark it after the name.
    Forgotten => "forgotten", Flag, COMPUTED, None;
}

impl Field {
    /// The field's row of the table.
    pub fn spec(self) -> &'static FieldSpec {
        &FIELDS[self as usize]
    }

    /// Its name in the contract (JSON key, CSV column, rules, `--map`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn kind(self) -> Kind {
        self.spec().kind
    }

    /// Its label in `leads show`, when it has a row there.
    pub fn label(self) -> Option<&'static str> {
        self.spec().label
    }

    /// The field of this exact name.
    pub fn named(name: &str) -> Option<Field> {
        FIELDS
            .iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.field)
    }
}

fn fields_with(flag: u8) -> impl Iterator<Item = Field> {
    FIELDS
        .iter()
        .filter(move |spec| spec.flags & flag != 0)
        .map(|spec| spec.field)
}

/// The CSV export's columns, in order.
pub fn exported_fields() -> impl Iterator<Item = Field> {
    fields_with(EXPORT)
}

/// The fields a scoring rule may name, in order.
pub fn rule_fields() -> impl Iterator<Item = Field> {
    fields_with(RULE)
}

/// The fields that may name or reach the person (`export --redact` masks them), in order.
pub fn personal_fields() -> impl Iterator<Item = Field> {
    fields_with(PERSONAL)
}

/// The fields a column of an imported file can fill, in order.
pub fn importable_fields() -> impl Iterator<Item = Field> {
    fields_with(IMPORT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_indexes_its_own_row() {
        for (index, spec) in FIELDS.iter().enumerate() {
            assert_eq!(spec.field as usize, index, "{}", spec.name);
            assert_eq!(spec.field.spec().name, spec.name);
            assert_eq!(Field::named(spec.name), Some(spec.field));
        }
    }

    #[test]
    fn names_and_labels_are_unique() {
        let names: std::collections::HashSet<_> = FIELDS.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), FIELDS.len());
        let labels: Vec<_> = FIELDS.iter().filter_map(|s| s.label).collect();
        let unique: std::collections::HashSet<_> = labels.iter().collect();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
    }

    #[test]
    fn the_lists_differ_where_the_contract_says() {
        let not_exported: Vec<_> = FIELDS.iter().filter(|s| !s.exported()).collect();
        assert_eq!(
            not_exported.iter().map(|s| s.name).collect::<Vec<_>>(),
            ["forgotten"]
        );
        // A computed value is never one a rule names but the display name.
        for spec in FIELDS.iter().filter(|s| s.computed() && s.rule()) {
            assert_eq!(spec.name, "name");
        }
        assert_eq!(fields_with(EXPORT).count(), 38);
        assert_eq!(fields_with(RULE).count(), 27);
        assert_eq!(fields_with(IMPORT).count(), 29);
    }
}

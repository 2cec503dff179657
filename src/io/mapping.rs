//! Header mapping: which lead field a column of another tool's export fills.
//!
//! Headers are compared without case, spaces or punctuation ("E-mail Address",
//! "email_address" and "EMAIL ADDRESS" are one name), against the column names of common
//! CRM (Salesforce, HubSpot, Zoho, Pipedrive), marketing (Mailchimp, Eventbrite) and
//! address-book (Google Contacts, Outlook) exports, and `leads export`'s own. `--map`
//! overrides; every column left unmapped is kept in the lead's `attributes`.

mod content;

use std::collections::{HashMap, HashSet};

use self::content::{are_statuses, field_by_values, some_values};
pub use self::content::{is_domain, is_rounded_number};
// Header keys are compared squashed (the one squasher, in `model`).
use crate::model::{importable_fields, squash, FIELDS};

/// A lead field a column can fill: the contract's fields marked importable (a whole
/// name fills `Field::Name`, split into first and last; honorifics found in a title are
/// kept in attributes; `DoNotContact` takes any "do not email / call / opt out" flag, one
/// true value enough; `DealValue` is the amount of a won deal, never a company's annual
/// revenue: that is its size).
pub use crate::model::Field;

/// The field `--map 'Header=FIELD'` names (its contract name, or any known header).
pub fn field_named(text: &str) -> Option<Field> {
    let key = squash(text);
    importable_fields()
        .find(|field| squash(field.name()) == key)
        .or_else(|| field_for_header(text))
}

/// The header of a CSV rejects file's first column: why each row was rejected.
pub const REJECTS_ERROR_COLUMN: &str = "error";

/// What to do with one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Field(Field),
    /// Kept verbatim in `attributes` under the header.
    Attribute,
    /// Dropped (`--map 'Header=-'`, or a value `leads` computes itself).
    Drop,
}

/// A `--map 'Header=field'` (or `'Header=-'`) given by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub header: String,
    pub target: Target,
}

/// Parse `Header=field` or `Header=-`.
pub fn parse_override(text: &str) -> Result<Override, String> {
    let (header, field) = text.rsplit_once('=').ok_or_else(|| {
        format!("--map '{text}': expected HEADER=FIELD (e.g. 'E-mail 2=email') or HEADER=- to drop")
    })?;
    let target = match field.trim() {
        "-" => Target::Drop,
        name => Target::Field(field_named(name).ok_or_else(|| {
            format!(
                "--map '{text}': unknown field '{name}' (expected one of: {}, or - to drop)",
                importable_fields()
                    .map(Field::name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?),
    };
    Ok(Override {
        header: header.trim().to_string(),
        target,
    })
}

/// Does this attribute come from a status or source column the import could not use (an
/// unknown status such as "Closed - Lost to competitor")? Such a value may spell out the
/// outcome: the win-probability model never sees it.
pub fn outcome_column(header: &str) -> bool {
    matches!(
        field_for_header(header),
        Some(Field::Status | Field::Source)
    )
}

/// The field a header names in the exports we know, if any.
pub fn field_for_header(header: &str) -> Option<Field> {
    let key = squash(header);
    let known = |key: &str| {
        person_field(key)
            .or_else(|| organization_field(key))
            .or_else(|| record_field(key))
    };
    // Close's and others' own fields: `custom.Lead Source`.
    known(&key).or_else(|| {
        key.strip_prefix("custom")
            .filter(|rest| rest.len() > 2)
            .and_then(known)
    })
}

/// The person: names, email, phone (in the languages spreadsheets are written in).
fn person_field(key: &str) -> Option<Field> {
    let field = match key {
        "firstname" | "first" | "givenname" | "forename" | "fname" | "buyerfirstname"
        | "contactfirstname" | "vorname" | "prénom" | "prenom" | "nombre" | "primeironome"
        | "nome" | "voornaam" => Field::FirstName,
        "lastname" | "last" | "surname" | "familyname" | "lname" | "buyerlastname"
        | "contactlastname" | "nachname" | "familienname" | "nom" | "nomdefamille" | "apellido"
        | "apellidos" | "sobrenome" | "apelido" | "cognome" | "achternaam" => Field::LastName,
        "name" | "fullname" | "contactname" | "leadname" | "displayname" | "attendeename"
        | "personname" | "nameoriginalname" | "primarycontactname" | "nomcomplet"
        | "nombrecompleto" | "nomecompleto" | "vollständigername" | "naam" | "volledigenaam" => {
            Field::Name
        }
        "email"
        | "emailaddress"
        | "email1"
        | "email1value"
        | "emailaddress1"
        | "workemail"
        | "businessemail"
        | "primaryemail"
        | "emails"
        | "buyeremail"
        | "contactemail"
        | "courriel"
        | "correo"
        | "correoelectrónico"
        | "correoelectronico"
        | "personemail"
        | "personemailwork"
        | "personemailhome"
        | "personemailother"
        | "emailaddress1value"
        | "emailfrom"
        | "useremail"
        | "primarycontactemail"
        | "emailadresse"
        | "emailadres"
        | "adresseemail"
        | "adressemail"
        | "adresseélectronique"
        | "postaelettronica"
        | "endereçodeemail"
        | "correoelectrónicodelcontacto" => Field::Email,
        "phone"
        | "phonenumber"
        | "telephone"
        | "tel"
        | "businessphone"
        | "workphone"
        | "mobile"
        | "mobilephone"
        | "cellphone"
        | "mobilenumber"
        | "primaryphone"
        | "phone1value"
        | "phone1"
        | "officephone"
        | "directphone"
        | "telefon"
        | "téléphone"
        | "teléfono"
        | "telefono"
        | "mobil"
        | "handy"
        | "portable"
        | "mobilephonenumber"
        | "personphone"
        | "personphonework"
        | "personphonemobile"
        | "personphonehome"
        | "personphoneother"
        | "primarycontactphone"
        | "telefonnummer"
        | "handynummer"
        | "mobilnummer"
        | "numérodetéléphone"
        | "telefone"
        | "celular"
        | "móvil"
        | "movil"
        | "cellulare"
        | "telefoon"
        | "telefoonnummer"
        | "mobiel" => Field::Phone,
        _ => return None,
    };
    Some(field)
}

/// Where the person works, and what they do there.
fn organization_field(key: &str) -> Option<Field> {
    let field = match key {
        "company" | "companyname" | "organization" | "organisation" | "organizationname"
        | "organisationname" | "organization1name" | "account" | "accountname" | "employer"
        | "org" | "firma" | "unternehmen" | "société" | "societe" | "entreprise" | "empresa"
        | "personorganization" | "organizationname1" | "partnername" | "companyaccount"
        | "defaultaddresscompany" | "firmenname" | "raisonsociale" | "nombredelaempresa"
        | "organización" | "organizacion" | "azienda" | "società" | "ragionesociale"
        | "bedrijf" | "bedrijfsnaam" | "organisatie" => Field::Company,
        "title" | "jobtitle" | "position" | "jobposition" | "role" | "jobrole"
        | "organization1title" | "organizationtitle" | "designation" | "personjobtitle"
        // Google Contacts' "Occupation", Outlook's "Profession", a sign-up form's question.
        | "occupation" | "profession" | "currentoccupation" | "whatisyourcurrentoccupation"
        | "berufsbezeichnung" | "funktion" | "poste" | "fonction" | "cargo" | "puesto"
        | "ruolo" | "functie" | "functietitel" => Field::Title,
        "industry" | "sector" | "vertical" | "branche" | "secteur" | "secteurdactivité"
        | "industria" | "setor" | "settore" => Field::Industry,
        "companysize" | "employees" | "numberofemployees" | "noofemployees" | "employeecount"
        | "headcount" | "mitarbeiter" | "mitarbeiteranzahl" | "anzahlmitarbeiter" | "effectif"
        | "empleados" | "funcionários" | "funcionarios" | "dipendenti" | "medewerkers"
        | "aantalmedewerkers" => Field::CompanySize,
        "country"
        | "countryregion"
        | "businesscountryregion"
        | "mailingcountry"
        | "address1country"
        | "countryname"
        | "billingcountry"
        | "homecountryregion"
        | "othercountryregion"
        | "workcountry"
        | "homecountry"
        | "primaryaddresscountry"
        | "altaddresscountry"
        | "cc"
        | "land"
        | "pays"
        | "país"
        | "pais"
        | "paese"
        | "nazione"
        | "countryid" => Field::Country,
        "website" | "web" | "webpage" | "webaddress" | "businesswebpage" | "companywebsite"
        | "website1value" | "url" | "homepage" | "websiteurl" | "webpage1" | "webseite"
        | "internetseite" | "siteweb" | "siteinternet" | "sitioweb" | "paginaweb" | "sitoweb" => {
            Field::Website
        }
        _ => return None,
    };
    Some(field)
}

/// What the other tool recorded: source, status, tags, notes, ids, flags, dates, the
/// qualification answers, the deal's amount.
fn record_field(key: &str) -> Option<Field> {
    let field = match key {
        "source" | "leadsource" | "originalsource" | "contactsource" | "leadleadsource"
        // Where the lead first met the seller: the first touch of attribution reports.
        | "firstinteraction" | "firsttouch" | "firsttouchchannel" | "acquisitionchannel"
        | "origin" | "howdidyouhearaboutus" | "quelle" | "leadquelle" | "herkunft" | "origine"
        | "fuente" | "origen" | "origem" | "fonte" | "bron" | "herkomst" => Field::Source,
        "sourcedetail"
        | "campaign"
        | "campaignname"
        | "originalsourcedrilldown1"
        | "utmcampaign"
        | "eventname" => Field::SourceDetail,
        "status" | "leadstatus" | "statut" | "estado" | "stato" => Field::Status,
        "tags" | "tag" | "labels" | "categories" | "groupmembership" | "personlabels"
        | "personlabel" | "leadlabels" | "tagids" | "schlagwörter" | "étiquettes"
        | "etiquettes" | "etiquetas" | "etichette" => Field::Tags,
        "notes" | "note" | "description" | "comments" | "comment" | "notiz" | "notizen"
        | "bemerkung" | "bemerkungen" | "kommentar" | "remarque" | "remarques"
        | "commentaire" | "commentaires" | "nota" | "notas" | "observaciones" | "opmerking"
        | "opmerkingen" | "notities" => Field::Notes,
        "attributes" => Field::Attributes,
        "externalid" | "id" | "recordid" | "recordidcontact" | "leadid" | "contactid" | "leid"
        | "attendee" | "attendeeid" | "personid" | "prospectid" | "leadleadid" => Field::ExternalId,
        "incentivized" => Field::Incentivized,
        "aware" => Field::Aware,
        "donotcontact" | "donotemail" | "donotcall" | "emailoptout" | "optedout"
        | "unsubscribed" | "hasoptedoutofemail" | "donotmail" => Field::DoNotContact,
        "createdat"
        | "createddate"
        | "createdate"
        | "created"
        | "datecreated"
        | "creationdate"
        | "createdtime"
        | "createtime"
        | "optintime"
        | "dateadded"
        | "signupdate"
        | "connectedon"
        | "personpersoncreated"
        | "leadleadcreated"
        | "orderdate"
        | "erstelltam"
        | "angelegtam"
        | "erstellungsdatum"
        | "datedecréation"
        | "datedecreation"
        | "fechadecreación"
        | "fechadecreacion"
        | "datadecriação"
        | "datadecriacao"
        | "datadicreazione"
        | "aanmaakdatum"
        | "aangemaaktop" => Field::CreatedAt,
        "budget" => Field::Budget,
        "authority" => Field::Authority,
        "need" => Field::Need,
        "timeline" => Field::Timeline,
        // Deal amounts (Salesforce, HubSpot, Pipedrive); "Annual Revenue" is left out on
        // purpose: it is the company's size, not what the deal brought.
        "dealvalue" | "amount" | "opportunityamount" | "dealamount" | "wonamount"
        | "expectedrevenue" | "closevalue" => Field::DealValue,
        // The seller a CRM assigns the record to (see `OWNER_HEADERS`).
        key if crate::model::OWNER_HEADERS.contains(&key) => Field::Owner,
        _ => return None,
    };
    Some(field)
}

/// How the columns of one file map to lead fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// One target per column, in the file's order.
    pub targets: Vec<Target>,
    /// One key per column, unique: where a value it cannot use is kept in `attributes`.
    pub keys: Vec<String>,
    /// The file was written by `leads export`: its values are already in our vocabulary.
    pub leads_export: bool,
    /// Why each column maps as it does (for `--dry-run`).
    pub reasons: Vec<Why>,
    /// What to say once about the file's columns (a status column that holds no lead
    /// status).
    pub warnings: Vec<String>,
}

/// Why a column maps as it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `--map`.
    Map,
    /// Its header is a name the exports we know use.
    Name,
    /// Its values look like what the field holds (the words say what they look like).
    Values(&'static str),
    /// Its name says status but its values are not lead statuses.
    NotStatuses,
    /// Another column says what the name is for (an opportunity's title beside a
    /// contact's name, a salutation beside a job title).
    Beside(&'static str),
    /// A value `leads` computes itself, or a rejects file's reason.
    Computed,
    /// Neither its name nor its values name a field.
    Unknown,
}

impl Why {
    fn describe(self) -> &'static str {
        match self {
            Why::Map => "--map",
            Why::Name => "its name",
            Why::Values(what) | Why::Beside(what) => what,
            Why::NotStatuses => "its values are not lead statuses",
            Why::Computed => "computed by leads",
            Why::Unknown => "neither its name nor its values name a field",
        }
    }
}

/// Every `--map` must name a column of the file (a typo would otherwise do nothing).
pub fn check_overrides(headers: &[String], overrides: &[Override]) -> Result<(), String> {
    for wanted in overrides {
        let key = squash(&wanted.header);
        if !headers.iter().any(|h| squash(h) == key) {
            return Err(format!(
                "--map: no column '{}' in the file (its columns: {})",
                wanted.header,
                headers.join(", ")
            ));
        }
    }
    Ok(())
}

/// Is this header named by a `--map`?
pub fn overridden(header: &str, overrides: &[Override]) -> bool {
    let key = squash(header);
    overrides.iter().any(|o| squash(&o.header) == key)
}

/// Map a file's headers, `--map` overrides first. Several columns may map to one field:
/// the first non-empty value wins and the others are kept in attributes (see `leads_in`).
pub fn map_headers(headers: &[String], overrides: &[Override]) -> Mapping {
    let squashed: Vec<String> = headers.iter().map(|h| squash(h)).collect();
    let has = |name: &str| squashed.iter().any(|h| h == name);
    let leads_export = ["externalid", "attributes", "donotcontact"]
        .iter()
        .all(|name| has(name));
    // Outlook's "Title" is the salutation ("Dr.", "Docteur") when a "Job Title" exists.
    let title_is_salutation = has("jobtitle");
    // Odoo's `name` is the opportunity's title when a `contact_name` names the person;
    // Close's `display_name` is the company's beside its `primary_contact_name`.
    let name_is_not_a_person = has("contactname") || has("primarycontactname");
    let (targets, reasons) = headers
        .iter()
        .zip(&squashed)
        .enumerate()
        .map(|(index, (header, key))| {
            if let Some(wanted) = overrides.iter().find(|o| squash(&o.header) == *key) {
                return (wanted.target.clone(), Why::Map);
            }
            // A rejects file's reason, fixed and imported again: not the lead's data.
            if index == 0 && header == REJECTS_ERROR_COLUMN {
                return (Target::Drop, Why::Computed);
            }
            if leads_export {
                // The values `leads export` writes that are computed here (scores, the
                // display name, the other database's row id, whether it was forgotten):
                // recomputed, so dropped.
                if FIELDS
                    .iter()
                    .any(|spec| spec.computed() && squash(spec.name) == *key)
                {
                    return (Target::Drop, Why::Computed);
                }
                if key == "updatedat" {
                    return (Target::Field(Field::UpdatedAt), Why::Name);
                }
            }
            if title_is_salutation && key == "title" {
                return (
                    Target::Attribute,
                    Why::Beside("a salutation beside a Job Title"),
                );
            }
            if name_is_not_a_person && key == "name" {
                return (
                    Target::Attribute,
                    Why::Beside("an opportunity's title beside a contact's name"),
                );
            }
            if name_is_not_a_person && key == "displayname" {
                return (
                    Target::Field(Field::Company),
                    Why::Beside("the company beside a contact's name"),
                );
            }
            match field_for_header(header) {
                Some(field) => (Target::Field(field), Why::Name),
                None => (Target::Attribute, Why::Unknown),
            }
        })
        .unzip();
    Mapping {
        targets,
        keys: unique_keys(headers),
        leads_export,
        reasons,
        warnings: Vec::new(),
    }
}

impl Mapping {
    /// Does any column need its values looked at (a column no name maps, or a status
    /// column)? If not, the reader need not sample the file.
    pub fn wants_values(&self) -> bool {
        !self.leads_export
            && self.targets.iter().zip(&self.reasons).any(|(target, why)| {
                matches!(
                    (target, why),
                    (Target::Attribute, Why::Unknown) | (Target::Field(Field::Status), Why::Name)
                )
            })
    }

    /// Let the values decide where the names did not: `values(column)` gives a sample of
    /// a column's cells (the file's first rows). A column mapped by its name stays, but a
    /// status column whose values are not lead statuses goes to attributes, said once.
    pub fn by_values<'v>(&mut self, headers: &[String], values: impl Fn(usize) -> Vec<&'v str>) {
        if self.leads_export {
            return;
        }
        for (column, header) in headers.iter().enumerate().take(self.targets.len()) {
            let why = self.reasons[column];
            match (&self.targets[column], why) {
                (Target::Field(Field::Status), Why::Name) => {
                    let sample = values(column);
                    if !sample.iter().all(|value| value.trim().is_empty()) && !are_statuses(&sample)
                    {
                        self.targets[column] = Target::Attribute;
                        self.reasons[column] = Why::NotStatuses;
                        self.warnings.push(format!(
                            "column '{header}': its values ({}, ...) are not lead statuses: \
                             kept in attributes, the leads' status is new",
                            some_values(&sample)
                        ));
                    }
                }
                (Target::Attribute, Why::Unknown) => {
                    let sample = values(column);
                    let taken = |field: Field| self.targets.contains(&Target::Field(field));
                    if let Some((field, what)) = field_by_values(header, &sample, taken) {
                        self.targets[column] = Target::Field(field);
                        self.reasons[column] = Why::Values(what);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Each column's name in `attributes`: its header, made unique in linear time ("Email",
/// "Email (2)", ...; an empty header is "column"), whatever the number of duplicates.
pub fn unique_keys(headers: &[String]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::with_capacity(headers.len());
    let mut next: HashMap<String, usize> = HashMap::new();
    headers
        .iter()
        .map(|header| {
            let base = match header.trim() {
                "" => "column",
                trimmed => trimmed,
            };
            if used.insert(base.to_string()) {
                return base.to_string();
            }
            let count = next.entry(base.to_string()).or_insert(1);
            loop {
                *count += 1;
                let key = format!("{base} ({count})");
                if used.insert(key.clone()) {
                    return key;
                }
            }
        })
        .collect()
}

impl Mapping {
    /// How each column maps, for `--dry-run`: (header, "field name" / "attributes" /
    /// "dropped", and why).
    /// A field that sends some values elsewhere says so, so the dry run tells what the
    /// import will really do.
    pub fn describe(&self, headers: &[String]) -> Vec<(String, &'static str, String)> {
        headers
            .iter()
            .zip(&self.targets)
            .zip(&self.reasons)
            .map(|((header, target), why)| {
                let (to, also) = match target {
                    Target::Field(Field::Website) => {
                        ("website", "; a LinkedIn profile URL goes to attributes")
                    }
                    Target::Field(Field::Title) => (
                        "title",
                        "; a salutation such as Mr. or Dr. goes to attributes",
                    ),
                    Target::Field(field) => (field.name(), ""),
                    Target::Attribute => ("attributes", ""),
                    Target::Drop => ("dropped", ""),
                };
                (header.clone(), to, format!("{}{also}", why.describe()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;

//! People's names: splitting a full name into first and last, and the one list of honorifics.

/// Split a full name into first and last name.
///
/// - "Ada King Lovelace" -> ("Ada", "King Lovelace"): the first word is the first name and
///   the rest the last name (a middle name cannot be told from a compound surname such as
///   "García Márquez", and this way nothing typed is lost).
/// - "Lovelace, Ada" -> ("Ada", "Lovelace").
/// - An honorific (Dr., Mr, Mrs, Ms, Prof., Sir, ...) is dropped: it is no name, and the
///   lead's title is the job title. "Dr. Smith" is a last name alone.
/// - A suffix (Jr., Sr., II, III, PhD, MD, Esq.) stays at the end of the last name: it tells
///   a father from his son. "Dr. Martin Luther King Jr." -> ("Martin", "Luther King Jr.").
/// - A name that starts with surname particles ("van der Berg", "de la Cruz", "von Trapp",
///   "al-Rashid") is a last name alone; particles after the first name stay in the last
///   name ("Ludwig van Beethoven" -> "van Beethoven"). A capitalised "Van" followed by a
///   plain word is a first name ("Van Morrison").
pub fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let join = |words: &[&str]| (!words.is_empty()).then(|| words.join(" "));
    // Stray commas ("Lovelace, ", ", Ada") are punctuation, not part of a name.
    let full = full
        .trim()
        .trim_matches(|c: char| c == ',' || c.is_whitespace());
    if full.is_empty() {
        return (None, None);
    }
    // "Lovelace, Ada" (but "King, Jr." is a suffix, not a first name).
    if let Some((last, first)) = full.split_once(',') {
        let (first, last) = (first.trim(), last.trim());
        let suffix_only = first.split_whitespace().all(is_name_suffix);
        if !first.is_empty() && !last.is_empty() && !first.contains(',') && !suffix_only {
            let given: Vec<&str> = first
                .split_whitespace()
                .filter(|word| !is_honorific(word))
                .collect();
            return (join(&given), Some(last.to_string()));
        }
    }
    let mut words: Vec<&str> = full
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
        .collect();
    let mut honorific = false;
    while words.len() > 1 && is_honorific(words[0]) {
        words.remove(0);
        honorific = true;
    }
    let names_end = words
        .iter()
        .rposition(|word| !is_name_suffix(word))
        .map_or(words.len(), |last_name| last_name + 1)
        .max(1);
    let (names, suffixes) = words.split_at(names_end);
    let last_name = |words: &[&str]| join(&[words, suffixes].concat());
    let leading_particle = match names {
        [first, second, ..] => {
            is_particle(first) && (first.starts_with(char::is_lowercase) || is_particle(second))
        }
        _ => false,
    } || names
        .first()
        .is_some_and(|first| is_hyphenated_particle(first));
    if leading_particle || (honorific && names.len() == 1) {
        return (None, last_name(names));
    }
    match names {
        [first, rest @ ..] => (Some(first.to_string()), last_name(rest)),
        [] => (None, None),
    }
}

/// "Dr", "Dr.", "mrs", "Prof.", "Mme": a form of address, not a name (nor, in an Outlook
/// "Title" column, a job title). The one list of them.
pub fn is_honorific(word: &str) -> bool {
    let key: String = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        key.as_str(),
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "mx"
            | "dr"
            | "prof"
            | "professor"
            | "sir"
            | "dame"
            | "rev"
            | "revd"
            | "fr"
            | "hon"
            | "lord"
            | "lady"
            | "herr"
            | "frau"
            | "madam"
            | "mme"
            | "mlle"
    )
}

/// "Jr.", "III", "PhD": after a surname, part of it.
/// A whole name that may carry a job title after a comma: `Sarah O'Connor, CFO` is Sarah
/// O'Connor, title CFO; `Lovelace, Ada` is still Ada Lovelace (the words after the comma
/// do not read as a title).
pub fn split_name_and_title(full: &str) -> (Option<String>, Option<String>, Option<String>) {
    if let Some((name, title)) = full.split_once(',') {
        let (name, title) = (name.trim(), title.trim());
        if !name.is_empty() && is_job_title(title) {
            let (first, last) = split_name(name);
            return (first, last, Some(title.to_string()));
        }
    }
    let (first, last) = split_name(full);
    (first, last, None)
}

/// Do these words read as a job title ("CFO", "Head of Sales", "VP Marketing")? Never a
/// name suffix ("Jr.", "PhD").
fn is_job_title(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    !words.is_empty()
        && !words.iter().all(|word| is_name_suffix(word))
        && words.iter().any(|word| {
            matches!(
                word.as_str(),
                "ceo"
                    | "cfo"
                    | "cto"
                    | "coo"
                    | "cmo"
                    | "cio"
                    | "cro"
                    | "cpo"
                    | "ciso"
                    | "vp"
                    | "svp"
                    | "evp"
                    | "avp"
                    | "president"
                    | "director"
                    | "manager"
                    | "head"
                    | "founder"
                    | "co-founder"
                    | "cofounder"
                    | "owner"
                    | "partner"
                    | "engineer"
                    | "developer"
                    | "consultant"
                    | "analyst"
                    | "officer"
                    | "chief"
                    | "principal"
                    | "assistant"
                    | "coordinator"
                    | "specialist"
                    | "executive"
                    | "administrator"
                    | "buyer"
                    | "accountant"
                    | "architect"
                    | "designer"
                    | "editor"
                    | "professor"
                    | "chair"
                    | "chairman"
                    | "chairwoman"
                    | "secretary"
                    | "treasurer"
                    | "representative"
                    | "rep"
                    | "recruiter"
                    | "advisor"
                    | "adviser"
                    | "supervisor"
                    | "lead"
                    | "sales"
                    | "marketing"
                    | "procurement"
                    | "purchasing"
                    | "operations"
                    | "geschäftsführer"
                    | "geschäftsführerin"
                    | "leiter"
                    | "leiterin"
                    | "inhaber"
                    | "inhaberin"
                    | "directeur"
                    | "directrice"
                    | "gérant"
                    | "gerente"
                    | "director general"
                    | "intern"
            )
        })
}

fn is_name_suffix(word: &str) -> bool {
    let word = word.trim_end_matches('.').replace('.', "").to_lowercase();
    matches!(
        word.as_str(),
        "jr" | "sr" | "ii" | "iii" | "iv" | "phd" | "md" | "esq" | "mba" | "dds" | "cpa"
    )
}

/// Surname particles: "van", "der", "de", "la", "von", "bin", "al-Rashid" ...
fn is_particle(word: &str) -> bool {
    let lower = word.to_lowercase();
    is_hyphenated_particle(word)
        || matches!(
            lower.as_str(),
            "van"
                | "von"
                | "der"
                | "den"
                | "de"
                | "del"
                | "della"
                | "la"
                | "le"
                | "du"
                | "di"
                | "da"
                | "dos"
                | "das"
                | "ter"
                | "ten"
                | "bin"
                | "ibn"
                | "al"
                | "el"
                | "zu"
        )
}

/// "al-Rashid", "el-Amin": a surname by its form.
fn is_hyphenated_particle(word: &str) -> bool {
    let lower = word.to_lowercase();
    (lower.starts_with("al-") || lower.starts_with("el-")) && lower.len() > 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_after_a_comma_is_a_title_not_a_first_name() {
        let cases = [
            ("Sarah O'Connor, CFO", ("Sarah", "O'Connor", Some("CFO"))),
            (
                "Jo Bloggs, Head of Sales",
                ("Jo", "Bloggs", Some("Head of Sales")),
            ),
            ("Lovelace, Ada", ("Ada", "Lovelace", None)),
            ("King, Jr.", ("King,", "Jr.", None)),
        ];
        for (full, (first, last, title)) in cases {
            let (f, l, t) = split_name_and_title(full);
            let expected = split_name(full);
            if title.is_none() {
                assert_eq!((f, l), expected, "{full}");
            } else {
                assert_eq!(
                    (f.as_deref(), l.as_deref()),
                    (Some(first), Some(last)),
                    "{full}"
                );
            }
            assert_eq!(t.as_deref(), title, "{full}");
        }
    }

    #[test]
    fn names_split_into_first_and_last() {
        let cases = [
            ("Ada Lovelace", Some("Ada"), Some("Lovelace")),
            ("Ada King Lovelace", Some("Ada"), Some("King Lovelace")),
            ("Lovelace, Ada", Some("Ada"), Some("Lovelace")),
            ("Cher", Some("Cher"), None),
            ("Lovelace, ", Some("Lovelace"), None),
            (", Ada", Some("Ada"), None),
            ("  ", None, None),
            (
                "Dr. Martin Luther King Jr.",
                Some("Martin"),
                Some("Luther King Jr."),
            ),
            (
                "Martin Luther King, Jr.",
                Some("Martin"),
                Some("Luther King Jr."),
            ),
            ("Sammy Davis Jr", Some("Sammy"), Some("Davis Jr")),
            (
                "Prof. Dr. Ada Lovelace PhD",
                Some("Ada"),
                Some("Lovelace PhD"),
            ),
            ("Mrs Lovelace", None, Some("Lovelace")),
            ("Lovelace, Dr. Ada", Some("Ada"), Some("Lovelace")),
            ("van der Berg", None, Some("van der Berg")),
            ("Van der Berg", None, Some("Van der Berg")),
            ("Anna van der Berg", Some("Anna"), Some("van der Berg")),
            ("de la Cruz", None, Some("de la Cruz")),
            ("María de la Cruz", Some("María"), Some("de la Cruz")),
            ("von Trapp", None, Some("von Trapp")),
            ("al-Rashid", None, Some("al-Rashid")),
            ("Van Morrison", Some("Van"), Some("Morrison")),
            ("Dr.", Some("Dr."), None),
            ("Henry III", Some("Henry"), Some("III")),
        ];
        for (full, first, last) in cases {
            let (f, l) = split_name(full);
            assert_eq!((f.as_deref(), l.as_deref()), (first, last), "{full}");
        }
    }
}

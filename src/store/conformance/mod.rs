//! The storage interface's conformance suite: what every engine behind `Store` must do
//! alike, checked through `Store`'s public methods only (no SQL), as taskchampion's
//! `storage/test.rs` checks each of its storage backends.
//!
//! Each check is a function of one freshly opened, empty store; `conformance_tests!`
//! turns every check into one `#[test]` for an engine:
//!
//! ```ignore
//! conformance_tests!(sqlite, || Store::open_in_memory().unwrap());
//! ```
//!
//! gives `store::conformance::sqlite::leads::every_field_round_trips` and the rest. The
//! factory returns anything `Opened`: a `Store`; a `(Store, TempDir)` to keep a file's
//! folder for the test's length; or an `Option` of either, None when the engine cannot run
//! here (a PostgreSQL engine without `LEADS_TEST_POSTGRES`), which skips the check saying
//! so on stderr. A new check is a `pub fn name(store: &Store)` in its area's file and one
//! name in the macro's list below (the compiler then runs it on every engine).
//!
//! What is checked is what leads decides, not what an engine happens to do: ids never
//! given twice, emails compared on a folded key, the rules the SQLite schema keeps with
//! triggers (an answer, a closing status, do-not-contact or forget end an enrollment),
//! forgotten people's digests, the orders of every list. Engine details (query plans,
//! WAL, journal modes) stay in the engine's own unit tests.
use chrono::{DateTime, Utc};

use super::Store;
use crate::model::Lead;

pub(crate) mod activities;
pub(crate) mod follow_ups;
pub(crate) mod import;
pub(crate) mod leads;
pub(crate) mod nurture;
pub(crate) mod privacy;
pub(crate) mod records;
pub(crate) mod report;

/// What an engine's factory gives a check: a store, or nothing when the engine cannot
/// run here.
pub trait Opened {
    fn store(&self) -> Option<&Store>;
}

impl Opened for Store {
    fn store(&self) -> Option<&Store> {
        Some(self)
    }
}

/// A store in a file, with the temporary folder that holds it (deleted after the check).
impl Opened for (Store, tempfile::TempDir) {
    fn store(&self) -> Option<&Store> {
        Some(&self.0)
    }
}

impl<T: Opened> Opened for Option<T> {
    fn store(&self) -> Option<&Store> {
        self.as_ref().and_then(Opened::store)
    }
}

/// Run one check on a store the factory opened (skipped, said, when there is none).
pub fn run(opened: impl Opened, check: fn(&Store)) {
    match opened.store() {
        Some(store) => check(store),
        None => eprintln!("skipped: this engine is not available here"),
    }
}

/// A file database in a temporary folder: the SQLite engine as commands open it (WAL,
/// secure delete, the journal switch of an import into an empty database).
pub fn sqlite_file() -> (Store, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(&folder.path().join("leads.db")).expect("a new database");
    (store, folder)
}

/// One `#[test]` per check for an engine: `conformance_tests!(NAME, FACTORY)`, the
/// factory a closure giving an `Opened` (see the module's doc).
macro_rules! conformance_tests {
    ($engine:ident, $open:expr) => {
        $crate::store::conformance::conformance_tests!(@engine $engine, $open;
            leads: [
                every_field_round_trips,
                empty_texts_big_numbers_and_times_round_trip,
                an_update_writes_every_field,
                an_unknown_lead_is_not_found,
                emails_match_without_case_beyond_ascii,
                external_ids_match_exactly,
                lead_ids_are_never_given_twice,
                lists_filter_by_status_source_and_since,
                lists_search_tags_grades_and_scores,
                lists_sort_in_every_order_and_stop_at_the_limit,
                work_lists_leave_out_who_may_not_be_contacted,
                identities_leave_out_forgotten_people,
                scores_are_saved_and_rescored,
                a_lead_exists_until_it_is_deleted,
            ],
            activities: [
                activities_are_logged_edited_and_deleted,
                the_days_refresh_is_long_from_so_many_activities,
                a_call_without_an_outcome_is_connected,
                touches_follow_the_activities,
                activity_ids_are_never_given_twice,
                status_changes_are_kept_in_order,
                an_unknown_activity_or_lead_status_is_not_found,
            ],
            follow_ups: [
                next_follow_up_is_the_earliest_open_one,
                open_follow_ups_by_due_time,
                a_follow_up_keeps_what_it_was_given,
                the_walk_stops_when_told_and_leaves_out_who_may_not_be_contacted,
                one_leads_follow_ups_open_first,
                follow_up_ids_are_never_given_twice,
                unknown_follow_ups_are_not_found,
            ],
            nurture: [
                cadence_names_are_unique_in_any_case_and_found_with_a_suggestion,
                a_cadence_name_is_one_by_leads_own_folding_on_either_engine,
                a_deleted_cadence_ends_its_enrollments_and_frees_its_name,
                an_answer_ends_the_enrollment_and_drops_its_open_step,
                the_trigger_ends_a_cadence_on_exactly_the_answers_the_domain_defines,
                a_status_do_not_contact_forget_or_delete_ends_it,
                an_enrollment_advances_step_by_step,
                one_active_cadence_per_lead,
                tallies_count_each_way_out,
            ],
            privacy: [
                forgetting_erases_everything_that_names_the_person,
                a_forgotten_email_is_recognised_in_any_case,
                a_shared_company_stays_for_the_reports,
            ],
            import: [
                duplicates_by_email_without_case_then_by_external_id,
                duplicates_by_a_unicode_email_in_any_case,
                a_rolled_back_import_leaves_nothing_and_undo_removes_a_batch,
                undo_restores_the_leads_an_import_updated,
                undo_plans_name_the_leads_worked_on_since,
                a_lead_arriving_later_in_the_pipeline_has_its_move,
                a_forgotten_person_is_recognised_by_an_import,
                a_merge_moves_everything_onto_the_lead_kept,
                who_did_what_is_recorded,
                a_large_import_finds_duplicates_on_both_sides_of_what_is_written,
                an_email_is_one_person_by_leads_own_folding_on_either_engine,
                an_import_into_an_empty_database_gives_back_every_rule_it_set_aside,
            ],
            records: [
                settings_are_set_replaced_and_deleted,
                the_profile_and_its_rules_round_trip,
                a_write_lands_whole_or_not_at_all,
                each_mail_message_is_remembered_once,
                a_stores_own_writes_leave_its_data_version,
                many_writes_land_as_any_write,
                spend_is_listed_by_date_and_selected_by_period,
                the_currency_and_deal_values_are_kept,
                the_learned_model_and_probabilities_round_trip,
                closed_leads_count_activities_only_up_to_their_closing,
                answers_are_kept_in_order_and_can_be_forgotten,
                attribute_names_of_every_lead_once,
                a_copy_holds_everything_and_goes_only_into_an_empty_database,
            ],
            report: [
                tallies_count_statuses_milestones_and_days,
                arrivals_at_a_later_stage_reach_the_earlier_ones_without_days,
                the_pipeline_sums_open_deal_values_and_the_forecast_weighs_them,
                spend_counts_in_its_group_and_the_span_covers_it,
                the_agenda_walks_engaged_leads_without_a_next_step,
                a_long_agenda_walk_meets_every_lead_once_in_order,
            ],
        );
    };
    (@engine $engine:ident, $open:expr; $($area:ident: [$($check:ident),* $(,)?]),* $(,)?) => {
        mod $engine {
            #[allow(unused_imports)]
            use super::*;

            fn open() -> impl $crate::store::conformance::Opened {
                ($open)()
            }

            $(
                mod $area {
                    $(
                        #[test]
                        fn $check() {
                            $crate::store::conformance::run(
                                super::open(),
                                $crate::store::conformance::$area::$check,
                            );
                        }
                    )*
                }
            )*
        }
    };
}
pub(crate) use conformance_tests;

// The SQLite engine: in memory (the quick one), and in a file as commands open it.
conformance_tests!(sqlite, || Store::open_in_memory().unwrap());
conformance_tests!(sqlite_file, sqlite_file);
conformance_tests!(postgres, postgres);

/// A PostgreSQL database of its own on the server `LEADS_TEST_POSTGRES` names (a URL
/// such as `postgres://postgres@127.0.0.1:5432`), or None when it names none.
pub fn postgres() -> Option<Store> {
    let url = crate::store::postgres::test_database()?;
    Some(Store::open_url(&url, super::BUSY_TIMEOUT).expect("a new PostgreSQL database"))
}

/// An RFC 3339 moment.
pub fn at(text: &str) -> DateTime<Utc> {
    crate::dates::test_support::at(text)
}

/// When the suite's leads are created, unless a check says otherwise.
pub const START: &str = "2026-03-01T09:00:00Z";

/// A lead with a first name and an email, created at `START`.
pub fn person(first_name: &str, email: Option<&str>) -> Lead {
    Lead {
        first_name: Some(first_name.into()),
        email: email.map(String::from),
        created_at: Some(at(START)),
        updated_at: Some(at(START)),
        ..Lead::default()
    }
}

/// Insert `person(first_name, None)`; its id.
pub fn add(store: &Store, first_name: &str) -> i64 {
    store.insert_lead(&person(first_name, None)).unwrap()
}

/// The exit code an error would give (3 not found, 4 conflict, ...).
pub fn exit_code(err: &anyhow::Error) -> u8 {
    crate::error::exit_code(err)
}

/// The methods of the interface that no check calls: how a store is opened (each engine
/// its own: a path for SQLite, a URL for PostgreSQL) and where skipped rows are said.
const ENGINE_SPECIFIC: [&str; 12] = [
    "close_at_exit",
    "open_existing_at",
    "open_or_create_at",
    "open",
    "open_url",
    "open_server",
    "open_existing_server",
    "open_server_if_set_up",
    "open_or_create",
    "open_existing",
    "open_in_memory",
    "on_unreadable",
];

/// A method added to `Store` (or `Importer`) is part of the interface every engine must
/// answer the same: it needs a check here, or a place in `ENGINE_SPECIFIC`.
#[test]
fn every_method_of_the_interface_is_checked() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let read = |path: &std::path::Path| std::fs::read_to_string(path).unwrap();
    let rust_files = |dir: std::path::PathBuf| -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
            .collect();
        files.sort();
        files
    };
    let checks: String = rust_files(folder.join("conformance"))
        .iter()
        .map(|path| read(path))
        .collect();
    let mut unchecked = Vec::new();
    let mut methods = 0;
    for path in rust_files(folder.clone())
        .into_iter()
        .chain(rust_files(folder.join("import")))
    {
        let mut in_interface = false;
        for line in read(&path).lines() {
            if line.starts_with("impl") || line.starts_with("mod ") {
                in_interface =
                    line.starts_with("impl Store {") || line.starts_with("impl<'s> Importer<'s> {");
            }
            let Some(rest) = line.strip_prefix("    pub fn ").filter(|_| in_interface) else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            methods += 1;
            let called = [".", "::"]
                .iter()
                .any(|before| checks.contains(&format!("{before}{name}(")));
            if !called && !ENGINE_SPECIFIC.contains(&name.as_str()) {
                unchecked.push(name);
            }
        }
    }
    assert!(
        methods > 50,
        "only {methods} methods found: is the scan broken?"
    );
    assert_eq!(unchecked, Vec::<String>::new(), "methods no check calls");
}

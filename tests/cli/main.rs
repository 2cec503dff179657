//! Integration tests: the real `leads` binary against a temporary database, with the
//! clock pinned by `LEADS_NOW`. One test binary; one module per capability.
mod harness;

mod amounts;
mod database_paths;
mod dates;
mod everyday;
mod everyday_b;
mod follow_ups;
mod forget;
mod foundation;
mod hostile_input;
mod import_export;
mod imports;
mod learn;
mod mail;
mod nurture;
mod output_files;
mod qualify;
mod read_only_folders;
mod real_exports;
mod real_exports_content;
mod recurrences;
mod regressions;
mod reimport;
mod report_privacy;
mod roi;
mod round_trip;
mod rules;
mod safety;
mod schema_versions;
mod score_signals;
mod today;
mod touches;
mod trial_x;
mod trial_y;
mod undo_updates;

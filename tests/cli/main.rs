//! Integration tests: the real `leads` binary against a temporary database, with the
//! clock pinned by `LEADS_NOW`. One test binary; one module per capability.
mod harness;

mod dates;
mod everyday;
mod everyday_b;
mod follow_ups;
mod foundation;
mod import_export;
mod imports;
mod learn;
mod mail;
mod nurture;
mod qualify;
mod real_exports;
mod regressions;
mod report_privacy;
mod roi;
mod rules;
mod safety;
mod score_signals;
mod trial_x;
mod trial_y;

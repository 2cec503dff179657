//! File formats in and out: CSV/JSON/NDJSON readers and writers, header mapping,
//! encodings, iCalendar, the seller's mail (Maildir, mbox, .eml). No database here: readers turn bytes into rows, writers turn
//! domain values into bytes.
pub mod bounded;
pub mod cells;
pub mod encoding;
pub mod ics;
pub mod leads_in;
pub mod leads_out;
pub mod mail;
pub mod mapping;
pub mod output_file;
pub mod reader;
pub mod vcard;

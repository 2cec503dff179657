//! Bulk import: batches, dedup, undo.

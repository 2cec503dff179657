//! The rejects file: the rejected records back in their own shape, with an `error` added,
//! ready to fix and import again.
use std::io::Write;

use anyhow::Result;
use serde_json::{Map, Value};

use super::Original;
use crate::io::cells::neutralize_bytes;
use crate::io::mapping::REJECTS_ERROR_COLUMN;
use crate::io::output_file::OutputFile;

/// The rejects file being written.
pub enum Rejects {
    Csv(Box<csv::Writer<OutputFile>>),
    Ndjson(OutputFile),
    Json(OutputFile, usize),
}

impl Rejects {
    /// A CSV rejects file: an `error` column first, then the input's header. First, so
    /// that every cell of a ragged row (a row longer than the header is a reject too, and
    /// goes back as it came) stays under its own column. Import drops a first column
    /// named `error`, so the fixed file imports as it is.
    pub fn csv(out: OutputFile, headers: &[String]) -> Result<Rejects> {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
        let mut header = Vec::with_capacity(headers.len() + 1);
        header.push(REJECTS_ERROR_COLUMN.to_string());
        header.extend_from_slice(headers);
        writer.write_record(&header)?;
        Ok(Rejects::Csv(Box::new(writer)))
    }

    /// Write a rejected record with its error.
    pub fn write(&mut self, original: &Original, error: &str) -> Result<()> {
        match (self, original) {
            (Rejects::Csv(writer), Original::Cells(cells)) => {
                // The rejects file is meant to be fixed in a spreadsheet: a cell such as
                // `=cmd` must not run there. Import takes the `'` off again.
                writer.write_field(error)?;
                for cell in cells {
                    writer.write_field(neutralize_bytes(cell))?;
                }
                writer.write_record(None::<&[u8]>)?;
            }
            (Rejects::Ndjson(out), Original::Json(record)) => {
                serde_json::to_writer(&mut *out, &with_error(record, error))?;
                out.write_all(b"\n")?;
            }
            (Rejects::Json(out, count), Original::Json(record)) => {
                out.write_all(if *count == 0 { b"[\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut *out, &with_error(record, error))?;
                *count += 1;
            }
            _ => {}
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self {
            Rejects::Csv(writer) => writer
                .into_inner()
                .map_err(|err| err.into_error())?
                .commit()?,
            Rejects::Ndjson(out) => out.commit()?,
            Rejects::Json(mut out, count) => {
                out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.commit()?;
            }
        }
        Ok(())
    }
}

/// The rejected object with its reason as its first key (`error`), which import drops
/// when the fixed file comes back, as the CSV rejects file's first column.
fn with_error(record: &Value, error: &str) -> Value {
    let mut object = Map::new();
    object.insert(
        REJECTS_ERROR_COLUMN.into(),
        Value::String(error.to_string()),
    );
    match record {
        Value::Object(fields) => {
            for (key, value) in fields {
                // A record's own `error` key gives way to the reason.
                if key != REJECTS_ERROR_COLUMN {
                    object.insert(key.clone(), value.clone());
                }
            }
        }
        other => {
            object.insert("record".into(), other.clone());
        }
    }
    Value::Object(object)
}

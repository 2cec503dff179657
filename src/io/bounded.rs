//! The most one record of input may take, so that memory stays bounded whatever the
//! input: a line with no end, `/dev/zero`, a flood of NUL bytes, a quote never closed.
//! Every reader stops at `MAX_RECORD_BYTES` with an error naming the line where the
//! record began (exit 65), never reading on into gigabytes.
use std::fmt;
use std::io::{self, BufRead, Read};

/// The most one record (a CSV row, an NDJSON line, a vCard line or card) may take:
/// far above any real lead (a 10 MB cell is fine), far below what hurts a machine.
pub const MAX_RECORD_BYTES: u64 = 16 << 20;

/// A record that went on past `MAX_RECORD_BYTES`, carried inside an `io::Error` from
/// the reader that saw it to the error the user reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    /// The line where the record began.
    pub line: u64,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} is longer than {} MiB (a line with no end, a quote never closed, or no \
             text at all?): nothing was imported",
            self.line,
            MAX_RECORD_BYTES >> 20
        )
    }
}

impl std::error::Error for TooLong {}

impl TooLong {
    pub fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }

    /// The `TooLong` an `io::Error` carries, if it is one.
    pub fn inside(err: &io::Error) -> Option<TooLong> {
        err.get_ref()?.downcast_ref::<TooLong>().copied()
    }
}

/// Read up to and including the next `\n` into `buffer` (as `read_until`), refusing a
/// line longer than `MAX_RECORD_BYTES`; `line` is its number, for the error.
pub fn read_line(input: &mut impl BufRead, buffer: &mut Vec<u8>, line: u64) -> io::Result<usize> {
    let start = buffer.len();
    let read = input
        .by_ref()
        .take(MAX_RECORD_BYTES + 1)
        .read_until(b'\n', buffer)?;
    if (buffer.len() - start) as u64 > MAX_RECORD_BYTES {
        buffer.truncate(start);
        return Err(TooLong { line }.into_io());
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_read_whole_up_to_the_limit_and_refused_beyond() {
        let limit = MAX_RECORD_BYTES as usize;
        let cases: [(&str, Vec<u8>, Result<usize, TooLong>); 4] = [
            ("short line", b"ann\nbob\n".to_vec(), Ok(4)),
            ("last line without an end", b"ann".to_vec(), Ok(3)),
            ("exactly the limit", vec![b'x'; limit], Ok(limit)),
            (
                "one byte over",
                vec![b'x'; limit + 1],
                Err(TooLong { line: 7 }),
            ),
        ];
        for (name, input, expected) in cases {
            let mut buffer = Vec::new();
            let got = read_line(&mut input.as_slice(), &mut buffer, 7)
                .map_err(|err| TooLong::inside(&err).expect("a TooLong"));
            assert_eq!(got, expected, "{name}");
        }
    }
}

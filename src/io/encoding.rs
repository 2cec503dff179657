//! Text encodings of imported files: a byte-order mark decides (UTF-8, UTF-16 LE/BE),
//! `--encoding NAME` names a legacy one (windows-1252, latin1, shift_jis...), and
//! everything else is read as UTF-8 and checked row by row by the readers.
//!
//! Decoding streams: a fixed-size buffer is decoded at a time, whatever the file's size.
use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::{Decoder, Encoding, UTF_8};

/// The buffer between the file and the decoder or the CSV reader.
const BUFFER: usize = 64 * 1024;

/// Find the encoding `--encoding` names, e.g. "windows-1252", "latin1", "utf-16le".
pub fn encoding_for(name: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(name.trim().as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding '{name}' (expected a name such as utf-8, windows-1252, latin1, \
             iso-8859-15, utf-16le, utf-16be, shift_jis)"
        )
    })
}

/// Text in UTF-8, whatever `input` is in: the BOM (if any) is consumed, UTF-16 and the
/// `encoding` given are decoded as they stream. Plain UTF-8 passes through unchanged,
/// unchecked: the readers check it where they can name the line.
pub fn utf8_reader<'a>(
    input: impl Read + Send + 'a,
    encoding: Option<&'static Encoding>,
) -> io::Result<Box<dyn Read + Send + 'a>> {
    let mut input = BufReader::with_capacity(BUFFER, input);
    let start = input.fill_buf()?;
    let bom = Encoding::for_bom(start);
    match (bom, encoding) {
        // The user's word wins over the file's: a UTF-8 BOM in front of a Windows-1252
        // body (some tools write one whatever the encoding) is dropped and the body
        // decoded as told.
        (Some((_, len)), Some(wanted)) if wanted != UTF_8 => {
            input.consume(len);
            Ok(Box::new(DecodingReader::new(input, wanted)))
        }
        (Some((found, len)), _) if found == UTF_8 => {
            input.consume(len);
            Ok(Box::new(input))
        }
        (Some((found, _)), _) => Ok(Box::new(DecodingReader::new(input, found))),
        (None, Some(wanted)) if wanted != UTF_8 => Ok(Box::new(DecodingReader::new(input, wanted))),
        (None, _) => Ok(Box::new(input)),
    }
}

/// Decodes bytes in some encoding into UTF-8 as they are read.
struct DecodingReader<R> {
    input: R,
    decoder: Decoder,
    /// Decoded bytes not yet handed out: `decoded[start..end]`.
    decoded: Box<[u8]>,
    start: usize,
    end: usize,
    finished: bool,
}

impl<R: BufRead> DecodingReader<R> {
    fn new(input: R, encoding: &'static Encoding) -> Self {
        DecodingReader {
            input,
            // The BOM, if any, was consumed already by `utf8_reader` or is sniffed here.
            decoder: encoding.new_decoder(),
            decoded: vec![0; BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            finished: false,
        }
    }

    /// Decode the next piece of input into the (empty) buffer.
    fn refill(&mut self) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        while self.end == 0 && !self.finished {
            let source = self.input.fill_buf()?;
            let last = source.is_empty();
            let (_, read, written, _) =
                self.decoder
                    .decode_to_utf8(source, &mut self.decoded[self.end..], last);
            self.input.consume(read);
            self.end += written;
            if last {
                self.finished = true;
            }
        }
        Ok(())
    }
}

impl<R: BufRead> Read for DecodingReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.start == self.end {
            self.refill()?;
        }
        let available = &self.decoded[self.start..self.end];
        let count = available.len().min(out.len());
        out[..count].copy_from_slice(&available[..count]);
        self.start += count;
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], encoding: Option<&str>) -> String {
        let encoding = encoding.map(|name| encoding_for(name).unwrap());
        let mut text = String::new();
        utf8_reader(bytes, encoding)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn a_utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFEmail\r\n", None), "Email\r\n");
        assert_eq!(decode(b"Email\n", None), "Email\n");
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "Zoë,Åsa\n".encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(decode(&le, None), "Zoë,Åsa\n");
        assert_eq!(decode(&be, None), "Zoë,Åsa\n");
    }

    #[test]
    fn an_explicit_encoding_wins_over_a_utf8_bom() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFCaf\xE9\n", Some("windows-1252")),
            "Caf\u{e9}\n"
        );
    }

    #[test]
    fn legacy_encodings_are_decoded_when_named() {
        assert_eq!(decode(b"Caf\xE9 \x80\n", Some("windows-1252")), "Café €\n");
        assert_eq!(decode(b"Caf\xE9\n", Some("latin1")), "Café\n");
        assert!(encoding_for("klingon").is_err());
    }

    #[test]
    fn long_input_decodes_across_buffers() {
        let line = "Jérôme,Société Générale\n";
        let text = line.repeat(20_000);
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        assert_eq!(decode(&bytes, Some("windows-1252")), text);
    }
}

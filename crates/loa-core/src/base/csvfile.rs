//! Reading the CSV files offices bring (glossaries, players' air logs) so
//! that a damaged file is refused with the row to look at, never read as
//! something else. The trap is a quote that does not close: a CSV reader
//! then takes every following line into one cell and the file "imports"
//! with rows missing and no warning.

use crate::base::error::{CoreError, Result};

/// Rows of a CSV text with the 1-based line each starts on. Refuses a quote
/// that is never closed, and a quoted cell that runs over a line break into
/// text with the separator in it (rows swallowed by a missing quote),
/// naming the line where the quote opened.
pub fn rows(name: &str, text: &str, delimiter: u8) -> Result<Vec<(usize, Vec<String>)>> {
    if let Some(line) = swallowing_quote(text.as_bytes(), delimiter) {
        return Err(CoreError::DataRow {
            name: name.into(),
            line: Some(line),
            problem: "unclosed-quote",
            value: text
                .lines()
                .nth(line - 1)
                .unwrap_or("")
                .chars()
                .take(60)
                .collect(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    // Lines are counted here from byte offsets: the reader's own count is
    // one short after a CRLF, which is how Excel ends lines.
    let bytes = text.as_bytes();
    let (mut at, mut line) = (0usize, 1usize);
    let mut line_of = |byte: usize| {
        let mut start = byte.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += bytes[at.min(start)..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        at = start;
        line
    };
    for record in reader.records() {
        let record = record.map_err(|e| CoreError::DataFile {
            name: name.into(),
            line: e.position().map(|p| p.line() as usize),
            detail: e.to_string(),
        })?;
        let line = record
            .position()
            .map(|p| line_of(p.byte() as usize))
            .unwrap_or(0);
        out.push((line, record.iter().map(String::from).collect()));
    }
    Ok(out)
}

/// The separator a file uses, from its first line: the most frequent of
/// `allowed`, the last of them on a tie.
pub fn guess_delimiter(text: &str, allowed: &[u8]) -> u8 {
    let first = text.lines().next().unwrap_or("");
    allowed
        .iter()
        .copied()
        .max_by_key(|d| first.matches(*d as char).count())
        .unwrap_or(b',')
}

/// The line of a quote that swallows rows: still open at the end of the
/// text, or open across a line break with a separator after it.
fn swallowing_quote(text: &[u8], delimiter: u8) -> Option<usize> {
    let mut line = 1;
    let mut at_field_start = true;
    let mut open: Option<usize> = None;
    let mut crossed_line = false;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match open {
            Some(opened) => match b {
                b'"' if text.get(i + 1) == Some(&b'"') => i += 1,
                b'"' => {
                    open = None;
                    at_field_start = false;
                }
                b'\n' => {
                    line += 1;
                    crossed_line = true;
                }
                d if d == delimiter && crossed_line => return Some(opened),
                _ => {}
            },
            None => match b {
                b'"' if at_field_start => {
                    open = Some(line);
                    crossed_line = false;
                }
                b'\n' => {
                    line += 1;
                    at_field_start = true;
                }
                b'\r' => {}
                d if d == delimiter => at_field_start = true,
                _ => at_field_start = false,
            },
        }
        i += 1;
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_left_open_is_refused_at_its_row() {
        let text = "vie,mtq\nbảo hiểm y tế,a1\n\"tiêm chủng,a2\nphòng chống bão,a3\nnước sạch,a4\n";
        let err = rows("CSV", text, b',').unwrap_err();
        assert_eq!(err.code(), "data-row");
        let args = err.args();
        assert_eq!(args[1], ("line", "3".to_string()));
        assert_eq!(args[2], ("problem", "unclosed-quote".to_string()));
        // Open to the end of the file, with no separator after it.
        let err = rows("CSV", "a;b\n1;2\n\"x\ny\n", b';').unwrap_err();
        assert_eq!(err.args()[1], ("line", "3".to_string()));
    }

    #[test]
    fn quotes_that_close_are_fine_even_across_lines() {
        let text = "vie,note\r\n\"nước, sạch\",\"dòng một\r\ndòng hai\"\r\n\"a \"\"b\"\"\",c\r\n";
        let r = rows("CSV", text, b',').unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(
            r[1],
            (2, vec!["nước, sạch".into(), "dòng một\r\ndòng hai".into()])
        );
        assert_eq!(
            r[2].0, 4,
            "line numbers count the line break inside the cell"
        );
        assert_eq!(r[2].1[0], "a \"b\"");
        // A quote inside a cell (not at its start) is just a character.
        assert_eq!(
            rows("CSV", "a,b\n5\" loa,x\n", b',').unwrap()[1].1[0],
            "5\" loa"
        );
    }

    #[test]
    fn the_separator_is_guessed_from_the_header() {
        assert_eq!(guess_delimiter("a;b;c\n1,2", b"\t;,"), b';');
        assert_eq!(guess_delimiter("a\tb\n", b"\t;,"), b'\t');
        assert_eq!(guess_delimiter("", b";,"), b',', "a tie is a comma");
    }
}

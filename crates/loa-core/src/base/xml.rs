//! Small helpers shared by the XML exchange formats (TMX, TBX).

use quick_xml::events::{BytesRef, BytesStart};

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An attribute's value by its qualified name (`xml:lang`, `type`).
pub fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

pub fn local<'a>(e: &'a BytesStart) -> &'a str {
    e.local_name().into_inner()
}

/// The character an entity or character reference stands for.
pub fn resolve(r: &BytesRef) -> Result<Option<char>, String> {
    if r.is_char_ref() {
        return r.resolve_char_ref().map_err(|e| e.to_string());
    }
    match r.xml10_content().as_ref() {
        "amp" => Ok(Some('&')),
        "lt" => Ok(Some('<')),
        "gt" => Ok(Some('>')),
        "quot" => Ok(Some('"')),
        "apos" => Ok(Some('\'')),
        other => Err(format!("unknown entity &{other};")),
    }
}

/// 1-based line of a byte position, for error messages.
pub fn line_of(text: &str, pos: u64) -> usize {
    text.as_bytes()[..(pos as usize).min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

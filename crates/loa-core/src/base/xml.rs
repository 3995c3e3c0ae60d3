//! XML shared by every format the app reads or writes (TMX, TBX, DOCX):
//! one rule for what text XML can carry and how it is escaped, a writer for
//! whole documents, and small reading helpers.

use quick_xml::events::{BytesDecl, BytesRef, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;

/// Text as XML 1.0 can carry it: the control characters it forbids (all
/// but tab, newline and carriage return) are left out.
pub fn clean(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| allowed(*c)).collect())
    }
}

/// Text or an attribute value ready to place in XML by hand.
pub fn escape(s: &str) -> String {
    quick_xml::escape::escape(clean(s)).into_owned()
}

/// Element text for [`Writer`]: cleaned, and escaped only where XML needs it
/// (`<`, `>`, `&`), so names like H'Mông stay readable in the file.
pub fn text(s: &str) -> BytesText<'static> {
    BytesText::from_escaped(quick_xml::escape::partial_escape(clean(s)).into_owned())
}

type Out = Writer<Vec<u8>>;

/// `<name attrs…>…</name>`, with `inner` writing what goes inside.
pub fn element(
    w: &mut Out,
    name: &str,
    attrs: &[(&str, &str)],
    inner: impl FnOnce(&mut Out) -> std::io::Result<()>,
) -> std::io::Result<()> {
    w.create_element(name)
        .with_attributes(attrs.iter().copied())
        .write_inner_content(inner)?;
    Ok(())
}

/// `<name attrs…>text</name>`; nothing at all when the text is empty.
pub fn text_element(
    w: &mut Out,
    name: &str,
    attrs: &[(&str, &str)],
    content: &str,
) -> std::io::Result<()> {
    if !content.is_empty() {
        w.create_element(name)
            .with_attributes(attrs.iter().copied())
            .write_text_content(text(content))?;
    }
    Ok(())
}

/// A document with its UTF-8 declaration, indented by two spaces.
pub fn document(
    body: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>,
) -> std::io::Result<String> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    body(&mut w)?;
    let mut out = String::from_utf8(w.into_inner())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    out.push('\n');
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_xml_cannot_carry_is_left_out_and_the_rest_escaped() {
        assert_eq!(clean("a\u{7}b\tc\n"), "ab\tc\n");
        assert!(matches!(clean("Hrê"), Cow::Borrowed(_)));
        assert_eq!(
            escape("<H'Mông & \"x\">\u{1b}"),
            "&lt;H&apos;Mông &amp; &quot;x&quot;&gt;"
        );
        let doc = document(|w| {
            w.create_element("p")
                .write_text_content(text("H'Mông <\u{0}>"))?;
            Ok(())
        })
        .unwrap();
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<p>H'Mông &lt;&gt;</p>\n"
        );
    }
}

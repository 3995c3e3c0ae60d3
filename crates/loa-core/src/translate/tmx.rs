//! TMX 1.4 exchange for the translation memory, so memories move between
//! Loa Studio, OmegaT, memoQ and Trados. Import is all or nothing; a broken
//! file is reported with its line and changes nothing.

use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::xml;
use crate::translate::memory;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TmxImportSummary {
    pub units: u32,
    /// Translation units without a segment in the source language.
    pub skipped: u32,
}

/// TMX uses BCP 47 tags; the registry uses ISO 639-3. Vietnamese is the one
/// language here with a two-letter tag.
pub fn to_bcp47(code: &str) -> &str {
    if code == "vie" {
        "vi"
    } else {
        code
    }
}

pub fn from_bcp47(tag: &str) -> String {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if primary == "vi" {
        "vie".into()
    } else {
        primary
    }
}

pub fn export(db: &Db, source_lang: &str, target_lang: &str) -> Result<String> {
    let index = memory::TmIndex::load(db, source_lang, target_lang)?;
    let header = [
        ("creationtool", "Loa Studio"),
        ("creationtoolversion", crate::base::VERSION),
        ("segtype", "sentence"),
        ("o-tmf", "loa"),
        ("adminlang", "vi"),
        ("srclang", to_bcp47(source_lang)),
        ("datatype", "plaintext"),
    ];
    xml::document(|w| {
        xml::element(w, "tmx", &[("version", "1.4")], |w| {
            w.create_element("header")
                .with_attributes(header)
                .write_empty()?;
            xml::element(w, "body", &[], |w| {
                for u in index.units() {
                    let date = crate::base::calendar::utc_compact(u.updated_at);
                    let translator = xml::clean(&u.translator);
                    let mut attrs = vec![("changedate", date.as_str())];
                    if !translator.is_empty() {
                        attrs.push(("changeid", translator.as_ref()));
                    }
                    xml::element(w, "tu", &attrs, |w| {
                        for (lang, seg) in
                            [(&u.source_lang, &u.source), (&u.target_lang, &u.target)]
                        {
                            xml::element(w, "tuv", &[("xml:lang", to_bcp47(lang))], |w| {
                                xml::text_element(w, "seg", &[], seg)
                            })?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })
        })
    })
    .map_err(|e| CoreError::io("TMX", e))
}

/// Imports every translation unit of a TMX file, all or nothing.
pub fn import(db: &mut Db, xml: &str) -> Result<TmxImportSummary> {
    crate::base::limits::check_len(
        "TMX",
        crate::base::limits::ImportKind::Tmx,
        xml.len() as u64,
    )?;
    let bad = |pos: u64, detail: String| CoreError::DataFile {
        name: "TMX".into(),
        line: Some(xml::line_of(xml, pos)),
        detail,
    };
    let mut reader = Reader::from_str(xml);
    let mut src_lang: Option<String> = None;
    let mut saw_tmx = false;
    // Current unit: its variants (language, text, changeid).
    let mut tu: Option<(Vec<(String, String)>, String)> = None;
    let mut tuv_lang: Option<String> = None;
    let mut seg: Option<String> = None;
    let mut seg_depth = 0usize;
    let mut units: Vec<(Vec<(String, String)>, String)> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| bad(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(e) | Event::Empty(e) if seg.is_some() => {
                // Inline markup inside a segment (<ph>, <bpt>…): keep its text only.
                if matches!(xml::local(&e), "seg") {
                    seg_depth += 1;
                }
            }
            Event::Start(e) => match xml::local(&e) {
                "tmx" => saw_tmx = true,
                "tu" => {
                    tu = Some((
                        Vec::new(),
                        xml::attr(&e, "changeid")
                            .or_else(|| xml::attr(&e, "creationid"))
                            .unwrap_or_default(),
                    ))
                }
                "tuv" => tuv_lang = xml::attr(&e, "xml:lang").or_else(|| xml::attr(&e, "lang")),
                "seg" => seg = Some(String::new()),
                "header" => src_lang = xml::attr(&e, "srclang"),
                _ => {}
            },
            Event::Empty(e) if xml::local(&e) == "header" => {
                src_lang = xml::attr(&e, "srclang");
            }
            Event::Text(t) => {
                if let Some(s) = seg.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(s) = seg.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(s) = seg.as_mut() {
                    let c = xml::resolve(&r).map_err(|e| bad(reader.buffer_position(), e))?;
                    s.extend(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "seg" if seg_depth > 0 => seg_depth -= 1,
                "seg" => {
                    let text = seg.take().unwrap_or_default();
                    let lang = tuv_lang.clone().ok_or_else(|| {
                        bad(reader.buffer_position(), "<tuv> without xml:lang".into())
                    })?;
                    if let Some((variants, _)) = tu.as_mut() {
                        variants.push((from_bcp47(&lang), text));
                    }
                }
                "tu" => {
                    if let Some(unit) = tu.take() {
                        units.push(unit);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_tmx {
        return Err(bad(0, "not a TMX document (no <tmx> element)".into()));
    }
    let src = src_lang.as_deref().map(from_bcp47);
    let tx = db.conn_mut().transaction()?;
    let mut summary = TmxImportSummary::default();
    for (variants, who) in units {
        // The source is the header's source language, else the first variant.
        let source = match &src {
            Some(l) => variants.iter().find(|(lang, _)| lang == l),
            None => variants.first(),
        };
        let Some((source_lang, source_text)) = source.cloned() else {
            summary.skipped += 1;
            continue;
        };
        for (lang, text) in variants.iter().filter(|(l, _)| *l != source_lang) {
            if source_text.trim().is_empty() || text.trim().is_empty() {
                continue;
            }
            memory::add(&tx, &source_lang, lang, &source_text, text, &who, None)?;
            summary.units += 1;
        }
    }
    tx.commit()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(crate::base::calendar::utc_compact(0), "19700101T000000Z");
        // Checked against `date -u -d @N`; the second is a leap day.
        assert_eq!(
            crate::base::calendar::utc_compact(1_795_400_000),
            "20261123T021320Z"
        );
        assert_eq!(
            crate::base::calendar::utc_compact(951_782_400),
            "20000229T000000Z"
        );
    }

    #[test]
    fn round_trip_between_two_databases() {
        let a = Db::open_in_memory().unwrap();
        memory::add(
            a.conn(),
            "vie",
            "mtq",
            "Con chim bay & hót.",
            "Đét chim păl <hót>.",
            "Lan",
            None,
        )
        .unwrap();
        memory::add(a.conn(), "vie", "mtq", "Núi cao.", "Khũ cao.", "", None).unwrap();
        let xml = export(&a, "vie", "mtq").unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<tuv xml:lang=\"vi\">"));
        assert!(xml.contains("<seg>Con chim bay &amp; hót.</seg>"));
        assert!(xml.contains("<seg>Đét chim păl &lt;hót&gt;.</seg>"));
        let mut b = Db::open_in_memory().unwrap();
        let s = import(&mut b, &xml).unwrap();
        assert_eq!(
            s,
            TmxImportSummary {
                units: 2,
                skipped: 0
            }
        );
        let m =
            memory::TmIndex::load(&b, "vie", "mtq")
                .unwrap()
                .lookup("con chim bay và hót", 70, 1);
        assert_eq!(m[0].unit.target, "Đét chim păl <hót>.");
        assert_eq!(m[0].unit.translator, "Lan");
    }

    #[test]
    fn other_tools_files_with_inline_markup() {
        let xml = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="vi-VN" segtype="sentence"/>
          <body><tu creationid="OmegaT"><tuv lang="vi-VN"><seg>Giá <ph>{1}</ph>1.200.000 đồng &#x2013; hết hạn</seg></tuv>
          <tuv xml:lang="mtq"><seg>X</seg></tuv></tu>
          <tu><tuv xml:lang="en"><seg>no source</seg></tuv><tuv xml:lang="mtq"><seg>Y</seg></tuv></tu></body></tmx>"#;
        let mut db = Db::open_in_memory().unwrap();
        let s = import(&mut db, xml).unwrap();
        assert_eq!(
            s,
            TmxImportSummary {
                units: 1,
                skipped: 1
            }
        );
        let ix = memory::TmIndex::load(&db, "vie", "mtq").unwrap();
        assert_eq!(ix.units()[0].source, "Giá {1}1.200.000 đồng – hết hạn");
    }

    #[test]
    fn broken_files_name_the_line_and_change_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let xml = "<tmx version=\"1.4\"><header srclang=\"vi\"/><body>\n<tu><tuv xml:lang=\"vi\"><seg>A</seg></tuv><tuv xml:lang=\"mtq\"><seg>B</seg></tuv></tu>\n<tu><tuv xml:lang=\"vi\"><seg>C</tuv></tu></body></tmx>";
        match import(&mut db, xml).unwrap_err() {
            CoreError::DataFile { line, .. } => assert_eq!(line, Some(3)),
            e => panic!("{e:?}"),
        }
        assert!(memory::TmIndex::load(&db, "vie", "mtq").unwrap().is_empty());
        assert_eq!(import(&mut db, "<html/>").unwrap_err().code(), "data-file");
    }
}

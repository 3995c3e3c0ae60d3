//! TBX (ISO 30042) for the termbase. Writes TBX-Basic in the 2019 DCA style
//! (conceptEntry / langSec / termSec); reads that and the older 2008 form
//! (martif / termEntry / langSet / tig), which most tools still export.
//!
//! Who made each term and when travels as transaction groups
//! (`transacGrp`: origination, modification, approval, each with its
//! responsibility and date, written in UTC), so a round trip through
//! another tool, or to another office, keeps the authorship.
//!
//! Term status travels as `administrativeStatus`. TBX-Basic's pick list has
//! no "forbidden": forbidden terms are written `obsoleteTerm-admn-sts` (which
//! tools such as Weblate read as forbidden) and deprecated ones
//! `deprecatedTerm-admn-sts`; reading accepts every ISO 12620 value.

use super::{ConceptInput, Incoming, Provenance, TermInput};
use crate::base::error::{CoreError, Result};
use crate::base::language::Language;
use crate::base::xml;
use crate::translate::tmx::{from_bcp47, to_bcp47};
use quick_xml::events::Event;
use quick_xml::Reader;
use rusqlite::Connection;
use std::collections::{BTreeSet, HashMap};

const TRANSACTIONS: [&str; 3] = ["origination", "modification", "approval"];

impl Provenance {
    fn slot(&mut self, transaction: &str) -> Option<&mut Option<(String, i64)>> {
        match transaction {
            "origination" => Some(&mut self.created),
            "modification" => Some(&mut self.modified),
            "approval" => Some(&mut self.approved),
            _ => None,
        }
    }
}

/// Every term's provenance by uid: made by the author of its first version
/// (this copy's own author before sharing began), changed by the author of
/// the version shown, its status set by whoever set the one in effect.
fn provenance(conn: &Connection) -> Result<HashMap<String, Provenance>> {
    let mut out: HashMap<String, Provenance> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT t.uid, t.author, t.created_at, t.updated_at,
                (SELECT c.author FROM changes c WHERE c.kind = 'term' AND c.subject = t.uid
                  ORDER BY c.at, c.id LIMIT 1)
           FROM terms t WHERE t.uid IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    for row in rows {
        let (uid, author, created_at, updated_at, first) = row?;
        let p = Provenance {
            created: Some((first.unwrap_or_else(|| author.clone()), created_at)),
            modified: Some((author, updated_at)),
            approved: None,
        };
        out.insert(uid, p);
    }
    let decided: Vec<String> = conn
        .prepare("SELECT DISTINCT subject FROM changes WHERE kind = 'status'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for uid in decided {
        if let Some(p) = out.get_mut(&uid) {
            p.approved = crate::translate::sharing::status_set_by(conn, &uid)?;
        }
    }
    Ok(out)
}

fn write_transactions(w: &mut quick_xml::Writer<Vec<u8>>, p: &Provenance) -> std::io::Result<()> {
    let mut p = p.clone();
    for transaction in TRANSACTIONS {
        let Some(Some((who, at))) = p.slot(transaction).map(|s| s.take()) else {
            continue;
        };
        xml::element(w, "transacGrp", &[], |w| {
            xml::text_element(w, "transac", &[("type", "transactionType")], transaction)?;
            xml::text_element(w, "transacNote", &[("type", "responsibility")], &who)?;
            xml::text_element(w, "date", &[], &crate::base::calendar::rfc3339(at, 0))
        })?;
    }
    Ok(())
}

fn status_value(status: &str) -> &'static str {
    match status {
        "preferred" => "preferredTerm-admn-sts",
        "deprecated" => "deprecatedTerm-admn-sts",
        "forbidden" => "obsoleteTerm-admn-sts",
        _ => "admittedTerm-admn-sts",
    }
}

fn parse_status(value: &str) -> &'static str {
    let v = value.to_ascii_lowercase();
    if v.starts_with("preferred") || v.starts_with("standardized") {
        "preferred"
    } else if v.starts_with("deprecated") || v.starts_with("notrecommended") {
        "deprecated"
    } else if v.starts_with("obsolete") || v.starts_with("superseded") || v.starts_with("forbidden")
    {
        "forbidden"
    } else {
        "admitted"
    }
}

/// An XML ID must not start with a digit; ids like "12_bitter" get an
/// underscore in front, which reading removes again.
fn xml_id(external: &str, uid: &str) -> String {
    let ok = |s: &str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    match external.chars().next() {
        None => format!("c{uid}"),
        Some(c) if ok(external) && (c.is_alphabetic() || c == '_') => external.to_string(),
        Some(c) if ok(external) && c.is_ascii_digit() => format!("_{external}"),
        _ => format!("c{uid}"),
    }
}

fn from_xml_id(id: &str) -> String {
    match id.strip_prefix('_') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => id.to_string(),
    }
}

pub fn write(conn: &Connection) -> Result<String> {
    let concepts = super::all(conn)?;
    let provenance = provenance(conn)?;
    let version = format!("Loa Studio {}", crate::base::VERSION);
    let root = [
        ("type", "TBX-Basic"),
        ("style", "dca"),
        ("xml:lang", "vi"),
        ("xmlns", "urn:iso:std:iso:30042:ed-2"),
    ];
    xml::document(|w| {
        xml::element(w, "tbx", &root, |w| {
            xml::element(w, "tbxHeader", &[], |w| {
                xml::element(w, "fileDesc", &[], |w| {
                    xml::element(w, "sourceDesc", &[], |w| {
                        xml::text_element(w, "p", &[], &version)
                    })
                })
            })?;
            xml::element(w, "text", &[], |w| {
                xml::element(w, "body", &[], |w| {
                    concepts
                        .iter()
                        .try_for_each(|c| write_concept(w, c, &provenance))
                })
            })
        })
    })
    .map_err(|e| CoreError::io("TBX", e))
}

fn write_concept(
    w: &mut quick_xml::Writer<Vec<u8>>,
    c: &super::Concept,
    provenance: &HashMap<String, Provenance>,
) -> std::io::Result<()> {
    let id = xml::clean(&xml_id(&c.external_id, &c.uid)).into_owned();
    xml::element(w, "conceptEntry", &[("id", &id)], |w| {
        xml::text_element(w, "descrip", &[("type", "subjectField")], &c.domain)?;
        xml::text_element(w, "descrip", &[("type", "definition")], &c.definition)?;
        xml::text_element(w, "note", &[], &c.note)?;
        let mut langs: Vec<&str> = Vec::new();
        for t in &c.terms {
            if !langs.contains(&t.lang.as_str()) {
                langs.push(&t.lang);
            }
        }
        for lang in langs {
            xml::element(w, "langSec", &[("xml:lang", to_bcp47(lang))], |w| {
                for t in c.terms.iter().filter(|t| t.lang == lang) {
                    xml::element(w, "termSec", &[], |w| {
                        let status = status_value(&t.status);
                        xml::text_element(w, "term", &[], &t.text)?;
                        xml::text_element(
                            w,
                            "termNote",
                            &[("type", "partOfSpeech")],
                            &t.part_of_speech,
                        )?;
                        xml::text_element(
                            w,
                            "termNote",
                            &[("type", "administrativeStatus")],
                            status,
                        )?;
                        xml::text_element(w, "note", &[], &t.usage_note)?;
                        xml::text_element(w, "admin", &[("type", "source")], &t.source)?;
                        match provenance.get(&t.uid) {
                            Some(p) => write_transactions(w, p),
                            None => Ok(()),
                        }
                    })?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// Where text being read belongs.
enum Field {
    Term,
    TermNote(String),
    Descrip(String),
    Note,
    Admin(String),
    Transaction,
    TransactionNote(String),
    Date,
}

/// Reads a TBX document into concepts. Languages the registry does not have
/// are skipped and returned, so the preview can say so.
pub(crate) fn read(text: &str, langs: &[Language]) -> Result<(Vec<Incoming>, Vec<String>)> {
    let bad = |pos: u64, detail: String| CoreError::DataFile {
        name: "TBX".into(),
        line: Some(xml::line_of(text, pos)),
        detail,
    };
    let known = |code: &str| langs.iter().any(|l| l.code == code);
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    let mut ignored = BTreeSet::new();
    let mut saw_root = false;
    let mut entry: Option<(usize, ConceptInput)> = None;
    let mut lang: Option<String> = None;
    let mut term: Option<TermInput> = None;
    let mut made = Provenance::default();
    let mut provenance: HashMap<(String, String), Provenance> = HashMap::new();
    // Inside a term's transaction group: its type, who, when.
    let mut transaction: Option<(String, String, String)> = None;
    // The element whose text is being collected, its text, and how deep
    // inline markup inside it goes.
    let mut capture: Option<(Field, String, usize)> = None;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| bad(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(e) if capture.is_some() => {
                if let Some((_, _, depth)) = capture.as_mut() {
                    *depth += 1;
                }
                let _ = e;
            }
            Event::Start(e) => {
                let ty = || xml::attr(&e, "type").unwrap_or_default();
                match xml::local(&e) {
                    "tbx" | "martif" => saw_root = true,
                    "conceptEntry" | "termEntry" => {
                        let id = xml::attr(&e, "id").map(|i| from_xml_id(&i));
                        entry = Some((
                            xml::line_of(text, pos),
                            ConceptInput {
                                external_id: id.unwrap_or_default(),
                                ..Default::default()
                            },
                        ));
                    }
                    "langSec" | "langSet" => {
                        let tag = xml::attr(&e, "xml:lang").ok_or_else(|| {
                            CoreError::data_row("TBX", Some(xml::line_of(text, pos)), "no-lang", "")
                        })?;
                        lang = Some(from_bcp47(&tag));
                    }
                    "termSec" | "tig" | "ntig" => {
                        made = Provenance::default();
                        term = Some(TermInput {
                            lang: lang.clone().unwrap_or_default(),
                            status: "admitted".into(),
                            ..Default::default()
                        })
                    }
                    "term" => capture = Some((Field::Term, String::new(), 0)),
                    "termNote" => capture = Some((Field::TermNote(ty()), String::new(), 0)),
                    "descrip" => capture = Some((Field::Descrip(ty()), String::new(), 0)),
                    "note" => capture = Some((Field::Note, String::new(), 0)),
                    "admin" => capture = Some((Field::Admin(ty()), String::new(), 0)),
                    "transacGrp" if term.is_some() => {
                        transaction = Some(Default::default());
                    }
                    "transac" if transaction.is_some() => {
                        capture = Some((Field::Transaction, String::new(), 0))
                    }
                    "transacNote" if transaction.is_some() => {
                        capture = Some((Field::TransactionNote(ty()), String::new(), 0))
                    }
                    "date" if transaction.is_some() => {
                        capture = Some((Field::Date, String::new(), 0))
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, buf, _)) = capture.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, buf, _)) = capture.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, buf, _)) = capture.as_mut() {
                    buf.extend(xml::resolve(&r).map_err(|e| bad(pos, e))?);
                }
            }
            Event::End(_) if capture.as_ref().is_some_and(|c| c.2 > 0) => {
                if let Some((_, _, depth)) = capture.as_mut() {
                    *depth -= 1;
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "term" | "termNote" | "descrip" | "note" | "admin" | "transac" | "transacNote"
                | "date" => {
                    let Some((field, value, _)) = capture.take() else {
                        continue;
                    };
                    let value = value.trim().to_string();
                    let add = |s: &mut String| {
                        if !s.is_empty() {
                            s.push_str("; ");
                        }
                        s.push_str(&value);
                    };
                    match (field, term.as_mut(), entry.as_mut()) {
                        (Field::Term, Some(t), _) => t.text = value.clone(),
                        (Field::TermNote(ty), Some(t), _) => match ty.as_str() {
                            "administrativeStatus" | "normativeAuthorization" => {
                                t.status = parse_status(&value).into()
                            }
                            "partOfSpeech" => t.part_of_speech = value.clone(),
                            _ => {}
                        },
                        (Field::Note | Field::Descrip(_), Some(t), _) => add(&mut t.usage_note),
                        (Field::Admin(ty), Some(t), _) if ty == "source" => {
                            t.source = value.clone()
                        }
                        (Field::Descrip(ty), None, Some((_, c))) => match ty.as_str() {
                            "subjectField" if c.domain.is_empty() => c.domain = value.clone(),
                            "definition" if c.definition.is_empty() => c.definition = value.clone(),
                            _ => add(&mut c.note),
                        },
                        (Field::Note, None, Some((_, c))) => add(&mut c.note),
                        (Field::Transaction, ..) => {
                            if let Some(t) = transaction.as_mut() {
                                t.0 = value.clone();
                            }
                        }
                        (Field::TransactionNote(ty), ..) if ty == "responsibility" => {
                            if let Some(t) = transaction.as_mut() {
                                t.1 = value.clone();
                            }
                        }
                        (Field::Date, ..) => {
                            if let Some(t) = transaction.as_mut() {
                                t.2 = value.clone();
                            }
                        }
                        _ => {}
                    }
                }
                "transacGrp" => {
                    // A group with no readable date says nothing usable.
                    if let Some((kind, who, date)) = transaction.take() {
                        let at = crate::base::calendar::parse_moment(&date, 0)
                            .map(|(at, _)| at)
                            .or_else(|| {
                                crate::base::calendar::Date::parse(&date).map(|d| d.to_unix(0))
                            });
                        if let (Some(slot), Some(at)) = (made.slot(&kind), at) {
                            *slot = Some((crate::base::text::clean_line(&who), at));
                        }
                    }
                }
                "termSec" | "tig" | "ntig" => {
                    let Some(t) = term.take() else { continue };
                    if t.text.is_empty() {
                        return Err(CoreError::data_row(
                            "TBX",
                            Some(xml::line_of(text, pos)),
                            "no-term-text",
                            "",
                        ));
                    }
                    if !known(&t.lang) {
                        ignored.insert(t.lang.clone());
                        continue;
                    }
                    if let Some((_, c)) = entry.as_mut() {
                        if made != Provenance::default() {
                            let key = (t.lang.clone(), crate::base::text::match_key(&t.text));
                            provenance.insert(key, std::mem::take(&mut made));
                        }
                        c.terms.push(t);
                    }
                }
                "langSec" | "langSet" => lang = None,
                "conceptEntry" | "termEntry" => {
                    if let Some((line, concept)) = entry.take() {
                        if !concept.terms.is_empty() {
                            out.push(Incoming {
                                line,
                                concept,
                                provenance: std::mem::take(&mut provenance),
                            });
                        }
                        provenance.clear();
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(CoreError::data_row("TBX", None, "not-tbx", ""));
    }
    if out.is_empty() {
        return Err(CoreError::data_row("TBX", None, "no-terms-in-file", ""));
    }
    Ok((out, ignored.into_iter().collect()))
}

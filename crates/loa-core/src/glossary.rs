//! The concept-based termbase: a concept holds terms in several languages.
//! This module reads and lists it; word lists in the "one row per concept,
//! one column per language" shape import through [`import_wordlist_csv`].

use crate::error::{CoreError, Result};
use crate::store::{like_contains, now, Db};
use crate::text;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Term {
    pub id: i64,
    pub lang: String,
    pub text: String,
    /// preferred / admitted / deprecated / forbidden
    pub status: String,
    pub usage_note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Concept {
    pub id: i64,
    pub external_id: String,
    pub domain: String,
    pub definition: String,
    pub note: String,
    pub source: String,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptQuery {
    #[ts(optional)]
    pub search: Option<String>,
    /// Only concepts with a term in this language.
    #[ts(optional)]
    pub lang: Option<String>,
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConceptPage {
    pub total: u32,
    pub items: Vec<Concept>,
}

/// How a word list's columns map onto concepts and terms.
pub struct WordlistSpec<'a> {
    pub id_column: &'a str,
    pub definition_column: &'a str,
    /// (column, ISO 639-3 code)
    pub term_columns: &'a [(&'a str, &'a str)],
    pub domain: &'a str,
    pub source: &'a str,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GlossaryImportSummary {
    pub concepts: u32,
    pub terms: u32,
}

/// One form of a cell such as `nhỏ / nít (small regarding children), bé`:
/// the form and its note.
#[derive(Debug, PartialEq)]
pub struct Form {
    pub text: String,
    pub note: String,
}

/// Splits a cell of a descriptive word list into forms. Forms are separated by
/// `|`, `/`, `;` or `,` outside brackets and quotes; `(…)` and `"…"` are
/// notes; a form written only in brackets, like `(tôi)`, is a form.
pub fn split_forms(cell: &str) -> Vec<Form> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut cur) = (0usize, false, String::new());
    for c in cell.chars() {
        match c {
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            '"' => quoted = !quoted,
            '|' | '/' | ';' | ',' if depth == 0 && !quoted => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.iter().filter_map(|p| parse_form(p)).collect()
}

fn parse_form(part: &str) -> Option<Form> {
    let (mut form, mut notes) = (String::new(), Vec::new());
    let mut chars = part.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' => {
                let (mut depth, mut note) = (1, String::new());
                for n in chars.by_ref() {
                    match n {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                    note.push(n);
                }
                notes.push(note);
            }
            '"' => {
                let note: String = chars.by_ref().take_while(|n| *n != '"').collect();
                notes.push(note);
            }
            _ => form.push(c),
        }
    }
    let mut form = text::clean_line(&text::repair_marks(&form));
    let notes: Vec<String> = notes
        .iter()
        .map(|n| text::clean_line(&text::repair_marks(n)))
        .filter(|n| !n.is_empty())
        .collect();
    if form.is_empty() {
        // "(tôi)": the bracketed word is itself the form, if it is a plain word.
        match notes.as_slice() {
            [only] if only.chars().all(|c| c.is_alphabetic() || c == ' ') => {
                form = only.clone();
                return Some(Form {
                    text: form,
                    note: String::new(),
                });
            }
            _ => return None,
        }
    }
    Some(Form {
        text: form,
        note: notes.join("; "),
    })
}

/// Imports a CSV word list, all or nothing. A malformed row names its line.
pub fn import_wordlist_csv(
    db: &mut Db,
    csv_text: &str,
    spec: &WordlistSpec,
) -> Result<GlossaryImportSummary> {
    let tx = db.conn_mut().transaction()?;
    let s = import_wordlist_csv_in(&tx, csv_text, spec)?;
    tx.commit()?;
    Ok(s)
}

pub(crate) fn import_wordlist_csv_in(
    conn: &Connection,
    csv_text: &str,
    spec: &WordlistSpec,
) -> Result<GlossaryImportSummary> {
    let bad = |line: Option<usize>, detail: String| CoreError::DataFile {
        name: "CSV".into(),
        line,
        detail,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad(Some(1), e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| bad(Some(1), format!("missing column '{name}'")))
    };
    let id_col = col(spec.id_column)?;
    let def_col = col(spec.definition_column)?;
    let term_cols = spec
        .term_columns
        .iter()
        .map(|(c, lang)| Ok((col(c)?, *lang)))
        .collect::<Result<Vec<_>>>()?;
    let created = now();
    let mut summary = GlossaryImportSummary::default();
    let mut add_concept = conn.prepare_cached(
        "INSERT INTO concepts(external_id, domain, definition, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?;
    let mut add_term = conn.prepare_cached(
        "INSERT INTO terms(concept_id, lang, text, search_key, usage_note, source, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for record in reader.records() {
        let record =
            record.map_err(|e| bad(e.position().map(|p| p.line() as usize), e.to_string()))?;
        let line = record.position().map(|p| p.line() as usize);
        let get = |i: usize| record.get(i).unwrap_or("");
        let concept_id = add_concept.insert(params![
            text::clean_line(get(id_col)),
            spec.domain,
            text::clean_line(get(def_col)),
            spec.source,
            created
        ])?;
        let mut terms = 0;
        for (c, lang) in &term_cols {
            for form in split_forms(get(*c)) {
                let t = if *lang == "vie" {
                    text::canonical_vi_line(&form.text)
                } else {
                    form.text
                };
                add_term.execute(params![
                    concept_id,
                    lang,
                    t,
                    text::fold(&t),
                    form.note,
                    spec.source,
                    created
                ])?;
                terms += 1;
            }
        }
        if terms == 0 {
            return Err(bad(line, "row has no terms".into()));
        }
        summary.concepts += 1;
        summary.terms += terms;
    }
    if summary.concepts == 0 {
        return Err(bad(None, "no rows".into()));
    }
    Ok(summary)
}

/// Concepts whose terms, definition or note match the search (diacritics and
/// case ignored), ordered by external id.
pub fn list(db: &Db, q: &ConceptQuery) -> Result<ConceptPage> {
    let conn = db.conn();
    let pattern = like_contains(&text::fold(q.search.as_deref().unwrap_or("")));
    let lang = q.lang.as_deref().unwrap_or("");
    let limit = q.limit.unwrap_or(500).min(5000);
    let filter = "FROM concepts c
        WHERE (?1 = '' OR EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id
                                   AND t.search_key LIKE ?1 ESCAPE '\\')
                       OR lower(c.definition) LIKE ?1 ESCAPE '\\')
          AND (?2 = '' OR EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id AND t.lang = ?2))";
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) {filter}"),
        params![pattern, lang],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.external_id, c.domain, c.definition, c.note, c.source {filter}
         ORDER BY CAST(c.external_id AS INTEGER), c.external_id, c.id LIMIT ?3"
    ))?;
    let mut items: Vec<Concept> = stmt
        .query_map(params![pattern, lang, limit], |r| {
            Ok(Concept {
                id: r.get(0)?,
                external_id: r.get(1)?,
                domain: r.get(2)?,
                definition: r.get(3)?,
                note: r.get(4)?,
                source: r.get(5)?,
                terms: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut terms = conn.prepare_cached(
        "SELECT t.id, t.lang, t.text, t.status, t.usage_note FROM terms t
           JOIN languages l ON l.code = t.lang
          WHERE t.concept_id = ?1 ORDER BY l.sort, t.id",
    )?;
    for c in &mut items {
        c.terms = terms
            .query_map([c.id], |r| {
                Ok(Term {
                    id: r.get(0)?,
                    lang: r.get(1)?,
                    text: r.get(2)?,
                    status: r.get(3)?,
                    usage_note: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(ConceptPage { total, items })
}

pub fn count(db: &Db) -> Result<u32> {
    Ok(db
        .conn()
        .query_row("SELECT count(*) FROM concepts", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(cell: &str) -> Vec<(String, String)> {
        split_forms(cell)
            .into_iter()
            .map(|f| (f.text, f.note))
            .collect()
    }

    #[test]
    fn source_notation_is_cleaned() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(forms("tao / (tôi)"), vec![s("tao", ""), s("tôi", "")]);
        assert_eq!(forms("máu (<'sap')"), vec![s("máu", "<'sap'")]);
        assert_eq!(
            forms("nhỏ / nít (small regarding children), bé"),
            vec![
                s("nhỏ", ""),
                s("nít", "small regarding children"),
                s("bé", "")
            ]
        );
        assert_eq!(forms("đét (con, đói)"), vec![s("đét", "con, đói")]);
        assert_eq!(
            forms("tồl \"hill\"; khũ \"mountain\";"),
            vec![s("tồl", "hill"), s("khũ", "mountain")]
        );
        assert_eq!(
            forms("lửa (cf. củi \"firewood\")"),
            vec![s("lửa", "cf. củi \"firewood\"")]
        );
        assert_eq!(forms("cǎ́n"), vec![s("cắn", "")]);
        assert_eq!(forms("  "), vec![]);
    }

    const SPEC: WordlistSpec = WordlistSpec {
        id_column: "concept_id",
        definition_column: "concept_en",
        term_columns: &[("vi", "vie"), ("mtq", "mtq")],
        domain: "test",
        source: "test source",
    };

    #[test]
    fn import_and_search_without_diacritics() {
        let mut db = Db::open_in_memory().unwrap();
        let csv = "concept_id,concept_en,vi,mtq\n12_bitter,bitter,đắng,tẳng\n75_pathroad,path/road,dường,khả\n";
        let s = import_wordlist_csv(&mut db, csv, &SPEC).unwrap();
        assert_eq!(
            s,
            GlossaryImportSummary {
                concepts: 2,
                terms: 4
            }
        );
        let page = list(
            &db,
            &ConceptQuery {
                search: Some("dang".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].terms[0].text, "đắng");
        assert_eq!(page.items[0].terms[1].lang, "mtq");
        let page = list(
            &db,
            &ConceptQuery {
                search: Some("ROAD".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(page.items[0].external_id, "75_pathroad");
    }

    #[test]
    fn malformed_csv_names_the_line_and_changes_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let csv = "concept_id,concept_en,vi,mtq\n1,a,b,c\n2,x,y\n";
        let err = import_wordlist_csv(&mut db, csv, &SPEC).unwrap_err();
        match &err {
            CoreError::DataFile { line, .. } => assert_eq!(*line, Some(3)),
            e => panic!("unexpected {e:?}"),
        }
        assert_eq!(count(&db).unwrap(), 0);
        let err = import_wordlist_csv(&mut db, "id,x\n1,2\n", &SPEC).unwrap_err();
        assert_eq!(err.code(), "data-file");
    }
}

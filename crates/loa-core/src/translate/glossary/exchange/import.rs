//! An import in one transaction (a preview is the same import rolled back),
//! and the whole glossary out in a chosen format.

use super::table::{
    decode, guess_mapping, read_csv, read_xlsx, table_concepts, to_table, write_csv, write_xlsx,
};
use super::{Counts, Format, ImportOptions, ImportReport, OnConflict, Split};
use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::language::{self};
use crate::base::store::Db;
use crate::base::text;
use crate::translate::glossary::{
    clean_input, get, insert_concept, insert_term, share, share_imported, tbx, Incoming, Origin,
};
use rusqlite::{params, Connection};
use std::collections::BTreeSet;

/// Live concepts holding a term with this exact (tone-canonical, case-
/// insensitive) text in this language.
fn concepts_with_term(conn: &Connection, lang: &str, term: &str) -> Result<Vec<i64>> {
    let key = text::match_key(term);
    let mut stmt = conn.prepare_cached(
        "SELECT t.concept_id, t.text FROM terms t JOIN concepts c ON c.id = t.concept_id
          WHERE c.deleted_at IS NULL AND t.lang = ?1 AND t.search_key = ?2",
    )?;
    let rows = stmt.query_map(params![lang, text::fold(term)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, t) = row?;
        if text::match_key(&t) == key {
            out.push(id);
        }
    }
    Ok(out)
}

/// Adds the concepts, sorting each into new, duplicate (every term already
/// in one existing concept) or conflicting (shares a term with an existing
/// concept but differs from it).
pub(crate) fn apply(
    conn: &Connection,
    name: &str,
    incoming: Vec<Incoming>,
    on_conflict: OnConflict,
    who: &str,
) -> Result<Counts> {
    let at = now();
    let mut counts = Counts::default();
    crate::base::store::bump_revision(conn, crate::base::store::Revision::Glossary)?;
    for Incoming {
        line,
        concept,
        provenance,
    } in incoming
    {
        let c = clean_input(conn, &concept).map_err(|e| match e {
            CoreError::Invalid { field, .. } => {
                CoreError::data_row(name, Some(line), "invalid-row", field)
            }
            CoreError::NotFound { id, .. } => {
                CoreError::data_row(name, Some(line), "unknown-language", &id)
            }
            e => e,
        })?;
        counts.concepts += 1;
        counts.terms += c.terms.len() as u32;
        let mut matched = BTreeSet::new();
        let mut found = 0;
        for t in &c.terms {
            let hits = concepts_with_term(conn, &t.lang, &t.text)?;
            if !hits.is_empty() {
                found += 1;
            }
            matched.extend(hits);
        }
        if matched.is_empty() {
            counts.new += 1;
            let id = insert_concept(conn, &c, who, at, Origin::File)?;
            share_imported(conn, &get(conn, id)?, &provenance, who, at)?;
            continue;
        }
        let first = *matched.iter().next().unwrap_or(&0);
        if matched.len() == 1 && found == c.terms.len() {
            counts.duplicate += 1;
            continue;
        }
        counts.conflicting += 1;
        match on_conflict {
            OnConflict::Skip => {}
            OnConflict::Add => {
                let id = insert_concept(conn, &c, who, at, Origin::File)?;
                share_imported(conn, &get(conn, id)?, &provenance, who, at)?;
            }
            OnConflict::Merge => {
                let existing = get(conn, first)?;
                for t in &c.terms {
                    let key = text::match_key(&t.text);
                    let has = existing
                        .terms
                        .iter()
                        .any(|e| e.lang == t.lang && text::match_key(&e.text) == key);
                    if !has {
                        insert_term(conn, first, t, who, at)?;
                    }
                }
                share(conn, &[existing], &[get(conn, first)?], &[], who, at)?;
            }
        }
    }
    Ok(counts)
}

/// Imports (or, with `commit` false, previews) a glossary file.
pub fn import(
    db: &mut Db,
    bytes: &[u8],
    opts: &ImportOptions,
    who: &str,
    commit: bool,
) -> Result<ImportReport> {
    use crate::base::limits::{check_len, ImportKind};
    let kind = match opts.format {
        Format::Tbx => ImportKind::Tbx,
        Format::Csv => ImportKind::GlossaryCsv,
        Format::Xlsx => ImportKind::GlossaryXlsx,
    };
    check_len(opts.format.extension(), kind, bytes.len() as u64)?;
    let langs = language::list(db)?;
    let mut report = ImportReport::default();
    let incoming = match opts.format {
        Format::Tbx => {
            let (incoming, ignored) = tbx::read(&decode(bytes), &langs)?;
            report.ignored_languages = ignored;
            incoming
        }
        Format::Csv | Format::Xlsx => {
            let (name, table) = if opts.format == Format::Csv {
                ("CSV", read_csv(bytes)?)
            } else {
                ("XLSX", read_xlsx(bytes)?)
            };
            let mapping = match &opts.mapping {
                Some(m) => {
                    let mut m = m.clone();
                    m.resize(table.headers.len(), String::new());
                    m
                }
                None => guess_mapping(&table.headers, &langs),
            };
            report.sample = table.rows.iter().take(5).map(|(_, r)| r.clone()).collect();
            report.headers = table.headers.clone();
            report.mapping = mapping.clone();
            table_concepts(name, &table, &mapping, Split::Plain, "", "", &langs)?
        }
    };
    let tx = db.conn_mut().transaction()?;
    let name = match opts.format {
        Format::Csv => "CSV",
        Format::Xlsx => "XLSX",
        Format::Tbx => "TBX",
    };
    let counts = apply(&tx, name, incoming, opts.on_conflict, who)?;
    if commit {
        tx.commit()?;
    }
    report.concepts = counts.concepts;
    report.terms = counts.terms;
    report.new = counts.new;
    report.duplicate = counts.duplicate;
    report.conflicting = counts.conflicting;
    Ok(report)
}

/// The whole glossary in the given format.
pub fn export(db: &Db, format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Csv => write_csv(&to_table(db.conn())?),
        Format::Xlsx => write_xlsx(&to_table(db.conn())?),
        Format::Tbx => Ok(tbx::write(db.conn())?.into_bytes()),
    }
}

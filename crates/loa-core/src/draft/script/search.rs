//! Finding scripts: the diacritic-folded full-text index, the list with its
//! filters, and the words a search matched, marked for the list.

use super::{
    detail_row, plausible_date, Marked, Order, Priority, ScriptQuery, ScriptSummary, SortBy,
    COLUMNS, DEFAULT_LIST_LIMIT,
};
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use rusqlite::Connection;

/// Keeps the full-text row of one script in step with the script.
pub(super) fn reindex(conn: &Connection, id: i64) -> Result<()> {
    crate::base::store::fts::index_scripts(conn, Some(id))
}

/// The search query as FTS5 wants it: each folded word as a quoted prefix
/// term, all required. None when the query has no words.
fn fts_query(search: &str) -> Option<(String, Vec<String>)> {
    let words: Vec<String> = text::words(&text::fold(search)).map(String::from).collect();
    if words.is_empty() {
        return None;
    }
    let q = words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ");
    Some((q, words))
}

/// Scripts matching the query, at most `limit` (default 1000).
///
/// With a search and relevance order: scripts whose title has every word
/// come first, ranked by BM25; then the other matches, newest first. Common
/// policy words ("chính sách") match most scripts, and BM25 over tens of
/// thousands of body matches costs time and tells the user nothing; FTS5
/// walks the rest in rowid order and stops when the page is full.
pub fn list(db: &Db, q: &ScriptQuery) -> Result<Vec<ScriptSummary>> {
    let search = q.search.as_deref().and_then(fts_query);
    let limit = q.limit.unwrap_or(DEFAULT_LIST_LIMIT).min(10_000);
    let sort = q.sort.unwrap_or(if search.is_some() {
        SortBy::Relevance
    } else {
        SortBy::Updated
    });
    let mut out = match (&search, sort) {
        (Some((fts, _)), SortBy::Relevance) => {
            let mut found = query(
                db,
                q,
                Some(&format!("{{title}} : ({fts})")),
                Order::Rank,
                limit,
                &[],
            )?;
            if (found.len() as u32) < limit {
                let seen: Vec<i64> = found.iter().map(|s| s.id).collect();
                let rest = limit - found.len() as u32;
                found.extend(query(db, q, Some(fts), Order::Newest, rest, &seen)?);
            }
            found
        }
        (Some((fts, _)), _) => query(db, q, Some(fts), Order::Newest, limit, &[])?,
        (None, _) => query(db, q, None, Order::Newest, limit, &[])?,
    };
    if let Some((_, words)) = &search {
        for s in &mut out {
            s.title_hit = Some(mark(&s.title, words)).filter(|m| !m.marks.is_empty());
        }
    }
    match sort {
        SortBy::Title => out.sort_by_cached_key(|s| text::fold(&s.title)),
        SortBy::Duration => out.sort_by_key(|s| std::cmp::Reverse(s.est_seconds)),
        SortBy::Priority => out.sort_by_key(|s| match s.priority {
            Priority::Emergency => 0,
            Priority::Priority => 1,
            Priority::Normal => 2,
        }),
        SortBy::Updated if search.is_none() => {}
        SortBy::Updated => out.sort_by_key(|s| std::cmp::Reverse(s.updated_at)),
        SortBy::Relevance => {}
    }
    Ok(out)
}

/// One page of scripts matching `fts` (an FTS5 expression) and the filters,
/// skipping `exclude`.
fn query(
    db: &Db,
    q: &ScriptQuery,
    fts: Option<&str>,
    order: Order,
    limit: u32,
    exclude: &[i64],
) -> Result<Vec<ScriptSummary>> {
    let mut filters = vec!["s.deleted_at IS NULL".to_string()];
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut arg = |v: rusqlite::types::Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    let from = match fts {
        Some(expr) => {
            let p = arg(expr.to_string().into());
            filters.push(format!("f.scripts_fts MATCH {p}"));
            "scripts_fts f JOIN scripts s ON s.id = f.rowid LEFT JOIN programs p ON p.id = s.program_id"
        }
        None => "scripts s LEFT JOIN programs p ON p.id = s.program_id",
    };
    if let Some(st) = q.status {
        let p = arg(st.as_str().to_string().into());
        filters.push(format!("s.status = {p}"));
    }
    if let Some(c) = q.category {
        let p = arg(c.as_str().to_string().into());
        filters.push(format!("s.category = {p}"));
    }
    if let Some(pr) = q.priority {
        let p = arg(pr.as_str().to_string().into());
        filters.push(format!("s.priority = {p}"));
    }
    if let Some(prog) = q.program.as_deref().filter(|p| !p.is_empty()) {
        let p = arg(text::canonical_vi_line(prog).into());
        filters.push(format!("p.name = {p}"));
    }
    if let Some(lang) = q.lang.as_deref().filter(|l| !l.is_empty()) {
        let p = arg(lang.to_string().into());
        filters.push(format!(
            "(',' || s.target_langs || ',') LIKE '%,' || {p} || ',%'"
        ));
    }
    for (bound, op) in [(&q.updated_from, ">="), (&q.updated_to, "<=")] {
        if let Some(d) = bound.as_deref().filter(|d| !d.is_empty()) {
            if !plausible_date(d) {
                return Err(CoreError::invalid("date-range", "bad-date"));
            }
            let p = arg(d.to_string().into());
            // The clock's offset, not SQLite's `localtime`, so the dates
            // agree with every other date the core computes.
            let off = arg(crate::base::clock::local_offset(db.conn())?.into());
            filters.push(format!("date(s.updated_at + {off}, 'unixepoch') {op} {p}"));
        }
    }
    if !exclude.is_empty() {
        let ids: Vec<String> = exclude.iter().map(i64::to_string).collect();
        filters.push(format!("s.id NOT IN ({})", ids.join(",")));
    }
    let order = match (order, fts.is_some()) {
        (Order::Rank, true) => "f.rank",
        (_, true) => "f.rowid DESC",
        // Emergencies first, then the most recently edited.
        (_, false) => "s.priority = 'emergency' DESC, s.updated_at DESC, s.id DESC",
    };
    let sql = format!(
        "{COLUMNS} FROM {from} WHERE {} ORDER BY {order} LIMIT {limit}",
        filters.join(" AND ")
    );
    let words = fts
        .and_then(|_| q.search.as_deref().and_then(fts_query))
        .map(|x| x.1);
    let mut stmt = db.conn().prepare_cached(&sql)?;
    let rates = crate::draft::reading::Rates::load(db)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| detail_row(r, &rates))?;
    let mut out = Vec::new();
    for row in rows {
        let d = row?;
        let mut s = d.summary;
        if let Some(words) = &words {
            s.snippet = [&d.input.body, &d.input.policy_ref]
                .into_iter()
                .map(|t| snippet(t, words))
                .find(|m| !m.marks.is_empty());
        }
        out.push(s);
    }
    Ok(out)
}

/// Marks every word of `text` whose search key starts with one of `words`
/// (the same prefix rule as the full-text query).
pub fn mark(text_: &str, words: &[String]) -> Marked {
    // Offsets in UTF-16 units, as the UI's strings count them.
    let (mut marks, mut utf16, mut last) = (Vec::new(), 0u32, 0usize);
    for (at, word) in text::word_spans(text_) {
        utf16 += text_[last..at].encode_utf16().count() as u32;
        let start = utf16;
        utf16 += word.encode_utf16().count() as u32;
        last = at + word.len();
        let key = text::fold(word);
        if words.iter().any(|w| key.starts_with(w.as_str())) {
            marks.push((start, utf16));
        }
    }
    Marked {
        text: text_.to_string(),
        marks,
    }
}

/// About 30 words around the first match, on word boundaries, marked.
fn snippet(full: &str, words: &[String]) -> Marked {
    const BEFORE: usize = 8;
    const AFTER: usize = 22;
    let tokens: Vec<&str> = full.split_whitespace().collect();
    let hit = tokens.iter().position(|t| {
        text::words(t).any(|part| {
            let key = text::fold(part);
            !key.is_empty() && words.iter().any(|w| key.starts_with(w.as_str()))
        })
    });
    let Some(hit) = hit else {
        return Marked {
            text: String::new(),
            marks: vec![],
        };
    };
    let from = hit.saturating_sub(BEFORE);
    let to = (hit + AFTER).min(tokens.len());
    let mut text_ = tokens[from..to].join(" ");
    if from > 0 {
        text_.insert_str(0, "… ");
    }
    if to < tokens.len() {
        text_.push_str(" …");
    }
    mark(&text_, words)
}

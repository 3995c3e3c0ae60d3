//! Who decides a term's status in each language: the province names
//! terminology approvers by station key, as an `approvers` change that
//! travels like any other. Here, below the UI, so that Settings and
//! `loa glossary approvers` check the same things.

use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::broadcast::{hub, station};
use crate::translate::sharing::{self, ApproversValue, Kind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One language's approvers as this station knows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LanguageApprovers {
    pub lang: String,
    pub name_vi: String,
    /// Key ids; empty: nobody is named, so anyone's status change counts.
    pub key_ids: Vec<String>,
    /// Who last named them ("" when nobody has).
    pub named_by: String,
    /// The station they were named from ("" for this one).
    pub named_from: String,
    #[ts(type = "number | null")]
    pub named_at: Option<i64>,
}

/// A station that can be named: its key is known here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApproverCandidate {
    pub key_id: String,
    pub name: String,
    /// This station itself.
    pub own: bool,
}

/// What Settings → "Người duyệt thuật ngữ" shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApproversOverview {
    /// Only a province station names approvers (the hub refuses anyone
    /// else's list); a station with no hub may, for the stations that trust
    /// its key.
    pub can_name: bool,
    pub languages: Vec<LanguageApprovers>,
    pub candidates: Vec<ApproverCandidate>,
}

fn may_name(db: &Db) -> Result<bool> {
    Ok(hub::link(db)?.role != "commune")
}

pub fn overview(db: &Db) -> Result<ApproversOverview> {
    let languages = crate::base::language::list(db)?
        .into_iter()
        .map(|l| of_language(db, l))
        .collect::<Result<_>>()?;
    Ok(ApproversOverview {
        can_name: may_name(db)?,
        languages,
        candidates: candidates(db)?,
    })
}

/// One language's approvers (`loa glossary approvers LANG`).
pub fn get(db: &Db, lang: &str) -> Result<LanguageApprovers> {
    of_language(db, crate::base::language::get(db.conn(), lang)?)
}

fn of_language(db: &Db, l: crate::base::language::Language) -> Result<LanguageApprovers> {
    let conn = db.conn();
    let reg = sharing::register_of(conn, Kind::Approvers, &l.code)?;
    let last = reg.shown();
    Ok(LanguageApprovers {
        key_ids: sharing::approvers(conn, &l.code)?,
        named_by: last.map(|v| v.change.author.clone()).unwrap_or_default(),
        named_from: last.map(|v| v.station.clone()).unwrap_or_default(),
        named_at: last.map(|v| v.change.at),
        lang: l.code,
        name_vi: l.name_vi,
    })
}

/// This station first, then every station whose key is known here.
fn candidates(db: &Db) -> Result<Vec<ApproverCandidate>> {
    let own = sharing::own_key_id(db.conn())?;
    let mut out = Vec::new();
    if !own.is_empty() {
        out.push(ApproverCandidate {
            key_id: own.clone(),
            name: station::own_name(db)?,
            own: true,
        });
    }
    let mut stmt = db.conn().prepare(
        "SELECT key_id, name FROM stations WHERE key_id IS NOT NULL AND key_id <> ?1
          ORDER BY trusted_at IS NULL, name",
    )?;
    let rows = stmt.query_map([&own], |r| {
        Ok(ApproverCandidate {
            key_id: r.get(0)?,
            name: r.get(1)?,
            own: false,
        })
    })?;
    for c in rows {
        out.push(c?);
    }
    Ok(out)
}

/// A key id as people type it: case and spaces aside, four groups of four
/// base32 letters.
fn key_id(typed: &str) -> Result<String> {
    let k: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let groups: Vec<&str> = k.split('-').collect();
    let ok = groups.len() == 4
        && groups.iter().all(|g| {
            g.len() == 4
                && g.bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        });
    if ok {
        Ok(k)
    } else {
        Err(CoreError::invalid("key-id", "format"))
    }
}

/// Names `lang`'s approvers (an empty list names nobody: anyone decides
/// again). Recorded as this station's change, sealed and sent with the
/// next sync; statuses already set are judged again at once.
pub fn name(
    db: &mut Db,
    lang: &str,
    key_ids: &[String],
    who: &str,
    at: i64,
) -> Result<LanguageApprovers> {
    if !may_name(db)? {
        return Err(CoreError::invalid("approvers", "province-only"));
    }
    let lang = crate::base::language::get(db.conn(), lang)?.code;
    let mut keys = key_ids
        .iter()
        .map(|k| key_id(k))
        .collect::<Result<Vec<String>>>()?;
    keys.sort();
    keys.dedup();
    let tx = db.conn_mut().transaction()?;
    sharing::record(
        &tx,
        Kind::Approvers,
        &lang,
        &ApproversValue { key_ids: keys },
        who,
        at,
    )?;
    tx.commit()?;
    get(db, &lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_read_as_typed_and_checked() {
        assert_eq!(
            key_id(" abcd-efgh-2345-67ab ").unwrap(),
            "ABCD-EFGH-2345-67AB"
        );
        for bad in [
            "",
            "ABCD-EFGH-2345",
            "ABCD-EFGH-2345-6781",
            "ABCD-EFGH-2345-67A",
        ] {
            assert!(key_id(bad).is_err(), "{bad}");
        }
    }
}

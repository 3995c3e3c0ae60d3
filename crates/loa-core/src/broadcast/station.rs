//! The station directory. Stations come from Vietnam's 2025 administrative
//! units (34 provinces, 3,321 communes/wards); pre-reform units merged into
//! each are kept as aliases so "huyện X" or "xã Y" from old documents still
//! finds the right station. No hierarchy is enforced: any station can issue
//! and any can receive; `parent` is only for display.

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::{like_contains, Db};
use crate::base::text;
use crate::broadcast::key::{PublicKeyInfo, StationKey};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum StationLevel {
    Province,
    Commune,
    Other,
}

impl StationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            StationLevel::Province => "province",
            StationLevel::Commune => "commune",
            StationLevel::Other => "other",
        }
    }

    fn from_db(s: &str) -> StationLevel {
        match s {
            "province" => StationLevel::Province,
            "commune" => StationLevel::Commune,
            _ => StationLevel::Other,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationSummary {
    pub id: i64,
    pub level: StationLevel,
    pub name: String,
    pub admin_code: Option<String>,
    pub parent_name: Option<String>,
    /// When the search matched a pre-reform name rather than the current one.
    pub matched_alias: Option<String>,
    pub alias_count: u32,
    /// Its public key is known and trusted for packages.
    pub trusted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationAlias {
    pub old_code: String,
    pub name: String,
    /// "full" or "partial": the old unit merged whole or in part.
    pub merge_type: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationDetail {
    pub summary: StationSummary,
    pub unit_type: String,
    pub languages: Vec<String>,
    pub contact: String,
    pub aliases: Vec<StationAlias>,
    #[ts(optional)]
    pub key: Option<StationKeyInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationKeyInfo {
    pub key_id: String,
    pub public_key: String,
    /// When someone chose to trust it; None = known but not trusted.
    #[ts(optional)]
    pub trusted_at: Option<i64>,
}

/// What a user edits on a station: who listens and how to reach it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationEdit {
    pub id: i64,
    pub languages: Vec<String>,
    pub contact: String,
}

/// A station outside the administrative directory (a provincial radio, a
/// cluster of IP speakers…).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationNew {
    pub name: String,
    #[serde(default)]
    pub admin_code: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StationQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub level: Option<StationLevel>,
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdminImportSummary {
    pub provinces: u32,
    pub communes: u32,
    pub aliases: u32,
}

#[derive(Deserialize)]
struct AdminFile {
    data: Vec<AdminProvince>,
}

#[derive(Deserialize)]
struct AdminProvince {
    level1_id: String,
    name: String,
    #[serde(default)]
    merges: Vec<AdminMerge>,
    #[serde(default)]
    level2s: Vec<AdminCommune>,
}

#[derive(Deserialize)]
struct AdminCommune {
    level2_id: String,
    name: String,
    #[serde(default)]
    merges: Vec<AdminMerge>,
}

#[derive(Deserialize)]
struct AdminMerge {
    old_id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
}

const UNIT_TYPES: &[&str] = &["Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu", "Thị trấn"];

fn unit_type(name: &str) -> &'static str {
    UNIT_TYPES
        .iter()
        .copied()
        .find(|t| name.starts_with(t))
        .unwrap_or("")
}

/// Vietnam's administrative units from 1 July 2025 (34 provinces, 3,321
/// communes and wards, with the units merged into each), shipped with the
/// program: see `assets/data/admin-units-2025`.
pub const ADMIN_UNITS_2025: &str =
    include_str!("../../../../assets/data/admin-units-2025/merges.json");

/// The edition of the directory [`ensure_directory`] loads; a later one
/// shipped with an update loads again (in place).
const DIRECTORY_EDITION: &str = "admin-units-2025-07-01";
const DIRECTORY_KEY: &str = "station_directory";

/// Fills the station directory with every province and commune, once per
/// data folder and edition: a new office finds its own station by name,
/// old names included, with no command line. Re-importing updates in
/// place, so stations already known keep their keys, contacts and trust.
/// Returns what was loaded, or None when this edition already was.
pub fn ensure_directory(db: &mut Db) -> Result<Option<AdminImportSummary>> {
    if crate::base::settings::get_value(db, DIRECTORY_KEY)?.as_deref() == Some(DIRECTORY_EDITION) {
        return Ok(None);
    }
    load_directory(db).map(Some)
}

/// Loads (or loads again, in place) the whole shipped directory: what
/// Stations offers when the directory is empty.
pub fn load_directory(db: &mut Db) -> Result<AdminImportSummary> {
    let tx = db.conn_mut().transaction()?;
    let summary = import_admin_units_in(&tx, ADMIN_UNITS_2025, None)?;
    tx.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [DIRECTORY_KEY, DIRECTORY_EDITION],
    )?;
    tx.commit()?;
    Ok(summary)
}

/// Imports the `merges.json` directory of administrative units, all or
/// nothing. `province` limits it to one province, given by code ("48") or by
/// name without diacritics ("da nang"). Re-importing updates in place.
pub fn import_admin_units(
    db: &mut Db,
    json: &str,
    province: Option<&str>,
) -> Result<AdminImportSummary> {
    crate::base::limits::check_len(
        "merges.json",
        crate::base::limits::ImportKind::AdminUnits,
        json.len() as u64,
    )?;
    let tx = db.conn_mut().transaction()?;
    let summary = import_admin_units_in(&tx, json, province)?;
    tx.commit()?;
    Ok(summary)
}

pub(crate) fn import_admin_units_in(
    conn: &Connection,
    json: &str,
    province: Option<&str>,
) -> Result<AdminImportSummary> {
    let file: AdminFile = serde_json::from_str(json).map_err(|e| CoreError::DataFile {
        name: "merges.json".into(),
        line: Some(e.line()),
        detail: e.to_string(),
    })?;
    let wanted = province.map(text::fold);
    let mut summary = AdminImportSummary::default();
    let created = now();
    for p in &file.data {
        if let Some(w) = &wanted {
            if p.level1_id != *w && !text::fold(&p.name).contains(w.as_str()) {
                continue;
            }
        }
        let pid = upsert_station(conn, "province", &p.level1_id, &p.name, None, created)?;
        summary.provinces += 1;
        summary.aliases += replace_aliases(conn, pid, &p.name, &p.merges)?;
        for c in &p.level2s {
            let cid = upsert_station(conn, "commune", &c.level2_id, &c.name, Some(pid), created)?;
            summary.communes += 1;
            summary.aliases += replace_aliases(conn, cid, &c.name, &c.merges)?;
        }
    }
    if summary.provinces == 0 {
        return Err(CoreError::DataFile {
            name: "merges.json".into(),
            line: None,
            detail: match province {
                Some(p) => format!("no province matches '{p}'"),
                None => "no provinces in file".into(),
            },
        });
    }
    Ok(summary)
}

fn upsert_station(
    conn: &Connection,
    level: &str,
    code: &str,
    name: &str,
    parent: Option<i64>,
    created: i64,
) -> Result<i64> {
    let name = text::canonical_vi_line(name);
    let code = text::clean_line(code);
    if name.is_empty() || code.is_empty() {
        return Err(CoreError::DataFile {
            name: "merges.json".into(),
            line: None,
            detail: format!("a {level} without name or code"),
        });
    }
    let id = conn
        .prepare_cached(
            "INSERT INTO stations(level, admin_code, name, unit_type, parent_id, search_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(level, admin_code) DO UPDATE SET
                name = excluded.name, unit_type = excluded.unit_type,
                parent_id = excluded.parent_id, search_key = excluded.search_key
             RETURNING id",
        )?
        .query_row(
            params![level, code, name, unit_type(&name), parent, text::fold(&name), created],
            |r| r.get(0),
        )?;
    Ok(id)
}

fn replace_aliases(
    conn: &Connection,
    id: i64,
    current: &str,
    merges: &[AdminMerge],
) -> Result<u32> {
    conn.execute("DELETE FROM station_aliases WHERE station_id = ?1", [id])?;
    let current_key = text::fold(current);
    let mut n = 0;
    let mut insert = conn.prepare_cached(
        "INSERT INTO station_aliases(station_id, old_code, name, merge_type, search_key)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for m in merges {
        let name = text::canonical_vi_line(&m.name);
        let key = text::fold(&name);
        // A unit "merged" into itself under the same name adds nothing to search.
        if key == current_key || name.is_empty() {
            continue;
        }
        let kind = if m.kind == "partial" {
            "partial"
        } else {
            "full"
        };
        insert.execute(params![id, text::clean_line(&m.old_id), name, kind, key])?;
        n += 1;
    }
    Ok(n)
}

const SUMMARY_SELECT: &str = "SELECT s.id, s.level, s.name, s.admin_code, p.name,
    (SELECT a.name FROM station_aliases a
      WHERE a.station_id = s.id AND ?1 <> '' AND a.search_key LIKE ?1 ESCAPE '\\'
        AND s.search_key NOT LIKE ?1 ESCAPE '\\' LIMIT 1),
    (SELECT count(*) FROM station_aliases a WHERE a.station_id = s.id),
    s.trusted_at IS NOT NULL
  FROM stations s LEFT JOIN stations p ON p.id = s.parent_id";

fn summary_row(r: &rusqlite::Row) -> rusqlite::Result<StationSummary> {
    Ok(StationSummary {
        id: r.get(0)?,
        level: StationLevel::from_db(&r.get::<_, String>(1)?),
        name: r.get(2)?,
        admin_code: r.get(3)?,
        parent_name: r.get(4)?,
        matched_alias: r.get(5)?,
        alias_count: r.get(6)?,
        trusted: r.get(7)?,
    })
}

/// Stations matching the search (current or pre-reform names, diacritics and
/// case ignored), provinces first, then by name.
pub fn list(db: &Db, q: &StationQuery) -> Result<Vec<StationSummary>> {
    let pattern = like_contains(&text::fold(q.search.as_deref().unwrap_or("")));
    let level = q.level.map(StationLevel::as_str).unwrap_or("");
    let limit = q.limit.unwrap_or(200).min(5000);
    let sql = format!(
        "{SUMMARY_SELECT}
         WHERE (?1 = '' OR s.search_key LIKE ?1 ESCAPE '\\' OR EXISTS (
                 SELECT 1 FROM station_aliases a
                  WHERE a.station_id = s.id AND a.search_key LIKE ?1 ESCAPE '\\'))
           AND (?2 = '' OR s.level = ?2)
         ORDER BY s.level <> 'province', s.search_key NOT LIKE ?1 ESCAPE '\\', s.search_key
         LIMIT ?3"
    );
    let mut stmt = db.conn().prepare_cached(&sql)?;
    let rows = stmt.query_map(params![pattern, level, limit], summary_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(db: &Db, id: i64) -> Result<StationDetail> {
    let conn = db.conn();
    let summary = conn
        .query_row(
            &format!("{SUMMARY_SELECT} WHERE s.id = ?2"),
            params!["", id],
            summary_row,
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("station", id))?;
    let (unit_type, languages, contact, key): (String, String, String, Option<StationKeyInfo>) =
        conn.query_row(
            "SELECT unit_type, languages, contact, key_id, public_key, trusted_at
               FROM stations WHERE id = ?1",
            [id],
            |r| {
                let key = match (r.get::<_, Option<String>>(3)?, r.get(4)?) {
                    (Some(key_id), Some(public_key)) => Some(StationKeyInfo {
                        key_id,
                        public_key,
                        trusted_at: r.get(5)?,
                    }),
                    _ => None,
                };
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, key))
            },
        )?;
    let mut stmt = conn.prepare_cached(
        "SELECT old_code, name, merge_type FROM station_aliases WHERE station_id = ?1 ORDER BY rowid",
    )?;
    let aliases = stmt
        .query_map([id], |r| {
            Ok(StationAlias {
                old_code: r.get(0)?,
                name: r.get(1)?,
                merge_type: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(StationDetail {
        summary,
        unit_type,
        languages: languages
            .split(',')
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        contact,
        aliases,
        key,
    })
}

/// This PC's station, as chosen in Settings.
pub fn own(db: &Db) -> Result<Option<StationSummary>> {
    crate::base::settings::load(db)?
        .station_id
        .map(|id| get(db, id).map(|d| d.summary))
        .transpose()
}

/// The name of this PC's station, or "" when none is chosen.
pub fn own_name(db: &Db) -> Result<String> {
    Ok(own(db)?.map(|s| s.name).unwrap_or_default())
}

/// This PC's public key with its station's name and code (the key is made
/// on first use).
pub fn own_key_info(db: &Db, data_dir: &std::path::Path) -> Result<PublicKeyInfo> {
    let (name, code) = own(db)?
        .map(|s| (s.name, s.admin_code.unwrap_or_default()))
        .unwrap_or_default();
    Ok(StationKey::own(db, data_dir)?.info(&name, &code))
}

/// Sets who listens (language codes from the registry) and the contact.
pub fn update(db: &mut Db, e: &StationEdit) -> Result<StationDetail> {
    let mut langs: Vec<String> = Vec::new();
    for l in &e.languages {
        let l = crate::base::language::get(db.conn(), l.trim())?.code;
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
    let contact = text::clean(&e.contact).trim().to_string();
    if contact.chars().count() > 500 {
        return Err(CoreError::invalid("contact", "too-long"));
    }
    let n = db.conn().execute(
        "UPDATE stations SET languages = ?2, contact = ?3 WHERE id = ?1",
        params![e.id, langs.join(","), contact],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("station", e.id));
    }
    get(db, e.id)
}

/// Adds a station that is not in the administrative directory.
pub fn create(db: &mut Db, n: &StationNew) -> Result<StationDetail> {
    let id = create_in(db.conn(), &n.name, &n.admin_code)?;
    get(db, id)
}

pub(crate) fn create_in(conn: &Connection, name: &str, admin_code: &str) -> Result<i64> {
    let name = text::canonical_vi_line(name);
    if name.is_empty() {
        return Err(CoreError::invalid("name", "empty"));
    }
    let code = text::clean_line(admin_code);
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM stations WHERE level = 'other' AND admin_code = ?1)",
        [&code],
        |r| r.get(0),
    )?;
    if !code.is_empty() && exists {
        return Err(CoreError::invalid("admin-code", "in-use"));
    }
    conn.execute(
        "INSERT INTO stations(level, admin_code, name, search_key, created_at)
         VALUES ('other', NULLIF(?1, ''), ?2, ?3, ?4)",
        params![code, name, text::fold(&name), now()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The station with this administrative code (a commune's before a
/// province's, since packages come mostly from communes and wards).
pub(crate) fn by_code(conn: &Connection, code: &str) -> Result<Option<i64>> {
    if code.trim().is_empty() {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT id FROM stations WHERE admin_code = ?1
              ORDER BY level = 'commune' DESC, level = 'province' DESC LIMIT 1",
            [code.trim()],
            |r| r.get(0),
        )
        .optional()?)
}

/// The station in this PC's directory that a package's issuer names: by
/// administrative code when it gives one, else by name (diacritics and
/// tone placement aside), a station with a trusted key first. A forger may
/// leave the code out; the name still finds the station it pretends to be.
pub(crate) fn for_issuer(conn: &Connection, name: &str, code: &str) -> Result<Option<i64>> {
    if let Some(id) = by_code(conn, code)? {
        return Ok(Some(id));
    }
    let want = text::fold(name);
    if want.is_empty() {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, name FROM stations ORDER BY trusted_at IS NULL, level = 'commune' DESC, id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, n) = row?;
        if text::fold(&n) == want {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Records a station's public key, trusted or not. A key already held by
/// another station is refused: one key id must name one issuer.
pub(crate) fn set_key(
    conn: &Connection,
    id: i64,
    info: &PublicKeyInfo,
    trusted: bool,
) -> Result<()> {
    let other: Option<i64> = conn
        .query_row(
            "SELECT id FROM stations WHERE key_id = ?1 AND id <> ?2",
            params![info.key_id, id],
            |r| r.get(0),
        )
        .optional()?;
    if other.is_some() {
        return Err(CoreError::invalid("key", "in-use"));
    }
    let n = conn.execute(
        "UPDATE stations SET public_key = ?2, key_id = ?3,
                trusted_at = CASE WHEN ?4 THEN ?5 ELSE NULL END
          WHERE id = ?1",
        params![id, info.public_key, info.key_id, trusted, now()],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("station", id));
    }
    Ok(())
}

/// The station's trusted key id, if it has one.
pub(crate) fn trusted_key_id(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT key_id FROM stations WHERE id = ?1 AND trusted_at IS NOT NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Replacing a station's trusted key is what a forger wants most, so it
/// takes its own confirmation: the last group of the new key id, typed
/// after reading it back with the station by phone. Trusting a first key,
/// or the same key again, needs none.
pub(crate) fn check_replacement(
    conn: &Connection,
    id: i64,
    new_key_id: &str,
    confirm: Option<&str>,
) -> Result<()> {
    match trusted_key_id(conn, id)? {
        Some(old) if old != new_key_id => {
            let last = new_key_id.rsplit('-').next().unwrap_or(new_key_id);
            let typed = confirm.map(|c| c.trim().to_ascii_uppercase());
            if typed.as_deref() == Some(last) {
                Ok(())
            } else {
                Err(CoreError::invalid("key-replace", "confirm"))
            }
        }
        _ => Ok(()),
    }
}

/// Trusts a public key (from an exported key file) as this station's. A
/// station that already trusts another key needs `confirm_replace`, the
/// new key id's last group ([`check_replacement`]).
pub fn trust(
    db: &mut Db,
    id: i64,
    info: &PublicKeyInfo,
    confirm_replace: Option<&str>,
) -> Result<StationDetail> {
    check_replacement(db.conn(), id, &info.key_id, confirm_replace)?;
    set_key(db.conn(), id, info, true)?;
    get(db, id)
}

/// Stops trusting the station's key; its packages are refused from now on.
pub fn untrust(db: &mut Db, id: i64) -> Result<StationDetail> {
    let n = db
        .conn()
        .execute("UPDATE stations SET trusted_at = NULL WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(CoreError::not_found("station", id));
    }
    get(db, id)
}

/// A trusted station holding this key id: (station id, public key hex).
pub(crate) fn trusted_key(conn: &Connection, key_id: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, public_key FROM stations WHERE key_id = ?1 AND trusted_at IS NOT NULL",
            [key_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn count(db: &Db) -> Result<u32> {
    Ok(db
        .conn()
        .query_row("SELECT count(*) FROM stations", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"data":[{"level1_id":"48","name":"Thành phố Đà Nẵng",
      "merges":[{"old_id":"48","name":"Thành phố Đà Nẵng","type":"full"},{"old_id":"49","name":"Tỉnh Quảng Nam","type":"full"}],
      "level2s":[{"level2_id":"20194","name":"Phường Hội An","merges":[{"old_id":"20200","name":"Phường Minh An","type":"full"},{"old_id":"20203","name":"Phường Cẩm Phô","type":"partial"}]},
                 {"level2_id":"20333","name":"Xã Đông Giang","merges":[]}]},
      {"level1_id":"01","name":"Thành phố Hà Nội","merges":[],"level2s":[]}]}"#;

    #[test]
    fn import_search_by_new_and_old_names() {
        let mut db = Db::open_in_memory().unwrap();
        let s = import_admin_units(&mut db, SAMPLE, Some("da nang")).unwrap();
        assert_eq!(
            s,
            AdminImportSummary {
                provinces: 1,
                communes: 2,
                aliases: 3
            }
        );
        let hits = list(
            &db,
            &StationQuery {
                search: Some("dong giang".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "Xã Đông Giang");
        assert_eq!(hits[0].parent_name.as_deref(), Some("Thành phố Đà Nẵng"));
        assert!(hits[0].matched_alias.is_none());

        // An old ward name finds the new ward and says which alias matched.
        let hits = list(
            &db,
            &StationQuery {
                search: Some("CAM PHO".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "Phường Hội An");
        assert_eq!(hits[0].matched_alias.as_deref(), Some("Phường Cẩm Phô"));

        let detail = get(&db, hits[0].id).unwrap();
        assert_eq!(detail.aliases.len(), 2);
        assert_eq!(detail.aliases[1].merge_type, "partial");
        assert_eq!(detail.unit_type, "Phường");

        // Re-import updates in place instead of duplicating.
        import_admin_units(&mut db, SAMPLE, Some("48")).unwrap();
        assert_eq!(count(&db).unwrap(), 3);
    }

    #[test]
    fn a_new_data_folder_gets_the_whole_directory_once() {
        let mut db = Db::open_in_memory().unwrap();
        let s = ensure_directory(&mut db)
            .unwrap()
            .expect("loaded the first time");
        assert_eq!((s.provinces, s.communes), (34, 3321));
        assert_eq!(count(&db).unwrap(), 34 + 3321);
        assert!(
            ensure_directory(&mut db).unwrap().is_none(),
            "once per edition"
        );
        // A pre-2025 name finds today's ward (Trúc Bạch is in Ba Đình).
        let q = StationQuery {
            search: Some("truc bach".into()),
            ..Default::default()
        };
        let hits = list(&db, &q).unwrap();
        assert_eq!(hits[0].name, "Phường Ba Đình");
        assert_eq!(hits[0].matched_alias.as_deref(), Some("Phường Trúc Bạch"));
        // A later edition loads in place: what the office added is kept.
        let id = hits[0].id;
        let edit = StationEdit {
            id,
            languages: vec![],
            contact: "Anh Tùng 0905 123 456".into(),
        };
        update(&mut db, &edit).unwrap();
        crate::base::settings::set_value(&db, DIRECTORY_KEY, "an older edition").unwrap();
        assert!(ensure_directory(&mut db).unwrap().is_some());
        assert_eq!(count(&db).unwrap(), 34 + 3321);
        assert_eq!(get(&db, id).unwrap().contact, "Anh Tùng 0905 123 456");
    }

    #[test]
    fn bad_files_change_nothing() {
        let mut db = Db::open_in_memory().unwrap();
        let err = import_admin_units(&mut db, "{\"data\": [", None).unwrap_err();
        assert_eq!(err.code(), "data-file");
        let err = import_admin_units(&mut db, SAMPLE, Some("ca mau")).unwrap_err();
        assert_eq!(err.code(), "data-file");
        // A commune with no name fails the whole import after the province
        // was written: the transaction must roll that back.
        let broken = SAMPLE.replace("\"Xã Đông Giang\"", "\"  \"");
        assert!(import_admin_units(&mut db, &broken, None).is_err());
        assert_eq!(count(&db).unwrap(), 0);
    }
}

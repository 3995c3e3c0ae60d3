//! Groups of stations to address packages to, e.g. "communes with Cơ Tu
//! listeners". A group is only a named set; any station may be in several.

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::broadcast::station::StationSummary;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub members: Vec<StationSummary>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename = "StationGroupSave")]
pub struct GroupSave {
    /// None creates a group.
    #[ts(optional)]
    pub id: Option<i64>,
    pub name: String,
    pub station_ids: Vec<i64>,
}

pub fn list(db: &Db) -> Result<Vec<Group>> {
    let ids: Vec<i64> = {
        let mut stmt = db
            .conn()
            .prepare_cached("SELECT id FROM station_groups ORDER BY search_key")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ids.into_iter().map(|id| get(db, id)).collect()
}

pub fn get(db: &Db, id: i64) -> Result<Group> {
    let name: String = db
        .conn()
        .query_row("SELECT name FROM station_groups WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| CoreError::not_found("group", id))?;
    let ids: Vec<i64> = {
        let mut stmt = db.conn().prepare_cached(
            "SELECT m.station_id FROM station_group_members m JOIN stations s ON s.id = m.station_id
              WHERE m.group_id = ?1 ORDER BY s.search_key",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let members = ids
        .into_iter()
        .map(|s| crate::broadcast::station::get(db, s).map(|d| d.summary))
        .collect::<Result<_>>()?;
    Ok(Group { id, name, members })
}

/// Creates or renames a group and sets its members, all at once.
pub fn save(db: &mut Db, g: &GroupSave) -> Result<Group> {
    let name = text::canonical_vi_line(&g.name);
    if name.is_empty() {
        return Err(CoreError::invalid("name", "empty"));
    }
    let key = text::fold(&name);
    let tx = db.conn_mut().transaction()?;
    let clash: Option<i64> = tx
        .query_row(
            "SELECT id FROM station_groups WHERE search_key = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    if clash.is_some() && clash != g.id {
        return Err(CoreError::invalid("name", "in-use"));
    }
    let id = match g.id {
        Some(id) => {
            let n = tx.execute(
                "UPDATE station_groups SET name = ?2, search_key = ?3 WHERE id = ?1",
                params![id, name, key],
            )?;
            if n == 0 {
                return Err(CoreError::not_found("group", id));
            }
            tx.execute(
                "DELETE FROM station_group_members WHERE group_id = ?1",
                [id],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO station_groups(name, search_key, created_at) VALUES (?1, ?2, ?3)",
                params![name, key, now()],
            )?;
            tx.last_insert_rowid()
        }
    };
    for s in &g.station_ids {
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM stations WHERE id = ?1)",
            [s],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(CoreError::not_found("station", s));
        }
        tx.execute(
            "INSERT OR IGNORE INTO station_group_members(group_id, station_id) VALUES (?1, ?2)",
            params![id, s],
        )?;
    }
    tx.commit()?;
    get(db, id)
}

pub fn delete(db: &Db, id: i64) -> Result<()> {
    let n = db
        .conn()
        .execute("DELETE FROM station_groups WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(CoreError::not_found("group", id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broadcast::station::{self, StationNew};

    #[test]
    fn groups_hold_stations_and_names_are_unique() {
        let mut db = Db::open_in_memory().unwrap();
        let a = station::create(
            &mut db,
            &StationNew {
                name: "Xã A Vương".into(),
                admin_code: String::new(),
            },
        )
        .unwrap();
        let b = station::create(
            &mut db,
            &StationNew {
                name: "Xã Tây Giang".into(),
                admin_code: String::new(),
            },
        )
        .unwrap();
        let g = save(
            &mut db,
            &GroupSave {
                id: None,
                name: "Xã có đồng bào Cơ Tu".into(),
                station_ids: vec![b.summary.id, a.summary.id],
            },
        )
        .unwrap();
        let names: Vec<_> = g.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Xã A Vương", "Xã Tây Giang"]);

        let dup = GroupSave {
            id: None,
            name: "XA CO DONG BAO CO TU".into(),
            station_ids: vec![],
        };
        assert_eq!(save(&mut db, &dup).unwrap_err().args()[1].1, "in-use");

        // A bad member fails the whole save: the old members stay.
        let bad = GroupSave {
            id: Some(g.id),
            name: "Cơ Tu".into(),
            station_ids: vec![a.summary.id, 999],
        };
        assert!(save(&mut db, &bad).is_err());
        let kept = get(&db, g.id).unwrap();
        assert_eq!(
            (kept.name.as_str(), kept.members.len()),
            ("Xã có đồng bào Cơ Tu", 2)
        );

        delete(&db, g.id).unwrap();
        assert!(list(&db).unwrap().is_empty());
        assert_eq!(station::count(&db).unwrap(), 2, "stations stay");
    }
}

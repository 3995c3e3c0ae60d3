//! Migrations: a fresh database and a database left at every older version
//! both reach the same schema, and data written at an old version survives.

use loa_core::base::store::{latest_version, migrate_to, schema_version, Db, MIGRATIONS};
use rusqlite::Connection;

fn schema(conn: &Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn versions_are_consecutive() {
    for (i, m) in MIGRATIONS.iter().enumerate() {
        assert_eq!(m.version as usize, i + 1, "{}", m.name);
    }
}

#[test]
fn empty_database_reaches_latest() {
    let db = Db::open_in_memory().unwrap();
    assert_eq!(db.schema_version().unwrap(), latest_version());
    let fk: bool = db
        .conn()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert!(fk, "foreign keys must be enforced");
}

#[test]
fn every_older_version_upgrades_with_its_data() {
    let fresh = Db::open_in_memory().unwrap();
    let want = schema(fresh.conn());
    for v in 0..latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            let mut conn = Connection::open(&path).unwrap();
            assert_eq!(migrate_to(&mut conn, v).unwrap(), v);
            if v >= 1 {
                conn.execute(
                    "INSERT INTO settings(key, value) VALUES ('user.name', 'Bà Lan')",
                    [],
                )
                .unwrap();
            }
            // Versions before fonts, palettes and term dates (v8).
            if (3..8).contains(&v) {
                conn.execute_batch(
                    "INSERT INTO languages(code, name_vi, script) VALUES ('blt', 'Tiếng Thái', 'Tavt');
                     INSERT INTO concepts(id, created_at, updated_at) VALUES (1, 42, 42);
                     INSERT INTO terms(concept_id, lang, text, search_key, created_at)
                     VALUES (1, 'blt', 'ꪀꪱ', 'ꪀꪱ', 42);",
                )
                .unwrap();
            }
            // Takes before non-destructive edits (v10).
            if v == 9 {
                conn.execute_batch(
                    "INSERT OR IGNORE INTO languages(code, name_vi, script) VALUES ('vie', 'Tiếng Việt', 'Latn');
                     INSERT INTO scripts(id, title, body, created_at, updated_at)
                     VALUES (7, 'Tin', 'Xin chào.', 0, 0);
                     INSERT INTO takes(script_id, lang, name, file, origin, seconds, rate, channels,
                                       range_lu, peaks, created_at)
                     VALUES (7, 'vie', '', 's7-vie-1-1.wav', 'recorded', 12.5, 48000, 1, 0, x'', 0);",
                )
                .unwrap();
            }
            // Received packages before the record of imports (v14).
            if (12..14).contains(&v) {
                conn.execute_batch(
                    "INSERT INTO packages(uuid, direction, title, issuer_name, key_id, created,
                         valid_from, valid_until, priority, manifest, recorded_at)
                     VALUES ('0f0e0d0c-0b0a-4908-8706-050403020100', 'received', 'Tin', 'Xã A',
                             'AAAA-AAAA-AAAA-AAAA', '', '2026-12-01', '2026-12-02', 'normal', '{}', 77);",
                )
                .unwrap();
            }
            // Versions before full-text search (v4): the upgrade must index these.
            if (2..4).contains(&v) {
                conn.execute(
                    "INSERT INTO scripts(title, body, created_at, updated_at)
                     VALUES ('Lịch tiêm chủng', 'Trạm y tế xã thông báo.', 0, 0)",
                    [],
                )
                .unwrap();
            }
        }
        let db = Db::open(&path).unwrap();
        assert_eq!(db.schema_version().unwrap(), latest_version(), "from v{v}");
        assert_eq!(schema(db.conn()), want, "schema after upgrading from v{v}");
        if v >= 1 {
            let name: String = db
                .conn()
                .query_row(
                    "SELECT value FROM settings WHERE key = 'user.name'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(name, "Bà Lan", "data written at v{v} survives");
        }
        if (3..8).contains(&v) {
            let blt = loa_core::base::language::get(db.conn(), "blt").unwrap();
            assert_eq!(
                blt.font,
                loa_core::base::language::TAI_VIET_FONT,
                "from v{v}"
            );
            assert!(!blt.palette.is_empty());
            let c = loa_core::translate::glossary::get(db.conn(), 1).unwrap();
            assert_eq!(c.terms[0].updated_at, 42, "from v{v}");
        }
        if (12..14).contains(&v) {
            let at: i64 = db
                .conn()
                .query_row(
                    "SELECT imported_at FROM imported_packages
                      WHERE uuid = '0f0e0d0c-0b0a-4908-8706-050403020100'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(at, 77, "a package received at v{v} counts as imported");
        }
        if v == 9 {
            let t = &loa_core::record::recording::list(&db, 7, "vie").unwrap()[0];
            assert_eq!((t.seconds, t.source_seconds), (12.5, 12.5));
            assert!(t.edit.is_empty() && !t.can_undo && !t.can_redo);
        }
        if (2..4).contains(&v) {
            // Scripts written before full-text search existed are found by it.
            let hits = loa_core::draft::script::list(
                &db,
                &loa_core::draft::script::ScriptQuery {
                    search: Some("tram y te".into()),
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(hits.len(), 1, "from v{v}");
            assert_eq!(
                loa_core::draft::script::revisions(&db, hits[0].id)
                    .unwrap()
                    .len(),
                1
            );
        }
        let mode: String = db
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}

#[test]
fn builtin_templates_arrive_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open_dir(dir.path()).unwrap();
    let first = loa_core::draft::template::list(&db).unwrap();
    assert_eq!(first.len(), 3);
    loa_core::draft::template::delete(&mut db, first[0].id).unwrap();
    drop(db);
    // Reopening does not bring a deleted built-in template back.
    let db = Db::open_dir(dir.path()).unwrap();
    assert_eq!(loa_core::draft::template::list(&db).unwrap().len(), 2);
}

#[test]
fn newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
    }
    let err = Db::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "schema-too-new");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), latest_version() + 1);
    assert!(schema(&conn).is_empty(), "nothing was created");
}

#[test]
fn failed_migration_rolls_back() {
    // A migration is one transaction: simulate a broken step and check the
    // version did not move and no half-made table remains.
    let mut conn = Connection::open_in_memory().unwrap();
    migrate_to(&mut conn, 1).unwrap();
    let tx = conn.transaction().unwrap();
    let res = tx.execute_batch("CREATE TABLE half(x); INSERT INTO nowhere VALUES (1);");
    assert!(res.is_err());
    drop(tx);
    assert_eq!(schema_version(&conn).unwrap(), 1);
    assert!(!schema(&conn).iter().any(|(n, _)| n == "half"));
}

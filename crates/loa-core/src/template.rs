//! Script templates: start a common notice from a ready structure instead of
//! a blank page. Built-in templates are Loa Studio's own samples, written
//! with [placeholders] to fill in; users save their own from any script.

use crate::clock::now;
use crate::error::{CoreError, Result};
use crate::script::{self, Category, Priority, ScriptDetail, ScriptInput};
use crate::store::Db;
use crate::text;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub body: String,
    pub program: String,
    pub category: Category,
    pub priority: Priority,
    /// Shipped with the app (still deletable).
    pub builtin: bool,
}

/// IPC arguments: save script `script_id` as a template called `name`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveAsTemplate {
    pub script_id: i64,
    pub name: String,
}

const BUILTIN: &[(&str, &str, Category, Priority, &str)] = &[
    (
        "Thông báo tiêm chủng",
        "Thông báo lịch tiêm chủng [tên vắc xin]",
        Category::Health,
        Priority::Normal,
        "Kính thưa bà con nhân dân!\n\
         Trạm Y tế [tên xã, phường] thông báo lịch tiêm [tên vắc xin] cho [đối tượng] như sau.\n\
         Thời gian: từ [giờ] ngày [ngày/tháng/năm].\n\
         Địa điểm: [địa điểm].\n\
         Đề nghị các gia đình đưa [đối tượng] đến đúng giờ và mang theo sổ tiêm chủng. Mọi thắc mắc xin liên hệ [số điện thoại].\n\
         Xin trân trọng thông báo!",
    ),
    (
        "Lịch cắt điện",
        "Thông báo tạm ngừng cung cấp điện ngày [ngày/tháng]",
        Category::Other,
        Priority::Priority,
        "Kính thưa bà con!\n\
         [Tên đơn vị điện lực] thông báo tạm ngừng cung cấp điện để [lý do, ví dụ: bảo dưỡng đường dây].\n\
         Thời gian: từ [giờ] đến [giờ] ngày [ngày/tháng/năm].\n\
         Khu vực mất điện: [thôn, tổ dân phố].\n\
         Đề nghị bà con chủ động sắp xếp công việc, sinh hoạt. Xin cảm ơn!",
    ),
    (
        "Cảnh báo thiên tai",
        "Cảnh báo [mưa lớn, lũ quét, sạt lở đất] tại [khu vực]",
        Category::Disaster,
        Priority::Emergency,
        "Khẩn cấp! Kính thưa bà con!\n\
         [Tên cơ quan] cảnh báo: [mưa lớn, lũ quét, sạt lở đất] có thể xảy ra tại [khu vực] từ [thời gian].\n\
         Đề nghị bà con không đi qua [sông, suối, ngầm tràn, vùng có nguy cơ sạt lở]; di chuyển người và tài sản đến [nơi an toàn].\n\
         Thường xuyên theo dõi thông báo trên loa truyền thanh. Khi cần trợ giúp, liên hệ [số điện thoại].",
    ),
];

/// Migration 5's data step: the built-in templates, once.
pub fn add_builtin(conn: &Connection) -> Result<()> {
    let t = now();
    for (name, title, category, priority, body) in BUILTIN {
        conn.execute(
            "INSERT OR IGNORE INTO script_templates(name, title, body, category, priority, builtin, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
            params![name, title, body, category.as_str(), priority.as_str(), t],
        )?;
    }
    Ok(())
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Template> {
    let cat: String = r.get(5)?;
    let pri: String = r.get(6)?;
    Ok(Template {
        id: r.get(0)?,
        name: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        program: r.get(4)?,
        category: Category::parse(&cat).unwrap_or(Category::Other),
        priority: Priority::parse(&pri).unwrap_or(Priority::Normal),
        builtin: r.get(7)?,
    })
}

const COLUMNS: &str =
    "SELECT id, name, title, body, program, category, priority, builtin FROM script_templates";

pub fn list(db: &Db) -> Result<Vec<Template>> {
    let mut items: Vec<Template> = db
        .conn()
        .prepare_cached(COLUMNS)?
        .query_map([], row)?
        .collect::<rusqlite::Result<_>>()?;
    items.sort_by_cached_key(|t| (!t.builtin, text::fold(&t.name)));
    Ok(items)
}

fn get(db: &Db, id: i64) -> Result<Template> {
    db.conn()
        .query_row(&format!("{COLUMNS} WHERE id = ?1"), [id], row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("template", id))
}

/// Saves a script's wording and settings as a template.
pub fn save_from_script(db: &mut Db, script_id: i64, name: &str) -> Result<Template> {
    let name = text::canonical_vi_line(name);
    if name.is_empty() {
        return Err(CoreError::invalid("template-name", "empty"));
    }
    let s = script::get(db, script_id)?.input;
    let taken: bool = db.conn().query_row(
        "SELECT EXISTS(SELECT 1 FROM script_templates WHERE name = ?1)",
        [&name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(CoreError::invalid("template-name", "taken"));
    }
    db.conn().execute(
        "INSERT INTO script_templates(name, title, body, program, category, priority, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            name,
            s.title,
            s.body,
            s.program,
            s.category.as_str(),
            s.priority.as_str(),
            now()
        ],
    )?;
    get(db, db.conn().last_insert_rowid())
}

pub fn delete(db: &mut Db, id: i64) -> Result<()> {
    if db
        .conn()
        .execute("DELETE FROM script_templates WHERE id = ?1", [id])?
        == 0
    {
        return Err(CoreError::not_found("template", id));
    }
    Ok(())
}

/// A new draft script filled from the template.
pub fn new_script(db: &mut Db, id: i64, author: &str) -> Result<ScriptDetail> {
    let t = get(db, id)?;
    let input = ScriptInput {
        title: if t.title.is_empty() { t.name } else { t.title },
        body: t.body,
        program: t.program,
        category: t.category,
        priority: t.priority,
        ..Default::default()
    };
    script::create(db, &input, author)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_start_scripts_and_users_add_their_own() {
        let mut db = Db::open_in_memory().unwrap();
        let all = list(&db).unwrap();
        assert_eq!(all.len(), 3);
        let warning = all.iter().find(|t| t.name == "Cảnh báo thiên tai").unwrap();
        let d = new_script(&mut db, warning.id, "Lan").unwrap();
        assert_eq!(d.summary.priority, Priority::Emergency);
        assert_eq!(d.summary.category, Category::Disaster);
        assert!(d.input.body.starts_with("Khẩn cấp!"));

        let mine = save_from_script(&mut db, d.summary.id, "  Cảnh báo lũ thôn 3 ").unwrap();
        assert_eq!(mine.name, "Cảnh báo lũ thôn 3");
        assert!(!mine.builtin);
        let err = save_from_script(&mut db, d.summary.id, "Cảnh báo lũ thôn 3").unwrap_err();
        assert_eq!(err.args()[1].1, "taken");
        assert_eq!(
            save_from_script(&mut db, d.summary.id, " ")
                .unwrap_err()
                .code(),
            "invalid"
        );
        assert_eq!(list(&db).unwrap().len(), 4);
        delete(&mut db, mine.id).unwrap();
        assert_eq!(delete(&mut db, mine.id).unwrap_err().code(), "not-found");
        assert_eq!(list(&db).unwrap().len(), 3);
    }
}

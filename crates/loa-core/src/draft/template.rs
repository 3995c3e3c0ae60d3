//! Script templates: start a common notice from a ready structure instead of
//! a blank page. Built-in templates are Loa Studio's own samples, written
//! with [placeholders] to fill in; users save their own from any script.

use crate::base::clock::now;
use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::base::text;
use crate::draft::script::{self, Category, Priority, ScriptDetail, ScriptInput};
use rusqlite::{params, OptionalExtension};
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

//! Demo content, all of it real or labelled: scripts quoted verbatim from the
//! client's provincial documents, the stations of one province from the 2025
//! administrative units, and the Vietnamese–Mường vocabulary of Sidwell &
//! Alves (2021, CC BY 4.0). Everything is compiled in, so a fresh install
//! needs no files.

use crate::base::error::{CoreError, Result};
use crate::base::settings;
use crate::base::store::Db;
use crate::broadcast::station;
use crate::draft::script::{self, Category, Priority, ScriptInput, Status};
use crate::translate::glossary::exchange;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const MUONG_CSV: &str = include_str!("../../../assets/data/glossary-vi-muong/vi-mtq.csv");
const SCRIPTS_JSON: &str = include_str!("../../../assets/demo/scripts.json");

/// The province whose stations the demo loads: Đà Nẵng, which since July
/// 2025 includes the former Quảng Nam of Kế hoạch 6684/KH-UBND.
pub const DEMO_PROVINCE: &str = "48";

pub const MUONG_SOURCE: &str = "Sidwell, Paul & Alves, Mark (2021). Vietic 116 item phylogenetic lexicon. Zenodo, doi:10.5281/zenodo.5263195. CC BY 4.0.";

const SEEDED_KEY: &str = "demo.seeded";
/// Author and approver of the demo scripts: says plainly it is demo data.
const DEMO_PERSON: &str = "Dữ liệu mẫu";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    /// True when the demo was already there and nothing was added.
    pub already_seeded: bool,
    pub scripts: u32,
    pub concepts: u32,
    pub stations: u32,
}

#[derive(Deserialize)]
struct DemoFile {
    scripts: Vec<DemoScript>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoScript {
    title: String,
    program: String,
    category: String,
    priority: String,
    status: String,
    policy_ref: String,
    target_langs: Vec<String>,
    source: String,
    notes: String,
    body: String,
}

fn demo_error(detail: String) -> CoreError {
    CoreError::DataFile {
        name: "demo".into(),
        line: None,
        detail,
    }
}

/// The demo scripts' texts (the benchmark builds its synthetic scripts from
/// their sentences).
pub fn demo_bodies() -> Vec<String> {
    serde_json::from_str::<DemoFile>(SCRIPTS_JSON)
        .map(|f| f.scripts.into_iter().map(|s| s.body).collect())
        .unwrap_or_default()
}

/// Loads the demo once, in one transaction; later calls change nothing.
pub fn seed(db: &mut Db) -> Result<DemoSummary> {
    if settings::get_value(db, SEEDED_KEY)?.is_some() {
        return Ok(DemoSummary {
            already_seeded: true,
            ..Default::default()
        });
    }
    let file: DemoFile =
        serde_json::from_str(SCRIPTS_JSON).map_err(|e| demo_error(e.to_string()))?;
    let tx = db.conn_mut().transaction()?;
    let mut summary = DemoSummary::default();
    for s in &file.scripts {
        let parse_err = || demo_error(format!("bad enum in demo script '{}'", s.title));
        let status = Status::parse(&s.status).ok_or_else(parse_err)?;
        let id = script::create_in(
            &tx,
            &ScriptInput {
                title: s.title.clone(),
                body: s.body.clone(),
                program: s.program.clone(),
                category: Category::parse(&s.category).ok_or_else(parse_err)?,
                priority: Priority::parse(&s.priority).ok_or_else(parse_err)?,
                policy_ref: s.policy_ref.clone(),
                target_langs: s.target_langs.clone(),
                notes: s.notes.clone(),
                ..Default::default()
            },
            DEMO_PERSON,
            &s.source,
        )?;
        // Walk the workflow so the history is as real as the status.
        for step in [Status::Review, Status::Approved] {
            if status == Status::Draft || (status == Status::Review && step == Status::Approved) {
                break;
            }
            script::set_status_in(&tx, id, step, DEMO_PERSON, "")?;
        }
        summary.scripts += 1;
    }
    let st = station::import_admin_units_in(&tx, station::ADMIN_UNITS_2025, Some(DEMO_PROVINCE))?;
    summary.stations = st.provinces + st.communes;
    let langs = crate::base::language::list_in(&tx)?;
    let table = exchange::read_csv(MUONG_CSV.as_bytes())?;
    let mapping: Vec<String> = ["id", "definition", "term:vie", "term:mtq"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let incoming = exchange::table_concepts(
        "CSV",
        &table,
        &mapping,
        exchange::Split::Descriptive,
        "Từ vựng cơ bản (Vietic 116)",
        MUONG_SOURCE,
        &langs,
    )?;
    let g = exchange::apply(&tx, "CSV", incoming, exchange::OnConflict::Add, DEMO_PERSON)?;
    summary.concepts = g.concepts;
    tx.execute(
        "INSERT INTO settings(key, value) VALUES (?1, '1')",
        [SEEDED_KEY],
    )?;
    tx.commit()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::glossary;

    #[test]
    fn demo_loads_once_with_real_content() {
        let mut db = Db::open_in_memory().unwrap();
        let s = seed(&mut db).unwrap();
        assert_eq!(s.scripts, 3);
        assert_eq!(s.concepts, 116);
        // Đà Nẵng: the city plus its 94 communes and wards.
        assert_eq!(s.stations, 95);
        assert!(seed(&mut db).unwrap().already_seeded);
        assert_eq!(script::count(&db).unwrap(), 3);

        // The old province name of the client's documents still finds stations.
        let hits = station::list(
            &db,
            &station::StationQuery {
                search: Some("quang nam".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(hits[0].name, "Thành phố Đà Nẵng");
        assert_eq!(hits[0].matched_alias.as_deref(), Some("Tỉnh Quảng Nam"));

        let page = glossary::list(
            &db,
            &glossary::ConceptQuery {
                search: Some("cắn".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(page.items[0].definition, "bite (v)");
        assert_eq!(page.items[0].source, MUONG_SOURCE);
    }
}

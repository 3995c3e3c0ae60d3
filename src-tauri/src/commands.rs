//! The IPC surface. Each command is declared once in `commands!` with its
//! argument and result types; the macro makes the Tauri command (run on a
//! blocking thread, errors mapped to [`ApiError`]) and the TypeScript
//! signature, so the two cannot disagree.

use crate::error::ApiError;
use crate::AppState;
use loa_core::{glossary, language, script, settings, station, Db};
use std::path::Path;
use std::sync::Arc;

pub struct CommandSig {
    pub name: &'static str,
    pub args_ts: String,
    pub ret_ts: String,
}

macro_rules! commands {
    ($( fn $name:ident($args:ty) -> $ret:ty = $handler:expr; )*) => {
        pub mod ipc {
            use super::*;
            $(
                #[tauri::command]
                pub async fn $name(
                    state: tauri::State<'_, Arc<AppState>>,
                    args: $args,
                ) -> Result<$ret, ApiError> {
                    let state = Arc::clone(state.inner());
                    tauri::async_runtime::spawn_blocking(move || {
                        state.with_db(|db, dir| {
                            let f: fn(&mut Db, &Path, $args) -> loa_core::Result<$ret> = $handler;
                            f(db, dir, args)
                        })
                    })
                    .await
                    .map_err(ApiError::internal)?
                }
            )*
        }

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(ipc::$name),*]
        }

        pub fn signatures() -> Vec<CommandSig> {
            let cfg = crate::bindings::config();
            vec![$(CommandSig {
                name: stringify!($name),
                args_ts: <$args as ts_rs::TS>::name(&cfg),
                ret_ts: <$ret as ts_rs::TS>::name(&cfg),
            }),*]
        }
    };
}

commands! {
    fn app_overview(()) -> loa_core::Overview = |db, dir, ()| loa_core::overview(db, dir);
    fn settings_get(()) -> settings::Settings = |db, _, ()| settings::load(db);
    fn settings_update(settings::SettingsPatch) -> settings::Settings =
        |db, _, patch| settings::update(db, &patch);
    fn language_list(()) -> Vec<language::Language> = |db, _, ()| language::list(db);
    fn script_list(script::ScriptQuery) -> Vec<script::ScriptSummary> = |db, _, q| script::list(db, &q);
    fn script_get(i64) -> script::ScriptDetail = |db, _, id| script::get(db, id);
    fn glossary_list(glossary::ConceptQuery) -> glossary::ConceptPage = |db, _, q| glossary::list(db, &q);
    fn station_list(station::StationQuery) -> Vec<station::StationSummary> = |db, _, q| station::list(db, &q);
    fn station_get(i64) -> station::StationDetail = |db, _, id| station::get(db, id);
}

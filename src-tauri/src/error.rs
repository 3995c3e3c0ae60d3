//! The error every command returns: a stable code plus the Fluent message id
//! and arguments, so the UI shows it in the user's language.

use loa_core::base::i18n::{localized_error_args, Localizer};
use loa_core::CoreError;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: String,
    pub message_id: String,
    pub args: BTreeMap<String, String>,
    /// English rendering, for logs and as a last resort.
    pub message: String,
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let en = Localizer::new("en");
        ApiError {
            code: e.code().to_string(),
            message_id: format!("error-{}", e.code()),
            // Raw args: the UI localizes field/what/reason itself.
            args: e
                .args()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            message: en.get(
                &format!("error-{}", e.code()),
                &localized_error_args(&e, |id| en.has(id).then(|| en.get(id, &[]))),
            ),
        }
    }
}

impl ApiError {
    pub fn internal(detail: impl ToString) -> Self {
        let detail = detail.to_string();
        ApiError {
            code: "internal".into(),
            message_id: "error-internal".into(),
            args: BTreeMap::from([("detail".to_string(), detail.clone())]),
            message: format!("Internal error: {detail}"),
        }
    }
}

//! Glossaries and memories shared between offices: every edit is recorded
//! as a change, and changes from elsewhere are applied so that every copy
//! that has seen the same changes holds the same glossary and memory,
//! whatever order they came in. The design is docs/shared-terminology.md;
//! signing and carrying the changes is `broadcast::changes`.

use serde::{Deserialize, Serialize};

mod register;
pub use register::{
    adopt, apply, approvers, history, own_key_id, record, register_of, status_set_by, unsealed,
    History, Register, Version,
};

/// TBX administrative status of a term, as stored (here, below the
/// glossary, because a status that arrives from elsewhere is checked too).
pub const STATUSES: &[&str] = &["preferred", "admitted", "deprecated", "forbidden"];

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A concept's own fields; subject: the concept's uid.
    Concept,
    /// A term's fields; subject: the term's uid.
    Term,
    /// A term's status; subject: the term's uid.
    Status,
    /// An approver's rejection of a proposed status; subject: the term's uid.
    Decision,
    /// A memory unit added; subject: the unit's uid.
    Tm,
    /// A language's terminology approvers; subject: the language code.
    Approvers,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Concept => "concept",
            Kind::Term => "term",
            Kind::Status => "status",
            Kind::Decision => "decision",
            Kind::Tm => "tm",
            Kind::Approvers => "approvers",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Concept,
            Kind::Term,
            Kind::Status,
            Kind::Decision,
            Kind::Tm,
            Kind::Approvers,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One change, as signed and carried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub id: String,
    pub kind: Kind,
    pub subject: String,
    /// The versions this one replaces.
    #[serde(default)]
    pub base: Vec<String>,
    /// Unix seconds.
    pub at: i64,
    pub author: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConceptValue {
    pub external_id: String,
    pub domain: String,
    pub definition: String,
    pub note: String,
    pub source: String,
    pub deleted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TermValue {
    /// The concept's uid.
    pub concept: String,
    pub lang: String,
    pub text: String,
    pub part_of_speech: String,
    pub usage_note: String,
    pub source: String,
    /// The status a new term starts with; later ones are `status` changes.
    pub status: String,
    pub deleted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatusValue {
    pub status: String,
    /// The proposals an approver's status change accepts.
    pub accepts: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DecisionValue {
    /// The rejected proposals.
    pub rejects: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TmValue {
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    pub translator: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApproversValue {
    pub key_ids: Vec<String>,
}

#[cfg(test)]
mod tests;

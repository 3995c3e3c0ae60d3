//! Errors of the core. Each has a stable `code`; the UI and the CLI turn it
//! into a sentence in the user's language through the Fluent message
//! `error-<code>`, with `args` as the message's variables.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no data directory could be determined; set LOA_DATA_DIR or pass --data-dir")]
    NoDataDir,
    #[error("database schema version {found} is newer than this app supports ({supported})")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("invalid {field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    /// A file that parses but says something wrong: `problem` is a message-id
    /// fragment (`problem-<id>`), `value` what was found.
    #[error("cannot read {name}{}: {problem} {value}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    DataRow {
        name: String,
        line: Option<usize>,
        problem: &'static str,
        value: String,
    },
    #[error("cancelled")]
    Cancelled,
    /// The station's signing key file is gone on a PC that had one.
    #[error("the station key {path} is missing; restore it from a backup")]
    KeyMissing { path: PathBuf, key_id: String },
    /// Another program (the app, or a writing `loa`) has the data folder.
    #[error("the data folder {path} is in use by {program} (process {pid})")]
    FolderInUse {
        path: PathBuf,
        program: String,
        pid: String,
    },
    /// A broadcast package refused by verification; nothing was imported.
    #[error("package refused ({}): {detail}", problem.code())]
    Package {
        problem: PackageProblem,
        /// The file, key id or date concerned.
        detail: String,
    },
    /// An update refused before anything was installed.
    #[error("update refused ({}): {detail}", problem.code())]
    Update {
        problem: UpdateProblem,
        detail: String,
    },
    /// Shared terminology changes refused; nothing was applied.
    #[error("changes refused ({}): {detail}", problem.code())]
    Changes {
        problem: ChangesProblem,
        /// The station or set concerned.
        detail: String,
    },
    /// A server could not be reached or answered with an error.
    #[error("cannot reach {url}: {detail}")]
    Network { url: String, detail: String },
    /// The province hub refused a request; `code` is one of [`HUB_CODES`].
    #[error("the hub refused: {code} {detail}")]
    Hub { code: &'static str, detail: String },
    #[error("cannot read {name}{}: {detail}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    DataFile {
        name: String,
        line: Option<usize>,
        detail: String,
    },
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl CoreError {
    /// Something wrong in a file or device called `name` (at `line` when
    /// known): `problem` names a `problem-*` message, `value` what was found.
    pub fn data_row(
        name: impl Into<String>,
        line: Option<usize>,
        problem: &'static str,
        value: impl Into<String>,
    ) -> Self {
        CoreError::DataRow {
            name: name.into(),
            line,
            problem,
            value: value.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CoreError::Io {
            path: path.into(),
            source,
        }
    }

    pub fn invalid(field: &'static str, reason: &'static str) -> Self {
        CoreError::Invalid { field, reason }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        CoreError::NotFound {
            what,
            id: id.to_string(),
        }
    }

    /// Whether the disk (or the database on it) is full: said as such, so
    /// the user knows to free space rather than call for help.
    pub fn is_disk_full(&self) -> bool {
        match self {
            CoreError::Db(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::DiskFull
            }
            CoreError::Io { source, .. } => source.kind() == std::io::ErrorKind::StorageFull,
            _ => false,
        }
    }

    /// Stable machine-readable code; the Fluent id is `error-<code>`.
    pub fn code(&self) -> &'static str {
        if self.is_disk_full() {
            return "disk-full";
        }
        match self {
            CoreError::Db(_) => "db",
            CoreError::Io { .. } => "io",
            CoreError::NoDataDir => "no-data-dir",
            CoreError::SchemaTooNew { .. } => "schema-too-new",
            CoreError::NotFound { .. } => "not-found",
            CoreError::Invalid { .. } => "invalid",
            CoreError::DataFile { .. } => "data-file",
            CoreError::DataRow { .. } => "data-row",
            CoreError::Cancelled => "cancelled",
            CoreError::FolderInUse { .. } => "folder-in-use",
            CoreError::KeyMissing { .. } => "key-missing",
            CoreError::Package { problem, .. } => problem.code(),
            CoreError::Update { problem, .. } => problem.code(),
            CoreError::Changes { problem, .. } => problem.code(),
            CoreError::Network { .. } => "network",
            CoreError::Hub { code, .. } => code,
        }
    }

    /// Variables for the Fluent message. `field`, `what` and `reason` are
    /// themselves message-id fragments, so the UI can localize them too.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            CoreError::Db(e) => vec![("detail", e.to_string())],
            CoreError::Io { path, source } => vec![
                ("path", path.display().to_string()),
                ("detail", source.to_string()),
            ],
            CoreError::NoDataDir | CoreError::Cancelled => vec![],
            CoreError::Network { url, detail } => {
                vec![("url", url.clone()), ("detail", detail.clone())]
            }
            CoreError::KeyMissing { path, key_id } => vec![
                ("path", path.display().to_string()),
                ("keyId", key_id.clone()),
            ],
            CoreError::FolderInUse { path, program, pid } => vec![
                ("path", path.display().to_string()),
                ("program", program.clone()),
                ("pid", pid.clone()),
            ],
            CoreError::Package { detail, .. }
            | CoreError::Update { detail, .. }
            | CoreError::Changes { detail, .. }
            | CoreError::Hub { detail, .. } => {
                vec![("detail", detail.clone())]
            }
            CoreError::SchemaTooNew { found, supported } => vec![
                ("found", found.to_string()),
                ("supported", supported.to_string()),
            ],
            CoreError::NotFound { what, id } => {
                vec![("what", what.to_string()), ("id", id.clone())]
            }
            CoreError::Invalid { field, reason } => {
                vec![("field", field.to_string()), ("reason", reason.to_string())]
            }
            CoreError::DataRow {
                name,
                line,
                problem,
                value,
            } => vec![
                ("name", name.clone()),
                (
                    "line",
                    line.map(|l| l.to_string()).unwrap_or_else(|| "none".into()),
                ),
                ("problem", problem.to_string()),
                (
                    "value",
                    if value.is_empty() {
                        String::new()
                    } else {
                        format!(" “{value}”")
                    },
                ),
            ],
            CoreError::DataFile { name, line, detail } => vec![
                ("name", name.clone()),
                (
                    "line",
                    line.map(|l| l.to_string()).unwrap_or_else(|| "none".into()),
                ),
                ("detail", detail.clone()),
            ],
        }
    }

    /// Every code but the hub's ([`HUB_CODES`]), for the test that checks
    /// each has a message in every locale.
    pub const ALL_CODES: &'static [&'static str] = &[
        "db",
        "io",
        "no-data-dir",
        "schema-too-new",
        "not-found",
        "invalid",
        "data-file",
        "data-row",
        "cancelled",
        "folder-in-use",
        "disk-full",
        "key-missing",
        "package-damaged",
        "package-unsupported",
        "package-unsafe-path",
        "package-symlink",
        "package-duplicate",
        "package-too-large",
        "package-no-manifest",
        "package-bad-manifest",
        "package-format",
        "package-signature",
        "package-untrusted",
        "package-missing-file",
        "package-tampered",
        "package-unlisted",
        "package-expired",
        "package-valid-too-long",
        "network",
        // And every one of [`HUB_CODES`].
        "hub-refused",
        "update-damaged",
        "update-no-signature",
        "update-signature",
        "update-bad-manifest",
        "update-platform",
        "update-not-newer",
        "update-missing-file",
        "update-tampered",
        "changes-damaged",
        "changes-signature",
        "changes-untrusted",
        "changes-not-allowed",
        "changes-too-large",
        "changes-unknown-language",
        "changes-cannot-apply",
    ];
}

/// Why a package was refused, in the order verification checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageProblem {
    /// Not a readable ZIP (truncated, not a package at all).
    Damaged,
    /// Encrypted entries or a compression method we do not read.
    Unsupported,
    /// An absolute, `..`, drive or otherwise unsafe entry name (zip-slip).
    UnsafePath,
    Symlink,
    Duplicate,
    /// Declared sizes beyond the bounds (zip bombs).
    TooLarge,
    NoManifest,
    BadManifest,
    /// A format version this app does not know.
    Format,
    /// The signature does not match the manifest and its key.
    Signature,
    /// Signed correctly, by a key this station has not trusted.
    Untrusted,
    MissingFile,
    /// A file's size or SHA-256 differs from the manifest's.
    Tampered,
    /// A file in the archive the manifest does not list.
    Unlisted,
    Expired,
    /// Valid for longer than [`crate::broadcast::package::MAX_VALID_DAYS`].
    ValidTooLong,
}

impl PackageProblem {
    pub fn code(self) -> &'static str {
        match self {
            PackageProblem::Damaged => "package-damaged",
            PackageProblem::Unsupported => "package-unsupported",
            PackageProblem::UnsafePath => "package-unsafe-path",
            PackageProblem::Symlink => "package-symlink",
            PackageProblem::Duplicate => "package-duplicate",
            PackageProblem::TooLarge => "package-too-large",
            PackageProblem::NoManifest => "package-no-manifest",
            PackageProblem::BadManifest => "package-bad-manifest",
            PackageProblem::Format => "package-format",
            PackageProblem::Signature => "package-signature",
            PackageProblem::Untrusted => "package-untrusted",
            PackageProblem::MissingFile => "package-missing-file",
            PackageProblem::Tampered => "package-tampered",
            PackageProblem::Unlisted => "package-unlisted",
            PackageProblem::Expired => "package-expired",
            PackageProblem::ValidTooLong => "package-valid-too-long",
        }
    }
}

/// Why an update was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateProblem {
    /// Not a readable update file.
    Damaged,
    /// No `update.sig`, or not a signature.
    NoSignature,
    /// Not signed by the release key.
    Signature,
    BadManifest,
    /// Made for another operating system or processor.
    Platform,
    /// The same version as the one running, or older.
    NotNewer,
    MissingFile,
    /// The installer differs from what was signed.
    Tampered,
}

impl UpdateProblem {
    pub fn code(self) -> &'static str {
        match self {
            UpdateProblem::Damaged => "update-damaged",
            UpdateProblem::NoSignature => "update-no-signature",
            UpdateProblem::Signature => "update-signature",
            UpdateProblem::BadManifest => "update-bad-manifest",
            UpdateProblem::Platform => "update-platform",
            UpdateProblem::NotNewer => "update-not-newer",
            UpdateProblem::MissingFile => "update-missing-file",
            UpdateProblem::Tampered => "update-tampered",
        }
    }
}

/// Why shared terminology changes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangesProblem {
    /// Not a changes file or set this app can read.
    Damaged,
    /// The signature does not match the set and its key.
    Signature,
    /// Signed by a key this station has not trusted (files only; the hub
    /// enrols the keys it carries).
    Untrusted,
    /// A change its signer may not make (naming approvers needs a trusted
    /// province key).
    NotAllowed,
    /// More changes or longer texts than any office makes.
    TooLarge,
    /// Terms in a language this station does not have, and the set does
    /// not define it (held until the language is added here).
    UnknownLanguage,
    /// The set would break this station's data (held, tried again).
    CannotApply,
}

impl ChangesProblem {
    pub fn code(self) -> &'static str {
        match self {
            ChangesProblem::Damaged => "changes-damaged",
            ChangesProblem::Signature => "changes-signature",
            ChangesProblem::Untrusted => "changes-untrusted",
            ChangesProblem::NotAllowed => "changes-not-allowed",
            ChangesProblem::TooLarge => "changes-too-large",
            ChangesProblem::UnknownLanguage => "changes-unknown-language",
            ChangesProblem::CannotApply => "changes-cannot-apply",
        }
    }
}

/// What the province hub may answer when it refuses, as the stations know
/// them; anything else is `hub-refused`.
pub const HUB_CODES: &[&str] = &[
    "hub-unknown-key",
    "hub-bad-signature",
    "hub-clock-skew",
    "hub-replay",
    "hub-malformed",
    "hub-body-mismatch",
    "hub-forbidden",
    "hub-too-large",
    "hub-issuer-not-enrolled",
    "hub-bad-request",
    "hub-unavailable",
];

impl CoreError {
    /// The hub's refusal `code` (with its `detail`) as an error of the core:
    /// a package code the stations also use keeps its meaning.
    pub fn from_hub(code: &str, detail: impl Into<String>) -> CoreError {
        let detail = detail.into();
        if let Some(c) = HUB_CODES.iter().find(|c| **c == code) {
            return CoreError::Hub { code: c, detail };
        }
        match CoreError::ALL_CODES
            .iter()
            .find(|c| **c == code && c.starts_with("package-"))
        {
            Some(c) => CoreError::Hub { code: c, detail },
            None => CoreError::Hub {
                code: "hub-refused",
                detail: format!("{code} {detail}"),
            },
        }
    }
}

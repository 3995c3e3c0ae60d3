//! Fluent messages shared by the CLI, the shell and the UI: the `.ftl` files
//! under `locales/` are compiled in, so the app needs no files at run time.

use crate::base::error::CoreError;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::collections::BTreeSet;

/// UI languages, Vietnamese first: it is the default and the fallback.
pub const UI_LANGS: &[&str] = &["vi", "en"];
/// Every file each locale has; the parity test checks the folders match.
pub const FILES: &[&str] = &[
    "app.ftl",
    "errors.ftl",
    "cli.ftl",
    "glossary.ftl",
    "translate.ftl",
    "recordings.ftl",
    "transcripts.ftl",
    "broadcast.ftl",
];

macro_rules! locale_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../../../../locales/", $lang, "/app.ftl")),
            include_str!(concat!("../../../../locales/", $lang, "/errors.ftl")),
            include_str!(concat!("../../../../locales/", $lang, "/cli.ftl")),
            include_str!(concat!("../../../../locales/", $lang, "/glossary.ftl")),
            include_str!(concat!("../../../../locales/", $lang, "/translate.ftl")),
            include_str!(concat!("../../../../locales/", $lang, "/recordings.ftl")),
            include_str!(concat!("../../../../locales/", $lang, "/transcripts.ftl")),
            include_str!(concat!("../../../../locales/", $lang, "/broadcast.ftl")),
        ]
    };
}

const VI: [&str; 8] = locale_files!("vi");
const EN: [&str; 8] = locale_files!("en");

/// The embedded sources of `lang` (Vietnamese for anything unknown).
pub fn sources(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &EN,
        _ => &VI,
    }
}

/// Picks a supported UI language from a setting or a locale string such as
/// `en_US.UTF-8`; Vietnamese when nothing matches.
pub fn pick_lang(requested: Option<&str>) -> &'static str {
    let req = requested.unwrap_or("").to_ascii_lowercase();
    UI_LANGS
        .iter()
        .copied()
        .find(|l| req.starts_with(l))
        .unwrap_or("vi")
}

pub struct Localizer {
    lang: &'static str,
    bundle: FluentBundle<FluentResource>,
}

impl Localizer {
    pub fn new(lang: &str) -> Localizer {
        let lang = pick_lang(Some(lang));
        let id: unic_langid::LanguageIdentifier = lang.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks: they show up as junk in terminals.
        bundle.set_use_isolating(false);
        for src in sources(lang) {
            // Syntax errors are caught by the locale tests; a partially
            // parsed resource still serves every well-formed message.
            let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(res, _)| res);
            let _ = bundle.add_resource(res);
        }
        Localizer { lang, bundle }
    }

    pub fn lang(&self) -> &'static str {
        self.lang
    }

    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message text, or the id itself when it does not exist (visible,
    /// never a crash).
    pub fn get(&self, id: &str, args: &[(&str, String)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }

    /// The error as a sentence in this language. Arguments that name a field,
    /// thing or reason are themselves localized (`field-title`, …).
    pub fn error(&self, e: &CoreError) -> String {
        let args = localized_error_args(e, |id| self.has(id).then(|| self.get(id, &[])));
        self.get(&format!("error-{}", e.code()), &args)
    }
}

/// The error's arguments with `field`, `what` and `reason` values replaced by
/// their message when `lookup` knows one.
pub fn localized_error_args(
    e: &CoreError,
    lookup: impl Fn(&str) -> Option<String>,
) -> Vec<(&'static str, String)> {
    e.args()
        .into_iter()
        .map(|(k, v)| {
            if matches!(k, "field" | "what" | "reason" | "problem") {
                let localized = lookup(&format!("{k}-{v}")).unwrap_or(v);
                (k, localized)
            } else {
                (k, v)
            }
        })
        .collect()
}

/// Message ids (and `id.attribute` for attributes) defined in `src`, plus the
/// parse errors as text.
pub fn message_ids_in(src: &str) -> (BTreeSet<String>, Vec<String>) {
    use fluent_syntax::ast::Entry;
    let (res, errors) = match fluent_syntax::parser::parse(src) {
        Ok(r) => (r, vec![]),
        Err((r, errs)) => (r, errs.iter().map(|e| format!("{e:?}")).collect()),
    };
    let mut ids = BTreeSet::new();
    for entry in res.body {
        match entry {
            Entry::Message(m) => {
                for a in &m.attributes {
                    ids.insert(format!("{}.{}", m.id.name, a.id.name));
                }
                ids.insert(m.id.name.to_string());
            }
            Entry::Term(t) => {
                ids.insert(format!("-{}", t.id.name));
            }
            _ => {}
        }
    }
    (ids, errors)
}

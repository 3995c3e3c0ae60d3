//! Scripts written out for people: plain text now, Word documents next.

use crate::i18n::Localizer;
use crate::script::ScriptDetail;

fn duration(l: &Localizer, secs: u32) -> String {
    let (min, sec) = (secs / 60, secs % 60);
    if min == 0 {
        l.get("duration-sec", &[("sec", sec.to_string())])
    } else {
        l.get(
            "duration-min-sec",
            &[("min", min.to_string()), ("sec", sec.to_string())],
        )
    }
}

/// A reading copy: a header with program, priority, policy reference and
/// reading time, then the text. UTF-8 with a BOM and CRLF line ends, so
/// Notepad on older Windows shows Vietnamese correctly.
pub fn script_txt(d: &ScriptDetail, l: &Localizer) -> String {
    let s = &d.summary;
    let mut head = vec![s.title.to_uppercase()];
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            head.push(format!("{}: {value}", l.get(label, &[])));
        }
    };
    field("script-program", s.program.clone().unwrap_or_default());
    field(
        "script-priority",
        l.get(&format!("priority-{}", s.priority.as_str()), &[]),
    );
    field("script-policy-ref", s.policy_ref.clone());
    field("script-reading-time", duration(l, s.est_seconds));
    field(
        "script-status",
        l.get(&format!("status-{}", s.status.as_str()), &[]),
    );
    let text = format!("{}\n\n{}\n", head.join("\n"), d.input.body);
    format!("\u{FEFF}{}", text.replace('\n', "\r\n"))
}

/// The duration sentence used by the CLI and exports.
pub fn format_duration(l: &Localizer, secs: u32) -> String {
    duration(l, secs)
}

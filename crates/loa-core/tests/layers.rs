//! The shape of the core, checked: its modules never import each other in a
//! loop, and a stage never imports a later one (base ← draft ← translate ←
//! record ← broadcast; what spans them, at the crate root, comes last).
//!
//! Every `crate::…`, `super::…` and `self::…` path in the library's code is
//! an edge, as is a path through a child module's name. Test code
//! (`#[cfg(test)]`) and comments are left out. A path that ends at a name a
//! module only re-exports from its child (`pub use child::Name`) is followed
//! to the child, so a folder's `mod.rs` may gather its children's names
//! without that counting as an import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const STAGES: [&str; 5] = ["base", "draft", "translate", "record", "broadcast"];

/// A module's path below the crate root (`["draft", "script"]`).
type Module = Vec<String>;

struct Source {
    module: Module,
    /// `a/mod.rs` (or lib.rs): its children are `a::*`.
    is_dir: bool,
    code: String,
}

#[derive(Debug, Default)]
struct Report {
    edges: BTreeMap<Module, BTreeSet<Module>>,
    upward: Vec<(Module, Module)>,
    loops: Vec<Vec<Module>>,
}

fn stage(m: &Module) -> usize {
    m.first()
        .and_then(|s| STAGES.iter().position(|st| st == s))
        .unwrap_or(STAGES.len())
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// The code without comments, string contents and `#[cfg(test)]` items.
fn library_code(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if src[i..].starts_with("//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if src[i..].starts_with("/*") {
            i = src[i..].find("*/").map_or(b.len(), |e| i + e + 2);
        } else if src[i..].starts_with("'\"'") || src[i..].starts_with("'\\\"'") {
            // A quote as a char literal does not open a string.
            i += if b[i + 1] == b'\\' { 4 } else { 3 };
        } else if let Some(hashes) = raw_string(&src[i..]) {
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            i = src[body..]
                .find(&close)
                .map_or(b.len(), |e| body + e + close.len());
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            // Strings may hold `crate::` in messages; keep the quotes only.
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if src[i..].starts_with("#[cfg(test)]") {
            i = skip_item(b, i + "#[cfg(test)]".len());
        } else {
            let c = src[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `r"`, `r#"`…: how many `#` open the raw string starting here.
fn raw_string(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('r')?;
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    rest[hashes..].starts_with('"').then_some(hashes)
}

/// The end of the item starting at `i`: its `;` or its balanced `{…}`.
fn skip_item(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] != b';' && b[i] != b'{' {
        i += 1;
    }
    if i < b.len() && b[i] == b'{' {
        let mut depth = 0;
        while i < b.len() {
            match b[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    i + 1
}

/// Every path a use-tree starting at `s` spells, each as its segments.
fn use_tree(s: &str) -> Vec<Vec<String>> {
    fn tree(s: &[char], i: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let mut path = prefix.to_vec();
        loop {
            while *i < s.len() && s[*i].is_whitespace() {
                *i += 1;
            }
            if *i < s.len() && s[*i] == '{' {
                *i += 1;
                loop {
                    tree(s, i, &path, out);
                    while *i < s.len() && s[*i].is_whitespace() {
                        *i += 1;
                    }
                    match s.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            return;
                        }
                        _ => return,
                    }
                    while *i < s.len() && s[*i].is_whitespace() {
                        *i += 1;
                    }
                    if s.get(*i) == Some(&'}') {
                        *i += 1;
                        return;
                    }
                }
            }
            let start = *i;
            while *i < s.len() && (s[*i].is_alphanumeric() || s[*i] == '_') {
                *i += 1;
            }
            if *i == start {
                out.push(path);
                return;
            }
            path.push(s[start..*i].iter().collect());
            if s.get(*i) == Some(&':') && s.get(*i + 1) == Some(&':') {
                *i += 2;
            } else {
                out.push(path);
                return;
            }
        }
    }
    let chars: Vec<char> = s.chars().take(4000).collect();
    let mut out = Vec::new();
    tree(&chars, &mut 0, &[], &mut out);
    out
}

fn ident_before(code: &str, at: usize) -> bool {
    code[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
}

fn analyze(sources: &[Source]) -> Report {
    let modules: BTreeSet<Module> = sources.iter().map(|s| s.module.clone()).collect();
    let codes: Vec<String> = sources.iter().map(|s| library_code(&s.code)).collect();
    // Names a module re-exports from a child: (module, name) → child.
    let mut reexports: BTreeMap<(Module, String), Module> = BTreeMap::new();
    for (s, code) in sources.iter().zip(&codes) {
        for (at, _) in code.match_indices("pub") {
            let rest = &code[at..];
            let Some(after) = ["pub use ", "pub(crate) use ", "pub(super) use "]
                .iter()
                .find_map(|p| rest.strip_prefix(p))
            else {
                continue;
            };
            for path in use_tree(after) {
                let Some(first) = path.first() else { continue };
                let mut child = s.module.clone();
                let rel: &[String] = match first.as_str() {
                    "crate" => {
                        child.clear();
                        &path[1..]
                    }
                    "self" => &path[1..],
                    _ => &path[..],
                };
                let Some((last, dirs)) = rel.split_last() else {
                    continue;
                };
                child.extend(dirs.iter().cloned());
                if child.len() > s.module.len() && child.starts_with(&s.module) {
                    reexports.insert((s.module.clone(), last.clone()), child);
                }
            }
        }
    }
    let resolve = |path: &[String]| -> Option<Module> {
        let mut best = (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|m| modules.contains(m))?;
        // Through re-exports to the module that defines the name.
        while let Some(next) = path
            .get(best.len())
            .and_then(|n| reexports.get(&(best.clone(), n.clone())))
        {
            let rest = &path[best.len() + 1..];
            let mut deeper = next.clone();
            deeper.push(path[best.len()].clone());
            deeper.extend(rest.iter().cloned());
            best = (0..=deeper.len())
                .rev()
                .map(|n| deeper[..n].to_vec())
                .find(|m| modules.contains(m))?;
        }
        Some(best)
    };
    let mut report = Report::default();
    for (s, code) in sources.iter().zip(&codes) {
        let parent: Module = s.module[..s.module.len().saturating_sub(1)].to_vec();
        let scope = if s.is_dir {
            s.module.clone()
        } else {
            parent.clone()
        };
        let children: BTreeSet<&str> = modules
            .iter()
            .filter(|m| m.len() == s.module.len() + 1 && m.starts_with(&s.module) && s.is_dir)
            .map(|m| m[m.len() - 1].as_str())
            .collect();
        let mut targets = BTreeSet::new();
        let mut heads: Vec<(&str, Module)> = vec![
            ("crate::", Vec::new()),
            ("super::", parent.clone()),
            ("self::", s.module.clone()),
        ];
        for c in &children {
            let mut m = scope.clone();
            m.push((*c).to_string());
            heads.push((c, m));
        }
        for (head, base) in &heads {
            let is_child = !head.ends_with("::");
            let pat = if is_child {
                format!("{head}::")
            } else {
                head.to_string()
            };
            for (at, _) in code.match_indices(&pat) {
                if ident_before(code, at) {
                    continue;
                }
                let before = code[..at].trim_end();
                if is_child && (before.ends_with("mod") || is_facade_use(code, at)) {
                    continue;
                }
                let from = if is_child { at } else { at + pat.len() };
                for tail in use_tree(&code[from..]) {
                    let mut full = base.clone();
                    if is_child {
                        full.truncate(full.len() - 1);
                    }
                    full.extend(tail);
                    if let Some(t) = resolve(&full) {
                        if t != s.module {
                            targets.insert(t);
                        }
                    }
                }
            }
        }
        for t in &targets {
            if stage(t) > stage(&s.module) {
                report.upward.push((s.module.clone(), t.clone()));
            }
        }
        report.edges.insert(s.module.clone(), targets);
    }
    report.loops = cycles(&report.edges);
    report
}

/// Whether the path at `at` sits in a `pub use` statement.
fn is_facade_use(code: &str, at: usize) -> bool {
    let start = code[..at].rfind([';', '}', '{']).map_or(0, |i| i + 1);
    let mut stmt = code[start..at].trim_start();
    // Past the statement's attributes (`#[cfg(feature = …)]`).
    while let Some(rest) = stmt.strip_prefix("#[") {
        stmt = rest.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    stmt.starts_with("pub use")
        || stmt.starts_with("pub(crate) use")
        || stmt.starts_with("pub(super) use")
}

/// Strongly connected groups of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Module) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.edges.get(v).into_iter().flatten() {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut group = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                t.out.push(group);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn read_crate(root: &Path) -> Vec<Source> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<Source>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src readable")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(root).expect("under src");
                let mut module: Module = rel
                    .with_extension("")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                let stem = module.last().cloned().unwrap_or_default();
                let is_dir = stem == "mod" || stem == "lib";
                if is_dir {
                    module.pop();
                }
                let code = std::fs::read_to_string(&p).expect("utf-8 source");
                out.push(Source {
                    module,
                    is_dir,
                    code,
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    // Files that are test modules of their parent (`#[cfg(test)] mod tests;`).
    let test_files: BTreeSet<Module> = out
        .iter()
        .flat_map(|s| {
            let scope = if s.is_dir {
                s.module.clone()
            } else {
                s.module[..s.module.len().saturating_sub(1)].to_vec()
            };
            s.code
                .match_indices("#[cfg(test)]")
                .filter_map(|(at, _)| {
                    let rest = s.code[at + 12..].trim_start();
                    let rest = rest.strip_prefix("pub ").unwrap_or(rest);
                    let name = rest.strip_prefix("mod ")?.split(';').next()?.trim();
                    (!name.contains('{')).then(|| {
                        let mut m = scope.clone();
                        m.push(name.to_string());
                        m
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    out.retain(|s| !test_files.contains(&s.module));
    out
}

#[test]
fn the_core_has_no_loops_and_no_upward_imports() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let report = analyze(&read_crate(&src));
    let edges: usize = report.edges.values().map(BTreeSet::len).sum();
    println!("{} modules, {edges} imports", report.edges.len());
    let upward: Vec<String> = report
        .upward
        .iter()
        .map(|(a, b)| format!("{} → {}", name(a), name(b)))
        .collect();
    let loops: Vec<String> = report
        .loops
        .iter()
        .map(|g| g.iter().map(name).collect::<Vec<_>>().join(", "))
        .collect();
    assert!(
        upward.is_empty(),
        "a stage imports a later one:\n{}",
        upward.join("\n")
    );
    assert!(
        loops.is_empty(),
        "modules import each other in a loop:\n{}",
        loops.join("\n")
    );
    assert!(report.edges.len() > 40, "the walk found the modules");
    assert!(edges > 100, "the walk found the imports");
}

#[test]
fn the_check_sees_loops_upward_imports_and_follows_reexports() {
    let src = |module: &str, is_dir: bool, code: &str| Source {
        module: module
            .split("::")
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        is_dir,
        code: code.to_string(),
    };
    let report = analyze(&[
        src("", true, "pub mod base; pub mod draft; pub use base::store::Db;"),
        src("base", true, "pub mod store; pub mod text;"),
        src("base::store", false, "use crate::base::text::fold; // crate::draft::x\n"),
        src(
            "base::text",
            false,
            "pub fn fold() { let s = \"crate::draft\"; crate::Db::open(); }\n#[cfg(test)]\nmod tests { use crate::draft::script; }",
        ),
        src("draft", true, "mod script; pub use script::{create, Script};"),
        src("draft::script", false, "use crate::{base::{store, text::fold}};\nuse super::other;"),
    ]);
    let m = |s: &str| -> Module { s.split("::").map(String::from).collect() };
    assert_eq!(
        report.edges[&m("base::store")],
        [m("base::text")].into_iter().collect(),
        "comments are not imports"
    );
    assert_eq!(
        report.loops,
        vec![vec![m("base::store"), m("base::text")]],
        "crate::Db is base::store through the root's re-export"
    );
    assert!(
        report.upward.is_empty(),
        "strings and tests are not imports"
    );
    assert!(
        report.edges[&m("draft")].is_empty(),
        "a facade's pub use is not an import"
    );
    let report = analyze(&[
        src("", true, "pub mod base; pub mod draft;"),
        src("base", true, "pub mod text;"),
        src("base::text", false, "use crate::draft::create;"),
        src("draft", true, "mod script; pub use script::create;"),
        src("draft::script", false, "pub fn create() {}"),
    ]);
    assert_eq!(
        report.upward,
        vec![(m("base::text"), m("draft::script"))],
        "a re-exported name is followed to its module"
    );
}

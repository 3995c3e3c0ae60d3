#!/usr/bin/env python3
"""Third-party notices for what Loa Studio ships: every crate the app and
the `loa` CLI link (normal dependencies, from Cargo.lock) and every npm
package bundled into the UI, with its licence and the licence texts its
authors published. Writes assets/licenses/third-party.json (for Settings →
About) and assets/licenses/THIRD-PARTY-NOTICES.txt (shipped in the
installers). Run after changing a lock file: `make notices`."""
import hashlib, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "assets", "licenses")
SHIPPED = {"loa-studio", "loa-cli"}
LICENSE_FILES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE")


def texts(folder):
    """The licence files a package carries, as (file name, text)."""
    found = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return found
    for n in names:
        if n.upper().startswith(LICENSE_FILES) and os.path.isfile(os.path.join(folder, n)):
            with open(os.path.join(folder, n), encoding="utf-8", errors="replace") as f:
                found.append((n, f.read().strip()))
    return found


def crates():
    # The platforms the installers are for; each adds its own crates.
    out = {}
    for triple in ("x86_64-unknown-linux-gnu", "x86_64-pc-windows-gnu"):
        for c in crates_for(triple):
            out[(c["name"], c["version"])] = c
    return list(out.values())


def crates_for(triple):
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", triple],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    pkgs = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    members = set(meta["workspace_members"])
    todo = [i for i in members if pkgs[i]["name"] in SHIPPED]
    seen = set()
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        for d in nodes[i]["deps"]:
            # Only what is linked into the programs: no build scripts' or
            # tests' dependencies.
            if any(k["kind"] is None for k in d["dep_kinds"]):
                todo.append(d["pkg"])
    out = []
    for i in seen - members:
        p = pkgs[i]
        out.append({
            "name": p["name"], "version": p["version"], "source": "crates.io",
            "license": p.get("license") or "see files",
            "repository": p.get("repository") or "",
            "texts": texts(os.path.dirname(p["manifest_path"])),
        })
    return out


def npm():
    ui = os.path.join(ROOT, "ui")
    tree = json.loads(subprocess.run(
        ["npm", "ls", "--omit=dev", "--all", "--json"],
        cwd=ui, capture_output=True, text=True).stdout or "{}")
    names = set()

    def walk(deps):
        for name, d in (deps or {}).items():
            names.add(name)
            walk(d.get("dependencies"))

    walk(tree.get("dependencies"))
    # Svelte compiles into the bundle: its runtime ships though it is a
    # build tool to npm.
    names.add("svelte")
    out = []
    for name in names:
        folder = os.path.join(ui, "node_modules", name)
        try:
            with open(os.path.join(folder, "package.json"), encoding="utf-8") as f:
                p = json.load(f)
        except OSError:
            continue
        repo = p.get("repository")
        out.append({
            "name": name, "version": p.get("version", ""), "source": "npm",
            "license": p.get("license") or "see files",
            "repository": repo.get("url", "") if isinstance(repo, dict) else (repo or ""),
            "texts": texts(folder),
        })
    return out


def main():
    items = sorted(crates() + npm(), key=lambda p: (p["source"], p["name"].lower(), p["version"]))
    os.makedirs(OUT, exist_ok=True)
    listing = [{k: p[k] for k in ("name", "version", "source", "license", "repository")} for p in items]
    with open(os.path.join(OUT, "third-party.json"), "w", encoding="utf-8") as f:
        json.dump(listing, f, ensure_ascii=False, indent=1)
        f.write("\n")
    # Each distinct text once, with every package that carries it.
    by_text = {}
    for p in items:
        for name, body in p["texts"]:
            h = hashlib.sha256(body.encode()).hexdigest()
            by_text.setdefault(h, (body, []))[1].append(f'{p["name"]} {p["version"]} ({name})')
    lines = ["Loa Studio: third-party notices", "",
             "Loa Studio is MIT-licensed. It ships the following packages, each under its own",
             "licence. Fonts and data are listed in assets/data/README.md and assets/fonts/.", ""]
    for p in items:
        lines.append(f'{p["source"]:9} {p["name"]} {p["version"]}: {p["license"]}')
    for body, who in sorted(by_text.values(), key=lambda v: v[1][0].lower()):
        lines += ["", "=" * 78, "Used by: " + ", ".join(sorted(who)), "-" * 78, body]
    with open(os.path.join(OUT, "THIRD-PARTY-NOTICES.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    missing = [p["name"] for p in items if not p["texts"]]
    print(f"{len(items)} packages, {len(by_text)} distinct licence texts; "
          f"{len(missing)} carry no licence file (listed by their licence expression)", file=sys.stderr)


if __name__ == "__main__":
    main()

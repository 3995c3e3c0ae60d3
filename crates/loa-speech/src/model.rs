//! The Whisper models installed on this PC: whisper.cpp files in the data
//! folder's `models/`, imported from a file the user has (a ggml `.bin`) or
//! converted from a faster-whisper / CTranslate2 directory. Nothing here
//! downloads: offices are often offline.

use crate::ggml::{self, HParams, Quantization};
use loa_core::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    pub name: String,
    pub bytes: u64,
    /// tiny / base / small / medium / large / custom
    pub size: String,
    #[ts(optional)]
    pub quantization: Option<Quantization>,
    pub multilingual: bool,
    pub is_default: bool,
}

pub fn models_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("models")
}

const DEFAULT_FILE: &str = "default.txt";

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid("model-name", "format"))
    }
}

pub fn path(data_dir: &Path, name: &str) -> Result<PathBuf> {
    check_name(name)?;
    Ok(models_dir(data_dir).join(format!("{name}.bin")))
}

fn header(path: &Path) -> Result<HParams> {
    let mut head = [0u8; 48];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(|e| CoreError::io(path, e))?;
    HParams::read(&head)
}

fn default_name(data_dir: &Path) -> Option<String> {
    std::fs::read_to_string(models_dir(data_dir).join(DEFAULT_FILE))
        .ok()
        .map(|s| s.trim().to_string())
}

pub fn list(data_dir: &Path) -> Result<Vec<ModelInfo>> {
    let dir = models_dir(data_dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let chosen = default_name(data_dir);
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        let Some(name) = p
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".bin"))
        else {
            continue;
        };
        // A model that cannot be read is not offered.
        let Ok(h) = header(&p) else { continue };
        out.push(ModelInfo {
            name: name.to_string(),
            bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
            size: h.size_name().into(),
            quantization: Quantization::from_file_type(h.ftype),
            multilingual: h.multilingual(),
            is_default: false,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    // The chosen one, else the first: a single installed model just works.
    let pick = chosen
        .filter(|c| out.iter().any(|m| &m.name == c))
        .or_else(|| out.first().map(|m| m.name.clone()));
    for m in &mut out {
        m.is_default = Some(&m.name) == pick.as_ref();
    }
    Ok(out)
}

/// The model to use when none is named.
pub fn default_model(data_dir: &Path) -> Result<ModelInfo> {
    list(data_dir)?
        .into_iter()
        .find(|m| m.is_default)
        .ok_or_else(|| CoreError::invalid("model", "none-installed"))
}

/// The model to transcribe with: the one named, else the default, as its
/// name and file; a name that is not installed is refused.
pub fn resolve(data_dir: &Path, name: Option<&str>) -> Result<(String, PathBuf)> {
    let name = match name {
        Some(n) => n.to_string(),
        None => default_model(data_dir)?.name,
    };
    let p = path(data_dir, &name)?;
    if !p.is_file() {
        return Err(CoreError::not_found("model", &name));
    }
    Ok((name, p))
}

pub fn set_default(data_dir: &Path, name: &str) -> Result<()> {
    let p = path(data_dir, name)?;
    if !p.is_file() {
        return Err(CoreError::not_found("model", name));
    }
    let f = models_dir(data_dir).join(DEFAULT_FILE);
    loa_core::base::files::write_atomically(&f, name.as_bytes())
}

pub fn delete(data_dir: &Path, name: &str) -> Result<()> {
    let p = path(data_dir, name)?;
    std::fs::remove_file(&p).map_err(|e| CoreError::io(&p, e))
}

/// Installs a model under `name`: a whisper.cpp file is checked and
/// copied; a CTranslate2 directory is converted (and quantized if asked).
pub fn import(
    data_dir: &Path,
    src: &Path,
    name: &str,
    quantize: Option<Quantization>,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<ModelInfo> {
    let out = path(data_dir, name)?;
    if out.exists() {
        return Err(CoreError::invalid("model-name", "taken"));
    }
    let dir = models_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    if src.is_dir() {
        ggml::convert(src, &out, quantize.unwrap_or(Quantization::F16), progress)?;
    } else {
        if quantize.is_some_and(|q| q != Quantization::F16) {
            return Err(CoreError::invalid("quantization", "unsupported"));
        }
        header(src)?;
        let part = out.with_extension("part");
        std::fs::copy(src, &part).map_err(|e| CoreError::io(src, e))?;
        std::fs::rename(&part, &out).map_err(|e| CoreError::io(&out, e))?;
        progress(1.0);
    }
    // The first model becomes the default by name, so installing a second
    // one never changes which is used.
    if default_name(data_dir).is_none() {
        set_default(data_dir, name)?;
    }
    list(data_dir)?
        .into_iter()
        .find(|m| m.name == name)
        .ok_or_else(|| CoreError::invalid("model", "unreadable"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_model(path: &Path, layers: i32) {
        let mut b = Vec::new();
        for v in [
            0x6767_6d6c,
            51_865,
            1500,
            512,
            8,
            layers,
            448,
            512,
            8,
            layers,
            80,
            1,
        ] {
            b.extend(v.to_le_bytes());
        }
        std::fs::write(path, b).unwrap();
    }

    #[test]
    fn import_list_default_delete() {
        let d = tempfile::tempdir().unwrap();
        assert!(list(d.path()).unwrap().is_empty());
        assert!(default_model(d.path()).is_err());
        let src = d.path().join("ggml-base.bin");
        fake_model(&src, 6);
        let m = import(d.path(), &src, "base-vi", None, &mut |_| true).unwrap();
        assert_eq!(
            (m.size.as_str(), m.multilingual, m.is_default),
            ("base", true, true)
        );
        assert_eq!(m.quantization, Some(Quantization::F16));
        assert!(
            import(d.path(), &src, "base-vi", None, &mut |_| true).is_err(),
            "name taken"
        );
        let tiny = d.path().join("tiny.bin");
        fake_model(&tiny, 4);
        import(d.path(), &tiny, "a-tiny", None, &mut |_| true).unwrap();
        assert_eq!(
            default_model(d.path()).unwrap().name,
            "base-vi",
            "a second model does not take over"
        );
        set_default(d.path(), "a-tiny").unwrap();
        assert_eq!(default_model(d.path()).unwrap().name, "a-tiny");
        set_default(d.path(), "base-vi").unwrap();
        assert_eq!(default_model(d.path()).unwrap().name, "base-vi");
        for bad in ["../x", "", "a/b", ".hidden"] {
            assert!(path(d.path(), bad).is_err(), "{bad}");
        }
        let junk = d.path().join("junk.bin");
        std::fs::write(&junk, b"not a model at all, no sir, not at all......").unwrap();
        assert!(import(d.path(), &junk, "junk", None, &mut |_| true).is_err());
        assert!(
            !path(d.path(), "junk").unwrap().exists(),
            "nothing half-imported"
        );
        delete(d.path(), "a-tiny").unwrap();
        assert_eq!(list(d.path()).unwrap().len(), 1);
    }
}

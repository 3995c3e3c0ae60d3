//! Reading a Hugging Face transformers Whisper model (`config.json`,
//! `model.safetensors` and the tokenizer files), the form VinAI publishes
//! PhoWhisper in. Weights are only ever read from safetensors: a pickle
//! checkpoint (`pytorch_model.bin`) can run code when it is loaded, and is
//! refused.

use crate::ct2::DType;
use crate::ggml::HParams;
use loa_core::{CoreError, Result};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Whisper's text tokens (ids 0…50256); whisper.cpp adds the special ones.
pub const TEXT_TOKENS: usize = 50_257;
/// The vocabularies whisper.cpp knows: English-only, multilingual (99
/// languages), large-v3 (100). Any other size makes it count languages
/// wrongly.
const WHISPER_VOCABS: [usize; 3] = [51_864, 51_865, 51_866];
/// A safetensors header larger than this is not a Whisper model's.
const MAX_HEADER: u64 = 16 << 20;

fn bad(name: &str, problem: &'static str, detail: impl Into<String>) -> CoreError {
    CoreError::DataRow {
        name: name.into(),
        line: None,
        problem,
        value: detail.into(),
    }
}

/// Whether `dir` holds a transformers model (its config and safetensors
/// weights), and refuses a pickle checkpoint there in words.
pub fn is_transformers(dir: &Path) -> Result<bool> {
    // A CTranslate2 folder has a config.json too, beside its model.bin.
    if !dir.join("config.json").is_file() || dir.join("model.bin").is_file() {
        return Ok(false);
    }
    if dir.join("model.safetensors").is_file() {
        return Ok(true);
    }
    for pickle in ["pytorch_model.bin", "model.pt", "model.ckpt"] {
        if dir.join(pickle).is_file() {
            return Err(bad(pickle, "model-pickle", pickle));
        }
    }
    Err(bad("model.safetensors", "model-unreadable", "missing"))
}

/// One tensor of the safetensors file: where its bytes are.
struct Entry {
    dtype: DType,
    shape: Vec<usize>,
    start: u64,
    len: usize,
}

/// A safetensors file, read one tensor at a time (a PhoWhisper large
/// checkpoint is 6 GB).
pub struct SafeTensors {
    file: std::fs::File,
    name: String,
    entries: Vec<(String, Entry)>,
}

impl SafeTensors {
    pub fn open(path: &Path) -> Result<SafeTensors> {
        let name = path.display().to_string();
        let bad = |d: String| bad(&name, "model-unreadable", d);
        let mut file = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
        let size = file.metadata().map_err(|e| CoreError::io(path, e))?.len();
        let mut n = [0u8; 8];
        file.read_exact(&mut n)
            .map_err(|_| bad("truncated".into()))?;
        let n = u64::from_le_bytes(n);
        if n > MAX_HEADER || n + 8 > size {
            return Err(bad(format!("header of {n} bytes")));
        }
        let mut head = vec![0u8; n as usize];
        file.read_exact(&mut head)
            .map_err(|_| bad("truncated".into()))?;
        let header: HashMap<String, serde_json::Value> =
            serde_json::from_slice(&head).map_err(|e| bad(format!("header: {e}")))?;
        let mut entries = Vec::with_capacity(header.len());
        for (key, v) in header {
            if key == "__metadata__" {
                continue;
            }
            let dtype = match v["dtype"].as_str() {
                Some("F32") => DType::F32,
                Some("F16") => DType::F16,
                Some("BF16") => DType::BF16,
                other => return Err(bad(format!("{key}: type {other:?}"))),
            };
            let shape: Vec<usize> = v["shape"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|d| d.as_u64().map(|d| d as usize))
                        .collect()
                })
                .unwrap_or_default();
            let offsets: Vec<u64> = v["data_offsets"]
                .as_array()
                .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
                .unwrap_or_default();
            let [from, to] = offsets[..] else {
                return Err(bad(format!("{key}: offsets")));
            };
            let want = shape.iter().product::<usize>().max(1) * dtype.size();
            if to < from || (to - from) as usize != want || 8 + n + to > size {
                return Err(bad(format!(
                    "{key}: {} bytes for {shape:?}",
                    to.saturating_sub(from)
                )));
            }
            entries.push((
                key,
                Entry {
                    dtype,
                    shape,
                    start: 8 + n + from,
                    len: want,
                },
            ));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(SafeTensors {
            file,
            name,
            entries,
        })
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn shape(&self, key: &str) -> Option<&[usize]> {
        self.entry(key).map(|e| e.shape.as_slice())
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// A tensor's values as f32.
    pub fn read(&mut self, key: &str) -> Result<(Vec<usize>, Vec<f32>)> {
        let name = self.name.clone();
        let e = self
            .entry(key)
            .ok_or_else(|| bad(&name, "model-unreadable", format!("missing {key}")))?;
        let (dtype, shape, start, len) = (e.dtype, e.shape.clone(), e.start, e.len);
        let mut data = vec![0u8; len];
        self.file
            .seek(SeekFrom::Start(start))
            .and_then(|_| self.file.read_exact(&mut data))
            .map_err(|e| CoreError::io(&name, e))?;
        let values = crate::ct2::values(dtype, &data)?;
        Ok((shape, values))
    }
}

/// whisper.cpp's name for a transformers tensor; None for the output
/// projection, which is the token embedding again (tied).
pub fn tensor_name(hf: &str) -> Result<Option<String>> {
    let bad = || {
        bad(
            "model.safetensors",
            "model-unreadable",
            format!("unexpected tensor {hf}"),
        )
    };
    let n = hf.strip_prefix("model.").unwrap_or(hf);
    if n == "proj_out.weight" {
        return Ok(None);
    }
    let fixed = match n {
        "encoder.embed_positions.weight" => Some("encoder.positional_embedding"),
        "decoder.embed_positions.weight" => Some("decoder.positional_embedding"),
        "decoder.embed_tokens.weight" => Some("decoder.token_embedding.weight"),
        "encoder.layer_norm.weight" => Some("encoder.ln_post.weight"),
        "encoder.layer_norm.bias" => Some("encoder.ln_post.bias"),
        "decoder.layer_norm.weight" => Some("decoder.ln.weight"),
        "decoder.layer_norm.bias" => Some("decoder.ln.bias"),
        _ => None,
    };
    if let Some(f) = fixed {
        return Ok(Some(f.to_string()));
    }
    if n.starts_with("encoder.conv1.") || n.starts_with("encoder.conv2.") {
        return Ok(Some(n.to_string()));
    }
    let (stack, rest) = n.split_once(".layers.").ok_or_else(bad)?;
    let (layer, part) = rest.split_once('.').ok_or_else(bad)?;
    let (module, param) = part.rsplit_once('.').ok_or_else(bad)?;
    if !matches!(stack, "encoder" | "decoder")
        || layer.parse::<usize>().is_err()
        || !matches!(param, "weight" | "bias")
    {
        return Err(bad());
    }
    let to = match module {
        "self_attn.q_proj" => "attn.query",
        "self_attn.k_proj" => "attn.key",
        "self_attn.v_proj" => "attn.value",
        "self_attn.out_proj" => "attn.out",
        "self_attn_layer_norm" => "attn_ln",
        "encoder_attn.q_proj" if stack == "decoder" => "cross_attn.query",
        "encoder_attn.k_proj" if stack == "decoder" => "cross_attn.key",
        "encoder_attn.v_proj" if stack == "decoder" => "cross_attn.value",
        "encoder_attn.out_proj" if stack == "decoder" => "cross_attn.out",
        "encoder_attn_layer_norm" if stack == "decoder" => "cross_attn_ln",
        "fc1" => "mlp.0",
        "fc2" => "mlp.2",
        "final_layer_norm" => "mlp_ln",
        _ => return Err(bad()),
    };
    Ok(Some(format!("{stack}.blocks.{layer}.{to}.{param}")))
}

/// The model's shape from `config.json`, checked against its weights.
pub fn hparams(dir: &Path, weights: &SafeTensors, ftype: i32) -> Result<HParams> {
    let path = dir.join("config.json");
    let text = std::fs::read_to_string(&path).map_err(|e| CoreError::io(&path, e))?;
    let c: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| bad("config.json", "model-unreadable", e.to_string()))?;
    if c["model_type"].as_str().is_some_and(|t| t != "whisper") {
        return Err(bad(
            "config.json",
            "model-unreadable",
            format!("model_type {}", c["model_type"]),
        ));
    }
    let get = |k: &str| -> Result<i32> {
        c[k].as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .filter(|v| *v > 0)
            .ok_or_else(|| bad("config.json", "model-unreadable", format!("{k} missing")))
    };
    let h = HParams {
        n_vocab: get("vocab_size")?,
        n_audio_ctx: get("max_source_positions")?,
        n_audio_state: get("d_model")?,
        n_audio_head: get("encoder_attention_heads")?,
        n_audio_layer: get("encoder_layers")?,
        n_text_ctx: get("max_target_positions")?,
        n_text_state: get("d_model")?,
        n_text_head: get("decoder_attention_heads")?,
        n_text_layer: get("decoder_layers")?,
        n_mels: get("num_mel_bins")?,
        ftype,
    };
    if !WHISPER_VOCABS.contains(&(h.n_vocab as usize)) {
        return Err(bad(
            "config.json",
            "model-vocabulary",
            h.n_vocab.to_string(),
        ));
    }
    let emb = [
        "model.decoder.embed_tokens.weight",
        "decoder.embed_tokens.weight",
    ]
    .iter()
    .find_map(|k| weights.shape(k));
    if emb != Some(&[h.n_vocab as usize, h.n_text_state as usize][..]) {
        return Err(bad(
            "model.safetensors",
            "model-vocabulary",
            format!("{emb:?}"),
        ));
    }
    Ok(h)
}

/// The text tokens, ids 0…50256, in GPT-2's byte-level alphabet: from
/// `vocab.json` (with `added_tokens.json` beside it) or `tokenizer.json`.
/// A vocabulary that is not Whisper's (a token missing or numbered
/// otherwise) is refused.
pub fn text_tokens(dir: &Path) -> Result<Vec<String>> {
    let read = |name: &str| -> Result<serde_json::Value> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| CoreError::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| bad(name, "model-unreadable", e.to_string()))
    };
    let (source, vocab) = if dir.join("vocab.json").is_file() {
        ("vocab.json", read("vocab.json")?)
    } else if dir.join("tokenizer.json").is_file() {
        (
            "tokenizer.json",
            read("tokenizer.json")?["model"]["vocab"].take(),
        )
    } else {
        return Err(bad("vocab.json", "model-unreadable", "missing"));
    };
    let map = vocab
        .as_object()
        .ok_or_else(|| bad(source, "model-unreadable", "not a token map"))?;
    let mut tokens = vec![None; TEXT_TOKENS];
    for (token, id) in map {
        let id = id
            .as_u64()
            .ok_or_else(|| bad(source, "model-unreadable", token.clone()))?
            as usize;
        if let Some(slot) = tokens.get_mut(id) {
            if slot.replace(token.clone()).is_some() {
                return Err(bad(source, "model-vocabulary", format!("id {id} twice")));
            }
        }
    }
    tokens
        .into_iter()
        .enumerate()
        .map(|(id, t)| t.ok_or_else(|| bad(source, "model-vocabulary", format!("no token {id}"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transformers_names_map_onto_whisper_cpp() {
        let cases = [
            (
                "model.encoder.layers.3.self_attn.k_proj.weight",
                "encoder.blocks.3.attn.key.weight",
            ),
            (
                "model.decoder.layers.0.encoder_attn.out_proj.bias",
                "decoder.blocks.0.cross_attn.out.bias",
            ),
            (
                "model.decoder.layers.11.encoder_attn_layer_norm.weight",
                "decoder.blocks.11.cross_attn_ln.weight",
            ),
            (
                "model.encoder.layers.5.fc2.bias",
                "encoder.blocks.5.mlp.2.bias",
            ),
            (
                "model.encoder.layers.5.final_layer_norm.bias",
                "encoder.blocks.5.mlp_ln.bias",
            ),
            (
                "model.encoder.embed_positions.weight",
                "encoder.positional_embedding",
            ),
            (
                "model.decoder.embed_tokens.weight",
                "decoder.token_embedding.weight",
            ),
            ("model.decoder.layer_norm.bias", "decoder.ln.bias"),
            ("encoder.conv2.weight", "encoder.conv2.weight"),
        ];
        for (hf, cpp) in cases {
            assert_eq!(tensor_name(hf).unwrap().as_deref(), Some(cpp), "{hf}");
        }
        assert_eq!(tensor_name("proj_out.weight").unwrap(), None);
        for odd in [
            "model.encoder.layers.1.encoder_attn.q_proj.weight",
            "model.decoder.layers.x.fc1.weight",
            "model.decoder.layers.1.adapter.weight",
            "lm_head.weight",
        ] {
            assert!(tensor_name(odd).is_err(), "{odd}");
        }
    }

    #[test]
    fn a_pickle_checkpoint_is_refused_and_safetensors_are_checked() {
        let d = tempfile::tempdir().unwrap();
        assert!(!is_transformers(d.path()).unwrap());
        std::fs::write(d.path().join("config.json"), "{}").unwrap();
        std::fs::write(d.path().join("model.bin"), b"").unwrap();
        assert!(!is_transformers(d.path()).unwrap(), "CTranslate2's folder");
        std::fs::remove_file(d.path().join("model.bin")).unwrap();
        std::fs::write(d.path().join("pytorch_model.bin"), b"PK\x03\x04").unwrap();
        let e = is_transformers(d.path()).unwrap_err();
        assert!(
            matches!(
                e,
                CoreError::DataRow {
                    problem: "model-pickle",
                    ..
                }
            ),
            "{e:?}"
        );

        // A header that claims more bytes than the file has.
        let st = d.path().join("model.safetensors");
        let head = br#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#;
        let mut b = (head.len() as u64).to_le_bytes().to_vec();
        b.extend_from_slice(head);
        b.extend_from_slice(&[0; 8]);
        std::fs::write(&st, &b).unwrap();
        assert!(is_transformers(d.path()).unwrap());
        assert!(SafeTensors::open(&st).is_err());
        b.extend_from_slice(&1.5f32.to_le_bytes().repeat(2));
        std::fs::write(&st, &b).unwrap();
        let mut t = SafeTensors::open(&st).unwrap();
        let (shape, v) = t.read("a").unwrap();
        assert_eq!((shape, v), (vec![4], vec![0.0, 0.0, 1.5, 1.5]));
        assert!(t.read("b").is_err());
    }

    #[test]
    fn a_vocabulary_that_is_not_whispers_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let mut map = serde_json::Map::new();
        for id in 0..TEXT_TOKENS - 1 {
            map.insert(format!("t{id}"), id.into());
        }
        std::fs::write(
            d.path().join("vocab.json"),
            serde_json::to_string(&map).unwrap(),
        )
        .unwrap();
        let e = text_tokens(d.path()).unwrap_err();
        assert!(
            matches!(
                e,
                CoreError::DataRow {
                    problem: "model-vocabulary",
                    ..
                }
            ),
            "{e:?}"
        );
        map.insert("<|endoftext|>".into(), (TEXT_TOKENS - 1).into());
        std::fs::write(
            d.path().join("vocab.json"),
            serde_json::to_string(&map).unwrap(),
        )
        .unwrap();
        assert_eq!(text_tokens(d.path()).unwrap().len(), TEXT_TOKENS);
    }
}

//! Writing whisper.cpp's model file (the "ggml" `.bin` its loader reads):
//! header with hyper-parameters, mel filter bank, vocabulary, then named
//! tensors. Converts a CTranslate2 Whisper model into it, optionally with
//! the large matrices quantized (q8_0 or q5_1) by ggml itself.

use crate::ct2::{self, f32_to_f16, Model};
use crate::hf;
use loa_core::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use ts_rs::TS;

const MAGIC: u32 = 0x6767_6d6c; // "ggml"

/// How the large matrices are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Quantization {
    F16,
    Q8_0,
    Q5_1,
}

impl Quantization {
    pub fn parse(s: &str) -> Option<Quantization> {
        Some(match s.to_ascii_lowercase().as_str() {
            "f16" => Quantization::F16,
            "q8_0" | "q8" => Quantization::Q8_0,
            "q5_1" | "q5" => Quantization::Q5_1,
            _ => return None,
        })
    }

    /// ggml's tensor type code.
    fn tensor_type(self) -> u32 {
        match self {
            Quantization::F16 => 1,
            Quantization::Q8_0 => 8,
            Quantization::Q5_1 => 7,
        }
    }

    /// The file type in the header: ggml_ftype, plus the quantization
    /// format version × 1000 for quantized files (as whisper.cpp's own
    /// quantize tool writes them).
    fn file_type(self) -> i32 {
        match self {
            Quantization::F16 => 1,
            Quantization::Q8_0 => 7 + 2000,
            Quantization::Q5_1 => 9 + 2000,
        }
    }

    /// The ftype value back to a quantization (for listing models).
    pub fn from_file_type(ftype: i32) -> Option<Quantization> {
        Some(match ftype % 1000 {
            1 => Quantization::F16,
            7 => Quantization::Q8_0,
            9 => Quantization::Q5_1,
            _ => return None,
        })
    }
}

fn bad(detail: impl Into<String>) -> CoreError {
    CoreError::DataRow {
        name: "model".into(),
        line: None,
        problem: "model-unreadable",
        value: detail.into(),
    }
}

/// The Slaney-style mel filter bank Whisper was trained with (librosa's
/// `filters.mel(sr=16000, n_fft=400, n_mels)`, area-normalized).
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    const SR: f64 = 16_000.0;
    const N_FFT: usize = 400;
    let bins = N_FFT / 2 + 1;
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = (6.4f64).ln() / 27.0;
    let hz_to_mel = |f: f64| {
        if f >= min_log_hz {
            min_log_mel + (f / min_log_hz).ln() / logstep
        } else {
            f / f_sp
        }
    };
    let mel_to_hz = |m: f64| {
        if m >= min_log_mel {
            min_log_hz * (logstep * (m - min_log_mel)).exp()
        } else {
            f_sp * m
        }
    };
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(SR / 2.0));
    let mel_f: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let fft_f: Vec<f64> = (0..bins)
        .map(|i| SR / 2.0 * i as f64 / (bins - 1) as f64)
        .collect();
    let mut out = Vec::with_capacity(n_mels * bins);
    for i in 0..n_mels {
        let enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
        for f in &fft_f {
            let lower = (f - mel_f[i]) / (mel_f[i + 1] - mel_f[i]);
            let upper = (mel_f[i + 2] - f) / (mel_f[i + 2] - mel_f[i + 1]);
            out.push((lower.min(upper).max(0.0) * enorm) as f32);
        }
    }
    out
}

/// GPT-2's printable stand-ins for bytes, reversed: char → byte.
fn byte_decoder() -> std::collections::HashMap<char, u8> {
    let mut printable: Vec<u32> = ('!' as u32..='~' as u32)
        .chain('¡' as u32..='¬' as u32)
        .chain('®' as u32..='ÿ' as u32)
        .collect();
    let mut chars = printable.clone();
    let mut n = 0;
    for b in 0..256u32 {
        if !printable.contains(&b) {
            printable.push(b);
            chars.push(256 + n);
            n += 1;
        }
    }
    printable
        .into_iter()
        .zip(chars)
        .filter_map(|(b, c)| Some((char::from_u32(c)?, b as u8)))
        .collect()
}

/// The text tokens (ids 0…50256) as raw bytes, from CTranslate2's
/// `vocabulary.txt` (one BPE token per line, GPT-2 byte-level alphabet).
/// whisper.cpp adds the special tokens itself.
pub fn vocabulary(text: &str) -> Result<Vec<Vec<u8>>> {
    byte_tokens(text.lines(), "vocabulary.txt")
}

/// Text tokens written in GPT-2's byte-level alphabet, as raw bytes: the
/// first 50,257 of `tokens`, which must be that many.
fn byte_tokens<'a>(tokens: impl Iterator<Item = &'a str>, source: &str) -> Result<Vec<Vec<u8>>> {
    let dec = byte_decoder();
    let tokens: Vec<Vec<u8>> = tokens
        .take(hf::TEXT_TOKENS)
        .map(|line| {
            line.chars()
                .map(|c| dec.get(&c).copied())
                .collect::<Option<Vec<u8>>>()
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad(format!("{source}: not a GPT-2 byte-level vocabulary")))?;
    if tokens.len() != hf::TEXT_TOKENS {
        return Err(bad(format!("{source}: {} tokens", tokens.len())));
    }
    Ok(tokens)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HParams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
}

impl HParams {
    /// The header's words after the magic number, in file order.
    fn words(&self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    fn from_words(w: [i32; 11]) -> HParams {
        HParams {
            n_vocab: w[0],
            n_audio_ctx: w[1],
            n_audio_state: w[2],
            n_audio_head: w[3],
            n_audio_layer: w[4],
            n_text_ctx: w[5],
            n_text_state: w[6],
            n_text_head: w[7],
            n_text_layer: w[8],
            n_mels: w[9],
            ftype: w[10],
        }
    }

    /// Reads the header of a whisper.cpp model file.
    pub fn read(head: &[u8]) -> Result<HParams> {
        let word = |i: usize| -> Result<i32> {
            head.get(i * 4..i * 4 + 4)
                .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or_else(|| bad("file too short"))
        };
        if word(0)? as u32 != MAGIC {
            return Err(bad("not a whisper.cpp (ggml) model"));
        }
        let mut w = [0i32; 11];
        for (i, v) in w.iter_mut().enumerate() {
            *v = word(i + 1)?;
        }
        // Every size (all but the file type) is a positive count.
        if !w[..10].iter().all(|v| (1..=1_000_000).contains(v)) {
            return Err(bad("implausible model header"));
        }
        Ok(HParams::from_words(w))
    }

    /// OpenAI's size names, by encoder depth.
    pub fn size_name(&self) -> &'static str {
        match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 => "large",
            _ => "custom",
        }
    }

    /// Multilingual models have the language tokens (English-only: 51864).
    pub fn multilingual(&self) -> bool {
        self.n_vocab >= 51_865
    }
}

struct Writer<W: Write> {
    w: W,
}

impl<W: Write> Writer<W> {
    fn i32(&mut self, v: i32) -> Result<()> {
        self.w.write_all(&v.to_le_bytes()).map_err(io)
    }
    fn bytes(&mut self, b: &[u8]) -> Result<()> {
        self.w.write_all(b).map_err(io)
    }
    /// One tensor: dims (innermost first, as ggml counts them), name, type,
    /// data.
    fn tensor(&mut self, name: &str, shape: &[usize], ttype: u32, data: &[u8]) -> Result<()> {
        self.i32(shape.len() as i32)?;
        self.i32(name.len() as i32)?;
        self.i32(ttype as i32)?;
        for d in shape.iter().rev() {
            self.i32(*d as i32)?;
        }
        self.bytes(name.as_bytes())?;
        self.bytes(data)
    }
}

fn io(e: std::io::Error) -> CoreError {
    CoreError::DataRow {
        name: "model".into(),
        line: None,
        problem: "model-write-failed",
        value: e.to_string(),
    }
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn f16_bytes(v: &[f32]) -> Vec<u8> {
    v.iter()
        .flat_map(|x| f32_to_f16(*x).to_le_bytes())
        .collect()
}

/// Rows `from..to` of a row-major matrix with `cols` columns.
fn rows(v: &[f32], cols: usize, from: usize, to: usize) -> Vec<f32> {
    v[from * cols..to * cols].to_vec()
}

/// A tensor for whisper.cpp, in OpenAI's naming.
struct Tensor {
    name: String,
    shape: Vec<usize>,
    values: Vec<f32>,
}

/// Maps CTranslate2's Whisper variables onto the tensors whisper.cpp
/// loads: fused Q/K/V projections are split (whisper.cpp's key has no
/// bias: CTranslate2's zero slice is dropped), layer norms renamed.
fn tensors(m: &Model, layers: (usize, usize), n_state: usize) -> Result<Vec<Tensor>> {
    let mut out = Vec::new();
    let mut put = |name: String, shape: Vec<usize>, values: Vec<f32>| {
        out.push(Tensor {
            name,
            shape,
            values,
        })
    };
    let var = |n: &str| -> Result<(Vec<usize>, Vec<f32>)> {
        let v = m.get(n)?;
        Ok((v.shape.clone(), v.to_f32()?))
    };
    let copy =
        |put: &mut dyn FnMut(String, Vec<usize>, Vec<f32>), from: &str, to: &str| -> Result<()> {
            let (s, v) = var(from)?;
            put(to.to_string(), s, v);
            Ok(())
        };
    let norm =
        |put: &mut dyn FnMut(String, Vec<usize>, Vec<f32>), from: &str, to: &str| -> Result<()> {
            copy(put, &format!("{from}/gamma"), &format!("{to}.weight"))?;
            copy(put, &format!("{from}/beta"), &format!("{to}.bias"))
        };
    let linear =
        |put: &mut dyn FnMut(String, Vec<usize>, Vec<f32>), from: &str, to: &str| -> Result<()> {
            copy(put, &format!("{from}/weight"), &format!("{to}.weight"))?;
            copy(put, &format!("{from}/bias"), &format!("{to}.bias"))
        };
    // q, k, v stacked by rows: [3n × n] and [3n].
    let split_qkv = |put: &mut dyn FnMut(String, Vec<usize>, Vec<f32>),
                     w: &str,
                     b: &str,
                     names: &[(&str, usize)],
                     prefix: &str|
     -> Result<()> {
        let (ws, wv) = var(w)?;
        let (_, bv) = var(b)?;
        let cols = ws.get(1).copied().unwrap_or(0);
        if cols != n_state || ws[0] != names.len() * n_state {
            return Err(bad(format!("{w}: shape {ws:?}")));
        }
        for (i, (name, _)) in names.iter().enumerate() {
            let (a, z) = (i * n_state, (i + 1) * n_state);
            put(
                format!("{prefix}.{name}.weight"),
                vec![n_state, n_state],
                rows(&wv, cols, a, z),
            );
            if *name != "key" {
                put(
                    format!("{prefix}.{name}.bias"),
                    vec![n_state],
                    bv[a..z].to_vec(),
                );
            }
        }
        Ok(())
    };

    let (pe_s, pe) = var("encoder/position_encodings/encodings")?;
    put("encoder.positional_embedding".into(), pe_s, pe);
    for c in ["conv1", "conv2"] {
        copy(
            &mut put,
            &format!("encoder/{c}/weight"),
            &format!("encoder.{c}.weight"),
        )?;
        let (s, v) = var(&format!("encoder/{c}/bias"))?;
        // whisper.cpp wants conv biases as n×1.
        put(format!("encoder.{c}.bias"), vec![s[0], 1], v);
    }
    norm(&mut put, "encoder/layer_norm", "encoder.ln_post")?;
    let (pd_s, pd) = var("decoder/position_encodings/encodings")?;
    put("decoder.positional_embedding".into(), pd_s, pd);
    copy(
        &mut put,
        "decoder/embeddings/weight",
        "decoder.token_embedding.weight",
    )?;
    // Encoder and decoder blocks share self-attention and MLP; only the
    // decoder's have cross-attention.
    for (stack, count) in [("encoder", layers.0), ("decoder", layers.1)] {
        for i in 0..count {
            let (f, t) = (format!("{stack}/layer_{i}"), format!("{stack}.blocks.{i}"));
            let (f, t) = (f.as_str(), t.as_str());
            norm(
                &mut put,
                &format!("{f}/self_attention/layer_norm"),
                &format!("{t}.attn_ln"),
            )?;
            split_qkv(
                &mut put,
                &format!("{f}/self_attention/linear_0/weight"),
                &format!("{f}/self_attention/linear_0/bias"),
                &[("query", 0), ("key", 1), ("value", 2)],
                &format!("{t}.attn"),
            )?;
            linear(
                &mut put,
                &format!("{f}/self_attention/linear_1"),
                &format!("{t}.attn.out"),
            )?;
            if stack == "decoder" {
                norm(
                    &mut put,
                    &format!("{f}/attention/layer_norm"),
                    &format!("{t}.cross_attn_ln"),
                )?;
                linear(
                    &mut put,
                    &format!("{f}/attention/linear_0"),
                    &format!("{t}.cross_attn.query"),
                )?;
                split_qkv(
                    &mut put,
                    &format!("{f}/attention/linear_1/weight"),
                    &format!("{f}/attention/linear_1/bias"),
                    &[("key", 0), ("value", 1)],
                    &format!("{t}.cross_attn"),
                )?;
                linear(
                    &mut put,
                    &format!("{f}/attention/linear_2"),
                    &format!("{t}.cross_attn.out"),
                )?;
            }
            norm(
                &mut put,
                &format!("{f}/ffn/layer_norm"),
                &format!("{t}.mlp_ln"),
            )?;
            linear(
                &mut put,
                &format!("{f}/ffn/linear_0"),
                &format!("{t}.mlp.0"),
            )?;
            linear(
                &mut put,
                &format!("{f}/ffn/linear_1"),
                &format!("{t}.mlp.2"),
            )?;
        }
    }
    norm(&mut put, "decoder/layer_norm", "decoder.ln")?;
    Ok(out)
}

/// ggml's quantizer over whole rows.
fn quantize(q: Quantization, values: &[f32], n_per_row: usize) -> Result<Vec<u8>> {
    use whisper_rs::whisper_rs_sys as sys;
    let ty = match q {
        Quantization::Q8_0 => sys::ggml_type_GGML_TYPE_Q8_0,
        Quantization::Q5_1 => sys::ggml_type_GGML_TYPE_Q5_1,
        Quantization::F16 => return Ok(f16_bytes(values)),
    };
    if n_per_row == 0 || !values.len().is_multiple_of(n_per_row) || !n_per_row.is_multiple_of(32) {
        return Err(bad("matrix rows are not a multiple of 32"));
    }
    let nrows = values.len() / n_per_row;
    // Both formats store at most 1.5 bytes per value (q8_0: 34 bytes per 32).
    let mut out = vec![0u8; values.len() * 2];
    // SAFETY: `values` holds nrows × n_per_row floats; `out` has room for
    // any block format's output of that many values; no importance matrix
    // is needed for q8_0 / q5_1.
    let written = unsafe {
        sys::ggml_quantize_chunk(
            ty,
            values.as_ptr(),
            out.as_mut_ptr().cast(),
            0,
            nrows as i64,
            n_per_row as i64,
            std::ptr::null(),
        )
    };
    out.truncate(written);
    Ok(out)
}

/// Converts a model directory into a whisper.cpp model at `out`: a
/// CTranslate2 / faster-whisper one (`model.bin`, `vocabulary.txt`) or a
/// Hugging Face transformers one (`config.json`, `model.safetensors`, the
/// tokenizer), such as PhoWhisper. `progress` gets the fraction done and
/// stops the work by returning false.
pub fn convert(
    dir: &Path,
    out: &Path,
    q: Quantization,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<HParams> {
    let (h, vocab, all) = if hf::is_transformers(dir)? {
        from_transformers(dir, q)?
    } else {
        from_ctranslate2(dir, q)?
    };
    write(out, &h, &vocab, &all, q, progress)?;
    Ok(h)
}

/// A transformers model's shape, text tokens and tensors under whisper.cpp's
/// names.
fn from_transformers(dir: &Path, q: Quantization) -> Result<(HParams, Vec<Vec<u8>>, Vec<Tensor>)> {
    let mut weights = hf::SafeTensors::open(&dir.join("model.safetensors"))?;
    let h = hf::hparams(dir, &weights, q.file_type())?;
    let tokens = hf::text_tokens(dir)?;
    let vocab = byte_tokens(tokens.iter().map(String::as_str), "vocab.json")?;
    let names: Vec<String> = weights.names().map(str::to_string).collect();
    let mut all = Vec::with_capacity(names.len());
    for name in names {
        // whisper.cpp's key projections have no bias (it is zero).
        if name.ends_with("k_proj.bias") {
            continue;
        }
        let Some(to) = hf::tensor_name(&name)? else {
            continue;
        };
        let (mut shape, values) = weights.read(&name)?;
        if to.starts_with("encoder.conv") && to.ends_with(".bias") {
            // whisper.cpp wants conv biases as n×1.
            shape.push(1);
        }
        all.push(Tensor {
            name: to,
            shape,
            values,
        });
    }
    // Every tensor whisper.cpp loads, and no other: 15 per encoder block,
    // 24 per decoder block, 11 outside them.
    let want = 11 + 15 * h.n_audio_layer as usize + 24 * h.n_text_layer as usize;
    if all.len() != want {
        return Err(bad(format!("{} tensors, expected {want}", all.len())));
    }
    Ok((h, vocab, all))
}

/// A CTranslate2 model's shape, text tokens and tensors under whisper.cpp's
/// names.
fn from_ctranslate2(dir: &Path, q: Quantization) -> Result<(HParams, Vec<Vec<u8>>, Vec<Tensor>)> {
    let m = ct2::read(&dir.join("model.bin"))?;
    if m.spec != "WhisperSpec" {
        return Err(bad(format!("{} is not a Whisper model", m.spec)));
    }
    let vocab_path = dir.join("vocabulary.txt");
    let vocab = vocabulary(
        &std::fs::read_to_string(&vocab_path).map_err(|e| CoreError::io(&vocab_path, e))?,
    )?;
    let head = |n: &str| -> Result<i32> {
        m.get(n)?
            .scalar_i64()
            .map(|v| v as i32)
            .ok_or_else(|| bad(format!("{n} is not a number")))
    };
    let count = |prefix: &str| {
        (0..)
            .take_while(|i| {
                m.variables
                    .contains_key(&format!("{prefix}/layer_{i}/ffn/linear_0/weight"))
            })
            .count()
    };
    let emb = m.get("decoder/embeddings/weight")?;
    let pe_enc = m.get("encoder/position_encodings/encodings")?;
    let pe_dec = m.get("decoder/position_encodings/encodings")?;
    let conv1 = m.get("encoder/conv1/weight")?;
    let (n_audio_layer, n_text_layer) = (count("encoder"), count("decoder"));
    let h = HParams {
        n_vocab: emb.shape[0] as i32,
        n_audio_ctx: pe_enc.shape[0] as i32,
        n_audio_state: pe_enc.shape[1] as i32,
        n_audio_head: head("encoder/num_heads")?,
        n_audio_layer: n_audio_layer as i32,
        n_text_ctx: pe_dec.shape[0] as i32,
        n_text_state: pe_dec.shape[1] as i32,
        n_text_head: head("decoder/num_heads")?,
        n_text_layer: n_text_layer as i32,
        n_mels: conv1.shape.get(1).copied().unwrap_or(0) as i32,
        ftype: q.file_type(),
    };
    if h.n_audio_state != h.n_text_state || n_audio_layer == 0 || n_text_layer == 0 {
        return Err(bad("unexpected model layout"));
    }
    let all = tensors(&m, (n_audio_layer, n_text_layer), h.n_audio_state as usize)?;
    Ok((h, vocab, all))
}

/// Writes a whisper.cpp model file: header, mel filters, text tokens and
/// tensors, each in the type whisper.cpp expects of it. Written aside and
/// renamed, so a cancelled or failed conversion leaves nothing.
fn write(
    out: &Path,
    h: &HParams,
    vocab: &[Vec<u8>],
    all: &[Tensor],
    q: Quantization,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<()> {
    let part = out.with_extension("part");
    let file = std::fs::File::create(&part).map_err(|e| CoreError::io(&part, e))?;
    let result = (|| -> Result<()> {
        let mut w = Writer {
            w: std::io::BufWriter::new(file),
        };
        w.i32(MAGIC as i32)?;
        for v in h.words() {
            w.i32(v)?;
        }
        let n_mels = h.n_mels as usize;
        w.i32(h.n_mels)?;
        w.i32(201)?;
        w.bytes(&f32_bytes(&mel_filters(n_mels)))?;
        w.i32(vocab.len() as i32)?;
        for t in vocab {
            w.i32(t.len() as i32)?;
            w.bytes(t)?;
        }
        let total = all.len().max(1);
        for (i, t) in all.iter().enumerate() {
            let small = [
                "encoder.positional_embedding",
                "decoder.positional_embedding",
                "encoder.conv1.bias",
                "encoder.conv2.bias",
            ]
            .contains(&t.name.as_str());
            // whisper.cpp checks each tensor's type exactly: vectors and the
            // small tensors f32, convolutions f16, matrices the file's type.
            let (ttype, data) = if t.shape.len() < 2 || small {
                (0, f32_bytes(&t.values))
            } else if t.shape.len() == 3 {
                (1, f16_bytes(&t.values))
            } else {
                (q.tensor_type(), quantize(q, &t.values, t.shape[1])?)
            };
            w.tensor(&t.name, &t.shape, ttype, &data)?;
            if !progress((i + 1) as f32 / total as f32) {
                return Err(CoreError::Cancelled);
            }
        }
        w.w.flush().map_err(io)?;
        w.w.get_ref().sync_all().map_err(io)
    })();
    match result {
        Ok(()) => std::fs::rename(&part, out).map_err(|e| CoreError::io(out, e)),
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_filters_match_librosa() {
        let f = mel_filters(80);
        assert_eq!(f.len(), 80 * 201);
        // Reference values read from OpenAI Whisper's own
        // assets/mel_filters.npz (openai-whisper 20250625, "mel_80").
        assert!((f[1] - 0.024_862_595).abs() < 1e-6, "{}", f[1]);
        assert!((f[79 * 201 + 199] - 0.000_448_759).abs() < 1e-7);
        let row40 = &f[40 * 201..41 * 201];
        let (arg, max) =
            row40
                .iter()
                .enumerate()
                .fold((0, 0.0f32), |b, (i, v)| if *v > b.1 { (i, *v) } else { b });
        assert_eq!(arg, 43);
        assert!((max - 0.014_735_566).abs() < 1e-6);
        assert!((f.iter().sum::<f32>() - 1.999_024_2).abs() < 1e-4);
        assert!(f[..201].iter().skip(2).all(|v| *v == 0.0));
        // Every filter is a triangle with some weight.
        for m in 0..80 {
            assert!(
                f[m * 201..(m + 1) * 201].iter().any(|v| *v > 0.0),
                "filter {m}"
            );
        }
    }

    #[test]
    fn vocabulary_is_byte_decoded() {
        let mut text = String::new();
        for i in 0..50_257 {
            text.push_str(match i {
                0 => "!",
                1 => "Ġthe",
                2 => "Ċ",
                _ => "a",
            });
            text.push('\n');
        }
        text.push_str("<|endoftext|>\n");
        let v = vocabulary(&text).unwrap();
        assert_eq!(v.len(), 50_257);
        assert_eq!(v[0], b"!");
        assert_eq!(v[1], b" the");
        assert_eq!(v[2], b"\n");
        assert!(vocabulary("!\n").is_err());
    }

    #[test]
    fn headers_are_read_back_and_checked() {
        let mut b = Vec::new();
        for v in [
            MAGIC as i32,
            51_865,
            1500,
            512,
            8,
            6,
            448,
            512,
            8,
            6,
            80,
            2007,
        ] {
            b.extend(v.to_le_bytes());
        }
        let h = HParams::read(&b).unwrap();
        assert_eq!((h.size_name(), h.multilingual()), ("base", true));
        assert_eq!(
            Quantization::from_file_type(h.ftype),
            Some(Quantization::Q8_0)
        );
        b[0] = 0;
        assert!(HParams::read(&b).is_err());
        assert!(HParams::read(&b[..10]).is_err());
    }
}

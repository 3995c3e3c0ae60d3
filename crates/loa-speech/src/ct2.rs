//! Reading a CTranslate2 Whisper model (`model.bin`, format version 6), the
//! form faster-whisper models are shared in. Only what the ggml writer needs:
//! the named variables with their shapes and raw data, and the aliases.

use loa_core::{CoreError, Result};
use std::collections::HashMap;
use std::path::Path;

/// CTranslate2's variable types, by their code in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl DType {
    fn from_code(c: u8) -> Option<DType> {
        Some(match c {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => return None,
        })
    }

    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub shape: Vec<usize>,
    pub dtype: DType,
    pub data: Vec<u8>,
}

impl Variable {
    pub fn elements(&self) -> usize {
        self.shape.iter().product()
    }

    /// The values as f32, whatever they are stored as.
    pub fn to_f32(&self) -> Result<Vec<f32>> {
        values(self.dtype, &self.data)
    }

    /// A scalar integer (head counts and the like).
    pub fn scalar_i64(&self) -> Option<i64> {
        match (self.dtype, self.data.as_slice()) {
            (DType::I8, [a, ..]) => Some(i64::from(*a as i8)),
            (DType::I16, [a, b, ..]) => Some(i64::from(i16::from_le_bytes([*a, *b]))),
            (DType::I32, [a, b, c, d, ..]) => Some(i64::from(i32::from_le_bytes([*a, *b, *c, *d]))),
            _ => None,
        }
    }
}

/// Little-endian stored values of type `dtype` as f32: float weights in any
/// width, from a CTranslate2 or a safetensors file.
pub fn values(dtype: DType, data: &[u8]) -> Result<Vec<f32>> {
    Ok(match dtype {
        DType::F32 => data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        DType::F16 => data
            .chunks_exact(2)
            .map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]])))
            .collect(),
        DType::BF16 => data
            .chunks_exact(2)
            .map(|b| f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16))
            .collect(),
        // Integer weights come with separate scales (int8 models); the
        // importer takes float models only.
        _ => return Err(bad("int8 weights are not supported; use a float16 model")),
    })
}

/// IEEE half → single, subnormals and infinities included.
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exp = u32::from((h >> 10) & 0x1F);
    let man = u32::from(h & 0x3FF);
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, m) => {
            // Subnormal: normalize the mantissa.
            let mut e = 127 - 15 + 1;
            let mut m = m;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((m & 0x3FF) << 13)
        }
        (0x1F, m) => sign | 0x7F80_0000 | (m << 13),
        (e, m) => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

/// Single → half with round-to-nearest-even (ggml's own conversion).
pub fn f32_to_f16(f: f32) -> u16 {
    let x = f.to_bits();
    let sign = ((x >> 16) & 0x8000) as u16;
    let exp = ((x >> 23) & 0xFF) as i32;
    let man = x & 0x7F_FFFF;
    if exp == 0xFF {
        return sign | 0x7C00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1F {
        return sign | 0x7C00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        let half = 1u32 << (shift - 1);
        let rest = m & ((1 << shift) - 1);
        let mut v = m >> shift;
        if rest > half || (rest == half && v & 1 == 1) {
            v += 1;
        }
        return sign | v as u16;
    }
    let mut v = ((e as u32) << 10) | (man >> 13);
    let rest = man & 0x1FFF;
    if rest > 0x1000 || (rest == 0x1000 && v & 1 == 1) {
        v += 1;
    }
    sign | v as u16
}

fn bad(detail: impl Into<String>) -> CoreError {
    CoreError::DataRow {
        name: "model.bin".into(),
        line: None,
        problem: "model-unreadable",
        value: detail.into(),
    }
}

pub struct Model {
    pub spec: String,
    pub variables: HashMap<String, Variable>,
}

impl Model {
    pub fn get(&self, name: &str) -> Result<&Variable> {
        self.variables
            .get(name)
            .ok_or_else(|| bad(format!("missing {name}")))
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|e| *e <= self.b.len())
            .ok_or_else(|| bad("truncated"))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// u16 length (counting the NUL), bytes, NUL.
    fn string(&mut self) -> Result<String> {
        let n = usize::from(self.u16()?);
        let b = self.take(n)?;
        let b = b.strip_suffix(&[0]).unwrap_or(b);
        String::from_utf8(b.to_vec()).map_err(|_| bad("name is not UTF-8"))
    }
}

pub fn parse(bytes: &[u8]) -> Result<Model> {
    let mut r = Reader { b: bytes, at: 0 };
    let version = r.u32()?;
    if version != 6 {
        return Err(bad(format!("format version {version}, expected 6")));
    }
    let spec = r.string()?;
    let _revision = r.u32()?;
    let n = r.u32()? as usize;
    let mut variables = HashMap::with_capacity(n.min(10_000));
    for _ in 0..n {
        let name = r.string()?;
        let ndims = usize::from(r.u8()?);
        let shape = (0..ndims)
            .map(|_| r.u32().map(|d| d as usize))
            .collect::<Result<Vec<_>>>()?;
        let dtype = DType::from_code(r.u8()?).ok_or_else(|| bad(format!("{name}: type")))?;
        let nbytes = r.u32()? as usize;
        let want = shape.iter().product::<usize>().max(1) * dtype.size();
        if nbytes != want {
            return Err(bad(format!("{name}: {nbytes} bytes for {shape:?}")));
        }
        let data = r.take(nbytes)?.to_vec();
        variables.insert(name, Variable { shape, dtype, data });
    }
    let aliases = r.u32()?;
    for _ in 0..aliases {
        let alias = r.string()?;
        let target = r.string()?;
        if let Some(v) = variables.get(&target).cloned() {
            variables.insert(alias, v);
        }
    }
    Ok(Model { spec, variables })
}

pub fn read(path: &Path) -> Result<Model> {
    let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
    parse(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_conversions_round_trip() {
        for v in [
            0.0f32,
            1.0,
            -2.5,
            65504.0,
            6.1035156e-5,
            5.9604645e-8,
            0.333_251_95,
        ] {
            assert_eq!(f16_to_f32(f32_to_f16(v)), v, "{v}");
        }
        assert_eq!(f32_to_f16(1.0), 0x3C00);
        assert_eq!(f32_to_f16(1e9), 0x7C00);
        assert!(f16_to_f32(0x7C00).is_infinite());
    }

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend(((s.len() + 1) as u16).to_le_bytes());
        out.extend(s.as_bytes());
        out.push(0);
    }

    #[test]
    fn reads_variables_and_aliases_and_refuses_truncation() {
        let mut b = 6u32.to_le_bytes().to_vec();
        string(&mut b, "WhisperSpec");
        b.extend(3u32.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        string(&mut b, "decoder/embeddings/weight");
        b.push(2);
        b.extend(2u32.to_le_bytes());
        b.extend(2u32.to_le_bytes());
        b.push(4);
        b.extend(8u32.to_le_bytes());
        for v in [1.0f32, 2.0, -1.0, 0.5] {
            b.extend(f32_to_f16(v).to_le_bytes());
        }
        b.extend(1u32.to_le_bytes());
        string(&mut b, "decoder/projection/weight");
        string(&mut b, "decoder/embeddings/weight");
        let m = parse(&b).unwrap();
        assert_eq!(m.spec, "WhisperSpec");
        let p = m.get("decoder/projection/weight").unwrap();
        assert_eq!(p.shape, vec![2, 2]);
        assert_eq!(p.to_f32().unwrap(), vec![1.0, 2.0, -1.0, 0.5]);
        assert!(parse(&b[..b.len() - 9]).is_err());
        assert!(parse(b"\x05\0\0\0").is_err());
    }
}

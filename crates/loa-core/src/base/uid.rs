//! Identities that are the same on every PC: random ones for what a user
//! makes, and ones made from content where two offices could make the same
//! thing apart (see docs/shared-terminology.md).

use crate::base::error::{CoreError, Result};
use sha2::{Digest, Sha256};

fn format(mut b: [u8; 16], version: u8) -> String {
    b[6] = (b[6] & 0x0f) | (version << 4);
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A random UUID (version 4).
pub fn random() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| CoreError::io("random", std::io::Error::other(e.to_string())))?;
    Ok(format(b, 4))
}

/// A UUID (version 8) made from `kind` and `parts`: equal parts, equal
/// identity, on any PC. Parts are separated so that ("ab","c") ≠ ("a","bc").
pub fn from_content(kind: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    for p in parts {
        h.update([0x1f]);
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    format(b, 8)
}

/// A concept read from a file (or there before sharing began): by its
/// external id when it has one, else by its terms in match form.
pub fn concept_from_content<'a>(
    external_id: &str,
    terms: impl Iterator<Item = (&'a str, &'a str)>,
) -> String {
    // Exported by Loa Studio with no id of its own: "c" + its identity,
    // kept through the round trip.
    if let Some(uid) = external_id.trim().strip_prefix('c') {
        if uid.len() == 36 && uid.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return uid.to_string();
        }
    }
    let key = if external_id.trim().is_empty() {
        let mut k: Vec<String> = terms
            .map(|(lang, text)| format!("{lang}:{}", crate::base::text::match_key(text)))
            .collect();
        k.sort();
        k.join("\n")
    } else {
        format!("#{}", external_id.trim())
    };
    from_content("concept", &[&key])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_identities_are_stable_and_distinct() {
        let a = from_content("term", &["c1", "vie", "dan so"]);
        assert_eq!(a, from_content("term", &["c1", "vie", "dan so"]));
        assert_ne!(a, from_content("term", &["c1", "vie", "dan s", "o"]));
        assert_ne!(a, from_content("tm", &["c1", "vie", "dan so"]));
        assert_eq!(&a[14..15], "8");
        let r = random().unwrap();
        assert_eq!(r.len(), 36);
        assert_eq!(&r[14..15], "4");
        assert_ne!(r, random().unwrap());
    }
}

//! ID3v2.4 tags in UTF-8. LAME's own tagging is Latin-1, which cannot hold
//! Vietnamese ("Lịch tiêm chủng") or Tai Viet titles; players on the commune
//! side show these tags, so they are written here instead.

/// What a broadcast file says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags<'a> {
    pub title: &'a str,
    /// The station that produced it.
    pub artist: &'a str,
    /// The program it belongs to.
    pub album: &'a str,
    /// Recording date: YYYY, YYYY-MM or YYYY-MM-DD.
    pub date: &'a str,
    /// ISO 639 code of the language read.
    pub language: &'a str,
    pub comment: &'a str,
}

/// Sizes in ID3v2.4 headers are 28-bit "syncsafe": 7 bits per byte.
fn syncsafe(n: usize) -> [u8; 4] {
    let n = n.min(0x0FFF_FFFF) as u32;
    [
        ((n >> 21) & 0x7F) as u8,
        ((n >> 14) & 0x7F) as u8,
        ((n >> 7) & 0x7F) as u8,
        (n & 0x7F) as u8,
    ]
}

fn frame(out: &mut Vec<u8>, id: &[u8; 4], body: &[u8]) {
    out.extend_from_slice(id);
    out.extend_from_slice(&syncsafe(body.len()));
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(body);
}

/// Text frames carry encoding byte 3 (UTF-8). Control characters would end
/// the string early in some readers, so they become spaces.
fn text(value: &str) -> Vec<u8> {
    let mut b = vec![3u8];
    b.extend(
        value
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(1000)
            .collect::<String>()
            .trim()
            .as_bytes(),
    );
    b
}

/// The whole tag, to put before the first MP3 frame. Empty fields are left
/// out; with nothing to say there is no tag at all.
pub fn tag(t: &Tags) -> Vec<u8> {
    let mut frames = Vec::new();
    for (id, v) in [
        (b"TIT2", t.title),
        (b"TPE1", t.artist),
        (b"TALB", t.album),
        (b"TDRC", t.date),
        (b"TLAN", t.language),
    ] {
        if !v.trim().is_empty() {
            frame(&mut frames, id, &text(v));
        }
    }
    if !t.comment.trim().is_empty() {
        // Encoding, language ("und"), empty description, then the text.
        let mut body = vec![3u8];
        body.extend_from_slice(b"und\0");
        body.extend_from_slice(&text(t.comment)[1..]);
        frame(&mut frames, b"COMM", &body);
    }
    if frames.is_empty() {
        return frames;
    }
    let mut out = Vec::with_capacity(frames.len() + 10);
    out.extend_from_slice(b"ID3\x04\x00\x00");
    out.extend_from_slice(&syncsafe(frames.len()));
    out.extend_from_slice(&frames);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_syncsafe_and_empty_tags_vanish() {
        assert_eq!(syncsafe(0x3FFF), [0, 0, 0x7F, 0x7F]);
        assert_eq!(syncsafe(200), [0, 0, 1, 72]);
        assert!(tag(&Tags::default()).is_empty());
        let t = tag(&Tags {
            title: "Lịch tiêm chủng",
            ..Default::default()
        });
        // Header (10) + frame header (10) + encoding byte + UTF-8 text.
        assert_eq!(t.len(), 10 + 10 + 1 + "Lịch tiêm chủng".len());
        assert_eq!(&t[..5], b"ID3\x04\x00");
    }
}

//! The languages the app ships with, added to every database that lacks
//! them (users may edit them after). Kept with the store because opening a
//! database adds them; the registry itself is `base::language`.

use crate::base::error::Result;
use rusqlite::{params, Connection};

pub const TAI_VIET_FONT: &str = "Noto Sans Tai Viet";

/// Ê Đê letters beyond Vietnamese (the 1979 orthography: breve vowels, ƀ, č, ñ).
const EDE_PALETTE: &str = "ă ĕ ê̆ ĭ ŏ ô̆ ơ̆ ŭ ư̆ ƀ č ñ Ă Ĕ Ê̆ Ĭ Ŏ Ô̆ Ơ̆ Ŭ Ư̆ Ɓ Č Ñ";

/// Every assigned letter, vowel sign and tone mark of the Tai Viet block
/// (U+AA80–U+AAC2, U+AADB–U+AADF): without a keyboard layout, the palette is
/// how Tai Dam is typed.
fn tai_viet_palette() -> String {
    (0xAA80..=0xAAC2u32)
        .chain(0xAADB..=0xAADF)
        .filter_map(char::from_u32)
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" ")
}

/// (code, Vietnamese name, native name, script) for the client's areas
/// (Quảng Nam, Quảng Ngãi, Thanh Hóa, the northern uplands).
const DEFAULTS: &[(&str, &str, &str, &str)] = &[
    ("vie", "Tiếng Việt", "Tiếng Việt", "Latn"),
    ("mtq", "Tiếng Mường", "", "Latn"),
    ("blt", "Tiếng Thái (Tai Dam)", "", "Tavt"),
    ("ktv", "Tiếng Cơ Tu", "", "Latn"),
    ("sed", "Tiếng Xơ Đăng", "", "Latn"),
    ("hre", "Tiếng Hrê", "", "Latn"),
    ("hnj", "Tiếng H'Mông", "", "Latn"),
    ("rad", "Tiếng Ê Đê", "", "Latn"),
    ("tyz", "Tiếng Tày", "", "Latn"),
];

fn default_font_and_palette(code: &str) -> (&'static str, String) {
    match code {
        "blt" => (TAI_VIET_FONT, tai_viet_palette()),
        "rad" => ("", EDE_PALETTE.to_string()),
        _ => ("", String::new()),
    }
}

/// Adds the default languages that are missing; never overwrites edits.
pub fn ensure_languages(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO languages(code, name_vi, name_native, script, sort, font, palette)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, (code, vi, native, script)) in DEFAULTS.iter().enumerate() {
        let (font, palette) = default_font_and_palette(code);
        stmt.execute(params![code, vi, native, script, i as i64, font, palette])?;
    }
    Ok(())
}

/// Migration 8: languages that existed before fonts and palettes get theirs.
pub fn add_palettes(conn: &Connection) -> Result<()> {
    for (code, ..) in DEFAULTS {
        let (font, palette) = default_font_and_palette(code);
        conn.execute(
            "UPDATE languages SET font = ?2, palette = ?3
              WHERE code = ?1 AND font = '' AND palette = ''",
            params![code, font, palette],
        )?;
    }
    Ok(())
}

//! Audio for the station's own player. The week's schedule as a folder:
//! USB/SD MP3 players play files in name order, IP-radio platforms take a
//! playlist, and the officer gets a README in Vietnamese saying which is
//! which. And one take by itself, rendered for a broadcast profile.

use crate::base::error::{CoreError, Result};
use crate::base::store::Db;
use crate::broadcast::{schedule, station};
use crate::record::audio::render::RenderOptions;
use crate::record::recording::{self, Rendered, TakeExport};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlayerExported {
    pub folder: String,
    pub files: u32,
    pub playlists: u32,
    /// Entries left out, each `date start title`: their audio is missing or
    /// their data cannot make a safe file name. The rest is written.
    pub skipped: Vec<String>,
}

/// The title part of a player file name, `003_<slug>-vie.mp3`; the air log
/// reads it back to match a player's log to its item.
pub(crate) fn slug(title: &str) -> String {
    let s = crate::base::files::file_slug(title, 8);
    if s.is_empty() {
        "bai".into()
    } else {
        s
    }
}

/// `2026-11-23_0600_buoi-sang`: sorts by day and time on any player.
fn slot_folder(date: &str, slot: &schedule::SlotDay) -> String {
    let name = crate::base::files::file_slug(&slot.name, 4);
    let base = format!("{date}_{}", slot.start.replace(':', ""));
    if name.is_empty() {
        base
    } else {
        format!("{base}_{name}")
    }
}

fn readme(week: &str, station: &str, slots: &[(String, String, usize)]) -> String {
    let mut lines = vec![
        format!("LỊCH PHÁT THANH TUẦN {week}"),
        format!("Đài: {station}"),
        String::new(),
        "Thư mục này do Loa Studio tạo để chép vào máy phát (USB, thẻ nhớ) hoặc tải lên".into(),
        "hệ thống truyền thanh IP.".into(),
        String::new(),
        "- Mỗi thư mục con là một buổi phát: ngày_giờ_tên buổi.".into(),
        "  Các tệp trong đó được đánh số 001_, 002_… theo đúng thứ tự phát.".into(),
        "- Mỗi tệp .m3u là danh sách phát của một buổi, dùng cho máy phát hoặc".into(),
        "  phần mềm đọc được danh sách phát (VLC, hệ thống IP).".into(),
        "- Sau khi phát, đánh dấu \"Đã phát\" trong Loa Studio (mục Lịch phát)".into(),
        "  hoặc nhập nhật ký phát (tệp CSV) để có số liệu báo cáo.".into(),
        String::new(),
        "CÁC BUỔI PHÁT".into(),
    ];
    for (folder, when, n) in slots {
        lines.push(format!("{when}: {n} bài, thư mục {folder}"));
    }
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

/// Writes the week's folder into `out_dir` (a fresh `Loa-2026-W48` folder,
/// made complete beside it and renamed into place). `progress(done, total)`
/// counts files copied; false cancels and removes what was written.
pub fn export(
    db: &Db,
    data_dir: &Path,
    iso_week: &str,
    out_dir: &Path,
    progress: &mut dyn FnMut(u32, u32) -> bool,
) -> Result<PlayerExported> {
    let week = schedule::week(db, iso_week)?;
    if !week
        .days
        .iter()
        .any(|d| d.slots.iter().any(|s| !s.entries.is_empty()))
    {
        return Err(CoreError::invalid("week", "nothing-scheduled"));
    }
    let station = crate::broadcast::station::own_name(db)?;
    let mut folder = out_dir.join(format!("Loa-{}", week.week));
    let mut n = 2;
    while folder.exists() {
        folder = out_dir.join(format!("Loa-{}-{n}", week.week));
        n += 1;
    }
    let part = out_dir.join(format!(
        ".{}.part",
        folder.file_name().unwrap_or_default().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&part);
    let result = write(db, data_dir, &week, &station, &part, progress);
    match result {
        Ok((files, playlists, skipped)) => {
            std::fs::rename(&part, &folder).map_err(|e| {
                let _ = std::fs::remove_dir_all(&part);
                CoreError::io(&folder, e)
            })?;
            Ok(PlayerExported {
                folder: folder.display().to_string(),
                files,
                playlists,
                skipped,
            })
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&part);
            Err(e)
        }
    }
}

fn write(
    db: &Db,
    data_dir: &Path,
    week: &schedule::Week,
    station: &str,
    dir: &Path,
    progress: &mut dyn FnMut(u32, u32) -> bool,
) -> Result<(u32, u32, Vec<String>)> {
    let total: u32 = week
        .days
        .iter()
        .flat_map(|d| &d.slots)
        .map(|s| s.entries.len() as u32)
        .sum();
    let mk = |p: &PathBuf| std::fs::create_dir_all(p).map_err(|e| CoreError::io(p, e));
    mk(&dir.to_path_buf())?;
    let mut files = 0;
    let mut done = 0;
    let mut listed = Vec::new();
    let mut skipped = Vec::new();
    for day in &week.days {
        for slot in day.slots.iter().filter(|s| !s.entries.is_empty()) {
            let name = slot_folder(&day.date, slot);
            let sub = dir.join(&name);
            mk(&sub)?;
            let mut m3u = String::from("#EXTM3U\r\n");
            let mut n = 0;
            for e in &slot.entries {
                if !progress(done, total) {
                    return Err(CoreError::Cancelled);
                }
                done += 1;
                // The language came from a package: one item whose data
                // makes no safe name, or whose audio is gone, is left out
                // and named, and the week is still written.
                let file = format!("{:03}_{}-{}.mp3", n + 1, slug(&e.title), e.lang);
                let audio = crate::broadcast::package::item_audio(db, data_dir, e.item_id)
                    .ok()
                    .filter(|a| a.is_file());
                let (Some(audio), Ok(file)) = (audio, crate::base::paths::file_name("file", &file))
                else {
                    skipped.push(format!("{} {} {}", day.date, slot.start, e.title));
                    continue;
                };
                let target = sub.join(&file);
                std::fs::copy(&audio, &target).map_err(|err| CoreError::io(&target, err))?;
                n += 1;
                files += 1;
                m3u.push_str(&format!(
                    "#EXTINF:{},{}\r\n{name}/{file}\r\n",
                    e.seconds.round() as i64,
                    e.title.replace(['\r', '\n'], " ")
                ));
            }
            if n == 0 {
                let _ = std::fs::remove_dir(&sub);
                continue;
            }
            let list = dir.join(format!("{name}.m3u"));
            std::fs::write(&list, m3u).map_err(|e| CoreError::io(&list, e))?;
            listed.push((name, format!("{} {}", day.date, slot.start), n));
        }
    }
    progress(done, total);
    let path = dir.join("README.txt");
    std::fs::write(&path, readme(&week.week, station, &listed))
        .map_err(|e| CoreError::io(&path, e))?;
    Ok((files, listed.len() as u32, skipped))
}
/// A take exported by itself for `profile` (the profile's rendering, with
/// silence trimmed since the file stands alone), tagged with this PC's
/// station and the day it was recorded. Reports progress as
/// [`recording::render`] does.
pub fn take(
    db: &Db,
    data_dir: &Path,
    req: &TakeExport,
    out_dir: &Path,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<Rendered> {
    let t = recording::get(db, req.id)?;
    let offset = crate::base::clock::local_offset(db.conn())?;
    let options = RenderOptions {
        trim_silence: true,
        artist: station::own_name(db)?,
        date: crate::base::calendar::Date::from_unix(t.created_at, offset).to_string(),
        ..req.profile.options()
    };
    recording::render(
        db,
        data_dir,
        &recording::TakeRender {
            id: req.id,
            options,
        },
        out_dir,
        progress,
    )
}

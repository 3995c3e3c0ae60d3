//! Where a long transcription keeps what it hears and what it has finished.
//!
//! An hour-long take is 230 MB as 16 kHz float samples: too much to hold on
//! an office PC next to the model. So the audio is decoded once into a
//! file here (with its 10 ms levels, which are all the cutting needs), and
//! each piece is read back from it when its turn comes. Every finished
//! piece is written down at once; after a cancel, a crash or a power cut
//! the next run takes the finished pieces as they are and goes on from
//! the first one missing.
//!
//! Files, in one folder per take: `audio.f32` and `levels.f32` (raw
//! little-endian floats), `audio.json` (written last: the audio is
//! complete, for this key), `pieces.jsonl` (a header line naming the model
//! and options, then one line per finished piece).

use crate::chunk::Levels;
use crate::transcribe::{Segment, RATE};
use loa_core::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

const AUDIO: &str = "audio.f32";
const LEVELS: &str = "levels.f32";
const READY: &str = "audio.json";
const PIECES: &str = "pieces.jsonl";

/// The folder of one transcription.
pub struct Workspace {
    dir: PathBuf,
}

/// What `audio.json` says: the audio is all there, for this key.
#[derive(Serialize, Deserialize, PartialEq)]
struct Ready {
    key: String,
    samples: u64,
    levels: u64,
}

#[derive(Serialize, Deserialize)]
struct Header {
    key: String,
}

/// One finished piece, as written down.
#[derive(Serialize, Deserialize)]
struct Finished {
    start: usize,
    end: usize,
    segments: Vec<Segment>,
}

/// The audio of a transcription, spooled to disk: its length, its levels,
/// and pieces read back on demand.
pub struct Spooled {
    path: PathBuf,
    pub samples: usize,
    pub levels: Vec<f32>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> CoreError + '_ {
    move |e| CoreError::io(path, e)
}

impl Workspace {
    pub fn new(dir: &Path) -> Workspace {
        Workspace {
            dir: dir.to_path_buf(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The audio for `key` (what identifies the take as edited): spooled
    /// by an earlier run, or now from `fill`, which hands 16 kHz mono
    /// samples to the sink it is given. Audio spooled for another key
    /// (the take was edited since) is thrown away first, with any pieces.
    pub fn audio(
        &self,
        key: &str,
        fill: impl FnOnce(&mut dyn FnMut(&[f32]) -> Result<()>) -> Result<()>,
    ) -> Result<Spooled> {
        if let Some(s) = self.spooled(key) {
            return Ok(s);
        }
        // A half-written spool, or one for other audio.
        if self.dir.exists() {
            fs::remove_dir_all(&self.dir).map_err(io(&self.dir))?;
        }
        fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let path = self.dir.join(AUDIO);
        let mut out = BufWriter::new(File::create(&path).map_err(io(&path))?);
        let mut levels = Levels::new(RATE);
        let mut samples = 0usize;
        fill(&mut |chunk: &[f32]| {
            levels.push(chunk);
            samples += chunk.len();
            for s in chunk {
                out.write_all(&s.to_le_bytes()).map_err(io(&path))?;
            }
            Ok(())
        })?;
        let file = out
            .into_inner()
            .map_err(|e| CoreError::io(&path, e.into_error()))?;
        file.sync_all().map_err(io(&path))?;
        let levels = levels.finish();
        let lpath = self.dir.join(LEVELS);
        let bytes: Vec<u8> = levels.iter().flat_map(|l| l.to_le_bytes()).collect();
        write_synced(&lpath, &bytes)?;
        let ready = Ready {
            key: key.to_string(),
            samples: samples as u64,
            levels: levels.len() as u64,
        };
        // Last, and whole or not at all: its presence says the rest is there.
        let json = serde_json::to_vec(&ready).map_err(|e| CoreError::io(&path, e.into()))?;
        let tmp = self.dir.join("audio.json.tmp");
        write_synced(&tmp, &json)?;
        let ready_path = self.dir.join(READY);
        fs::rename(&tmp, &ready_path).map_err(io(&ready_path))?;
        Ok(Spooled {
            path,
            samples,
            levels,
        })
    }

    /// The spooled audio, when it is complete and for `key`.
    fn spooled(&self, key: &str) -> Option<Spooled> {
        let ready: Ready = serde_json::from_slice(&fs::read(self.dir.join(READY)).ok()?).ok()?;
        let path = self.dir.join(AUDIO);
        if ready.key != key || fs::metadata(&path).ok()?.len() != ready.samples * 4 {
            return None;
        }
        let bytes = fs::read(self.dir.join(LEVELS)).ok()?;
        if bytes.len() as u64 != ready.levels * 4 {
            return None;
        }
        Some(Spooled {
            path,
            samples: usize::try_from(ready.samples).ok()?,
            levels: bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        })
    }

    /// The pieces finished by earlier runs with the model and options named
    /// by `key`. Pieces heard another way are forgotten; a line cut short
    /// by a crash ends the list, and is cut off the file.
    pub fn finished(&self, key: &str) -> Result<Vec<(Range<usize>, Vec<Segment>)>> {
        let path = self.dir.join(PIECES);
        let text = match fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(CoreError::io(&path, e)),
        };
        let mut lines = text.split_inclusive(|&b| b == b'\n');
        let header = lines
            .next()
            .filter(|l| l.ends_with(b"\n"))
            .and_then(|l| serde_json::from_slice::<Header>(l).ok());
        let mut out = Vec::new();
        let mut good = 0;
        if header.is_some_and(|h| h.key == key) {
            good = text.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
            for line in lines {
                let Some(f) = line
                    .ends_with(b"\n")
                    .then(|| serde_json::from_slice::<Finished>(line).ok())
                    .flatten()
                else {
                    break;
                };
                good += line.len();
                out.push((f.start..f.end, f.segments));
            }
        }
        if good == 0 {
            let header = serde_json::to_string(&Header {
                key: key.to_string(),
            })
            .map_err(|e| CoreError::io(&path, e.into()))?;
            write_synced(&path, format!("{header}\n").as_bytes())?;
        } else if good < text.len() {
            let f = OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(io(&path))?;
            f.set_len(good as u64).map_err(io(&path))?;
            f.sync_all().map_err(io(&path))?;
        }
        Ok(out)
    }

    /// Writes down a finished piece, on disk before this returns.
    pub fn record(&self, piece: &Range<usize>, segments: &[Segment]) -> Result<()> {
        let path = self.dir.join(PIECES);
        let line = serde_json::to_string(&Finished {
            start: piece.start,
            end: piece.end,
            segments: segments.to_vec(),
        })
        .map_err(|e| CoreError::io(&path, e.into()))?;
        let mut f = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        f.write_all(format!("{line}\n").as_bytes())
            .map_err(io(&path))?;
        f.sync_data().map_err(io(&path))
    }

    /// Deletes the folder: the transcript is stored.
    pub fn remove(&self) -> Result<()> {
        match fs::remove_dir_all(&self.dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(CoreError::io(&self.dir, e)),
            _ => Ok(()),
        }
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = File::create(path).map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    f.sync_all().map_err(io(path))
}

impl Spooled {
    /// The samples of `range`, read from disk.
    pub fn read(&self, range: Range<usize>) -> Result<Vec<f32>> {
        let range = range.start.min(self.samples)..range.end.min(self.samples);
        let mut f = File::open(&self.path).map_err(io(&self.path))?;
        f.seek(SeekFrom::Start(range.start as u64 * 4))
            .map_err(io(&self.path))?;
        let mut bytes = vec![0u8; range.len() * 4];
        f.read_exact(&mut bytes).map_err(io(&self.path))?;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(start: f64, text: &str) -> Segment {
        Segment {
            start,
            end: start + 1.0,
            text: text.into(),
            confidence: 0.9,
            words: Vec::new(),
        }
    }

    fn spooled(w: &Workspace, key: &str, n: usize) -> Spooled {
        w.audio(key, |sink| {
            let ramp: Vec<f32> = (0..n).map(|i| i as f32 / n as f32).collect();
            for part in ramp.chunks(1000) {
                sink(part)?;
            }
            Ok(())
        })
        .unwrap()
    }

    #[test]
    fn audio_is_spooled_once_per_key_and_read_back_by_range() {
        let dir = tempfile::tempdir().unwrap();
        let w = Workspace::new(&dir.path().join("take-1"));
        let a = spooled(&w, "edit 1", 16_123);
        assert_eq!(a.samples, 16_123);
        assert_eq!(a.levels.len(), 101, "10 ms frames, the last one short");
        assert_eq!(
            a.read(100..103).unwrap(),
            [100.0 / 16_123.0, 101.0 / 16_123.0, 102.0 / 16_123.0]
        );
        assert_eq!(
            a.read(16_120..20_000).unwrap().len(),
            3,
            "clamped to the end"
        );
        // The same key reads the spool without asking for the audio again.
        let again = w.audio("edit 1", |_| panic!("decoded twice")).unwrap();
        assert_eq!(again.levels, a.levels);
        // Another key (the take was edited) spools anew and forgets pieces.
        w.finished("model a").unwrap();
        w.record(&(0..100), &[line(0.0, "một")]).unwrap();
        let other = spooled(&w, "edit 2", 500);
        assert_eq!(other.samples, 500);
        assert!(w.finished("model a").unwrap().is_empty());
        // A spool cut short (a crash before audio.json) is made again.
        fs::remove_file(w.dir().join(READY)).unwrap();
        let mut asked = false;
        w.audio("edit 2", |sink| {
            asked = true;
            sink(&[0.5; 10])
        })
        .unwrap();
        assert!(asked);
        w.remove().unwrap();
        assert!(!w.dir().exists());
        w.remove().unwrap();
    }

    #[test]
    fn finished_pieces_survive_a_torn_last_line_and_go_with_another_model() {
        let dir = tempfile::tempdir().unwrap();
        let w = Workspace::new(dir.path());
        spooled(&w, "take", 10);
        assert!(w.finished("base q8_0 beam 5").unwrap().is_empty());
        w.record(&(0..100), &[line(0.0, "một")]).unwrap();
        w.record(&(200..300), &[line(0.5, "hai"), line(1.5, "ba")])
            .unwrap();
        // A crash in the middle of writing the third.
        let path = dir.path().join(PIECES);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"start":400,"end":5"#).unwrap();
        drop(f);
        let got = w.finished("base q8_0 beam 5").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, 200..300);
        assert_eq!(got[1].1[1].text, "ba");
        // The torn line is cut off, so the next piece follows a whole one.
        w.record(&(400..500), &[line(2.0, "bốn")]).unwrap();
        assert_eq!(w.finished("base q8_0 beam 5").unwrap().len(), 3);
        // Heard with another model: nothing counts, and the log starts over.
        assert!(w.finished("small f16 beam 5").unwrap().is_empty());
        assert!(w.finished("base q8_0 beam 5").unwrap().is_empty());
    }
}

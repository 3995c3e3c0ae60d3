//! One writer per data folder. The app (for its whole life) and a writing
//! `loa` command (for its run) hold an exclusive lock on `loa.lock`; a
//! second one is told which program has the folder and touches nothing, not
//! even the start-up clean-up of staged imports and cut-off takes, which
//! would otherwise delete the first one's work in progress.
//!
//! The lock is the operating system's (flock / LockFileEx), so it ends with
//! the process however the process ends: a crash never leaves the folder
//! locked. Who holds it is written beside it in `loa.lock.owner`, because on
//! Windows a locked file cannot be read by others.

use crate::base::error::{CoreError, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

const LOCK_FILE: &str = "loa.lock";
const OWNER_FILE: &str = "loa.lock.owner";

/// The data folder, held. Dropping it lets the next program in.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    dir: PathBuf,
}

impl DataLock {
    /// Takes the folder for `program` (`Loa Studio`, `loa`), creating it if
    /// needed; [`CoreError::FolderInUse`] names the holder when another has it.
    pub fn acquire(data_dir: &Path, program: &str) -> Result<DataLock> {
        std::fs::create_dir_all(data_dir).map_err(|e| CoreError::io(data_dir, e))?;
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| CoreError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let (holder, pid) = owner(data_dir);
                return Err(CoreError::FolderInUse {
                    path: data_dir.to_path_buf(),
                    program: holder,
                    pid,
                });
            }
            Err(TryLockError::Error(e)) => return Err(CoreError::io(&path, e)),
        }
        let owner_path = data_dir.join(OWNER_FILE);
        // Best effort: the lock is what counts, the owner line only helps
        // the message.
        if let Ok(mut f) = File::create(&owner_path) {
            let _ = writeln!(f, "{}\n{program}", std::process::id());
        }
        Ok(DataLock {
            _file: file,
            dir: data_dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Who holds the folder, as its owner file says (program, pid).
fn owner(data_dir: &Path) -> (String, String) {
    let text = std::fs::read_to_string(data_dir.join(OWNER_FILE)).unwrap_or_default();
    let mut lines = text.lines();
    let pid = lines.next().unwrap_or("").trim().to_string();
    let program = lines.next().unwrap_or("").trim().to_string();
    let program = if program.is_empty() {
        "?".to_string()
    } else {
        program
    };
    (program, if pid.is_empty() { "?".into() } else { pid })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_open_is_refused_with_the_holder_named() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::acquire(dir.path(), "Loa Studio").unwrap();
        let err = DataLock::acquire(dir.path(), "loa").unwrap_err();
        assert_eq!(err.code(), "folder-in-use");
        let args = err.args();
        assert!(
            args.contains(&("program", "Loa Studio".to_string())),
            "{args:?}"
        );
        assert!(
            args.contains(&("pid", std::process::id().to_string())),
            "{args:?}"
        );
        drop(first);
        let again = DataLock::acquire(dir.path(), "loa").unwrap();
        assert_eq!(again.dir(), dir.path());
    }
}

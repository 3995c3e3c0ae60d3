//! The station's signing key. Packages are signed with Ed25519 so a commune
//! can tell a genuine broadcast from a forged or altered one. Each PC has one
//! key pair, made on first use and kept in the data folder; other stations
//! learn the public key from an exported key file or from a package, and
//! trust it only after reading its key id back with the issuer by phone.

use crate::base::error::{CoreError, Result};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use ts_rs::TS;

const KEY_FILE: &str = "station.key";
const PUBLIC_HEADER: &str = "LOA-STATION-KEY 1";

pub struct StationKey {
    signing: SigningKey,
}

/// Shows the key id only: the private half never reaches a log.
impl std::fmt::Debug for StationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StationKey")
            .field("key_id", &self.key_id())
            .finish()
    }
}

/// A public key with who it belongs to, as exported and imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyInfo {
    pub station: String,
    pub admin_code: String,
    /// `7Q2M-K4XA-91FD-EE30`: read out over the phone before trusting.
    pub key_id: String,
    /// 64 hex digits.
    pub public_key: String,
}

pub fn keys_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("keys")
}

/// The settings entry that remembers this PC's key id once it was made:
/// from then on a missing key file is a loss to restore, not a first use.
const KEY_ID_SETTING: &str = "key.id";

impl StationKey {
    /// This PC's key. Made on first use; but once this PC has a key (its id
    /// is recorded, or it has sent packages) a missing key file is an error
    /// that says how to restore it: a new key would make every receiving
    /// station see a stranger.
    pub fn own(db: &crate::base::store::Db, data_dir: &Path) -> Result<StationKey> {
        if let Some(k) = StationKey::load(data_dir)? {
            if crate::base::settings::get_value(db, KEY_ID_SETTING)?.is_none() {
                crate::base::settings::set_value(db, KEY_ID_SETTING, &k.key_id())?;
            }
            return Ok(k);
        }
        let recorded = crate::base::settings::get_value(db, KEY_ID_SETTING)?;
        let sent: bool = db.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM packages WHERE direction = 'sent')",
            [],
            |r| r.get(0),
        )?;
        if recorded.is_some() || sent {
            return Err(CoreError::KeyMissing {
                path: keys_dir(data_dir).join(KEY_FILE),
                key_id: recorded.unwrap_or_default(),
            });
        }
        let k = StationKey::create(data_dir)?;
        crate::base::settings::set_value(db, KEY_ID_SETTING, &k.key_id())?;
        Ok(k)
    }

    /// The key in `data_dir`, if there is one.
    pub fn load(data_dir: &Path) -> Result<Option<StationKey>> {
        StationKey::load_file(&keys_dir(data_dir).join(KEY_FILE))
    }

    /// A private key file at `path` (the station's, or a release key kept
    /// elsewhere), if there is one.
    pub fn load_file(path: &Path) -> Result<Option<StationKey>> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let seed = decode_hex::<32>(text.trim())
                    .ok_or(CoreError::invalid("key-file", "format"))?;
                Ok(Some(StationKey {
                    signing: SigningKey::from_bytes(&seed),
                }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CoreError::io(path, e)),
        }
    }

    /// Writes this key as a new private key file, readable by this user
    /// only; an existing file is never replaced.
    pub fn save_new(&self, path: &Path) -> Result<()> {
        write_private(path, &hex(&self.signing.to_bytes()))
    }

    /// A fresh key pair held in memory only (benchmarks, tests).
    pub fn generate() -> Result<StationKey> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| CoreError::io("random", std::io::Error::other(e.to_string())))?;
        Ok(StationKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// Makes the key file. Written whole under a temporary name, then
    /// linked into place only if there is none yet: two programs making the
    /// first key at once end up with the same one, and nobody ever reads a
    /// half-written file.
    fn create(data_dir: &Path) -> Result<StationKey> {
        let path = keys_dir(data_dir).join(KEY_FILE);
        let k = StationKey::generate()?;
        // A name of this attempt's own (the key's id will do: random).
        let tmp = keys_dir(data_dir).join(format!(".{KEY_FILE}.{}", k.key_id()));
        write_private(&tmp, &hex(&k.signing.to_bytes()))?;
        let linked = std::fs::hard_link(&tmp, &path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(k),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                StationKey::load(data_dir)?.ok_or_else(|| CoreError::io(&path, e))
            }
            Err(e) => Err(CoreError::io(&path, e)),
        }
    }

    /// Whether a key exists yet (showing it must not create one).
    pub fn exists(data_dir: &Path) -> bool {
        keys_dir(data_dir).join(KEY_FILE).is_file()
    }

    pub fn public_bytes(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    pub fn public_hex(&self) -> String {
        hex(&self.public_bytes())
    }

    pub fn key_id(&self) -> String {
        key_id(&self.public_bytes())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    pub fn info(&self, station: &str, admin_code: &str) -> PublicKeyInfo {
        PublicKeyInfo {
            station: station.to_string(),
            admin_code: admin_code.to_string(),
            key_id: self.key_id(),
            public_key: self.public_hex(),
        }
    }
}

/// Writes the private key readable by this user only. On Windows the data
/// folder is under the user's own profile, whose ACL already keeps other
/// users out.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().expect("key path has a folder");
    std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        opts.mode(0o600);
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| CoreError::io(dir, e))?;
    }
    let mut f = opts.open(path).map_err(|e| CoreError::io(path, e))?;
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| CoreError::io(path, e))
}

/// The first 80 bits of SHA-256 of the public key, in base32 (A–Z, 2–7: no
/// 0/O or 1/I to mix up on the phone), four groups of four.
pub fn key_id(public: &[u8; 32]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = Sha256::digest(public);
    let bits = digest[..10]
        .iter()
        .fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    let chars: Vec<char> = (0..16)
        .map(|i| ALPHABET[((bits >> (75 - 5 * i)) & 31) as usize] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Checks an Ed25519 signature; any malformed key or signature is simply
/// "does not verify".
pub fn verify(public: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    let Ok(sig) = <[u8; 64]>::try_from(signature) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(public) else {
        return false;
    };
    key.verify(message, &Signature::from_bytes(&sig)).is_ok()
}

/// The public key file: a few `name: value` lines a person can read.
pub fn export_text(info: &PublicKeyInfo) -> String {
    format!(
        "{PUBLIC_HEADER}\r\nstation: {}\r\nadmin-code: {}\r\nkey-id: {}\r\npublic-key: {}\r\n",
        info.station, info.admin_code, info.key_id, info.public_key
    )
}

/// Reads a public key file. The key id, when present, must match the key:
/// a file edited by hand is refused rather than trusted under a wrong id.
pub fn parse_text(text: &str) -> Result<PublicKeyInfo> {
    crate::base::limits::check_len(
        "key",
        crate::base::limits::ImportKind::KeyFile,
        text.len() as u64,
    )?;
    let bad = || CoreError::invalid("key-file", "format");
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    if lines.next().map(str::trim) != Some(PUBLIC_HEADER) {
        return Err(bad());
    }
    let mut info = PublicKeyInfo {
        station: String::new(),
        admin_code: String::new(),
        key_id: String::new(),
        public_key: String::new(),
    };
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = crate::base::text::clean_line(v);
        match k.trim() {
            "station" => info.station = v,
            "admin-code" => info.admin_code = v,
            "key-id" => info.key_id = v,
            "public-key" => info.public_key = v.to_ascii_lowercase(),
            _ => {}
        }
    }
    let public = decode_hex::<32>(&info.public_key).ok_or_else(bad)?;
    if VerifyingKey::from_bytes(&public).is_err() {
        return Err(bad());
    }
    let id = key_id(&public);
    if !info.key_id.is_empty() && info.key_id != id {
        return Err(CoreError::invalid("key-file", "key-id-mismatch"));
    }
    info.key_id = id;
    Ok(info)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn decode_hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.trim();
    if s.len() != N * 2 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_made_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::base::store::Db::open_dir(dir.path()).unwrap();
        assert!(!StationKey::exists(dir.path()));
        let a = StationKey::own(&db, dir.path()).unwrap();
        let b = StationKey::own(&db, dir.path()).unwrap();
        assert_eq!(a.public_hex(), b.public_hex(), "loaded, not remade");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = keys_dir(dir.path()).join(KEY_FILE);
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "no access for group or others");
        }
        let other = StationKey::generate().unwrap();
        assert_ne!(a.public_hex(), other.public_hex());

        let sig = a.sign(b"manifest");
        assert!(verify(&a.public_bytes(), b"manifest", &sig));
        assert!(!verify(&a.public_bytes(), b"manifesT", &sig));
        assert!(!verify(&other.public_bytes(), b"manifest", &sig));
        assert!(!verify(&a.public_bytes(), b"manifest", &sig[..63]));
    }

    #[test]
    fn a_lost_key_is_an_error_once_the_pc_had_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::base::store::Db::open_dir(dir.path()).unwrap();
        let made = StationKey::own(&db, dir.path()).unwrap().key_id();
        std::fs::remove_file(keys_dir(dir.path()).join(KEY_FILE)).unwrap();
        let err = StationKey::own(&db, dir.path()).unwrap_err();
        assert_eq!(err.code(), "key-missing");
        assert!(
            err.args().contains(&("keyId", made.clone())),
            "{:?}",
            err.args()
        );
        assert!(!StationKey::exists(dir.path()), "no new key was made");
        // Restored from a backup, it is the same key again.
        let again = tempfile::tempdir().unwrap();
        let db2 = crate::base::store::Db::open_dir(again.path()).unwrap();
        assert_ne!(StationKey::own(&db2, again.path()).unwrap().key_id(), made);
    }

    #[test]
    fn two_first_uses_at_once_make_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let ids: Vec<String> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| StationKey::create(dir.path()).unwrap().key_id()))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let on_disk = StationKey::load(dir.path()).unwrap().unwrap().key_id();
        assert!(ids.iter().all(|id| *id == on_disk), "{ids:?} vs {on_disk}");
    }

    #[test]
    fn key_id_is_readable_and_stable() {
        let id = key_id(&[0u8; 32]);
        // SHA-256 of 32 zero bytes starts 66687aadf862bd776c8f.
        assert_eq!(id, "MZUH-VLPY-MK6X-O3EP");
        assert!(id
            .chars()
            .all(|c| c == '-' || c.is_ascii_uppercase() || ('2'..='7').contains(&c)));
    }

    #[test]
    fn public_key_file_round_trip_and_tamper() {
        let k = StationKey::generate().unwrap();
        let info = k.info("Xã Ba Tơ", "51123");
        let text = export_text(&info);
        assert_eq!(parse_text(&text).unwrap(), info);
        let wrong_id = text.replace(&info.key_id, "AAAA-AAAA-AAAA-AAAA");
        assert_eq!(
            parse_text(&wrong_id).unwrap_err().args()[1].1,
            "key-id-mismatch"
        );
        assert!(parse_text("hello").is_err());
        assert!(parse_text(&text.replace(&info.public_key[..4], "zzzz")).is_err());
    }
}

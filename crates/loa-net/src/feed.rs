//! The office's update address: a static JSON (on the province's server,
//! say) naming the newest release and where its `.loaupdate` is. The file
//! fetched goes through exactly the same checks as one from a USB stick
//! (`loa_core::update`): the address is only a convenience, never trusted.

use crate::{agent, failed};
use loa_core::base::limits::ImportKind;
use loa_core::update::{self, Feed};
use loa_core::{CoreError, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Feeds are a few lines; anything larger is not one.
const MAX_FEED_BYTES: u64 = 64 * 1024;

fn http_url(url: &str) -> Result<&str> {
    let url = url.trim();
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(url)
    } else {
        Err(CoreError::invalid("update-url", "http-url"))
    }
}

/// Asks `url` for the newest release; `None` when it is not newer than
/// `current`.
pub fn check(url: &str, current: &str) -> Result<Option<Feed>> {
    let url = http_url(url)?;
    let mut resp = agent().get(url).call().map_err(|e| failed(url, e))?;
    let mut bytes = Vec::new();
    resp.body_mut()
        .as_reader()
        .take(MAX_FEED_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(url, e))?;
    if bytes.len() as u64 > MAX_FEED_BYTES {
        return Err(failed(url, "too large"));
    }
    let Some(mut feed) = update::parse_feed(&bytes, current)? else {
        return Ok(None);
    };
    feed.url = resolve(url, &feed.url);
    Ok(Some(feed))
}

/// `rel` against the feed's own address, as a browser would for a plain
/// file name or a path from the server's root.
pub fn resolve(base: &str, rel: &str) -> String {
    let rel = rel.trim();
    if rel.is_empty() || rel.starts_with("http://") || rel.starts_with("https://") {
        return rel.to_string();
    }
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    if rel.starts_with('/') {
        let host_end = base[scheme_end..]
            .find('/')
            .map(|i| scheme_end + i)
            .unwrap_or(base.len());
        return format!("{}{rel}", &base[..host_end]);
    }
    let dir_end = base[scheme_end..]
        .rfind('/')
        .map(|i| scheme_end + i + 1)
        .unwrap_or(base.len());
    let sep = if dir_end == base.len() && !base.ends_with('/') {
        "/"
    } else {
        ""
    };
    format!("{}{sep}{rel}", &base[..dir_end])
}

/// Downloads a `.loaupdate` into `data_dir/updates`, within the update cap,
/// and returns its path. It lands under its name only when complete; the
/// caller then checks it as any update file.
pub fn download(
    url: &str,
    data_dir: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<PathBuf> {
    let url = http_url(url)?;
    let dir = update::updates_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
    let target = dir.join("downloaded.loaupdate");
    let part = dir.join("downloaded.loaupdate.part");
    let cap = ImportKind::Update.max_bytes();
    let fetched = (|| {
        let mut resp = agent().get(url).call().map_err(|e| failed(url, e))?;
        let total = resp
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        if total > cap {
            return Err(failed(url, "too large"));
        }
        let mut body = resp.body_mut().with_config().limit(cap).reader();
        let mut out = std::fs::File::create(&part).map_err(|e| CoreError::io(&part, e))?;
        crate::copy_body(url, &mut body, &mut out, &part, 0, total, progress)?;
        std::fs::rename(&part, &target).map_err(|e| CoreError::io(&target, e))
    })();
    if let Err(e) = fetched {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn relative_addresses_resolve_against_the_feed() {
        let base = "https://tinh.example.vn/loa/latest.json";
        assert_eq!(
            resolve(base, "a.loaupdate"),
            "https://tinh.example.vn/loa/a.loaupdate"
        );
        assert_eq!(
            resolve(base, "/b/a.loaupdate"),
            "https://tinh.example.vn/b/a.loaupdate"
        );
        assert_eq!(resolve(base, "http://x/y"), "http://x/y");
        assert_eq!(resolve("http://h:8080", "a"), "http://h:8080/a");
        assert_eq!(resolve(base, ""), "");
    }
}

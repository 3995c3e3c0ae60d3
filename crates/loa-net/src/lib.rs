//! Loa Studio over the network. Everything here is optional: the app works
//! offline, and a network step only ever adds what a file or USB stick
//! could also carry. Kept out of `loa-core` so the core builds and tests
//! with no TLS stack.

pub mod feed;
pub mod hub;

use loa_core::CoreError;

/// A network failure, said in the user's language through `error-network`.
pub(crate) fn failed(url: &str, detail: impl ToString) -> CoreError {
    CoreError::Network {
        url: url.to_string(),
        detail: detail.to_string(),
    }
}

/// The one HTTP agent: short timeouts, so a missing server answers fast,
/// and plain status errors rather than redirects to login pages.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(std::time::Duration::from_secs(10)))
        .timeout_recv_response(Some(std::time::Duration::from_secs(20)))
        .max_redirects(3)
        .user_agent(concat!("LoaStudio/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Copies a response body into `out` as it arrives, `done` bytes already
/// there of `total` (0: unknown), telling `progress`; false from it cancels.
pub(crate) fn copy_body(
    url: &str,
    body: &mut dyn std::io::Read,
    out: &mut std::fs::File,
    part: &std::path::Path,
    mut done: u64,
    total: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> loa_core::Result<u64> {
    use std::io::Write;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = body.read(&mut buf).map_err(|e| failed(url, e))?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n])
            .map_err(|e| CoreError::io(part, e))?;
        done += n as u64;
        if !progress(done, total.max(done)) {
            return Err(CoreError::Cancelled);
        }
    }
    out.sync_all().map_err(|e| CoreError::io(part, e))?;
    Ok(done)
}

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

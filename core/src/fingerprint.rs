//! SHA-256 fingerprint of the canonical request (plans, inputs in canonical order, options).

use crate::inputs::Request;
use sha2::{Digest, Sha256};

/// Hex SHA-256 of the request's canonical JSON. Call on a request in canonical row order.
pub fn fingerprint(req: &Request) -> String {
    let text = serde_json::to_string(req).unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

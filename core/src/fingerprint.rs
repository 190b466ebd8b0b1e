//! SHA-256 fingerprint of the canonical request (plans, inputs in canonical order, options).

use crate::inputs::Request;
use sha2::{Digest, Sha256};

/// Hex SHA-256 of the request's canonical JSON. Call on a request in canonical row order.
pub fn fingerprint(req: &Request) -> String {
    struct Hasher(Sha256);
    impl std::io::Write for Hasher {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hasher(Sha256::new());
    // Serialising plain data into a hasher cannot fail; an error would only leave the digest short.
    let _ = serde_json::to_writer(std::io::BufWriter::with_capacity(1 << 16, &mut h), req);
    let digest = h.0.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

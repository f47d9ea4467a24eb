//! Secrets kept encrypted at rest (TOTP seeds): XChaCha20-Poly1305 with the
//! key from `DATA_ENCRYPTION_KEY`, a random nonce per value. A database dump
//! alone gives nothing that opens an account.

use crate::base::error::AppError;
use base64::{Engine, engine::general_purpose::STANDARD_NO_PAD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, OsRng},
};

/// Marks a sealed value (and its format, should it ever change).
const PREFIX: &str = "v1:";

#[derive(Clone)]
pub struct SecretBox(XChaCha20Poly1305);

impl SecretBox {
    pub fn new(key: &[u8; 32]) -> Self {
        Self(XChaCha20Poly1305::new(key.into()))
    }

    /// `v1:` then base64 of nonce and ciphertext.
    pub fn seal(&self, plain: &str) -> Result<String, AppError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self.0.encrypt(&nonce, plain.as_bytes()).map_err(|_| {
            tracing::error!("sealing a secret failed");
            AppError::Internal
        })?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD_NO_PAD.encode(bytes)))
    }

    /// The plain text of a value [`Self::seal`] made (with this key).
    pub fn open(&self, stored: &str) -> Result<String, AppError> {
        let failed = || {
            tracing::error!("a sealed secret does not open: wrong DATA_ENCRYPTION_KEY?");
            AppError::Internal
        };
        let bytes = stored
            .strip_prefix(PREFIX)
            .and_then(|b64| STANDARD_NO_PAD.decode(b64).ok())
            .filter(|bytes| bytes.len() > 24)
            .ok_or_else(failed)?;
        let (nonce, sealed) = bytes.split_at(24);
        let plain = self
            .0
            .decrypt(XNonce::from_slice(nonce), sealed)
            .map_err(|_| failed())?;
        String::from_utf8(plain).map_err(|_| failed())
    }

    /// Whether `stored` was sealed (rows from before encryption are not).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

/// The box the server put in the Leptos context.
pub fn secret_box() -> Result<SecretBox, AppError> {
    leptos::prelude::use_context::<SecretBox>().ok_or_else(|| {
        tracing::error!("no SecretBox in the Leptos context");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_their_key_only() {
        let secrets = SecretBox::new(&[7; 32]);
        let sealed = secrets.seal("JBSWY3DPEHPK3PXP").expect("seal");
        assert!(SecretBox::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(
            sealed,
            secrets.seal("JBSWY3DPEHPK3PXP").expect("seal"),
            "fresh nonce"
        );
        assert_eq!(secrets.open(&sealed).expect("open"), "JBSWY3DPEHPK3PXP");
        assert!(SecretBox::new(&[8; 32]).open(&sealed).is_err());
        assert!(secrets.open("JBSWY3DPEHPK3PXP").is_err());
    }
}

//! Cursor pagination: `limit` items from a `cursor`, and the `next_cursor`
//! that continues. A cursor is opaque to callers: base64url of a small
//! versioned structure (the offset and a digest of the list and search it
//! belongs to), a dot, and a 16-byte HMAC tag in base64url, so that an
//! edited one is refused like garbage (400), never read as something else.
//! [`PATTERN`] is that shape, as the OpenAPI document declares it.

use super::{params::Params, problem::Problem};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Items per answer when `limit` is not given, and the most allowed: one
/// of the site's pages (see [`super::slice`]: a window then spans at most
/// two of them, so an answer runs at most two searches).
pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 20;

/// Longer than any cursor this server writes.
pub const MAX_CURSOR_CHARS: usize = 200;

/// The tag's length, in bytes and in base64url characters.
const TAG_BYTES: usize = 16;
const TAG_CHARS: usize = 22;

/// What a cursor looks like (the document's `pattern` for `cursor`).
pub const PATTERN: &str = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$";

/// The structure's version: a cursor from another version is refused.
const VERSION: u8 = 1;

/// Signs and reads cursors with a key of this server's.
#[derive(Clone)]
pub struct Cursors {
    key: [u8; 32],
}

/// What a cursor says.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    v: u8,
    /// Items already given.
    o: i64,
    /// A digest of the list and of the search's parameters.
    f: String,
}

/// Where an answer starts and how many items it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: i64,
    pub limit: i64,
}

impl Cursors {
    /// Derived from the session key with HKDF (its own label, so the tags
    /// say nothing about the session key), so that no new secret is needed
    /// and every replica reads the others' cursors.
    pub fn new(secret: &[u8]) -> Self {
        let mut key = [0; 32];
        // 32 bytes is far below HKDF-SHA256's limit (255 × 32): never an error.
        if Hkdf::<Sha256>::new(Some(b"passerelle"), secret)
            .expand(b"api v1 cursor tag", &mut key)
            .is_err()
        {
            tracing::error!("public API: cursor key not derived");
        }
        Self { key }
    }

    fn tag(&self, payload: &[u8]) -> [u8; TAG_BYTES] {
        let mut tag = [0; TAG_BYTES];
        // Any key length is accepted by HMAC.
        if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) {
            mac.update(payload);
            tag.copy_from_slice(&mac.finalize().into_bytes()[..TAG_BYTES]);
        }
        tag
    }

    /// The window `params` ask for (`limit`, `cursor`), for the list
    /// `scope` (`offres`, `centres`…) and the search its other parameters make.
    pub fn window(&self, scope: &str, params: &Params) -> Result<Window, Problem> {
        let limit = params
            .integer("limit", 1, MAX_LIMIT)?
            .unwrap_or(DEFAULT_LIMIT);
        let offset = match params.raw("cursor") {
            None => 0,
            Some(cursor) => self.read(cursor, &digest(scope, &params.selection()))?,
        };
        Ok(Window { offset, limit })
    }

    /// The cursor of the items from `offset` on, in the list `scope`, for
    /// the search `params` make.
    pub fn next(&self, scope: &str, params: &Params, offset: i64) -> String {
        let payload = Payload {
            v: VERSION,
            o: offset,
            f: digest(scope, &params.selection()),
        };
        let json = serde_json::to_vec(&payload).unwrap_or_default();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&json),
            URL_SAFE_NO_PAD.encode(self.tag(&json))
        )
    }

    fn read(&self, cursor: &str, digest: &str) -> Result<i64, Problem> {
        let refused = || {
            Problem::bad_parameter(
                "cursor",
                "curseur illisible : reprenez le `next_cursor` d'une réponse, sans le modifier.",
            )
        };
        // The shape of PATTERN first, then the tag, then what it says.
        let base64url = |part: &str| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        let (payload, tag) = cursor.split_once('.').ok_or_else(refused)?;
        if cursor.len() > MAX_CURSOR_CHARS
            || !base64url(payload)
            || !base64url(tag)
            || tag.len() != TAG_CHARS
        {
            return Err(refused());
        }
        let json = URL_SAFE_NO_PAD.decode(payload).map_err(|_| refused())?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| refused())?;
        // Of the exact length, then compared in constant time: the tag must
        // not be guessable byte by byte.
        if tag.len() != TAG_BYTES
            || !bool::from(subtle::ConstantTimeEq::ct_eq(
                self.tag(&json).as_slice(),
                tag.as_slice(),
            ))
        {
            return Err(refused());
        }
        let payload: Payload = serde_json::from_slice(&json).map_err(|_| refused())?;
        if payload.v != VERSION || payload.o < 0 {
            return Err(refused());
        }
        if payload.f != digest {
            return Err(Problem::bad_parameter(
                "cursor",
                "ce curseur appartient à une autre liste ou une autre recherche : gardez la même adresse et les mêmes paramètres (hors `limit`) d'une page à l'autre.",
            ));
        }
        Ok(payload.o)
    }
}

/// What a cursor is bound to: its list and its search.
fn digest(scope: &str, selection: &str) -> String {
    let hash = Sha256::new()
        .chain_update(scope.as_bytes())
        .chain_update(b"\0")
        .chain_update(selection.as_bytes())
        .finalize();
    URL_SAFE_NO_PAD.encode(&hash[..9])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str) -> Params {
        Params::parse(Some(query), &["q", "cursor", "limit"]).unwrap_or_default()
    }

    #[test]
    fn a_cursor_reads_back_only_as_written_and_for_its_search() {
        let cursors = Cursors::new(b"secret");
        let next = cursors.next("offres", &params("q=soudeur&limit=5"), 40);
        assert!(next.len() <= MAX_CURSOR_CHARS);
        let window = cursors
            .window(
                "offres",
                &params(&format!("q=soudeur&limit=7&cursor={next}")),
            )
            .map(|w| (w.offset, w.limit));
        assert_eq!(window.ok(), Some((40, 7)));
        assert!(
            cursors
                .window("offres", &params(&format!("q=macon&cursor={next}")))
                .is_err()
        );
        // Another server's key, an edited offset, garbage.
        let other = Cursors::new(b"other").next("offres", &params("q=soudeur"), 40);
        assert!(
            cursors
                .window("offres", &params(&format!("q=soudeur&cursor={other}")))
                .is_err()
        );
        // Another list with the same parameters.
        assert!(
            cursors
                .window("formations", &params(&format!("q=soudeur&cursor={next}")))
                .is_err()
        );
        // A tag cut short or lengthened.
        for tag in [&next[..next.len() - 1], &format!("{next}A")] {
            assert!(
                cursors
                    .window("offres", &params(&format!("q=soudeur&cursor={tag}")))
                    .is_err()
            );
        }
        let (payload, tag) = next.split_once('.').unwrap_or_default();
        let forged = URL_SAFE_NO_PAD.encode(
            String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap_or_default())
                .unwrap_or_default()
                .replace("40", "80"),
        );
        assert!(
            cursors
                .window(
                    "offres",
                    &params(&format!("q=soudeur&cursor={forged}.{tag}"))
                )
                .is_err()
        );
        for garbage in ["cursor=%C3%A9t%C3%A9", "cursor=", "cursor=."] {
            assert!(cursors.window("offres", &params(garbage)).is_err());
        }
        assert_eq!(
            cursors.window("offres", &params("")).map(|w| w.limit).ok(),
            Some(20)
        );
    }

    #[test]
    fn the_pattern_is_the_shape_of_every_cursor() {
        let next = Cursors::new(b"secret").next("centres", &params("q=a"), i64::MAX);
        let (payload, tag) = next.split_once('.').unwrap_or_default();
        assert!(!payload.is_empty() && tag.len() == TAG_CHARS);
        assert!(PATTERN.ends_with(&format!("{{{TAG_CHARS}}}$")));
    }
}

//! Query parameters read strictly: where a page forgives (an old filter in a
//! shared link is ignored), the API says what is wrong, so that a partner's
//! typo does not silently return unfiltered results. Every refusal is a 400
//! [`Problem`] naming the parameter; nothing here can fail with a 5xx.
//!
//! Each value is checked as sent, against what the OpenAPI document
//! declares for it (length, pattern, enum, integer range), before anything
//! normalises it: ` 84` is not the région `84`, and text that only fits
//! once trimmed or cleaned does not fit.

use super::problem::Problem;
use std::collections::BTreeMap;

/// Longest query string read at all (a search needs a few hundred bytes).
const MAX_QUERY_BYTES: usize = 4096;

/// What the document declares for free text: no control characters
/// (Unicode's `Cc`, what `char::is_control` finds), written as each text
/// parameter's `pattern`.
pub const TEXT_PATTERN: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";

/// The values of a `(value, label)` table, as `one_of` takes them.
pub fn choices(table: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    table.iter().map(|(value, _)| *value).collect()
}

/// The decoded parameters of one request, each at most once.
#[derive(Debug, Default)]
pub struct Params {
    /// Decoded, otherwise as sent: nothing trimmed, nothing dropped.
    values: BTreeMap<String, String>,
}

impl Params {
    /// Decodes `query` (`a=1&b=deux`), refusing bad escapes, bad UTF-8,
    /// repeated and unknown parameters (`allowed`).
    pub fn parse(query: Option<&str>, allowed: &[&str]) -> Result<Self, Problem> {
        let query = query.unwrap_or_default();
        if query.len() > MAX_QUERY_BYTES {
            return Err(Problem::bad_request(format!(
                "La chaîne de requête dépasse {MAX_QUERY_BYTES} octets."
            )));
        }
        let mut values = BTreeMap::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(raw_key).map_err(Problem::bad_request)?;
            if !allowed.contains(&key.as_str()) {
                let known = allowed.join(", ");
                return Err(Problem::bad_parameter(
                    &printable(&key),
                    format!("paramètre inconnu (paramètres acceptés : {known})."),
                ));
            }
            let value = decode(raw_value).map_err(|detail| Problem::bad_parameter(&key, detail))?;
            if values.insert(key.clone(), value).is_some() {
                return Err(Problem::bad_parameter(&key, "donné plusieurs fois."));
            }
        }
        Ok(Self { values })
    }

    /// The value of `key` exactly as sent (decoded); `None` when absent.
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Free text of at most `max` characters (counted before trimming, as
    /// the schema's `maxLength`) without control characters: trimmed,
    /// `None` when absent or blank.
    pub fn text(&self, key: &str, max: usize) -> Result<Option<&str>, Problem> {
        let Some(value) = self.raw(key) else {
            return Ok(None);
        };
        if value.chars().count() > max {
            return Err(Problem::bad_parameter(
                key,
                format!("{max} caractères au plus."),
            ));
        }
        // PostgreSQL refuses NUL, and no search reads the others.
        if value.chars().any(char::is_control) {
            return Err(Problem::bad_parameter(
                key,
                "les caractères de contrôle ne sont pas acceptés.",
            ));
        }
        let value = value.trim();
        Ok((!value.is_empty()).then_some(value))
    }

    /// Exactly one of `choices`' values (the schema's `enum`; empty is none of them).
    pub fn one_of(&self, key: &str, choices: &[&str]) -> Result<Option<&str>, Problem> {
        match self.raw(key) {
            Some(value) if !choices.contains(&value) => Err(Problem::bad_parameter(
                key,
                format!(
                    "valeur inconnue (valeurs possibles : {}).",
                    choices.join(", ")
                ),
            )),
            other => Ok(other),
        }
    }

    /// A whole number within `min..=max`, in plain decimal digits.
    pub fn integer(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, Problem> {
        let Some(value) = self.raw(key) else {
            return Ok(None);
        };
        // `parse` alone would also take `+5`, which is no JSON integer.
        let digits = value.strip_prefix('-').unwrap_or(value);
        match value.parse::<i64>() {
            Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) && (min..=max).contains(&n) => {
                Ok(Some(n))
            }
            _ => Err(Problem::bad_parameter(
                key,
                format!("un nombre entier entre {min} et {max} est attendu."),
            )),
        }
    }

    /// A région or département code as the facets give them: 1 to 3 ASCII
    /// letters or digits (the schema's `^[0-9A-Za-z]{1,3}$`).
    pub fn code(&self, key: &str) -> Result<Option<&str>, Problem> {
        match self.raw(key) {
            Some(code)
                if code.is_empty()
                    || code.len() > 3
                    || !code.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Err(Problem::bad_parameter(
                    key,
                    "un code INSEE de 1 à 3 lettres ou chiffres est attendu.",
                ))
            }
            other => Ok(other),
        }
    }

    /// The parameters that choose the results (all but `cursor` and
    /// `limit`), in a stable order: what a cursor is bound to.
    pub fn selection(&self) -> String {
        self.values
            .iter()
            .filter(|(key, value)| {
                !matches!(key.as_str(), "cursor" | "limit") && !value.trim().is_empty()
            })
            .map(|(key, value)| format!("{key}={}", value.trim()))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `+` as a space, `%XX` escapes as bytes, the whole as UTF-8.
fn decode(raw: &str) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let escape = bytes.get(i + 1..i + 3);
            if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                return Err("séquence d'échappement % invalide.".to_owned());
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| "ce n'est pas du texte UTF-8 valide.".to_owned())
}

/// A parameter's name as an error may quote it.
fn printable(key: &str) -> String {
    key.chars().filter(|c| !c.is_control()).take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses_what_it_cannot_read() {
        let params =
            Params::parse(Some("q=+d%C3%A9v+web&limit=5"), &["q", "limit"]).unwrap_or_default();
        assert_eq!(params.text("q", 200).ok().flatten(), Some("dév web"));
        assert_eq!(params.integer("limit", 1, 100).ok().flatten(), Some(5));
        for bad in ["q=%ZZ", "q=%C3", "q=%", "q=1&q=2", "x=1"] {
            assert!(Params::parse(Some(bad), &["q"]).is_err(), "{bad}");
        }
        let refused = |query: &str, check: fn(&Params) -> bool| {
            let params =
                Params::parse(Some(query), &["q", "limit", "region", "tri"]).unwrap_or_default();
            assert!(check(&params), "{query}");
        };
        // Control characters are refused, not dropped; length counts them.
        refused("q=a%00b", |p| p.text("q", 200).is_err());
        refused("q=abc%07", |p| p.text("q", 3).is_err());
        refused("q=abcd", |p| p.text("q", 3).is_err());
        refused("q=+", |p| p.text("q", 3).is_ok_and(|q| q.is_none()));
        for limit in ["limit=0", "limit=", "limit=+5", "limit=%205", "limit=5.0"] {
            refused(limit, |p| p.integer("limit", 1, 100).is_err());
        }
        for region in ["region=", "region=%2084", "region=8400", "region=%C3%A9"] {
            refused(region, |p| p.code("region").is_err());
        }
        refused("region=84", |p| {
            p.code("region").is_ok_and(|r| r == Some("84"))
        });
        for tri in ["tri=", "tri=date%20", "tri=DATE"] {
            refused(tri, |p| p.one_of("tri", &["date"]).is_err());
        }
    }

    #[test]
    fn the_selection_leaves_out_the_window() {
        let params = Params::parse(
            Some("limit=5&q=a&cursor=x&contrat=cdi"),
            &["q", "limit", "cursor", "contrat"],
        )
        .unwrap_or_default();
        assert_eq!(params.selection(), "contrat=cdi&q=a");
    }
}

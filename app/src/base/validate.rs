//! Checks of typed-in identifiers, run on the server for every call; what
//! they return is what gets stored.

use crate::base::error::AppError;

/// Normalises an address and checks it. Runs on the server for every call;
/// the result is what gets stored.
pub fn parse_email(input: &str) -> Result<String, AppError> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid("email", "Indiquez votre adresse e-mail."));
    }
    let domain_ok = email
        .rsplit_once('@')
        .map(|(_, domain)| {
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        .unwrap_or(false);
    if email.len() > 254 || !domain_ok || !email_address::EmailAddress::is_valid(&email) {
        return Err(AppError::invalid(
            "email",
            "Cette adresse e-mail n'est pas valide. Exemple : prenom.nom@exemple.fr",
        ));
    }
    Ok(email)
}

/// A SIRET: 14 digits (spaces allowed when typed) whose Luhn key is valid.
pub fn parse_siret(input: &str) -> Result<String, AppError> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("siret", "Le SIRET compte 14 chiffres."));
    }
    if !luhn_valid(&digits) {
        return Err(AppError::invalid(
            "siret",
            "Ce SIRET n'est pas valide : vérifiez les chiffres (clé de contrôle incorrecte).",
        ));
    }
    Ok(digits)
}

/// The check digit that makes `digits` followed by it pass the Luhn check
/// (SIREN and SIRET keys).
pub fn luhn_key(digits: &str) -> u32 {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            // The key takes position 0, so these start at position 1.
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

fn luhn_valid(digits: &str) -> bool {
    let (body, key) = digits.split_at(digits.len().saturating_sub(1));
    key.parse::<u32>().is_ok_and(|key| key == luhn_key(body))
}

/// The one of `all` whose name is `value` (what a form's `action` field sent),
/// or a French message on that field.
pub fn action<T: Copy>(all: &[T], name: fn(T) -> &'static str, value: &str) -> Result<T, AppError> {
    one_of(all, name, value, "action", "Action inconnue.")
}

/// The one of `all` whose name is `value`, or `message` on `field`.
pub fn one_of<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    value: &str,
    field: &str,
    message: &str,
) -> Result<T, AppError> {
    all.iter()
        .copied()
        .find(|choice| name(*choice) == value)
        .ok_or_else(|| AppError::invalid(field, message))
}
/// For enums stored as text: each of `all` is written as its `name` in JSON
/// (what the database and the URLs hold) and reads back as itself.
#[cfg(test)]
pub fn assert_stored_as<T>(all: &[T], name: fn(T) -> &'static str)
where
    T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
{
    for &value in all {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, format!("\"{}\"", name(value)));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
    }
}

//! What the demo training catalogue (`catalogue_seed`) and the demo job
//! board (`jobs_seed`) share: their data files (`data`) and the helpers that
//! turn a running number or a title into stable, fictional identifiers, or
//! create an organisation's owner.

pub(crate) mod data;

use crate::seed::{DEMO_PASSWORD, SeedError};
use app::base::markdown;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgPool, Postgres, Transaction};

/// A generator that depends only on `seed` and `text`, so demo data is the
/// same on every run and machine.
pub(crate) fn seeded_rng(seed: u64, text: &str) -> ChaCha8Rng {
    // FNV-1a: a stable hash (std's hasher may change between releases).
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    ChaCha8Rng::seed_from_u64(seed ^ hash)
}

pub(crate) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A SIRET whose SIREN is `lead` then `number` on seven digits: SIREN and
/// SIRET both pass the Luhn check, as real ones do. Each seed keeps its own
/// `lead`, clear of the other demo organisations.
pub(crate) fn siret(lead: char, number: usize) -> String {
    let siren8 = format!("{lead}{number:07}");
    let siren = format!("{siren8}{}", app::organisations::luhn_key(&siren8));
    let body = format!("{siren}0001");
    format!("{body}{}", app::organisations::luhn_key(&body))
}

/// `prefix` (an ARCEP range kept for fiction) then the last four digits of
/// `last`, in pairs: "04 65 71" and 1_173 → "04 65 71 11 73".
pub(crate) fn phone(prefix: &str, last: usize) -> String {
    format!("{prefix} {:02} {:02}", last / 100 % 100, last % 100)
}

/// "Titre professionnel Cuisinier" in Amiens → "titre-professionnel-cuisinier-amiens".
pub(crate) fn slug(title: &str, city: &str) -> String {
    let mut base = markdown::slugify(title);
    // Slugs are ASCII: byte offsets are character offsets.
    if base.len() > 60 {
        // Cut at a word: slugs stay readable.
        let cut = base[..60].rfind('-').unwrap_or(60);
        base.truncate(cut);
    }
    format!("{base}-{}", markdown::slugify(city))
}

/// Creates a demo organisation's owner (verified, demo password) unless the
/// address exists; true if created. The password is hashed once per seeding
/// run, and not at all when every owner exists already.
pub(crate) async fn demo_owner(
    pool: &PgPool,
    tx: &mut Transaction<'_, Postgres>,
    password_hash: &mut Option<String>,
    email: &str,
    display_name: &str,
    role: &str,
) -> Result<bool, SeedError> {
    if app::identity::users::ssr::email_exists(pool, email).await? {
        return Ok(false);
    }
    let hash = match password_hash {
        Some(hash) => hash,
        None => password_hash
            .insert(app::identity::users::ssr::hash_password(DEMO_PASSWORD.to_owned()).await?),
    };
    let created = sqlx::query_scalar!(
        "INSERT INTO users (email, display_name, password_hash, role, email_verified_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (email) DO NOTHING RETURNING id",
        email,
        display_name,
        hash.as_str(),
        role,
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(created.is_some())
}

/// Up to `limit` towns of 10,000 people or more within `within_m` metres of
/// a commune, nearest first: where a centre also teaches, a company also hires.
pub(crate) async fn nearby_communes(
    tx: &mut Transaction<'_, Postgres>,
    code: &str,
    within_m: f64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT n.code FROM communes c, communes n
         WHERE c.code = $1 AND n.code <> c.code AND n.population >= 10000
           AND earth_distance(ll_to_earth(n.latitude, n.longitude),
                              ll_to_earth(c.latitude, c.longitude)) < $2
         ORDER BY earth_distance(ll_to_earth(n.latitude, n.longitude),
                                 ll_to_earth(c.latitude, c.longitude)), n.code
         LIMIT $3",
        code,
        within_m,
        limit
    )
    .fetch_all(&mut **tx)
    .await
}

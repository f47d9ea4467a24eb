//! What the demo training catalogue (`catalogue_seed`) and the demo job
//! board (`jobs_seed`) share: their data files (`data`), the helpers that
//! turn a running number or a title into stable, fictional identifiers,
//! create an organisation and its owner, and what their load-test benches
//! have in common (`bench`).

pub(crate) mod bench;
pub(crate) mod data;

use crate::{error::Error, seed::DEMO_PASSWORD};
use app::base::markdown;
use data::Listed;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};

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
fn siret(lead: char, number: usize) -> String {
    let siren8 = format!("{lead}{number:07}");
    let siren = format!("{siren8}{}", app::organisations::luhn_key(&siren8));
    let body = format!("{siren}0001");
    format!("{body}{}", app::organisations::luhn_key(&body))
}

/// `prefix` (an ARCEP range kept for fiction) then the last four digits of
/// `last`, in pairs: "04 65 71" and 1_173 → "04 65 71 11 73".
fn phone(prefix: &str, last: usize) -> String {
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

/// A demo organisation's owner, as its data file names them.
struct Owner<'a> {
    pub email: &'a str,
    /// The person; the account shows "name (organisation)".
    pub name: &'a str,
    pub organisation: &'a str,
    /// `users.role`: "centre_member" or "recruiter".
    pub role: &'a str,
}

/// Creates a demo organisation's owner (verified, demo password) unless the
/// address exists; 1 if created, else 0 (a count for the seed's report). The
/// password is hashed once per seeding run, and not at all when every owner
/// exists already.
async fn demo_owner(
    pool: &PgPool,
    tx: &mut Transaction<'_, Postgres>,
    password_hash: &mut Option<String>,
    owner: Owner<'_>,
) -> Result<usize, Error> {
    let Owner {
        email,
        name,
        organisation,
        role,
    } = owner;
    if app::identity::users::ssr::email_exists(pool, email).await? {
        return Ok(0);
    }
    let display_name = format!("{name} ({organisation})");
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
    Ok(usize::from(created.is_some()))
}

/// A demo organisation's public profile; it is approved from the start.
struct Organisation<'a> {
    /// "centre" or "entreprise".
    kind: &'a str,
    name: &'a str,
    siret: &'a str,
    description: &'a str,
    website: &'a str,
    /// Also the owner's sign-in address.
    contact_email: &'a str,
    contact_phone: &'a str,
    address: &'a str,
    commune: &'a str,
    /// A centre's déclaration d'activité and label ("" and false for a company).
    nda: &'a str,
    qualiopi: bool,
    /// A company's sector and size ("" for a centre).
    sector: &'a str,
    size_band: &'a str,
}

/// What sets a centre's profile apart from a company's.
pub(crate) enum Profile<'a> {
    Centre {
        description: &'a str,
        /// Déclaration d'activité.
        nda: &'a str,
        qualiopi: bool,
    },
    /// A company's description is its pitch.
    Company { sector: &'a str, size_band: &'a str },
}

/// Creates a demo organisation with its owner's membership, or neither when
/// the SIRET is taken. Returns its id and 1 if created, else 0.
async fn demo_organisation(
    tx: &mut Transaction<'_, Postgres>,
    o: &Organisation<'_>,
) -> Result<(i64, usize), sqlx::Error> {
    // One statement: the organisation and the membership, or nothing.
    let created = sqlx::query_scalar!(
        r#"WITH organisation AS (
               INSERT INTO organisations (kind, name, siret, status, reviewed_at, description,
                                          website, contact_email, contact_phone, address,
                                          commune_code, nda, qualiopi, sector, size_band)
               VALUES ($1, $2, $3, 'approved', now(), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
               ON CONFLICT (siret) DO NOTHING RETURNING id
           )
           INSERT INTO memberships (user_id, organisation_id, role)
           SELECT u.id, organisation.id, 'owner' FROM organisation, users u WHERE u.email = $6
           RETURNING organisation_id"#,
        o.kind,
        o.name,
        o.siret,
        o.description,
        o.website,
        o.contact_email,
        o.contact_phone,
        o.address,
        o.commune,
        o.nda,
        o.qualiopi,
        o.sector,
        o.size_band,
    )
    .fetch_optional(&mut **tx)
    .await?;
    let id = organisation_id(&mut **tx, o.siret)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    Ok((id, usize::from(created.is_some())))
}

/// Which seed an organisation belongs to. Each kind numbers its SIRETs and
/// phone numbers on its own, clear of the other's.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Centre,
    Company,
}

impl Kind {
    /// A SIRET for the n-th organisation of the kind; the leading digit
    /// keeps clear of the other demo organisations.
    pub(crate) fn siret(self, n: usize) -> String {
        match self {
            Self::Centre => siret('9', 1_000 + n * 7_919),
            Self::Company => siret('7', 2_000 + n * 6_133),
        }
    }

    fn phone(self, prefix: &str, n: usize) -> String {
        match self {
            Self::Centre => phone(prefix, 1_000 + n * 173 % 9_000),
            Self::Company => phone(prefix, 1_200 + n * 211 % 8_000),
        }
    }
}

/// Creates the organisations of `centres.json` or `companies.json` with
/// their owners, and counts what it created for the seed's report.
pub(crate) struct Organisations<'p> {
    pool: &'p PgPool,
    /// Hashed once: argon2 takes a noticeable time per hash, and these are
    /// development accounts sharing one published password anyway.
    password_hash: Option<String>,
    /// Owners' accounts and organisations this run created.
    pub accounts_created: usize,
    pub created: usize,
}

impl<'p> Organisations<'p> {
    pub(crate) fn new(pool: &'p PgPool) -> Self {
        Self {
            pool,
            password_hash: None,
            accounts_created: 0,
            created: 0,
        }
    }

    /// The n-th organisation of its data file, approved, with its owner:
    /// either is created unless it exists (same SIRET, same e-mail). None,
    /// with a warning, when its commune is not imported.
    pub(crate) async fn create(
        &mut self,
        tx: &mut Transaction<'_, Postgres>,
        n: usize,
        listed: &Listed,
        profile: Profile<'_>,
    ) -> Result<Option<i64>, Error> {
        let kind = match profile {
            Profile::Centre { .. } => Kind::Centre,
            Profile::Company { .. } => Kind::Company,
        };
        if !has_commune(&mut **tx, &listed.commune).await? {
            tracing::warn!(
                ?kind,
                commune = listed.commune.as_str(),
                "demo organisation skipped: commune not imported"
            );
            return Ok(None);
        }
        let slug = markdown::slugify(&listed.name);
        // `organisations.kind`, the owner's role, their address and the website.
        let (db_kind, role, email, website) = match kind {
            Kind::Centre => (
                "centre",
                "centre_member",
                format!("contact@{slug}.demo.passerelle.fr"),
                format!("https://www.{slug}.demo.passerelle.fr"),
            ),
            Kind::Company => (
                "entreprise",
                "recruiter",
                format!("recrutement@{slug}.demo.passerelle.fr"),
                format!("https://www.{slug}.example"),
            ),
        };
        let owner = Owner {
            email: &email,
            name: &listed.owner,
            organisation: &listed.name,
            role,
        };
        self.accounts_created += demo_owner(self.pool, tx, &mut self.password_hash, owner).await?;
        let (description, nda, qualiopi, sector, size_band) = match profile {
            Profile::Centre {
                description,
                nda,
                qualiopi,
            } => (description, nda, qualiopi, "", ""),
            Profile::Company { sector, size_band } => {
                (listed.pitch.as_str(), "", false, sector, size_band)
            }
        };
        let (id, created) = demo_organisation(
            tx,
            &Organisation {
                kind: db_kind,
                name: &listed.name,
                siret: &kind.siret(n),
                description,
                website: &website,
                contact_email: &email,
                contact_phone: &kind.phone(&listed.phone_prefix, n),
                address: &listed.address,
                commune: &listed.commune,
                nda,
                qualiopi,
                sector,
                size_band,
            },
        )
        .await?;
        self.created += created;
        Ok(Some(id))
    }
}

/// Whether the commune of that INSEE code is imported; a demo organisation
/// in a commune that is not is skipped, with a warning.
pub(crate) async fn has_commune(db: impl PgExecutor<'_>, code: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM communes WHERE code = $1) AS "found!""#,
        code
    )
    .fetch_one(db)
    .await
}

/// The id of the organisation with that SIRET, if there is one.
pub(crate) async fn organisation_id(
    db: impl PgExecutor<'_>,
    siret: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM organisations WHERE siret = $1", siret)
        .fetch_optional(db)
        .await
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

/// The table that links a seed's rows to their skills.
#[derive(Clone, Copy)]
pub(crate) enum SkillLinks {
    Trainings,
    Offers,
}

/// Links `ids[i]` to the skills named in `skills[i]`, in one statement for
/// the demo's rows and the benches' batches alike. A name the `skills` table
/// lacks is a bug of the data files: it is logged.
pub(crate) async fn link_skills(
    tx: &mut Transaction<'_, Postgres>,
    links: SkillLinks,
    ids: &[i64],
    skills: &[&[String]],
) -> Result<(), sqlx::Error> {
    let (row_ids, names): (Vec<i64>, Vec<String>) = ids
        .iter()
        .zip(skills)
        .flat_map(|(id, names)| names.iter().map(move |name| (*id, name.clone())))
        .unzip();
    // Table and column come from this match, never from input.
    let table = match links {
        SkillLinks::Trainings => "training_skills (training_id, skill_id)",
        SkillLinks::Offers => "job_skills (offer_id, skill_id)",
    };
    let sql = format!(
        "INSERT INTO {table}
         SELECT u.id, s.id FROM UNNEST($1::int8[], $2::text[]) AS u (id, name)
         JOIN skills s ON s.name = u.name
         ON CONFLICT DO NOTHING"
    );
    let linked = sqlx::query(&sql)
        .bind(&row_ids)
        .bind(&names)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    // Fewer links than names: an unknown name, or one listed twice.
    if linked < names.len() as u64 {
        tracing::warn!(
            missing = names.len() as u64 - linked,
            "a demo skill is missing from the skills table"
        );
    }
    Ok(())
}

/// The SIRETs of a seed's `count` organisations: distinct, and each valid
/// with the SIREN inside it. Returns them for further checks.
#[cfg(test)]
pub(crate) fn assert_sirets_well_formed(
    count: usize,
    siret: impl Fn(usize) -> String,
) -> std::collections::HashSet<String> {
    let sirets: std::collections::HashSet<String> = (0..count).map(siret).collect();
    assert_eq!(sirets.len(), count);
    for siret in &sirets {
        assert_eq!(app::organisations::parse_siret(siret).as_ref(), Ok(siret));
        // The SIREN inside is valid too.
        assert_eq!(
            app::organisations::luhn_key(&siret[..8]).to_string(),
            &siret[8..9]
        );
    }
    sirets
}

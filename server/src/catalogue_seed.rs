//! The demo training catalogue (`seed --demo`): about thirty approved centres
//! across France with their owners, and some 130 trainings with skills,
//! places and sessions. Also the generated trainings of `seed --bench N`.
//!
//! Everything is deterministic: each training draws its variations (price,
//! modality, sessions…) from a ChaCha stream seeded by its slug, so a second
//! run, or a run on another machine, plans exactly the same rows, and rows
//! already there (same SIRET, same slug) are skipped.

use crate::seed::{DEMO_PASSWORD, SeedError};
use app::base::markdown;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::{HashMap, HashSet};

/// Fixed seed of every random choice ("PASSEREL").
const SEED: u64 = 0x5041_5353_4552_454C;
/// The existing demo centre (see `seed::DEMO_ORGANISATIONS`).
const ILF_SIRET: &str = "81234567800013";
/// Rows per bulk insert of `seed --bench`.
const BENCH_BATCH: usize = 2_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Modality {
    Presentiel,
    Distanciel,
    Hybride,
}

impl Modality {
    fn as_db(self) -> &'static str {
        match self {
            Self::Presentiel => "presentiel",
            Self::Distanciel => "distanciel",
            Self::Hybride => "hybride",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Cert {
    None,
    /// Code and level (3 = CAP … 8 = doctorat).
    Rncp(&'static str, i16),
    /// Répertoire spécifique: no level.
    Rs(&'static str),
}

/// A training as a centre would describe it; centres in several cities may
/// offer the same one (the slug carries the city).
pub(crate) struct Template {
    pub key: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// First paragraph of the description.
    pub intro: &'static str,
    pub modules: &'static [&'static str],
    pub jobs: &'static [&'static str],
    pub objectives: &'static [&'static str],
    pub prerequisites: &'static str,
    /// Names from the `skills` table.
    pub skills: &'static [&'static str],
    pub cert: Cert,
    pub cpf: bool,
    pub modalities: &'static [Modality],
    pub hours: i32,
    /// Indicative price; 0 = free for the learner.
    pub price_eur: i32,
    /// Funders besides the CPF (added when `cpf`).
    pub funding: &'static [&'static str],
    pub rolling: bool,
}

pub(crate) struct Centre {
    pub name: &'static str,
    /// INSEE code of its commune.
    pub commune: &'static str,
    pub city: &'static str,
    pub address: &'static str,
    pub owner: &'static str,
    /// First digits of the phone number: the ARCEP range kept for fiction
    /// in the centre's zone, so no real subscriber is ever called.
    pub phone_prefix: &'static str,
    pub qualiopi: bool,
    pub pitch: &'static str,
    /// Keys of `TEMPLATES`.
    pub trainings: &'static [&'static str],
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct CatalogueReport {
    pub accounts_created: usize,
    pub centres_created: usize,
    pub trainings_created: usize,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct BenchReport {
    /// Bench trainings added by this run.
    pub created: usize,
    /// Bench trainings now in the database.
    pub total: usize,
}

/// One training, fully decided, before it meets the database.
#[derive(Debug, Clone)]
struct Planned {
    slug: String,
    title: String,
    summary: &'static str,
    markdown: String,
    objectives: String,
    prerequisites: &'static str,
    cert_kind: &'static str,
    cert_code: &'static str,
    cert_level: Option<i16>,
    cpf: bool,
    modality: Modality,
    hours: i32,
    price_cents: i32,
    funding: Vec<String>,
    rolling: bool,
    status: &'static str,
    /// Days since publication (or since the last edit of a draft).
    days_ago: i32,
    view_count: i64,
    skills: &'static [&'static str],
    /// How many places: the centre's commune first, then its neighbours.
    places: usize,
    sessions: Vec<SessionPlan>,
}

/// Days from today to the start, length in days, seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SessionPlan {
    start: i32,
    days: i32,
    seats: i32,
}

fn rng_for(text: &str) -> ChaCha8Rng {
    seeded_rng(SEED, text)
}

/// A generator that depends only on `seed` and `text`, so demo data is the
/// same on every run and machine (shared with the job board's seed).
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

/// A SIRET for the n-th demo centre: a SIREN and a SIRET that both pass the
/// Luhn check, as real ones do; the leading 9 keeps clear of the other demo
/// organisations.
fn demo_siret(n: usize) -> String {
    let siren8 = format!("9{:07}", 1_000 + n * 7_919);
    let siren = format!("{siren8}{}", app::organisations::luhn_key(&siren8));
    let body = format!("{siren}0001");
    format!("{body}{}", app::organisations::luhn_key(&body))
}

/// Numéro de déclaration d'activité: region, département, sequence, département.
fn demo_nda(region: &str, departement: &str, n: usize) -> String {
    // Corsica's départements are "2A"/"2B"; the NDA only holds digits.
    let dep: String = departement
        .chars()
        .take(2)
        .collect::<String>()
        .replace(['A', 'B'], "0");
    format!("{region:0>2}{dep:0>2}{:05}{dep:0>2}", 10_231 + n * 379)
}

fn demo_phone(prefix: &str, n: usize) -> String {
    let last = 1_000 + n * 173 % 9_000;
    format!("{prefix} {:02} {:02}", last / 100 % 100, last % 100)
}

const FUNDING_LABELS: [(&str, &str); 6] = [
    ("cpf", "votre compte personnel de formation (CPF)"),
    (
        "opco",
        "l'OPCO de votre entreprise (plan de développement des compétences, Pro-A)",
    ),
    (
        "france-travail",
        "France Travail pour les demandeurs d'emploi (AIF, POEI)",
    ),
    (
        "region",
        "la Région, pour les demandeurs d'emploi (places financées)",
    ),
    ("employeur", "votre employeur"),
    (
        "personnel",
        "un financement personnel, payable en plusieurs fois",
    ),
];

fn funding_label(key: &str) -> &str {
    FUNDING_LABELS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, label)| label)
}

/// The Markdown description; `city` is None for the bench trainings, whose
/// places are drawn at random.
fn description(
    t: &Template,
    modality: Modality,
    rolling: bool,
    free: bool,
    funding: &[String],
    city: Option<&str>,
) -> String {
    let mut md = format!("{}\n\n## Au programme\n\n", t.intro);
    for module in t.modules {
        md.push_str(&format!("- {module}\n"));
    }
    let here = city.map_or_else(|| "dans nos locaux".to_owned(), |c| format!("à {c}"));
    let format = match modality {
        Modality::Presentiel => format!("en présentiel, {here}, en petit groupe"),
        Modality::Distanciel => {
            "100 % à distance : classes virtuelles en direct, exercices en ligne et un formateur référent".to_owned()
        }
        Modality::Hybride => {
            format!("hybride : des journées en présentiel {here} et des classes virtuelles")
        }
    };
    md.push_str(&format!(
        "\n## Modalités\n\n- **Durée** : {} heures",
        t.hours
    ));
    if t.hours >= 140 {
        md.push_str(&format!(
            " (environ {} semaines à temps plein)",
            (t.hours + 17) / 35
        ));
    }
    md.push_str(&format!("\n- **Format** : {format}\n"));
    md.push_str(if rolling {
        "- **Entrée** : entrées et sorties permanentes, démarrez quand vous êtes prêt\n"
    } else {
        "- **Entrée** : sessions à dates fixes, après un entretien de positionnement\n"
    });
    match t.cert {
        Cert::Rncp(code, level) => md.push_str(&format!(
            "- **Certification** : titre enregistré au RNCP ({code}), niveau {level}\n"
        )),
        Cert::Rs(code) => md.push_str(&format!(
            "- **Certification** : inscrite au Répertoire spécifique ({code})\n"
        )),
        Cert::None => md.push_str("- **Validation** : attestation de fin de formation\n"),
    }
    if !t.jobs.is_empty() {
        md.push_str(&format!(
            "\n## Et après ?\n\nMétiers visés : {}.\n",
            t.jobs.join(", ")
        ));
    }
    md.push_str("\n## Financement\n\n");
    let funders: Vec<&str> = funding.iter().map(|f| funding_label(f)).collect();
    if free {
        md.push_str(&format!(
            "Aucun frais pour vous : le coût est pris en charge par {}.\n",
            funders.join(" ou ")
        ));
    } else {
        md.push_str("Cette formation peut être financée par :\n\n");
        for funder in funders {
            md.push_str(&format!("- {funder}\n"));
        }
    }
    md.push_str(
        "\n> Formation accessible aux personnes en situation de handicap : \
         notre référent handicap étudie avec vous les adaptations utiles.\n",
    );
    md
}

/// Sessions from today: the first in one of the bands the search filters on
/// (30 days, 3 months, 6 months, later), the next ones spaced out.
fn plan_sessions(rng: &mut ChaCha8Rng, hours: i32, rolling: bool) -> Vec<SessionPlan> {
    let working_days = (hours + 6) / 7;
    // Five days a week, weekends in between.
    let days = (working_days + (working_days - 1) / 5 * 2).clamp(1, 600);
    let count = if rolling {
        rng.random_range(0..=1)
    } else if rng.random_bool(0.08) {
        0
    } else {
        rng.random_range(1..=4)
    };
    let mut start = match rng.random_range(0..10) {
        0..=3 => rng.random_range(3..=30),
        4..=6 => rng.random_range(31..=90),
        7..=8 => rng.random_range(91..=180),
        _ => rng.random_range(181..=330),
    };
    let mut sessions = Vec::new();
    // Now and then a session already under way.
    if count > 1 && rng.random_bool(0.15) {
        sessions.push(SessionPlan {
            start: -rng.random_range(10..=60),
            days,
            seats: rng.random_range(8..=24),
        });
    }
    while sessions.len() < count {
        sessions.push(SessionPlan {
            start,
            days,
            seats: rng.random_range(8..=24),
        });
        start += (days / 2).max(21) + rng.random_range(14..=90);
    }
    sessions
}

/// Everything the planner needs to know about one training's place in the catalogue.
struct PlanInput<'a> {
    template: &'a Template,
    slug: String,
    title: String,
    city: Option<&'a str>,
    status: &'static str,
}

fn plan(input: PlanInput<'_>) -> Planned {
    let t = input.template;
    let mut rng = rng_for(&input.slug);
    let modality = *pick(&mut rng, t.modalities);
    let rolling = t.rolling || rng.random_bool(0.1);
    let price_cents = if t.price_eur == 0 {
        0
    } else {
        // ±10 %, rounded to 10 €: the same training costs a little more or
        // less from one centre to the next.
        t.price_eur * rng.random_range(90..=110) / 100 / 10 * 10 * 100
    };
    let mut funding: Vec<String> = Vec::new();
    if t.cpf {
        funding.push("cpf".to_owned());
    }
    funding.extend(t.funding.iter().map(|f| (*f).to_owned()));
    let (cert_kind, cert_code, cert_level) = match t.cert {
        Cert::None => ("none", "", None),
        Cert::Rncp(code, level) => ("rncp", code, Some(level)),
        Cert::Rs(code) => ("rs", code, None),
    };
    let places = match modality {
        Modality::Distanciel => usize::from(rng.random_bool(0.4)),
        _ => rng.random_range(1..=3),
    };
    let sessions = plan_sessions(&mut rng, t.hours, rolling);
    let days_ago = match input.status {
        "archived" => rng.random_range(200..=400),
        _ => rng.random_range(1..=150),
    };
    let view_count = if input.status == "published" {
        // Few trainings are very popular.
        let x: f64 = rng.random();
        (x * x * 2_500.0) as i64
    } else {
        0
    };
    Planned {
        markdown: description(t, modality, rolling, price_cents == 0, &funding, input.city),
        slug: input.slug,
        title: input.title,
        summary: t.summary,
        objectives: t.objectives.join("\n"),
        prerequisites: t.prerequisites,
        cert_kind,
        cert_code,
        cert_level,
        cpf: t.cpf,
        modality,
        hours: t.hours,
        price_cents,
        funding,
        rolling,
        status: input.status,
        days_ago,
        view_count,
        skills: t.skills,
        places,
        sessions,
    }
}

/// Drafts and archived trainings among the demo ones, by running number.
fn demo_status(ordinal: usize) -> &'static str {
    match ordinal {
        40 | 97 => "archived",
        n if n % 17 == 5 => "draft",
        _ => "published",
    }
}

/// "Titre professionnel Cuisinier" in Amiens → "titre-professionnel-cuisinier-amiens".
fn demo_slug(title: &str, city: &str) -> String {
    let mut base = markdown::slugify(title);
    // Slugs are ASCII: byte offsets are character offsets.
    if base.len() > 60 {
        // Cut at a word: slugs stay readable.
        let cut = base[..60].rfind('-').unwrap_or(60);
        base.truncate(cut);
    }
    format!("{base}-{}", markdown::slugify(city))
}

fn template(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key == key)
}

/// The demo catalogue: plans every training of a centre, in order.
fn plan_centre(city: &str, keys: &[&str], ordinal: &mut usize) -> Vec<Planned> {
    let mut planned = Vec::new();
    for key in keys {
        let status = demo_status(*ordinal);
        *ordinal += 1;
        let Some(t) = template(key) else {
            tracing::warn!(key, "unknown demo training template");
            continue;
        };
        planned.push(plan(PlanInput {
            template: t,
            slug: demo_slug(t.title, city),
            title: t.title.to_owned(),
            city: Some(city),
            status,
        }));
    }
    planned
}

/// Loads the demo catalogue; communes must be there (`seed::demo` sees to it).
pub async fn demo(pool: &PgPool) -> Result<CatalogueReport, SeedError> {
    let mut report = CatalogueReport::default();
    let mut ordinal = 0;

    // The existing demo centre, in Lyon.
    if let Some(ilf) =
        sqlx::query_scalar!("SELECT id FROM organisations WHERE siret = $1", ILF_SIRET)
            .fetch_optional(pool)
            .await?
    {
        let nda = commune_nda(pool, "69123", 0).await?;
        let mut tx = pool.begin().await?;
        // Only a blank profile is filled: edits made in the app stay.
        sqlx::query!(
            "UPDATE organisations SET
                 description = $2, website = $3, contact_email = $4, contact_phone = $5,
                 address = $6, commune_code = $7, nda = $8, qualiopi = true, updated_at = now()
             WHERE id = $1 AND description = '' AND EXISTS (SELECT 1 FROM communes WHERE code = $7)",
            ilf,
            "Centre de formation continue installé à Lyon depuis 2009, l'Institut Lumière Formation \
             accompagne salariés, demandeurs d'emploi et entreprises dans les métiers de la gestion, \
             de la comptabilité, de la paie et du management.\n\nPetits groupes, formateurs issus \
             de l'entreprise et suivi individuel jusqu'à l'emploi : 87 % de nos stagiaires \
             certifiés sont en poste six mois après leur formation.",
            "https://www.institut-lumiere-formation.demo.passerelle.fr",
            "formation@demo.passerelle.fr",
            "04 65 71 20 09",
            "25 rue du Premier-Film",
            "69123",
            nda,
        )
        .execute(&mut *tx)
        .await?;
        let planned = plan_centre("Lyon", ILF_TRAININGS, &mut ordinal);
        let nearby = nearby_communes(&mut tx, "69123", 40_000.0, 2).await?;
        report.trainings_created +=
            insert_trainings(&mut tx, ilf, "69123", &nearby, &planned).await?;
        tx.commit().await?;
    } else {
        ordinal += ILF_TRAININGS.len();
    }

    // Hashed once: argon2 takes a noticeable time per hash, and these are
    // development accounts sharing one published password anyway.
    let mut password_hash = None;
    for (n, centre) in CENTRES.iter().enumerate() {
        let first = ordinal;
        ordinal += centre.trainings.len();
        let exists = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM communes WHERE code = $1) AS "found!""#,
            centre.commune
        )
        .fetch_one(pool)
        .await?;
        if !exists {
            tracing::warn!(
                commune = centre.commune,
                "demo centre skipped: commune not imported"
            );
            continue;
        }
        let slug = markdown::slugify(centre.name);
        let email = format!("contact@{slug}.demo.passerelle.fr");
        let siret = demo_siret(n);
        let nda = commune_nda(pool, centre.commune, n + 1).await?;
        let description = format!(
            "{}\n\n{}",
            centre.pitch,
            if centre.qualiopi {
                "Nos formateurs sont des professionnels en activité. Centre certifié Qualiopi au titre des actions de formation."
            } else {
                "Nos formateurs sont des professionnels en activité. Certification Qualiopi en cours."
            }
        );

        let mut tx = pool.begin().await?;
        report.accounts_created += usize::from(
            demo_owner(
                pool,
                &mut tx,
                &mut password_hash,
                &email,
                &format!("{} ({})", centre.owner, centre.name),
                "centre_member",
            )
            .await?,
        );
        // The centre and its owner's membership, or neither.
        let created_centre = sqlx::query_scalar!(
            r#"WITH organisation AS (
                   INSERT INTO organisations (kind, name, siret, status, reviewed_at, description,
                                              website, contact_email, contact_phone, address,
                                              commune_code, nda, qualiopi)
                   VALUES ('centre', $1, $2, 'approved', now(), $3, $4, $5, $6, $7, $8, $9, $10)
                   ON CONFLICT (siret) DO NOTHING RETURNING id
               )
               INSERT INTO memberships (user_id, organisation_id, role)
               SELECT u.id, organisation.id, 'owner' FROM organisation, users u WHERE u.email = $5
               RETURNING organisation_id"#,
            centre.name,
            siret,
            description,
            format!("https://www.{slug}.demo.passerelle.fr"),
            email,
            demo_phone(centre.phone_prefix, n),
            centre.address,
            centre.commune,
            nda,
            centre.qualiopi,
        )
        .fetch_optional(&mut *tx)
        .await?;
        report.centres_created += usize::from(created_centre.is_some());
        let centre_id = sqlx::query_scalar!("SELECT id FROM organisations WHERE siret = $1", siret)
            .fetch_one(&mut *tx)
            .await?;
        let mut ordinal_here = first;
        let planned = plan_centre(centre.city, centre.trainings, &mut ordinal_here);
        let nearby = nearby_communes(&mut tx, centre.commune, 40_000.0, 2).await?;
        report.trainings_created +=
            insert_trainings(&mut tx, centre_id, centre.commune, &nearby, &planned).await?;
        tx.commit().await?;
    }
    Ok(report)
}

async fn commune_nda(pool: &PgPool, code: &str, n: usize) -> Result<String, SeedError> {
    let commune = sqlx::query!(
        "SELECT region_code, departement_code FROM communes WHERE code = $1",
        code
    )
    .fetch_optional(pool)
    .await?;
    Ok(commune.map_or_else(String::new, |c| {
        demo_nda(&c.region_code, &c.departement_code, n)
    }))
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

/// Inserts the trainings whose slug is new; returns how many.
async fn insert_trainings(
    tx: &mut Transaction<'_, Postgres>,
    centre_id: i64,
    commune: &str,
    nearby: &[String],
    planned: &[Planned],
) -> Result<usize, SeedError> {
    let mut created = 0;
    for p in planned {
        let html = markdown::render(&p.markdown, &HashMap::new());
        let Some(id) = sqlx::query_scalar!(
            "INSERT INTO trainings (centre_id, slug, title, summary, description_markdown,
                 description_html, objectives, prerequisites, certification_kind,
                 certification_code, certification_level, cpf_eligible, modality, duration_hours,
                 price_cents, funding, rolling_entry, status, published_at, view_count,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, CASE WHEN $18 <> 'draft' THEN now() - make_interval(days => $19) END, $20,
                 now() - make_interval(days => $19 + 14), now() - make_interval(days => $19))
             ON CONFLICT (slug) DO NOTHING RETURNING id",
            centre_id,
            p.slug,
            p.title,
            p.summary,
            p.markdown,
            html,
            p.objectives,
            p.prerequisites,
            p.cert_kind,
            p.cert_code,
            p.cert_level,
            p.cpf,
            p.modality.as_db(),
            p.hours,
            p.price_cents,
            &p.funding,
            p.rolling,
            p.status,
            p.days_ago,
            p.view_count,
        )
        .fetch_optional(&mut **tx)
        .await?
        else {
            continue;
        };
        let skills: Vec<String> = p.skills.iter().map(|s| (*s).to_owned()).collect();
        let linked = sqlx::query!(
            "INSERT INTO training_skills (training_id, skill_id)
             SELECT $1, id FROM skills WHERE name = ANY($2::text[])",
            id,
            &skills
        )
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if linked != skills.len() as u64 {
            tracing::warn!(
                slug = p.slug,
                "a demo skill is missing from the skills table"
            );
        }
        let places: Vec<String> = std::iter::once(commune.to_owned())
            .chain(nearby.iter().cloned())
            .take(p.places)
            .collect();
        insert_places(tx, &[id], &[places]).await?;
        insert_sessions(tx, &[id], std::slice::from_ref(&p.sessions)).await?;
        refresh_search(tx, &[id]).await?;
        created += 1;
    }
    Ok(created)
}

/// Places of several trainings at once: `places[i]` belongs to `ids[i]`.
async fn insert_places(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
    places: &[Vec<String>],
) -> Result<(), sqlx::Error> {
    let (training_ids, codes): (Vec<i64>, Vec<String>) = ids
        .iter()
        .zip(places)
        .flat_map(|(id, codes)| codes.iter().map(move |c| (*id, c.clone())))
        .unzip();
    if training_ids.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO training_places (training_id, commune_code)
         SELECT * FROM UNNEST($1::int8[], $2::text[]) ON CONFLICT DO NOTHING",
        &training_ids,
        &codes
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sessions of several trainings at once: `sessions[i]` belongs to `ids[i]`.
async fn insert_sessions(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
    sessions: &[Vec<SessionPlan>],
) -> Result<(), sqlx::Error> {
    let mut training_ids = Vec::new();
    let mut starts = Vec::new();
    let mut lengths = Vec::new();
    let mut seats = Vec::new();
    for (id, planned) in ids.iter().zip(sessions) {
        for s in planned {
            training_ids.push(*id);
            starts.push(s.start);
            lengths.push(s.days - 1);
            seats.push(s.seats);
        }
    }
    if training_ids.is_empty() {
        return Ok(());
    }
    // Dates relative to today: the demo always has upcoming sessions.
    sqlx::query!(
        "INSERT INTO training_sessions (training_id, starts_on, ends_on, seats)
         SELECT id, current_date + start, current_date + start + length, seats
         FROM UNNEST($1::int8[], $2::int4[], $3::int4[], $4::int4[]) AS u (id, start, length, seats)",
        &training_ids,
        &starts,
        &lengths,
        &seats
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Title, skills and texts into the search vector, once skills are in.
async fn refresh_search(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
) -> Result<(), sqlx::Error> {
    // The function returns void, which sqlx decodes as ().
    sqlx::query!(
        r#"SELECT refresh_training_search(id) AS "refreshed: ()" FROM UNNEST($1::int8[]) AS id"#,
        ids
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tops the catalogue up to `target` generated trainings (slugs `bench-000001`
/// …), spread over the approved centres and the larger towns, for load tests.
/// Row n is the same whichever run creates it.
pub async fn bench(pool: &PgPool, target: u32) -> Result<BenchReport, SeedError> {
    let centres = sqlx::query!(
        r#"SELECT o.id, c.code, c.name FROM organisations o
           JOIN communes c ON c.code = o.commune_code
           WHERE o.kind = 'centre' AND o.status = 'approved' ORDER BY o.id"#
    )
    .fetch_all(pool)
    .await?;
    if centres.is_empty() {
        return Err(SeedError::Usage(
            "no approved centre with a commune: run `passerelle seed --demo` first".into(),
        ));
    }
    let towns =
        sqlx::query!("SELECT code, name FROM communes WHERE population >= 5000 ORDER BY code")
            .fetch_all(pool)
            .await?;
    let existing: HashSet<String> =
        sqlx::query_scalar!("SELECT slug FROM trainings WHERE slug LIKE 'bench-%'")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let missing: Vec<u32> = (1..=target)
        .filter(|n| !existing.contains(&bench_slug(*n)))
        .collect();

    // A handful of distinct descriptions: render each once.
    let mut rendered: HashMap<String, String> = HashMap::new();
    let mut created = 0;
    for chunk in missing.chunks(BENCH_BATCH) {
        let mut rows = Vec::with_capacity(chunk.len());
        for n in chunk {
            let slug = bench_slug(*n);
            let mut rng = rng_for(&slug);
            let t = pick(&mut rng, TEMPLATES);
            let centre = pick(&mut rng, &centres);
            let mut planned = plan(PlanInput {
                template: t,
                slug: slug.clone(),
                title: String::new(),
                city: None,
                status: "published",
            });
            let mut places = Vec::new();
            if planned.places > 0 {
                places.push((centre.code.clone(), centre.name.clone()));
            }
            // Bounded: a small commune list (tests) may not hold enough distinct towns.
            for _ in 0..planned.places * 4 {
                if places.len() >= planned.places || towns.is_empty() {
                    break;
                }
                let town = pick(&mut rng, &towns);
                if !places.iter().any(|(code, _)| *code == town.code) {
                    places.push((town.code.clone(), town.name.clone()));
                }
            }
            let city = places
                .first()
                .map_or(centre.name.as_str(), |(_, name)| name);
            planned.title = format!("{} – {city}", t.title);
            let html = rendered
                .entry(planned.markdown.clone())
                .or_insert_with(|| markdown::render(&planned.markdown, &HashMap::new()))
                .clone();
            rows.push((centre.id, planned, html, places));
        }
        created += insert_bench_batch(pool, &rows).await?;
    }
    let total =
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM trainings WHERE slug LIKE 'bench-%'"#)
            .fetch_one(pool)
            .await?;
    Ok(BenchReport {
        created,
        total: usize::try_from(total).unwrap_or(0),
    })
}

fn bench_slug(n: u32) -> String {
    format!("bench-{n:06}")
}

type BenchRow = (i64, Planned, String, Vec<(String, String)>);

/// One batch in one transaction: trainings, then skills, places, sessions
/// and search vectors, each as a single set-based statement.
async fn insert_bench_batch(pool: &PgPool, rows: &[BenchRow]) -> Result<usize, SeedError> {
    let column = |f: &dyn Fn(&BenchRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let centre_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let slugs = column(&|r| r.1.slug.clone());
    let titles = column(&|r| r.1.title.clone());
    let summaries = column(&|r| r.1.summary.to_owned());
    let markdowns = column(&|r| r.1.markdown.clone());
    let htmls = column(&|r| r.2.clone());
    let objectives = column(&|r| r.1.objectives.clone());
    let prerequisites = column(&|r| r.1.prerequisites.to_owned());
    let cert_kinds = column(&|r| r.1.cert_kind.to_owned());
    let cert_codes = column(&|r| r.1.cert_code.to_owned());
    // 0 stands for NULL: arrays of nullable values do not type-check in query!.
    let cert_levels: Vec<i16> = rows.iter().map(|r| r.1.cert_level.unwrap_or(0)).collect();
    let cpf: Vec<bool> = rows.iter().map(|r| r.1.cpf).collect();
    let modalities = column(&|r| r.1.modality.as_db().to_owned());
    let hours: Vec<i32> = rows.iter().map(|r| r.1.hours).collect();
    let prices: Vec<i32> = rows.iter().map(|r| r.1.price_cents).collect();
    // Arrays must be rectangular: funding travels comma-joined.
    let funding = column(&|r| r.1.funding.join(","));
    let rolling: Vec<bool> = rows.iter().map(|r| r.1.rolling).collect();
    let days_ago: Vec<i32> = rows.iter().map(|r| r.1.days_ago).collect();
    let views: Vec<i64> = rows.iter().map(|r| r.1.view_count).collect();

    let mut tx = pool.begin().await?;
    let inserted = sqlx::query!(
        r#"INSERT INTO trainings (centre_id, slug, title, summary, description_markdown,
               description_html, objectives, prerequisites, certification_kind,
               certification_code, certification_level, cpf_eligible, modality, duration_hours,
               price_cents, funding, rolling_entry, status, published_at, view_count)
           SELECT centre_id, slug, title, summary, md, html, objectives, prerequisites, cert_kind,
                  cert_code, NULLIF(cert_level, 0), cpf, modality, hours, price,
                  string_to_array(funding, ','), rolling, 'published',
                  now() - make_interval(days => days_ago), views
           FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::text[], $11::int2[], $12::bool[],
                       $13::text[], $14::int4[], $15::int4[], $16::text[], $17::bool[],
                       $18::int4[], $19::int8[])
                AS u (centre_id, slug, title, summary, md, html, objectives, prerequisites,
                      cert_kind, cert_code, cert_level, cpf, modality, hours, price, funding,
                      rolling, days_ago, views)
           ON CONFLICT (slug) DO NOTHING
           RETURNING id, slug"#,
        &centre_ids,
        &slugs,
        &titles,
        &summaries,
        &markdowns,
        &htmls,
        &objectives,
        &prerequisites,
        &cert_kinds,
        &cert_codes,
        &cert_levels,
        &cpf,
        &modalities,
        &hours,
        &prices,
        &funding,
        &rolling,
        &days_ago,
        &views,
    )
    .fetch_all(&mut *tx)
    .await?;

    let by_slug: HashMap<&str, &BenchRow> = rows.iter().map(|r| (r.1.slug.as_str(), r)).collect();
    let mut ids = Vec::with_capacity(inserted.len());
    let mut skill_ids = Vec::new();
    let mut skill_names = Vec::new();
    let mut places = Vec::with_capacity(inserted.len());
    let mut sessions = Vec::with_capacity(inserted.len());
    for row in &inserted {
        let Some((_, planned, _, row_places)) = by_slug.get(row.slug.as_str()).copied() else {
            continue;
        };
        ids.push(row.id);
        for skill in planned.skills {
            skill_ids.push(row.id);
            skill_names.push((*skill).to_owned());
        }
        places.push(row_places.iter().map(|(code, _)| code.clone()).collect());
        sessions.push(planned.sessions.clone());
    }
    sqlx::query!(
        "INSERT INTO training_skills (training_id, skill_id)
         SELECT u.id, s.id FROM UNNEST($1::int8[], $2::text[]) AS u (id, name)
         JOIN skills s ON s.name = u.name
         ON CONFLICT DO NOTHING",
        &skill_ids,
        &skill_names
    )
    .execute(&mut *tx)
    .await?;
    insert_places(&mut tx, &ids, &places).await?;
    insert_sessions(&mut tx, &ids, &sessions).await?;
    // About 0.35 ms a training (French stemming of the whole text): smaller
    // statements keep under sqlx's one-second slow-query warning.
    for part in ids.chunks(500) {
        refresh_search(&mut tx, part).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

// ---------------------------------------------------------------------------
// The demo data. Certification codes are plausible, not authoritative.

const P: Modality = Modality::Presentiel;
const D: Modality = Modality::Distanciel;
const H: Modality = Modality::Hybride;

/// The trainings of Institut Lumière Formation (Lyon).
const ILF_TRAININGS: &[&str] = &["ca", "paie", "excel", "toeic", "manager", "sa"];

const TEMPLATES: &[Template] = &[
    // Numérique
    Template {
        key: "dwwm",
        title: "Titre professionnel Développeur web et web mobile",
        summary: "Devenez développeur web en sept mois : interfaces accessibles, JavaScript, back-end et bases de données, avec un stage de huit semaines en entreprise.",
        intro: "Une formation intensive pour apprendre à concevoir, développer et mettre en ligne des sites et des applications web, du maquettage à la mise en production.",
        modules: &[
            "HTML, CSS et accessibilité (RGAA)",
            "JavaScript moderne et un framework front-end",
            "Back-end, API REST et sécurité",
            "Bases de données SQL",
            "Git, tests et déploiement",
            "Stage en entreprise (8 semaines)",
        ],
        jobs: &[
            "développeur web",
            "développeur front-end",
            "intégrateur web",
        ],
        objectives: &[
            "Développer la partie front-end d'une application web accessible.",
            "Développer la partie back-end sécurisée d'une application web.",
            "Déployer et maintenir une application en production.",
        ],
        prerequisites: "Niveau bac ou expérience équivalente ; logique et goût pour la résolution de problèmes. Aucun prérequis en programmation : un test de positionnement est proposé.",
        skills: &[
            "Développement web",
            "JavaScript",
            "Bases de données SQL",
            "Méthodes agiles",
        ],
        cert: Cert::Rncp("RNCP37674", 5),
        cpf: true,
        modalities: &[P, H, D],
        hours: 800,
        price_eur: 7_900,
        funding: &["opco", "france-travail", "region", "personnel"],
        rolling: false,
    },
    Template {
        key: "cda",
        title: "Titre professionnel Concepteur développeur d'applications",
        summary: "Concevez et développez des applications sécurisées en équipe agile : architecture, Java, bases de données, tests et intégration continue. Niveau bac+3.",
        intro: "Pour les développeurs qui veulent franchir un cap : concevoir des applications multicouches robustes et travailler en équipe selon les pratiques du métier.",
        modules: &[
            "Conception orientée objet et UML",
            "Java et Spring Boot",
            "Bases de données relationnelles et NoSQL",
            "Tests automatisés et intégration continue",
            "Projet agile en équipe",
        ],
        jobs: &[
            "concepteur développeur",
            "développeur full stack",
            "ingénieur d'études",
        ],
        objectives: &[
            "Concevoir et développer des composants d'interface et métier sécurisés.",
            "Concevoir et mettre en place une base de données.",
            "Préparer le déploiement d'une application en équipe.",
        ],
        prerequisites: "Bac+2 ou expérience de développement d'au moins un an ; bases d'un langage de programmation.",
        skills: &[
            "Java",
            "Bases de données SQL",
            "Cloud et DevOps",
            "Méthodes agiles",
            "Gestion de projet",
        ],
        cert: Cert::Rncp("RNCP37873", 6),
        cpf: true,
        modalities: &[H, P],
        hours: 1_050,
        price_eur: 9_800,
        funding: &["opco", "france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "tssr",
        title: "Titre professionnel Technicien supérieur systèmes et réseaux",
        summary: "Installez, administrez et sécurisez les serveurs et les réseaux d'une entreprise. Windows Server, Linux, virtualisation et cybersécurité au programme.",
        intro: "Le technicien supérieur systèmes et réseaux fait tourner l'informatique de l'entreprise : postes, serveurs, réseau et sécurité au quotidien.",
        modules: &[
            "Support aux utilisateurs et ITIL",
            "Réseaux TCP/IP, routage et VLAN",
            "Windows Server et Active Directory",
            "Administration Linux",
            "Virtualisation et sauvegardes",
            "Sécurité des infrastructures",
        ],
        jobs: &[
            "technicien systèmes et réseaux",
            "administrateur réseau junior",
            "technicien support N2",
        ],
        objectives: &[
            "Assister les utilisateurs en centre de services.",
            "Maintenir, exploiter et sécuriser une infrastructure centralisée.",
            "Maintenir et exploiter une infrastructure distribuée.",
        ],
        prerequisites: "Niveau bac ; une première expérience en informatique (support, bricolage réseau) est un plus.",
        skills: &[
            "Administration systèmes Linux",
            "Réseaux informatiques",
            "Cybersécurité",
            "Support informatique",
        ],
        cert: Cert::Rncp("RNCP37682", 5),
        cpf: true,
        modalities: &[P, H],
        hours: 840,
        price_eur: 8_400,
        funding: &["opco", "france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "ais",
        title: "Titre professionnel Administrateur d'infrastructures sécurisées",
        summary: "Administrez et sécurisez les infrastructures d'une organisation : cloud, haute disponibilité, supervision et réponse aux incidents. Niveau bac+3.",
        intro: "Une formation de niveau bac+3 pour les techniciens qui veulent prendre en charge l'architecture et la sécurité d'un système d'information.",
        modules: &[
            "Architecture réseau sécurisée",
            "Cloud public et privé",
            "Automatisation avec Ansible",
            "Supervision et journalisation",
            "Gestion des incidents de sécurité",
        ],
        jobs: &[
            "administrateur systèmes et réseaux",
            "administrateur cloud",
            "analyste SOC",
        ],
        objectives: &[
            "Administrer et sécuriser les infrastructures.",
            "Concevoir et mettre en œuvre une solution en réponse à un besoin d'évolution.",
            "Participer à la gestion de la cybersécurité.",
        ],
        prerequisites: "Titre TSSR ou bac+2 en informatique, ou deux ans d'expérience en administration système.",
        skills: &[
            "Cybersécurité",
            "Cloud et DevOps",
            "Administration systèmes Linux",
            "Réseaux informatiques",
        ],
        cert: Cert::Rncp("RNCP37680", 6),
        cpf: true,
        modalities: &[H, P],
        hours: 900,
        price_eur: 9_900,
        funding: &["opco", "france-travail"],
        rolling: false,
    },
    Template {
        key: "data",
        title: "Data analyst : de la donnée brute à la décision",
        summary: "Apprenez à collecter, nettoyer, analyser et présenter des données avec SQL, Python et un outil de visualisation, sur des cas réels d'entreprise.",
        intro: "Les entreprises croulent sous les données et manquent de personnes pour les faire parler : le métier de data analyst est l'un des plus recherchés du numérique.",
        modules: &[
            "SQL pour l'analyse",
            "Python, pandas et notebooks",
            "Statistiques appliquées",
            "Visualisation et tableaux de bord",
            "Projet fil rouge avec une entreprise partenaire",
        ],
        jobs: &[
            "data analyst",
            "chargé d'études statistiques",
            "business analyst",
        ],
        objectives: &[
            "Préparer et fiabiliser un jeu de données.",
            "Analyser des données pour répondre à une question métier.",
            "Présenter des résultats clairs aux décideurs.",
        ],
        prerequisites: "Bac+2 ou expérience professionnelle significative ; aisance avec les chiffres et un tableur.",
        skills: &["Analyse de données", "Python", "Bases de données SQL"],
        cert: Cert::Rncp("RNCP37429", 6),
        cpf: true,
        modalities: &[D, H],
        hours: 450,
        price_eur: 6_500,
        funding: &["opco", "france-travail", "personnel"],
        rolling: false,
    },
    Template {
        key: "ia",
        title: "L'intelligence artificielle générative au travail",
        summary: "Deux jours pour utiliser les assistants d'IA générative avec méthode : rédiger de bons prompts, vérifier les réponses et protéger les données de l'entreprise.",
        intro: "Rédaction, synthèse, analyse : l'IA générative change de nombreux métiers. Cette formation pratique montre ce qu'elle fait bien, ce qu'elle fait mal, et comment s'en servir sans risque.",
        modules: &[
            "Comment fonctionne un grand modèle de langage",
            "Écrire des prompts efficaces",
            "Cas pratiques par métier",
            "Vérifier, citer, corriger",
            "Données personnelles, confidentialité et RGPD",
        ],
        jobs: &[],
        objectives: &[
            "Utiliser un assistant d'IA générative sur des tâches de son métier.",
            "Repérer les erreurs et les limites des réponses.",
            "Respecter les règles de confidentialité de l'entreprise.",
        ],
        prerequisites: "Utiliser un ordinateur et un navigateur au quotidien.",
        skills: &["Intelligence artificielle", "Bureautique"],
        cert: Cert::None,
        cpf: false,
        modalities: &[D, P],
        hours: 14,
        price_eur: 890,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "python",
        title: "Programmer en Python : les fondamentaux",
        summary: "Apprenez les bases de Python à votre rythme, avec un formateur référent : variables, fonctions, fichiers, bibliothèques et automatisation de tâches.",
        intro: "Python est le langage le plus enseigné au monde : lisible, polyvalent, il sert autant à automatiser des tâches de bureau qu'à analyser des données.",
        modules: &[
            "Syntaxe, types et structures de contrôle",
            "Fonctions et modules",
            "Fichiers, CSV et JSON",
            "Bibliothèques incontournables",
            "Automatiser une tâche réelle",
        ],
        jobs: &[],
        objectives: &[
            "Écrire des programmes Python lisibles et testés.",
            "Manipuler des fichiers et des données structurées.",
            "Automatiser une tâche répétitive de son quotidien.",
        ],
        prerequisites: "Aucun prérequis en programmation ; être à l'aise avec un ordinateur.",
        skills: &["Python", "Analyse de données"],
        cert: Cert::Rs("RS6261"),
        cpf: true,
        modalities: &[D],
        hours: 35,
        price_eur: 1_690,
        funding: &["opco", "personnel"],
        rolling: true,
    },
    Template {
        key: "rust",
        title: "Développer des services fiables en Rust",
        summary: "Quatre jours pour écrire des services web rapides et sûrs en Rust : propriété, gestion des erreurs, asynchrone avec Tokio et tests.",
        intro: "Rust apporte la performance du C et la sûreté mémoire sans ramasse-miettes. Cette formation s'adresse aux développeurs qui veulent l'adopter en production.",
        modules: &[
            "Propriété, emprunts et durées de vie",
            "Traits, génériques et gestion des erreurs",
            "Programmation asynchrone avec Tokio",
            "Une API web avec axum et une base PostgreSQL",
            "Tests, profilage et déploiement",
        ],
        jobs: &["développeur back-end", "ingénieur logiciel"],
        objectives: &[
            "Écrire du code Rust idiomatique.",
            "Construire un service web asynchrone.",
            "Tester et déployer un binaire Rust.",
        ],
        prerequisites: "Pratique professionnelle d'au moins un langage de programmation.",
        skills: &["Rust", "Développement web", "Cloud et DevOps"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P, D],
        hours: 28,
        price_eur: 2_190,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "cyber",
        title: "Sensibilisation à la cybersécurité pour tous les salariés",
        summary: "Une journée pour reconnaître le hameçonnage, choisir de bons mots de passe et adopter les réflexes qui protègent l'entreprise.",
        intro: "La plupart des attaques commencent par un courriel piégé. Une journée suffit pour donner à chacun les bons réflexes.",
        modules: &[
            "Panorama des menaces",
            "Hameçonnage : exercices pratiques",
            "Mots de passe et double authentification",
            "Télétravail et appareils mobiles",
            "Que faire en cas d'incident ?",
        ],
        jobs: &[],
        objectives: &[
            "Reconnaître une tentative d'hameçonnage.",
            "Appliquer les règles d'hygiène informatique.",
            "Réagir correctement à un incident.",
        ],
        prerequisites: "Aucun.",
        skills: &["Cybersécurité", "Prévention des risques"],
        cert: Cert::None,
        cpf: false,
        modalities: &[D],
        hours: 7,
        price_eur: 390,
        funding: &["opco", "employeur"],
        rolling: true,
    },
    Template {
        key: "ux",
        title: "Designer UX/UI",
        summary: "Concevez des services numériques utiles et agréables : recherche utilisateur, prototypage, design d'interface et tests, avec un portfolio de trois projets.",
        intro: "Le designer UX/UI part des besoins réels des utilisateurs pour concevoir des interfaces claires, accessibles et efficaces.",
        modules: &[
            "Recherche utilisateur et entretiens",
            "Architecture de l'information",
            "Prototypage avec Figma",
            "Design d'interface et design system",
            "Tests utilisateurs et accessibilité",
            "Portfolio professionnel",
        ],
        jobs: &["designer UX/UI", "product designer", "webdesigner"],
        objectives: &[
            "Mener une recherche utilisateur.",
            "Concevoir et prototyper une interface.",
            "Tester et améliorer un service numérique.",
        ],
        prerequisites: "Bac ou équivalent ; sensibilité visuelle ; un entretien de motivation.",
        skills: &["UX design", "Conception graphique", "Méthodes agiles"],
        cert: Cert::Rncp("RNCP35634", 6),
        cpf: true,
        modalities: &[H, D],
        hours: 600,
        price_eur: 7_200,
        funding: &["opco", "france-travail", "personnel"],
        rolling: false,
    },
    Template {
        key: "prepa_num",
        title: "Prépa métiers du numérique",
        summary: "Trois mois pour découvrir les métiers du numérique, consolider les bases et construire votre projet avant une formation qualifiante. Gratuit pour les demandeurs d'emploi.",
        intro: "Vous êtes attiré par le numérique sans savoir par où commencer ? Cette prépa vous fait essayer plusieurs métiers avant de vous engager.",
        modules: &[
            "Découverte des métiers : développement, support, design, données",
            "Bureautique et outils collaboratifs",
            "Premiers pas en programmation",
            "Immersion en entreprise (2 semaines)",
            "Projet professionnel et candidatures",
        ],
        jobs: &[
            "entrée en formation qualifiante",
            "technicien support",
            "assistant web",
        ],
        objectives: &[
            "Choisir un métier du numérique en connaissance de cause.",
            "Acquérir les bases techniques attendues à l'entrée en formation.",
            "Préparer sa candidature.",
        ],
        prerequisites: "Être inscrit à France Travail ; motivation pour le numérique.",
        skills: &["Bureautique", "Développement web", "Support informatique"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 280,
        price_eur: 0,
        funding: &["region", "france-travail"],
        rolling: false,
    },
    Template {
        key: "devops",
        title: "Cloud et DevOps : conteneurs, Kubernetes et intégration continue",
        summary: "Automatisez la livraison de vos applications : Docker, Kubernetes, pipelines CI/CD et infrastructure as code, sur un projet complet.",
        intro: "Livrer souvent et sans douleur : c'est la promesse du DevOps. Cette formation met en pratique les outils qui la rendent possible.",
        modules: &[
            "Conteneurs avec Docker",
            "Orchestration avec Kubernetes",
            "Pipelines d'intégration et de déploiement continus",
            "Infrastructure as code avec Terraform",
            "Observabilité : métriques, journaux, alertes",
        ],
        jobs: &["ingénieur DevOps", "administrateur cloud"],
        objectives: &[
            "Conteneuriser une application.",
            "Déployer sur un cluster Kubernetes.",
            "Automatiser les livraisons.",
        ],
        prerequisites: "Expérience en développement ou en administration système ; bases de Linux.",
        skills: &[
            "Cloud et DevOps",
            "Administration systèmes Linux",
            "Méthodes agiles",
        ],
        cert: Cert::Rs("RS5890"),
        cpf: true,
        modalities: &[D, H],
        hours: 70,
        price_eur: 3_200,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "tai",
        title: "Titre professionnel Technicien d'assistance informatique",
        summary: "Installez et dépannez postes, périphériques et logiciels, et accompagnez les utilisateurs au téléphone ou sur site. Stage en entreprise inclus.",
        intro: "Premier interlocuteur des utilisateurs, le technicien d'assistance informatique résout les pannes et met en service les équipements.",
        modules: &[
            "Matériel et systèmes d'exploitation",
            "Réseaux locaux",
            "Assistance à distance et ticketing",
            "Sécurité du poste de travail",
            "Stage en entreprise",
        ],
        jobs: &["technicien helpdesk", "technicien de proximité"],
        objectives: &[
            "Mettre en service des équipements numériques.",
            "Assister les utilisateurs en centre de services.",
            "Maintenir et sécuriser les postes.",
        ],
        prerequisites: "Niveau 3e ou CAP ; intérêt pour l'informatique et le contact.",
        skills: &[
            "Support informatique",
            "Réseaux informatiques",
            "Relation client",
        ],
        cert: Cert::Rncp("RNCP37681", 4),
        cpf: true,
        modalities: &[P],
        hours: 630,
        price_eur: 6_300,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    // Bâtiment
    Template {
        key: "elec",
        title: "Titre professionnel Électricien d'équipement du bâtiment",
        summary: "Réalisez l'installation électrique de logements et de locaux : lecture de schémas, pose, raccordement, mise en service, habilitation électrique comprise.",
        intro: "Les électriciens manquent partout : neuf, rénovation, bornes de recharge. Une formation très pratique, en atelier et sur chantier école.",
        modules: &[
            "Lecture de plans et de schémas",
            "Installation en logement neuf",
            "Rénovation et mise en conformité",
            "Courants faibles et domotique",
            "Habilitation électrique B1V-BR",
            "Stage sur chantier",
        ],
        jobs: &["électricien du bâtiment", "monteur électricien"],
        objectives: &[
            "Réaliser les installations électriques d'un logement.",
            "Rénover une installation existante.",
            "Travailler en sécurité, habilitation à l'appui.",
        ],
        prerequisites: "Niveau 3e ; bonne condition physique ; pas de vertige.",
        skills: &["Électricité", "Habilitation électrique", "Lecture de plans"],
        cert: Cert::Rncp("RNCP38876", 3),
        cpf: true,
        modalities: &[P],
        hours: 630,
        price_eur: 7_200,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "habilit",
        title: "Habilitation électrique B1V, B2V, BR, BC",
        summary: "Trois jours pour obtenir l'avis favorable à l'habilitation électrique des électriciens (norme NF C 18-510) : théorie, mises en situation et évaluation.",
        intro: "Obligatoire pour intervenir sur une installation électrique, l'habilitation se renouvelle tous les trois ans.",
        modules: &[
            "Dangers de l'électricité",
            "Norme NF C 18-510 et zones d'environnement",
            "Consignation et équipements de protection",
            "Mises en situation sur plateau technique",
            "Évaluation théorique et pratique",
        ],
        jobs: &[],
        objectives: &[
            "Connaître les risques électriques.",
            "Appliquer les procédures de consignation.",
            "Intervenir en sécurité selon son niveau d'habilitation.",
        ],
        prerequisites: "Compétences en électricité dans le domaine de tension considéré.",
        skills: &[
            "Habilitation électrique",
            "Électricité",
            "Prévention des risques",
        ],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 21,
        price_eur: 690,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "tis",
        title: "Titre professionnel Installateur en thermique et sanitaire",
        summary: "Installez réseaux d'eau, sanitaires et chauffage dans le neuf et la rénovation : cuivre, multicouche, soudure, raccordement de chaudières et de pompes à chaleur.",
        intro: "Le plombier-chauffagiste est au cœur de la transition énergétique des logements. Formation en atelier avec stage en entreprise.",
        modules: &[
            "Lecture de plans et métrés",
            "Façonnage et assemblage des tubes",
            "Installation sanitaire",
            "Chauffage central et planchers chauffants",
            "Raccordement de générateurs",
            "Stage en entreprise",
        ],
        jobs: &["plombier chauffagiste", "installateur sanitaire"],
        objectives: &[
            "Installer des réseaux sanitaires.",
            "Installer des systèmes de chauffage.",
            "Mettre en service une installation.",
        ],
        prerequisites: "Niveau 3e ; aptitude au travail manuel.",
        skills: &[
            "Plomberie",
            "Chauffage et climatisation",
            "Lecture de plans",
        ],
        cert: Cert::Rncp("RNCP38877", 3),
        cpf: true,
        modalities: &[P],
        hours: 770,
        price_eur: 8_200,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "macon",
        title: "Titre professionnel Maçon",
        summary: "Construisez des ouvrages en maçonnerie et en béton armé : implantation, murs en blocs, coffrage, ferraillage et coulage, sur chantier école.",
        intro: "Du pavillon au petit collectif, le maçon réalise le gros œuvre. Un métier concret, qui recrute toute l'année.",
        modules: &[
            "Lecture de plans et implantation",
            "Maçonnerie de blocs et de briques",
            "Coffrage et ferraillage",
            "Béton armé",
            "Sécurité sur chantier",
            "Stage en entreprise",
        ],
        jobs: &["maçon", "coffreur bancheur"],
        objectives: &[
            "Réaliser des ouvrages en maçonnerie.",
            "Réaliser des ouvrages en béton armé.",
            "Travailler en sécurité sur un chantier.",
        ],
        prerequisites: "Bonne condition physique ; aucun diplôme exigé.",
        skills: &["Maçonnerie", "Lecture de plans", "Prévention des risques"],
        cert: Cert::Rncp("RNCP38040", 3),
        cpf: true,
        modalities: &[P],
        hours: 700,
        price_eur: 6_900,
        funding: &["france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "peintre",
        title: "Titre professionnel Peintre en bâtiment",
        summary: "Préparez les supports, appliquez peintures et revêtements muraux et de sol, et soignez les finitions en neuf comme en rénovation.",
        intro: "Le peintre en bâtiment donne aux pièces leur aspect final : un métier minutieux, au contact des clients.",
        modules: &[
            "Préparation des supports",
            "Application des peintures",
            "Pose de revêtements muraux",
            "Revêtements de sol souples",
            "Finitions décoratives",
        ],
        jobs: &["peintre en bâtiment", "solier moquettiste"],
        objectives: &[
            "Préparer et peindre des surfaces intérieures et extérieures.",
            "Poser des revêtements muraux et de sol.",
            "Organiser son chantier.",
        ],
        prerequisites: "Aucun diplôme exigé ; soin et minutie.",
        skills: &["Peinture en bâtiment", "Lecture de plans"],
        cert: Cert::Rncp("RNCP38049", 3),
        cpf: true,
        modalities: &[P],
        hours: 600,
        price_eur: 5_900,
        funding: &["france-travail", "region", "personnel"],
        rolling: false,
    },
    Template {
        key: "menuisier",
        title: "CAP Menuisier fabricant de menuiserie, mobilier et agencement",
        summary: "Fabriquez portes, fenêtres, escaliers et agencements en bois : lecture de plans, machines, assemblage et pose, en un an pour adultes.",
        intro: "Une formation d'un an pour adultes en reconversion, en atelier équipé, avec des périodes en entreprise.",
        modules: &[
            "Dessin technique et lecture de plans",
            "Machines-outils à bois",
            "Assemblages traditionnels",
            "Fabrication d'ouvrages",
            "Pose et agencement",
        ],
        jobs: &["menuisier fabricant", "agenceur"],
        objectives: &[
            "Fabriquer un ouvrage de menuiserie.",
            "Utiliser les machines en sécurité.",
            "Poser un ouvrage sur chantier.",
        ],
        prerequisites: "Aucun diplôme exigé ; habileté manuelle.",
        skills: &["Menuiserie", "Lecture de plans", "Usinage"],
        cert: Cert::Rncp("RNCP37812", 3),
        cpf: true,
        modalities: &[P],
        hours: 800,
        price_eur: 7_400,
        funding: &["france-travail", "region", "personnel"],
        rolling: false,
    },
    Template {
        key: "reno",
        title: "Rénovation énergétique : conseiller et piloter les travaux",
        summary: "Évaluez la performance d'un logement, proposez un bouquet de travaux et coordonnez les artisans : la formation des professionnels de la rénovation (RGE).",
        intro: "Isolation, ventilation, chauffage : la rénovation globale demande de penser le bâtiment comme un tout. Formation destinée aux professionnels du bâtiment.",
        modules: &[
            "Thermique du bâtiment",
            "Audit et diagnostic de performance énergétique",
            "Bouquets de travaux et aides publiques",
            "Coordination des corps d'état",
            "Étude de cas",
        ],
        jobs: &[
            "conseiller en rénovation énergétique",
            "chef de chantier rénovation",
        ],
        objectives: &[
            "Évaluer la performance énergétique d'un logement.",
            "Proposer des travaux adaptés et finançables.",
            "Coordonner un chantier de rénovation.",
        ],
        prerequisites: "Expérience dans le bâtiment.",
        skills: &[
            "Rénovation énergétique",
            "Énergies renouvelables",
            "Relation client",
        ],
        cert: Cert::Rs("RS5642"),
        cpf: true,
        modalities: &[P, H],
        hours: 35,
        price_eur: 1_450,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "pac",
        title: "Installer et entretenir une pompe à chaleur",
        summary: "Dimensionnez, installez, mettez en service et entretenez une pompe à chaleur air-eau. Prépare à la qualification des installateurs.",
        intro: "Pour les plombiers, chauffagistes et électriciens qui veulent installer des pompes à chaleur dans les règles de l'art.",
        modules: &[
            "Principe de la thermodynamique",
            "Dimensionnement",
            "Raccordements hydraulique et électrique",
            "Mise en service et réglages",
            "Maintenance et dépannage",
        ],
        jobs: &[
            "installateur de pompes à chaleur",
            "technicien de maintenance CVC",
        ],
        objectives: &[
            "Dimensionner une pompe à chaleur.",
            "Installer et mettre en service.",
            "Entretenir et dépanner.",
        ],
        prerequisites: "Expérience en plomberie, chauffage ou électricité.",
        skills: &[
            "Chauffage et climatisation",
            "Énergies renouvelables",
            "Électricité",
        ],
        cert: Cert::Rs("RS5498"),
        cpf: true,
        modalities: &[P],
        hours: 35,
        price_eur: 1_690,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "photovolt",
        title: "Technicien photovoltaïque : pose et raccordement",
        summary: "Posez et raccordez des installations solaires photovoltaïques en toiture, en sécurité : dimensionnement, pose, câblage, mise en service.",
        intro: "L'autoconsommation solaire progresse vite : les installateurs qualifiés sont très demandés.",
        modules: &[
            "Le gisement solaire et le dimensionnement",
            "Sécurité en toiture",
            "Pose des modules",
            "Câblage et onduleurs",
            "Mise en service et raccordement",
        ],
        jobs: &["technicien photovoltaïque", "installateur solaire"],
        objectives: &[
            "Dimensionner une installation photovoltaïque.",
            "Poser et raccorder en sécurité.",
            "Mettre en service et contrôler.",
        ],
        prerequisites: "Bases en électricité ; aptitude au travail en hauteur.",
        skills: &[
            "Énergies renouvelables",
            "Électricité",
            "Habilitation électrique",
        ],
        cert: Cert::Rs("RS6172"),
        cpf: true,
        modalities: &[P],
        hours: 70,
        price_eur: 2_450,
        funding: &["opco", "france-travail"],
        rolling: false,
    },
    Template {
        key: "ctravaux",
        title: "Conducteur de travaux du bâtiment et du génie civil en alternance",
        summary: "Préparez, pilotez et livrez des chantiers : budget, planning, équipes et sécurité. Formation en alternance de deux ans, rémunérée.",
        intro: "En alternance : deux ans pour devenir conducteur de travaux, avec un salaire et une entreprise du BTP qui vous forme sur ses chantiers.",
        modules: &[
            "Étude de prix et préparation de chantier",
            "Planification et suivi financier",
            "Management des équipes",
            "Qualité, sécurité, environnement",
            "Relation avec la maîtrise d'ouvrage",
        ],
        jobs: &["conducteur de travaux", "chef de chantier"],
        objectives: &[
            "Préparer un chantier.",
            "Piloter les travaux et le budget.",
            "Animer les équipes et les sous-traitants.",
        ],
        prerequisites: "Bac+2 dans le bâtiment ou expérience de chef d'équipe ; avoir trouvé une entreprise d'accueil.",
        skills: &[
            "Gestion de projet",
            "Lecture de plans",
            "Animation d'équipe",
        ],
        cert: Cert::Rncp("RNCP37805", 6),
        cpf: false,
        modalities: &[P],
        hours: 1_200,
        price_eur: 0,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    // Industrie
    Template {
        key: "soudeur",
        title: "Titre professionnel Soudeur assembleur industriel",
        summary: "Soudez à l'arc et au TIG des pièces en acier et en inox selon les normes de qualité de l'industrie, en atelier équipé. Qualifications de soudage possibles.",
        intro: "Chaudronnerie, navale, nucléaire, agroalimentaire : les soudeurs qualifiés trouvent facilement un emploi.",
        modules: &[
            "Lecture de plans et symboles de soudage",
            "Soudage à l'électrode enrobée",
            "Soudage TIG",
            "Soudage semi-automatique",
            "Contrôle et qualité",
            "Stage en entreprise",
        ],
        jobs: &["soudeur", "soudeur assembleur"],
        objectives: &[
            "Souder des ensembles en acier.",
            "Respecter un mode opératoire de soudage.",
            "Contrôler la qualité d'une soudure.",
        ],
        prerequisites: "Aucun diplôme exigé ; bonne vue et habileté manuelle.",
        skills: &["Soudure", "Lecture de plans", "Prévention des risques"],
        cert: Cert::Rncp("RNCP37834", 3),
        cpf: true,
        modalities: &[P],
        hours: 735,
        price_eur: 8_100,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "tuao",
        title: "Titre professionnel Technicien d'usinage assisté par ordinateur",
        summary: "Programmez et réglez des machines-outils à commande numérique, usinez des pièces de précision et contrôlez-les. FAO et métrologie au programme.",
        intro: "Aéronautique, médical, microtechnique : l'usinage de précision recrute des techniciens capables de programmer les machines.",
        modules: &[
            "Dessin industriel et cotation",
            "Programmation ISO et FAO",
            "Tournage et fraisage à commande numérique",
            "Métrologie",
            "Stage en entreprise",
        ],
        jobs: &["technicien d'usinage", "régleur CN", "programmeur FAO"],
        objectives: &[
            "Programmer une machine à commande numérique.",
            "Régler et usiner une série de pièces.",
            "Contrôler la conformité des pièces.",
        ],
        prerequisites: "Niveau bac ou expérience en mécanique.",
        skills: &["Usinage", "Lecture de plans", "Qualité"],
        cert: Cert::Rncp("RNCP35344", 4),
        cpf: true,
        modalities: &[P],
        hours: 840,
        price_eur: 9_200,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "tmi",
        title: "Technicien de maintenance industrielle",
        summary: "Diagnostiquez et réparez les équipements de production : mécanique, électricité, pneumatique, automatismes. Maintenance préventive et corrective.",
        intro: "Quand une ligne s'arrête, c'est le technicien de maintenance qu'on appelle. Un métier varié et très recherché.",
        modules: &[
            "Mécanique et transmission",
            "Électrotechnique",
            "Pneumatique et hydraulique",
            "Automatismes",
            "Maintenance préventive et GMAO",
            "Stage en entreprise",
        ],
        jobs: &["technicien de maintenance", "électromécanicien"],
        objectives: &[
            "Diagnostiquer une panne sur un équipement.",
            "Réaliser une intervention de maintenance.",
            "Améliorer la fiabilité des équipements.",
        ],
        prerequisites: "Niveau bac technique ou expérience en mécanique ou électricité.",
        skills: &[
            "Maintenance industrielle",
            "Électricité",
            "Automatisme",
            "Habilitation électrique",
        ],
        cert: Cert::Rncp("RNCP37506", 4),
        cpf: true,
        modalities: &[P],
        hours: 900,
        price_eur: 9_400,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "automate",
        title: "Automatismes industriels : programmer un automate",
        summary: "Cinq jours pour lire, modifier et dépanner un programme d'automate programmable : langages Ladder et Grafcet, entrées-sorties, diagnostic.",
        intro: "Une formation pratique sur maquettes pour les techniciens qui interviennent sur des lignes automatisées.",
        modules: &[
            "Architecture d'un automate",
            "Langages Ladder et Grafcet",
            "Entrées-sorties et capteurs",
            "Modifier un programme",
            "Diagnostic de pannes",
        ],
        jobs: &[],
        objectives: &[
            "Lire un programme d'automate.",
            "Modifier un programme en sécurité.",
            "Diagnostiquer une panne d'automatisme.",
        ],
        prerequisites: "Bases en électricité industrielle.",
        skills: &["Automatisme", "Électricité", "Maintenance industrielle"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 35,
        price_eur: 1_890,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "qse",
        title: "Animateur qualité, sécurité, environnement (QSE)",
        summary: "Pilotez la démarche qualité, sécurité et environnement d'une entreprise : normes ISO, audits, indicateurs, animation des équipes.",
        intro: "L'animateur QSE fait vivre les normes au quotidien : il mesure, audite, forme et fait progresser l'entreprise.",
        modules: &[
            "Normes ISO 9001, 14001 et 45001",
            "Évaluation des risques",
            "Audit interne",
            "Indicateurs et tableaux de bord",
            "Animation et communication",
        ],
        jobs: &["animateur QSE", "technicien qualité", "assistant HSE"],
        objectives: &[
            "Mettre en œuvre un système de management QSE.",
            "Conduire un audit interne.",
            "Animer une démarche d'amélioration continue.",
        ],
        prerequisites: "Bac+2 ou expérience en production ou en qualité.",
        skills: &["Qualité", "Prévention des risques", "Gestion de projet"],
        cert: Cert::Rncp("RNCP36158", 5),
        cpf: true,
        modalities: &[H, P],
        hours: 490,
        price_eur: 6_200,
        funding: &["opco", "france-travail"],
        rolling: false,
    },
    Template {
        key: "lean",
        title: "Lean management et amélioration continue",
        summary: "Trois jours pour réduire les gaspillages et faire progresser les équipes : 5S, cartographie des flux, résolution de problèmes et management visuel.",
        intro: "Le lean, c'est d'abord une façon de travailler avec les équipes : cette formation mise sur les ateliers et les cas réels des participants.",
        modules: &[
            "Principes du lean",
            "5S et management visuel",
            "Cartographie des flux de valeur",
            "Résolution de problèmes (PDCA, 8D)",
            "Animer un chantier d'amélioration",
        ],
        jobs: &[],
        objectives: &[
            "Repérer les gaspillages d'un processus.",
            "Conduire un chantier d'amélioration.",
            "Animer des rituels d'équipe.",
        ],
        prerequisites: "Encadrer ou animer une équipe, ou s'y préparer.",
        skills: &["Qualité", "Animation d'équipe", "Gestion de projet"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P, D],
        hours: 21,
        price_eur: 1_250,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "cim",
        title: "Conducteur d'installations et de machines automatisées",
        summary: "Préparation opérationnelle à l'emploi : conduisez une ligne de production automatisée dans une entreprise qui recrute à l'issue de la formation. Gratuit.",
        intro: "Une formation courte, conçue avec des industriels du territoire qui s'engagent à recruter les stagiaires à la sortie.",
        modules: &[
            "Sécurité et gestes professionnels",
            "Conduite de ligne",
            "Réglages et changements de série",
            "Autocontrôle qualité",
            "Période en entreprise",
        ],
        jobs: &["conducteur de ligne", "opérateur de production"],
        objectives: &[
            "Conduire une installation automatisée.",
            "Réaliser les réglages courants.",
            "Garantir la qualité de la production.",
        ],
        prerequisites: "Être inscrit à France Travail.",
        skills: &["Automatisme", "Maintenance industrielle", "Qualité"],
        cert: Cert::Rncp("RNCP36105", 3),
        cpf: false,
        modalities: &[P],
        hours: 400,
        price_eur: 0,
        funding: &["france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "meca_auto",
        title: "Titre professionnel Mécanicien automobile",
        summary: "Entretenez et réparez les véhicules légers : moteur, freinage, suspension, diagnostic électronique, et les bases des véhicules hybrides et électriques.",
        intro: "Les garages cherchent des mécaniciens capables de diagnostiquer autant que de réparer. Formation en atelier équipé.",
        modules: &[
            "Maintenance périodique",
            "Freinage, direction, suspension",
            "Moteur et distribution",
            "Diagnostic électronique",
            "Véhicules hybrides et électriques",
            "Stage en garage",
        ],
        jobs: &["mécanicien automobile", "technicien après-vente"],
        objectives: &[
            "Réaliser l'entretien d'un véhicule.",
            "Remplacer des organes mécaniques.",
            "Diagnostiquer une panne.",
        ],
        prerequisites: "Aucun diplôme exigé ; permis B conseillé.",
        skills: &["Mécanique automobile", "Électricité"],
        cert: Cert::Rncp("RNCP36229", 3),
        cpf: true,
        modalities: &[P],
        hours: 700,
        price_eur: 7_600,
        funding: &["france-travail", "region", "personnel"],
        rolling: false,
    },
    Template {
        key: "carrosserie",
        title: "CAP Carrossier automobile",
        summary: "Réparez et remettez en forme les carrosseries : diagnostic des dommages, redressage, remplacement d'éléments, préparation à la peinture.",
        intro: "Un métier manuel et précis, qui recrute dans tous les réseaux de réparation.",
        modules: &[
            "Diagnostic des dommages",
            "Dépose et repose d'éléments",
            "Redressage et soudure",
            "Préparation des surfaces",
            "Stage en carrosserie",
        ],
        jobs: &["carrossier", "préparateur en carrosserie"],
        objectives: &[
            "Diagnostiquer les dommages d'un véhicule.",
            "Réparer ou remplacer des éléments.",
            "Préparer une surface à la peinture.",
        ],
        prerequisites: "Aucun diplôme exigé.",
        skills: &["Carrosserie", "Mécanique automobile", "Soudure"],
        cert: Cert::Rncp("RNCP37418", 3),
        cpf: true,
        modalities: &[P],
        hours: 700,
        price_eur: 6_800,
        funding: &["france-travail", "region"],
        rolling: false,
    },
    // Santé et social
    Template {
        key: "as",
        title: "Diplôme d'État d'aide-soignant",
        summary: "Accompagnez les patients dans les gestes de la vie quotidienne et participez aux soins, à l'hôpital, en EHPAD ou à domicile. Formation de onze mois avec stages.",
        intro: "L'aide-soignant travaille au plus près des patients, au sein d'une équipe de soins. Un métier humain qui recrute partout en France.",
        modules: &[
            "Accompagnement dans les activités de la vie quotidienne",
            "Évaluation de l'état clinique",
            "Soins adaptés et gestes d'urgence",
            "Hygiène et prévention des infections",
            "Communication avec les patients et les proches",
            "Quatre stages cliniques",
        ],
        jobs: &["aide-soignant", "auxiliaire de soins"],
        objectives: &[
            "Accompagner une personne dans ses activités quotidiennes.",
            "Réaliser des soins adaptés à son état.",
            "Travailler en équipe pluriprofessionnelle.",
        ],
        prerequisites: "17 ans au moins ; sélection sur dossier et entretien ; vaccinations à jour.",
        skills: &[
            "Soins infirmiers",
            "Aide à la personne",
            "Accueil du public",
        ],
        cert: Cert::Rncp("RNCP35830", 4),
        cpf: true,
        modalities: &[P],
        hours: 1_540,
        price_eur: 6_900,
        funding: &["region", "france-travail", "employeur", "personnel"],
        rolling: false,
    },
    Template {
        key: "advf",
        title: "Titre professionnel Assistant de vie aux familles",
        summary: "Aidez les personnes âgées ou en situation de handicap et gardez les enfants à domicile : entretien du logement, repas, toilette, accompagnement.",
        intro: "Un métier d'utilité sociale, en forte demande, qui permet de travailler près de chez soi.",
        modules: &[
            "Entretien du logement et du linge",
            "Préparation des repas",
            "Accompagnement des personnes dépendantes",
            "Garde d'enfants à domicile",
            "Sauveteur secouriste du travail",
            "Stages en structure",
        ],
        jobs: &["assistant de vie", "aide à domicile", "auxiliaire de vie"],
        objectives: &[
            "Entretenir le logement et le linge d'un particulier.",
            "Accompagner une personne dans les actes du quotidien.",
            "Relayer les parents dans la prise en charge des enfants.",
        ],
        prerequisites: "Aucun diplôme exigé ; sens du contact et discrétion.",
        skills: &[
            "Aide à la personne",
            "Petite enfance",
            "Hygiène et sécurité alimentaire",
        ],
        cert: Cert::Rncp("RNCP34691", 3),
        cpf: true,
        modalities: &[P],
        hours: 805,
        price_eur: 5_200,
        funding: &["region", "france-travail", "opco"],
        rolling: false,
    },
    Template {
        key: "aepe",
        title: "CAP Accompagnant éducatif petite enfance",
        summary: "Accueillez et prenez soin des jeunes enfants en crèche, à l'école maternelle ou comme assistant maternel : soins, éveil, sécurité et relation avec les familles.",
        intro: "Une préparation au CAP pour adultes, avec des stages en crèche et en école maternelle.",
        modules: &[
            "Développement du jeune enfant",
            "Soins du quotidien",
            "Activités d'éveil",
            "Hygiène et sécurité",
            "Relation avec les familles",
            "Stages",
        ],
        jobs: &["auxiliaire de crèche", "ATSEM", "assistant maternel"],
        objectives: &[
            "Accompagner le développement du jeune enfant.",
            "Assurer les soins du quotidien.",
            "Travailler en équipe et avec les familles.",
        ],
        prerequisites: "Aucun diplôme exigé ; expérience auprès d'enfants appréciée.",
        skills: &["Petite enfance", "Aide à la personne", "Accueil du public"],
        cert: Cert::Rncp("RNCP38565", 3),
        cpf: true,
        modalities: &[P],
        hours: 560,
        price_eur: 4_300,
        funding: &["region", "france-travail", "personnel"],
        rolling: false,
    },
    Template {
        key: "sms",
        title: "Titre professionnel Secrétaire assistant médico-social",
        summary: "Accueillez les patients, gérez les rendez-vous et les dossiers médicaux, et assurez le secrétariat d'un cabinet, d'une clinique ou d'un établissement social.",
        intro: "À l'interface entre patients et soignants, le secrétaire médical organise et rassure.",
        modules: &[
            "Accueil physique et téléphonique",
            "Terminologie médicale",
            "Dossier patient et confidentialité",
            "Facturation et tiers payant",
            "Bureautique",
            "Stage",
        ],
        jobs: &["secrétaire médical", "assistant médico-administratif"],
        objectives: &[
            "Accueillir et orienter les patients.",
            "Gérer les dossiers et les rendez-vous.",
            "Assurer le suivi administratif des soins.",
        ],
        prerequisites: "Niveau bac ; aisance à l'écrit et avec l'ordinateur.",
        skills: &["Accueil du public", "Gestion administrative", "Bureautique"],
        cert: Cert::Rncp("RNCP36805", 4),
        cpf: true,
        modalities: &[P, H],
        hours: 780,
        price_eur: 6_400,
        funding: &["france-travail", "region", "personnel"],
        rolling: false,
    },
    Template {
        key: "ambulancier",
        title: "Diplôme d'État d'ambulancier",
        summary: "Transportez les patients en toute sécurité et réalisez les gestes d'urgence adaptés : quatre mois de formation avec stages en SMUR, en service de soins et en entreprise.",
        intro: "L'ambulancier est un professionnel de santé : il conduit, mais il soigne et il rassure aussi.",
        modules: &[
            "Gestes et soins d'urgence",
            "Hygiène et prévention des infections",
            "Ergonomie et manutention des patients",
            "Conduite et sécurité routière",
            "Stages cliniques et en entreprise",
        ],
        jobs: &["ambulancier"],
        objectives: &[
            "Prendre en charge un patient pendant son transport.",
            "Réaliser les gestes d'urgence.",
            "Assurer la sécurité du transport.",
        ],
        prerequisites: "Permis B depuis trois ans (deux en conduite accompagnée) ; attestation préfectorale d'aptitude.",
        skills: &[
            "Aide à la personne",
            "Transport routier",
            "Sauveteur secouriste du travail",
        ],
        cert: Cert::Rncp("RNCP36542", 3),
        cpf: true,
        modalities: &[P],
        hours: 556,
        price_eur: 4_900,
        funding: &["region", "france-travail", "personnel"],
        rolling: false,
    },
    Template {
        key: "gestes",
        title: "Gestes et postures : prévenir les troubles musculo-squelettiques en établissement de santé",
        summary: "Deux jours pour adopter les bons gestes lors des transferts et des manutentions de patients, et réduire les risques de troubles musculo-squelettiques.",
        intro: "Les TMS sont la première cause de maladie professionnelle chez les soignants. Une formation pratique, avec du matériel de transfert.",
        modules: &[
            "Anatomie et mécanismes des TMS",
            "Principes de sécurité physique",
            "Transferts et aides techniques",
            "Aménagement du poste",
            "Mises en situation",
        ],
        jobs: &[],
        objectives: &[
            "Identifier les situations à risque.",
            "Utiliser les aides techniques.",
            "Appliquer les bons gestes lors des transferts.",
        ],
        prerequisites: "Travailler en établissement de santé ou médico-social.",
        skills: &["Prévention des risques", "Aide à la personne"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 14,
        price_eur: 450,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    // Commerce
    Template {
        key: "vendeur",
        title: "Titre professionnel Vendeur conseil en magasin",
        summary: "Accueillez, conseillez et fidélisez la clientèle, tenez le rayon et réalisez vos objectifs de vente, en magasin spécialisé ou en grande surface.",
        intro: "Le vendeur conseil connaît ses produits et ses clients : il écoute, conseille et fait revenir.",
        modules: &[
            "Accueil et découverte du client",
            "Techniques de vente et argumentation",
            "Gestion du rayon et des stocks",
            "Vente omnicanale",
            "Encaissement et fidélisation",
            "Stage en magasin",
        ],
        jobs: &["vendeur conseil", "conseiller de vente"],
        objectives: &[
            "Conseiller un client et conclure une vente.",
            "Développer la fidélité de la clientèle.",
            "Contribuer à la tenue du point de vente.",
        ],
        prerequisites: "Aucun diplôme exigé ; goût du contact.",
        skills: &["Vente", "Relation client", "Accueil du public"],
        cert: Cert::Rncp("RNCP37098", 4),
        cpf: true,
        modalities: &[P],
        hours: 525,
        price_eur: 4_700,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "ntc",
        title: "Titre professionnel Négociateur technico-commercial",
        summary: "Prospectez, négociez et développez un portefeuille de clients professionnels pour des produits ou services techniques. Niveau bac+2.",
        intro: "Entre l'ingénieur et le commercial, le technico-commercial comprend les besoins techniques de ses clients et construit des offres sur mesure.",
        modules: &[
            "Stratégie commerciale et veille",
            "Prospection multicanale",
            "Négociation et closing",
            "Gestion d'un portefeuille clients",
            "CRM et reporting",
        ],
        jobs: &["technico-commercial", "chargé d'affaires", "commercial B2B"],
        objectives: &[
            "Élaborer une stratégie de prospection.",
            "Négocier une solution technique adaptée.",
            "Suivre et développer un portefeuille.",
        ],
        prerequisites: "Niveau bac ; expérience commerciale ou technique appréciée.",
        skills: &["Négociation commerciale", "Vente", "Relation client"],
        cert: Cert::Rncp("RNCP34079", 5),
        cpf: true,
        modalities: &[H, P],
        hours: 600,
        price_eur: 6_100,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "mkt",
        title: "Marketing digital et réseaux sociaux",
        summary: "Construisez une stratégie de marketing digital efficace : référencement, réseaux sociaux, e-mailing, publicité en ligne et mesure des résultats.",
        intro: "Pour les entrepreneurs, commerciaux et chargés de communication qui veulent rendre leur présence en ligne rentable.",
        modules: &[
            "Stratégie digitale et persona",
            "Référencement naturel (SEO)",
            "Réseaux sociaux et contenus",
            "Publicité en ligne",
            "Mesure et tableaux de bord",
        ],
        jobs: &["chargé de marketing digital", "traffic manager"],
        objectives: &[
            "Définir une stratégie digitale.",
            "Animer les canaux en ligne.",
            "Mesurer et optimiser les résultats.",
        ],
        prerequisites: "Aisance avec les outils numériques.",
        skills: &[
            "Marketing digital",
            "Community management",
            "Référencement web (SEO)",
        ],
        cert: Cert::Rs("RS6118"),
        cpf: true,
        modalities: &[D],
        hours: 70,
        price_eur: 2_400,
        funding: &["opco", "personnel"],
        rolling: true,
    },
    Template {
        key: "cm",
        title: "Community manager",
        summary: "Animez les communautés d'une marque sur les réseaux sociaux : ligne éditoriale, création de contenus, modération, veille et statistiques.",
        intro: "Le community manager est la voix de la marque en ligne : il crée, publie, répond et mesure.",
        modules: &[
            "Stratégie social media",
            "Ligne éditoriale et calendrier",
            "Création visuelle et vidéo",
            "Modération et gestion de crise",
            "Statistiques et reporting",
            "Projet pour un client réel",
        ],
        jobs: &["community manager", "social media manager"],
        objectives: &[
            "Élaborer une stratégie de présence sur les réseaux.",
            "Créer et publier des contenus.",
            "Animer et modérer une communauté.",
        ],
        prerequisites: "Niveau bac ; bonne orthographe ; pratique des réseaux sociaux.",
        skills: &[
            "Community management",
            "Marketing digital",
            "Conception graphique",
        ],
        cert: Cert::Rncp("RNCP37821", 5),
        cpf: true,
        modalities: &[H, D],
        hours: 400,
        price_eur: 5_500,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "mum",
        title: "Titre professionnel Manager d'unité marchande",
        summary: "Pilotez un magasin ou un rayon : gestion commerciale, animation de l'équipe, tenue des comptes et des stocks, expérience client.",
        intro: "Pour les vendeurs expérimentés et les futurs responsables de magasin qui veulent prendre en main une équipe et un compte d'exploitation.",
        modules: &[
            "Gestion de l'offre et des stocks",
            "Analyse des performances commerciales",
            "Management et planning de l'équipe",
            "Recrutement et intégration",
            "Expérience client omnicanale",
        ],
        jobs: &[
            "responsable de magasin",
            "manager de rayon",
            "chef de secteur",
        ],
        objectives: &[
            "Développer la dynamique commerciale d'une unité marchande.",
            "Optimiser sa performance économique.",
            "Manager l'équipe.",
        ],
        prerequisites: "Expérience dans la vente ou niveau bac.",
        skills: &["Animation d'équipe", "Vente", "Gestion des stocks"],
        cert: Cert::Rncp("RNCP37110", 5),
        cpf: true,
        modalities: &[P, H],
        hours: 800,
        price_eur: 6_900,
        funding: &["opco", "france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "crcd",
        title: "Titre professionnel Conseiller relation client à distance",
        summary: "Préparation à l'emploi financée : conseillez et fidélisez les clients par téléphone, chat et courriel. Des entreprises partenaires recrutent à l'issue. Gratuit.",
        intro: "Banque, énergie, télécoms : les centres de relation client recrutent toute l'année. Cette formation est montée avec des employeurs du territoire.",
        modules: &[
            "Écoute active et reformulation",
            "Traitement des réclamations",
            "Vente additionnelle",
            "Outils CRM et multicanal",
            "Stage en centre de relation client",
        ],
        jobs: &[
            "conseiller clientèle",
            "téléconseiller",
            "chargé d'assistance",
        ],
        objectives: &[
            "Traiter une demande client à distance.",
            "Réaliser des actions de vente et de fidélisation.",
            "Utiliser les outils de relation client.",
        ],
        prerequisites: "Être inscrit à France Travail ; aisance à l'oral.",
        skills: &["Relation client", "Bureautique", "Vente"],
        cert: Cert::Rncp("RNCP37117", 4),
        cpf: false,
        modalities: &[P],
        hours: 420,
        price_eur: 0,
        funding: &["france-travail"],
        rolling: false,
    },
    Template {
        key: "immo",
        title: "Négociateur immobilier",
        summary: "Rentrez des mandats, faites visiter, négociez et accompagnez vos clients jusqu'à la signature : les bases juridiques et commerciales du métier.",
        intro: "Agent commercial ou salarié d'agence, le négociateur immobilier est payé au résultat : une formation concrète pour bien démarrer.",
        modules: &[
            "Droit immobilier et loi Hoguet",
            "Estimation d'un bien",
            "Prospection et prise de mandat",
            "Visite et négociation",
            "Du compromis à l'acte authentique",
        ],
        jobs: &["négociateur immobilier", "agent commercial en immobilier"],
        objectives: &[
            "Estimer un bien et rentrer un mandat.",
            "Conduire une négociation.",
            "Sécuriser juridiquement une vente.",
        ],
        prerequisites: "Aucun diplôme exigé ; permis B conseillé.",
        skills: &["Immobilier", "Négociation commerciale", "Relation client"],
        cert: Cert::Rs("RS5819"),
        cpf: true,
        modalities: &[H, D],
        hours: 140,
        price_eur: 2_900,
        funding: &["personnel", "france-travail"],
        rolling: false,
    },
    Template {
        key: "banque",
        title: "Conseiller clientèle bancaire et assurance en alternance",
        summary: "Un an en alternance dans une agence bancaire : accueillez, conseillez et équipez une clientèle de particuliers en produits bancaires et d'assurance. Rémunéré.",
        intro: "Formation en alternance, gratuite et rémunérée, avec un réseau bancaire partenaire qui vous accueille en agence.",
        modules: &[
            "Environnement bancaire et réglementation",
            "Produits bancaires et d'assurance",
            "Entretien client et découverte des besoins",
            "Conformité et lutte anti-blanchiment",
            "Missions en agence",
        ],
        jobs: &["conseiller clientèle", "chargé d'accueil bancaire"],
        objectives: &[
            "Accueillir et conseiller un client particulier.",
            "Proposer des produits adaptés.",
            "Respecter les règles de conformité.",
        ],
        prerequisites: "Bac validé ; avoir moins de 30 ans pour l'apprentissage (sans limite en contrat de professionnalisation).",
        skills: &["Banque et assurance", "Relation client", "Vente"],
        cert: Cert::Rncp("RNCP38400", 5),
        cpf: false,
        modalities: &[P],
        hours: 500,
        price_eur: 0,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "esthetique",
        title: "CAP Esthétique cosmétique parfumerie",
        summary: "Soins du visage et du corps, maquillage, épilation, manucure et conseil en produits : préparez le CAP en un an, en institut école.",
        intro: "Une formation pratique en institut école pour exercer en institut, en spa ou en parfumerie.",
        modules: &[
            "Soins du visage",
            "Épilation",
            "Maquillage",
            "Beauté des mains et des pieds",
            "Conseil et vente de produits",
            "Stages en institut",
        ],
        jobs: &["esthéticienne", "conseillère en parfumerie"],
        objectives: &[
            "Réaliser les soins esthétiques courants.",
            "Conseiller et vendre des produits.",
            "Accueillir la clientèle.",
        ],
        prerequisites: "Aucun diplôme exigé.",
        skills: &["Esthétique", "Relation client", "Vente"],
        cert: Cert::Rncp("RNCP37436", 3),
        cpf: true,
        modalities: &[P],
        hours: 800,
        price_eur: 5_900,
        funding: &["personnel", "france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "coiffure",
        title: "CAP Métiers de la coiffure",
        summary: "Coupe, couleur, mise en forme et conseil : préparez le CAP de coiffure en un an, avec de nombreuses heures de pratique sur modèles.",
        intro: "Pour les adultes en reconversion qui veulent exercer en salon ou à domicile.",
        modules: &[
            "Coupes femme et homme",
            "Coloration et effets de couleur",
            "Mise en forme",
            "Hygiène et sécurité",
            "Accueil et conseil",
            "Stages en salon",
        ],
        jobs: &["coiffeur", "coiffeur à domicile"],
        objectives: &[
            "Réaliser coupes, couleurs et coiffages.",
            "Conseiller la clientèle.",
            "Respecter les règles d'hygiène.",
        ],
        prerequisites: "Aucun diplôme exigé.",
        skills: &["Coiffure", "Relation client"],
        cert: Cert::Rncp("RNCP37410", 3),
        cpf: true,
        modalities: &[P],
        hours: 800,
        price_eur: 6_200,
        funding: &["personnel", "france-travail", "region"],
        rolling: false,
    },
    // Gestion, comptabilité, ressources humaines
    Template {
        key: "ca",
        title: "Titre professionnel Comptable assistant",
        summary: "Tenez la comptabilité courante d'une entreprise : saisie, rapprochements, TVA, paie simple et travaux de fin d'année, sur les logiciels du marché.",
        intro: "Toutes les entreprises ont besoin de comptables : un métier stable, exercé en cabinet ou en entreprise.",
        modules: &[
            "Comptabilité générale",
            "Opérations courantes et rapprochements",
            "Déclarations de TVA",
            "Préparation de la paie",
            "Travaux d'inventaire",
            "Logiciels comptables et tableur",
        ],
        jobs: &[
            "comptable assistant",
            "aide-comptable",
            "assistant de cabinet",
        ],
        objectives: &[
            "Assurer les travaux courants de comptabilité.",
            "Préparer la paie et les déclarations sociales.",
            "Préparer la fin d'exercice.",
        ],
        prerequisites: "Niveau bac ; aisance avec les chiffres.",
        skills: &["Comptabilité", "Bureautique", "Gestion administrative"],
        cert: Cert::Rncp("RNCP37641", 4),
        cpf: true,
        modalities: &[P, H, D],
        hours: 700,
        price_eur: 6_300,
        funding: &["france-travail", "region", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "gcf",
        title: "Titre professionnel Gestionnaire comptable et fiscal",
        summary: "Arrêtez les comptes, établissez les déclarations fiscales et analysez la situation financière d'une entreprise. Niveau bac+2.",
        intro: "Pour les comptables qui veulent prendre en charge un dossier complet, de la saisie au bilan.",
        modules: &[
            "Arrêté des comptes annuels",
            "Fiscalité des entreprises",
            "Analyse financière",
            "Prévisionnel et budget",
            "Logiciels de production comptable",
        ],
        jobs: &[
            "comptable unique",
            "collaborateur de cabinet",
            "gestionnaire comptable",
        ],
        objectives: &[
            "Arrêter et présenter les comptes annuels.",
            "Établir les déclarations fiscales.",
            "Analyser la situation financière.",
        ],
        prerequisites: "Titre de comptable assistant, bac pro ou expérience en comptabilité.",
        skills: &["Comptabilité", "Contrôle de gestion", "Bureautique"],
        cert: Cert::Rncp("RNCP38190", 5),
        cpf: true,
        modalities: &[H, D],
        hours: 800,
        price_eur: 7_400,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "paie",
        title: "Titre professionnel Gestionnaire de paie",
        summary: "Établissez les bulletins de paie et les déclarations sociales, appliquez le droit du travail et les conventions collectives, et conseillez salariés et managers.",
        intro: "Les gestionnaires de paie sont rares et recherchés : un métier technique, au cœur des ressources humaines.",
        modules: &[
            "Droit du travail appliqué",
            "Éléments du bulletin de paie",
            "Absences, congés et entrées-sorties",
            "Déclaration sociale nominative",
            "Logiciels de paie",
        ],
        jobs: &["gestionnaire de paie", "technicien paie", "assistant RH"],
        objectives: &[
            "Assurer la tenue du dossier social d'un salarié.",
            "Établir les bulletins de paie.",
            "Produire les déclarations sociales.",
        ],
        prerequisites: "Niveau bac+2 ou expérience en comptabilité ou en ressources humaines.",
        skills: &["Paie", "Droit du travail", "Ressources humaines"],
        cert: Cert::Rncp("RNCP35757", 5),
        cpf: true,
        modalities: &[H, D, P],
        hours: 720,
        price_eur: 6_800,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "sa",
        title: "Titre professionnel Secrétaire assistant",
        summary: "Assurez le secrétariat, l'accueil et le suivi administratif d'une équipe : courriers, agendas, dossiers du personnel, commandes et factures.",
        intro: "Polyvalent et organisé, le secrétaire assistant est le point de repère d'une équipe.",
        modules: &[
            "Traitement de texte et tableur",
            "Accueil et communication",
            "Organisation des agendas et réunions",
            "Suivi administratif des achats et ventes",
            "Administration du personnel",
            "Stage",
        ],
        jobs: &["secrétaire", "assistant administratif", "agent d'accueil"],
        objectives: &[
            "Assister une équipe dans la communication des informations.",
            "Traiter les opérations administratives.",
            "Assurer le suivi du personnel.",
        ],
        prerequisites: "Niveau 3e ; bonne expression écrite.",
        skills: &["Gestion administrative", "Bureautique", "Accueil du public"],
        cert: Cert::Rncp("RNCP36804", 4),
        cpf: true,
        modalities: &[P, H],
        hours: 700,
        price_eur: 5_600,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "adir",
        title: "Titre professionnel Assistant de direction",
        summary: "Secondez un dirigeant : organisation, communication écrite et orale, préparation des décisions, suivi des projets et des dossiers en français et en anglais.",
        intro: "Bras droit du dirigeant, l'assistant de direction anticipe, organise et représente.",
        modules: &[
            "Organisation de l'activité du dirigeant",
            "Communication écrite et orale",
            "Gestion de projets et d'événements",
            "Anglais professionnel",
            "Outils collaboratifs",
        ],
        jobs: &["assistant de direction", "office manager"],
        objectives: &[
            "Organiser l'activité d'un dirigeant.",
            "Communiquer en français et en anglais.",
            "Piloter des projets transverses.",
        ],
        prerequisites: "Bac ; expérience de secrétariat appréciée ; anglais niveau B1.",
        skills: &[
            "Assistance de direction",
            "Gestion administrative",
            "Bureautique",
            "Anglais professionnel",
        ],
        cert: Cert::Rncp("RNCP35379", 5),
        cpf: true,
        modalities: &[P, H],
        hours: 770,
        price_eur: 6_600,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "excel",
        title: "Excel : tableaux croisés dynamiques et automatisation",
        summary: "Gagnez des heures chaque semaine : fonctions avancées, tableaux croisés dynamiques, Power Query et premières macros, avec la certification TOSA.",
        intro: "Une formation pratique sur vos propres fichiers, pour passer de l'utilisation quotidienne à la maîtrise.",
        modules: &[
            "Fonctions de recherche et conditionnelles",
            "Tableaux croisés dynamiques",
            "Graphiques et tableaux de bord",
            "Importer et nettoyer avec Power Query",
            "Automatiser avec des macros",
        ],
        jobs: &[],
        objectives: &[
            "Analyser des données avec les tableaux croisés dynamiques.",
            "Construire un tableau de bord.",
            "Automatiser des tâches répétitives.",
        ],
        prerequisites: "Pratique courante d'Excel.",
        skills: &["Bureautique", "Analyse de données"],
        cert: Cert::Rs("RS5252"),
        cpf: true,
        modalities: &[D, P],
        hours: 14,
        price_eur: 490,
        funding: &["opco", "personnel"],
        rolling: true,
    },
    Template {
        key: "arh",
        title: "Titre professionnel Assistant ressources humaines",
        summary: "Gérez l'administration du personnel, participez au recrutement et à la formation, et veillez au respect du droit du travail dans l'entreprise.",
        intro: "Entre administratif et humain, l'assistant RH accompagne les salariés tout au long de leur parcours.",
        modules: &[
            "Administration du personnel",
            "Droit du travail",
            "Recrutement et intégration",
            "Plan de développement des compétences",
            "Éléments de paie",
            "Stage",
        ],
        jobs: &[
            "assistant RH",
            "chargé de recrutement junior",
            "gestionnaire formation",
        ],
        objectives: &[
            "Assurer l'administration du personnel.",
            "Mettre en œuvre les processus de recrutement et de formation.",
            "Appliquer le droit du travail.",
        ],
        prerequisites: "Bac ; aisance rédactionnelle ; discrétion.",
        skills: &[
            "Ressources humaines",
            "Recrutement",
            "Droit du travail",
            "Paie",
        ],
        cert: Cert::Rncp("RNCP35030", 5),
        cpf: true,
        modalities: &[H, D],
        hours: 600,
        price_eur: 5_800,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "manager",
        title: "Manager une équipe : réussir sa prise de poste",
        summary: "Trois jours pour trouver sa posture de manager : fixer des objectifs, déléguer, conduire les entretiens et gérer les situations difficiles.",
        intro: "Passer de collègue à manager s'apprend. Une formation entre pairs, très pratique, avec des mises en situation filmées.",
        modules: &[
            "Rôle et posture du manager",
            "Fixer des objectifs et déléguer",
            "Conduire les entretiens",
            "Motiver et reconnaître",
            "Gérer les tensions et les conflits",
        ],
        jobs: &[],
        objectives: &[
            "Adopter une posture de manager.",
            "Organiser le travail de l'équipe.",
            "Conduire un entretien difficile.",
        ],
        prerequisites: "Encadrer une équipe depuis moins de deux ans, ou s'y préparer.",
        skills: &[
            "Animation d'équipe",
            "Gestion de projet",
            "Ressources humaines",
        ],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 21,
        price_eur: 1_390,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "agile",
        title: "Gestion de projet agile : Scrum et Kanban",
        summary: "Pilotez vos projets en agile : rôles, cérémonies, backlog, estimation et indicateurs, avec une simulation de projet sur trois sprints.",
        intro: "Pour les chefs de projet, product owners et membres d'équipe qui veulent mettre l'agilité en pratique, au-delà du vocabulaire.",
        modules: &[
            "Les valeurs et principes agiles",
            "Scrum : rôles, artefacts, cérémonies",
            "Kanban et flux",
            "Backlog, user stories et estimation",
            "Simulation sur trois sprints",
        ],
        jobs: &[],
        objectives: &[
            "Organiser un projet en itérations.",
            "Animer les cérémonies Scrum.",
            "Suivre l'avancement avec des indicateurs simples.",
        ],
        prerequisites: "Participer à des projets.",
        skills: &["Gestion de projet", "Méthodes agiles"],
        cert: Cert::Rs("RS6032"),
        cpf: true,
        modalities: &[D, P],
        hours: 21,
        price_eur: 1_290,
        funding: &["opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "fpa",
        title: "Titre professionnel Formateur professionnel d'adultes",
        summary: "Concevez et animez des formations pour adultes, en présentiel et à distance, accompagnez les parcours et évaluez les acquis.",
        intro: "Transmettre son métier : une reconversion fréquente pour les professionnels expérimentés.",
        modules: &[
            "Ingénierie pédagogique",
            "Animation en présentiel",
            "Formation à distance et outils numériques",
            "Évaluation des acquis",
            "Accompagnement des parcours",
            "Stage en organisme",
        ],
        jobs: &["formateur", "concepteur pédagogique"],
        objectives: &[
            "Préparer et animer des actions de formation.",
            "Construire des parcours individualisés.",
            "Accompagner les apprenants.",
        ],
        prerequisites: "Expérience professionnelle d'au moins trois ans dans un métier.",
        skills: &[
            "Formation de formateurs",
            "Animation d'équipe",
            "Gestion de projet",
        ],
        cert: Cert::Rncp("RNCP37275", 5),
        cpf: true,
        modalities: &[H, P],
        hours: 800,
        price_eur: 7_100,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    // Transport et logistique
    Template {
        key: "caces",
        title: "CACES R489 chariots élévateurs, catégories 1, 3 et 5",
        summary: "Cinq jours pour conduire en sécurité les chariots élévateurs en entrepôt et obtenir le CACES R489 : théorie, pratique et tests.",
        intro: "Le CACES est demandé par quasiment tous les employeurs de la logistique. Plateau technique avec chariots de chaque catégorie.",
        modules: &[
            "Réglementation et responsabilités",
            "Technologie des chariots",
            "Règles de circulation et de stockage",
            "Pratique de conduite",
            "Tests théoriques et pratiques",
        ],
        jobs: &["cariste", "préparateur de commandes"],
        objectives: &[
            "Conduire un chariot en sécurité.",
            "Charger, déplacer et stocker des charges.",
            "Obtenir le CACES R489.",
        ],
        prerequisites: "18 ans ; aptitude médicale.",
        skills: &[
            "Conduite de chariots élévateurs (CACES)",
            "Logistique",
            "Prévention des risques",
        ],
        cert: Cert::Rs("RS5161"),
        cpf: true,
        modalities: &[P],
        hours: 35,
        price_eur: 990,
        funding: &["opco", "france-travail", "personnel"],
        rolling: false,
    },
    Template {
        key: "prep",
        title: "Titre professionnel Préparateur de commandes en entrepôt",
        summary: "Préparez, contrôlez et expédiez les commandes en entrepôt, CACES compris. Formation financée, avec des entreprises qui recrutent à la sortie.",
        intro: "Le commerce en ligne a fait exploser les besoins en préparateurs : une formation courte pour un emploi rapide.",
        modules: &[
            "Réception et stockage",
            "Préparation de commandes",
            "Emballage et expédition",
            "Outils informatiques d'entrepôt",
            "CACES R489",
            "Stage en entrepôt",
        ],
        jobs: &["préparateur de commandes", "agent logistique"],
        objectives: &[
            "Préparer des commandes dans les délais.",
            "Conduire un chariot en sécurité.",
            "Utiliser les outils de l'entrepôt.",
        ],
        prerequisites: "Aucun diplôme exigé ; aptitude médicale à la conduite de chariots.",
        skills: &[
            "Logistique",
            "Gestion des stocks",
            "Conduite de chariots élévateurs (CACES)",
        ],
        cert: Cert::Rncp("RNCP38413", 3),
        cpf: false,
        modalities: &[P],
        hours: 350,
        price_eur: 0,
        funding: &["region", "france-travail"],
        rolling: false,
    },
    Template {
        key: "magasinier",
        title: "Titre professionnel Agent magasinier",
        summary: "Réceptionnez, stockez et distribuez les marchandises, tenez les inventaires et les stocks dans l'outil informatique. CACES inclus.",
        intro: "Le magasinier est le gardien des stocks : rigueur et organisation sont ses qualités.",
        modules: &[
            "Réception et contrôle",
            "Stockage et inventaires",
            "Préparation et distribution",
            "Logiciel de gestion d'entrepôt",
            "CACES R489",
            "Stage",
        ],
        jobs: &["magasinier", "gestionnaire de stocks"],
        objectives: &[
            "Réceptionner et stocker des marchandises.",
            "Tenir les stocks et les inventaires.",
            "Préparer et distribuer des commandes.",
        ],
        prerequisites: "Aucun diplôme exigé.",
        skills: &[
            "Gestion des stocks",
            "Logistique",
            "Conduite de chariots élévateurs (CACES)",
        ],
        cert: Cert::Rncp("RNCP38416", 3),
        cpf: true,
        modalities: &[P],
        hours: 500,
        price_eur: 4_600,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "tsmel",
        title: "Technicien supérieur en méthodes et exploitation logistique",
        summary: "Organisez les flux d'un entrepôt ou d'une plateforme : méthodes, indicateurs, gestion d'équipe et amélioration continue. Niveau bac+2.",
        intro: "Pour encadrer une équipe logistique et optimiser les flux d'un site.",
        modules: &[
            "Organisation des flux",
            "Méthodes et ordonnancement",
            "Indicateurs de performance",
            "Management d'équipe",
            "Transport et douane",
            "Stage",
        ],
        jobs: &[
            "chef d'équipe logistique",
            "responsable d'exploitation",
            "technicien méthodes logistique",
        ],
        objectives: &[
            "Organiser l'activité d'un site logistique.",
            "Piloter la performance.",
            "Encadrer une équipe.",
        ],
        prerequisites: "Bac ou expérience en logistique.",
        skills: &[
            "Logistique",
            "Gestion des stocks",
            "Gestion de projet",
            "Transport routier",
        ],
        cert: Cert::Rncp("RNCP34858", 5),
        cpf: true,
        modalities: &[P],
        hours: 800,
        price_eur: 7_300,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "fimo",
        title: "FIMO transport de marchandises",
        summary: "La formation initiale minimale obligatoire pour conduire un poids lourd à titre professionnel : conduite rationnelle, réglementation, sécurité et santé.",
        intro: "Obligatoire pour les conducteurs de poids lourds titulaires du permis C ou CE qui débutent dans le métier.",
        modules: &[
            "Conduite rationnelle et économique",
            "Réglementation sociale européenne",
            "Chargement et arrimage",
            "Santé et sécurité routière",
            "Image de marque de l'entreprise",
        ],
        jobs: &["conducteur routier", "chauffeur poids lourd"],
        objectives: &[
            "Conduire de façon sûre et économique.",
            "Appliquer la réglementation.",
            "Prévenir les risques.",
        ],
        prerequisites: "Permis C ou CE en cours de validité.",
        skills: &["Transport routier", "Prévention des risques"],
        cert: Cert::Rs("RS5082"),
        cpf: true,
        modalities: &[P],
        hours: 140,
        price_eur: 2_800,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "ctr",
        title: "Titre professionnel Conducteur du transport routier de marchandises sur porteur",
        summary: "Passez le permis C et la FIMO en une formation : conduite, chargement, livraisons et relation avec les clients.",
        intro: "Les transporteurs recrutent : cette formation mène au permis C et au titre professionnel.",
        modules: &[
            "Permis C",
            "Conduite rationnelle",
            "Chargement et arrimage",
            "Livraison et documents de transport",
            "Stage en entreprise",
        ],
        jobs: &["conducteur porteur", "chauffeur livreur poids lourd"],
        objectives: &[
            "Obtenir le permis C.",
            "Réaliser des livraisons en sécurité.",
            "Respecter la réglementation du transport.",
        ],
        prerequisites: "Permis B ; aptitude médicale.",
        skills: &["Transport routier", "Logistique"],
        cert: Cert::Rncp("RNCP35307", 3),
        cpf: true,
        modalities: &[P],
        hours: 420,
        price_eur: 6_900,
        funding: &["france-travail", "region"],
        rolling: false,
    },
    // Hôtellerie et restauration
    Template {
        key: "cuisinier",
        title: "Titre professionnel Cuisinier",
        summary: "Réalisez entrées, plats et desserts en restauration traditionnelle ou collective, dans le respect des règles d'hygiène : cuisine pédagogique et stage.",
        intro: "Une formation au rythme d'une vraie brigade, dans notre cuisine pédagogique ouverte au public le midi.",
        modules: &[
            "Techniques de base et fonds de cuisine",
            "Entrées, plats et desserts",
            "Hygiène et HACCP",
            "Organisation du poste et approvisionnement",
            "Service du restaurant d'application",
            "Stage en restaurant",
        ],
        jobs: &[
            "cuisinier",
            "commis de cuisine",
            "cuisinier en collectivité",
        ],
        objectives: &[
            "Préparer et dresser des plats.",
            "Organiser son poste de travail.",
            "Appliquer les règles d'hygiène.",
        ],
        prerequisites: "Aucun diplôme exigé ; aptitude au travail debout et en horaires décalés.",
        skills: &["Cuisine", "Hygiène et sécurité alimentaire", "Pâtisserie"],
        cert: Cert::Rncp("RNCP34633", 3),
        cpf: true,
        modalities: &[P],
        hours: 700,
        price_eur: 6_900,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "serveur",
        title: "Titre professionnel Serveur en restauration",
        summary: "Accueillez les clients, prenez les commandes, servez en salle et au bar, conseillez vins et mets : formation en restaurant d'application.",
        intro: "Le service en salle fait la réputation d'un restaurant : un métier de contact qui recrute toute l'année.",
        modules: &[
            "Mise en place et accueil",
            "Prise de commande et service",
            "Bar et boissons",
            "Conseil en vins",
            "Anglais du service",
            "Stage",
        ],
        jobs: &["serveur", "chef de rang", "barman"],
        objectives: &[
            "Accueillir et servir la clientèle.",
            "Assurer le service au bar.",
            "Conseiller les clients.",
        ],
        prerequisites: "Aucun diplôme exigé ; bonne présentation.",
        skills: &[
            "Service en salle",
            "Relation client",
            "Anglais professionnel",
        ],
        cert: Cert::Rncp("RNCP35402", 3),
        cpf: true,
        modalities: &[P],
        hours: 500,
        price_eur: 4_900,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    Template {
        key: "haccp",
        title: "Hygiène alimentaire en restauration commerciale (HACCP)",
        summary: "La formation obligatoire de deux jours pour ouvrir ou reprendre un restaurant : réglementation, dangers alimentaires et plan de maîtrise sanitaire.",
        intro: "Obligatoire pour au moins une personne de chaque établissement de restauration commerciale.",
        modules: &[
            "Réglementation et contrôles officiels",
            "Dangers microbiologiques",
            "Méthode HACCP",
            "Plan de maîtrise sanitaire",
            "Cas pratiques",
        ],
        jobs: &[],
        objectives: &[
            "Identifier les dangers alimentaires.",
            "Mettre en place les bonnes pratiques.",
            "Rédiger un plan de maîtrise sanitaire.",
        ],
        prerequisites: "Aucun.",
        skills: &["Hygiène et sécurité alimentaire", "Cuisine"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 14,
        price_eur: 350,
        funding: &["opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "patissier",
        title: "CAP Pâtissier en un an",
        summary: "Pâtes, crèmes, entremets, viennoiseries et chocolat : préparez le CAP Pâtissier en un an pour adultes, en laboratoire professionnel.",
        intro: "Une reconversion gourmande et exigeante, encadrée par des pâtissiers en activité.",
        modules: &[
            "Pâtes de base",
            "Crèmes et garnitures",
            "Entremets et petits gâteaux",
            "Viennoiseries",
            "Chocolat et décors",
            "Stage en pâtisserie",
        ],
        jobs: &["pâtissier", "commis pâtissier"],
        objectives: &[
            "Réaliser les produits de pâtisserie de base.",
            "Organiser sa production.",
            "Respecter les règles d'hygiène.",
        ],
        prerequisites: "Aucun diplôme exigé.",
        skills: &[
            "Pâtisserie",
            "Hygiène et sécurité alimentaire",
            "Boulangerie",
        ],
        cert: Cert::Rncp("RNCP37859", 3),
        cpf: true,
        modalities: &[P],
        hours: 800,
        price_eur: 7_800,
        funding: &["personnel", "france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "boulanger",
        title: "CAP Boulanger en reconversion",
        summary: "Pétrissage, façonnage, fermentation, cuisson : apprenez à fabriquer pains et viennoiseries et préparez le CAP Boulanger en dix mois.",
        intro: "Un métier d'artisan, où l'on peut s'installer à son compte après quelques années d'expérience.",
        modules: &[
            "Farines et pétrissage",
            "Façonnage et fermentation",
            "Pains courants et spéciaux",
            "Viennoiseries",
            "Gestion de la production",
            "Stage en boulangerie",
        ],
        jobs: &["boulanger", "ouvrier boulanger"],
        objectives: &[
            "Fabriquer des pains et des viennoiseries.",
            "Gérer une production quotidienne.",
            "Appliquer les règles d'hygiène.",
        ],
        prerequisites: "Aucun diplôme exigé ; horaires de nuit acceptés.",
        skills: &[
            "Boulangerie",
            "Pâtisserie",
            "Hygiène et sécurité alimentaire",
        ],
        cert: Cert::Rncp("RNCP37857", 3),
        cpf: true,
        modalities: &[P],
        hours: 760,
        price_eur: 7_500,
        funding: &["personnel", "france-travail", "region"],
        rolling: false,
    },
    Template {
        key: "reception",
        title: "Titre professionnel Réceptionniste en hôtellerie",
        summary: "Accueillez les clients en français et en anglais, gérez réservations, arrivées, départs et facturation avec un logiciel hôtelier.",
        intro: "Premier et dernier contact du client, le réceptionniste fait l'image de l'hôtel.",
        modules: &[
            "Accueil et communication",
            "Réservations et logiciel hôtelier",
            "Arrivées, départs et facturation",
            "Anglais de la réception",
            "Vente de prestations",
            "Stage en hôtel",
        ],
        jobs: &["réceptionniste", "night auditor", "agent de réservation"],
        objectives: &[
            "Accueillir et informer les clients.",
            "Gérer les réservations et la facturation.",
            "Communiquer en anglais.",
        ],
        prerequisites: "Niveau bac ; anglais niveau A2 au moins.",
        skills: &[
            "Hôtellerie",
            "Accueil du public",
            "Anglais professionnel",
            "Tourisme",
        ],
        cert: Cert::Rncp("RNCP37277", 4),
        cpf: true,
        modalities: &[P],
        hours: 550,
        price_eur: 5_300,
        funding: &["france-travail", "region", "opco"],
        rolling: false,
    },
    // Langues
    Template {
        key: "toeic",
        title: "Anglais professionnel : préparation au TOEIC",
        summary: "Progressez en anglais professionnel avec un formateur et préparez le TOEIC à votre rythme : cours individuels en visio et plateforme en ligne.",
        intro: "Un parcours individualisé après un test de niveau : vous avancez sur les situations de votre métier.",
        modules: &[
            "Test de positionnement",
            "Compréhension orale et écrite",
            "Réunions, appels et courriels",
            "Grammaire et vocabulaire professionnels",
            "Entraînement au TOEIC",
        ],
        jobs: &[],
        objectives: &[
            "Communiquer en anglais dans son activité professionnelle.",
            "Gagner un niveau du cadre européen.",
            "Obtenir un score au TOEIC.",
        ],
        prerequisites: "Niveau A1 au moins.",
        skills: &["Anglais professionnel", "Relation client"],
        cert: Cert::Rs("RS6190"),
        cpf: true,
        modalities: &[D, H],
        hours: 40,
        price_eur: 1_500,
        funding: &["opco", "personnel"],
        rolling: true,
    },
    Template {
        key: "fle",
        title: "Français langue étrangère : objectif emploi (niveau B1)",
        summary: "Améliorez votre français pour travailler : échanges avec les collègues et les clients, écrits professionnels, entretien d'embauche. Gratuit pour les demandeurs d'emploi.",
        intro: "Un parcours financé par la Région pour les personnes dont le français n'est pas la langue maternelle et qui cherchent un emploi.",
        modules: &[
            "Comprendre et se faire comprendre au travail",
            "Écrits du quotidien professionnel",
            "Vocabulaire des métiers",
            "Préparer un entretien d'embauche",
            "Certification de niveau",
        ],
        jobs: &[],
        objectives: &[
            "Communiquer à l'oral en situation professionnelle.",
            "Rédiger des écrits simples.",
            "Valider le niveau B1.",
        ],
        prerequisites: "Niveau A2 à l'oral ; être inscrit à France Travail.",
        skills: &["Français langue étrangère", "Accueil du public"],
        cert: Cert::Rs("RS5991"),
        cpf: true,
        modalities: &[P],
        hours: 180,
        price_eur: 0,
        funding: &["region", "france-travail"],
        rolling: true,
    },
    Template {
        key: "lsf",
        title: "Langue des signes française : niveau A1",
        summary: "Apprenez les bases de la langue des signes française pour échanger avec des personnes sourdes dans votre vie professionnelle : accueil, présentation, questions simples.",
        intro: "Cours animés par des formateurs sourds, en petit groupe, pour une immersion réelle dans la langue.",
        modules: &[
            "Culture sourde et histoire de la LSF",
            "Dactylologie et chiffres",
            "Se présenter, poser des questions",
            "Situations d'accueil",
            "Évaluation",
        ],
        jobs: &[],
        objectives: &[
            "Se présenter et échanger simplement en LSF.",
            "Accueillir une personne sourde.",
            "Valider le niveau A1.",
        ],
        prerequisites: "Aucun.",
        skills: &["Langue des signes française", "Accueil du public"],
        cert: Cert::Rs("RS5870"),
        cpf: true,
        modalities: &[P],
        hours: 60,
        price_eur: 1_200,
        funding: &["opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "anglais_hotel",
        title: "Anglais pour l'hôtellerie et le tourisme",
        summary: "Trente heures pour accueillir, renseigner et servir une clientèle internationale en anglais : réception, restaurant, réclamations.",
        intro: "Une formation centrée sur les situations réelles de l'accueil touristique, avec jeux de rôle.",
        modules: &[
            "Accueillir et renseigner",
            "Réservations au téléphone",
            "Au restaurant et au bar",
            "Gérer une réclamation",
            "Présenter la région",
        ],
        jobs: &[],
        objectives: &[
            "Accueillir un client en anglais.",
            "Traiter une demande ou une réclamation.",
            "Conseiller sur les services et la région.",
        ],
        prerequisites: "Travailler ou vouloir travailler dans le tourisme ; niveau A1.",
        skills: &["Anglais professionnel", "Tourisme", "Hôtellerie"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P, D],
        hours: 30,
        price_eur: 1_100,
        funding: &["opco", "employeur", "personnel"],
        rolling: false,
    },
    // Sécurité
    Template {
        key: "sst",
        title: "Sauveteur secouriste du travail (SST)",
        summary: "Deux jours pour savoir porter secours à une victime sur le lieu de travail et contribuer à la prévention des risques dans l'entreprise.",
        intro: "Chaque atelier et chaque chantier doit compter des salariés formés aux premiers secours.",
        modules: &[
            "Le rôle du sauveteur secouriste",
            "Protéger, examiner, alerter",
            "Gestes de secours",
            "Défibrillateur",
            "Prévention des risques",
        ],
        jobs: &[],
        objectives: &[
            "Porter secours à une victime.",
            "Alerter les secours.",
            "Contribuer à la prévention.",
        ],
        prerequisites: "Aucun.",
        skills: &["Sauveteur secouriste du travail", "Prévention des risques"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 14,
        price_eur: 250,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    Template {
        key: "aps",
        title: "Titre professionnel Agent de sûreté et de sécurité privée",
        summary: "Surveillez des sites, contrôlez les accès, prévenez les incendies et les incivilités : la formation qui donne accès à la carte professionnelle.",
        intro: "Sites industriels, commerces, événements : les entreprises de sécurité privée recrutent en permanence.",
        modules: &[
            "Cadre juridique",
            "Surveillance et rondes",
            "Contrôle d'accès",
            "Sécurité incendie",
            "Gestion des conflits",
            "Secourisme",
        ],
        jobs: &[
            "agent de sécurité",
            "agent de surveillance",
            "agent cynophile",
        ],
        objectives: &[
            "Surveiller un site.",
            "Contrôler les accès.",
            "Réagir face à un incident.",
        ],
        prerequisites: "Autorisation préalable du CNAPS ; casier judiciaire compatible.",
        skills: &[
            "Sécurité privée",
            "Prévention des risques",
            "Sauveteur secouriste du travail",
        ],
        cert: Cert::Rncp("RNCP34054", 3),
        cpf: true,
        modalities: &[P],
        hours: 182,
        price_eur: 1_950,
        funding: &["france-travail", "region", "personnel"],
        rolling: false,
    },
    Template {
        key: "ssiap",
        title: "SSIAP 1 : agent de service de sécurité incendie",
        summary: "Prévenez les incendies et assurez l'évacuation du public dans les établissements recevant du public et les immeubles de grande hauteur.",
        intro: "Le SSIAP 1 est exigé dans les établissements recevant du public : hôpitaux, centres commerciaux, salles de spectacle.",
        modules: &[
            "Le feu et ses conséquences",
            "Sécurité incendie des bâtiments",
            "Installations techniques",
            "Rôle et missions de l'agent",
            "Mises en situation d'intervention",
        ],
        jobs: &["agent de sécurité incendie"],
        objectives: &[
            "Prévenir les risques d'incendie.",
            "Intervenir sur un début de feu.",
            "Évacuer le public.",
        ],
        prerequisites: "Secourisme à jour (SST ou PSC1) ; aptitude médicale.",
        skills: &["Sécurité privée", "Prévention des risques"],
        cert: Cert::Rs("RS5639"),
        cpf: true,
        modalities: &[P],
        hours: 70,
        price_eur: 1_100,
        funding: &["france-travail", "opco", "personnel"],
        rolling: false,
    },
    Template {
        key: "duerp",
        title: "Évaluer les risques professionnels et tenir le document unique",
        summary: "Deux jours pour évaluer les risques de votre entreprise, rédiger le document unique et bâtir un plan d'action de prévention.",
        intro: "Obligatoire dès le premier salarié, le document unique est surtout un outil pour prévenir les accidents.",
        modules: &[
            "Obligations de l'employeur",
            "Identifier les dangers",
            "Évaluer et hiérarchiser les risques",
            "Rédiger le document unique",
            "Plan d'action et suivi",
        ],
        jobs: &[],
        objectives: &[
            "Évaluer les risques professionnels.",
            "Rédiger et tenir le document unique.",
            "Construire un plan d'action.",
        ],
        prerequisites: "Dirigeant, responsable ou référent sécurité.",
        skills: &["Prévention des risques", "Qualité"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P, D],
        hours: 14,
        price_eur: 690,
        funding: &["opco", "employeur"],
        rolling: false,
    },
    // Agriculture
    Template {
        key: "vigne",
        title: "BPA Travaux de la vigne et du vin",
        summary: "Taille, palissage, vendanges, travaux de cave : apprenez les gestes de la vigne au fil des saisons, sur le domaine de notre lycée agricole partenaire.",
        intro: "Les domaines viticoles cherchent des ouvriers qualifiés toute l'année : une formation au rythme de la vigne.",
        modules: &[
            "Cycle de la vigne",
            "Taille et travaux en vert",
            "Conduite d'engins",
            "Vendanges et vinification",
            "Travaux de cave",
            "Stage en domaine",
        ],
        jobs: &["ouvrier viticole", "ouvrier de chai", "tractoriste"],
        objectives: &[
            "Réaliser les travaux de la vigne.",
            "Participer aux travaux de cave.",
            "Conduire et entretenir le matériel.",
        ],
        prerequisites: "Aucun diplôme exigé ; goût pour le travail en extérieur.",
        skills: &["Viticulture", "Agriculture"],
        cert: Cert::Rncp("RNCP37978", 3),
        cpf: true,
        modalities: &[P],
        hours: 900,
        price_eur: 6_800,
        funding: &["region", "france-travail", "opco"],
        rolling: false,
    },
    Template {
        key: "bprea",
        title: "BP Responsable d'entreprise agricole (BPREA)",
        summary: "Le diplôme pour s'installer en agriculture et obtenir les aides : technique, gestion, commercialisation et projet d'installation. Gratuit pour les demandeurs d'emploi.",
        intro: "Pour les porteurs de projet agricole, en maraîchage, élevage ou grandes cultures, avec un accompagnement jusqu'à l'installation.",
        modules: &[
            "Techniques de production",
            "Gestion et comptabilité agricole",
            "Commercialisation et circuits courts",
            "Étude de projet d'installation",
            "Stages en exploitation",
        ],
        jobs: &["exploitant agricole", "chef de culture"],
        objectives: &[
            "Conduire un système de production.",
            "Gérer une entreprise agricole.",
            "Construire son projet d'installation.",
        ],
        prerequisites: "Projet d'installation ou expérience agricole ; entretien de motivation.",
        skills: &["Agriculture", "Gestion administrative", "Comptabilité"],
        cert: Cert::Rncp("RNCP29581", 4),
        cpf: true,
        modalities: &[P],
        hours: 1_200,
        price_eur: 0,
        funding: &["region", "france-travail"],
        rolling: false,
    },
    Template {
        key: "paysagiste",
        title: "CAPa Jardinier paysagiste",
        summary: "Créez et entretenez parcs et jardins : plantations, taille, engazonnement, petite maçonnerie paysagère et conduite de matériel.",
        intro: "Entreprises du paysage et collectivités recrutent des jardiniers qualifiés.",
        modules: &[
            "Reconnaissance des végétaux",
            "Plantation et engazonnement",
            "Taille et entretien",
            "Aménagements paysagers",
            "Matériel et sécurité",
            "Stage en entreprise",
        ],
        jobs: &["jardinier paysagiste", "agent d'espaces verts"],
        objectives: &[
            "Réaliser des travaux d'aménagement paysager.",
            "Entretenir des espaces verts.",
            "Utiliser le matériel en sécurité.",
        ],
        prerequisites: "Aucun diplôme exigé.",
        skills: &["Espaces verts", "Lecture de plans", "Agriculture"],
        cert: Cert::Rncp("RNCP37830", 3),
        cpf: true,
        modalities: &[P],
        hours: 800,
        price_eur: 6_100,
        funding: &["region", "france-travail"],
        rolling: false,
    },
    Template {
        key: "maraichage",
        title: "Maraîchage biologique : réussir son installation",
        summary: "Trois semaines pour préparer une installation en maraîchage biologique : sol, planification des cultures, matériel, commercialisation en circuit court.",
        intro: "Une formation courte, sur une ferme en activité, pour tester son projet avant de se lancer.",
        modules: &[
            "Sol et fertilité",
            "Plan de culture",
            "Irrigation et matériel",
            "Certification bio",
            "Circuits courts et prix de vente",
        ],
        jobs: &["maraîcher"],
        objectives: &[
            "Planifier une saison de cultures.",
            "Choisir son matériel.",
            "Construire son modèle de commercialisation.",
        ],
        prerequisites: "Projet d'installation en maraîchage.",
        skills: &["Agriculture", "Espaces verts"],
        cert: Cert::None,
        cpf: false,
        modalities: &[P],
        hours: 105,
        price_eur: 1_500,
        funding: &["region", "personnel", "france-travail"],
        rolling: false,
    },
];

/// Thirty approved centres across France.
const CENTRES: &[Centre] = &[
    Centre {
        name: "Académie Numérique de Paris",
        commune: "75056",
        city: "Paris",
        address: "42 rue du Faubourg-Saint-Antoine",
        owner: "Sophie Lambert",
        phone_prefix: "01 99 00",
        qualiopi: true,
        pitch: "Au cœur de Paris, l'Académie Numérique forme chaque année 400 développeurs, designers et analystes de données, en présentiel comme à distance, avec un réseau de 300 entreprises partenaires.",
        trainings: &["dwwm", "cda", "data", "ia", "ux"],
    },
    Centre {
        name: "Forma'Bâtir Rhône",
        commune: "69123",
        city: "Lyon",
        address: "8 rue Saint-Jean-de-Dieu",
        owner: "Marc Giraud",
        phone_prefix: "04 65 71",
        qualiopi: true,
        pitch: "Centre des métiers du bâtiment et de l'énergie, Forma'Bâtir Rhône dispose de 3 000 m² d'ateliers et de plateaux techniques dans le 7e arrondissement de Lyon.",
        trainings: &["elec", "tis", "pac", "reno"],
    },
    Centre {
        name: "Institut Méditerranée Santé Social",
        commune: "13055",
        city: "Marseille",
        address: "115 boulevard Baille",
        owner: "Karima Haddad",
        phone_prefix: "04 65 71",
        qualiopi: true,
        pitch: "Depuis trente ans, l'Institut Méditerranée prépare aux métiers du soin, de l'aide à domicile et de la petite enfance, en lien avec les hôpitaux et les EHPAD de la métropole.",
        trainings: &["as", "advf", "aepe", "gestes", "sms"],
    },
    Centre {
        name: "Aéro Compétences Occitanie",
        commune: "31555",
        city: "Toulouse",
        address: "3 avenue Marcel-Dassault",
        owner: "Thierry Vidal",
        phone_prefix: "05 36 49",
        qualiopi: true,
        pitch: "Créé par des industriels de l'aéronautique, Aéro Compétences Occitanie forme soudeurs, usineurs et techniciens de maintenance sur des équipements identiques à ceux des ateliers.",
        trainings: &["soudeur", "tuao", "tmi", "qse", "automate"],
    },
    Centre {
        name: "Nord Logistique Formation",
        commune: "59350",
        city: "Lille",
        address: "27 rue de l'Entrepôt",
        owner: "Isabelle Delattre",
        phone_prefix: "03 53 73",
        qualiopi: true,
        pitch: "Au carrefour de l'Europe du Nord, Nord Logistique Formation prépare aux métiers de l'entrepôt et du transport sur une plateforme pédagogique de 2 500 m².",
        trainings: &["caces", "prep", "magasinier", "tsmel", "fimo"],
    },
    Centre {
        name: "École des Vins et Terroirs d'Aquitaine",
        commune: "33063",
        city: "Bordeaux",
        address: "14 quai des Chartrons",
        owner: "Pierre Laborde",
        phone_prefix: "05 36 49",
        qualiopi: true,
        pitch: "Formations aux métiers de la vigne, du maraîchage et du paysage, sur les domaines et les fermes partenaires de la Gironde.",
        trainings: &["vigne", "bprea", "maraichage", "paysagiste"],
    },
    Centre {
        name: "Atlantique Numérique Formation",
        commune: "44109",
        city: "Nantes",
        address: "5 rue de la Tour-d'Auvergne",
        owner: "Gwenaëlle Le Roux",
        phone_prefix: "02 61 91",
        qualiopi: true,
        pitch: "Sur l'île de Nantes, Atlantique Numérique Formation accompagne les reconversions vers le développement, l'administration systèmes et le cloud.",
        trainings: &["dwwm", "tssr", "devops", "python", "prepa_num"],
    },
    Centre {
        name: "Centre Rhénan des Langues",
        commune: "67482",
        city: "Strasbourg",
        address: "9 place Kléber",
        owner: "Anne Muller",
        phone_prefix: "03 53 73",
        qualiopi: true,
        pitch: "Anglais, français langue étrangère et langue des signes : le Centre Rhénan des Langues enseigne aux adultes depuis 1998, en petits groupes et en cours individuels.",
        trainings: &["toeic", "fle", "lsf", "anglais_hotel"],
    },
    Centre {
        name: "Breizh Digital Campus",
        commune: "35238",
        city: "Rennes",
        address: "16 rue de Saint-Malo",
        owner: "Erwan Le Bihan",
        phone_prefix: "02 61 91",
        qualiopi: true,
        pitch: "Au cœur de l'écosystème cyber rennais, Breizh Digital Campus forme développeurs, analystes de données et spécialistes de la sécurité.",
        trainings: &["cda", "data", "cyber", "rust", "agile"],
    },
    Centre {
        name: "Sud Hôtellerie Restauration",
        commune: "34172",
        city: "Montpellier",
        address: "21 avenue de Palavas",
        owner: "Laurent Fabre",
        phone_prefix: "04 65 71",
        qualiopi: true,
        pitch: "Cuisine pédagogique, restaurant d'application ouvert au public et hôtel école : Sud Hôtellerie Restauration forme aux métiers de l'accueil et de la table.",
        trainings: &["cuisinier", "serveur", "haccp", "reception", "patissier"],
    },
    Centre {
        name: "Riviera Tourisme et Accueil",
        commune: "06088",
        city: "Nice",
        address: "30 avenue Jean-Médecin",
        owner: "Claire Bertolini",
        phone_prefix: "04 65 71",
        qualiopi: false,
        pitch: "Riviera Tourisme et Accueil prépare aux métiers de l'hôtellerie de la Côte d'Azur, en lien étroit avec les palaces et les hôtels de la promenade.",
        trainings: &["reception", "anglais_hotel", "serveur", "haccp"],
    },
    Centre {
        name: "Alpes Énergies Formation",
        commune: "38185",
        city: "Grenoble",
        address: "11 rue des Martyrs",
        owner: "Olivier Chabert",
        phone_prefix: "04 65 71",
        qualiopi: true,
        pitch: "Électricité, solaire, pompes à chaleur, rénovation : Alpes Énergies Formation prépare les professionnels du bâtiment à la transition énergétique.",
        trainings: &["photovolt", "pac", "elec", "habilit", "reno"],
    },
    Centre {
        name: "Bourgogne Gestion Formation",
        commune: "21231",
        city: "Dijon",
        address: "6 rue de la Liberté",
        owner: "Valérie Bouchard",
        phone_prefix: "03 53 73",
        qualiopi: true,
        pitch: "Comptabilité, paie et ressources humaines : des formations certifiantes animées par des experts-comptables et des responsables RH en activité.",
        trainings: &["gcf", "ca", "paie", "arh"],
    },
    Centre {
        name: "Auvergne Industrie Formation",
        commune: "63113",
        city: "Clermont-Ferrand",
        address: "19 boulevard Léon-Jouhaux",
        owner: "Sébastien Roux",
        phone_prefix: "04 65 71",
        qualiopi: true,
        pitch: "Maintenance, production, mécanique automobile : Auvergne Industrie Formation travaille main dans la main avec les industriels du bassin clermontois.",
        trainings: &["tmi", "meca_auto", "carrosserie", "cim", "lean"],
    },
    Centre {
        name: "Seine Sécurité Formation",
        commune: "76540",
        city: "Rouen",
        address: "48 rue Jeanne-d'Arc",
        owner: "Nicolas Lefebvre",
        phone_prefix: "02 61 91",
        qualiopi: true,
        pitch: "Sûreté, sécurité incendie, secourisme et prévention : Seine Sécurité Formation forme les agents et les référents sécurité de Normandie.",
        trainings: &["aps", "ssiap", "sst", "duerp"],
    },
    Centre {
        name: "Val de Loire Commerce",
        commune: "37261",
        city: "Tours",
        address: "73 rue Nationale",
        owner: "Émilie Rousseau",
        phone_prefix: "02 61 91",
        qualiopi: true,
        pitch: "Vente, relation client et management de magasin : Val de Loire Commerce forme aux métiers du commerce avec les enseignes de la région.",
        trainings: &["vendeur", "mum", "crcd", "ntc"],
    },
    Centre {
        name: "Finistère Industrie Formation",
        commune: "29019",
        city: "Brest",
        address: "2 rue de Kerbriant",
        owner: "Loïc Quéméner",
        phone_prefix: "02 61 91",
        qualiopi: true,
        pitch: "Près du port de Brest, Finistère Industrie Formation prépare aux métiers de la navale et de l'industrie : soudure, maintenance, électricité.",
        trainings: &["soudeur", "tmi", "habilit", "sst"],
    },
    Centre {
        name: "Limousin Santé Formation",
        commune: "87085",
        city: "Limoges",
        address: "12 avenue Baudin",
        owner: "Martine Dupuy",
        phone_prefix: "05 36 49",
        qualiopi: true,
        pitch: "Limousin Santé Formation prépare aux diplômes du soin et du secrétariat médical, avec des stages dans les établissements de toute la région.",
        trainings: &["as", "ambulancier", "sms", "gestes"],
    },
    Centre {
        name: "Lorraine Transport Formation",
        commune: "57463",
        city: "Metz",
        address: "35 rue aux Arènes",
        owner: "Christophe Schmitt",
        phone_prefix: "03 53 73",
        qualiopi: true,
        pitch: "Permis poids lourd, FIMO, CACES et logistique : Lorraine Transport Formation dispose de sa propre piste et de véhicules récents.",
        trainings: &["fimo", "ctr", "caces", "prep"],
    },
    Centre {
        name: "Comté Microtechniques Formation",
        commune: "25056",
        city: "Besançon",
        address: "18 rue de la Mouillère",
        owner: "Hélène Girardot",
        phone_prefix: "03 53 73",
        qualiopi: true,
        pitch: "Héritier de la tradition horlogère comtoise, notre centre forme aux métiers de l'usinage de précision, de l'automatisme et de la qualité.",
        trainings: &["tuao", "automate", "qse", "lean"],
    },
    Centre {
        name: "Roussillon Formation Agricole",
        commune: "66136",
        city: "Perpignan",
        address: "4 avenue du Maréchal-Joffre",
        owner: "Jordi Puig",
        phone_prefix: "04 65 71",
        qualiopi: false,
        pitch: "Vigne, maraîchage et paysage : des formations au plus près des exploitations du Roussillon, entre mer et montagne.",
        trainings: &["vigne", "maraichage", "paysagiste", "bprea"],
    },
    Centre {
        name: "Loire Numérique Formation",
        commune: "45234",
        city: "Orléans",
        address: "10 rue de la République",
        owner: "Julie Marchand",
        phone_prefix: "02 61 91",
        qualiopi: true,
        pitch: "Support, systèmes, réseaux et cybersécurité : Loire Numérique Formation forme les techniciens dont les entreprises du Centre-Val de Loire ont besoin.",
        trainings: &["tssr", "tai", "ais", "ia", "cyber"],
    },
    Centre {
        name: "Normandie Bâtiment Formation",
        commune: "14118",
        city: "Caen",
        address: "25 rue de Bretagne",
        owner: "François Lemoine",
        phone_prefix: "02 61 91",
        qualiopi: true,
        pitch: "Maçonnerie, peinture, menuiserie et conduite de travaux : un centre de formation adossé aux entreprises du bâtiment du Calvados.",
        trainings: &["macon", "peintre", "menuisier", "ctravaux"],
    },
    Centre {
        name: "Picardie Emploi Formation",
        commune: "80021",
        city: "Amiens",
        address: "7 rue des Jacobins",
        owner: "Nathalie Caron",
        phone_prefix: "03 53 73",
        qualiopi: true,
        pitch: "Picardie Emploi Formation accompagne les demandeurs d'emploi vers des métiers qui recrutent, avec des formations en grande partie financées.",
        trainings: &["crcd", "advf", "fle", "prep"],
    },
    Centre {
        name: "Béarn Commerce et Gestion",
        commune: "64445",
        city: "Pau",
        address: "15 rue du Maréchal-Foch",
        owner: "Céline Etcheverry",
        phone_prefix: "05 36 49",
        qualiopi: true,
        pitch: "Assistanat, marketing digital et immobilier : Béarn Commerce et Gestion forme aux métiers du tertiaire, en présentiel à Pau et à distance.",
        trainings: &["sa", "adir", "mkt", "immo"],
    },
    Centre {
        name: "Corsica Hôtellerie Formation",
        commune: "2A004",
        city: "Ajaccio",
        address: "3 cours Napoléon",
        owner: "Paul-Antoine Santoni",
        phone_prefix: "04 65 71",
        qualiopi: true,
        pitch: "Cuisine, service, réception et boulangerie : nous préparons aux métiers du tourisme corse, avant chaque saison et toute l'année.",
        trainings: &["cuisinier", "serveur", "reception", "boulanger"],
    },
    Centre {
        name: "Poitou Formation Tertiaire",
        commune: "86194",
        city: "Poitiers",
        address: "20 rue Carnot",
        owner: "Stéphane Moreau",
        phone_prefix: "05 36 49",
        qualiopi: true,
        pitch: "Ressources humaines, management, gestion de projet et métiers de la formation : des parcours pour progresser dans sa carrière.",
        trainings: &["arh", "fpa", "manager", "agile"],
    },
    Centre {
        name: "Champagne Compétences",
        commune: "51454",
        city: "Reims",
        address: "56 rue de Vesle",
        owner: "Aurélie Collard",
        phone_prefix: "03 53 73",
        qualiopi: true,
        pitch: "Vigne, boulangerie, pâtisserie et hygiène alimentaire : Champagne Compétences forme aux métiers de bouche et du vignoble champenois.",
        trainings: &["vigne", "boulanger", "patissier", "haccp"],
    },
    Centre {
        name: "Lac et Montagne Formation",
        commune: "74010",
        city: "Annecy",
        address: "12 avenue de Genève",
        owner: "Camille Perrier",
        phone_prefix: "04 65 71",
        qualiopi: false,
        pitch: "Beauté, coiffure, vente et communication : des formations courtes et diplômantes au bord du lac d'Annecy.",
        trainings: &["esthetique", "coiffure", "vendeur", "cm"],
    },
    Centre {
        name: "Océan Formation",
        commune: "17300",
        city: "La Rochelle",
        address: "9 quai Duperré",
        owner: "Mathieu Garnier",
        phone_prefix: "05 36 49",
        qualiopi: true,
        pitch: "Marketing digital, communication, design et banque : Océan Formation forme aux métiers du tertiaire et du numérique sur la côte atlantique.",
        trainings: &["cm", "mkt", "ux", "banque"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirets_and_ndas_are_well_formed() {
        let sirets: HashSet<String> = (0..CENTRES.len()).map(demo_siret).collect();
        assert_eq!(sirets.len(), CENTRES.len());
        for siret in &sirets {
            assert_eq!(app::organisations::parse_siret(siret).as_ref(), Ok(siret));
            // The SIREN inside is valid too.
            assert_eq!(
                app::organisations::luhn_key(&siret[..8]).to_string(),
                &siret[8..9]
            );
        }
        assert_eq!(demo_nda("84", "69", 0), "84691023169");
        assert_eq!(demo_nda("94", "2A", 3).len(), 11);
        assert!(demo_nda("94", "2A", 3).bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn the_demo_plan_is_coherent() {
        let mut ordinal = 0;
        let mut all = plan_centre("Lyon", ILF_TRAININGS, &mut ordinal);
        for centre in CENTRES {
            all.extend(plan_centre(centre.city, centre.trainings, &mut ordinal));
        }
        assert!((100..=150).contains(&all.len()), "{} trainings", all.len());
        let slugs: HashSet<&str> = all.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs.len(), all.len(), "slugs are unique");
        let archived = all.iter().filter(|p| p.status == "archived").count();
        let drafts = all.iter().filter(|p| p.status == "draft").count();
        assert_eq!(archived, 2);
        assert!((4..=12).contains(&drafts), "{drafts} drafts");
        assert!(all.iter().any(|p| p.price_cents == 0));
        for modality in [
            Modality::Presentiel,
            Modality::Distanciel,
            Modality::Hybride,
        ] {
            assert!(all.iter().any(|p| p.modality == modality), "{modality:?}");
        }
        for p in &all {
            assert!(p.summary.chars().count() <= 300, "{}", p.slug);
            assert!((5..=160).contains(&p.title.chars().count()), "{}", p.slug);
            assert!((2..=5).contains(&p.skills.len()), "{}", p.slug);
            assert!((7..=1_600).contains(&p.hours), "{}", p.slug);
            assert!(p.sessions.len() <= 4, "{}", p.slug);
            assert!(p.places <= 3);
            if p.modality != Modality::Distanciel {
                assert!(p.places >= 1, "{}", p.slug);
            }
        }
        // Same input, same plan.
        let mut again = 0;
        let replay = plan_centre("Lyon", ILF_TRAININGS, &mut again);
        assert_eq!(replay[0].sessions, all[0].sessions);
        assert_eq!(replay[0].price_cents, all[0].price_cents);
    }

    #[test]
    fn every_template_is_used_and_every_key_known() {
        let used: HashSet<&str> = CENTRES
            .iter()
            .flat_map(|c| c.trainings.iter().copied())
            .chain(ILF_TRAININGS.iter().copied())
            .collect();
        for key in &used {
            assert!(template(key).is_some(), "unknown template {key}");
        }
        for t in TEMPLATES {
            assert!(used.contains(t.key), "template {} unused", t.key);
            for f in t.funding {
                assert!(FUNDING_LABELS.iter().any(|(k, _)| k == f), "{f}");
                assert_ne!(*f, "cpf", "cpf comes from the cpf flag");
            }
            assert!(
                t.title.chars().count() <= 110,
                "{} leaves room for a city",
                t.key
            );
        }
        let keys: HashSet<&str> = TEMPLATES.iter().map(|t| t.key).collect();
        assert_eq!(keys.len(), TEMPLATES.len());
    }
}

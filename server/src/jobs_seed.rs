//! The demo job board (`seed --demo`): about twenty approved companies across
//! France with their recruiters, some 150 offers in every state, the demo
//! candidate's profile and a few applications to Atelier Rhône Industrie.
//! Also the generated offers of `seed --bench-offers N`.
//!
//! Same rules as the catalogue (`catalogue_seed`): every random choice comes
//! from a ChaCha stream seeded by the offer's slug, so a second run plans the
//! same rows, and rows already there (same SIRET, slug or e-mail) are skipped.

use crate::catalogue_seed::{demo_owner, nearby_communes, pick, seeded_rng};
use crate::seed::{DEMO_PASSWORD, SeedError};
use app::base::markdown;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::{HashMap, HashSet};

/// Fixed seed of every random choice ("PASSJOBS").
const SEED: u64 = 0x5041_5353_4A4F_4253;
/// The existing demo company (see `seed::DEMO_ORGANISATIONS`), in Lyon.
const ARI_SIRET: &str = "82345678900010";
const ARI_COMMUNE: &str = "69123";
/// The demo candidate the browser tests sign in with.
const CAMILLE: &str = "camille.martin@demo.passerelle.fr";
/// Rows per bulk insert of `seed --bench-offers`.
const BENCH_BATCH: usize = 5_000;
/// How long a published offer stays live, as `DEFAULT_EXPIRY_DAYS`.
const EXPIRY_DAYS: i32 = app::jobs::DEFAULT_EXPIRY_DAYS as i32;

/// Where the work is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Remote {
    /// On site only.
    Site,
    /// On site, or hybrid.
    Hybrid,
    /// Any mode, fully remote included.
    Any,
}

/// A job as employers advertise it; companies in several cities post the
/// same one (the slug carries the city).
struct JobTemplate {
    key: &'static str,
    title: &'static str,
    intro: &'static str,
    missions: &'static [&'static str],
    profile: &'static [&'static str],
    /// Names from the `skills` table.
    skills: &'static [&'static str],
    /// Repeated values weigh more.
    contracts: &'static [&'static str],
    remote: Remote,
    /// Unit ('heure', 'mois', 'annee'), lower and upper end in euros.
    salary: (&'static str, i32, i32),
    experience: &'static [&'static str],
    /// 3 = CAP … 8 = doctorat.
    diploma: Option<i16>,
    /// Percent of part-time offers.
    part_time: u32,
    /// Most openings one offer has.
    openings: i32,
}

struct Company {
    name: &'static str,
    /// INSEE code of the head office.
    commune: &'static str,
    city: &'static str,
    address: &'static str,
    sector: &'static str,
    size_band: &'static str,
    owner: &'static str,
    /// ARCEP range kept for fiction in the company's zone.
    phone_prefix: &'static str,
    pitch: &'static str,
    /// Keys of `TEMPLATES`.
    offers: &'static [&'static str],
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct JobsReport {
    pub accounts_created: usize,
    pub companies_created: usize,
    pub offers_created: usize,
    pub applications_created: usize,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct BenchReport {
    /// Bench offers added by this run.
    pub created: usize,
    /// Bench offers now in the database.
    pub total: usize,
}

/// One offer, fully decided, before it meets the database.
#[derive(Debug, Clone)]
struct Planned {
    slug: String,
    title: String,
    markdown: String,
    contract: &'static str,
    working_time: &'static str,
    remote: &'static str,
    /// (min, max, unit); None = not shown.
    salary: Option<(i32, Option<i32>, &'static str)>,
    experience: &'static str,
    diploma: Option<i16>,
    /// Days from today; None = as soon as possible.
    start_in: Option<i32>,
    openings: i32,
    /// 'platform', 'url' or 'email'.
    apply_channel: &'static str,
    status: &'static str,
    /// Hours since publication (or since the last edit of a draft).
    hours_ago: i32,
    view_count: i64,
    skills: &'static [&'static str],
    /// Offer in a town near the head office rather than in it.
    elsewhere: bool,
}

fn rng_for(text: &str) -> ChaCha8Rng {
    seeded_rng(SEED, text)
}

/// A SIRET for the n-th demo company: SIREN and SIRET both pass the Luhn
/// check; the leading 7 keeps clear of the other demo organisations.
fn demo_siret(n: usize) -> String {
    let siren8 = format!("7{:07}", 2_000 + n * 6_133);
    let siren = format!("{siren8}{}", app::organisations::luhn_key(&siren8));
    let body = format!("{siren}0001");
    format!("{body}{}", app::organisations::luhn_key(&body))
}

fn demo_phone(prefix: &str, n: usize) -> String {
    let last = 1_200 + n * 211 % 8_000;
    format!("{prefix} {:02} {:02}", last / 100 % 100, last % 100)
}

/// "Soudeur TIG / MIG (H/F)" in Lyon → "soudeur-tig-mig-lyon".
fn demo_slug(title: &str, city: &str) -> String {
    let mut base = markdown::slugify(title.trim_end_matches(" (H/F)"));
    // Slugs are ASCII: byte offsets are character offsets.
    if base.len() > 60 {
        let cut = base[..60].rfind('-').unwrap_or(60);
        base.truncate(cut);
    }
    format!("{base}-{}", markdown::slugify(city))
}

fn template(key: &str) -> Option<&'static JobTemplate> {
    TEMPLATES.iter().find(|t| t.key == key)
}

const BENEFITS: &[&str] = &[
    "Mutuelle d'entreprise prise en charge à 60 %",
    "Titres-restaurant de 10 €, pris en charge à 60 %",
    "13e mois après six mois d'ancienneté",
    "Prime d'intéressement et de participation",
    "Comité social et économique (chèques vacances, billetterie)",
    "Plan de formation : une formation certifiante par an si vous le souhaitez",
    "Remboursement de 75 % de l'abonnement de transport, forfait mobilités durables",
    "RTT : 10 jours par an",
    "Parcours d'intégration de deux semaines avec un tuteur",
    "Prime de fin d'année",
    "Locaux accessibles aux personnes à mobilité réduite",
    "Possibilité d'évolution interne rapide",
];

fn experience_line(experience: &str) -> &'static str {
    match experience {
        "debutant" => "Débutant accepté : vous serez formé(e) à nos méthodes par un tuteur",
        "1-2" => "Une première expérience d'un à deux ans sur un poste similaire",
        "3-5" => "Trois à cinq ans d'expérience sur un poste similaire",
        _ => "Plus de cinq ans d'expérience, dont une partie en autonomie",
    }
}

/// The Markdown description; `company` (name, city) is None for the bench
/// offers, so a few hundred distinct texts cover them all.
fn description(
    t: &JobTemplate,
    plan: &Planned,
    company: Option<(&str, &str)>,
    benefits: &mut ChaCha8Rng,
) -> String {
    let mut md = String::new();
    if let Some((name, city)) = company {
        md.push_str(&format!("**{name}** recrute à {city}. "));
    }
    md.push_str(t.intro);
    md.push_str("\n\n## Vos missions\n\n");
    for mission in t.missions {
        md.push_str(&format!("- {mission}\n"));
    }
    md.push_str("\n## Votre profil\n\n");
    for line in t.profile {
        md.push_str(&format!("- {line}\n"));
    }
    md.push_str(&format!("- {}\n", experience_line(plan.experience)));
    if let Some(level) = plan.diploma {
        md.push_str(&format!(
            "- Diplôme : {}, ou expérience équivalente\n",
            app::jobs::DIPLOMA_LEVELS
                .iter()
                .find(|(l, _)| *l == level)
                .map_or("", |(_, label)| label)
        ));
    }
    md.push_str("\n## Ce que nous proposons\n\n");
    md.push_str(&format!(
        "- **Contrat** : {}, {}\n",
        app::jobs::label_of(&app::jobs::CONTRACTS, plan.contract),
        app::jobs::label_of(&app::jobs::WORKING_TIMES, plan.working_time).to_lowercase()
    ));
    md.push_str(match plan.remote {
        "teletravail" => {
            "- **Lieu** : 100 % télétravail depuis la France, matériel fourni, un séminaire d'équipe par trimestre\n"
        }
        "hybride" => "- **Lieu** : hybride, jusqu'à deux jours de télétravail par semaine\n",
        _ => "- **Lieu** : sur site\n",
    });
    let mut pool: Vec<&str> = BENEFITS.to_vec();
    for _ in 0..3 {
        let benefit = pool.remove(benefits.random_range(0..pool.len()));
        md.push_str(&format!("- {benefit}\n"));
    }
    md.push_str(
        "\n> À compétences égales, toutes les candidatures sont étudiées, \
         dont celles des personnes en situation de handicap.\n",
    );
    md
}

/// Everything about one offer's place in the board.
struct PlanInput<'a> {
    template: &'a JobTemplate,
    slug: String,
    status: &'static str,
    /// Only on the platform (Atelier Rhône Industrie's live offers).
    platform_only: bool,
    /// (name, city) for the demo; None for the bench.
    company: Option<(&'a str, &'a str)>,
}

fn plan(input: PlanInput<'_>) -> Planned {
    let t = input.template;
    let mut rng = rng_for(&input.slug);
    let contract = *pick(&mut rng, t.contracts);
    let remote = match t.remote {
        Remote::Site => "presentiel",
        Remote::Hybrid if rng.random_bool(0.45) => "hybride",
        Remote::Hybrid => "presentiel",
        Remote::Any => match rng.random_range(0..100) {
            0..55 => "teletravail",
            55..80 => "hybride",
            _ => "presentiel",
        },
    };
    let working_time = if rng.random_range(0..100) < t.part_time {
        "temps-partiel"
    } else {
        "temps-plein"
    };
    let (unit, low, high) = t.salary;
    // ±8 %, rounded as employers round: whole euros an hour, 50 € a month, 1,000 € a year.
    let vary = |rng: &mut ChaCha8Rng, amount: i32, step: i32| {
        ((amount * rng.random_range(92..=108) / 100 + step / 2) / step * step).max(step)
    };
    let salary = if rng.random_bool(0.2) {
        None
    } else {
        Some(match contract {
            // Internship pay and apprentices' wages follow their own scales.
            "stage" => (rng.random_range(66..=80) * 10, None, "mois"),
            "alternance" => {
                let min = rng.random_range(18..=26) * 50;
                (min, Some(min + 200), "mois")
            }
            "freelance" => {
                let yearly = match unit {
                    "heure" => low * 1_607,
                    "mois" => low * 12,
                    _ => low,
                };
                let rate = (yearly * 18 / 10 / 1_607).max(20);
                (rate, Some(rate + rate / 4), "heure")
            }
            _ => {
                let step = match unit {
                    "heure" => 1,
                    "mois" => 50,
                    _ => 1_000,
                };
                // SMIC: an hourly offer never pays less than 12 €.
                let min = vary(&mut rng, low, step).max(if unit == "heure" { 12 } else { 0 });
                let max = vary(&mut rng, high, step).max(min);
                (min, (max > min).then_some(max), unit)
            }
        })
    };
    let experience = *pick(&mut rng, t.experience);
    let diploma = t.diploma.filter(|_| rng.random_bool(0.75));
    let start_in = rng.random_bool(0.6).then(|| rng.random_range(7..=60));
    let openings = if t.openings > 1 && rng.random_bool(0.35) {
        rng.random_range(2..=t.openings)
    } else {
        1
    };
    let apply_channel = if input.platform_only {
        "platform"
    } else {
        match rng.random_range(0..100) {
            0..75 => "platform",
            75..90 => "url",
            _ => "email",
        }
    };
    let hours_ago = match input.status {
        // Live: published within the last 45 days.
        "published" => rng.random_range(1..=45 * 24),
        // Still within its 60 days, but filled.
        "filled" => rng.random_range(12 * 24..=40 * 24),
        // Past its 60 days.
        "expired" => rng.random_range(65 * 24..=90 * 24),
        "archived" => rng.random_range(100 * 24..=200 * 24),
        _ => rng.random_range(1..=10 * 24),
    };
    let view_count = if input.status == "draft" {
        0
    } else {
        // Few offers are very popular; older ones were seen more.
        let x: f64 = rng.random();
        (x * x * 1_200.0) as i64 + i64::from(hours_ago / 24) * 3
    };
    let elsewhere = remote != "teletravail" && rng.random_bool(0.25);
    let mut planned = Planned {
        slug: input.slug,
        title: t.title.to_owned(),
        markdown: String::new(),
        contract,
        working_time,
        remote,
        salary,
        experience,
        diploma,
        start_in,
        openings,
        apply_channel,
        status: input.status,
        hours_ago,
        view_count,
        skills: t.skills,
        elsewhere,
    };
    // Benefits: per company and job for the demo, per job for the bench.
    let mut benefits = rng_for(&format!(
        "{}/{}",
        t.key,
        input.company.map_or("", |(name, _)| name)
    ));
    planned.markdown = description(t, &planned, input.company, &mut benefits);
    planned
}

/// Atelier Rhône Industrie's offers: (template, status). The browser tests
/// apply to its live ones, all on the platform.
const ARI_OFFERS: &[(&str, &str)] = &[
    ("soudeur", "published"),
    ("tmi", "published"),
    ("operateur_cn", "published"),
    ("automaticien", "published"),
    ("conducteur_ligne", "published"),
    ("cariste", "published"),
    ("qse", "published"),
    ("assistant_admin", "published"),
    ("commercial_b2b", "published"),
    ("electricien", "published"),
    ("controleur_gestion", "draft"),
    ("preparateur", "filled"),
];

/// States of the other companies' offers, by running number (0 = the first
/// offer of the first company).
fn demo_status(ordinal: usize) -> &'static str {
    match ordinal {
        23 | 67 | 109 => "expired",
        51 => "filled",
        88 | 131 => "archived",
        n if n % 19 == 7 => "draft",
        _ => "published",
    }
}

/// The plans of every demo offer: Atelier Rhône Industrie's, then each
/// company's in order.
fn plan_company(company: &Company, first_ordinal: usize) -> Vec<Planned> {
    company
        .offers
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let Some(t) = template(key) else {
                tracing::warn!(key, "unknown demo job template");
                return None;
            };
            Some(plan(PlanInput {
                template: t,
                slug: demo_slug(t.title, company.city),
                status: demo_status(first_ordinal + i),
                platform_only: false,
                company: Some((company.name, company.city)),
            }))
        })
        .collect()
}

fn plan_ari() -> Vec<Planned> {
    ARI_OFFERS
        .iter()
        .filter_map(|(key, status)| {
            let t = template(key)?;
            Some(plan(PlanInput {
                template: t,
                slug: demo_slug(t.title, "Lyon"),
                status,
                platform_only: true,
                company: Some(("Atelier Rhône Industrie", "Lyon")),
            }))
        })
        .collect()
}

/// Loads the demo job board; communes must be there (`seed::demo` sees to it).
pub async fn demo(pool: &PgPool) -> Result<JobsReport, SeedError> {
    let mut report = JobsReport::default();

    // The existing demo company, in Lyon.
    if let Some(ari) =
        sqlx::query_scalar!("SELECT id FROM organisations WHERE siret = $1", ARI_SIRET)
            .fetch_optional(pool)
            .await?
    {
        let mut tx = pool.begin().await?;
        // Only a blank profile is filled: edits made in the app stay.
        sqlx::query!(
            "UPDATE organisations SET
                 description = $2, website = $3, contact_email = $4, contact_phone = $5,
                 address = $6, commune_code = $7, sector = $8, size_band = $9, updated_at = now()
             WHERE id = $1 AND description = '' AND EXISTS (SELECT 1 FROM communes WHERE code = $7)",
            ari,
            "Atelier Rhône Industrie conçoit et fabrique depuis 1987 des ensembles mécano-soudés \
             et des pièces usinées de précision pour l'agroalimentaire, l'énergie et le ferroviaire.\n\n\
             Nos 140 salariés travaillent dans un atelier de 9 000 m² à Lyon-Gerland, équipé de \
             centres d'usinage 5 axes et de robots de soudure. Nous formons nos équipes en interne \
             et accueillons chaque année une dizaine d'alternants.",
            "https://www.atelier-rhone-industrie.example",
            "recrutement@demo.passerelle.fr",
            "04 65 71 30 87",
            "42 rue de Gerland",
            ARI_COMMUNE,
            "Industrie mécanique et chaudronnerie",
            "50-249",
        )
        .execute(&mut *tx)
        .await?;
        if has_commune(&mut tx, ARI_COMMUNE).await? {
            let nearby = nearby_communes(&mut tx, ARI_COMMUNE, 30_000.0, 3).await?;
            report.offers_created += insert_offers(
                &mut tx,
                ari,
                ("atelier-rhone-industrie", ARI_COMMUNE),
                &nearby,
                &plan_ari(),
            )
            .await?;
        }
        tx.commit().await?;
    }

    // Hashed once: argon2 takes a noticeable time per hash.
    let mut password_hash = None;
    let mut ordinal = 0;
    for (n, company) in COMPANIES.iter().enumerate() {
        let first = ordinal;
        ordinal += company.offers.len();
        let mut tx = pool.begin().await?;
        if !has_commune(&mut tx, company.commune).await? {
            tracing::warn!(
                commune = company.commune,
                "demo company skipped: commune not imported"
            );
            continue;
        }
        let slug = markdown::slugify(company.name);
        let email = format!("recrutement@{slug}.demo.passerelle.fr");
        let siret = demo_siret(n);
        report.accounts_created += usize::from(
            demo_owner(
                pool,
                &mut tx,
                &mut password_hash,
                &email,
                &format!("{} ({})", company.owner, company.name),
                "recruiter",
            )
            .await?,
        );
        // The company and its owner's membership, or neither.
        let created = sqlx::query_scalar!(
            r#"WITH organisation AS (
                   INSERT INTO organisations (kind, name, siret, status, reviewed_at, description,
                                              website, contact_email, contact_phone, address,
                                              commune_code, sector, size_band)
                   VALUES ('entreprise', $1, $2, 'approved', now(), $3, $4, $5, $6, $7, $8, $9, $10)
                   ON CONFLICT (siret) DO NOTHING RETURNING id
               )
               INSERT INTO memberships (user_id, organisation_id, role)
               SELECT u.id, organisation.id, 'owner' FROM organisation, users u WHERE u.email = $5
               RETURNING organisation_id"#,
            company.name,
            siret,
            company.pitch,
            format!("https://www.{slug}.example"),
            email,
            demo_phone(company.phone_prefix, n),
            company.address,
            company.commune,
            company.sector,
            company.size_band,
        )
        .fetch_optional(&mut *tx)
        .await?;
        report.companies_created += usize::from(created.is_some());
        let company_id =
            sqlx::query_scalar!("SELECT id FROM organisations WHERE siret = $1", siret)
                .fetch_one(&mut *tx)
                .await?;
        let nearby = nearby_communes(&mut tx, company.commune, 30_000.0, 3).await?;
        // Every other company has a second site.
        if n % 2 == 0
            && let Some(site) = nearby.first()
        {
            sqlx::query!(
                "INSERT INTO organisation_places (organisation_id, commune_code) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                company_id,
                site
            )
            .execute(&mut *tx)
            .await?;
        }
        report.offers_created += insert_offers(
            &mut tx,
            company_id,
            (&slug, company.commune),
            &nearby,
            &plan_company(company, first),
        )
        .await?;
        tx.commit().await?;
    }

    let (accounts, applications) = demo_candidates(pool).await?;
    report.accounts_created += accounts;
    report.applications_created = applications;
    Ok(report)
}

async fn has_commune(tx: &mut Transaction<'_, Postgres>, code: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM communes WHERE code = $1) AS "found!""#,
        code
    )
    .fetch_one(&mut **tx)
    .await
}

/// Inserts the offers whose slug is new, with their skills and search rows;
/// returns how many. `company` is (slug, head-office commune).
async fn insert_offers(
    tx: &mut Transaction<'_, Postgres>,
    company_id: i64,
    company: (&str, &str),
    nearby: &[String],
    planned: &[Planned],
) -> Result<usize, SeedError> {
    let (company_slug, head_office) = company;
    let mut created = 0;
    for p in planned {
        let html = markdown::render(&p.markdown, &HashMap::new());
        let commune = match (p.remote, p.elsewhere, nearby.first()) {
            ("teletravail", _, _) => None,
            (_, true, Some(_)) => Some(nearby[p.slug.len() % nearby.len()].clone()),
            _ => Some(head_office.to_owned()),
        };
        let (apply_url, apply_email) = match p.apply_channel {
            "url" => (
                format!("https://www.{company_slug}.example/carrieres/{}", p.slug),
                String::new(),
            ),
            "email" => (String::new(), format!("recrutement@{company_slug}.example")),
            _ => (String::new(), String::new()),
        };
        let (salary_min, salary_max, salary_unit) = match p.salary {
            Some((min, max, unit)) => (Some(min), max, Some(unit)),
            None => (None, None, None),
        };
        let Some(id) = sqlx::query_scalar!(
            "INSERT INTO job_offers (company_id, slug, title, description_markdown, description_html,
                 contract, working_time, remote, salary_min, salary_max, salary_unit, experience,
                 diploma_level, commune_code, start_date, openings, apply_channel, apply_url,
                 apply_email, status, published_at, expires_at, view_count, created_at, updated_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                    current_date + $15::int, $16, $17, $18, $19, $20,
                    CASE WHEN $20 <> 'draft' THEN at END,
                    CASE WHEN $20 <> 'draft' THEN at + make_interval(days => $21)
                         ELSE now() + make_interval(days => $21) END,
                    $22, at - interval '2 days', at
             FROM (SELECT now() - make_interval(hours => $23) AS at) t
             ON CONFLICT (slug) DO NOTHING RETURNING id",
            company_id,
            p.slug,
            p.title,
            p.markdown,
            html,
            p.contract,
            p.working_time,
            p.remote,
            salary_min,
            salary_max,
            salary_unit,
            p.experience,
            p.diploma,
            commune,
            p.start_in,
            p.openings,
            p.apply_channel,
            apply_url,
            apply_email,
            p.status,
            EXPIRY_DAYS,
            p.view_count,
            p.hours_ago,
        )
        .fetch_optional(&mut **tx)
        .await?
        else {
            continue;
        };
        let skills: Vec<String> = p.skills.iter().map(|s| (*s).to_owned()).collect();
        let linked = sqlx::query!(
            "INSERT INTO job_skills (offer_id, skill_id)
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
        if p.status == "published" {
            // The function returns void, which sqlx decodes as ().
            sqlx::query!(r#"SELECT refresh_job_search($1) AS "refreshed: ()""#, id)
                .execute(&mut **tx)
                .await?;
        }
        created += 1;
    }
    Ok(created)
}

/// A demo candidate: (e-mail, name, headline, experience, skills).
type DemoCandidate = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// Camille Martin's profile (her account comes from `seed::DEMO_ACCOUNTS`):
/// she lacks the welding and maintenance skills Atelier Rhône Industrie asks
/// for, so the bridge has trainings to show her.
const CAMILLE_PROFILE: DemoCandidate = (
    CAMILLE,
    "Camille Martin",
    "Agente de production en reconversion vers la soudure et la maintenance",
    "Quatre ans d'agente de production dans l'agroalimentaire (Vénissieux) : conduite de \
     ligne de conditionnement, contrôles qualité, réglages de premier niveau.\n\n\
     Auparavant, deux ans d'accueil et de secrétariat dans une agence d'intérim. \
     Titulaire du SST et d'un bac professionnel gestion-administration.",
    &[
        "Lecture de plans",
        "Prévention des risques",
        "Qualité",
        "Bureautique",
    ],
);

const OTHER_CANDIDATES: [DemoCandidate; 5] = [
    (
        "karim.haddad@demo.passerelle.fr",
        "Karim Haddad",
        "Soudeur TIG/MIG, 6 ans d'expérience en chaudronnerie",
        "Six ans de soudure TIG et MIG sur acier et inox en chaudronnerie industrielle \
         (Saint-Priest), lecture de plans d'ensemble, qualification EN ISO 9606-1.",
        &["Soudure", "Lecture de plans", "Prévention des risques"],
    ),
    (
        "julie.fabre@demo.passerelle.fr",
        "Julie Fabre",
        "Technicienne de maintenance industrielle, habilitée BR",
        "BTS maintenance des systèmes, trois ans de maintenance préventive et curative sur \
         des lignes d'embouteillage ; habilitation électrique BR, automates Siemens.",
        &[
            "Maintenance industrielle",
            "Électricité",
            "Automatisme",
            "Habilitation électrique",
        ],
    ),
    (
        "mehdi.benali@demo.passerelle.fr",
        "Mehdi Benali",
        "Cariste CACES 1, 3 et 5, préparateur de commandes",
        "Cinq ans de préparation de commandes et de cariste en entrepôt frigorifique \
         (Corbas), CACES R489 catégories 1, 3 et 5 à jour, gestion des stocks sur WMS.",
        &[
            "Conduite de chariots élévateurs (CACES)",
            "Logistique",
            "Gestion des stocks",
        ],
    ),
    (
        "sophie.lambert@demo.passerelle.fr",
        "Sophie Lambert",
        "Soudeuse débutante, titre professionnel obtenu en 2026",
        "Titre professionnel soudeur assembleur industriel obtenu en 2026 après une \
         reconversion ; stage de huit semaines en atelier de serrurerie-métallerie.",
        &["Soudure", "Lecture de plans"],
    ),
    (
        "thomas.girard@demo.passerelle.fr",
        "Thomas Girard",
        "Agent logistique polyvalent",
        "Trois saisons de préparation de commandes en intérim, permis B, \
         CACES R489 catégorie 1 en cours de renouvellement.",
        &["Logistique", "Gestion des stocks"],
    ),
];

/// Applications to Atelier Rhône Industrie's offers: (candidate, offer
/// template, status, message). Most of its live offers get none, so tests
/// and visitors find offers nobody applied to yet.
const DEMO_APPLICATIONS: [(&str, &str, &str, &str); 8] = [
    (
        "karim.haddad@demo.passerelle.fr",
        "soudeur",
        "interview",
        "Bonjour, soudeur TIG/MIG depuis six ans en chaudronnerie, je suis qualifié EN ISO 9606-1 \
         et disponible sous un mois. Je serais heureux de vous présenter mon parcours.",
    ),
    (
        "sophie.lambert@demo.passerelle.fr",
        "soudeur",
        "new",
        "Bonjour, je viens d'obtenir mon titre professionnel de soudeuse et je cherche un premier \
         poste en atelier. Votre offre accepte les débutants : je suis motivée pour apprendre.",
    ),
    (
        "thomas.girard@demo.passerelle.fr",
        "soudeur",
        "refused",
        "Bonjour, je souhaite évoluer vers la soudure et suis prêt à me former.",
    ),
    (
        "julie.fabre@demo.passerelle.fr",
        "tmi",
        "in_review",
        "Bonjour, technicienne de maintenance habilitée BR, je connais bien les automates Siemens \
         que vous mentionnez. Mon CV détaille mes trois ans sur des lignes automatisées.",
    ),
    (
        "karim.haddad@demo.passerelle.fr",
        "tmi",
        "withdrawn",
        "Bonjour, je postule également à ce poste de maintenance.",
    ),
    (
        "mehdi.benali@demo.passerelle.fr",
        "cariste",
        "new",
        "Bonjour, cariste depuis cinq ans avec les CACES 1, 3 et 5 à jour, j'habite à Gerland et \
         peux commencer rapidement, y compris en horaires postés.",
    ),
    (
        "mehdi.benali@demo.passerelle.fr",
        "preparateur",
        "hired",
        "Bonjour, préparateur de commandes expérimenté, je suis disponible immédiatement.",
    ),
    (
        "thomas.girard@demo.passerelle.fr",
        "preparateur",
        "refused",
        "Bonjour, trois saisons de préparation de commandes, disponible dès lundi.",
    ),
];

/// Profiles, skills and applications of the demo candidates; returns
/// (accounts created, applications created).
async fn demo_candidates(pool: &PgPool) -> Result<(usize, usize), SeedError> {
    let mut accounts = 0;
    for (email, name, ..) in OTHER_CANDIDATES {
        if app::identity::users::ssr::email_exists(pool, email).await? {
            continue;
        }
        app::identity::users::ssr::create_user(
            pool,
            email,
            name,
            DEMO_PASSWORD,
            app::identity::users::Role::Candidate,
            true,
        )
        .await?;
        accounts += 1;
    }
    let mut tx = pool.begin().await?;
    for (email, _, headline, experience, skills) in
        std::iter::once(CAMILLE_PROFILE).chain(OTHER_CANDIDATES)
    {
        // A profile edited in the app stays as it is.
        let created = sqlx::query_scalar!(
            "INSERT INTO candidate_profiles (user_id, headline, experience)
             SELECT id, $2, $3 FROM users WHERE email = $1
             ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
            email,
            headline,
            experience
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(user) = created {
            let skills: Vec<String> = skills.iter().map(|s| (*s).to_owned()).collect();
            sqlx::query!(
                "INSERT INTO candidate_skills (user_id, skill_id)
                 SELECT $1, id FROM skills WHERE name = ANY($2::text[]) ON CONFLICT DO NOTHING",
                user,
                &skills
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    let mut applications = 0;
    for (n, (email, key, status, message)) in DEMO_APPLICATIONS.iter().enumerate() {
        let Some(t) = template(key) else { continue };
        let reason = match *status {
            "refused" if *key == "preparateur" => app::candidates::applications::REFUSAL_REASONS[0],
            "refused" => app::candidates::applications::REFUSAL_REASONS[2],
            _ => "",
        };
        // Sent somewhere between the publication and now; one per candidate
        // and offer whatever its status, so a second run adds nothing.
        let id = sqlx::query_scalar!(
            "INSERT INTO applications (offer_id, candidate_id, status, message, refusal_reason,
                                       created_at, updated_at)
             SELECT j.id, u.id, $3, $4, $5,
                    j.published_at + (now() - j.published_at) * $6::float8,
                    j.published_at + (now() - j.published_at) * $7::float8
             FROM job_offers j, users u
             WHERE j.slug = $1 AND j.published_at IS NOT NULL AND u.email = $2
               AND NOT EXISTS (SELECT 1 FROM applications a
                               WHERE a.offer_id = j.id AND a.candidate_id = u.id)
             RETURNING id",
            demo_slug(t.title, "Lyon"),
            email,
            status,
            message,
            reason,
            0.2 + 0.06 * n as f64,
            if *status == "new" {
                0.2 + 0.06 * n as f64
            } else {
                0.8
            },
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else { continue };
        applications += 1;
        if *status == "interview" {
            sqlx::query!(
                "INSERT INTO application_notes (application_id, author_id, body)
                 SELECT $1, id, $2 FROM users WHERE email = 'recrutement@demo.passerelle.fr'",
                id,
                "Très bon échange au téléphone. Entretien sur site prévu avec le chef d'atelier \
                 (test de soudure TIG sur inox)."
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok((accounts, applications))
}

/// Tops the board up to `target` generated live offers (slugs
/// `bench-offre-000001` …) from the approved companies, in towns drawn by
/// population, for load tests. Row n is the same whichever run creates it.
pub async fn bench(pool: &PgPool, target: u32) -> Result<BenchReport, SeedError> {
    // Not Atelier Rhône Industrie: its dashboard stays the demo's.
    let companies = sqlx::query!(
        "SELECT id, slug FROM organisations
         WHERE kind = 'entreprise' AND status = 'approved' AND siret <> $1 ORDER BY id",
        ARI_SIRET
    )
    .fetch_all(pool)
    .await?;
    if companies.is_empty() {
        return Err(SeedError::Usage(
            "no approved company: run `passerelle seed --demo` first".into(),
        ));
    }
    let communes =
        sqlx::query!("SELECT code, population FROM communes WHERE population > 0 ORDER BY code")
            .fetch_all(pool)
            .await?;
    if communes.is_empty() {
        return Err(SeedError::Usage(
            "no commune: run `passerelle seed --demo` first".into(),
        ));
    }
    // Cumulative populations: a uniform draw below the total lands in a
    // town with a chance proportional to its size.
    let mut cumulative = Vec::with_capacity(communes.len());
    let mut people = 0_i64;
    for commune in &communes {
        people += i64::from(commune.population);
        cumulative.push(people);
    }
    let existing: HashSet<String> =
        sqlx::query_scalar!("SELECT slug FROM job_offers WHERE slug LIKE 'bench-offre-%'")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let missing: Vec<u32> = (1..=target)
        .filter(|n| !existing.contains(&bench_slug(*n)))
        .collect();

    // A few hundred distinct descriptions: render each once.
    let mut rendered: HashMap<String, String> = HashMap::new();
    let mut created = 0;
    // Two batches in flight: while PostgreSQL stems one on a core, the
    // other one inserts, or this task plans the next.
    let mut running = tokio::task::JoinSet::new();
    for chunk in missing.chunks(BENCH_BATCH) {
        let mut rows = Vec::with_capacity(chunk.len());
        for n in chunk {
            let slug = bench_slug(*n);
            let mut rng = rng_for(&slug);
            let t = pick(&mut rng, TEMPLATES);
            let company = pick(&mut rng, &companies);
            let drawn = rng.random_range(0..people);
            let town = cumulative.partition_point(|c| *c <= drawn);
            let planned = plan(PlanInput {
                template: t,
                slug,
                status: "published",
                platform_only: false,
                company: None,
            });
            let commune = if planned.remote == "teletravail" {
                String::new()
            } else {
                communes[town.min(communes.len() - 1)].code.clone()
            };
            let html = rendered
                .entry(planned.markdown.clone())
                .or_insert_with(|| markdown::render(&planned.markdown, &HashMap::new()))
                .clone();
            rows.push(BenchRow {
                company_id: company.id,
                company_slug: company.slug.clone(),
                planned,
                html,
                commune,
            });
        }
        if running.len() >= 2 {
            created += joined(running.join_next().await)?;
        }
        let pool = pool.clone();
        running.spawn(async move { insert_bench_batch(&pool, &rows).await });
    }
    while let Some(done) = running.join_next().await {
        created += joined(Some(done))?;
    }
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM job_offers WHERE slug LIKE 'bench-offre-%'"#
    )
    .fetch_one(pool)
    .await?;
    Ok(BenchReport {
        created,
        total: usize::try_from(total).unwrap_or(0),
    })
}

/// A finished batch's count, or its error (a panic included).
fn joined(
    done: Option<Result<Result<usize, SeedError>, tokio::task::JoinError>>,
) -> Result<usize, SeedError> {
    match done {
        Some(Ok(result)) => result,
        Some(Err(error)) => Err(SeedError::Usage(format!("bench batch failed: {error}"))),
        None => Ok(0),
    }
}

fn bench_slug(n: u32) -> String {
    format!("bench-offre-{n:06}")
}

struct BenchRow {
    company_id: i64,
    company_slug: String,
    planned: Planned,
    html: String,
    /// Empty for fully remote offers.
    commune: String,
}

/// One batch in one transaction: offers, skills, then their search rows as
/// one set-based statement mirroring `refresh_job_search`.
async fn insert_bench_batch(pool: &PgPool, rows: &[BenchRow]) -> Result<usize, SeedError> {
    let text = |f: &dyn Fn(&BenchRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let int = |f: &dyn Fn(&BenchRow) -> i32| rows.iter().map(f).collect::<Vec<i32>>();
    let company_ids: Vec<i64> = rows.iter().map(|r| r.company_id).collect();
    let slugs = text(&|r| r.planned.slug.clone());
    let titles = text(&|r| r.planned.title.clone());
    let markdowns = text(&|r| r.planned.markdown.clone());
    let htmls = text(&|r| r.html.clone());
    let contracts = text(&|r| r.planned.contract.to_owned());
    let working_times = text(&|r| r.planned.working_time.to_owned());
    let remotes = text(&|r| r.planned.remote.to_owned());
    // 0 and '' stand for NULL: arrays of nullable values do not type-check in query!.
    let salary_mins = int(&|r| r.planned.salary.map_or(0, |s| s.0));
    let salary_maxes = int(&|r| r.planned.salary.and_then(|s| s.1).unwrap_or(0));
    let salary_units = text(&|r| r.planned.salary.map_or("", |s| s.2).to_owned());
    let experiences = text(&|r| r.planned.experience.to_owned());
    let diplomas: Vec<i16> = rows
        .iter()
        .map(|r| r.planned.diploma.unwrap_or(0))
        .collect();
    let communes = text(&|r| r.commune.clone());
    let starts = int(&|r| r.planned.start_in.unwrap_or(-1));
    let openings = int(&|r| r.planned.openings);
    let channels = text(&|r| r.planned.apply_channel.to_owned());
    let urls = text(&|r| match r.planned.apply_channel {
        "url" => format!(
            "https://www.{}.example/carrieres/{}",
            r.company_slug, r.planned.slug
        ),
        _ => String::new(),
    });
    let emails = text(&|r| match r.planned.apply_channel {
        "email" => format!("recrutement@{}.example", r.company_slug),
        _ => String::new(),
    });
    let hours_ago = int(&|r| r.planned.hours_ago);
    let views: Vec<i64> = rows.iter().map(|r| r.planned.view_count).collect();

    let mut tx = pool.begin().await?;
    let inserted = sqlx::query!(
        r#"INSERT INTO job_offers (company_id, slug, title, description_markdown, description_html,
               contract, working_time, remote, salary_min, salary_max, salary_unit, experience,
               diploma_level, commune_code, start_date, openings, apply_channel, apply_url,
               apply_email, status, published_at, expires_at, view_count, created_at, updated_at)
           SELECT company_id, slug, title, md, html, contract, working_time, remote,
                  NULLIF(salary_min, 0), NULLIF(salary_max, 0), NULLIF(salary_unit, ''), experience,
                  NULLIF(diploma, 0), NULLIF(commune, ''),
                  CASE WHEN start >= 0 THEN current_date + start END, openings, channel, url,
                  email, 'published', at, at + make_interval(days => $21), views,
                  at - interval '2 days', at
           FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::int4[], $10::int4[], $11::text[], $12::text[],
                       $13::int2[], $14::text[], $15::int4[], $16::int4[], $17::text[],
                       $18::text[], $19::text[], $20::int4[], $22::int8[])
                AS u (company_id, slug, title, md, html, contract, working_time, remote,
                      salary_min, salary_max, salary_unit, experience, diploma, commune, start,
                      openings, channel, url, email, hours_ago, views)
           CROSS JOIN LATERAL (SELECT now() - make_interval(hours => hours_ago) AS at) t
           ON CONFLICT (slug) DO NOTHING
           RETURNING id, slug"#,
        &company_ids,
        &slugs,
        &titles,
        &markdowns,
        &htmls,
        &contracts,
        &working_times,
        &remotes,
        &salary_mins,
        &salary_maxes,
        &salary_units,
        &experiences,
        &diplomas,
        &communes,
        &starts,
        &openings,
        &channels,
        &urls,
        &emails,
        &hours_ago,
        EXPIRY_DAYS,
        &views,
    )
    .fetch_all(&mut *tx)
    .await?;

    let by_slug: HashMap<&str, &BenchRow> =
        rows.iter().map(|r| (r.planned.slug.as_str(), r)).collect();
    let mut ids = Vec::with_capacity(inserted.len());
    let mut skill_offers = Vec::new();
    let mut skill_names = Vec::new();
    for row in &inserted {
        let Some(bench_row) = by_slug.get(row.slug.as_str()) else {
            continue;
        };
        ids.push(row.id);
        for skill in bench_row.planned.skills {
            skill_offers.push(row.id);
            skill_names.push((*skill).to_owned());
        }
    }
    sqlx::query!(
        "INSERT INTO job_skills (offer_id, skill_id)
         SELECT u.id, s.id FROM UNNEST($1::int8[], $2::text[]) AS u (id, name)
         JOIN skills s ON s.name = u.name
         ON CONFLICT DO NOTHING",
        &skill_offers,
        &skill_names
    )
    .execute(&mut *tx)
    .await?;
    // French stemming of every text is the slow part (~0.4 ms an offer
    // with its index entries): statements of 500 stay under sqlx's
    // one-second slow-query warning.
    for part in ids.chunks(500) {
        refresh_search_set(&mut tx, part).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

/// `refresh_job_search` for many offers in one statement: same columns, same
/// weights, same rule (published, not expired, company approved).
async fn refresh_search_set(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM job_search WHERE offer_id = ANY($1::int8[])",
        ids
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "INSERT INTO job_search
         SELECT j.id, j.company_id, j.contract, j.remote, j.working_time, j.experience,
                yearly_salary(j.salary_min, j.salary_unit),
                j.commune_code, c.departement_code, c.region_code, j.published_at, j.expires_at,
                setweight(to_tsvector('french_unaccent', j.title), 'A') ||
                setweight(to_tsvector('french_unaccent', coalesce(sk.names, '')), 'B') ||
                setweight(to_tsvector('french_unaccent', o.name || ' ' || j.description_markdown), 'C'),
                immutable_unaccent(lower(j.title))
         FROM job_offers j
         JOIN organisations o ON o.id = j.company_id AND o.status = 'approved'
         LEFT JOIN communes c ON c.code = j.commune_code
         LEFT JOIN LATERAL (
             SELECT string_agg(s.name, ' ') AS names
             FROM job_skills js JOIN skills s ON s.id = js.skill_id
             WHERE js.offer_id = j.id
         ) sk ON true
         WHERE j.id = ANY($1::int8[]) AND j.status = 'published' AND j.expires_at > now()",
        ids
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// The demo data. Companies, people and addresses are fictional.

const CDI: &str = "cdi";
const CDD: &str = "cdd";
const INTERIM: &str = "interim";
const SAISON: &str = "saisonnier";
const ALTERNANCE: &str = "alternance";
const STAGE: &str = "stage";
const FREELANCE: &str = "freelance";

const TEMPLATES: &[JobTemplate] = &[
    // Industrie
    JobTemplate {
        key: "soudeur",
        title: "Soudeur TIG / MIG (H/F)",
        intro: "Au sein de l'atelier de chaudronnerie, vous réalisez l'assemblage et la soudure d'ensembles mécano-soudés en acier et en inox, de la pièce unitaire à la petite série.",
        missions: &[
            "Lire les plans et les gammes de soudage, préparer les pièces (pointage, chanfreins)",
            "Souder en TIG et en MIG/MAG, dans toutes les positions",
            "Contrôler visuellement et dimensionnellement vos soudures",
            "Entretenir votre poste et respecter les consignes de sécurité",
        ],
        profile: &[
            "Maîtrise d'au moins un procédé (TIG ou MIG/MAG) ; une qualification EN ISO 9606-1 est un plus",
            "Rigueur, minutie et goût du travail bien fait",
        ],
        skills: &["Soudure", "Lecture de plans", "Prévention des risques"],
        contracts: &[CDI, CDI, INTERIM, CDD, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 2_100, 2_600),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 3,
    },
    JobTemplate {
        key: "tmi",
        title: "Technicien de maintenance industrielle (H/F)",
        intro: "Rattaché(e) au responsable maintenance, vous garantissez la disponibilité des lignes de production et participez à leur amélioration continue.",
        missions: &[
            "Diagnostiquer et réparer les pannes mécaniques, électriques et pneumatiques",
            "Réaliser la maintenance préventive planifiée dans la GMAO",
            "Intervenir sur les automates (Siemens S7, Schneider) pour le dépannage de premier niveau",
            "Proposer des améliorations pour fiabiliser les équipements",
        ],
        profile: &[
            "Formation en maintenance industrielle ou électrotechnique",
            "Habilitation électrique BR à jour, ou à passer à l'embauche",
            "Disponibilité pour les astreintes (une semaine sur quatre, rémunérée)",
        ],
        skills: &[
            "Maintenance industrielle",
            "Électricité",
            "Automatisme",
            "Habilitation électrique",
        ],
        contracts: &[CDI, CDI, CDI, INTERIM, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 2_300, 2_900),
        experience: &["1-2", "3-5", "debutant"],
        diploma: Some(5),
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "operateur_cn",
        title: "Opérateur régleur sur commande numérique (H/F)",
        intro: "Dans notre atelier d'usinage de précision, vous réglez et conduisez des tours et des centres d'usinage à commande numérique.",
        missions: &[
            "Préparer la machine : montage des outils et des montages d'usinage",
            "Charger les programmes, réaliser les premières pièces et les faire valider",
            "Suivre la production et contrôler les pièces (pied à coulisse, micromètre, colonne de mesure)",
            "Renseigner les documents de suivi qualité",
        ],
        profile: &[
            "Connaissance des commandes Fanuc ou Siemens appréciée",
            "Aisance avec la lecture de plans et la cotation",
        ],
        skills: &["Usinage", "Lecture de plans", "Qualité"],
        contracts: &[CDI, INTERIM, INTERIM, CDD],
        remote: Remote::Site,
        salary: ("mois", 1_950, 2_400),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(4),
        part_time: 0,
        openings: 3,
    },
    JobTemplate {
        key: "automaticien",
        title: "Automaticien (H/F)",
        intro: "Au sein du bureau d'études, vous concevez, programmez et mettez en service les automatismes de nos machines spéciales.",
        missions: &[
            "Rédiger les analyses fonctionnelles avec le bureau d'études",
            "Programmer les automates et les interfaces homme-machine",
            "Mettre en service les installations chez nos clients, en France et parfois à l'étranger",
            "Former les équipes de maintenance des clients",
        ],
        profile: &[
            "Maîtrise de TIA Portal ; la sécurité machine est un plus",
            "Permis B ; déplacements possibles (20 % du temps)",
        ],
        skills: &["Automatisme", "Électricité", "Maintenance industrielle"],
        contracts: &[CDI, CDI, FREELANCE, ALTERNANCE],
        remote: Remote::Site,
        salary: ("annee", 36_000, 46_000),
        experience: &["1-2", "3-5", "5-plus"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "conducteur_ligne",
        title: "Conducteur de ligne de production (H/F)",
        intro: "Vous pilotez une ligne de production automatisée en équipe, dans le respect des objectifs de qualité, de sécurité et de rendement.",
        missions: &[
            "Démarrer, régler et conduire la ligne selon le planning",
            "Réaliser les changements de format et les nettoyages",
            "Effectuer les contrôles qualité en cours de production",
            "Assurer la maintenance de premier niveau et alerter en cas de dérive",
        ],
        profile: &[
            "Horaires en 2x8 ou 3x8, primes d'équipe en plus du salaire",
            "Esprit d'équipe et sens des responsabilités",
        ],
        skills: &[
            "Maintenance industrielle",
            "Qualité",
            "Prévention des risques",
        ],
        contracts: &[INTERIM, INTERIM, CDI, CDD],
        remote: Remote::Site,
        salary: ("heure", 12, 14),
        experience: &["debutant", "1-2"],
        diploma: None,
        part_time: 0,
        openings: 6,
    },
    JobTemplate {
        key: "qse",
        title: "Responsable qualité sécurité environnement (H/F)",
        intro: "Vous animez le système de management intégré (ISO 9001, 45001 et 14001) et faites vivre la culture sécurité sur le site.",
        missions: &[
            "Piloter les audits internes et préparer les audits de certification",
            "Tenir à jour le document unique d'évaluation des risques",
            "Analyser les accidents et les non-conformités, suivre les plans d'action",
            "Sensibiliser et former les équipes aux bonnes pratiques",
        ],
        profile: &[
            "Formation supérieure en qualité, sécurité ou environnement",
            "Capacité à convaincre et à animer des groupes de travail",
        ],
        skills: &["Qualité", "Prévention des risques", "Gestion de projet"],
        contracts: &[CDI, CDI, CDD, ALTERNANCE],
        remote: Remote::Hybrid,
        salary: ("annee", 40_000, 50_000),
        experience: &["3-5", "5-plus"],
        diploma: Some(6),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "mecanicien",
        title: "Mécanicien automobile (H/F)",
        intro: "Dans notre atelier toutes marques, vous assurez l'entretien et la réparation des véhicules de nos clients.",
        missions: &[
            "Réaliser les révisions, vidanges, freinage et distribution",
            "Diagnostiquer les pannes avec la valise multimarque",
            "Intervenir sur les véhicules hybrides (habilitation fournie)",
            "Conseiller les clients avec le réceptionnaire d'atelier",
        ],
        profile: &[
            "CAP ou bac pro maintenance des véhicules",
            "Permis B indispensable",
        ],
        skills: &["Mécanique automobile", "Électricité"],
        contracts: &[CDI, CDI, ALTERNANCE, INTERIM],
        remote: Remote::Site,
        salary: ("mois", 1_900, 2_400),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "carrossier",
        title: "Carrossier peintre (H/F)",
        intro: "Vous remettez en état les carrosseries de véhicules accidentés, du débosselage à la mise en peinture.",
        missions: &[
            "Déposer et reposer les éléments de carrosserie",
            "Redresser, débosseler et remplacer les pièces endommagées",
            "Préparer les surfaces et appliquer les peintures en cabine",
            "Contrôler la qualité finale avant restitution au client",
        ],
        profile: &["Minutie et sens esthétique", "Permis B"],
        skills: &["Carrosserie", "Mécanique automobile", "Soudure"],
        contracts: &[CDI, INTERIM, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 1_900, 2_300),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 1,
    },
    // Numérique
    JobTemplate {
        key: "dev_web",
        title: "Développeur web full stack (H/F)",
        intro: "Vous rejoignez une équipe produit de huit personnes qui développe une application web utilisée chaque jour par des milliers de professionnels.",
        missions: &[
            "Développer de nouvelles fonctionnalités, du front-end à l'API",
            "Écrire des tests automatisés et relire le code de vos collègues",
            "Participer aux rituels agiles et aux choix d'architecture",
            "Améliorer l'accessibilité et les performances de l'application",
        ],
        profile: &[
            "Bonne maîtrise de JavaScript ou TypeScript et d'un framework (React, Vue)",
            "Connaissance de SQL et d'un langage back-end",
        ],
        skills: &[
            "Développement web",
            "JavaScript",
            "Bases de données SQL",
            "Méthodes agiles",
        ],
        contracts: &[CDI, CDI, CDI, FREELANCE, ALTERNANCE, STAGE],
        remote: Remote::Any,
        salary: ("annee", 38_000, 50_000),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(5),
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "dev_front",
        title: "Développeur front-end JavaScript (H/F)",
        intro: "Vous construisez les interfaces de nos produits avec l'équipe design, en portant une attention particulière à l'accessibilité.",
        missions: &[
            "Intégrer les maquettes en composants réutilisables",
            "Garantir l'accessibilité (RGAA) et la compatibilité des navigateurs",
            "Optimiser les temps de chargement",
            "Maintenir le design system avec les designers",
        ],
        profile: &[
            "Maîtrise de HTML, CSS et JavaScript moderne",
            "Sensibilité à l'expérience utilisateur",
        ],
        skills: &["JavaScript", "Développement web", "UX design"],
        contracts: &[CDI, CDI, FREELANCE, STAGE, ALTERNANCE],
        remote: Remote::Any,
        salary: ("annee", 35_000, 45_000),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "dev_java",
        title: "Développeur Java Spring Boot (H/F)",
        intro: "Au sein d'un plateau de développement, vous faites évoluer des applications métier critiques pour nos clients de la banque et de l'assurance.",
        missions: &[
            "Concevoir et développer des services REST en Java et Spring Boot",
            "Modéliser les données et optimiser les requêtes SQL",
            "Automatiser les tests et les déploiements (GitLab CI, Docker)",
            "Rédiger la documentation technique",
        ],
        profile: &[
            "Solide pratique de Java 17 ou plus",
            "Goût du travail en équipe et de la qualité du code",
        ],
        skills: &["Java", "Bases de données SQL", "Cloud et DevOps"],
        contracts: &[CDI, CDI, CDI, FREELANCE, ALTERNANCE],
        remote: Remote::Any,
        salary: ("annee", 42_000, 54_000),
        experience: &["1-2", "3-5", "5-plus"],
        diploma: Some(6),
        part_time: 0,
        openings: 3,
    },
    JobTemplate {
        key: "dev_rust",
        title: "Développeur back-end Rust (H/F)",
        intro: "Vous développez les services qui traitent chaque jour des millions de requêtes, avec une exigence forte de fiabilité et de performance.",
        missions: &[
            "Concevoir et développer des services en Rust (axum, tokio, sqlx)",
            "Optimiser les requêtes PostgreSQL et l'observabilité",
            "Participer aux astreintes et aux post-mortems sans reproche",
            "Accompagner les collègues qui découvrent Rust",
        ],
        profile: &[
            "Une première expérience de Rust en production, ou une solide expérience en C++ ou Go",
            "Curiosité et rigueur",
        ],
        skills: &["Rust", "Cloud et DevOps", "Bases de données SQL"],
        contracts: &[CDI, CDI, FREELANCE],
        remote: Remote::Any,
        salary: ("annee", 48_000, 62_000),
        experience: &["1-2", "3-5", "5-plus"],
        diploma: Some(6),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "admin_sys",
        title: "Administrateur systèmes et réseaux (H/F)",
        intro: "Vous êtes garant(e) du bon fonctionnement et de la sécurité de notre infrastructure : serveurs, réseau, sauvegardes et postes de travail.",
        missions: &[
            "Administrer les serveurs Linux et Windows et la virtualisation",
            "Gérer le réseau (commutateurs, VLAN, pare-feu, VPN)",
            "Superviser, sauvegarder et tester les plans de reprise",
            "Appliquer les correctifs et les recommandations de l'ANSSI",
        ],
        profile: &[
            "Formation bac+2/3 en systèmes et réseaux",
            "Autonomie, sens du service et de la confidentialité",
        ],
        skills: &[
            "Administration systèmes Linux",
            "Réseaux informatiques",
            "Cybersécurité",
        ],
        contracts: &[CDI, CDI, ALTERNANCE, CDD],
        remote: Remote::Hybrid,
        salary: ("annee", 36_000, 45_000),
        experience: &["1-2", "3-5"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "devops",
        title: "Ingénieur DevOps (H/F)",
        intro: "Vous automatisez la plateforme sur laquelle tournent nos applications et aidez les équipes de développement à livrer plus souvent, plus sereinement.",
        missions: &[
            "Faire évoluer l'infrastructure en code (Terraform, Ansible)",
            "Administrer les clusters Kubernetes et les chaînes d'intégration continue",
            "Mettre en place la supervision, les alertes et les tableaux de bord",
            "Participer à la sécurité de la plateforme",
        ],
        profile: &[
            "Expérience de Linux, des conteneurs et d'un cloud public",
            "Pédagogie et goût du partage",
        ],
        skills: &[
            "Cloud et DevOps",
            "Administration systèmes Linux",
            "Méthodes agiles",
        ],
        contracts: &[CDI, CDI, FREELANCE],
        remote: Remote::Any,
        salary: ("annee", 48_000, 60_000),
        experience: &["3-5", "5-plus"],
        diploma: Some(6),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "data_analyst",
        title: "Data analyst (H/F)",
        intro: "Vous transformez nos données en décisions : tableaux de bord, études ponctuelles et indicateurs de pilotage pour les équipes métier.",
        missions: &[
            "Collecter, nettoyer et croiser les données de nos outils",
            "Construire et maintenir les tableaux de bord (Power BI, Metabase)",
            "Réaliser des analyses en SQL et en Python",
            "Présenter vos résultats aux directions métier",
        ],
        profile: &[
            "Maîtrise de SQL, bonne pratique de Python (pandas)",
            "Esprit de synthèse et aisance à l'oral",
        ],
        skills: &["Analyse de données", "Python", "Bases de données SQL"],
        contracts: &[CDI, CDI, CDD, ALTERNANCE, STAGE],
        remote: Remote::Any,
        salary: ("annee", 38_000, 47_000),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(6),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "support",
        title: "Technicien support informatique (H/F)",
        intro: "Premier interlocuteur des utilisateurs, vous résolvez leurs incidents et les accompagnez au quotidien sur leurs outils.",
        missions: &[
            "Prendre en charge les demandes par téléphone, ticket et sur site",
            "Préparer et déployer les postes de travail",
            "Gérer les comptes et les droits dans l'Active Directory",
            "Rédiger des procédures et des fiches de résolution",
        ],
        profile: &[
            "Sens du service et patience",
            "Bonnes bases en réseaux et en systèmes Windows",
        ],
        skills: &[
            "Support informatique",
            "Réseaux informatiques",
            "Relation client",
        ],
        contracts: &[CDI, CDD, INTERIM, ALTERNANCE],
        remote: Remote::Hybrid,
        salary: ("mois", 1_900, 2_250),
        experience: &["debutant", "1-2"],
        diploma: Some(4),
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "cyber",
        title: "Analyste cybersécurité SOC (H/F)",
        intro: "Au sein de notre centre opérationnel de sécurité, vous détectez et traitez les incidents de sécurité de nos clients.",
        missions: &[
            "Analyser les alertes remontées par le SIEM et qualifier les incidents",
            "Mener les premières actions de réponse et d'investigation",
            "Améliorer les règles de détection",
            "Rédiger les rapports d'incident",
        ],
        profile: &[
            "Formation en cybersécurité ou en réseaux",
            "Rigueur et curiosité technique",
        ],
        skills: &[
            "Cybersécurité",
            "Réseaux informatiques",
            "Administration systèmes Linux",
        ],
        contracts: &[CDI, CDI, ALTERNANCE],
        remote: Remote::Hybrid,
        salary: ("annee", 38_000, 48_000),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(6),
        part_time: 0,
        openings: 2,
    },
    // Santé et aide à la personne
    JobTemplate {
        key: "aide_soignant",
        title: "Aide-soignant (H/F)",
        intro: "Au sein d'une équipe pluridisciplinaire, vous accompagnez les résidents dans les gestes de la vie quotidienne et veillez à leur confort.",
        missions: &[
            "Réaliser les soins d'hygiène et de confort",
            "Observer l'état de santé des résidents et transmettre à l'infirmier",
            "Aider aux repas et à la mobilité",
            "Participer aux projets d'animation et au projet de vie",
        ],
        profile: &[
            "Diplôme d'État d'aide-soignant",
            "Bienveillance, écoute et sens du travail en équipe",
        ],
        skills: &[
            "Soins infirmiers",
            "Aide à la personne",
            "Accueil du public",
        ],
        contracts: &[CDI, CDI, CDD, INTERIM],
        remote: Remote::Site,
        salary: ("mois", 1_950, 2_200),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(4),
        part_time: 20,
        openings: 4,
    },
    JobTemplate {
        key: "infirmier",
        title: "Infirmier diplômé d'État (H/F)",
        intro: "Vous assurez les soins infirmiers et coordonnez l'équipe soignante de votre unité, en lien avec les médecins.",
        missions: &[
            "Réaliser les soins techniques et la distribution des traitements",
            "Assurer le suivi des dossiers de soins",
            "Encadrer les aides-soignants et les étudiants en stage",
            "Accompagner les patients et leurs familles",
        ],
        profile: &[
            "Diplôme d'État d'infirmier, inscription à l'Ordre",
            "Sens de l'organisation et calme en situation d'urgence",
        ],
        skills: &[
            "Soins infirmiers",
            "Aide à la personne",
            "Prévention des risques",
        ],
        contracts: &[CDI, CDI, CDD, INTERIM],
        remote: Remote::Site,
        salary: ("mois", 2_400, 2_950),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(6),
        part_time: 20,
        openings: 3,
    },
    JobTemplate {
        key: "auxiliaire_vie",
        title: "Auxiliaire de vie à domicile (H/F)",
        intro: "Vous intervenez au domicile de personnes âgées ou en situation de handicap pour les aider à rester chez elles dans de bonnes conditions.",
        missions: &[
            "Aider au lever, à la toilette et à l'habillage",
            "Préparer les repas et accompagner les courses",
            "Entretenir le logement et le linge",
            "Stimuler et accompagner dans les activités et les sorties",
        ],
        profile: &[
            "Permis B et véhicule (indemnités kilométriques)",
            "Qualités humaines : patience, discrétion, ponctualité",
        ],
        skills: &[
            "Aide à la personne",
            "Hygiène et sécurité alimentaire",
            "Accueil du public",
        ],
        contracts: &[CDI, CDI, CDD],
        remote: Remote::Site,
        salary: ("heure", 12, 13),
        experience: &["debutant", "1-2"],
        diploma: None,
        part_time: 60,
        openings: 5,
    },
    JobTemplate {
        key: "aepe",
        title: "Accompagnant éducatif petite enfance en crèche (H/F)",
        intro: "Dans une crèche de quarante berceaux, vous accompagnez les enfants de 10 semaines à 3 ans dans leur éveil et leur quotidien.",
        missions: &[
            "Accueillir les enfants et leurs parents",
            "Assurer les soins d'hygiène, les repas et les temps de sieste",
            "Proposer des activités d'éveil adaptées à chaque âge",
            "Participer aux réunions d'équipe et au projet pédagogique",
        ],
        profile: &[
            "CAP accompagnant éducatif petite enfance",
            "Douceur, patience et créativité",
        ],
        skills: &[
            "Petite enfance",
            "Aide à la personne",
            "Hygiène et sécurité alimentaire",
        ],
        contracts: &[CDI, CDD, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 1_850, 2_000),
        experience: &["debutant", "1-2"],
        diploma: Some(3),
        part_time: 25,
        openings: 2,
    },
    JobTemplate {
        key: "secretaire_medicale",
        title: "Secrétaire médicale (H/F)",
        intro: "Vous assurez l'accueil des patients et la gestion administrative d'un service de consultations.",
        missions: &[
            "Accueillir les patients physiquement et au téléphone",
            "Gérer les agendas des praticiens et les rendez-vous",
            "Constituer et tenir à jour les dossiers médicaux",
            "Saisir les comptes rendus et gérer la facturation",
        ],
        profile: &[
            "Maîtrise du vocabulaire médical et des outils bureautiques",
            "Discrétion et sens de l'accueil",
        ],
        skills: &["Accueil du public", "Gestion administrative", "Bureautique"],
        contracts: &[CDI, CDD, CDD],
        remote: Remote::Site,
        salary: ("mois", 1_900, 2_150),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(4),
        part_time: 30,
        openings: 1,
    },
    // Commerce et relation client
    JobTemplate {
        key: "vendeur",
        title: "Vendeur conseil en magasin (H/F)",
        intro: "Vous accueillez et conseillez nos clients et contribuez à la bonne tenue du magasin et à l'atteinte des objectifs.",
        missions: &[
            "Accueillir, conseiller et accompagner les clients jusqu'à l'encaissement",
            "Mettre en rayon et valoriser les produits",
            "Participer aux inventaires et à la réception des livraisons",
            "Assurer le suivi des commandes clients",
        ],
        profile: &[
            "Goût du contact et de la vente",
            "Disponibilité le samedi (un jour de repos en semaine)",
        ],
        skills: &["Vente", "Relation client", "Accueil du public"],
        contracts: &[CDI, CDD, SAISON, ALTERNANCE],
        remote: Remote::Site,
        salary: ("heure", 12, 13),
        experience: &["debutant", "1-2"],
        diploma: None,
        part_time: 35,
        openings: 3,
    },
    JobTemplate {
        key: "commercial_b2b",
        title: "Technico-commercial itinérant (H/F)",
        intro: "Vous développez un portefeuille de clients professionnels sur votre secteur, de la prospection au suivi des affaires.",
        missions: &[
            "Prospecter de nouveaux clients et fidéliser le portefeuille",
            "Analyser les besoins techniques et établir les offres",
            "Négocier et conclure les ventes",
            "Assurer le reporting dans le CRM",
        ],
        profile: &[
            "Formation technique ou commerciale, permis B",
            "Aisance relationnelle et ténacité",
        ],
        skills: &["Négociation commerciale", "Vente", "Relation client"],
        contracts: &[CDI, CDI, ALTERNANCE],
        remote: Remote::Hybrid,
        salary: ("annee", 32_000, 40_000),
        experience: &["1-2", "3-5"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "conseiller_clientele",
        title: "Conseiller clientèle à distance (H/F)",
        intro: "Vous répondez aux demandes de nos clients par téléphone, e-mail et messagerie, et leur proposez les solutions adaptées.",
        missions: &[
            "Traiter les appels entrants et les demandes écrites",
            "Conseiller et proposer les offres adaptées",
            "Assurer le suivi des réclamations jusqu'à leur résolution",
            "Renseigner l'historique client",
        ],
        profile: &[
            "Excellente expression orale et écrite",
            "Aisance avec les outils informatiques",
        ],
        skills: &["Relation client", "Bureautique", "Vente"],
        contracts: &[CDI, CDD, INTERIM],
        remote: Remote::Any,
        salary: ("mois", 1_850, 2_050),
        experience: &["debutant", "1-2"],
        diploma: Some(4),
        part_time: 15,
        openings: 8,
    },
    JobTemplate {
        key: "responsable_magasin",
        title: "Responsable de magasin (H/F)",
        intro: "Vous pilotez un magasin de proximité et son équipe de huit personnes : chiffre d'affaires, stocks et satisfaction des clients.",
        missions: &[
            "Animer, planifier et faire progresser l'équipe",
            "Suivre le chiffre d'affaires et la marge, piloter les commandes",
            "Garantir la bonne tenue du magasin et la qualité de l'accueil",
            "Appliquer la politique commerciale de l'enseigne",
        ],
        profile: &[
            "Expérience réussie en management de la distribution",
            "Leadership et sens du commerce",
        ],
        skills: &["Animation d'équipe", "Vente", "Gestion des stocks"],
        contracts: &[CDI, CDI, ALTERNANCE],
        remote: Remote::Site,
        salary: ("annee", 32_000, 38_000),
        experience: &["3-5", "5-plus"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "conseiller_bancaire",
        title: "Conseiller clientèle bancaire (H/F)",
        intro: "En agence, vous accompagnez une clientèle de particuliers dans tous leurs projets : épargne, crédit, assurance.",
        missions: &[
            "Gérer et développer un portefeuille de clients particuliers",
            "Conseiller sur l'épargne, le crédit et l'assurance",
            "Accueillir les nouveaux clients",
            "Respecter les règles de conformité",
        ],
        profile: &[
            "Formation bac+2 à bac+3 banque, assurance ou commerce",
            "Sens commercial et du conseil",
        ],
        skills: &["Banque et assurance", "Relation client", "Vente"],
        contracts: &[CDI, ALTERNANCE, ALTERNANCE, CDD],
        remote: Remote::Site,
        salary: ("annee", 30_000, 36_000),
        experience: &["debutant", "1-2"],
        diploma: Some(5),
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "negociateur_immo",
        title: "Négociateur immobilier (H/F)",
        intro: "Vous prospectez, estimez et vendez des biens immobiliers sur votre secteur, avec le soutien d'une agence reconnue.",
        missions: &[
            "Prospecter des mandats de vente",
            "Estimer les biens et conseiller les vendeurs",
            "Organiser les visites et accompagner les acquéreurs",
            "Suivre les dossiers jusqu'à la signature chez le notaire",
        ],
        profile: &[
            "Permis B et véhicule",
            "Sens de la négociation et autonomie",
        ],
        skills: &["Immobilier", "Négociation commerciale", "Relation client"],
        contracts: &[FREELANCE, FREELANCE, CDI],
        remote: Remote::Site,
        salary: ("annee", 28_000, 45_000),
        experience: &["debutant", "1-2", "3-5"],
        diploma: None,
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "marketing",
        title: "Chargé de marketing digital (H/F)",
        intro: "Vous faites connaître nos offres en ligne : campagnes, référencement, réseaux sociaux et contenus.",
        missions: &[
            "Piloter les campagnes d'acquisition payantes",
            "Améliorer le référencement naturel du site",
            "Animer les réseaux sociaux et la lettre d'information",
            "Suivre et analyser les résultats",
        ],
        profile: &[
            "Formation en marketing ou en communication",
            "Aisance rédactionnelle et goût des chiffres",
        ],
        skills: &[
            "Marketing digital",
            "Référencement web (SEO)",
            "Community management",
        ],
        contracts: &[CDI, CDD, ALTERNANCE, STAGE, FREELANCE],
        remote: Remote::Any,
        salary: ("annee", 32_000, 38_000),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(6),
        part_time: 0,
        openings: 1,
    },
    // Gestion, administration, ressources humaines
    JobTemplate {
        key: "comptable",
        title: "Comptable général (H/F)",
        intro: "Au sein du service comptable, vous tenez la comptabilité générale et participez aux clôtures mensuelles et annuelles.",
        missions: &[
            "Saisir et contrôler les écritures (achats, ventes, banques)",
            "Réaliser les rapprochements bancaires et le lettrage",
            "Préparer les déclarations de TVA",
            "Participer aux clôtures et à la préparation du bilan",
        ],
        profile: &[
            "Formation en comptabilité (BTS CG, DCG)",
            "Rigueur et maîtrise d'Excel",
        ],
        skills: &["Comptabilité", "Contrôle de gestion", "Bureautique"],
        contracts: &[CDI, CDI, CDD, ALTERNANCE, INTERIM],
        remote: Remote::Hybrid,
        salary: ("annee", 32_000, 40_000),
        experience: &["1-2", "3-5", "debutant"],
        diploma: Some(5),
        part_time: 10,
        openings: 1,
    },
    JobTemplate {
        key: "paie",
        title: "Gestionnaire de paie (H/F)",
        intro: "Vous prenez en charge la paie d'un portefeuille de clients, de la collecte des variables aux déclarations sociales.",
        missions: &[
            "Établir les bulletins de paie et contrôler les variables",
            "Réaliser les déclarations sociales nominatives (DSN)",
            "Gérer les entrées, sorties et arrêts de travail",
            "Conseiller les clients sur les questions de droit social",
        ],
        profile: &[
            "Formation en paie, maîtrise d'un logiciel de paie (Silae, Sage)",
            "Veille réglementaire et sens de la confidentialité",
        ],
        skills: &["Paie", "Droit du travail", "Ressources humaines"],
        contracts: &[CDI, CDI, CDD, ALTERNANCE],
        remote: Remote::Any,
        salary: ("annee", 30_000, 38_000),
        experience: &["1-2", "3-5"],
        diploma: Some(5),
        part_time: 10,
        openings: 1,
    },
    JobTemplate {
        key: "assistant_admin",
        title: "Assistant administratif (H/F)",
        intro: "Vous assurez le bon fonctionnement administratif du site et êtes le point de contact de nos clients et fournisseurs.",
        missions: &[
            "Accueillir les visiteurs et gérer le standard",
            "Traiter le courrier, les devis et la facturation",
            "Tenir à jour les tableaux de suivi",
            "Organiser les réunions et les déplacements",
        ],
        profile: &[
            "Maîtrise des outils bureautiques",
            "Organisation, polyvalence et bon relationnel",
        ],
        skills: &["Gestion administrative", "Bureautique", "Accueil du public"],
        contracts: &[CDI, CDD, INTERIM, ALTERNANCE],
        remote: Remote::Hybrid,
        salary: ("mois", 1_850, 2_150),
        experience: &["debutant", "1-2"],
        diploma: Some(4),
        part_time: 20,
        openings: 1,
    },
    JobTemplate {
        key: "assistant_direction",
        title: "Assistant de direction bilingue (H/F)",
        intro: "Vous secondez la direction générale au quotidien et assurez l'interface avec nos partenaires, en France et à l'international.",
        missions: &[
            "Gérer l'agenda et les déplacements de la direction",
            "Préparer les comités de direction et en rédiger les comptes rendus",
            "Traiter les dossiers confidentiels",
            "Échanger en anglais avec les partenaires étrangers",
        ],
        profile: &[
            "Anglais courant (niveau C1)",
            "Discrétion, anticipation et excellente rédaction",
        ],
        skills: &[
            "Assistance de direction",
            "Anglais professionnel",
            "Bureautique",
        ],
        contracts: &[CDI, CDD],
        remote: Remote::Hybrid,
        salary: ("annee", 30_000, 36_000),
        experience: &["3-5", "5-plus"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "charge_rh",
        title: "Chargé de ressources humaines et recrutement (H/F)",
        intro: "Vous accompagnez les managers sur le recrutement, l'intégration et l'administration du personnel.",
        missions: &[
            "Conduire les recrutements, de l'annonce à l'intégration",
            "Gérer l'administration du personnel (contrats, absences, visites médicales)",
            "Préparer les éléments variables de paie",
            "Participer au plan de développement des compétences",
        ],
        profile: &[
            "Formation supérieure en ressources humaines",
            "Connaissance du droit du travail",
        ],
        skills: &["Ressources humaines", "Recrutement", "Droit du travail"],
        contracts: &[CDI, CDD, ALTERNANCE, STAGE],
        remote: Remote::Hybrid,
        salary: ("annee", 33_000, 40_000),
        experience: &["1-2", "3-5"],
        diploma: Some(6),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "controleur_gestion",
        title: "Contrôleur de gestion (H/F)",
        intro: "Vous construisez le budget, suivez la performance économique et éclairez les décisions de la direction.",
        missions: &[
            "Élaborer le budget et les prévisions",
            "Produire le reporting mensuel et analyser les écarts",
            "Calculer les coûts de revient",
            "Améliorer les outils de pilotage",
        ],
        profile: &[
            "Formation bac+5 en contrôle de gestion ou école de commerce",
            "Excellente maîtrise d'Excel, esprit d'analyse",
        ],
        skills: &["Contrôle de gestion", "Analyse de données", "Comptabilité"],
        contracts: &[CDI, CDI, CDD, ALTERNANCE],
        remote: Remote::Hybrid,
        salary: ("annee", 42_000, 52_000),
        experience: &["3-5", "5-plus"],
        diploma: Some(7),
        part_time: 0,
        openings: 1,
    },
    // Logistique et transport
    JobTemplate {
        key: "cariste",
        title: "Cariste CACES R489 (H/F)",
        intro: "Dans un entrepôt de 20 000 m², vous assurez le chargement, le déchargement et le stockage des marchandises.",
        missions: &[
            "Décharger les camions et contrôler les réceptions",
            "Ranger les palettes en hauteur et réapprovisionner les zones de préparation",
            "Charger les expéditions dans le respect des délais",
            "Saisir les mouvements sur terminal radio",
        ],
        profile: &[
            "CACES R489 catégories 1, 3 et 5 à jour",
            "Respect des règles de sécurité",
        ],
        skills: &[
            "Conduite de chariots élévateurs (CACES)",
            "Logistique",
            "Gestion des stocks",
        ],
        contracts: &[INTERIM, INTERIM, CDI, CDD],
        remote: Remote::Site,
        salary: ("heure", 12, 14),
        experience: &["debutant", "1-2", "3-5"],
        diploma: None,
        part_time: 0,
        openings: 5,
    },
    JobTemplate {
        key: "preparateur",
        title: "Préparateur de commandes (H/F)",
        intro: "Vous préparez les commandes de nos clients avec le guidage vocal, dans un entrepôt moderne et lumineux.",
        missions: &[
            "Préparer les commandes selon les instructions du guidage vocal",
            "Contrôler les quantités et la qualité des produits",
            "Filmer et étiqueter les palettes",
            "Participer aux inventaires",
        ],
        profile: &[
            "Dynamisme et bonne condition physique",
            "Le CACES R489 catégorie 1 est un plus",
        ],
        skills: &[
            "Logistique",
            "Gestion des stocks",
            "Conduite de chariots élévateurs (CACES)",
        ],
        contracts: &[INTERIM, INTERIM, SAISON, CDI, CDD],
        remote: Remote::Site,
        salary: ("heure", 12, 13),
        experience: &["debutant"],
        diploma: None,
        part_time: 10,
        openings: 10,
    },
    JobTemplate {
        key: "chauffeur_pl",
        title: "Chauffeur poids lourd (H/F)",
        intro: "Vous livrez nos clients professionnels en région, au volant d'un porteur récent, avec retour au dépôt chaque soir.",
        missions: &[
            "Charger le véhicule et vérifier les documents de transport",
            "Livrer les clients dans le respect des horaires",
            "Assurer les contrôles et l'entretien courant du véhicule",
            "Remonter les anomalies au service exploitation",
        ],
        profile: &[
            "Permis C, FIMO ou FCO à jour, carte conducteur",
            "Ponctualité et sens du service",
        ],
        skills: &["Transport routier", "Logistique"],
        contracts: &[CDI, CDI, INTERIM, CDD],
        remote: Remote::Site,
        salary: ("mois", 2_100, 2_500),
        experience: &["1-2", "3-5"],
        diploma: None,
        part_time: 0,
        openings: 3,
    },
    JobTemplate {
        key: "responsable_entrepot",
        title: "Responsable d'entrepôt (H/F)",
        intro: "Vous dirigez l'activité d'un entrepôt et de ses trente collaborateurs : réception, stockage, préparation et expédition.",
        missions: &[
            "Organiser l'activité et planifier les équipes",
            "Suivre les indicateurs de productivité et de qualité",
            "Garantir la sécurité des personnes et des marchandises",
            "Conduire les projets d'amélioration",
        ],
        profile: &[
            "Expérience de l'encadrement en logistique",
            "Leadership, rigueur et réactivité",
        ],
        skills: &["Logistique", "Gestion des stocks", "Animation d'équipe"],
        contracts: &[CDI],
        remote: Remote::Site,
        salary: ("annee", 38_000, 46_000),
        experience: &["3-5", "5-plus"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    // Hôtellerie et restauration
    JobTemplate {
        key: "cuisinier",
        title: "Cuisinier (H/F)",
        intro: "En cuisine, vous préparez une carte de saison à partir de produits frais et locaux, au sein d'une brigade de cinq personnes.",
        missions: &[
            "Préparer les mises en place et les plats de la carte",
            "Respecter les fiches techniques et les règles d'hygiène (HACCP)",
            "Participer à l'élaboration des menus",
            "Gérer les stocks et les réceptions de marchandises",
        ],
        profile: &[
            "CAP cuisine ou expérience équivalente",
            "Réactivité et esprit d'équipe en plein service",
        ],
        skills: &["Cuisine", "Hygiène et sécurité alimentaire", "Pâtisserie"],
        contracts: &[CDI, SAISON, SAISON, CDD, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 1_950, 2_300),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "serveur",
        title: "Serveur en restauration (H/F)",
        intro: "Vous accueillez les clients et assurez le service en salle et en terrasse, dans une ambiance conviviale.",
        missions: &[
            "Accueillir et installer les clients",
            "Présenter la carte et prendre les commandes",
            "Servir les plats et les boissons",
            "Dresser et débarrasser les tables, encaisser",
        ],
        profile: &[
            "Sourire et sens du service",
            "Anglais apprécié pour la clientèle étrangère",
        ],
        skills: &[
            "Service en salle",
            "Relation client",
            "Anglais professionnel",
        ],
        contracts: &[SAISON, SAISON, CDI, CDD, ALTERNANCE],
        remote: Remote::Site,
        salary: ("heure", 12, 13),
        experience: &["debutant", "1-2"],
        diploma: None,
        part_time: 30,
        openings: 4,
    },
    JobTemplate {
        key: "receptionniste",
        title: "Réceptionniste d'hôtel (H/F)",
        intro: "Vous êtes le premier visage de l'hôtel : vous accueillez nos hôtes, gérez les réservations et veillez à la qualité de leur séjour.",
        missions: &[
            "Accueillir les clients à l'arrivée et au départ",
            "Gérer les réservations et le planning des chambres",
            "Renseigner sur les activités touristiques de la région",
            "Traiter les demandes et réclamations",
        ],
        profile: &[
            "Anglais courant, une deuxième langue est un plus",
            "Présentation soignée et sens de l'accueil",
        ],
        skills: &[
            "Hôtellerie",
            "Accueil du public",
            "Anglais professionnel",
            "Tourisme",
        ],
        contracts: &[CDI, SAISON, CDD, ALTERNANCE, STAGE],
        remote: Remote::Site,
        salary: ("mois", 1_850, 2_100),
        experience: &["debutant", "1-2"],
        diploma: Some(4),
        part_time: 15,
        openings: 1,
    },
    JobTemplate {
        key: "patissier",
        title: "Pâtissier (H/F)",
        intro: "Au laboratoire, vous réalisez les pâtisseries, viennoiseries et entremets vendus en boutique et servis au restaurant.",
        missions: &[
            "Préparer les pâtes, crèmes et appareils",
            "Réaliser et décorer les entremets et les petits gâteaux",
            "Cuire les viennoiseries",
            "Respecter les règles d'hygiène et la traçabilité",
        ],
        profile: &["CAP pâtissier", "Créativité et rigueur"],
        skills: &[
            "Pâtisserie",
            "Boulangerie",
            "Hygiène et sécurité alimentaire",
        ],
        contracts: &[CDI, CDD, ALTERNANCE, SAISON],
        remote: Remote::Site,
        salary: ("mois", 1_850, 2_150),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 1,
    },
    // Bâtiment et énergie
    JobTemplate {
        key: "electricien",
        title: "Électricien du bâtiment (H/F)",
        intro: "Vous réalisez les installations électriques de chantiers neufs et de rénovation, pour des logements et des bâtiments tertiaires.",
        missions: &[
            "Lire les plans et implanter les équipements",
            "Poser les chemins de câbles, tirer et raccorder les câbles",
            "Équiper et raccorder les tableaux électriques",
            "Réaliser les essais et la mise en service",
        ],
        profile: &[
            "CAP électricien ou titre professionnel",
            "Habilitation électrique B1V-BR à jour",
        ],
        skills: &["Électricité", "Habilitation électrique", "Lecture de plans"],
        contracts: &[CDI, INTERIM, INTERIM, ALTERNANCE, CDD],
        remote: Remote::Site,
        salary: ("mois", 2_000, 2_500),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 3,
    },
    JobTemplate {
        key: "plombier",
        title: "Plombier chauffagiste (H/F)",
        intro: "Vous installez et dépannez les équipements sanitaires et de chauffage chez nos clients particuliers et professionnels.",
        missions: &[
            "Installer les réseaux de plomberie et les équipements sanitaires",
            "Poser et mettre en service chaudières et pompes à chaleur",
            "Réaliser l'entretien et le dépannage",
            "Conseiller les clients sur les économies d'énergie",
        ],
        profile: &[
            "CAP ou titre professionnel en plomberie et chauffage",
            "Permis B ; véhicule de service fourni",
        ],
        skills: &[
            "Plomberie",
            "Chauffage et climatisation",
            "Lecture de plans",
        ],
        contracts: &[CDI, CDI, INTERIM, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 2_100, 2_600),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 2,
    },
    JobTemplate {
        key: "macon",
        title: "Maçon (H/F)",
        intro: "Sur nos chantiers de maisons individuelles et de petits collectifs, vous réalisez le gros œuvre, des fondations à l'élévation des murs.",
        missions: &[
            "Implanter les ouvrages à partir des plans",
            "Réaliser les coffrages, le ferraillage et le coulage du béton",
            "Monter les murs en blocs ou en briques",
            "Respecter les règles de sécurité du chantier",
        ],
        profile: &[
            "Expérience en gros œuvre ou CAP maçon",
            "Goût du travail en extérieur et en équipe",
        ],
        skills: &["Maçonnerie", "Lecture de plans", "Prévention des risques"],
        contracts: &[CDI, INTERIM, INTERIM, CDD, ALTERNANCE],
        remote: Remote::Site,
        salary: ("heure", 13, 16),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 4,
    },
    JobTemplate {
        key: "conducteur_travaux",
        title: "Conducteur de travaux bâtiment (H/F)",
        intro: "Vous pilotez plusieurs chantiers de construction et de réhabilitation, de la préparation à la réception des travaux.",
        missions: &[
            "Préparer les chantiers : planning, commandes, sous-traitants",
            "Encadrer les chefs de chantier et les équipes",
            "Suivre les coûts, les délais et la qualité",
            "Représenter l'entreprise auprès des clients et des architectes",
        ],
        profile: &[
            "Formation bac+2 à bac+5 en bâtiment",
            "Leadership et sens de la négociation",
        ],
        skills: &[
            "Gestion de projet",
            "Lecture de plans",
            "Animation d'équipe",
        ],
        contracts: &[CDI, CDI, ALTERNANCE],
        remote: Remote::Site,
        salary: ("annee", 42_000, 54_000),
        experience: &["3-5", "5-plus"],
        diploma: Some(5),
        part_time: 0,
        openings: 1,
    },
    JobTemplate {
        key: "technicien_pv",
        title: "Technicien installateur photovoltaïque (H/F)",
        intro: "Vous posez et raccordez des installations solaires en toiture et en ombrière, pour des particuliers et des entreprises.",
        missions: &[
            "Poser les systèmes de fixation et les modules",
            "Câbler et raccorder les onduleurs et les coffrets",
            "Mettre en service et contrôler la production",
            "Réaliser la maintenance des installations",
        ],
        profile: &[
            "Formation en électricité, habilitation BR et travail en hauteur",
            "Permis B",
        ],
        skills: &[
            "Énergies renouvelables",
            "Électricité",
            "Habilitation électrique",
        ],
        contracts: &[CDI, CDI, CDD, INTERIM, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 2_000, 2_500),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(4),
        part_time: 0,
        openings: 3,
    },
    // Agriculture et espaces verts
    JobTemplate {
        key: "ouvrier_viticole",
        title: "Ouvrier viticole (H/F)",
        intro: "Au sein d'un domaine familial, vous participez aux travaux de la vigne tout au long de la saison.",
        missions: &[
            "Réaliser la taille, le tirage des bois et le palissage",
            "Effectuer les travaux en vert (ébourgeonnage, relevage)",
            "Participer aux vendanges",
            "Entretenir le matériel",
        ],
        profile: &[
            "Goût du travail en extérieur",
            "Une première expérience de la taille est appréciée",
        ],
        skills: &["Viticulture", "Agriculture"],
        contracts: &[SAISON, SAISON, CDD, CDI],
        remote: Remote::Site,
        salary: ("heure", 12, 13),
        experience: &["debutant", "1-2"],
        diploma: None,
        part_time: 10,
        openings: 8,
    },
    JobTemplate {
        key: "paysagiste",
        title: "Jardinier paysagiste (H/F)",
        intro: "Vous créez et entretenez les jardins et les espaces verts de nos clients particuliers, entreprises et collectivités.",
        missions: &[
            "Entretenir les espaces verts : tonte, taille, désherbage",
            "Réaliser des plantations et des engazonnements",
            "Poser des aménagements paysagers (dallages, clôtures, arrosage)",
            "Entretenir le matériel",
        ],
        profile: &[
            "CAPa jardinier paysagiste ou expérience équivalente",
            "Permis B, le permis BE est un plus",
        ],
        skills: &["Espaces verts", "Agriculture", "Lecture de plans"],
        contracts: &[CDI, SAISON, CDD, ALTERNANCE],
        remote: Remote::Site,
        salary: ("mois", 1_850, 2_150),
        experience: &["debutant", "1-2", "3-5"],
        diploma: Some(3),
        part_time: 0,
        openings: 2,
    },
    // Sécurité et formation
    JobTemplate {
        key: "agent_securite",
        title: "Agent de sécurité incendie SSIAP 1 (H/F)",
        intro: "Vous veillez à la sécurité des personnes et des biens sur un site recevant du public.",
        missions: &[
            "Assurer les rondes de prévention et de surveillance",
            "Contrôler les accès et accueillir les visiteurs",
            "Intervenir sur les alarmes et porter assistance aux personnes",
            "Tenir la main courante",
        ],
        profile: &[
            "SSIAP 1 et carte professionnelle du CNAPS à jour",
            "Sang-froid et sens des responsabilités",
        ],
        skills: &[
            "Sécurité privée",
            "Prévention des risques",
            "Sauveteur secouriste du travail",
        ],
        contracts: &[CDI, CDD, INTERIM],
        remote: Remote::Site,
        salary: ("heure", 12, 13),
        experience: &["debutant", "1-2"],
        diploma: None,
        part_time: 20,
        openings: 4,
    },
    JobTemplate {
        key: "formateur",
        title: "Formateur pour adultes en bureautique (H/F)",
        intro: "Vous animez des formations en bureautique et en outils numériques pour des salariés et des demandeurs d'emploi.",
        missions: &[
            "Préparer et animer des formations en présentiel et à distance",
            "Adapter les contenus au niveau de chaque groupe",
            "Évaluer les acquis et accompagner vers la certification",
            "Participer à l'amélioration des supports",
        ],
        profile: &[
            "Expérience de la formation d'adultes",
            "Pédagogie et patience",
        ],
        skills: &[
            "Formation de formateurs",
            "Bureautique",
            "Animation d'équipe",
        ],
        contracts: &[FREELANCE, CDD, CDI],
        remote: Remote::Hybrid,
        salary: ("annee", 30_000, 36_000),
        experience: &["1-2", "3-5"],
        diploma: Some(5),
        part_time: 30,
        openings: 1,
    },
];

const COMPANIES: &[Company] = &[
    Company {
        name: "Loire Numérique Solutions",
        commune: "44109",
        city: "Nantes",
        address: "8 quai de la Fosse",
        sector: "Services numériques",
        size_band: "50-249",
        owner: "Élodie Guérin",
        phone_prefix: "02 61 91",
        pitch: "Entreprise de services numériques nantaise, Loire Numérique Solutions conçoit et maintient les applications métier de PME et de collectivités de l'Ouest.\n\nNos 90 collaborateurs travaillent en équipes produit autonomes, avec deux jours de télétravail par semaine.",
        offers: &[
            "dev_web",
            "dev_java",
            "devops",
            "data_analyst",
            "support",
            "admin_sys",
            "marketing",
            "cyber",
            "formateur",
        ],
    },
    Company {
        name: "Clinique des Garrigues",
        commune: "34172",
        city: "Montpellier",
        address: "120 avenue du Père-Soulas",
        sector: "Santé",
        size_band: "250-999",
        owner: "Dr Isabelle Vidal",
        phone_prefix: "04 65 71",
        pitch: "Établissement de santé privé de 220 lits, la Clinique des Garrigues réunit chirurgie, médecine et soins de suite au nord de Montpellier.\n\nNous misons sur des équipes stables, un planning connu à l'avance et la formation continue.",
        offers: &[
            "aide_soignant",
            "infirmier",
            "secretaire_medicale",
            "cuisinier",
            "agent_securite",
            "assistant_admin",
            "charge_rh",
        ],
    },
    Company {
        name: "Bourgogne Domicile Services",
        commune: "21231",
        city: "Dijon",
        address: "14 rue Devosge",
        sector: "Aide à domicile",
        size_band: "50-249",
        owner: "Patricia Lenoir",
        phone_prefix: "03 53 73",
        pitch: "Association d'aide à domicile agréée, nous accompagnons chaque jour 900 personnes âgées ou en situation de handicap dans l'agglomération dijonnaise.\n\nVéhicules de service, temps d'échange entre collègues et formation qualifiante pour nos intervenants.",
        offers: &[
            "auxiliaire_vie",
            "aide_soignant",
            "aepe",
            "assistant_admin",
            "infirmier",
            "paie",
            "secretaire_medicale",
        ],
    },
    Company {
        name: "LogiNord Distribution",
        commune: "59350",
        city: "Lille",
        address: "3 rue du Port",
        sector: "Transport et logistique",
        size_band: "250-999",
        owner: "Sébastien Delattre",
        phone_prefix: "03 53 73",
        pitch: "LogiNord Distribution stocke et livre les produits de grandes enseignes depuis trois entrepôts de la métropole lilloise.\n\nNous recrutons toute l'année et formons nos équipes aux CACES dans notre propre centre.",
        offers: &[
            "cariste",
            "preparateur",
            "chauffeur_pl",
            "responsable_entrepot",
            "conducteur_ligne",
            "charge_rh",
            "support",
            "comptable",
        ],
    },
    Company {
        name: "Hôtel du Lac Bleu",
        commune: "74010",
        city: "Annecy",
        address: "27 avenue d'Albigny",
        sector: "Hôtellerie et restauration",
        size_band: "10-49",
        owner: "Marc Chevallier",
        phone_prefix: "04 65 71",
        pitch: "Hôtel quatre étoiles de 48 chambres au bord du lac d'Annecy, avec son restaurant gastronomique et son spa.\n\nLogement possible pour nos saisonniers, repas pris en charge.",
        offers: &[
            "receptionniste",
            "serveur",
            "cuisinier",
            "patissier",
            "assistant_direction",
            "marketing",
            "vendeur",
        ],
    },
    Company {
        name: "Brasserie du Vieux-Port",
        commune: "13055",
        city: "Marseille",
        address: "11 quai du Port",
        sector: "Restauration",
        size_band: "10-49",
        owner: "Nadia Belkacem",
        phone_prefix: "04 65 71",
        pitch: "Institution marseillaise depuis 1952, la Brasserie du Vieux-Port sert 400 couverts par jour face à la mer, midi et soir, toute l'année.\n\nUne équipe soudée, des horaires en coupure limités et des pourboires partagés.",
        offers: &[
            "cuisinier",
            "serveur",
            "patissier",
            "vendeur",
            "comptable",
            "responsable_magasin",
        ],
    },
    Company {
        name: "Bâti Garonne Construction",
        commune: "31555",
        city: "Toulouse",
        address: "52 allée Jean-Jaurès",
        sector: "Bâtiment et travaux publics",
        size_band: "50-249",
        owner: "Jérôme Castan",
        phone_prefix: "05 36 49",
        pitch: "Entreprise générale du bâtiment, Bâti Garonne Construction réalise logements, écoles et bureaux dans toute l'Occitanie.\n\nNos compagnons sont formés en interne et nos chantiers suivent une démarche bas carbone.",
        offers: &[
            "macon",
            "electricien",
            "plombier",
            "conducteur_travaux",
            "technicien_pv",
            "assistant_admin",
            "qse",
            "controleur_gestion",
        ],
    },
    Company {
        name: "Soleil Catalan Énergies",
        commune: "66136",
        city: "Perpignan",
        address: "9 boulevard Clemenceau",
        sector: "Énergies renouvelables",
        size_band: "10-49",
        owner: "Laura Serra",
        phone_prefix: "04 65 71",
        pitch: "Installateur certifié RGE, Soleil Catalan Énergies conçoit et pose des centrales solaires et des pompes à chaleur pour particuliers, agriculteurs et entreprises.",
        offers: &[
            "technicien_pv",
            "electricien",
            "plombier",
            "commercial_b2b",
            "conseiller_clientele",
            "assistant_admin",
            "qse",
        ],
    },
    Company {
        name: "Fidexpert Conseil",
        commune: "33063",
        city: "Bordeaux",
        address: "30 cours de l'Intendance",
        sector: "Expertise comptable et conseil",
        size_band: "50-249",
        owner: "Anne-Sophie Dartigues",
        phone_prefix: "05 36 49",
        pitch: "Cabinet d'expertise comptable de 70 personnes, Fidexpert Conseil accompagne 1 500 entreprises, associations et professions libérales en Nouvelle-Aquitaine.",
        offers: &[
            "comptable",
            "paie",
            "controleur_gestion",
            "assistant_admin",
            "charge_rh",
            "data_analyst",
            "formateur",
        ],
    },
    Company {
        name: "Crédit Mutualiste de l'Ouest",
        commune: "35238",
        city: "Rennes",
        address: "5 place de la République",
        sector: "Banque et assurance",
        size_band: "1000-plus",
        owner: "Yannick Le Goff",
        phone_prefix: "02 61 91",
        pitch: "Banque coopérative régionale, le Crédit Mutualiste de l'Ouest compte 140 agences en Bretagne et Pays de la Loire et 2 000 salariés.\n\nNous recrutons chaque année 100 alternants.",
        offers: &[
            "conseiller_bancaire",
            "conseiller_clientele",
            "data_analyst",
            "dev_java",
            "cyber",
            "charge_rh",
            "admin_sys",
        ],
    },
    Company {
        name: "Maison Vernier",
        commune: "51454",
        city: "Reims",
        address: "18 boulevard Lundy",
        sector: "Vins et spiritueux",
        size_band: "50-249",
        owner: "Charlotte Vernier",
        phone_prefix: "03 53 73",
        pitch: "Maison de champagne familiale fondée en 1898, Maison Vernier exploite 60 hectares de vignes et accueille 20 000 visiteurs par an dans ses caves.",
        offers: &[
            "ouvrier_viticole",
            "cariste",
            "commercial_b2b",
            "receptionniste",
            "assistant_direction",
            "comptable",
        ],
    },
    Company {
        name: "Alsace Auto Services",
        commune: "67482",
        city: "Strasbourg",
        address: "64 route du Polygone",
        sector: "Automobile",
        size_band: "10-49",
        owner: "Thierry Schneider",
        phone_prefix: "03 53 73",
        pitch: "Garage multimarque et carrosserie agréée, Alsace Auto Services entretient et répare 6 000 véhicules par an à Strasbourg.",
        offers: &[
            "mecanicien",
            "carrossier",
            "vendeur",
            "conseiller_clientele",
            "assistant_admin",
            "commercial_b2b",
            "comptable",
        ],
    },
    Company {
        name: "Maisons d'Armor Immobilier",
        commune: "29019",
        city: "Brest",
        address: "21 rue de Siam",
        sector: "Immobilier",
        size_band: "10-49",
        owner: "Gaëlle Kerjean",
        phone_prefix: "02 61 91",
        pitch: "Réseau de cinq agences dans le Finistère, Maisons d'Armor Immobilier vend, loue et gère des biens de Brest à Quimper.",
        offers: &[
            "negociateur_immo",
            "assistant_admin",
            "conseiller_clientele",
            "marketing",
            "comptable",
            "charge_rh",
        ],
    },
    Company {
        name: "Studio Canopée",
        commune: "75056",
        city: "Paris",
        address: "47 rue de Cléry",
        sector: "Agence web",
        size_band: "10-49",
        owner: "Romain Lefort",
        phone_prefix: "01 99 00",
        pitch: "Studio Canopée conçoit des sites et des applications sobres et accessibles pour des associations, des médias et des institutions culturelles.\n\nÉquipe distribuée dans toute la France, locaux à Paris pour qui le souhaite.",
        offers: &[
            "dev_web",
            "dev_front",
            "dev_rust",
            "marketing",
            "data_analyst",
            "devops",
            "formateur",
        ],
    },
    Company {
        name: "Lorraine Sécurité Privée",
        commune: "57463",
        city: "Metz",
        address: "12 rue Serpenoise",
        sector: "Sécurité privée",
        size_band: "250-999",
        owner: "Franck Muller",
        phone_prefix: "03 53 73",
        pitch: "Lorraine Sécurité Privée protège sites industriels, centres commerciaux et établissements recevant du public dans tout le Grand Est.",
        offers: &[
            "agent_securite",
            "assistant_admin",
            "charge_rh",
            "support",
            "paie",
            "formateur",
            "comptable",
        ],
    },
    Company {
        name: "Jardins de Touraine",
        commune: "37261",
        city: "Tours",
        address: "5 rue Marceau",
        sector: "Paysage et espaces verts",
        size_band: "10-49",
        owner: "Benoît Rabier",
        phone_prefix: "02 61 91",
        pitch: "Créateur de jardins depuis 1995, Jardins de Touraine aménage et entretient parcs, jardins et espaces verts en Indre-et-Loire.",
        offers: &[
            "paysagiste",
            "ouvrier_viticole",
            "chauffeur_pl",
            "assistant_admin",
            "commercial_b2b",
            "macon",
        ],
    },
    Company {
        name: "Halles Normandes",
        commune: "14118",
        city: "Caen",
        address: "2 boulevard Maréchal-Leclerc",
        sector: "Commerce de détail",
        size_band: "250-999",
        owner: "Céline Marie",
        phone_prefix: "02 61 91",
        pitch: "Coopérative de commerçants, les Halles Normandes rassemblent 35 magasins de proximité en Normandie, tournés vers les produits locaux.",
        offers: &[
            "vendeur",
            "responsable_magasin",
            "preparateur",
            "cariste",
            "patissier",
            "conseiller_clientele",
            "chauffeur_pl",
        ],
    },
    Company {
        name: "Auvergne Précision Mécanique",
        commune: "63113",
        city: "Clermont-Ferrand",
        address: "40 rue de l'Industrie",
        sector: "Industrie mécanique",
        size_band: "250-999",
        owner: "Guillaume Bonnet",
        phone_prefix: "04 65 71",
        pitch: "Sous-traitant de rang 1 de l'aéronautique et de l'automobile, Auvergne Précision Mécanique usine des pièces de haute précision dans deux usines du Puy-de-Dôme.",
        offers: &[
            "operateur_cn",
            "tmi",
            "soudeur",
            "qse",
            "automaticien",
            "controleur_gestion",
            "dev_java",
        ],
    },
    Company {
        name: "Résidence Les Tilleuls",
        commune: "87085",
        city: "Limoges",
        address: "16 avenue Garibaldi",
        sector: "Médico-social",
        size_band: "50-249",
        owner: "Marie-Claude Peyrat",
        phone_prefix: "05 36 49",
        pitch: "Établissement d'hébergement pour personnes âgées dépendantes de 110 résidents, la Résidence Les Tilleuls fait de la bientraitance son premier engagement.",
        offers: &[
            "aide_soignant",
            "infirmier",
            "auxiliaire_vie",
            "cuisinier",
            "secretaire_medicale",
            "agent_securite",
        ],
    },
    Company {
        name: "Les Petits Explorateurs",
        commune: "38185",
        city: "Grenoble",
        address: "7 cours Berriat",
        sector: "Petite enfance",
        size_band: "50-249",
        owner: "Sandrine Faure",
        phone_prefix: "04 65 71",
        pitch: "Réseau de douze crèches en Isère, Les Petits Explorateurs accueillent 500 enfants avec un projet pédagogique tourné vers la nature.",
        offers: &[
            "aepe",
            "infirmier",
            "auxiliaire_vie",
            "cuisinier",
            "assistant_admin",
            "charge_rh",
            "formateur",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn all_plans() -> Vec<Planned> {
        let mut all = plan_ari();
        let mut ordinal = 0;
        for company in COMPANIES {
            all.extend(plan_company(company, ordinal));
            ordinal += company.offers.len();
        }
        all
    }

    #[test]
    fn sirets_are_well_formed_and_distinct() {
        let sirets: HashSet<String> = (0..COMPANIES.len()).map(demo_siret).collect();
        assert_eq!(sirets.len(), COMPANIES.len());
        for siret in &sirets {
            assert_eq!(app::organisations::parse_siret(siret).as_ref(), Ok(siret));
            assert_eq!(
                app::organisations::luhn_key(&siret[..8]).to_string(),
                &siret[8..9]
            );
            assert_ne!(siret, ARI_SIRET);
        }
    }

    #[test]
    fn the_demo_plan_is_coherent() {
        let all = all_plans();
        assert!((140..=170).contains(&all.len()), "{} offers", all.len());
        let slugs: HashSet<&str> = all.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs.len(), all.len(), "slugs are unique");
        let count = |status: &str| all.iter().filter(|p| p.status == status).count();
        assert_eq!(count("expired"), 3);
        assert_eq!(count("filled"), 2);
        assert_eq!(count("archived"), 2);
        assert!(
            (4..=12).contains(&count("draft")),
            "{} drafts",
            count("draft")
        );
        for (contract, _) in app::jobs::CONTRACTS {
            assert!(all.iter().any(|p| p.contract == contract), "{contract}");
        }
        let remote = all.iter().filter(|p| p.remote == "teletravail").count() * 100 / all.len();
        let hybrid = all.iter().filter(|p| p.remote == "hybride").count() * 100 / all.len();
        assert!((6..=16).contains(&remote), "{remote} % fully remote");
        assert!((13..=30).contains(&hybrid), "{hybrid} % hybrid");
        let unpaid = all.iter().filter(|p| p.salary.is_none()).count() * 100 / all.len();
        assert!((10..=30).contains(&unpaid), "{unpaid} % without salary");
        for unit in ["heure", "mois", "annee"] {
            assert!(all.iter().any(|p| p.salary.is_some_and(|s| s.2 == unit)));
        }
        for channel in ["platform", "url", "email"] {
            assert!(all.iter().any(|p| p.apply_channel == channel), "{channel}");
        }
        for p in &all {
            assert!((5..=160).contains(&p.title.chars().count()), "{}", p.slug);
            assert!((2..=4).contains(&p.skills.len()), "{}", p.slug);
            assert!((1..=500).contains(&p.openings));
            if let Some((min, max, unit)) = p.salary {
                assert!(max.is_none_or(|max| max > min), "{}", p.slug);
                if unit == "heure" && !["stage", "freelance"].contains(&p.contract) {
                    assert!(min >= 12, "{} pays at least the SMIC", p.slug);
                }
            }
        }
        // Atelier Rhône Industrie: enough live offers on the platform for the browser tests.
        let ari = plan_ari();
        let live = ari
            .iter()
            .filter(|p| p.status == "published" && p.apply_channel == "platform")
            .count();
        assert!(live >= 8, "{live}");
        // Same input, same plan.
        let replay = all_plans();
        assert_eq!(replay[5].markdown, all[5].markdown);
        assert_eq!(replay[40].salary, all[40].salary);
    }

    #[test]
    fn every_template_is_used_and_every_key_known() {
        let used: HashSet<&str> = COMPANIES
            .iter()
            .flat_map(|c| c.offers.iter().copied())
            .chain(ARI_OFFERS.iter().map(|(k, _)| *k))
            .collect();
        for key in &used {
            assert!(template(key).is_some(), "unknown template {key}");
        }
        for t in TEMPLATES {
            assert!(used.contains(t.key), "template {} unused", t.key);
            for contract in t.contracts {
                assert!(app::jobs::CONTRACTS.iter().any(|(c, _)| c == contract));
            }
        }
        let keys: HashSet<&str> = TEMPLATES.iter().map(|t| t.key).collect();
        assert_eq!(keys.len(), TEMPLATES.len());
        let cities: HashSet<&str> = COMPANIES.iter().map(|c| c.city).collect();
        assert_eq!(cities.len(), COMPANIES.len(), "one company per city");
        assert!(
            !cities.contains("Lyon"),
            "Lyon is Atelier Rhône Industrie's"
        );
        for (_, key, _, _) in DEMO_APPLICATIONS {
            assert!(ARI_OFFERS.iter().any(|(k, _)| *k == key));
        }
    }
}

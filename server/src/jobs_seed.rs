//! The demo job board (`seed --demo`): about twenty approved companies across
//! France with their recruiters, some 150 offers in every state, the demo
//! candidate's profile and a few applications to Atelier Rhône Industrie.
//! Also the generated offers of `seed --bench-offers N`.
//!
//! Same rules as the catalogue (`catalogue_seed`): every random choice comes
//! from a ChaCha stream seeded by the offer's slug, so a second run plans the
//! same rows, and rows already there (same SIRET, slug or e-mail) are skipped.
//!
//! The texts (job templates, benefits, companies, candidates) come from
//! `server/data/demo/` (`jobs.json`, `companies.json`, `candidates.json`);
//! see `demo::data`.

use crate::demo::bench::{self as benches, RenderedOnce};
use crate::demo::data::{self, Company, JobTemplate, Remote};
use crate::demo::{self as shared, Profile, SkillLinks, pick, seeded_rng};
use crate::{error::Error, seed::DEMO_PASSWORD};
use app::base::markdown;
use app::candidates::applications::{ApplicationStatus, REFUSAL_REASONS};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::HashMap;

/// What `seed --bench-offers N` did, in bench offers.
pub use crate::demo::bench::BenchReport;

/// Fixed seed of every random choice ("PASSJOBS").
const SEED: u64 = 0x5041_5353_4A4F_4253;
/// The existing demo company (see `seed::DEMO_ORGANISATIONS`), in Lyon.
const ARI_SIRET: &str = "82345678900010";
const ARI_COMMUNE: &str = "69123";
/// Rows per bulk insert of `seed --bench-offers`.
const BENCH_BATCH: usize = 5_000;
/// How long a published offer stays live, as `DEFAULT_EXPIRY_DAYS`.
const EXPIRY_DAYS: i32 = app::jobs::DEFAULT_EXPIRY_DAYS as i32;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct JobsReport {
    pub accounts_created: usize,
    pub companies_created: usize,
    pub offers_created: usize,
    pub applications_created: usize,
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
    skills: &'static [String],
    /// Offer in a town near the head office rather than in it.
    elsewhere: bool,
}

fn rng_for(text: &str) -> ChaCha8Rng {
    seeded_rng(SEED, text)
}

/// "Soudeur TIG / MIG (H/F)" in Lyon → "soudeur-tig-mig-lyon".
fn demo_slug(title: &str, city: &str) -> String {
    shared::slug(title.trim_end_matches(" (H/F)"), city)
}

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
    md.push_str(&t.intro);
    md.push_str("\n\n## Vos missions\n\n");
    for mission in &t.missions {
        md.push_str(&format!("- {mission}\n"));
    }
    md.push_str("\n## Votre profil\n\n");
    for line in &t.profile {
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
    let mut pool: Vec<&str> = data::JOBS.benefits.iter().map(String::as_str).collect();
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
    template: &'static JobTemplate,
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
    let contract = pick(&mut rng, &t.contracts).as_str();
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
    let (unit, low, high) = (t.salary.unit.as_str(), t.salary.low, t.salary.high);
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
    let experience = pick(&mut rng, &t.experience).as_str();
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
        title: t.title.clone(),
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
        skills: &t.skills,
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
            let Some(t) = data::job(key) else {
                tracing::warn!(key, "unknown demo job template");
                return None;
            };
            Some(plan(PlanInput {
                template: t,
                slug: demo_slug(&t.title, &company.listed.city),
                status: demo_status(first_ordinal + i),
                platform_only: false,
                company: Some((&company.listed.name, &company.listed.city)),
            }))
        })
        .collect()
}

/// Atelier Rhône Industrie's offers, all on the platform: the browser tests
/// apply to its live ones.
fn plan_ari() -> Vec<Planned> {
    data::COMPANIES
        .atelier_rhone_industrie
        .iter()
        .filter_map(|offer| {
            let t = data::job(&offer.job)?;
            Some(plan(PlanInput {
                template: t,
                slug: demo_slug(&t.title, "Lyon"),
                status: &offer.status,
                platform_only: true,
                company: Some(("Atelier Rhône Industrie", "Lyon")),
            }))
        })
        .collect()
}

/// Loads the demo job board; communes must be there (`seed::demo` sees to it).
pub async fn demo(pool: &PgPool) -> Result<JobsReport, Error> {
    let mut report = JobsReport::default();

    // The existing demo company, in Lyon.
    if let Some(ari) = shared::organisation_id(pool, ARI_SIRET).await? {
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
        if shared::has_commune(&mut *tx, ARI_COMMUNE).await? {
            let nearby = shared::nearby_communes(&mut tx, ARI_COMMUNE, 30_000.0, 3).await?;
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

    let mut organisations = shared::Organisations::new(pool);
    let mut ordinal = 0;
    for (n, company) in data::COMPANIES.companies.iter().enumerate() {
        let first = ordinal;
        ordinal += company.offers.len();
        let mut tx = pool.begin().await?;
        let profile = Profile::Company {
            sector: &company.sector,
            size_band: &company.size_band,
        };
        let Some(company_id) = organisations
            .create(&mut tx, n, &company.listed, profile)
            .await?
        else {
            continue;
        };
        let commune = &company.listed.commune;
        let nearby = shared::nearby_communes(&mut tx, commune, 30_000.0, 3).await?;
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
            (&markdown::slugify(&company.listed.name), commune),
            &nearby,
            &plan_company(company, first),
        )
        .await?;
        tx.commit().await?;
    }

    report.accounts_created += organisations.accounts_created;
    report.companies_created += organisations.created;
    let (accounts, applications) = demo_candidates(pool).await?;
    report.accounts_created += accounts;
    report.applications_created = applications;
    Ok(report)
}

/// Inserts the offers whose slug is new, with their skills and search rows;
/// returns how many. `company` is (slug, head-office commune).
async fn insert_offers(
    tx: &mut Transaction<'_, Postgres>,
    company_id: i64,
    company: (&str, &str),
    nearby: &[String],
    planned: &[Planned],
) -> Result<usize, Error> {
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
        shared::link_skills(tx, SkillLinks::Offers, &[id], &[p.skills]).await?;
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

/// Profiles, skills and applications of the demo candidates; returns
/// (accounts created, applications created).
async fn demo_candidates(pool: &PgPool) -> Result<(usize, usize), Error> {
    let people = &data::CANDIDATES;
    let mut accounts = 0;
    for candidate in &people.candidates {
        if app::identity::users::ssr::email_exists(pool, &candidate.email).await? {
            continue;
        }
        app::identity::users::ssr::create_user(
            pool,
            &candidate.email,
            &candidate.name,
            DEMO_PASSWORD,
            app::identity::users::Role::Candidate,
            true,
        )
        .await?;
        accounts += 1;
    }
    let mut tx = pool.begin().await?;
    // Camille Martin's account comes from `seed::DEMO_ACCOUNTS`.
    for candidate in std::iter::once(&people.camille_martin).chain(&people.candidates) {
        // A profile edited in the app stays as it is.
        let created = sqlx::query_scalar!(
            "INSERT INTO candidate_profiles (user_id, headline, experience)
             SELECT id, $2, $3 FROM users WHERE email = $1
             ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
            candidate.email,
            candidate.headline,
            candidate.experience
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(user) = created {
            sqlx::query!(
                "INSERT INTO candidate_skills (user_id, skill_id)
                 SELECT $1, id FROM skills WHERE name = ANY($2::text[]) ON CONFLICT DO NOTHING",
                user,
                &candidate.skills
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    let mut applications = 0;
    for (n, application) in people.applications.iter().enumerate() {
        let Some(t) = data::job(&application.job) else {
            continue;
        };
        let status = application.status.as_str();
        let reason = match application.status {
            ApplicationStatus::Refused if application.job == "preparateur" => REFUSAL_REASONS[0],
            ApplicationStatus::Refused => REFUSAL_REASONS[2],
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
            demo_slug(&t.title, "Lyon"),
            application.candidate,
            status,
            application.message,
            reason,
            0.2 + 0.06 * n as f64,
            if application.status == ApplicationStatus::New {
                0.2 + 0.06 * n as f64
            } else {
                0.8
            },
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else { continue };
        applications += 1;
        if application.status == ApplicationStatus::Interview {
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
pub async fn bench(pool: &PgPool, target: u32) -> Result<BenchReport, Error> {
    // Not Atelier Rhône Industrie: its dashboard stays the demo's.
    let companies = benches::needed(
        sqlx::query!(
            "SELECT id, slug FROM organisations
         WHERE kind = 'entreprise' AND status = 'approved' AND siret <> $1 ORDER BY id",
            ARI_SIRET
        )
        .fetch_all(pool)
        .await?,
        "no approved company",
    )?;
    let communes = benches::needed(
        sqlx::query!("SELECT code, population FROM communes WHERE population > 0 ORDER BY code")
            .fetch_all(pool)
            .await?,
        "no commune",
    )?;
    // Cumulative populations: a uniform draw below the total lands in a
    // town with a chance proportional to its size.
    let mut cumulative = Vec::with_capacity(communes.len());
    let mut people = 0_i64;
    for commune in &communes {
        people += i64::from(commune.population);
        cumulative.push(people);
    }
    let existing =
        sqlx::query_scalar!("SELECT slug FROM job_offers WHERE slug LIKE 'bench-offre-%'")
            .fetch_all(pool)
            .await?;
    let missing = benches::missing(target, existing, bench_slug);

    // A few hundred distinct descriptions.
    let mut rendered = RenderedOnce::default();
    let mut created = 0;
    // Two batches in flight: while PostgreSQL stems one on a core, the
    // other one inserts, or this task plans the next.
    let mut running = tokio::task::JoinSet::new();
    let batches = benches::planned_batches(&missing, BENCH_BATCH, rng_for, |slug, mut rng| {
        let t = pick(&mut rng, &data::JOBS.jobs);
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
        let html = rendered.html(&planned.markdown);
        BenchRow {
            company_id: company.id,
            company_slug: company.slug.clone(),
            planned,
            html,
            commune,
        }
    });
    for rows in batches {
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
    Ok(BenchReport::new(created, total))
}

/// A finished batch's count, or its error (a panic included).
fn joined(
    done: Option<Result<Result<usize, Error>, tokio::task::JoinError>>,
) -> Result<usize, Error> {
    match done {
        Some(Ok(result)) => result,
        Some(Err(error)) => Err(Error::Usage(format!("bench batch failed: {error}"))),
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
/// one call of `refresh_job_searches`.
async fn insert_bench_batch(pool: &PgPool, rows: &[BenchRow]) -> Result<usize, Error> {
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
    let mut skills = Vec::with_capacity(inserted.len());
    for row in &inserted {
        let Some(bench_row) = by_slug.get(row.slug.as_str()) else {
            continue;
        };
        ids.push(row.id);
        skills.push(bench_row.planned.skills);
    }
    shared::link_skills(&mut tx, SkillLinks::Offers, &ids, &skills).await?;
    // French stemming of every text is the slow part (~0.4 ms an offer
    // with its index entries): statements of 500 stay under sqlx's
    // one-second slow-query warning.
    for part in ids.chunks(500) {
        refresh_search_set(&mut tx, part).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

/// `refresh_job_search` for many offers in one statement.
async fn refresh_search_set(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"SELECT refresh_job_searches($1::int8[]) AS "refreshed: ()""#,
        ids
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::Kind;
    use std::collections::HashSet;

    fn all_plans() -> Vec<Planned> {
        let mut all = plan_ari();
        let mut ordinal = 0;
        for company in &data::COMPANIES.companies {
            all.extend(plan_company(company, ordinal));
            ordinal += company.offers.len();
        }
        all
    }

    #[test]
    fn sirets_are_well_formed_and_distinct() {
        let sirets = shared::assert_sirets_well_formed(data::COMPANIES.companies.len(), |n| {
            Kind::Company.siret(n)
        });
        assert!(!sirets.contains(ARI_SIRET));
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
}

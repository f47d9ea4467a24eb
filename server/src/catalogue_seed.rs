//! The demo training catalogue (`seed --demo`): about thirty approved centres
//! across France with their owners, and some 130 trainings with skills,
//! places and sessions. Also the generated trainings of `seed --bench N`.
//!
//! Everything is deterministic: each training draws its variations (price,
//! modality, sessions…) from a ChaCha stream seeded by its slug, so a second
//! run, or a run on another machine, plans exactly the same rows, and rows
//! already there (same SIRET, same slug) are skipped.
//!
//! The texts (training templates, centres) come from `server/data/demo/`
//! (`trainings.json`, `centres.json`); see `demo::data`.

use crate::demo::bench::{self as benches, RenderedOnce};
use crate::demo::data::{self, Cert, Modality, TrainingTemplate};
use crate::demo::{self as shared, Profile, SkillLinks, pick, seeded_rng};
use crate::error::Error;
use app::base::markdown;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::HashMap;

/// What `seed --bench N` did, in bench trainings.
pub use crate::demo::bench::BenchReport;

/// Fixed seed of every random choice ("PASSEREL").
const SEED: u64 = 0x5041_5353_4552_454C;
/// The existing demo centre (see `seed::DEMO_ORGANISATIONS`).
const ILF_SIRET: &str = "81234567800013";
/// Rows per bulk insert of `seed --bench`.
const BENCH_BATCH: usize = 2_000;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct CatalogueReport {
    pub accounts_created: usize,
    pub centres_created: usize,
    pub trainings_created: usize,
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
    skills: &'static [String],
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
    t: &TrainingTemplate,
    modality: Modality,
    rolling: bool,
    free: bool,
    funding: &[String],
    city: Option<&str>,
) -> String {
    let mut md = format!("{}\n\n## Au programme\n\n", t.intro);
    for module in &t.modules {
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
    match &t.cert {
        Cert::Rncp { code, level } => md.push_str(&format!(
            "- **Certification** : titre enregistré au RNCP ({code}), niveau {level}\n"
        )),
        Cert::Rs { code } => md.push_str(&format!(
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
    template: &'static TrainingTemplate,
    slug: String,
    title: String,
    city: Option<&'a str>,
    status: &'static str,
}

fn plan(input: PlanInput<'_>) -> Planned {
    let t = input.template;
    let mut rng = rng_for(&input.slug);
    let modality = *pick(&mut rng, &t.modalities);
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
    funding.extend(t.funding.iter().cloned());
    let (cert_kind, cert_code, cert_level) = match &t.cert {
        Cert::None => ("none", "", None),
        Cert::Rncp { code, level } => ("rncp", code.as_str(), Some(*level)),
        Cert::Rs { code } => ("rs", code.as_str(), None),
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
        summary: &t.summary,
        objectives: t.objectives.join("\n"),
        prerequisites: &t.prerequisites,
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
        skills: &t.skills,
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

/// The demo catalogue: plans every training of a centre, in order.
fn plan_centre(city: &str, keys: &[String], ordinal: &mut usize) -> Vec<Planned> {
    let mut planned = Vec::new();
    for key in keys {
        let status = demo_status(*ordinal);
        *ordinal += 1;
        let Some(t) = data::training(key) else {
            tracing::warn!(key, "unknown demo training template");
            continue;
        };
        planned.push(plan(PlanInput {
            template: t,
            slug: shared::slug(&t.title, city),
            title: t.title.clone(),
            city: Some(city),
            status,
        }));
    }
    planned
}

/// Loads the demo catalogue; communes must be there (`seed::demo` sees to it).
pub async fn demo(pool: &PgPool) -> Result<CatalogueReport, Error> {
    let mut report = CatalogueReport::default();
    let mut ordinal = 0;

    // The existing demo centre, in Lyon.
    if let Some(ilf) = shared::organisation_id(pool, ILF_SIRET).await? {
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
        let planned = plan_centre(
            "Lyon",
            &data::CENTRES.institut_lumiere_formation,
            &mut ordinal,
        );
        let nearby = shared::nearby_communes(&mut tx, "69123", 40_000.0, 2).await?;
        report.trainings_created +=
            insert_trainings(&mut tx, ilf, "69123", &nearby, &planned).await?;
        tx.commit().await?;
    } else {
        ordinal += data::CENTRES.institut_lumiere_formation.len();
    }

    let mut organisations = shared::Organisations::new(pool);
    for (n, centre) in data::CENTRES.centres.iter().enumerate() {
        let first = ordinal;
        ordinal += centre.trainings.len();
        let commune = &centre.listed.commune;
        let nda = commune_nda(pool, commune, n + 1).await?;
        let description = format!(
            "{}\n\n{}",
            centre.listed.pitch,
            if centre.qualiopi {
                "Nos formateurs sont des professionnels en activité. Centre certifié Qualiopi au titre des actions de formation."
            } else {
                "Nos formateurs sont des professionnels en activité. Certification Qualiopi en cours."
            }
        );

        let mut tx = pool.begin().await?;
        let profile = Profile::Centre {
            description: &description,
            nda: &nda,
            qualiopi: centre.qualiopi,
        };
        let Some(centre_id) = organisations
            .create(&mut tx, n, &centre.listed, profile)
            .await?
        else {
            continue;
        };
        let mut ordinal_here = first;
        let planned = plan_centre(&centre.listed.city, &centre.trainings, &mut ordinal_here);
        let nearby = shared::nearby_communes(&mut tx, commune, 40_000.0, 2).await?;
        report.trainings_created +=
            insert_trainings(&mut tx, centre_id, commune, &nearby, &planned).await?;
        tx.commit().await?;
    }
    report.accounts_created += organisations.accounts_created;
    report.centres_created += organisations.created;
    Ok(report)
}

async fn commune_nda(pool: &PgPool, code: &str, n: usize) -> Result<String, Error> {
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

/// Inserts the trainings whose slug is new, then their details; returns
/// how many.
async fn insert_trainings(
    tx: &mut Transaction<'_, Postgres>,
    centre_id: i64,
    commune: &str,
    nearby: &[String],
    planned: &[Planned],
) -> Result<usize, Error> {
    let mut ids = Vec::new();
    let mut inserted = Vec::new();
    for p in planned {
        let html = markdown::render(&p.markdown, &HashMap::new());
        if let Some(id) = sqlx::query_scalar!(
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
        {
            ids.push(id);
            inserted.push(p);
        }
    }
    let places: Vec<Vec<String>> = inserted
        .iter()
        .map(|p| {
            std::iter::once(commune.to_owned())
                .chain(nearby.iter().cloned())
                .take(p.places)
                .collect()
        })
        .collect();
    insert_details(tx, &ids, &inserted, &places).await?;
    Ok(ids.len())
}

/// Skills, places and sessions of trainings just inserted, then their
/// search vectors, each as one set-based statement: `planned[i]` and
/// `places[i]` belong to `ids[i]`.
async fn insert_details(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
    planned: &[&Planned],
    places: &[Vec<String>],
) -> Result<(), sqlx::Error> {
    let skills: Vec<&[String]> = planned.iter().map(|p| p.skills).collect();
    shared::link_skills(tx, SkillLinks::Trainings, ids, &skills).await?;

    let (place_ids, codes): (Vec<i64>, Vec<String>) = ids
        .iter()
        .zip(places)
        .flat_map(|(id, codes)| codes.iter().map(move |c| (*id, c.clone())))
        .unzip();
    sqlx::query!(
        "INSERT INTO training_places (training_id, commune_code)
         SELECT * FROM UNNEST($1::int8[], $2::text[]) ON CONFLICT DO NOTHING",
        &place_ids,
        &codes
    )
    .execute(&mut **tx)
    .await?;

    let mut session_ids = Vec::new();
    let mut starts = Vec::new();
    let mut lengths = Vec::new();
    let mut seats = Vec::new();
    for (id, p) in ids.iter().zip(planned) {
        for s in &p.sessions {
            session_ids.push(*id);
            starts.push(s.start);
            lengths.push(s.days - 1);
            seats.push(s.seats);
        }
    }
    // Dates relative to today: the demo always has upcoming sessions.
    sqlx::query!(
        "INSERT INTO training_sessions (training_id, starts_on, ends_on, seats)
         SELECT id, current_date + start, current_date + start + length, seats
         FROM UNNEST($1::int8[], $2::int4[], $3::int4[], $4::int4[]) AS u (id, start, length, seats)",
        &session_ids,
        &starts,
        &lengths,
        &seats
    )
    .execute(&mut **tx)
    .await?;

    // Title, skills and texts into the search vector, once skills are in.
    // About 0.35 ms a training (French stemming of the whole text): smaller
    // statements keep under sqlx's one-second slow-query warning.
    for part in ids.chunks(500) {
        // The function returns void, which sqlx decodes as ().
        sqlx::query!(
            r#"SELECT refresh_training_search(id) AS "refreshed: ()" FROM UNNEST($1::int8[]) AS id"#,
            part
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Tops the catalogue up to `target` generated trainings (slugs `bench-000001`
/// …), spread over the approved centres and the larger towns, for load tests.
/// Row n is the same whichever run creates it.
pub async fn bench(pool: &PgPool, target: u32) -> Result<BenchReport, Error> {
    let centres = benches::needed(
        sqlx::query!(
            r#"SELECT o.id, c.code, c.name FROM organisations o
           JOIN communes c ON c.code = o.commune_code
           WHERE o.kind = 'centre' AND o.status = 'approved' ORDER BY o.id"#
        )
        .fetch_all(pool)
        .await?,
        "no approved centre with a commune",
    )?;
    let towns =
        sqlx::query!("SELECT code, name FROM communes WHERE population >= 5000 ORDER BY code")
            .fetch_all(pool)
            .await?;
    let existing = sqlx::query_scalar!("SELECT slug FROM trainings WHERE slug LIKE 'bench-%'")
        .fetch_all(pool)
        .await?;
    let missing = benches::missing(target, existing, bench_slug);

    // A handful of distinct descriptions.
    let mut rendered = RenderedOnce::default();
    let mut created = 0;
    let batches = benches::planned_batches(&missing, BENCH_BATCH, rng_for, |slug, mut rng| {
        let t = pick(&mut rng, &data::TRAININGS.trainings);
        let centre = pick(&mut rng, &centres);
        let mut planned = plan(PlanInput {
            template: t,
            slug,
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
        let html = rendered.html(&planned.markdown);
        (centre.id, planned, html, places)
    });
    for rows in batches {
        created += insert_bench_batch(pool, &rows).await?;
    }
    let total =
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM trainings WHERE slug LIKE 'bench-%'"#)
            .fetch_one(pool)
            .await?;
    Ok(BenchReport::new(created, total))
}

fn bench_slug(n: u32) -> String {
    format!("bench-{n:06}")
}

type BenchRow = (i64, Planned, String, Vec<(String, String)>);

/// One batch in one transaction: trainings, then skills, places, sessions
/// and search vectors, each as a single set-based statement.
async fn insert_bench_batch(pool: &PgPool, rows: &[BenchRow]) -> Result<usize, Error> {
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
    let mut planned = Vec::with_capacity(inserted.len());
    let mut places = Vec::with_capacity(inserted.len());
    for row in &inserted {
        let Some((_, p, _, row_places)) = by_slug.get(row.slug.as_str()).copied() else {
            continue;
        };
        ids.push(row.id);
        planned.push(p);
        places.push(row_places.iter().map(|(code, _)| code.clone()).collect());
    }
    insert_details(&mut tx, &ids, &planned, &places).await?;
    tx.commit().await?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::Kind;
    use std::collections::HashSet;

    #[test]
    fn sirets_and_ndas_are_well_formed() {
        shared::assert_sirets_well_formed(data::CENTRES.centres.len(), |n| Kind::Centre.siret(n));
        assert_eq!(demo_nda("84", "69", 0), "84691023169");
        assert_eq!(demo_nda("94", "2A", 3).len(), 11);
        assert!(demo_nda("94", "2A", 3).bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn the_demo_plan_is_coherent() {
        let mut ordinal = 0;
        let ilf = &data::CENTRES.institut_lumiere_formation;
        let mut all = plan_centre("Lyon", ilf, &mut ordinal);
        for centre in &data::CENTRES.centres {
            all.extend(plan_centre(
                &centre.listed.city,
                &centre.trainings,
                &mut ordinal,
            ));
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
        let replay = plan_centre("Lyon", ilf, &mut again);
        assert_eq!(replay[0].sessions, all[0].sessions);
        assert_eq!(replay[0].price_cents, all[0].price_cents);
    }

    /// Keys and usage are checked with the files (`demo::data`); the
    /// descriptions also need a label for every funder.
    #[test]
    fn every_funder_has_a_label() {
        for t in &data::TRAININGS.trainings {
            for f in &t.funding {
                assert!(FUNDING_LABELS.iter().any(|(k, _)| k == f), "{f}");
            }
        }
    }
}

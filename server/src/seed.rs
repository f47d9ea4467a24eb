//! `passerelle seed --demo`: realistic French demo data, safe to run again.

use crate::{catalogue_seed, communes, error::Error, jobs_seed};
use app::{
    base::error::AppError,
    base::media::{ssr::UploadedFile, storage::Storage},
    blog::editor::{ArticleInput, StatusAction},
    identity::users::Role,
};
use sqlx::PgPool;

/// Shared by every demo account; for development only (listed in the README).
pub const DEMO_PASSWORD: &str = "passerelle-demo-2026";

/// One account per role, and the owner of an organisation awaiting approval.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 6] = [
    (
        "camille.martin@demo.passerelle.fr",
        "Camille Martin",
        Role::Candidate,
    ),
    (
        "formation@demo.passerelle.fr",
        "Nadia Benali (Institut Lumière Formation)",
        Role::CentreMember,
    ),
    (
        "recrutement@demo.passerelle.fr",
        "Julien Moreau (Atelier Rhône Industrie)",
        Role::Recruiter,
    ),
    ("redaction@demo.passerelle.fr", "Léa Fontaine", Role::Editor),
    ("admin@demo.passerelle.fr", "Claire Dubois", Role::Admin),
    (
        "contact@demo-competences-bretagne.fr",
        "Yann Le Gall (Compétences Bretagne)",
        Role::CentreMember,
    ),
];

/// (kind, name, SIRET with a valid Luhn key, status, owner).
const DEMO_ORGANISATIONS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "centre",
        "Institut Lumière Formation",
        "81234567800013",
        "approved",
        "formation@demo.passerelle.fr",
    ),
    (
        "entreprise",
        "Atelier Rhône Industrie",
        "82345678900010",
        "approved",
        "recrutement@demo.passerelle.fr",
    ),
    (
        "centre",
        "Compétences Bretagne",
        "83456789000019",
        "pending",
        "contact@demo-competences-bretagne.fr",
    ),
];

/// The demo app acting for users (the mobile app's stand-in): public,
/// allowed every scope, answering on a loopback address (README, browser
/// tests). Its client_id is fixed so that examples can name it.
pub const DEMO_APP_CLIENT_ID: &str = "pa_d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0";
pub const DEMO_APP_NAME: &str = "Passerelle mobile (démo)";
pub const DEMO_APP_REDIRECT_URI: &str = "http://127.0.0.1:8765/retour";

const DEMO_SUBSCRIBERS: [&str; 6] = [
    "lucas.bernard@exemple.fr",
    "ines.dubois@exemple.fr",
    "hugo.petit@exemple.fr",
    "chloe.robert@exemple.fr",
    "mathis.richard@exemple.fr",
    "manon.durand@exemple.fr",
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Demo accounts, the catalogue's centre owners included.
    pub accounts_created: usize,
    /// Organisations, the catalogue's centres included.
    pub organisations_created: usize,
    pub subscribers: usize,
    pub articles_created: usize,
    /// 0 unless the table was empty.
    pub communes_imported: usize,
    pub trainings_created: usize,
    /// Job offers and applications of the demo job board.
    pub offers_created: usize,
    pub applications_created: usize,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Données de démonstration prêtes : {} compte(s) créé(s), {} organisation(s) créée(s), {} abonné(s) à la lettre, {} article(s) de blog créé(s), {} commune(s) importée(s), {} formation(s) créée(s), {} offre(s) d'emploi créée(s), {} candidature(s) créée(s).",
            self.accounts_created,
            self.organisations_created,
            self.subscribers,
            self.articles_created,
            self.communes_imported,
            self.trainings_created,
            self.offers_created,
            self.applications_created
        )
    }
}

pub async fn demo(pool: &PgPool, storage: &Storage) -> Result<SeedReport, Error> {
    let mut report = SeedReport::default();
    // Centre profiles and training places point at communes.
    let any_commune = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM communes) AS "any!""#)
        .fetch_one(pool)
        .await?;
    if !any_commune {
        report.communes_imported = communes::import(pool).await?;
    }
    for (email, name, role) in DEMO_ACCOUNTS {
        // Skip before hashing: a second run should be instant.
        if app::identity::users::ssr::email_exists(pool, email).await? {
            continue;
        }
        app::identity::users::ssr::create_user(pool, email, name, DEMO_PASSWORD, role, true)
            .await?;
        report.accounts_created += 1;
    }
    for (kind, name, siret, status, owner) in DEMO_ORGANISATIONS {
        // One statement per organisation: it and its owner's membership, or nothing.
        let created = sqlx::query_scalar!(
            r#"WITH organisation AS (
                   INSERT INTO organisations (kind, name, siret, status, reviewed_at)
                   VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'approved' THEN now() END)
                   ON CONFLICT (siret) DO NOTHING RETURNING id
               )
               INSERT INTO memberships (user_id, organisation_id, role)
               SELECT u.id, organisation.id, 'owner' FROM organisation, users u WHERE u.email = $5
               RETURNING organisation_id"#,
            kind,
            name,
            siret,
            status,
            owner
        )
        .fetch_optional(pool)
        .await?;
        report.organisations_created += usize::from(created.is_some());
    }
    let scopes: Vec<String> = app::identity::oauth::SCOPES
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    sqlx::query!(
        "INSERT INTO oauth_apps (client_id, name, redirect_uris, scopes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (client_id) DO NOTHING",
        DEMO_APP_CLIENT_ID,
        DEMO_APP_NAME,
        &[DEMO_APP_REDIRECT_URI.to_owned()],
        &scopes
    )
    .execute(pool)
    .await?;
    // Demo addresses are taken as confirmed (no e-mail leaves for them).
    for email in DEMO_SUBSCRIBERS {
        sqlx::query!(
            "INSERT INTO newsletter_subscribers (email, confirmed_at) VALUES ($1, now())
             ON CONFLICT (email) DO NOTHING",
            email
        )
        .execute(pool)
        .await?;
    }
    report.subscribers =
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM newsletter_subscribers"#)
            .fetch_one(pool)
            .await?
            .try_into()
            .unwrap_or(0);
    report.articles_created = demo_articles(pool, storage).await?;
    demo_company_photos(pool, storage).await?;
    let catalogue = catalogue_seed::demo(pool).await?;
    report.accounts_created += catalogue.accounts_created;
    report.organisations_created += catalogue.centres_created;
    report.trainings_created = catalogue.trainings_created;
    // Companies and offers come last: the bridge shows trainings for their skills.
    let jobs = jobs_seed::demo(pool).await?;
    report.accounts_created += jobs.accounts_created;
    report.organisations_created += jobs.companies_created;
    report.offers_created = jobs.offers_created;
    report.applications_created = jobs.applications_created;
    Ok(report)
}

/// (title, category, tags, cover colours, days since publication (negative:
/// scheduled in the future), excerpt, body).
type DemoArticle = (
    &'static str,
    &'static str,
    &'static str,
    [u8; 6],
    i32,
    &'static str,
    &'static str,
);

const DEMO_ARTICLES: [DemoArticle; 5] = [
    (
        "Financer sa formation avec le CPF : le guide 2026",
        "formation",
        "CPF, financement",
        [30, 64, 175, 14, 165, 233],
        3,
        "Reste à charge, plafonds, formations éligibles : tout ce qu'il faut savoir avant de mobiliser votre compte personnel de formation.",
        "Le **compte personnel de formation** (CPF) finance chaque année plus d'un million de parcours.\n\n\
## Qui peut l'utiliser ?\n\nToute personne active de plus de 16 ans : salariés, indépendants, demandeurs d'emploi.\n\n\
## Combien ?\n\n| Situation | Crédit annuel | Plafond |\n|---|---|---|\n| Temps plein | 500 € | 5 000 € |\n| Peu qualifié | 800 € | 8 000 € |\n\n\
## Le reste à charge\n\nDepuis 2024, une participation forfaitaire est demandée, sauf aux demandeurs d'emploi.\n\n\
> Conseil : comparez les sessions sur Passerelle avant de vous inscrire.",
    ),
    (
        "Alternance : 7 questions avant de signer",
        "formation",
        "alternance, apprentissage",
        [22, 101, 52, 132, 204, 22],
        8,
        "Contrat d'apprentissage ou de professionnalisation, rémunération, rythme : les réponses pour choisir sereinement.",
        "L'alternance permet de se former **et** d'être payé.\n\n\
## 1. Apprentissage ou professionnalisation ?\n\nL'apprentissage vise un diplôme ; la professionnalisation, une qualification reconnue par une branche.\n\n\
## 2. Quel salaire ?\n\nDe 27 % à 100 % du SMIC selon l'âge et l'année.\n\n\
## 3. Quel rythme ?\n\nSouvent deux semaines en entreprise pour une semaine en centre.",
    ),
    (
        "Réussir son entretien d'embauche en visio",
        "emploi",
        "entretien, candidature",
        [157, 23, 77, 251, 146, 60],
        15,
        "Cadrage, lumière, son et questions à préparer : nos conseils pour convaincre derrière un écran.",
        "Un entretien à distance se prépare comme un entretien en personne, avec quelques réglages en plus.\n\n\
## La technique\n\n- Testez le lien la veille\n- Placez la caméra à hauteur des yeux\n- Coupez les notifications\n\n\
## Le fond\n\nPréparez trois exemples concrets de réussites, et deux questions sur le poste.",
    ),
    (
        "Se reconvertir après 40 ans : par où commencer ?",
        "orientation",
        "reconversion, bilan de compétences",
        [67, 56, 202, 236, 72, 153],
        30,
        "Bilan de compétences, VAE, formations courtes : les étapes d'une reconversion réussie en milieu de carrière.",
        "Une reconversion se construit par étapes.\n\n\
## Faire le point\n\nLe **bilan de compétences** aide à identifier vos forces et les métiers qui vous correspondent.\n\n\
## Valider l'expérience\n\nLa VAE transforme des années d'expérience en diplôme.\n\n\
## Se former\n\nDe nombreuses formations courtes, finançables par le CPF, permettent de changer de métier en moins d'un an.",
    ),
    (
        "Passerelle ouvre son catalogue de formations",
        "actualites",
        "Passerelle",
        [180, 83, 9, 250, 204, 21],
        -7,
        "Les centres de formation peuvent publier leurs sessions : découvrez les nouveautés.",
        "Le catalogue de formations arrive sur Passerelle. Cet article est **programmé** : il sera public à sa date de publication.",
    ),
];

/// A 1600×900 two-colour gradient: a real cover image without shipping files.
fn demo_cover(colours: [u8; 6]) -> Result<Vec<u8>, AppError> {
    let [r1, g1, b1, r2, g2, b2] = colours.map(f32::from);
    let image = image::RgbImage::from_fn(1600, 900, |x, y| {
        let t = (x as f32 / 1600.0 * 0.7 + y as f32 / 900.0 * 0.3).min(1.0);
        let mix = |a: f32, b: f32| (a + (b - a) * t) as u8;
        image::Rgb([mix(r1, r2), mix(g1, g2), mix(b1, b2)])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|_| AppError::Internal)?;
    Ok(png.into_inner())
}

/// The demo company's photos (its page shows a gallery), once.
async fn demo_company_photos(pool: &PgPool, storage: &Storage) -> Result<(), AppError> {
    let Some(company) = sqlx::query!(
        r#"SELECT o.id, m.user_id,
                  EXISTS (SELECT 1 FROM organisation_photos p WHERE p.organisation_id = o.id) AS "has_photos!"
           FROM organisations o JOIN memberships m ON m.organisation_id = o.id AND m.role = 'owner'
           WHERE o.siret = '82345678900010'"#
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(());
    };
    if company.has_photos {
        return Ok(());
    }
    let photos = [
        (
            "L'atelier d'usinage et ses centres à commande numérique",
            [30, 64, 175, 14, 165, 233],
        ),
        (
            "L'équipe de maintenance devant la ligne d'assemblage",
            [180, 83, 9, 250, 204, 21],
        ),
        (
            "Le bureau d'études, ouvert sur l'atelier",
            [21, 128, 61, 134, 239, 172],
        ),
    ];
    for (i, (alt, colours)) in photos.into_iter().enumerate() {
        let file = UploadedFile {
            name: format!("atelier-{i}.png"),
            bytes: demo_cover(colours)?.into(),
        };
        let image =
            app::base::media::ssr::store_image(pool, storage, Some(company.user_id), &file).await?;
        sqlx::query!(
            "INSERT INTO organisation_photos (organisation_id, media_id, alt) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            company.id,
            image.id,
            alt
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}

async fn demo_articles(pool: &PgPool, storage: &Storage) -> Result<usize, AppError> {
    let Some(editor) =
        sqlx::query_scalar!("SELECT id FROM users WHERE email = 'redaction@demo.passerelle.fr'")
            .fetch_optional(pool)
            .await?
    else {
        return Ok(0);
    };
    let mut created = 0;
    for (title, category, tags, colours, days_ago, excerpt, body) in DEMO_ARTICLES {
        let slug = app::base::markdown::slugify(title);
        let exists = sqlx::query_scalar!("SELECT id FROM articles WHERE slug = $1", slug)
            .fetch_optional(pool)
            .await?;
        if exists.is_some() {
            continue;
        }
        let file = UploadedFile {
            name: format!("{slug}.png"),
            bytes: demo_cover(colours)?.into(),
        };
        let cover = app::base::media::ssr::store_image(pool, storage, Some(editor), &file).await?;
        let input = ArticleInput {
            id: None,
            title: title.to_owned(),
            slug: String::new(),
            excerpt: excerpt.to_owned(),
            body_markdown: body.to_owned(),
            cover_media_id: Some(cover.id),
            cover_alt: format!("Illustration de l'article « {title} »"),
            category: category.to_owned(),
            tags: tags.to_owned(),
        };
        let id = app::blog::ssr::save(pool, editor, &input).await?;
        if days_ago >= 0 {
            app::blog::ssr::change_status(pool, id, &StatusAction::Publish).await?;
            sqlx::query!(
                "UPDATE articles SET published_at = now() - make_interval(days => $2),
                        updated_at = now() - make_interval(days => $2)
                 WHERE id = $1",
                id,
                days_ago
            )
            .execute(pool)
            .await?;
        } else {
            sqlx::query!(
                "UPDATE articles SET status = 'scheduled',
                        published_at = date_trunc('hour', now()) + make_interval(days => $2)
                 WHERE id = $1",
                id,
                -days_ago
            )
            .execute(pool)
            .await?;
        }
        created += 1;
    }
    Ok(created)
}

//! The blog's data layer: public reads (only articles whose time has come),
//! editor reads and writes, the Atom feed and the sitemap entries.

use super::{
    Article, ArticleCard, Category, Filter, Listing, Lookup, PAGE_SIZE, Status, Tag,
    editor::{ArticleInput, Draft, EditorQuery, EditorRow, Revision, StatusAction},
};
use crate::{base::error::AppError, base::markdown, base::seo::ssr::SitemapEntry};
use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::HashMap;

use crate::base::format::french_date;

/// A row of the `public_article_cards` view.
struct CardRow {
    slug: String,
    title: String,
    excerpt: String,
    published_at: DateTime<Utc>,
    published_day: String,
    reading_minutes: i32,
    category_slug: Option<String>,
    category_name: Option<String>,
    cover_id: Option<i64>,
    cover_variants: Option<serde_json::Value>,
    cover_alt: String,
}

impl From<CardRow> for ArticleCard {
    fn from(row: CardRow) -> Self {
        let cover = match (row.cover_id, row.cover_variants) {
            (Some(id), Some(variants)) => crate::base::media::ssr::image_ref(id, variants),
            _ => None,
        };
        ArticleCard {
            slug: row.slug,
            title: row.title,
            excerpt: row.excerpt,
            published_on: french_date(&row.published_day),
            published_at: row
                .published_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            reading_minutes: row.reading_minutes,
            category: row
                .category_slug
                .zip(row.category_name)
                .map(|(slug, name)| Category { slug, name }),
            cover,
            cover_alt: row.cover_alt,
        }
    }
}

pub async fn categories(pool: &PgPool) -> Result<Vec<Category>, AppError> {
    Ok(sqlx::query_as!(
        Category,
        "SELECT slug, name FROM blog_categories ORDER BY name"
    )
    .fetch_all(pool)
    .await?)
}

/// The categories that hold public articles, for the blog's navigation (an
/// empty one would lead to an empty page).
async fn public_categories(pool: &PgPool) -> Result<Vec<Category>, AppError> {
    Ok(sqlx::query_as!(
        Category,
        r#"SELECT c.slug, c.name FROM blog_categories c
           WHERE EXISTS (SELECT 1 FROM public_article_cards a WHERE a.category_slug = c.slug)
           ORDER BY c.name"#
    )
    .fetch_all(pool)
    .await?)
}

pub async fn listing(pool: &PgPool, filter: &Filter, page: i64) -> Result<Listing, AppError> {
    // An absurd `?page=` must not overflow the offset: past the last page
    // is a 404 anyway.
    let page = page.clamp(1, crate::ui::search::MAX_PAGE);
    let (category, tag) = match filter {
        Filter::All => (None, None),
        Filter::Category(slug) => (Some(slug.as_str()), None),
        Filter::Tag(slug) => (None, Some(slug.as_str())),
    };
    let heading = match filter {
        Filter::All => None,
        Filter::Category(slug) => Some(
            sqlx::query!(
                "SELECT name, description FROM blog_categories WHERE slug = $1",
                slug
            )
            .fetch_optional(pool)
            .await?
            .map(|r| (r.name, r.description))
            .ok_or(AppError::NotFound)?,
        ),
        Filter::Tag(slug) => Some(
            sqlx::query_scalar!("SELECT name FROM blog_tags WHERE slug = $1", slug)
                .fetch_optional(pool)
                .await?
                .map(|name| (name, String::new()))
                .ok_or(AppError::NotFound)?,
        ),
    };
    let (articles, total) = cards(pool, category, tag, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    // Past the last page, and tags without public articles, are not pages.
    if articles.is_empty() && (page > 1 || matches!(filter, Filter::Tag(_))) {
        return Err(AppError::NotFound);
    }
    Ok(Listing {
        articles,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        heading,
        categories: public_categories(pool).await?,
    })
}

pub async fn latest(pool: &PgPool, count: i64) -> Result<Vec<ArticleCard>, AppError> {
    Ok(cards(pool, None, None, count, 0).await?.0)
}

/// Public articles, newest first, of a category and a tag when given, and
/// how many there are in all.
async fn cards(
    pool: &PgPool,
    category: Option<&str>,
    tag: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ArticleCard>, i64), AppError> {
    let rows = sqlx::query!(
        r#"SELECT slug AS "slug!", title AS "title!", excerpt AS "excerpt!",
                  published_at AS "published_at!", published_day AS "published_day!",
                  reading_minutes AS "reading_minutes!", category_slug, category_name,
                  cover_id, cover_variants, cover_alt AS "cover_alt!",
                  COUNT(*) OVER () AS "total!"
           FROM public_article_cards p
           WHERE ($1::text IS NULL OR category_slug = $1)
             AND ($2::text IS NULL OR EXISTS (
                   SELECT 1 FROM article_tags x JOIN blog_tags t ON t.id = x.tag_id
                   WHERE x.article_id = p.id AND t.slug = $2))
           ORDER BY published_at DESC, id DESC
           LIMIT $3 OFFSET $4"#,
        category,
        tag,
        limit,
        offset,
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let articles = rows
        .into_iter()
        .map(|r| {
            ArticleCard::from(CardRow {
                slug: r.slug,
                title: r.title,
                excerpt: r.excerpt,
                published_at: r.published_at,
                published_day: r.published_day,
                reading_minutes: r.reading_minutes,
                category_slug: r.category_slug,
                category_name: r.category_name,
                cover_id: r.cover_id,
                cover_variants: r.cover_variants,
                cover_alt: r.cover_alt,
            })
        })
        .collect();
    Ok((articles, total))
}

pub async fn article(pool: &PgPool, slug: &str) -> Result<Lookup, AppError> {
    let Some(row) = sqlx::query!(
        r#"SELECT p.id AS "id!", p.slug AS "slug!", p.title AS "title!", p.excerpt AS "excerpt!",
                  p.published_at AS "published_at!", p.published_day AS "published_day!",
                  p.reading_minutes AS "reading_minutes!", p.category_id, p.category_slug,
                  p.category_name, p.cover_id, p.cover_variants, p.cover_alt AS "cover_alt!",
                  a.body_html, a.updated_at, u.display_name AS "author?"
           FROM public_article_cards p
           JOIN articles a ON a.id = p.id
           LEFT JOIN users u ON u.id = a.author_id
           WHERE p.slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await?
    else {
        // An old slug of a public article moves to its current one.
        let moved = sqlx::query_scalar!(
            r#"SELECT p.slug AS "slug!" FROM article_old_slugs o
               JOIN public_article_cards p ON p.id = o.article_id WHERE o.slug = $1"#,
            slug
        )
        .fetch_optional(pool)
        .await?;
        return moved.map(Lookup::Moved).ok_or(AppError::NotFound);
    };
    crate::base::audience::ssr::view("article", row.id);
    let tags = sqlx::query_as!(
        Tag,
        "SELECT t.slug, t.name FROM article_tags x JOIN blog_tags t ON t.id = x.tag_id
         WHERE x.article_id = $1 ORDER BY t.name",
        row.id
    )
    .fetch_all(pool)
    .await?;
    let related = sqlx::query_as!(
        CardRow,
        r#"SELECT slug AS "slug!", title AS "title!", excerpt AS "excerpt!",
                  published_at AS "published_at!", published_day AS "published_day!",
                  reading_minutes AS "reading_minutes!", category_slug, category_name,
                  cover_id, cover_variants, cover_alt AS "cover_alt!"
           FROM public_article_cards p
           WHERE p.id <> $1
           ORDER BY (COALESCE(p.category_id = $2, false))::int
                    + (SELECT count(*) FROM article_tags x
                       WHERE x.article_id = p.id
                         AND x.tag_id IN (SELECT tag_id FROM article_tags WHERE article_id = $1))::int DESC,
                    p.published_at DESC
           LIMIT 3"#,
        row.id,
        row.category_id,
    )
    .fetch_all(pool)
    .await?;
    let card = ArticleCard::from(CardRow {
        slug: row.slug,
        title: row.title,
        excerpt: row.excerpt,
        published_at: row.published_at,
        published_day: row.published_day,
        reading_minutes: row.reading_minutes,
        category_slug: row.category_slug,
        category_name: row.category_name,
        cover_id: row.cover_id,
        cover_variants: row.cover_variants,
        cover_alt: row.cover_alt,
    });
    Ok(Lookup::Found(Box::new(Article {
        card,
        body_html: row.body_html,
        updated_at: row
            .updated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        author: row.author,
        tags,
        related: related.into_iter().map(ArticleCard::from).collect(),
    })))
}

// ---------------------------------------------------------------- editors

pub async fn editor_rows(pool: &PgPool, query: &EditorQuery) -> Result<Vec<EditorRow>, AppError> {
    let q = query.q.trim();
    Ok(sqlx::query_as!(
        EditorRow,
        r#"SELECT id AS "id!", title AS "title!", slug AS "slug!", category AS "category?",
                  status AS "status!: Status", updated AS "updated!", published
           FROM (
             SELECT a.id, a.title, a.slug, c.name AS category, c.slug AS category_slug, a.updated_at,
                    CASE WHEN a.status = 'scheduled' AND a.published_at <= now() THEN 'published'
                         ELSE a.status END AS status,
                    to_char(a.updated_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS updated,
                    to_char(a.published_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS published
             FROM articles a LEFT JOIN blog_categories c ON c.id = a.category_id
             WHERE $1 = ''
                OR strpos(lower(a.title), lower($1)) > 0
                OR to_tsvector('french', a.title || ' ' || a.excerpt || ' ' || a.body_markdown)
                   @@ websearch_to_tsquery('french', $1)
           ) listed
           WHERE ($2 = '' OR status = $2) AND ($3 = '' OR category_slug = $3)
           ORDER BY updated_at DESC
           LIMIT 200"#,
        q,
        query.status,
        query.category,
    )
    .fetch_all(pool)
    .await?)
}

pub async fn draft(pool: &PgPool, id: i64) -> Result<Draft, AppError> {
    let row = sqlx::query!(
        r#"SELECT a.id, a.title, a.slug, a.excerpt, a.body_markdown, a.body_html, a.cover_alt,
                  a.status AS "status: Status", (a.published_at <= now()) AS "due?",
                  to_char(a.published_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD"T"HH24:MI') AS publish_at,
                  c.slug AS "category?", m.id AS "cover_id?", m.variants AS "cover_variants?",
                  to_char(a.updated_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "updated!",
                  COALESCE((SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM article_tags x
                            JOIN blog_tags t ON t.id = x.tag_id WHERE x.article_id = a.id), '') AS "tags!"
           FROM articles a
           LEFT JOIN blog_categories c ON c.id = a.category_id
           LEFT JOIN media m ON m.id = a.cover_media_id
           WHERE a.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let revisions = sqlx::query_as!(
        Revision,
        r#"SELECT r.id, r.title,
                  to_char(r.created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI:SS') AS "at!",
                  u.display_name AS "author?"
           FROM article_revisions r LEFT JOIN users u ON u.id = r.author_id
           WHERE r.article_id = $1 ORDER BY r.id DESC LIMIT 50"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let due = row.due.unwrap_or(false);
    Ok(Draft {
        id: row.id,
        title: row.title,
        slug: row.slug,
        excerpt: row.excerpt,
        body_markdown: row.body_markdown,
        body_html: row.body_html,
        cover: match (row.cover_id, row.cover_variants) {
            (Some(id), Some(variants)) => crate::base::media::ssr::image_ref(id, variants),
            _ => None,
        },
        cover_alt: row.cover_alt,
        category: row.category.unwrap_or_default(),
        tags: row.tags,
        status: if row.status == Status::Scheduled && due {
            Status::Published
        } else {
            row.status
        },
        publish_at: row.publish_at.unwrap_or_default(),
        updated: row.updated,
        revisions,
    })
}

/// Checked and normalised editor input.
struct Clean {
    title: String,
    slug: String,
    excerpt: String,
    body: String,
    cover: Option<i64>,
    cover_alt: String,
    category: Option<i64>,
    tags: Vec<(String, String)>,
}

async fn clean(pool: &PgPool, input: &ArticleInput) -> Result<Clean, AppError> {
    let title = input.title.trim().to_owned();
    let length = title.chars().count();
    if !(3..=160).contains(&length) {
        return Err(AppError::invalid(
            "title",
            "Le titre doit compter entre 3 et 160 caractères.",
        ));
    }
    let slug = markdown::slugify(if input.slug.trim().is_empty() {
        &title
    } else {
        &input.slug
    });
    if slug.is_empty() {
        return Err(AppError::invalid(
            "slug",
            "L'adresse doit contenir au moins une lettre ou un chiffre.",
        ));
    }
    let excerpt = input.excerpt.trim().to_owned();
    if excerpt.chars().count() > 320 {
        return Err(AppError::invalid(
            "excerpt",
            "Le chapeau ne doit pas dépasser 320 caractères.",
        ));
    }
    if input.body_markdown.len() > 200_000 {
        return Err(AppError::invalid(
            "body_markdown",
            "Le texte est trop long (200 000 caractères au plus).",
        ));
    }
    if input
        .body_markdown
        .contains(&format!("![{}](", super::editor::ALT_PLACEHOLDER))
    {
        return Err(AppError::invalid(
            "body_markdown",
            "Remplacez « Décrivez l'image » par une description de chaque image insérée (texte alternatif).",
        ));
    }
    let cover_alt = input.cover_alt.trim().to_owned();
    let cover = match input.cover_media_id {
        None => None,
        Some(id) => {
            crate::base::media::ssr::image_by_id(pool, id)
                .await?
                .ok_or_else(|| AppError::invalid("cover", "Cette image n'existe plus."))?;
            if cover_alt.is_empty() {
                return Err(AppError::invalid(
                    "cover_alt",
                    "Décrivez l'image de couverture pour les personnes qui ne la voient pas.",
                ));
            }
            Some(id)
        }
    };
    let category = if input.category.is_empty() {
        None
    } else {
        Some(
            sqlx::query_scalar!(
                "SELECT id FROM blog_categories WHERE slug = $1",
                input.category
            )
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| {
                AppError::invalid("category", "Choisissez une catégorie de la liste.")
            })?,
        )
    };
    let mut tags: Vec<(String, String)> = Vec::new();
    for name in input
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let slug = markdown::slugify(name);
        if name.chars().count() > 40 || slug.is_empty() {
            return Err(AppError::invalid(
                "tags",
                "Chaque mot-clé compte de 1 à 40 caractères, séparés par des virgules.",
            ));
        }
        if !tags.iter().any(|(s, _)| *s == slug) {
            tags.push((slug, name.to_owned()));
        }
    }
    if tags.len() > 10 {
        return Err(AppError::invalid("tags", "Dix mots-clés au plus."));
    }
    Ok(Clean {
        title,
        slug,
        excerpt,
        body: input.body_markdown.clone(),
        cover,
        cover_alt,
        category,
        tags,
    })
}

/// Markdown → sanitised HTML, with the variants of the images we host.
pub async fn render_body(pool: &PgPool, body: &str) -> Result<String, AppError> {
    let mut images = HashMap::new();
    for url in markdown::image_urls(body) {
        if images.contains_key(&url) {
            continue;
        }
        if let Some(image) = crate::base::media::ssr::image_by_path(pool, &url).await? {
            images.insert(url, image);
        }
    }
    Ok(markdown::render(body, &images))
}

/// Creates or updates an article, its tags and (when the text changed) a revision.
pub async fn save(pool: &PgPool, author: i64, input: &ArticleInput) -> Result<i64, AppError> {
    let clean = clean(pool, input).await?;
    let html = render_body(pool, &clean.body).await?;
    let minutes = markdown::reading_minutes(&clean.body);

    let mut tx = pool.begin().await?;
    let taken = sqlx::query_scalar!(
        "SELECT id FROM articles WHERE slug = $1 AND id IS DISTINCT FROM $2",
        clean.slug,
        input.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if taken.is_some() {
        return Err(AppError::invalid(
            "slug",
            "Cette adresse est déjà celle d'un autre article.",
        ));
    }
    let id =
        match input.id {
            // A new article gets its row here and its content from the update below.
            None => sqlx::query_scalar!(
                "INSERT INTO articles (slug, title, author_id) VALUES ($1, $2, $3) RETURNING id",
                clean.slug,
                clean.title,
                author,
            )
            .fetch_one(&mut *tx)
            .await?,
            Some(id) => {
                let old_slug =
                    sqlx::query_scalar!("SELECT slug FROM articles WHERE id = $1 FOR UPDATE", id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(AppError::NotFound)?;
                if old_slug != clean.slug {
                    // Links to the old address keep working (301).
                    sqlx::query!(
                        "INSERT INTO article_old_slugs (slug, article_id) VALUES ($1, $2)
                     ON CONFLICT (slug) DO UPDATE SET article_id = EXCLUDED.article_id",
                        old_slug,
                        id
                    )
                    .execute(&mut *tx)
                    .await?;
                }
                id
            }
        };
    sqlx::query!(
        "UPDATE articles SET slug = $2, title = $3, excerpt = $4, body_markdown = $5,
                body_html = $6, reading_minutes = $7, cover_media_id = $8, cover_alt = $9,
                category_id = $10, updated_at = now()
         WHERE id = $1",
        id,
        clean.slug,
        clean.title,
        clean.excerpt,
        clean.body,
        html,
        minutes,
        clean.cover,
        clean.cover_alt,
        clean.category,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM article_old_slugs WHERE slug = $1", clean.slug)
        .execute(&mut *tx)
        .await?;
    save_tags(&mut tx, id, &clean.tags).await?;
    sqlx::query!(
        "INSERT INTO article_revisions (article_id, title, excerpt, body_markdown, author_id)
         SELECT $1, $2, $3, $4, $5
         WHERE NOT EXISTS (
             SELECT 1 FROM (SELECT title, excerpt, body_markdown FROM article_revisions
                            WHERE article_id = $1 ORDER BY id DESC LIMIT 1) last
             WHERE last.title = $2 AND last.excerpt = $3 AND last.body_markdown = $4)",
        id,
        clean.title,
        clean.excerpt,
        clean.body,
        author,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn save_tags(
    tx: &mut Transaction<'_, Postgres>,
    article: i64,
    tags: &[(String, String)],
) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM article_tags WHERE article_id = $1", article)
        .execute(&mut **tx)
        .await?;
    for (slug, name) in tags {
        let tag = sqlx::query_scalar!(
            "INSERT INTO blog_tags (slug, name) VALUES ($1, $2)
             ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id",
            slug,
            name
        )
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query!(
            "INSERT INTO article_tags (article_id, tag_id) VALUES ($1, $2)",
            article,
            tag
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Publishes, schedules, unpublishes or archives an article.
pub async fn change_status(pool: &PgPool, id: i64, action: &StatusAction) -> Result<(), AppError> {
    if matches!(action, StatusAction::Publish | StatusAction::Schedule(_)) {
        crate::base::moderation::ssr::refuse_if_withdrawn(
            pool,
            crate::base::moderation::ContentKind::Articles,
            id,
        )
        .await?;
    }
    let done = match action {
        StatusAction::Publish => sqlx::query!(
            "UPDATE articles SET status = 'published', updated_at = now(),
                    published_at = CASE WHEN status = 'published' THEN published_at ELSE now() END
             WHERE id = $1",
            id
        )
        .execute(pool)
        .await?,
        StatusAction::Schedule(at) => {
            let local = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M").map_err(|_| {
                AppError::invalid("publish_at", "Indiquez une date et une heure de publication.")
            })?;
            let done = sqlx::query!(
                "UPDATE articles SET status = 'scheduled', updated_at = now(),
                        published_at = $2::timestamp AT TIME ZONE 'Europe/Paris'
                 WHERE id = $1 AND $2::timestamp AT TIME ZONE 'Europe/Paris' > now()",
                id,
                local
            )
            .execute(pool)
            .await?;
            if done.rows_affected() == 0 {
                sqlx::query_scalar!("SELECT id FROM articles WHERE id = $1", id)
                    .fetch_optional(pool)
                    .await?
                    .ok_or(AppError::NotFound)?;
                return Err(AppError::invalid(
                    "publish_at",
                    "Choisissez une date et une heure à venir.",
                ));
            }
            done
        }
        StatusAction::Unpublish => sqlx::query!(
            "UPDATE articles SET status = 'draft', published_at = NULL, updated_at = now() WHERE id = $1",
            id
        )
        .execute(pool)
        .await?,
        StatusAction::Archive => sqlx::query!(
            "UPDATE articles SET status = 'archived', updated_at = now() WHERE id = $1",
            id
        )
        .execute(pool)
        .await?,
    };
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Puts a revision's text back; the restore is itself a new revision.
pub async fn restore_revision(
    pool: &PgPool,
    author: i64,
    article: i64,
    revision: i64,
) -> Result<(), AppError> {
    let old = sqlx::query!(
        "SELECT title, excerpt, body_markdown FROM article_revisions WHERE id = $1 AND article_id = $2",
        revision,
        article
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let current = draft(pool, article).await?;
    let input = ArticleInput {
        id: Some(article),
        title: old.title,
        slug: current.slug,
        excerpt: old.excerpt,
        body_markdown: old.body_markdown,
        cover_media_id: current.cover.map(|c| c.id),
        cover_alt: current.cover_alt,
        category: current.category,
        tags: current.tags,
    };
    save(pool, author, &input).await.map(|_| ())
}

// ------------------------------------------------------------ feed, sitemap

/// The Atom feed of the 20 newest public articles.
pub async fn atom_feed(pool: &PgPool, base_url: &str) -> Result<String, AppError> {
    use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
    let base = base_url.trim_end_matches('/');
    let rows = sqlx::query!(
        r#"SELECT p.slug AS "slug!", p.title AS "title!", p.excerpt AS "excerpt!",
                  p.published_at AS "published_at!", a.updated_at, a.body_html,
                  u.display_name AS "author?", p.category_name
           FROM public_article_cards p JOIN articles a ON a.id = p.id
           LEFT JOIN users u ON u.id = a.author_id
           ORDER BY p.published_at DESC LIMIT 20"#
    )
    .fetch_all(pool)
    .await?;
    let updated = rows
        .iter()
        .map(|r| r.updated_at.max(r.published_at))
        .max()
        .unwrap_or_else(Utc::now);
    let entries = rows
        .into_iter()
        .map(|r| {
            let url = format!("{base}/blog/{}", r.slug);
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(r.title));
            entry.set_updated(r.updated_at.max(r.published_at).fixed_offset());
            entry.set_published(Some(r.published_at.fixed_offset()));
            entry.set_links(vec![Link {
                href: url,
                ..Default::default()
            }]);
            entry.set_summary(Some(Text::plain(r.excerpt)));
            entry.set_content(Some(Content {
                value: Some(r.body_html),
                content_type: Some("html".to_owned()),
                ..Default::default()
            }));
            entry.set_authors(vec![Person {
                name: r
                    .author
                    .unwrap_or_else(|| crate::base::site::SITE_NAME.to_owned()),
                ..Default::default()
            }]);
            if let Some(category) = r.category_name {
                entry.set_categories(vec![atom_syndication::Category {
                    term: category,
                    ..Default::default()
                }]);
            }
            entry
        })
        .collect::<Vec<_>>();
    let mut feed = Feed::default();
    feed.set_id(format!("{base}/blog"));
    feed.set_title(Text::plain(format!(
        "Le blog de {}",
        crate::base::site::SITE_NAME
    )));
    feed.set_lang(Some("fr".to_owned()));
    feed.set_updated(updated.fixed_offset());
    feed.set_links(vec![
        Link {
            href: format!("{base}/blog/feed.xml"),
            rel: "self".to_owned(),
            mime_type: Some("application/atom+xml".to_owned()),
            ..Default::default()
        },
        Link {
            href: format!("{base}/blog"),
            mime_type: Some("text/html".to_owned()),
            ..Default::default()
        },
    ]);
    feed.set_entries(entries);
    Ok(feed.to_string())
}

/// `/blog`, every public article, and the categories and tags that have some.
pub fn sitemap_entries(pool: &PgPool) -> crate::base::seo::ssr::SourceFuture<'_> {
    Box::pin(async move {
        let mut entries = vec![SitemapEntry::page("/blog")];
        let articles = sqlx::query!(
            r#"SELECT p.slug AS "slug!", GREATEST(a.updated_at, a.published_at) AS "modified!"
               FROM public_article_cards p JOIN articles a ON a.id = p.id
               ORDER BY p.published_at DESC"#
        )
        .fetch_all(pool)
        .await?;
        entries.extend(articles.into_iter().map(|a| SitemapEntry {
            path: format!("/blog/{}", a.slug),
            last_modified: Some(a.modified),
        }));
        let categories = sqlx::query_scalar!(
            r#"SELECT DISTINCT category_slug AS "slug!" FROM public_article_cards
               WHERE category_slug IS NOT NULL ORDER BY 1"#
        )
        .fetch_all(pool)
        .await?;
        entries.extend(
            categories
                .into_iter()
                .map(|slug| SitemapEntry::page(&format!("/blog/categorie/{slug}"))),
        );
        let tags = sqlx::query_scalar!(
            r#"SELECT DISTINCT t.slug FROM blog_tags t
               JOIN article_tags x ON x.tag_id = t.id
               JOIN public_article_cards p ON p.id = x.article_id ORDER BY 1"#
        )
        .fetch_all(pool)
        .await?;
        entries.extend(
            tags.into_iter()
                .map(|slug| SitemapEntry::page(&format!("/blog/tag/{slug}"))),
        );
        Ok::<_, AppError>(entries)
    })
}

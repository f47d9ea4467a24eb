//! The directories `/centres` and `/entreprises`: every approved centre or
//! company, searched by name and presentation (`q`, accent-insensitive like
//! the catalogue), filtered by région (`region`, the head office's or a
//! site's) and paged (`page`, 20 a page). A GET form and plain links, so a
//! directory works without JavaScript and every state of it has its URL;
//! opened from a dashboard, where the app is hydrated, it navigates in place.

use crate::{
    base::error::AppError,
    base::seo::{JsonLd, Seo},
    base::site::Site,
    organisations::profile::OrgKind,
    ui::search::{MAX_PAGE, MAX_QUERY_CHARS, clean_text, encode_component, item_list},
};
use leptos::prelude::*;
use leptos_router::components::Form;
use serde::{Deserialize, Serialize};

/// Organisations a page.
pub const PAGE_SIZE: i64 = 20;

/// What a directory's URL says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
// Empty values are left out of a server function's URL.
#[serde(default)]
pub struct DirectoryQuery {
    pub q: String,
    /// A région's code, as `communes.region_code` has it ("84").
    pub region: String,
    pub page: i64,
}

impl DirectoryQuery {
    /// Reads a query string's parameters (unknown ones are ignored), text
    /// cut to what a search needs and control characters dropped.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self::default();
        for (key, value) in pairs {
            match key {
                "q" => query.q = clean_text(value, MAX_QUERY_CHARS),
                "region" => query.region = clean_text(value, 3),
                "page" => query.page = clean_text(value, 12).parse().unwrap_or(0),
                _ => {}
            }
        }
        query
    }

    /// The page asked for, within what a list can have.
    pub fn page_number(&self) -> i64 {
        self.page.clamp(1, MAX_PAGE)
    }

    pub fn with_page(&self, page: i64) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// The directory's address with only the parameters that say
    /// something: its canonical URL.
    pub fn href(&self, kind: OrgKind) -> String {
        let mut pairs = Vec::new();
        if !self.q.is_empty() {
            pairs.push(format!("q={}", encode_component(&self.q)));
        }
        if !self.region.is_empty() {
            pairs.push(format!("region={}", encode_component(&self.region)));
        }
        if self.page > 1 {
            pairs.push(format!("page={}", self.page));
        }
        let path = texts(kind).path;
        if pairs.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", pairs.join("&"))
        }
    }
}

/// One organisation in a directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The head office's commune and région, when given.
    pub city: Option<String>,
    pub region: Option<String>,
    pub logo: Option<crate::base::media::ImageRef>,
    /// The start of its presentation.
    pub excerpt: String,
    /// Published trainings (centres) or live offers (companies).
    pub listings: i64,
}

/// A région of the filter: code and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
}

/// A page of a directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    /// The query as understood: an unknown région dropped, the page the
    /// one shown (past the last, the last).
    pub query: DirectoryQuery,
    pub cards: Vec<DirectoryCard>,
    pub total: i64,
    pub pages: i64,
    pub regions: Vec<Region>,
}

impl Directory {
    /// The name of the région filtered on.
    fn region_name(&self) -> Option<&str> {
        self.regions
            .iter()
            .find(|r| r.code == self.query.region)
            .map(|r| r.name.as_str())
    }
}

/// What a directory says, by kind.
struct Texts {
    path: &'static str,
    /// Its name: heading, title, breadcrumb.
    name: &'static str,
    describe: fn(i64) -> String,
    q_label: &'static str,
    q_placeholder: &'static str,
    /// "Aucun … ne correspond.", one, many.
    count: (&'static str, &'static str, &'static str),
    /// What a card counts: none, one, many.
    listings: (&'static str, &'static str, &'static str),
    all: &'static str,
}

fn texts(kind: OrgKind) -> Texts {
    match kind {
        OrgKind::Centre => Texts {
            path: "/centres",
            name: "Centres de formation",
            describe: |total| {
                format!(
                    "{total} centres de formation sur Passerelle : leurs formations, leurs prochaines sessions et leurs coordonnées."
                )
            },
            q_label: "Nom du centre ou mot-clé",
            q_placeholder: "ex. Institut, numérique, santé",
            count: (
                "Aucun centre ne correspond.",
                "centre de formation",
                "centres de formation",
            ),
            listings: (
                "Aucune formation publiée",
                "formation publiée",
                "formations publiées",
            ),
            all: "Voir tous les centres",
        },
        OrgKind::Entreprise => Texts {
            path: "/entreprises",
            name: "Entreprises",
            describe: |total| {
                format!(
                    "{total} entreprises qui recrutent sur Passerelle : leur présentation et leurs offres d'emploi en ligne."
                )
            },
            q_label: "Nom de l'entreprise ou mot-clé",
            q_placeholder: "ex. industrie, hôtel, numérique",
            count: (
                "Aucune entreprise ne correspond.",
                "entreprise",
                "entreprises",
            ),
            listings: ("Aucune offre en ligne", "offre en ligne", "offres en ligne"),
            all: "Voir toutes les entreprises",
        },
    }
}

/// "Aucun …", "1 …", "12 …".
fn counted(n: i64, (none, one, many): (&str, &str, &str)) -> String {
    match n {
        ..=0 => none.to_owned(),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// A page of the directory of `kind`.
#[server(prefix = "/api", endpoint = "organisations/annuaire", input = server_fn::codec::GetUrl)]
pub async fn organisation_directory(
    kind: OrgKind,
    query: DirectoryQuery,
) -> Result<Directory, AppError> {
    crate::base::db::with_read_pool(|pool| async move { ssr::directory(&pool, kind, query).await })
        .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{DirectoryCard, DirectoryQuery, PAGE_SIZE, Region};
    use crate::{
        base::error::AppError, base::format::truncate_words, base::media::ssr::image_ref,
        organisations::profile::OrgKind, ui::search::ssr::decode,
    };
    use sqlx::PgPool;

    /// Every région the communes know, by name.
    pub async fn regions(pool: &PgPool) -> Result<Vec<Region>, AppError> {
        Ok(sqlx::query_as!(
            Region,
            r#"SELECT region_code AS "code!", min(region_name) AS "name!" FROM departements
               GROUP BY region_code ORDER BY immutable_unaccent(min(region_name))"#
        )
        .fetch_all(pool)
        .await?)
    }

    /// The slug of the organisation `id` of `kind`, whatever its status
    /// (the public API reads it by id; its page still checks the status).
    pub async fn slug_of(pool: &PgPool, kind: OrgKind, id: i64) -> Result<String, AppError> {
        sqlx::query_scalar!(
            "SELECT slug FROM organisations WHERE id = $1 AND kind = $2",
            id,
            kind.as_db()
        )
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
    }

    /// `text` with LIKE's wildcards taken literally.
    fn like_literal(text: &str) -> String {
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    }

    /// A card as the statement returns it.
    #[derive(serde::Deserialize)]
    struct Row {
        id: i64,
        slug: String,
        name: String,
        description: String,
        city: Option<String>,
        region: Option<String>,
        logo_id: Option<i64>,
        logo_variants: Option<serde_json::Value>,
        listings: i64,
    }

    /// The approved organisations of `kind` that `query` finds, most
    /// active first (published trainings, live offers: as their pages count
    /// them), then by name.
    pub async fn directory(
        pool: &PgPool,
        kind: OrgKind,
        mut query: DirectoryQuery,
    ) -> Result<super::Directory, AppError> {
        let regions = regions(pool).await?;
        // An unknown région is ignored, as the searches ignore an old filter.
        if !regions.iter().any(|r| r.code == query.region) {
            query.region.clear();
        }
        query.q = query
            .q
            .chars()
            .take(crate::ui::search::MAX_QUERY_CHARS)
            .collect();
        let region = (!query.region.is_empty()).then(|| query.region.clone());
        // A name is also found by any part of it ("lumi" finds "Lumière").
        let name_part = like_literal(&query.q);
        let row = sqlx::query!(
            r#"WITH matched AS (
                   SELECT o.id, o.slug, o.name, left(o.description, 600) AS description,
                          c.name AS city, c.region_name AS region,
                          m.id AS logo_id, m.variants AS logo_variants,
                          CASE WHEN o.kind = 'centre'
                               THEN (SELECT count(*) FROM trainings t
                                     WHERE t.centre_id = o.id AND t.status = 'published')
                               ELSE (SELECT count(*) FROM job_search j
                                     WHERE j.company_id = o.id AND j.expires_at > now())
                          END AS listings,
                          immutable_unaccent(lower(o.name)) AS sort_name
                   FROM organisations o
                   LEFT JOIN communes c ON c.code = o.commune_code
                   LEFT JOIN media m ON m.id = o.logo_media_id AND m.visibility = 'public'
                   WHERE o.kind = $1 AND o.status = 'approved'
                     AND ($2 = ''
                          OR to_tsvector('french_unaccent', o.name || ' ' || o.description)
                             @@ websearch_to_tsquery('french_unaccent', $2)
                          OR immutable_unaccent(lower(o.name)) LIKE '%' || immutable_unaccent(lower($3)) || '%')
                     AND ($4::text IS NULL OR c.region_code = $4
                          OR EXISTS (SELECT 1 FROM organisation_places op
                                     JOIN communes s ON s.code = op.commune_code
                                     WHERE op.organisation_id = o.id AND s.region_code = $4))
               ),
               shown AS (
                   SELECT count(*) AS total,
                          greatest(1, least($5::bigint, (count(*) + $6 - 1) / $6)) AS page
                   FROM matched
               )
               SELECT shown.total AS "total!", shown.page AS "page!",
                      coalesce((SELECT json_agg(p ORDER BY p.listings DESC, p.sort_name, p.id)
                                FROM (SELECT * FROM matched ORDER BY listings DESC, sort_name, id
                                      LIMIT $6 OFFSET (shown.page - 1) * $6) p), '[]'::json) AS "cards!"
               FROM shown"#,
            kind.as_db(),
            query.q,
            name_part,
            region,
            query.page_number(),
            PAGE_SIZE
        )
        .fetch_one(pool)
        .await?;
        let rows: Vec<Row> = decode(row.cards, "directory cards")?;
        let cards = rows
            .into_iter()
            .map(|row| DirectoryCard {
                id: row.id,
                slug: row.slug,
                name: row.name,
                city: row.city,
                region: row.region,
                logo: row
                    .logo_id
                    .zip(row.logo_variants)
                    .and_then(|(id, variants)| image_ref(id, variants)),
                excerpt: truncate_words(&row.description, 220),
                listings: row.listings,
            })
            .collect();
        query.page = row.page;
        Ok(super::Directory {
            query,
            cards,
            total: row.total,
            pages: (row.total + PAGE_SIZE - 1) / PAGE_SIZE,
            regions,
        })
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn like_wildcards_are_taken_literally() {
            assert_eq!(super::like_literal(r"100%_a\b"), r"100\%\_a\\b");
        }
    }
}

/// `/centres` and `/entreprises`: the directory of `kind` as the URL says it.
#[component]
pub fn DirectoryPage(kind: OrgKind) -> impl IntoView {
    let query_map = leptos_router::hooks::use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let pairs: Vec<(String, String)> = map
            .clone()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        DirectoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    });
    let directory = Resource::new(
        move || query.get(),
        move |query| organisation_directory(kind, query),
    );
    let site = crate::base::site::use_site();
    // A Transition keeps the current list on screen while the next loads.
    view! {
        <Transition fallback=|| view! { <p class="mx-auto max-w-6xl px-4 py-10" aria-busy="true">"Chargement…"</p> }>
            {
                let site = site.clone();
                move || directory.get().map(|result| match result {
                    Err(error) => crate::ui::errors::error_view(error),
                    Ok(directory) => directory_view(&site, kind, directory),
                })
            }
        </Transition>
    }
}

fn directory_view(site: &Site, kind: OrgKind, directory: Directory) -> AnyView {
    let texts = texts(kind);
    let query = directory.query.clone();
    let title = match (query.q.is_empty(), directory.region_name()) {
        (true, None) => texts.name.to_owned(),
        (true, Some(region)) => format!("{} en région {region}", texts.name),
        (false, None) => format!("{} « {} »", texts.name, query.q),
        (false, Some(region)) => format!("{} « {} » en région {region}", texts.name, query.q),
    };
    let path = query.href(kind);
    let items: Vec<(String, String)> = directory
        .cards
        .iter()
        .map(|card| (kind.public_path(&card.slug), card.name.clone()))
        .collect();
    let crumbs = crate::base::seo::breadcrumb(
        site,
        &[
            ("Accueil", "/".to_owned()),
            (texts.name, texts.path.to_owned()),
        ],
    );
    let filtered = !query.q.is_empty() || !query.region.is_empty();
    let total = directory.total;
    let description = (texts.describe)(total);
    let noindex = !query.q.is_empty();
    let (q, region) = (query.q.clone(), query.region.clone());
    view! {
        // Free-text searches are thin pages for search engines; a région's
        // list is not.
        <Seo title=title.clone() description path noindex/>
        <JsonLd value=crumbs/>
        <JsonLd value=item_list(site, &items)/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            <h1 class="text-3xl font-extrabold text-slate-900">{title}</h1>
            <Form method="GET" action=texts.path attr:role="search"
                attr:class="mt-6 grid gap-4 rounded-xl border border-slate-200 bg-slate-50 p-4 md:grid-cols-[2fr_1fr_auto] md:items-end">
                <div>
                    <label for="annuaire-q" class="block text-sm font-semibold text-slate-900">{texts.q_label}</label>
                    <input id="annuaire-q" name="q" type="search" value=q placeholder=texts.q_placeholder
                        class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5"/>
                </div>
                <div>
                    <label for="annuaire-region" class="block text-sm font-semibold text-slate-900">"Région"</label>
                    <select id="annuaire-region" name="region" class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5">
                        <option value="" selected=region.is_empty()>"Toutes les régions"</option>
                        {directory.regions.iter().map(|r| view! {
                            <option value=r.code.clone() selected=r.code == region>{r.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn-primary">"Rechercher"</button>
            </Form>
            <p class="mt-8 font-semibold text-slate-900" role="status" data-total=total>
                {counted(total, texts.count)}
            </p>
            {(filtered && total == 0).then(|| view! {
                <p class="mt-2"><a href=texts.path class="text-brand-700 underline">{texts.all}</a></p>
            })}
            <ul class="mt-4 grid gap-4 md:grid-cols-2">
                {directory.cards.into_iter().map(|card| view! {
                    <li><OrganisationCard kind card/></li>
                }).collect_view()}
            </ul>
            <DirectoryPager kind query pages=directory.pages/>
        </section>
    }
    .into_any()
}

/// One organisation: logo, linked name, place, presentation and count.
#[component]
fn OrganisationCard(kind: OrgKind, card: DirectoryCard) -> impl IntoView {
    let place = [card.city.clone(), card.region.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <article class="card flex h-full gap-4" data-organisation-card=card.slug.clone()>
            // The name beside it says whose logo it is.
            {card.logo.map(|logo| view! {
                <crate::base::media::ResponsiveImage image=logo alt="" sizes="4rem"
                    class="h-16 w-16 flex-none rounded-lg object-contain"/>
            })}
            <div class="min-w-0">
                <h2 class="text-lg font-bold text-slate-900">
                    <a href=kind.public_path(&card.slug) class="hover:underline">{card.name}</a>
                </h2>
                {(!place.is_empty()).then(|| view! { <p class="text-sm text-slate-700">{place}</p> })}
                {(!card.excerpt.is_empty()).then(|| view! { <p class="mt-2 text-slate-800">{card.excerpt}</p> })}
                <p class="mt-3 text-sm font-semibold text-brand-800" data-listings=card.listings>
                    {counted(card.listings, texts(kind).listings)}
                </p>
            </div>
        </article>
    }
}

/// Previous/next links, in the page and in `<head>`.
#[component]
fn DirectoryPager(kind: OrgKind, query: DirectoryQuery, pages: i64) -> impl IntoView {
    let site = crate::base::site::use_site();
    let page = query.page_number();
    let prev = (page > 1).then(|| query.with_page(page - 1).href(kind));
    let next = (page < pages).then(|| query.with_page(page + 1).href(kind));
    view! {
        {prev.clone().map(|href| view! { <leptos_meta::Link rel="prev" href=site.url(&href)/> })}
        {next.clone().map(|href| view! { <leptos_meta::Link rel="next" href=site.url(&href)/> })}
        {(prev.is_some() || next.is_some()).then(|| view! {
            <nav aria-label="Pagination" class="mt-8 flex items-center justify-between">
                {prev.map(|href| view! { <a href=href rel="prev" class="btn-secondary">"← Page précédente"</a> })}
                <span class="text-sm text-slate-700">{format!("Page {page} sur {pages}")}</span>
                {next.map(|href| view! { <a href=href rel="next" class="btn-secondary">"Page suivante →"</a> })}
            </nav>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_address_keeps_what_says_something() {
        let query = DirectoryQuery::from_pairs([
            ("q", " école\u{0} de  "),
            ("region", "84"),
            ("page", "abc"),
            ("tri", "x"),
        ]);
        assert_eq!(query.q, "école de");
        assert_eq!(query.page_number(), 1);
        assert_eq!(
            query.href(OrgKind::Centre),
            "/centres?q=%C3%A9cole+de&region=84"
        );
        assert_eq!(
            DirectoryQuery::from_pairs([("q", ""), ("region", ""), ("page", "1")])
                .href(OrgKind::Entreprise),
            "/entreprises"
        );
        assert_eq!(
            query.with_page(3).href(OrgKind::Entreprise),
            "/entreprises?q=%C3%A9cole+de&region=84&page=3"
        );
        assert_eq!(query.with_page(-1).page_number(), 1);
        assert_eq!(query.with_page(i64::MAX).page_number(), MAX_PAGE);
        // A région code is a few characters at most.
        assert_eq!(
            DirectoryQuery::from_pairs([("region", "zzzzzz")]).region,
            "zzz"
        );
    }

    #[test]
    fn counts_read_as_french() {
        let listings = texts(OrgKind::Entreprise).listings;
        assert_eq!(counted(0, listings), "Aucune offre en ligne");
        assert_eq!(counted(1, listings), "1 offre en ligne");
        assert_eq!(
            counted(12, texts(OrgKind::Centre).count),
            "12 centres de formation"
        );
    }
}

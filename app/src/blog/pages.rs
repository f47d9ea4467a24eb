//! Public blog pages, rendered on the server for search engines:
//! `/blog`, `/blog/{slug}`, `/blog/categorie/{slug}`, `/blog/tag/{slug}`.

use super::{ArticleCard, Filter, Listing, Lookup, blog_article, blog_listing, latest_articles};
use crate::{
    base::error::AppError,
    base::media::ResponsiveImage,
    base::seo::{JsonLd, Seo, breadcrumb},
    base::site::{SITE_NAME, use_site},
    ui::errors::error_view,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// One article in a grid.
#[component]
pub fn ArticleTile(card: ArticleCard, #[prop(optional)] eager: bool) -> impl IntoView {
    let href = format!("/blog/{}", card.slug);
    view! {
        <article class="card flex flex-col overflow-hidden p-0">
            {card.cover.map(|image| view! {
                <ResponsiveImage image alt=card.cover_alt sizes="(min-width: 1024px) 22rem, (min-width: 768px) 45vw, 100vw"
                    class="aspect-[16/9] h-auto w-full object-cover" eager/>
            })}
            <div class="flex flex-1 flex-col p-5">
                {card.category.map(|c| view! {
                    <p class="text-xs font-bold uppercase tracking-wide text-brand-700">{c.name}</p>
                })}
                <h3 class="mt-2 text-lg font-bold text-slate-900">
                    <a href=href class="hover:underline">{card.title}</a>
                </h3>
                <p class="mt-2 flex-1 text-slate-700">{card.excerpt}</p>
                <p class="mt-4 text-sm text-slate-700">
                    <time datetime=card.published_at>{card.published_on}</time>
                    {format!(" · {} min de lecture", card.reading_minutes)}
                </p>
            </div>
        </article>
    }
}

fn page_from_query() -> Memo<i64> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .get()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    })
}

/// `/blog`
#[component]
pub fn BlogIndexPage() -> impl IntoView {
    let page = page_from_query();
    let listing = Resource::new(move || page.get(), |page| blog_listing(Filter::All, page));
    view! { <ListingView listing base="/blog".to_owned() /> }
}

/// `/blog/categorie/{slug}`
#[component]
pub fn BlogCategoryPage() -> impl IntoView {
    view! { <FilteredListing filter=Filter::Category prefix="/blog/categorie/"/> }
}

/// `/blog/tag/{slug}`
#[component]
pub fn BlogTagPage() -> impl IntoView {
    view! { <FilteredListing filter=Filter::Tag prefix="/blog/tag/"/> }
}

/// A listing narrowed by the `{slug}` of the URL.
#[component]
fn FilteredListing(filter: fn(String) -> Filter, prefix: &'static str) -> impl IntoView {
    let params = use_params_map();
    let page = page_from_query();
    let slug = move || params.get().get("slug").unwrap_or_default();
    let listing = Resource::new(
        move || (slug(), page.get()),
        move |(slug, page)| blog_listing(filter(slug), page),
    );
    view! { {move || view! { <ListingView listing base=format!("{prefix}{}", slug()) /> }} }
}

/// A blog page once `data` loaded: `page` draws it, an error page
/// otherwise; `width` is the page's width class, for the loading line.
#[component]
fn LoadedPage<T, F>(
    data: Resource<Result<T, AppError>>,
    width: &'static str,
    page: F,
) -> impl IntoView
where
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> AnyView + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p class=format!("mx-auto {width} px-4 py-10") aria-busy="true">"Chargement…"</p> }>
            {
                let page = page.clone();
                move || data.get().map(|result| match result {
                    Err(error) => error_view(error),
                    Ok(loaded) => page(loaded),
                })
            }
        </Suspense>
    }
}

#[component]
fn ListingView(listing: Resource<Result<Listing, AppError>>, base: String) -> impl IntoView {
    let site = use_site();
    let page = move |listing| listing_view(&site, &base, listing);
    view! { <LoadedPage data=listing width="max-w-6xl" page/> }
}

fn listing_view(site: &crate::base::site::Site, base: &str, listing: Listing) -> AnyView {
    let (title, description, crumb) = match &listing.heading {
        None => (
            "Le blog".to_owned(),
            "Conseils d'orientation, financement de la formation, recrutement : les articles de Passerelle.".to_owned(),
            None,
        ),
        Some((name, text)) => (
            if base.starts_with("/blog/tag/") {
                format!("Articles « {name} »")
            } else {
                name.clone()
            },
            if text.is_empty() {
                format!("Les articles du blog de Passerelle sur le thème « {name} ».")
            } else {
                text.clone()
            },
            Some(name.clone()),
        ),
    };
    let path = if listing.page > 1 {
        format!("{base}?page={}", listing.page)
    } else {
        base.to_owned()
    };
    let seo_title = if listing.page > 1 {
        format!("{title} – page {}", listing.page)
    } else {
        title.clone()
    };
    let mut crumbs = vec![("Accueil", "/".to_owned()), ("Blog", "/blog".to_owned())];
    if let Some(name) = &crumb {
        crumbs.push((name.as_str(), base.to_owned()));
    }
    let json_ld = breadcrumb(site, &crumbs);
    let prev = (listing.page > 1).then(|| {
        if listing.page == 2 {
            base.to_owned()
        } else {
            format!("{base}?page={}", listing.page - 1)
        }
    });
    let next = (listing.page < listing.pages).then(|| format!("{base}?page={}", listing.page + 1));
    let empty = listing.articles.is_empty();
    view! {
        <Seo title=seo_title description=description.clone() path=path/>
        <JsonLd value=json_ld/>
        <section class="mx-auto max-w-6xl px-4 py-10 sm:px-6">
            <nav aria-label="Fil d'Ariane" class="text-sm text-slate-700">
                <a href="/" class="underline">"Accueil"</a>" / "
                {if crumb.is_some() {
                    view! { <a href="/blog" class="underline">"Blog"</a> }.into_any()
                } else {
                    view! { <span aria-current="page">"Blog"</span> }.into_any()
                }}
            </nav>
            <div class="mt-4 flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-3xl font-extrabold text-slate-900 sm:text-4xl">{title}</h1>
                    <p class="mt-2 max-w-2xl text-slate-700">{description}</p>
                </div>
                <a href="/blog/feed.xml" class="text-sm font-semibold text-brand-800 underline">"Flux Atom"</a>
            </div>
            <nav aria-label="Catégories" class="mt-6 flex flex-wrap gap-2">
                {listing.categories.into_iter().map(|c| {
                    let href = format!("/blog/categorie/{}", c.slug);
                    let current = href == base;
                    view! {
                        <a href=href aria-current=current.then_some("page")
                            class="rounded-full border border-slate-300 px-3 py-1 text-sm font-semibold text-slate-800 aria-[current=page]:bg-brand-700 aria-[current=page]:text-white">
                            {c.name}
                        </a>
                    }
                }).collect_view()}
            </nav>
            {empty.then(|| view! { <p class="mt-8 text-slate-700">"Aucun article publié pour le moment."</p> })}
            <h2 class="sr-only">"Articles"</h2>
            <div class="mt-8 grid gap-6 md:grid-cols-2 lg:grid-cols-3">
                {listing.articles.into_iter().enumerate().map(|(i, card)| view! { <ArticleTile card eager=i == 0/> }).collect_view()}
            </div>
            {(listing.pages > 1).then(|| view! {
                <nav aria-label="Pagination" class="mt-10 flex items-center justify-between">
                    {prev.map(|href| view! { <a href=href rel="prev" class="btn-secondary">"← Articles plus récents"</a> })}
                    <span class="text-sm text-slate-700">{format!("Page {} sur {}", listing.page, listing.pages)}</span>
                    {next.map(|href| view! { <a href=href rel="next" class="btn-secondary">"Articles plus anciens →"</a> })}
                </nav>
            })}
        </section>
    }
    .into_any()
}

/// How wide an article's cover is drawn.
const COVER_SIZES: &str = "(min-width: 768px) 720px, 100vw";

/// `/blog/{slug}`
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.get().get("slug").unwrap_or_default();
    let article = Resource::new(slug, blog_article);
    let site = use_site();
    let navigate = use_navigate();
    let page = move |found| match found {
        Lookup::Moved(to) => {
            // The server answered a page load with a 301 already; in the
            // browser, follow the move.
            let path = format!("/blog/{to}");
            #[cfg(feature = "hydrate")]
            navigate(
                &path,
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
            #[cfg(not(feature = "hydrate"))]
            let _ = &navigate;
            view! { <p class="mx-auto max-w-3xl px-4 py-10">"Cet article a changé d'adresse : "<a href=path.clone() class="underline">{path.clone()}</a></p> }.into_any()
        }
        Lookup::Found(article) => article_view(&site, *article),
    };
    view! { <LoadedPage data=article width="max-w-3xl" page/> }
}

fn article_view(site: &crate::base::site::Site, article: super::Article) -> AnyView {
    let card = article.card;
    let path = format!("/blog/{}", card.slug);
    let image = card.cover.as_ref().map(|c| c.largest.clone());
    let description = if card.excerpt.is_empty() {
        card.title.clone()
    } else {
        card.excerpt.clone()
    };
    let mut crumbs = vec![("Accueil", "/".to_owned()), ("Blog", "/blog".to_owned())];
    if let Some(c) = &card.category {
        crumbs.push((c.name.as_str(), format!("/blog/categorie/{}", c.slug)));
    }
    crumbs.push((card.title.as_str(), path.clone()));
    let breadcrumbs = breadcrumb(site, &crumbs);
    let posting = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": card.title,
        "description": description,
        "url": site.url(&path),
        "mainEntityOfPage": site.url(&path),
        "datePublished": card.published_at,
        "dateModified": article.updated_at,
        "inLanguage": "fr-FR",
        "image": image.as_ref().map(|i| site.url(i)),
        "articleSection": card.category.as_ref().map(|c| c.name.clone()),
        "keywords": article.tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "timeRequired": format!("PT{}M", card.reading_minutes),
        "author": { "@type": "Person", "name": article.author.clone().unwrap_or_else(|| SITE_NAME.to_owned()) },
        "publisher": { "@type": "Organization", "name": SITE_NAME, "logo": { "@type": "ImageObject", "url": site.url("/logo.svg") } },
    });
    let related = article.related;
    view! {
        <Seo title=card.title.clone() description=description path=path image=image og_type="article"/>
        {card.cover.clone().map(|cover| view! {
            <leptos_meta::Link rel="preload" as_="image" href=cover.src imagesrcset=cover.srcset
                imagesizes=COVER_SIZES fetchpriority="high"/>
        })}
        <leptos_meta::Meta property="article:published_time" content=card.published_at.clone()/>
        <leptos_meta::Meta property="article:modified_time" content=article.updated_at.clone()/>
        <JsonLd value=posting/>
        <JsonLd value=breadcrumbs/>
        <article class="mx-auto max-w-3xl px-4 py-10 sm:px-6">
            <nav aria-label="Fil d'Ariane" class="text-sm text-slate-700">
                <a href="/" class="underline">"Accueil"</a>" / "<a href="/blog" class="underline">"Blog"</a>
                {card.category.clone().map(|c| view! { " / "<a href=format!("/blog/categorie/{}", c.slug) class="underline">{c.name}</a> })}
            </nav>
            <h1 class="mt-4 text-3xl font-extrabold tracking-tight text-slate-900 sm:text-4xl">{card.title.clone()}</h1>
            <p class="mt-3 text-slate-700">
                {article.author.map(|a| format!("Par {a} · "))}
                <time datetime=card.published_at.clone()>{card.published_on.clone()}</time>
                {format!(" · {} min de lecture", card.reading_minutes)}
            </p>
            {(!card.excerpt.is_empty()).then(|| view! { <p class="mt-6 text-xl text-slate-800">{card.excerpt.clone()}</p> })}
            {card.cover.clone().map(|image| view! {
                <ResponsiveImage image alt=card.cover_alt.clone() sizes=COVER_SIZES
                    class="mt-8 h-auto w-full rounded-xl" eager=true/>
            })}
            // Sanitised by ammonia when the article was saved.
            <div class="prose prose-slate mt-8 max-w-none" inner_html=article.body_html></div>
            {(!article.tags.is_empty()).then(|| view! {
                <ul aria-label="Mots-clés" class="mt-8 flex flex-wrap gap-2">
                    {article.tags.into_iter().map(|t| view! {
                        <li><a href=format!("/blog/tag/{}", t.slug) class="rounded-full bg-slate-100 px-3 py-1 text-sm font-semibold text-slate-800 underline">{format!("#{}", t.name)}</a></li>
                    }).collect_view()}
                </ul>
            })}
        </article>
        {(!related.is_empty()).then(|| view! {
            <section aria-labelledby="a-lire-aussi" class="mx-auto max-w-6xl px-4 pb-16 sm:px-6">
                <h2 id="a-lire-aussi" class="text-2xl font-extrabold text-slate-900">"À lire aussi"</h2>
                <div class="mt-6 grid gap-6 md:grid-cols-3">
                    {related.into_iter().map(|card| view! { <ArticleTile card/> }).collect_view()}
                </div>
            </section>
        })}
    }
    .into_any()
}

/// The landing page's "latest articles" section; hidden while the blog is empty.
#[component]
pub fn LatestArticles() -> impl IntoView {
    let latest = Resource::new(|| (), |_| latest_articles());
    view! {
        <Suspense fallback=|| ()>
            {move || latest.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|list| view! {
                <section aria-labelledby="blog-titre" class="mx-auto max-w-6xl px-4 py-16 sm:px-6">
                    <div class="flex flex-wrap items-end justify-between gap-4">
                        <h2 id="blog-titre" class="text-2xl font-extrabold text-slate-900 sm:text-3xl">"Derniers articles du blog"</h2>
                        <a href="/blog" class="font-semibold text-brand-800 underline">"Tous les articles"</a>
                    </div>
                    <div class="mt-8 grid gap-6 md:grid-cols-3">
                        {list.into_iter().map(|card| view! { <ArticleTile card/> }).collect_view()}
                    </div>
                </section>
            })}
        </Suspense>
    }
}

//! The figures as pages: the back office's statistics (on `/admin`) and
//! each organisation's audience (on its dashboard). Charts are plain SVG
//! drawn on the server, each with its figures in a table next to it.

use super::{Funnel, SearchedWords, organisation_audience, site_statistics};
use crate::identity::auth::pages::protected;
use crate::organisations::profile::OrgKind;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Bars of `values` (one per period, labelled by `periods`), titled
/// `title` with the period's `total`: a picture for the eye, its numbers
/// in the bars' titles and in the table of the section.
#[component]
pub fn BarChart(
    title: String,
    periods: Vec<String>,
    values: Vec<i64>,
    total: i64,
) -> impl IntoView {
    const WIDTH: f64 = 300.0;
    const HEIGHT: f64 = 80.0;
    let most = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = WIDTH / values.len().max(1) as f64;
    let description = format!("{title} : {total} sur la période");
    let first = periods.first().cloned().unwrap_or_default();
    let last = periods.last().cloned().unwrap_or_default();
    view! {
        <figure class="rounded-xl border border-slate-200 bg-white p-4">
            <figcaption class="flex items-baseline justify-between gap-2 text-sm">
                <span class="font-semibold text-slate-900">{title}</span>
                <span class="tabular-nums text-slate-700">{crate::base::format::thousands(total)}</span>
            </figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="mt-2 h-20 w-full" role="img" aria-label=description preserveAspectRatio="none">
                {values.into_iter().zip(periods).enumerate().map(|(i, (value, period))| {
                    let height = (value as f64 / most * (HEIGHT - 2.0)).max(if value > 0 { 1.0 } else { 0.0 });
                    view! {
                        <rect x=format!("{:.2}", i as f64 * step + step * 0.1) y=format!("{:.2}", HEIGHT - height)
                            width=format!("{:.2}", step * 0.8) height=format!("{height:.2}") class="fill-brand-600">
                            <title>{format!("{period} : {value}")}</title>
                        </rect>
                    }
                }).collect_view()}
            </svg>
            <div class="flex justify-between text-xs text-slate-600"><span>{first}</span><span>{last}</span></div>
        </figure>
    }
}

/// A row's small chart: one bar per day, its total in words for screen
/// readers (the row's cells hold the figures).
#[component]
pub fn Sparkline(label: String, values: Vec<i64>) -> impl IntoView {
    let most = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = 120.0 / values.len().max(1) as f64;
    view! {
        <svg viewBox="0 0 120 24" class="h-6 w-32" role="img" aria-label=label preserveAspectRatio="none">
            {values.into_iter().enumerate().map(|(i, value)| {
                let height = value as f64 / most * 22.0;
                view! {
                    <rect x=format!("{:.2}", i as f64 * step) y=format!("{:.2}", 24.0 - height)
                        width=format!("{:.2}", step * 0.8) height=format!("{height:.2}") class="fill-brand-600"/>
                }
            }).collect_view()}
        </svg>
    }
}

/// A funnel's steps with the share of the first that reached each.
#[component]
fn FunnelTable(funnel: Funnel) -> impl IntoView {
    let first = funnel.steps.first().map_or(0, |(_, n)| *n);
    let title = funnel.title.clone();
    view! {
        <table class="w-full text-left text-sm" data-funnel=funnel.title>
            <caption class="text-left font-semibold text-slate-900">{title}</caption>
            <tbody>
                {funnel.steps.into_iter().map(|(label, n)| {
                    let share = if first > 0 { format!("{:.1} %", n as f64 * 100.0 / first as f64) } else { "—".to_owned() };
                    view! {
                        <tr class="border-t border-slate-200">
                            <th scope="row" class="py-1 pr-4 font-normal">{label}</th>
                            <td class="pr-4 tabular-nums">{n}</td>
                            <td class="tabular-nums text-slate-600">{share}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Searched words with their counts.
#[component]
fn WordsTable(caption: &'static str, words: Vec<SearchedWords>, zero: bool) -> impl IntoView {
    view! {
        <table class="w-full text-left text-sm">
            <caption class="text-left font-semibold text-slate-900">{caption}</caption>
            <thead><tr>
                <th scope="col" class="py-1 pr-4">"Mots"</th>
                <th scope="col" class="pr-4">{if zero { "Sans résultat" } else { "Recherches" }}</th>
            </tr></thead>
            <tbody>
                {if words.is_empty() {
                    view! { <tr><td colspan="2" class="py-1 text-slate-600">"Aucune recherche sur la période."</td></tr> }.into_any()
                } else {
                    words.into_iter().map(|w| view! {
                        <tr class="border-t border-slate-200">
                            <td class="py-1 pr-4">{if w.words.is_empty() { "(sans mots)".to_owned() } else { w.words }}</td>
                            <td class="tabular-nums">{if zero { w.without_results } else { w.searches }}</td>
                        </tr>
                    }).collect_view().into_any()
                }}
            </tbody>
        </table>
    }
}

/// `/admin`'s statistics: the period form (a GET form: each view is a
/// URL), a chart per series, the table of every figure, what people look
/// for, and the funnels.
#[component]
pub fn SiteStatisticsSection() -> impl IntoView {
    let query = use_query_map();
    let field = move |key: &str| query.read().get(key).unwrap_or_default();
    let stats = Resource::new(
        move || (field("du"), field("au"), field("pas")),
        |(du, au, pas)| site_statistics(du, au, pas),
    );
    view! {
        <h2 class="mt-10 text-xl font-bold text-slate-900" id="statistiques">"Statistiques"</h2>
        <p class="mt-1 text-sm text-slate-700">
            "Mesure d'audience sans cookie ni donnée personnelle : des totaux par jour, rien par visiteur."
        </p>
        <form method="get" action="/admin#statistiques" class="mt-4 flex flex-wrap items-end gap-4">
            <label class="block text-sm font-medium text-slate-800">"Du"
                <input type="date" name="du" value=field("du") class="mt-1 block rounded-lg border border-slate-300 px-3 py-2"/>
            </label>
            <label class="block text-sm font-medium text-slate-800">"Au"
                <input type="date" name="au" value=field("au") class="mt-1 block rounded-lg border border-slate-300 px-3 py-2"/>
            </label>
            <label class="block text-sm font-medium text-slate-800">"Par"
                <select name="pas" class="mt-1 block rounded-lg border border-slate-300 bg-white px-3 py-2">
                    <option value="jour" selected=field("pas") != "semaine">"jour"</option>
                    <option value="semaine" selected=field("pas") == "semaine">"semaine"</option>
                </select>
            </label>
            <button type="submit" class="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">"Afficher"</button>
        </form>
        {protected(stats, move |s| {
            let csv = format!(
                "/admin/statistiques.csv?du={}&au={}&pas={}",
                s.period.from, s.period.to, if s.period.weekly { "semaine" } else { "jour" }
            );
            let periods = s.periods.clone();
            view! {
                <p class="mt-4 text-sm text-slate-700" data-period=format!("{} {}", s.period.from, s.period.to)>
                    {format!("Du {} au {}, par {}.", crate::base::format::french_date(&s.period.from),
                        crate::base::format::french_date(&s.period.to), if s.period.weekly { "semaine" } else { "jour" })}
                    " "
                    <a class="font-semibold text-brand-700 hover:underline" href=csv download>"Télécharger les chiffres (CSV)"</a>
                </p>
                <div class="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                    {s.series.iter().map(|series| view! {
                        <BarChart title=series.label.clone() periods=periods.clone() values=series.values.clone() total=series.total()/>
                    }).collect_view()}
                </div>
                <details class="mt-4">
                    <summary class="cursor-pointer font-semibold text-brand-700">"Tableau des chiffres"</summary>
                    <div class="mt-2 overflow-x-auto" tabindex="0" role="region" aria-label="Tableau des chiffres">
                        <table class="text-left text-sm" data-series="">
                            <thead><tr>
                                <th scope="col" class="py-1 pr-4">"Série"</th>
                                {s.periods.iter().map(|p| view! { <th scope="col" class="pr-3 whitespace-nowrap">{p.clone()}</th> }).collect_view()}
                                <th scope="col">"Total"</th>
                            </tr></thead>
                            <tbody>
                                {s.series.iter().map(|series| view! {
                                    <tr class="border-t border-slate-200" data-key=series.key.clone()>
                                        <th scope="row" class="py-1 pr-4 font-normal whitespace-nowrap">{series.label.clone()}</th>
                                        {series.values.iter().map(|v| view! { <td class="pr-3 tabular-nums">{*v}</td> }).collect_view()}
                                        <td class="tabular-nums font-semibold" data-total="">{series.total()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </details>
                <div class="mt-8 grid gap-8 lg:grid-cols-2">
                    {s.funnels.into_iter().map(|funnel| view! { <FunnelTable funnel/> }).collect_view()}
                </div>
                <div class="mt-8 grid gap-8 lg:grid-cols-3">
                    <WordsTable caption="Offres : recherches les plus fréquentes" words=s.top_offer_searches zero=false/>
                    <WordsTable caption="Formations : recherches les plus fréquentes" words=s.top_training_searches zero=false/>
                    <WordsTable caption="Recherches sans résultat" words=s.zero_result_searches zero=true/>
                </div>
                <div class="mt-8 grid gap-8 lg:grid-cols-2">
                    <table class="w-full text-left text-sm">
                        <caption class="text-left font-semibold text-slate-900">"Pages vues par type de page"</caption>
                        <tbody>
                            {s.routes.into_iter().map(|(kind, n)| view! {
                                <tr class="border-t border-slate-200"><th scope="row" class="py-1 pr-4 font-normal">{kind}</th><td class="tabular-nums">{n}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <table class="w-full text-left text-sm">
                        <caption class="text-left font-semibold text-slate-900">"Filtres les plus utilisés"</caption>
                        <tbody>
                            {s.top_filters.into_iter().map(|(filter, n)| view! {
                                <tr class="border-t border-slate-200"><th scope="row" class="py-1 pr-4 font-normal">{filter}</th><td class="tabular-nums">{n}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })}
    }
}

/// An organisation's audience over 30 days, on its dashboard: each
/// listing's views and requests, and its funnel.
#[component]
pub fn AudienceSection(kind: OrgKind) -> impl IntoView {
    let audience = Resource::new(move || kind, organisation_audience);
    let (what, requests) = match kind {
        OrgKind::Entreprise => ("Offre", "Candidatures"),
        OrgKind::Centre => ("Formation", "Demandes d'inscription"),
    };
    view! {
        <section class="mt-10" aria-labelledby="audience-titre">
            <h2 id="audience-titre" class="text-xl font-bold text-slate-900">"Audience des 30 derniers jours"</h2>
            <p class="mt-1 text-sm">
                <a class="font-semibold text-brand-700 hover:underline" href=format!("/tableau-de-bord/audience.csv?type={}", kind.as_db()) download>
                    "Télécharger ces chiffres (CSV)"
                </a>
            </p>
            <Suspense fallback=|| ()>
                {move || audience.get().and_then(Result::ok).map(|a| view! {
                    <div class="mt-4 grid gap-4 sm:grid-cols-2">
                        <BarChart title="Vues par jour".to_owned() periods=a.days.clone() values=a.views.clone()
                            total=a.views.iter().sum()/>
                        <BarChart title=format!("{requests} par jour") periods=a.days.clone() values=a.requests.clone()
                            total=a.requests.iter().sum()/>
                    </div>
                    <div class="mt-4 grid gap-8 lg:grid-cols-2">
                        <div class="overflow-x-auto" tabindex="0" role="region" aria-label=what>
                            <table class="w-full text-left text-sm">
                                <thead><tr>
                                    <th scope="col" class="py-1 pr-4">{what}</th>
                                    <th scope="col" class="pr-4">"Vues"</th>
                                    <th scope="col" class="pr-4">"Vues par jour"</th>
                                    {(kind == OrgKind::Entreprise).then(|| view! { <th scope="col" class="pr-4">"Formulaires ouverts"</th> })}
                                    <th scope="col">{requests}</th>
                                </tr></thead>
                                <tbody>
                                    {a.listings.into_iter().map(|l| {
                                        let label = format!("{} : {} vues en 30 jours", l.title, l.views);
                                        view! {
                                            <tr class="border-t border-slate-200">
                                                <td class="py-1 pr-4">{l.title}</td>
                                                <td class="pr-4 tabular-nums">{l.views}</td>
                                                <td class="pr-4"><Sparkline label values=l.daily_views/></td>
                                                {(kind == OrgKind::Entreprise).then(|| view! { <td class="pr-4 tabular-nums">{l.started}</td> })}
                                                <td class="tabular-nums">{l.requests}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <FunnelTable funnel=a.funnel/>
                    </div>
                })}
            </Suspense>
        </section>
    }
}

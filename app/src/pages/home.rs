//! The landing page: one page for the three audiences.

use crate::{
    base::seo::{JsonLd, Seo},
    base::site::{SITE_NAME, use_site},
    newsletter::NewsletterForm,
};
use leptos::prelude::*;

const DESCRIPTION: &str = "Passerelle relie les candidats, les centres de formation et les \
entreprises : trouvez une formation, une offre d'emploi ou vos futurs talents, partout en France.";

struct Audience {
    id: &'static str,
    eyebrow: &'static str,
    title: &'static str,
    points: [&'static str; 3],
}

const AUDIENCES: [Audience; 3] = [
    Audience {
        id: "candidats",
        eyebrow: "Candidats",
        title: "Trouvez la formation ou l'emploi qui vous correspond",
        points: [
            "Formations éligibles au CPF et offres d'emploi près de chez vous",
            "Un profil et un CV pour postuler en une étape",
            "Le suivi de chaque candidature et des alertes personnalisées",
        ],
    },
    Audience {
        id: "centres",
        eyebrow: "Centres de formation",
        title: "Remplissez vos sessions avec les bons profils",
        points: [
            "Votre centre et vos formations visibles, certifications Qualiopi et RNCP en avant",
            "Sessions, places et dates de rentrée à jour en quelques clics",
            "Les demandes d'inscription réunies dans un seul tableau de bord",
        ],
    },
    Audience {
        id: "entreprises",
        eyebrow: "Entreprises",
        title: "Recrutez, y compris les talents en cours de formation",
        points: [
            "Offres en CDI, CDD, alternance ou stage publiées en cinq minutes",
            "Les candidatures triées dans un suivi clair",
            "Les formations qui comblent l'écart entre un candidat et votre poste",
        ],
    },
];

const STEPS: [(&str, &str); 3] = [
    (
        "Cherchez",
        "Formations et offres filtrées par métier, lieu, financement ou type de contrat.",
    ),
    (
        "Comparez",
        "Programmes, sessions, salaires et compétences attendues, au même endroit.",
    ),
    (
        "Avancez",
        "Postulez ou demandez votre inscription, puis suivez chaque réponse.",
    ),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let site = use_site();
    let organization = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": SITE_NAME,
        "url": site.url("/"),
        "logo": site.url("/logo.svg"),
        "email": "contact@passerelle.fr",
        "areaServed": "FR",
    });
    let website = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": SITE_NAME,
        "url": site.url("/"),
        "inLanguage": "fr-FR",
    });

    view! {
        <Seo title=SITE_NAME description=DESCRIPTION path="/"/>
        <JsonLd value=organization/>
        <JsonLd value=website/>

        <section class="bg-gradient-to-b from-brand-50 to-white">
            <div class="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
                <p class="text-sm font-bold uppercase tracking-wide text-brand-700">
                    "Formation et emploi, enfin réunis"
                </p>
                <h1 class="mt-3 max-w-3xl text-4xl font-extrabold tracking-tight text-slate-900 sm:text-5xl">
                    "Se former, se faire recruter : une seule passerelle"
                </h1>
                <p class="mt-6 max-w-2xl text-lg text-slate-700">{DESCRIPTION}</p>
                <leptos_router::components::Form method="GET" action="/formations" attr:role="search"
                    attr:class="mt-8 flex max-w-2xl flex-col gap-3 sm:flex-row sm:items-end">
                    <div class="flex-1">
                        <label for="accueil-q" class="block text-sm font-semibold text-slate-900">"Quelle formation cherchez-vous ?"</label>
                        <input id="accueil-q" name="q" type="search" placeholder="ex. développeur web, aide-soignant, CACES"
                            class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5"/>
                    </div>
                    <button type="submit" class="btn-primary">"Voir les formations"</button>
                </leptos_router::components::Form>
                <div class="mt-6 flex flex-wrap gap-3">
                    <a class="btn-secondary" href="/offres">"Voir les offres d'emploi"</a>
                    <a class="btn-secondary" href="#candidats">"Je cherche une formation ou un emploi"</a>
                    <a class="btn-secondary" href="#centres">"Je suis un centre"</a>
                    <a class="btn-secondary" href="#entreprises">"Je recrute"</a>
                </div>
            </div>
        </section>

        <section aria-labelledby="publics-titre" class="mx-auto max-w-6xl px-4 py-16 sm:px-6">
            <h2 id="publics-titre" class="text-2xl font-extrabold text-slate-900 sm:text-3xl">
                "Une plateforme, trois publics"
            </h2>
            <div class="mt-8 grid gap-6 md:grid-cols-3">
                {AUDIENCES.iter().map(|a| view! {
                    <article id=a.id class="card scroll-mt-20">
                        <p class="text-sm font-bold uppercase tracking-wide text-brand-700">{a.eyebrow}</p>
                        <h3 class="mt-2 text-xl font-bold text-slate-900">{a.title}</h3>
                        <ul class="mt-4 space-y-2 text-slate-700">
                            {a.points.iter().map(|p| view! {
                                <li class="flex gap-2">
                                    <span aria-hidden="true" class="mt-2 h-2 w-2 flex-none rounded-full bg-brand-600"></span>
                                    <span>{*p}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </article>
                }).collect_view()}
            </div>
        </section>

        <section aria-labelledby="etapes-titre" class="bg-slate-50">
            <div class="mx-auto max-w-6xl px-4 py-16 sm:px-6">
                <h2 id="etapes-titre" class="text-2xl font-extrabold text-slate-900 sm:text-3xl">
                    "Comment ça marche"
                </h2>
                <ol class="mt-8 grid gap-6 md:grid-cols-3">
                    {STEPS.iter().enumerate().map(|(i, (title, text))| view! {
                        <li class="card">
                            <span class="inline-flex h-9 w-9 items-center justify-center rounded-full bg-brand-700 font-bold text-white">
                                {i + 1}
                            </span>
                            <h3 class="mt-3 text-lg font-bold text-slate-900">{*title}</h3>
                            <p class="mt-2 text-slate-700">{*text}</p>
                        </li>
                    }).collect_view()}
                </ol>
            </div>
        </section>

        <crate::blog::pages::LatestArticles/>

        <section id="newsletter" aria-labelledby="newsletter-titre" class="mx-auto max-w-6xl scroll-mt-20 px-4 py-16 sm:px-6">
            <h2 id="newsletter-titre" class="text-2xl font-extrabold text-slate-900 sm:text-3xl">
                "Restez informé"
            </h2>
            <p class="mt-3 max-w-2xl text-slate-700">
                "Chaque mois : les formations qui démarrent, les métiers qui recrutent et nos conseils pour réussir votre reconversion."
            </p>
            <NewsletterForm/>
        </section>
    }
}

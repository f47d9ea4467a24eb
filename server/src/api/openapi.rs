//! The API's contract: the OpenAPI 3.1 document generated from the routes
//! and types of this module tree (`/api/v1/openapi.json`), and a French
//! page for people (`/api/v1/docs`) built from the same document, so the
//! two never disagree.
//!
//! What every route shares (the 304, the problems, the cache and quota
//! headers) is added to each operation by [`Shared`] rather than repeated
//! on each handler.

use super::{
    ApiState, Facet, FacetValue, centre, communes, company, etag,
    me::{self, UserRoutes},
    oauth, offers, organisations,
    problem::{FieldError, PROBLEM_JSON, Problem},
    tokens::Security,
    trainings,
};
use axum::{extract::State, http::HeaderMap, response::Response};
use utoipa::{
    Modify, OpenApi,
    openapi::{
        ContentBuilder, HeaderBuilder, ObjectBuilder, RefOr, ResponseBuilder, Type,
        path::Operation, schema::SchemaType,
    },
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Passerelle — API publique",
        version = "1",
        description = "Lecture anonyme des offres d'emploi, des formations, des centres, des entreprises et des communes publiés sur Passerelle : les mêmes recherches, filtres et facettes que les pages /offres et /formations. Documentation lisible : /api/v1/docs."
    ),
    paths(
        offers::search,
        offers::one,
        trainings::search,
        trainings::one,
        organisations::centres,
        organisations::centre,
        organisations::companies,
        organisations::company,
        communes::lookup,
        oauth::token,
        oauth::revoke,
        company::offers,
        company::create_offer,
        company::offer,
        company::update_offer,
        company::publish_offer,
        company::close_offer,
        company::applications,
        company::application,
        company::move_application,
        company::application_cv,
        centre::trainings_list,
        centre::create_training,
        centre::training,
        centre::update_training,
        centre::publish_training,
        centre::add_session,
        centre::update_session,
        centre::delete_session,
        centre::enrolments_list,
        centre::decide_enrolment,
        me::profile::me,
        me::profile::edit,
        me::profile::cvs,
        me::profile::cv,
        me::profile::upload,
        me::profile::remove,
        me::applications::list,
        me::applications::one,
        me::applications::apply,
        me::applications::withdraw,
        me::enrolments::list,
        me::enrolments::one,
        me::enrolments::request,
        me::enrolments::withdraw,
        me::saved::list,
        me::saved::save_offer,
        me::saved::unsave_offer,
        me::saved::save_training,
        me::saved::unsave_training,
        me::alerts::list,
        me::alerts::one,
        me::alerts::create,
        me::alerts::delete,
        document,
        page,
    ),
    components(schemas(Problem, FieldError, Facet, FacetValue)),
    // `/moi`'s refusals first: then `Shared` gives them the quota's headers.
    modifiers(&UserRoutes, &Shared, &Security),
    tags(
        (name = "Offres", description = "Les offres d'emploi publiées, comme /offres."),
        (name = "Formations", description = "Les formations publiées et leurs sessions, comme /formations."),
        (name = "Organisations", description = "Les centres de formation et les entreprises approuvés."),
        (name = "Communes", description = "Les communes, pour le paramètre `lieu`."),
        (name = "Jetons", description = "Les jetons d'accès (OAuth 2.1) : « client credentials » pour les clients des organisations, code d'autorisation avec PKCE et jetons de rafraîchissement tournants pour les applications agissant pour un utilisateur (consentement sur /oauth/autoriser) ; clés publiques : /.well-known/jwks.json."),
        (name = "Entreprise", description = "Les offres d'une entreprise et les candidatures qu'elle reçoit, pour son client de l'API ou l'un de ses membres (ATS)."),
        (name = "Centre", description = "Les formations d'un centre, leurs sessions et les demandes d'inscription qu'il reçoit, pour son client de l'API ou l'un de ses membres (catalogue)."),
        (name = "Candidat", description = "Le compte d'un utilisateur et son espace de candidat (profil, CV, candidatures, demandes d'inscription, favoris, alertes), pour une application à laquelle il a consenti."),
        (name = "Documentation", description = "Ce contrat et sa page lisible."),
    )
)]
pub struct ApiDoc;

/// The responses and headers every operation has.
struct Shared;

impl Modify for Shared {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let string = || {
            ObjectBuilder::new()
                .schema_type(SchemaType::new(Type::String))
                .build()
        };
        let header = |description: &str| {
            HeaderBuilder::new()
                .schema(string())
                .description(Some(description))
                .build()
        };
        let quota = [
            (
                "RateLimit-Policy",
                "Le quota de l'appelant (draft-ietf-httpapi-ratelimit-headers) : `\"client\";q=<requêtes>;w=<secondes>` avec un jeton d'accès, `\"ip\";…` sans.",
            ),
            (
                "RateLimit",
                "Ce qu'il en reste : `\"client\";r=<restantes>;t=<secondes avant qu'il soit plein>` (ou `\"ip\";…`).",
            ),
        ];
        let problem = |description: &str, retry: bool| {
            let mut response = ResponseBuilder::new().description(description).content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                        "Problem",
                    ))))
                    .build(),
            );
            for (name, text) in quota {
                response = response.header(name, header(text));
            }
            if retry {
                response = response.header(
                    "Retry-After",
                    header("Secondes à attendre avant de réessayer."),
                );
            }
            response.build()
        };
        // Every operation: reads (GET) with their ETag and 304, writes
        // (POST, PUT, PATCH, DELETE) with the quota's headers on success.
        let operations = openapi.paths.paths.iter_mut().flat_map(|(path, item)| {
            // One organisation's or one user's data: no shared cache keeps it.
            let private = ["/api/v1/entreprise/", "/api/v1/centre/", "/api/v1/moi"]
                .iter()
                .any(|prefix| path.starts_with(prefix));
            [
                (true, item.get.as_mut()),
                (false, item.post.as_mut()),
                (false, item.put.as_mut()),
                (false, item.patch.as_mut()),
                (false, item.delete.as_mut()),
            ]
            .map(|(read, operation)| (read, private, operation))
        });
        for (read, private, operation) in operations {
            let Some(operation) = operation else {
                continue;
            };
            if read {
                add_headers(operation, private, &quota, &header);
            }
            let responses = &mut operation.responses.responses;
            if read {
                let not_modified = {
                    let mut response = ResponseBuilder::new()
                        .description("Non modifiée : la réponse détenue (`If-None-Match`) est à jour. Pas de corps.")
                        .header("ETag", header("L'empreinte de la réponse."));
                    for (name, text) in quota {
                        response = response.header(name, header(text));
                    }
                    response.build()
                };
                responses.insert("304".to_owned(), RefOr::T(not_modified));
            }
            for (status, description, retry) in [
                (
                    "400",
                    if read {
                        "Paramètre illisible, hors bornes, inconnu ou curseur invalide."
                    } else {
                        "Paramètre ou corps JSON illisible, ou champ inconnu."
                    },
                    false,
                ),
                ("429", "Quota de requêtes épuisé.", true),
                ("500", "Erreur interne.", false),
                ("503", "Service momentanément indisponible.", false),
            ] {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::T(problem(description, retry)));
            }
            // The problems each route declares get the quota's headers too,
            // and so do a write's successes.
            for (status, response) in responses.iter_mut() {
                if let RefOr::T(response) = response
                    && (status.starts_with('4') || (!read && status.starts_with('2')))
                {
                    for (name, text) in quota {
                        response
                            .headers
                            .entry(name.to_owned())
                            .or_insert_with(|| header(text));
                    }
                }
            }
        }
    }
}

/// The 200's headers: its ETag, how long it may be kept, the quota.
fn add_headers(
    operation: &mut Operation,
    private: bool,
    quota: &[(&str, &str)],
    header: &impl Fn(&str) -> utoipa::openapi::header::Header,
) {
    if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
        ok.headers.insert(
            "ETag".to_owned(),
            header("Empreinte faible du corps (`W/\"…\"`), à renvoyer dans `If-None-Match`."),
        );
        let kept = if private {
            "`private, no-store`."
        } else {
            "`public, max-age=60`."
        };
        ok.headers.insert("Cache-Control".to_owned(), header(kept));
        for (name, text) in quota {
            ok.headers.insert((*name).to_owned(), header(text));
        }
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "Documentation",
    responses((status = 200, description = "Le document OpenAPI 3.1 de l'API.", body = Object, content_type = "application/json"))
)]
pub async fn document(State(state): State<ApiState>, headers: HeaderMap) -> Response {
    etag::bytes_of(&headers, "application/json", state.docs.document.clone())
}

/// The documentation page, in French.
#[utoipa::path(
    get,
    path = "/api/v1/docs",
    tag = "Documentation",
    responses((status = 200, description = "La page de documentation.", body = String, content_type = "text/html; charset=utf-8"))
)]
pub async fn page(State(state): State<ApiState>, headers: HeaderMap) -> Response {
    etag::bytes_of(
        &headers,
        "text/html; charset=utf-8",
        state.docs.page.clone(),
    )
}

/// The document and its page, built once when the router is.
pub struct Built {
    pub document: Vec<u8>,
    pub page: Vec<u8>,
}

impl Built {
    pub fn new(stylesheet: &str) -> Self {
        let doc = ApiDoc::openapi();
        Self {
            document: serde_json::to_vec(&doc).unwrap_or_default(),
            page: render(&doc, stylesheet).into_bytes(),
        }
    }
}

/// The site's stylesheet, named as the HTML shell names it (with its
/// content hash in release builds, as leptos_meta's `HashedStylesheet`).
pub fn stylesheet_href(options: &leptos::config::LeptosOptions) -> String {
    let mut name = options.output_name.to_string();
    if options.hash_files
        && let Some(hashes) = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
        && let Some(hash) = hashes.lines().find_map(|line| {
            line.trim()
                .split_once(':')
                .filter(|(file, _)| *file == "css")
                .map(|(_, hash)| hash.trim().to_owned())
        })
    {
        name = format!("{name}.{hash}");
    }
    format!("/{}/{name}.css", options.site_pkg_dir)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page: how the API behaves, then each route with its parameters.
fn render(doc: &utoipa::openapi::OpenApi, stylesheet: &str) -> String {
    let mut routes = String::new();
    let operations = doc.paths.paths.iter().flat_map(|(path, item)| {
        [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ]
        .into_iter()
        .filter_map(move |(method, operation)| operation.as_ref().map(|o| (path, method, o)))
    });
    for (path, method, operation) in operations {
        let summary = operation.summary.as_deref().unwrap_or_default();
        routes.push_str(&format!(
            "<section class=\"mt-8\"><h3 class=\"text-xl font-bold text-slate-900\"><code>{method} {}</code></h3><p class=\"mt-2 text-slate-700\">{}</p>",
            escape(path),
            escape(summary)
        ));
        let parameters = operation.parameters.as_deref().unwrap_or_default();
        if !parameters.is_empty() {
            routes.push_str("<ul class=\"mt-2 list-disc pl-6 text-slate-800\">");
            for parameter in parameters {
                routes.push_str(&format!(
                    "<li><code>{}</code> : {}</li>",
                    escape(&parameter.name),
                    escape(parameter.description.as_deref().unwrap_or_default())
                ));
            }
            routes.push_str("</ul>");
        }
        routes.push_str("</section>");
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API publique · Passerelle</title><link rel="stylesheet" href="{stylesheet}"></head>
<body><main class="mx-auto max-w-5xl px-4 py-10 sm:px-6">
<p><a href="/" class="text-brand-700 underline">Passerelle</a></p>
<h1 class="mt-4 text-3xl font-extrabold text-slate-900">API publique v1</h1>
<p class="mt-4 text-lg text-slate-800">Les offres d'emploi, les formations, les centres, les entreprises et les communes publiés sur Passerelle, en JSON, en lecture sans compte. Les recherches, filtres et facettes sont ceux des pages <a href="/offres" class="text-brand-700 underline">/offres</a> et <a href="/formations" class="text-brand-700 underline">/formations</a>.</p>
<p class="mt-4 text-slate-800">Avec un jeton d'accès (OAuth 2.1, <code>POST /api/v1/oauth/token</code>) : le logiciel d'une entreprise ou d'un centre (client créé par son propriétaire sur son tableau de bord, <code>client_credentials</code>) gère ses offres et ses candidatures, ou ses formations, ses sessions et ses demandes d'inscription ; une application à laquelle un utilisateur a consenti sur <code>/oauth/autoriser</code> (code d'autorisation avec PKCE, jeton de rafraîchissement tournant) agit pour lui. Les clés publiques des jetons sont sur <a href="/.well-known/jwks.json" class="text-brand-700 underline">/.well-known/jwks.json</a>.</p>
<p class="mt-4"><a href="/api/v1/openapi.json" class="text-brand-700 underline">Le contrat OpenAPI 3.1 (openapi.json)</a></p>
<h2 class="mt-10 text-2xl font-bold text-slate-900">Fonctionnement</h2>
<ul class="mt-4 list-disc pl-6 text-slate-800">
<li><strong>Pagination</strong> : <code>limit</code> (1 à 20, une page du site, 20 par défaut) et <code>cursor</code>, à reprendre tel quel du <code>next_cursor</code> de la réponse précédente, à la même adresse et avec les mêmes autres paramètres ; <code>next_cursor</code> vaut <code>null</code> après la dernière page. Comme sur le site, seuls les 20 000 premiers résultats se lisent : au-delà, <code>truncated</code> vaut <code>true</code> ; affinez la recherche.</li>
<li><strong>Cache</strong> : chaque réponse 200 d'une lecture porte un <code>ETag</code> faible (<code>W/"…"</code>) ; renvoyez-le dans <code>If-None-Match</code> pour recevoir un 304 sans corps tant que rien n'a changé. <code>Cache-Control: public, max-age=60</code> pour les lectures publiques, <code>private, no-store</code> pour les données d'une organisation ou d'un utilisateur.</li>
<li><strong>Quota</strong> : par jeton d'accès avec un jeton, par adresse IP sans ; les en-têtes <code>RateLimit-Policy</code> et <code>RateLimit</code> l'indiquent sur chaque réponse ; au-delà, 429 avec <code>Retry-After</code>.</li>
<li><strong>Navigateurs</strong> : CORS pour les origines configurées, sans cookie : le jeton va dans <code>Authorization: Bearer</code>.</li>
<li><strong>Corps</strong> : du JSON (<code>Content-Type: application/json</code>, 64 Kio au plus) ; un champ inconnu ou d'un mauvais type est refusé (400), une valeur que le formulaire du site refuserait aussi (422, avec son message sur le champ).</li>
<li><strong>Paramètres stricts</strong> : un paramètre inconnu, répété, vide alors qu'il attend un nombre, un code ou une valeur d'une liste, hors bornes, d'une valeur inconnue ou avec des caractères de contrôle est refusé (400), là où les pages l'ignorent. Chaque valeur est vérifiée telle qu'envoyée : « <code>%2084</code> » n'est pas la région <code>84</code>.</li>
</ul>
<h2 id="erreurs" class="mt-10 text-2xl font-bold text-slate-900">Erreurs</h2>
<p class="mt-4 text-slate-800">Au format <code>application/problem+json</code> (RFC 9457) : <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code> en français et, pour les paramètres, <code>errors</code> (<code>field</code>, <code>detail</code>).</p>
<dl class="mt-4 grid gap-3 text-slate-800">
<div id="requete-invalide"><dt><strong>400 requete-invalide</strong></dt><dd>Un paramètre illisible, hors bornes, inconnu ou répété, un curseur modifié ou d'une autre recherche.</dd></div>
<div id="parametre-refuse"><dt><strong>422 parametre-refuse</strong></dt><dd>Un paramètre lisible mais refusé, comme une commune introuvable dans <code>lieu</code>.</dd></div>
<div id="non-authentifie"><dt><strong>401 non-authentifie</strong></dt><dd>Jeton d'accès absent, invalide, expiré ou révoqué (l'en-tête <code>WWW-Authenticate</code> dit lequel) : demandez-en un nouveau.</dd></div>
<div id="interdit"><dt><strong>403 interdit</strong></dt><dd>Le jeton est bon, mais pas pour cette route ou cette action : portée manquante (<code>insufficient_scope</code>), organisation de l'autre sorte, ou droit que le site ne donne pas à ce compte.</dd></div>
<div id="introuvable"><dt><strong>404 introuvable</strong></dt><dd>Aucune ressource publique à cette adresse (brouillon, organisation non approuvée, identifiant inconnu) ou aucune route.</dd></div>
<div id="conflit"><dt><strong>409 conflit</strong></dt><dd>La demande contredit ce qui est enregistré : offre close, candidature déjà envoyée, session passée ou demande déjà en cours.</dd></div>
<div id="retiree"><dt><strong>410 retiree</strong></dt><dd>L'offre ou la formation a été retirée.</dd></div>
<div id="methode-non-autorisee"><dt><strong>405 methode-non-autorisee</strong></dt><dd>Chaque adresse accepte ses méthodes, que donne l'en-tête <code>Allow</code> (GET et HEAD pour les lectures, POST pour <code>/oauth/token</code> et <code>/oauth/revoke</code>) ; OPTIONS ne sert qu'aux requêtes préalables CORS des navigateurs.</dd></div>
<div id="trop-de-requetes"><dt><strong>429 trop-de-requetes</strong></dt><dd>Quota épuisé : attendre <code>Retry-After</code> secondes.</dd></div>
<div id="trop-volumineuse"><dt><strong>413 trop-volumineuse</strong></dt><dd>Requête trop volumineuse.</dd></div>
<div id="type-non-pris-en-charge"><dt><strong>415 type-non-pris-en-charge</strong></dt><dd>Le corps n'est pas du JSON (ou, pour un CV, pas du <code>multipart/form-data</code>).</dd></div>
<div id="indisponible"><dt><strong>503 indisponible</strong></dt><dd>Service momentanément indisponible : réessayer dans un instant.</dd></div>
<div id="erreur-interne"><dt><strong>500 erreur-interne</strong></dt><dd>Erreur de notre côté.</dd></div>
</dl>
<h2 class="mt-10 text-2xl font-bold text-slate-900">Routes</h2>
{routes}
</main></body></html>"#
    )
}

//! Short, real legal pages linked from the footer.

use crate::base::seo::Seo;
use leptos::{
    either::{Either, EitherOf3},
    prelude::*,
};

/// A legal page. Its body is one line per block, in a little Markdown:
/// `## ` starts a heading, any other line is a paragraph in which
/// `<address>` is a mailto link.
struct Legal<const N: usize> {
    title: &'static str,
    description: &'static str,
    path: &'static str,
    body: [&'static str; N],
}

const MENTIONS: Legal<7> = Legal {
    title: "Mentions légales",
    description: "Éditeur, hébergeur et contact de la plateforme Passerelle.",
    path: "/mentions-legales",
    body: [
        "## Éditeur",
        "Passerelle SAS, société par actions simplifiée en cours d'immatriculation. Directeur de la publication : le président de la société.",
        "Contact : <contact@passerelle.fr>",
        "## Hébergement",
        "Le site est hébergé dans l'Union européenne par un prestataire dont les coordonnées sont communiquées sur simple demande à l'adresse ci-dessus.",
        "## Propriété intellectuelle",
        "Les textes, logos et éléments graphiques du site sont protégés. Les contenus publiés par les centres de formation et les entreprises restent sous leur responsabilité.",
    ],
};

const CONFIDENTIALITE: Legal<10> = Legal {
    title: "Politique de confidentialité",
    description: "Quelles données Passerelle traite, pourquoi, combien de temps, et vos droits.",
    path: "/confidentialite",
    body: [
        "## Données traitées",
        "Pour la lettre d'information : votre adresse e-mail et la date d'inscription. Pour un compte : les informations que vous saisissez dans votre profil.",
        "## Finalités et base légale",
        "Envoyer la lettre d'information (consentement) ; fournir le service de mise en relation (exécution du contrat) ; sécuriser la plateforme (intérêt légitime).",
        "## Durée de conservation",
        "Jusqu'à votre désinscription pour la lettre ; trois ans après la dernière activité pour un compte.",
        "## Cookies",
        "Un seul cookie, strictement nécessaire, maintient votre session. Aucun cookie publicitaire ni de mesure d'audience tierce.",
        "## Vos droits",
        "Accès, rectification, effacement, portabilité et opposition : écrivez à <dpo@passerelle.fr>. Vous pouvez aussi saisir la CNIL.",
    ],
};

const ACCESSIBILITE: Legal<6> = Legal {
    title: "Déclaration d'accessibilité",
    description: "Niveau de conformité RGAA de Passerelle et comment nous signaler un problème.",
    path: "/accessibilite",
    body: [
        "## État de conformité",
        "Passerelle est partiellement conforme au référentiel général d'amélioration de l'accessibilité (RGAA 4.1). Un audit complet est prévu.",
        "## Ce que nous appliquons",
        "Structure de titres et repères de navigation, lien d'évitement, libellés sur chaque champ, focus visible, contrastes conformes au niveau AA, pages utilisables sans JavaScript.",
        "## Signaler un problème",
        "Si un contenu vous est inaccessible, écrivez à <accessibilite@passerelle.fr> : nous vous répondrons sous cinq jours ouvrés. À défaut, vous pouvez saisir le Défenseur des droits.",
    ],
};

// An array, not a Vec: the body renders with no hydration markers between blocks.
fn legal_page<const N: usize>(page: &'static Legal<N>) -> impl IntoView {
    view! {
        <Seo title=page.title description=page.description path=page.path/>
        <article class="prose-legal mx-auto max-w-3xl px-4 py-12 sm:px-6">
            <h1>{page.title}</h1>
            {page.body.map(block)}
        </article>
    }
}

fn block(line: &'static str) -> impl IntoView {
    if let Some(heading) = line.strip_prefix("## ") {
        return Either::Left(view! { <h2>{heading}</h2> });
    }
    let mail = |to: &'static str| view! { <a href=format!("mailto:{to}")>{to}</a> };
    let link = line
        .split_once('<')
        .and_then(|(before, rest)| Some((before, rest.split_once('>')?)));
    let text = match link {
        None => EitherOf3::A(line),
        // Nothing after the link: an empty text node would render as a space.
        Some((before, (to, ""))) => EitherOf3::B((before, mail(to))),
        Some((before, (to, after))) => EitherOf3::C((before, mail(to), after)),
    };
    Either::Right(view! { <p>{text}</p> })
}

#[component]
pub fn MentionsLegales() -> impl IntoView {
    legal_page(&MENTIONS)
}

#[component]
pub fn Confidentialite() -> impl IntoView {
    legal_page(&CONFIDENTIALITE)
}

#[component]
pub fn Accessibilite() -> impl IntoView {
    legal_page(&ACCESSIBILITE)
}

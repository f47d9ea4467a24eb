//! Short, real legal pages linked from the footer.

use crate::base::seo::Seo;
use leptos::prelude::*;

#[component]
fn LegalPage(
    title: &'static str,
    description: &'static str,
    path: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <Seo title=title description=description path=path/>
        <article class="prose-legal mx-auto max-w-3xl px-4 py-12 sm:px-6">
            <h1>{title}</h1>
            {children()}
        </article>
    }
}

#[component]
pub fn MentionsLegales() -> impl IntoView {
    view! {
        <LegalPage
            title="Mentions légales"
            description="Éditeur, hébergeur et contact de la plateforme Passerelle."
            path="/mentions-legales"
        >
            <h2>"Éditeur"</h2>
            <p>"Passerelle SAS, société par actions simplifiée en cours d'immatriculation. Directeur de la publication : le président de la société."</p>
            <p>"Contact : " <a href="mailto:contact@passerelle.fr">"contact@passerelle.fr"</a></p>
            <h2>"Hébergement"</h2>
            <p>"Le site est hébergé dans l'Union européenne par un prestataire dont les coordonnées sont communiquées sur simple demande à l'adresse ci-dessus."</p>
            <h2>"Propriété intellectuelle"</h2>
            <p>"Les textes, logos et éléments graphiques du site sont protégés. Les contenus publiés par les centres de formation et les entreprises restent sous leur responsabilité."</p>
        </LegalPage>
    }
}

#[component]
pub fn Confidentialite() -> impl IntoView {
    view! {
        <LegalPage
            title="Politique de confidentialité"
            description="Quelles données Passerelle traite, pourquoi, combien de temps, et vos droits."
            path="/confidentialite"
        >
            <h2>"Données traitées"</h2>
            <p>"Pour la lettre d'information : votre adresse e-mail et la date d'inscription. Pour un compte : les informations que vous saisissez dans votre profil."</p>
            <h2>"Finalités et base légale"</h2>
            <p>"Envoyer la lettre d'information (consentement) ; fournir le service de mise en relation (exécution du contrat) ; sécuriser la plateforme (intérêt légitime)."</p>
            <h2>"Durée de conservation"</h2>
            <p>"Jusqu'à votre désinscription pour la lettre ; trois ans après la dernière activité pour un compte."</p>
            <h2>"Cookies"</h2>
            <p>"Un seul cookie, strictement nécessaire, maintient votre session. Aucun cookie publicitaire ni de mesure d'audience tierce."</p>
            <h2>"Vos droits"</h2>
            <p>"Accès, rectification, effacement, portabilité et opposition : écrivez à " <a href="mailto:dpo@passerelle.fr">"dpo@passerelle.fr"</a>
               ". Vous pouvez aussi saisir la CNIL."</p>
        </LegalPage>
    }
}

#[component]
pub fn Accessibilite() -> impl IntoView {
    view! {
        <LegalPage
            title="Déclaration d'accessibilité"
            description="Niveau de conformité RGAA de Passerelle et comment nous signaler un problème."
            path="/accessibilite"
        >
            <h2>"État de conformité"</h2>
            <p>"Passerelle est partiellement conforme au référentiel général d'amélioration de l'accessibilité (RGAA 4.1). Un audit complet est prévu."</p>
            <h2>"Ce que nous appliquons"</h2>
            <p>"Structure de titres et repères de navigation, lien d'évitement, libellés sur chaque champ, focus visible, contrastes conformes au niveau AA, pages utilisables sans JavaScript."</p>
            <h2>"Signaler un problème"</h2>
            <p>"Si un contenu vous est inaccessible, écrivez à " <a href="mailto:accessibilite@passerelle.fr">"accessibilite@passerelle.fr"</a>
               " : nous vous répondrons sous cinq jours ouvrés. À défaut, vous pouvez saisir le Défenseur des droits."</p>
        </LegalPage>
    }
}

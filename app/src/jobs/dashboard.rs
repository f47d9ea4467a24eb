//! The recruiter's dashboard: `/tableau-de-bord/offres` (the company's offers
//! with views and applications, and their state changes) and the offer form.
//! Data access lives in [`super::manage`].

use super::{
    CONTRACTS, DEFAULT_EXPIRY_DAYS, DIPLOMA_LEVELS, EXPERIENCE, OfferAction, OfferState,
    REMOTE_MODES, SALARY_UNITS, WORKING_TIMES,
};
#[cfg(feature = "ssr")]
use crate::organisations::listing::ssr::{
    as_editor, change_then_list, duplicate_then_open, edit_then_open,
};
use crate::{
    base::error::AppError,
    base::places::CommuneInput,
    base::skills::{Skill, SkillsPicker},
    organisations::{
        listing::{
            DashboardData, ListingDashboard, ListingEditPage, ListingForm, edited_id, leading_cells,
        },
        profile::OrgKind,
    },
    ui::form::{FormError, InputField, SelectField, action_error},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How candidates apply: on Passerelle, on the company's site, or by e-mail.
pub const APPLY_CHANNELS: [(&str, &str); 3] = [
    ("platform", "Sur Passerelle"),
    ("url", "Sur le site de l'entreprise"),
    ("email", "Par e-mail"),
];

/// Longest publication an offer's form may ask for, in days.
pub const MAX_EXPIRY_DAYS: i64 = 90;

/// The offer form as posted (`input[title]`, `input[skills][]`…). Numbers
/// stay text so a bad one gets a French message instead of a decoding error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub contract: String,
    #[serde(default)]
    pub working_time: String,
    pub remote: String,
    #[serde(default)]
    pub salary_min: String,
    #[serde(default)]
    pub salary_max: String,
    /// Empty: no salary shown.
    #[serde(default)]
    pub salary_unit: String,
    #[serde(default)]
    pub experience: String,
    /// Empty: no diploma required.
    #[serde(default)]
    pub diploma_level: String,
    #[serde(default)]
    pub skills: Vec<i64>,
    /// Commune, "Lyon (69001)"; may be empty only for fully remote offers.
    #[serde(default)]
    pub place: String,
    /// ISO date, optional.
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub openings: String,
    /// Days online once published (default [`DEFAULT_EXPIRY_DAYS`]).
    #[serde(default)]
    pub expiry_days: String,
    #[serde(default)]
    pub apply_channel: String,
    #[serde(default)]
    pub apply_url: String,
    #[serde(default)]
    pub apply_email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// As the recruiter sees it: a published offer past its expiry is "expired".
    pub status: OfferState,
    pub views: i64,
    pub applications: i64,
    pub new_applications: i64,
    /// "31/12/2026"
    pub expires_on: String,
    pub updated_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffersDashboard {
    pub company_name: String,
    pub status: crate::organisations::OrgStatus,
    pub rows: Vec<OfferRow>,
}

impl DashboardData for OffersDashboard {
    type Row = OfferRow;
    fn into_parts(self) -> (String, crate::organisations::OrgStatus, Vec<OfferRow>) {
        (self.company_name, self.status, self.rows)
    }
}

/// What the form edits: a saved offer (`id > 0`) or a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferEditData {
    pub id: i64,
    pub slug: String,
    pub status: OfferState,
    pub input: OfferInput,
    pub skills: Vec<Skill>,
}

#[server(prefix = "/api", endpoint = "entreprise/offres")]
pub async fn company_offers() -> Result<OffersDashboard, AppError> {
    as_editor(OrgKind::Entreprise, false, |pool, company| async move {
        super::manage::dashboard(&pool, company).await
    })
    .await
}

/// The form's data; `id = 0` for a new offer.
#[server(prefix = "/api", endpoint = "entreprise/offres/fiche")]
pub async fn offer_form(id: i64) -> Result<OfferEditData, AppError> {
    as_editor(OrgKind::Entreprise, false, |pool, company| async move {
        super::manage::edit_data(&pool, company, id).await
    })
    .await
}

/// Creates (`id = 0`) or updates an offer; returns its id.
#[server(prefix = "/api", endpoint = "entreprise/offres/enregistrer")]
pub async fn save_offer(id: i64, input: OfferInput) -> Result<i64, AppError> {
    edit_then_open(OrgKind::Entreprise, |pool, company| async move {
        let valid = super::manage::validate(&pool, &input).await?;
        super::manage::save(&pool, company, (id != 0).then_some(id), &valid).await
    })
    .await
}

/// `publish`, `fill`, `archive`, `renew` or `draft`; going live takes the
/// right to publish and a verified address.
#[server(prefix = "/api", endpoint = "entreprise/offres/statut")]
pub async fn offer_status(id: i64, action: String) -> Result<(), AppError> {
    let action = OfferAction::parse(&action).map_err(AppError::into_response_error)?;
    change_then_list(
        OrgKind::Entreprise,
        action.goes_live(),
        |pool, company| async move { super::manage::set_status(&pool, company, id, action).await },
    )
    .await
}

/// A draft copy of an offer with its skills; returns the copy's id.
#[server(prefix = "/api", endpoint = "entreprise/offres/dupliquer")]
pub async fn duplicate_offer(id: i64) -> Result<i64, AppError> {
    duplicate_then_open(OrgKind::Entreprise, id).await
}

/// `/tableau-de-bord/offres`
#[component]
pub fn OffersDashboardPage() -> impl IntoView {
    let status = ServerAction::<OfferStatus>::new();
    let duplicate = ServerAction::<DuplicateOffer>::new();
    let data = Resource::new(move || status.version().get(), |_| company_offers());
    let row = move |row| offer_row(row, status, duplicate);
    view! {
        <ListingDashboard kind=OrgKind::Entreprise data duplicated=duplicate.value() row>
            <FormError error=action_error(status) fields=&[]/>
            <FormError error=action_error(duplicate) fields=&[]/>
        </ListingDashboard>
        <div class="mx-auto max-w-6xl px-4 pb-10 sm:px-6">
            <crate::analytics::pages::AudienceSection kind=OrgKind::Entreprise/>
        </div>
    }
}

/// One row of the dashboard's table, with its state and copy buttons.
fn offer_row(
    row: OfferRow,
    status: ServerAction<OfferStatus>,
    duplicate: ServerAction<DuplicateOffer>,
) -> AnyView {
    let title = row.title.clone();
    let (copy_title, view_title) = (row.title.clone(), row.title.clone());
    let shows_expiry = matches!(row.status, OfferState::Published | OfferState::Expired);
    view! {
        <tr class="border-b border-slate-200" data-offer=row.id>
            {leading_cells(OrgKind::Entreprise, row.id, row.title.clone(), row.updated_on.clone(), row.status.label(), row.views)}
            <td class="py-3 pr-4" data-label="Candidatures">
                <a href=format!("/tableau-de-bord/candidatures-recues?offre={}", row.id) class="hover:underline">
                    {row.applications} {crate::base::format::new_ones(row.new_applications)}
                    <span class="sr-only">" pour " {title.clone()}</span>
                </a>
            </td>
            <td class="py-3 pr-4" data-label="Expire le">{shows_expiry.then(|| row.expires_on.clone())}</td>
            <td class="py-3">
                <div class="flex flex-wrap gap-2">
                    {OfferAction::offered_for(row.status).iter().map(|(action, label)| {
                        let title = title.clone();
                        view! {
                            <ActionForm action=status>
                                <input type="hidden" name="id" value=row.id/>
                                <input type="hidden" name="action" value=action.as_str()/>
                                <button type="submit" class="btn-secondary">{*label}<span class="sr-only">" " {title}</span></button>
                            </ActionForm>
                        }
                    }).collect_view()}
                    <ActionForm action=duplicate>
                        <input type="hidden" name="id" value=row.id/>
                        <button type="submit" class="btn-secondary">"Dupliquer"<span class="sr-only">" " {copy_title}</span></button>
                    </ActionForm>
                    {(row.status == OfferState::Published).then(|| view! {
                        <a href=format!("/offres/{}", row.slug) class="btn-secondary">"Voir"<span class="sr-only">" " {view_title}</span></a>
                    })}
                </div>
            </td>
        </tr>
    }.into_any()
}

const FORM_FIELDS: &[&str] = &[
    "title",
    "description",
    "contract",
    "working_time",
    "remote",
    "salary_min",
    "salary_max",
    "salary_unit",
    "experience",
    "diploma_level",
    "skills",
    "place",
    "start_date",
    "openings",
    "expiry_days",
    "apply_channel",
    "apply_url",
    "apply_email",
];

/// (value, label) pairs of a constant list, for [`SelectField`].
fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

/// `/tableau-de-bord/offres/nouvelle` and `/tableau-de-bord/offres/{id}`
#[component]
pub fn OfferEditPage() -> impl IntoView {
    let id = edited_id();
    let save = ServerAction::<SaveOffer>::new();
    let data = Resource::new(
        move || (id.get(), save.version().get()),
        |(id, _)| offer_form(id),
    );
    let error = action_error(save);
    let form = move |edit: OfferEditData| {
        let input = edit.input;
        let mut salary_units = vec![(String::new(), "Ne pas afficher".to_owned())];
        salary_units.extend(options(&SALARY_UNITS));
        let mut diplomas = vec![(String::new(), "Aucun diplôme exigé".to_owned())];
        diplomas.extend(
            DIPLOMA_LEVELS
                .iter()
                .map(|(l, label)| (l.to_string(), (*label).to_owned())),
        );
        ListingForm {
            id: edit.id,
            title: input.title.clone(),
            status: edit.status.label(),
            published: (edit.status == OfferState::Published).then_some(edit.slug),
            form: view! {
                <ActionForm action=save attr:class="mt-6 space-y-5" attr:novalidate=true>
                    <input type="hidden" name="id" value=edit.id/>
                    <InputField label="Intitulé du poste" key="title" value=input.title.clone() error/>
                    <InputField label="Description du poste (Markdown)" key="description" value=input.description.clone() error multiline=true
                        help="Missions, profil recherché, avantages : titres, listes et liens Markdown sont acceptés."/>
                    <div class="grid gap-4 sm:grid-cols-3">
                        <SelectField label="Contrat" key="contract" options=options(&CONTRACTS) value=input.contract.clone() error/>
                        <SelectField label="Temps de travail" key="working_time" options=options(&WORKING_TIMES) value=input.working_time.clone() error/>
                        <SelectField label="Mode de travail" key="remote" options=options(&REMOTE_MODES) value=input.remote.clone() error/>
                    </div>
                    <CommuneInput label="Lieu de travail" name="input[place]" value=input.place.clone() error
                        help="Obligatoire, sauf en télétravail complet."/>
                    <fieldset class="grid gap-4 sm:grid-cols-3">
                        <legend class="text-sm font-semibold text-slate-900">"Salaire brut (€)"</legend>
                        <InputField label="Minimum" key="salary_min" value=input.salary_min.clone() error input_type="number"/>
                        <InputField label="Maximum (facultatif)" key="salary_max" value=input.salary_max.clone() error input_type="number"/>
                        <SelectField label="Unité" key="salary_unit" options=salary_units value=input.salary_unit.clone() error/>
                    </fieldset>
                    <div class="grid gap-4 sm:grid-cols-2">
                        <SelectField label="Expérience" key="experience" options=options(&EXPERIENCE) value=input.experience.clone() error/>
                        <SelectField label="Diplôme" key="diploma_level" options=diplomas value=input.diploma_level.clone() error/>
                    </div>
                    <SkillsPicker legend="Compétences requises" name="input[skills][]" skills=edit.skills.clone() selected=input.skills.clone() error/>
                    <div class="grid gap-4 sm:grid-cols-3">
                        <InputField label="Date de prise de poste (facultatif)" key="start_date" value=input.start_date.clone() error input_type="date"/>
                        <InputField label="Nombre de postes" key="openings" value=input.openings.clone() error input_type="number"/>
                        <InputField label="Durée de publication (jours)" key="expiry_days" value=input.expiry_days.clone() error input_type="number"
                            help="De 1 à 90 jours après la publication ; changée sur une offre en ligne, elle compte à partir d'aujourd'hui."/>
                    </div>
                    <fieldset class="space-y-4">
                        <legend class="text-sm font-semibold text-slate-900">"Candidatures"</legend>
                        <SelectField label="Les candidats postulent" key="apply_channel" options=options(&APPLY_CHANNELS) value=input.apply_channel.clone() error/>
                        <InputField label="Adresse de candidature (si sur le site de l'entreprise)" key="apply_url" value=input.apply_url.clone() error input_type="url"
                            help="Commence par https://"/>
                        <InputField label="E-mail de candidature (si par e-mail)" key="apply_email" value=input.apply_email.clone() error input_type="email"/>
                    </fieldset>
                    <FormError error fields=FORM_FIELDS/>
                    <button type="submit" class="btn-primary">"Enregistrer"</button>
                </ActionForm>
            }
            .into_any(),
        }
    };
    view! { <ListingEditPage kind=OrgKind::Entreprise id data saved=save.value() form/> }
}

/// A new offer's form: full-time, on site, beginner welcome, one opening.
pub fn new_offer_input() -> OfferInput {
    OfferInput {
        contract: "cdi".to_owned(),
        working_time: "temps-plein".to_owned(),
        remote: "presentiel".to_owned(),
        experience: "debutant".to_owned(),
        openings: "1".to_owned(),
        expiry_days: DEFAULT_EXPIRY_DAYS.to_string(),
        apply_channel: "platform".to_owned(),
        ..OfferInput::default()
    }
}

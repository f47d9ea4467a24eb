//! The centre's dashboard: `/tableau-de-bord/formations` (its trainings with
//! views and requests) and the training form with its sessions.

use super::{FUNDING, MODALITIES, Session, french_date};
#[cfg(feature = "ssr")]
use crate::organisations::listing::ssr::{
    as_editor, change_then_list, duplicate_then_open, edit_then_open,
};
use crate::{
    base::error::AppError,
    base::places::CommuneInput,
    base::skills::SkillsPicker,
    organisations::{
        listing::{
            DashboardData, ListingDashboard, ListingEditPage, ListingForm, edited_id, leading_cells,
        },
        profile::OrgKind,
    },
    ui::form::{FormError, InputField, action_error},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::base::skills::Skill;

/// The training form as posted (`input[title]`, `input[skills][]`…).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingInput {
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub objectives: String,
    #[serde(default)]
    pub prerequisites: String,
    #[serde(default)]
    pub skills: Vec<i64>,
    #[serde(default)]
    pub certification_kind: String,
    #[serde(default)]
    pub certification_code: String,
    #[serde(default)]
    pub certification_level: String,
    /// Checkbox: present when ticked.
    #[serde(default)]
    pub cpf_eligible: Option<String>,
    /// The training's page on Mon Compte Formation.
    #[serde(default)]
    pub cpf_link: String,
    pub modality: String,
    pub duration_hours: String,
    #[serde(default)]
    pub price_euros: String,
    #[serde(default)]
    pub funding: Vec<String>,
    #[serde(default)]
    pub rolling_entry: Option<String>,
    #[serde(default)]
    pub place_1: String,
    #[serde(default)]
    pub place_2: String,
    #[serde(default)]
    pub place_3: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: super::TrainingState,
    pub views: i64,
    pub requests: i64,
    pub new_requests: i64,
    pub upcoming_sessions: i64,
    pub updated_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub centre_name: String,
    pub status: crate::organisations::OrgStatus,
    pub rows: Vec<DashboardRow>,
}

impl DashboardData for Dashboard {
    type Row = DashboardRow;
    fn into_parts(self) -> (String, crate::organisations::OrgStatus, Vec<DashboardRow>) {
        (self.centre_name, self.status, self.rows)
    }
}

/// What the form edits: a saved training (`id > 0`) or a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditData {
    pub id: i64,
    pub slug: String,
    pub status: super::TrainingState,
    pub input: TrainingInput,
    pub sessions: Vec<Session>,
    pub skills: Vec<Skill>,
}

#[server(prefix = "/api", endpoint = "centre/formations")]
pub async fn dashboard_trainings() -> Result<Dashboard, AppError> {
    as_editor(OrgKind::Centre, false, |pool, centre| async move {
        super::ssr::dashboard(&pool, centre).await
    })
    .await
}

/// The form's data; `id = 0` for a new training.
#[server(prefix = "/api", endpoint = "centre/formations/fiche")]
pub async fn training_form(id: i64) -> Result<EditData, AppError> {
    as_editor(OrgKind::Centre, false, |pool, centre| async move {
        if id == 0 {
            Ok(EditData {
                id: 0,
                slug: String::new(),
                status: super::TrainingState::Draft,
                input: TrainingInput {
                    modality: "presentiel".to_owned(),
                    ..TrainingInput::default()
                },
                sessions: Vec::new(),
                skills: super::ssr::skills(&pool).await?,
            })
        } else {
            super::ssr::edit_data(&pool, centre, id).await
        }
    })
    .await
}

/// Creates (`id = 0`) or updates a training; returns its id.
#[server(prefix = "/api", endpoint = "centre/formations/enregistrer")]
pub async fn save_training(id: i64, input: TrainingInput) -> Result<i64, AppError> {
    edit_then_open(OrgKind::Centre, |pool, centre| async move {
        let valid = super::ssr::validate(&pool, &input).await?;
        super::ssr::save(&pool, centre, (id != 0).then_some(id), &valid).await
    })
    .await
}

/// `publish`, `archive` or `draft`; publishing takes that right and a
/// verified address.
#[server(prefix = "/api", endpoint = "centre/formations/statut")]
pub async fn training_status(id: i64, action: String) -> Result<(), AppError> {
    let action = super::TrainingAction::parse(&action).map_err(AppError::into_response_error)?;
    let publish = action == super::TrainingAction::Publish;
    change_then_list(OrgKind::Centre, publish, |pool, centre| async move {
        super::ssr::set_status(&pool, centre, id, action).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "centre/formations/dupliquer")]
pub async fn duplicate_training(id: i64) -> Result<i64, AppError> {
    duplicate_then_open(OrgKind::Centre, id).await
}

#[server(prefix = "/api", endpoint = "centre/sessions/ajouter")]
pub async fn add_training_session(
    training_id: i64,
    starts_on: String,
    ends_on: String,
    seats: String,
) -> Result<(), AppError> {
    as_editor(OrgKind::Centre, false, |pool, centre| async move {
        super::ssr::add_session(&pool, centre, training_id, &starts_on, &ends_on, &seats).await?;
        crate::base::forms::redirect_plain_form(&format!(
            "/tableau-de-bord/formations/{training_id}"
        ));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "centre/sessions/supprimer")]
pub async fn delete_training_session(training_id: i64, id: i64) -> Result<(), AppError> {
    as_editor(OrgKind::Centre, false, |pool, centre| async move {
        super::ssr::delete_session(&pool, centre, id).await?;
        crate::base::forms::redirect_plain_form(&format!(
            "/tableau-de-bord/formations/{training_id}"
        ));
        Ok(())
    })
    .await
}

/// `/tableau-de-bord/formations`
#[component]
pub fn TrainingsDashboardPage() -> impl IntoView {
    let status = ServerAction::<TrainingStatus>::new();
    let duplicate = ServerAction::<DuplicateTraining>::new();
    let data = Resource::new(move || status.version().get(), |_| dashboard_trainings());
    let row = move |row| training_row(row, status, duplicate);
    view! {
        <ListingDashboard kind=OrgKind::Centre data duplicated=duplicate.value() row>
            <FormError error=action_error(status) fields=&[]/>
        </ListingDashboard>
        <div class="mx-auto max-w-6xl px-4 pb-10 sm:px-6">
            <crate::analytics::pages::AudienceSection kind=OrgKind::Centre/>
        </div>
    }
}

/// One row of the dashboard's table, with its state and copy buttons.
fn training_row(
    row: DashboardRow,
    status: ServerAction<TrainingStatus>,
    duplicate: ServerAction<DuplicateTraining>,
) -> AnyView {
    let (action, label) = row.status.toggle();
    let (title, copy_title) = (row.title.clone(), row.title.clone());
    view! {
        <tr class="border-b border-slate-200" data-training=row.id>
            {leading_cells(OrgKind::Centre, row.id, row.title.clone(), row.updated_on.clone(), row.status.label(), row.views)}
            <td class="py-3 pr-4" data-label="Demandes">
                <a href=format!("/tableau-de-bord/demandes?formation={}", row.id) class="hover:underline">
                    {row.requests} {crate::base::format::new_ones(row.new_requests)}
                </a>
            </td>
            <td class="py-3 pr-4" data-label="Sessions à venir">{row.upcoming_sessions}</td>
            <td class="py-3">
                <div class="flex flex-wrap gap-2">
                    <ActionForm action=status>
                        <input type="hidden" name="id" value=row.id/>
                        <input type="hidden" name="action" value=action.as_str()/>
                        <button type="submit" class="btn-secondary">{label}<span class="sr-only">" " {title}</span></button>
                    </ActionForm>
                    <ActionForm action=duplicate>
                        <input type="hidden" name="id" value=row.id/>
                        <button type="submit" class="btn-secondary">"Dupliquer"<span class="sr-only">" " {copy_title}</span></button>
                    </ActionForm>
                    {(row.status == super::TrainingState::Published).then(|| view! {
                        <a href=format!("/formations/{}", row.slug) class="btn-secondary">"Voir"</a>
                    })}
                </div>
            </td>
        </tr>
    }.into_any()
}

const FORM_FIELDS: &[&str] = &[
    "title",
    "summary",
    "description",
    "objectives",
    "prerequisites",
    "skills",
    "certification_kind",
    "certification_code",
    "certification_level",
    "cpf_link",
    "modality",
    "duration_hours",
    "price_euros",
    "place_1",
    "place_2",
    "place_3",
];

/// `/tableau-de-bord/formations/nouvelle` and `/tableau-de-bord/formations/{id}`
#[component]
pub fn TrainingEditPage() -> impl IntoView {
    let id = edited_id();
    let save = ServerAction::<SaveTraining>::new();
    let add_session = ServerAction::<AddTrainingSession>::new();
    let delete_session = ServerAction::<DeleteTrainingSession>::new();
    let data = Resource::new(
        move || {
            (
                id.get(),
                save.version().get(),
                add_session.version().get(),
                delete_session.version().get(),
            )
        },
        |(id, ..)| training_form(id),
    );
    let error = action_error(save);
    let session_error = action_error(add_session);
    let form = move |edit: EditData| {
        let input = edit.input;
        let selected_skills = input.skills.clone();
        let funding = input.funding.clone();
        ListingForm {
            id: edit.id,
            title: input.title.clone(),
            status: edit.status.label(),
            published: (edit.status == super::TrainingState::Published).then_some(edit.slug),
            form: view! {
                <ActionForm action=save attr:class="mt-6 space-y-5" attr:novalidate=true>
                    <input type="hidden" name="id" value=edit.id/>
                    <InputField label="Titre" key="title" value=input.title.clone() error/>
                    <InputField label="Résumé (20 à 300 caractères)" key="summary" value=input.summary.clone() error multiline=true/>
                    <InputField label="Description (Markdown)" key="description" value=input.description.clone() error multiline=true
                        help="Titres, listes, liens : la mise en forme Markdown est acceptée."/>
                    <InputField label="Objectifs" key="objectives" value=input.objectives.clone() error multiline=true/>
                    <InputField label="Prérequis" key="prerequisites" value=input.prerequisites.clone() error multiline=true/>
                    <SkillsPicker legend="Compétences enseignées" name="input[skills][]" skills=edit.skills.clone() selected=selected_skills error/>
                    <div class="grid gap-4 sm:grid-cols-3">
                        <div>
                            <label for="champ-modality" class="block text-sm font-semibold text-slate-900">"Modalité"</label>
                            <select id="champ-modality" name="input[modality]" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2.5">
                                {MODALITIES.iter().map(|(value, label)| view! {
                                    <option value=*value selected=input.modality == *value>{*label}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <InputField label="Durée (heures)" key="duration_hours" value=input.duration_hours.clone() error input_type="number"/>
                        <InputField label="Prix (€, 0 si gratuit)" key="price_euros" value=input.price_euros.clone() error/>
                    </div>
                    <div class="grid gap-4 sm:grid-cols-3">
                        <div>
                            <label for="champ-certification_kind" class="block text-sm font-semibold text-slate-900">"Certification"</label>
                            <select id="champ-certification_kind" name="input[certification_kind]" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2.5">
                                {[("none", "Aucune"), ("rncp", "Titre RNCP"), ("rs", "Répertoire spécifique (RS)")].into_iter().map(|(value, label)| view! {
                                    <option value=value selected=input.certification_kind == value>{label}</option>
                                }).collect_view()}
                            </select>
                            <p class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("certification_kind"))}</p>
                        </div>
                        <InputField label="Code (RNCP37805, RS5642)" key="certification_code" value=input.certification_code.clone() error/>
                        <InputField label="Niveau (3 à 8)" key="certification_level" value=input.certification_level.clone() error input_type="number"/>
                    </div>
                    <div class="flex flex-wrap gap-6">
                        <label class="flex items-center gap-2 text-sm font-semibold">
                            <input type="checkbox" name="input[cpf_eligible]" value="on" checked=input.cpf_eligible.is_some()/>
                            "Éligible au CPF"
                        </label>
                        <label class="flex items-center gap-2 text-sm font-semibold">
                            <input type="checkbox" name="input[rolling_entry]" value="on" checked=input.rolling_entry.is_some()/>
                            "Entrée permanente (sans dates de session)"
                        </label>
                    </div>
                    <InputField label="Lien de la formation sur Mon Compte Formation (si éligible au CPF)" key="cpf_link" value=input.cpf_link.clone() error input_type="url"/>
                    <fieldset>
                        <legend class="text-sm font-semibold text-slate-900">"Financements possibles"</legend>
                        <div class="mt-2 flex flex-wrap gap-4">
                            {FUNDING.iter().map(|(value, label)| view! {
                                <label class="flex items-center gap-2 text-sm">
                                    <input type="checkbox" name="input[funding][]" value=*value checked=funding.iter().any(|f| f == value)/>
                                    {*label}
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <fieldset class="grid gap-4 sm:grid-cols-3">
                        <legend class="text-sm font-semibold text-slate-900">"Lieux de formation (sauf à distance)"</legend>
                        <CommuneInput label="Lieu 1" name="input[place_1]" value=input.place_1.clone() error/>
                        <CommuneInput label="Lieu 2" name="input[place_2]" value=input.place_2.clone() error/>
                        <CommuneInput label="Lieu 3" name="input[place_3]" value=input.place_3.clone() error/>
                    </fieldset>
                    <FormError error fields=FORM_FIELDS/>
                    <button type="submit" class="btn-primary">"Enregistrer"</button>
                </ActionForm>
                {(edit.id != 0).then(|| view! {
                    <SessionsEditor training_id=edit.id sessions=edit.sessions.clone() add_session delete_session error=session_error/>
                })}
            }
            .into_any(),
        }
    };
    view! { <ListingEditPage kind=OrgKind::Centre id data saved=save.value() form/> }
}

#[component]
fn SessionsEditor(
    training_id: i64,
    sessions: Vec<Session>,
    add_session: ServerAction<AddTrainingSession>,
    delete_session: ServerAction<DeleteTrainingSession>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field_error = move |name: &'static str| move || error.get().and_then(|e| e.for_field(name));
    view! {
        <section class="mt-10" aria-labelledby="sessions-titre">
            <h2 id="sessions-titre" class="text-2xl font-bold text-slate-900">"Sessions"</h2>
            {if sessions.is_empty() {
                view! { <p class="mt-2 text-slate-700">"Aucune session programmée."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 space-y-2">
                        {sessions.into_iter().map(|s| {
                            let label = format!("Du {} au {} · {} places", french_date(&s.starts_on), french_date(&s.ends_on), s.seats);
                            view! {
                                <li class="flex items-center justify-between gap-4 rounded-lg border border-slate-200 p-3">
                                    <span>{label.clone()}</span>
                                    <ActionForm action=delete_session>
                                        <input type="hidden" name="training_id" value=training_id/>
                                        <input type="hidden" name="id" value=s.id/>
                                        <button type="submit" class="btn-secondary">"Supprimer"<span class="sr-only">" la session " {label}</span></button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=add_session attr:class="mt-4 grid gap-4 sm:grid-cols-4 sm:items-end">
                <input type="hidden" name="training_id" value=training_id/>
                <div>
                    <label for="session-debut" class="block text-sm font-semibold">"Début"</label>
                    <input id="session-debut" name="starts_on" type="date" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2"/>
                    <p class="mt-1 text-sm font-semibold text-red-800">{field_error("starts_on")}</p>
                </div>
                <div>
                    <label for="session-fin" class="block text-sm font-semibold">"Fin"</label>
                    <input id="session-fin" name="ends_on" type="date" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2"/>
                    <p class="mt-1 text-sm font-semibold text-red-800">{field_error("ends_on")}</p>
                </div>
                <div>
                    <label for="session-places" class="block text-sm font-semibold">"Places"</label>
                    <input id="session-places" name="seats" type="number" min="1" value="12" class="mt-1 block w-full rounded-lg border border-slate-400 px-3 py-2"/>
                    <p class="mt-1 text-sm font-semibold text-red-800">{field_error("seats")}</p>
                </div>
                <button type="submit" class="btn-primary">"Ajouter la session"</button>
            </ActionForm>
        </section>
    }
}

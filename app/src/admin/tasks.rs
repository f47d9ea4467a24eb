//! `/admin/taches`: the background jobs (e-mails mostly) that wait, fail
//! or were given up, with their errors; an admin retries one (a full new
//! round of attempts) or sets it aside (it never runs again).

use super::{AdminFrame, FilterForm, FilterSelect, ListPage};
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use crate::ui::form::{DecisionForm, FormError, action_error};
use crate::{base::error::AppError, identity::auth::pages::protected};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Jobs per page of the list.
pub const TASKS_PAGE: i64 = 50;

const TASK_FILTERS: [&str; 1] = ["etat"];

/// Where a job stands, as the list filters it (`etat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskState {
    /// Its last attempt failed; it will run again.
    Failing,
    /// Every attempt failed.
    GivenUp,
    /// Not run yet.
    Waiting,
    /// Set aside by an admin.
    Discarded,
}

impl TaskState {
    pub const ALL: [TaskState; 4] = [Self::Failing, Self::GivenUp, Self::Waiting, Self::Discarded];

    /// Its value in the list's URL.
    pub fn param(self) -> &'static str {
        match self {
            Self::Failing => "echec",
            Self::GivenUp => "abandonnee",
            Self::Waiting => "en-attente",
            Self::Discarded => "ecartee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Failing => "En échec, sera relancée",
            Self::GivenUp => "Abandonnée après plusieurs essais",
            Self::Waiting => "En attente",
            Self::Discarded => "Écartée",
        }
    }

    /// Nothing or an unknown value: the failures, retrying or given up.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.param() == value)
    }
}

/// What a job kind does, in words.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "alert_digest" => "Alerte e-mail (offres ou formations)",
        "expiry_reminder" => "Rappel d'expiration d'offre",
        "content_withdrawn" => "Avis de retrait d'un contenu",
        "newsletter" => "Lettre d'information",
        _ => "Autre tâche",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub state: TaskState,
    /// When it runs next, or ran last.
    pub run_at: String,
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskList {
    pub rows: Vec<TaskRow>,
    pub total: i64,
    pub page: i64,
}

/// A page of jobs in state `etat` (see [`TaskState::param`]; by default
/// every failure, retrying or given up), the most recent first.
#[server(prefix = "/api", endpoint = "admin/taches")]
pub async fn list_tasks(
    #[server(default)] etat: String,
    #[server(default)] page: i64,
) -> Result<TaskList, AppError> {
    with_permission(Permission::BackofficeRead, |pool, _| async move {
        let page = page.clamp(1, 10_000);
        let state = TaskState::parse(&etat).map(TaskState::param);
        let rows = sqlx::query!(
            r#"SELECT id, kind, payload::text AS "payload!", attempts, last_error,
                      CASE WHEN discarded_at IS NOT NULL THEN 'ecartee'
                           WHEN done_at IS NULL AND last_error IS NULL THEN 'en-attente'
                           WHEN done_at IS NULL THEN 'echec'
                           ELSE 'abandonnee' END AS "state!",
                      to_char(run_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "run_at!",
                      to_char(created_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI') AS "created!",
                      count(*) OVER () AS "total!"
               FROM background_jobs
               WHERE CASE $1::text
                     WHEN 'ecartee' THEN discarded_at IS NOT NULL
                     WHEN 'en-attente' THEN done_at IS NULL AND last_error IS NULL
                     WHEN 'echec' THEN done_at IS NULL AND last_error IS NOT NULL
                     WHEN 'abandonnee' THEN done_at IS NOT NULL AND last_error IS NOT NULL
                                            AND discarded_at IS NULL
                     ELSE last_error IS NOT NULL AND discarded_at IS NULL END
               ORDER BY run_at DESC, id DESC
               LIMIT $2 OFFSET $3"#,
            state,
            TASKS_PAGE,
            (page - 1) * TASKS_PAGE,
        )
        .fetch_all(&pool)
        .await?;
        Ok(TaskList {
            total: rows.first().map_or(0, |row| row.total),
            page,
            rows: rows
                .into_iter()
                .map(|row| TaskRow {
                    id: row.id,
                    kind: row.kind,
                    payload: row.payload,
                    attempts: row.attempts,
                    last_error: row.last_error,
                    state: TaskState::parse(&row.state).unwrap_or(TaskState::Failing),
                    run_at: row.run_at,
                    created: row.created,
                })
                .collect(),
        })
    })
    .await
}

/// `decision`: "relancer" a failed or given-up job (it runs at the next
/// tick, with a full round of attempts), or "ecarter" a job that has not
/// succeeded (it never runs again). Journaled with the job's last error.
#[server(prefix = "/api", endpoint = "admin/taches/action")]
pub async fn manage_task(id: i64, decision: String) -> Result<(), AppError> {
    with_permission(Permission::TaskManage, |pool, admin| async move {
        let mut tx = pool.begin().await?;
        // Locked: the worker skips it meanwhile, and cannot finish it under us.
        let job = sqlx::query!(
            "SELECT kind, last_error, done_at IS NOT NULL AS \"done!\", discarded_at IS NOT NULL AS \"discarded!\"
             FROM background_jobs WHERE id = $1 FOR UPDATE",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let succeeded = job.done && job.last_error.is_none();
        let event = match decision.as_str() {
            "relancer" => {
                if job.last_error.is_none() || job.discarded {
                    return Err(AppError::invalid(
                        "decision",
                        "Seule une tâche en échec ou abandonnée peut être relancée.",
                    ));
                }
                sqlx::query!(
                    "UPDATE background_jobs SET done_at = NULL, attempts = 0, last_error = NULL, run_at = now()
                     WHERE id = $1",
                    id
                )
                .execute(&mut *tx)
                .await?;
                "task.retried"
            }
            "ecarter" => {
                if succeeded || job.discarded {
                    return Err(AppError::invalid(
                        "decision",
                        "Cette tâche est déjà terminée ou écartée.",
                    ));
                }
                sqlx::query!(
                    "UPDATE background_jobs SET done_at = now(), discarded_at = now() WHERE id = $1",
                    id
                )
                .execute(&mut *tx)
                .await?;
                "task.discarded"
            }
            _ => return Err(AppError::invalid("decision", "Décision inconnue.")),
        };
        crate::identity::auth::ssr::audit(
            &mut *tx,
            Some(admin.id),
            event,
            &crate::identity::auth::ssr::request_meta(),
            crate::identity::auth::ssr::by_admin(
                &admin,
                serde_json::json!({ "task": id, "kind": job.kind, "error": job.last_error }),
            ),
        )
        .await?;
        tx.commit().await?;
        crate::base::forms::redirect_plain_form("/admin/taches");
        Ok(())
    })
    .await
}

/// `/admin/taches`.
#[component]
pub fn AdminTasksPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |key: &str| query.read().get(key).unwrap_or_default();
    let decide = ServerAction::<ManageTask>::new();
    let list = Resource::new(
        move || {
            // The versions are part of the key: a resource refetches only
            // when its key changes.
            (
                decide.version().get(),
                field("etat"),
                field("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(_, etat, page)| list_tasks(etat, page),
    );
    let error = action_error(decide);
    let states = TaskState::ALL.map(|s| (s.param(), s.label())).to_vec();
    view! {
        <AdminFrame title="Tâches de fond" description="Tâches en attente, en échec ou abandonnées." path="/admin/taches" heading="Tâches de fond">
            <p class="mt-2 text-slate-700">"Par défaut : les tâches en échec, relancées automatiquement ou abandonnées."</p>
            <FilterForm action="/admin/taches" columns="sm:grid-cols-3">
                <FilterSelect name="etat" label="État" options=states selected=field("etat")/>
            </FilterForm>
            <div class="mt-4"><FormError error fields=&[]/></div>
            {protected(list, move |list| view! {
                <ListPage total=list.total page=list.page per_page=TASKS_PAGE base="/admin/taches"
                    filters=&TASK_FILTERS counted="tâche(s)"
                    headers=&["Tâche", "État", "Essais", "Dernière erreur", "Prévue le", "Actions"]>
                    {list.rows.into_iter().map(|t| {
                        let retry = matches!(t.state, TaskState::Failing | TaskState::GivenUp);
                        let discard = t.state != TaskState::Discarded;
                        view! {
                            <tr class="border-t border-slate-200 align-top" data-task=t.id>
                                <td class="py-2 pr-4">
                                    <span class="font-semibold">{kind_label(&t.kind)}</span>
                                    <span class="block text-slate-600">{format!("n° {} · {} · créée le {}", t.id, t.payload, t.created)}</span>
                                </td>
                                <td class="pr-4">{t.state.label()}</td>
                                <td class="pr-4">{t.attempts}</td>
                                <td class="pr-4 max-w-xs break-words">{t.last_error.unwrap_or_else(|| "—".to_owned())}</td>
                                <td class="pr-4 whitespace-nowrap">{t.run_at}</td>
                                <td class="flex flex-wrap gap-2">
                                    {retry.then(|| view! { <DecisionForm action=decide id=t.id decision="relancer" label="Relancer"/> })}
                                    {discard.then(|| view! { <DecisionForm action=decide id=t.id decision="ecarter" label="Écarter" secondary=true/> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </ListPage>
            })}
        </AdminFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_back_from_their_url_values() {
        for state in TaskState::ALL {
            assert_eq!(TaskState::parse(state.param()), Some(state));
        }
        assert_eq!(TaskState::parse(""), None);
        assert_eq!(
            kind_label("alert_digest"),
            "Alerte e-mail (offres ou formations)"
        );
    }
}

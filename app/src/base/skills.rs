//! The skills list shared by trainings (skills taught), job offers (skills
//! required) and candidate profiles: one picker and one server-side check.

use crate::base::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Skills a form may tick at most.
pub const MAX_SKILLS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    pub id: i64,
    pub name: String,
}

/// Checkboxes over every skill, posted as `{name}` (e.g. `input[skills][]`);
/// the error shown is the one about the field `skills`.
#[component]
pub fn SkillsPicker(
    legend: &'static str,
    name: &'static str,
    skills: Vec<Skill>,
    selected: Vec<i64>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend class="text-sm font-semibold text-slate-900">{legend}</legend>
            <div class="mt-2 grid max-h-64 grid-cols-1 gap-1 overflow-y-auto rounded-lg border border-slate-300 p-3 sm:grid-cols-2">
                {skills.into_iter().map(|skill| view! {
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" name=name value=skill.id checked=selected.contains(&skill.id)/>
                        {skill.name}
                    </label>
                }).collect_view()}
            </div>
            <p class="mt-1 text-sm font-semibold text-red-800">{move || error.get().and_then(|e| e.for_field("skills"))}</p>
        </fieldset>
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{MAX_SKILLS, Skill};
    use crate::base::error::AppError;
    use sqlx::PgPool;

    /// Every skill, by name.
    pub async fn all(pool: &PgPool) -> Result<Vec<Skill>, AppError> {
        Ok(
            sqlx::query_as!(Skill, "SELECT id, name FROM skills ORDER BY name")
                .fetch_all(pool)
                .await?,
        )
    }

    /// The ticked skills, sorted and without repeats; a French message on
    /// `skills` for too many or unknown ones.
    pub async fn checked(pool: &PgPool, ids: &[i64]) -> Result<Vec<i64>, AppError> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_SKILLS {
            return Err(AppError::invalid(
                "skills",
                &format!("Choisissez {MAX_SKILLS} compétences au plus."),
            ));
        }
        let known = sqlx::query_scalar!(
            r#"SELECT count(*) AS "count!" FROM skills WHERE id = ANY($1)"#,
            &ids
        )
        .fetch_one(pool)
        .await?;
        if known != ids.len() as i64 {
            return Err(AppError::invalid("skills", "Compétence inconnue."));
        }
        Ok(ids)
    }
}

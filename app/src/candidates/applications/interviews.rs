//! Interviews: a recruiter of the offer's company proposes a slot (date,
//! time, length, where or how, and whom to ask for); the candidate accepts
//! it or asks for another one. Each step e-mails the other side; the
//! proposal and the acceptance carry an `.ics` for calendars. A new
//! proposal replaces the current one (one slot at a time per application).

use crate::base::error::AppError;
#[cfg(feature = "ssr")]
use crate::identity::auth::{Permission, ssr::with_permission};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How the interview takes place (the `interviews.mode` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum InterviewMode {
    OnSite,
    Video,
    Phone,
}

impl InterviewMode {
    pub const ALL: [Self; 3] = [Self::OnSite, Self::Video, Self::Phone];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnSite => "on_site",
            Self::Video => "video",
            Self::Phone => "phone",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OnSite => "Sur place",
            Self::Video => "En visioconférence",
            Self::Phone => "Par téléphone",
        }
    }

    pub fn parse(value: &str) -> Result<Self, AppError> {
        crate::base::validate::one_of(
            &Self::ALL,
            Self::as_str,
            value,
            "mode",
            "Choisissez la forme de l'entretien.",
        )
    }
}

/// Where a proposal stands (the `interviews.status` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum InterviewStatus {
    Proposed,
    Accepted,
    /// The candidate asked for another slot.
    Declined,
    /// A newer proposal took its place.
    Replaced,
    /// The application ended before the slot.
    Cancelled,
}

impl InterviewStatus {
    pub const ALL: [Self; 5] = [
        Self::Proposed,
        Self::Accepted,
        Self::Declined,
        Self::Replaced,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Replaced => "replaced",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "En attente de réponse",
            Self::Accepted => "Confirmé",
            Self::Declined => "Autre créneau demandé",
            Self::Replaced => "Remplacé",
            Self::Cancelled => "Annulé",
        }
    }
}

/// An application's latest interview, as both sides see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interview {
    pub id: i64,
    pub status: InterviewStatus,
    pub mode: InterviewMode,
    /// Paris time, "2026-12-10T14:30".
    pub starts: String,
    pub minutes: i32,
    /// The address, the video link or the phone number.
    pub place: String,
    pub contact: String,
    /// What the candidate wrote when asking for another slot.
    pub answer: String,
}

impl Interview {
    /// "Sur place : 3 rue des Lilas, Lyon".
    pub fn place_line(&self) -> String {
        format!("{} : {}", self.mode.label(), self.place)
    }
}

/// A recruiter proposes a slot for application `id`; `starts` is Paris
/// time as a `datetime-local` field sends it. The application moves to
/// "Entretien" and the candidate gets the proposal with its `.ics`.
#[server(prefix = "/api", endpoint = "entreprise/candidatures/entretien")]
pub async fn propose_interview(
    id: i64,
    starts: String,
    minutes: String,
    mode: String,
    place: String,
    contact: String,
) -> Result<(), AppError> {
    with_permission(Permission::ApplicationReview, |pool, user| async move {
        let slot = ssr::Slot::read(&starts, &minutes, &mode, &place, &contact)?;
        ssr::propose(&pool, &user, id, slot).await
    })
    .await
}

/// The candidate answers proposal `id`: `choice` is `accept`, or `other`
/// to ask for another slot (with an optional `answer`).
#[server(prefix = "/api", endpoint = "candidatures/entretien")]
pub async fn answer_interview(
    id: i64,
    choice: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    super::MY_APPLICATIONS
        .action(|pool, user| async move {
            let accept = match choice.as_str() {
                "accept" => true,
                "other" => false,
                _ => return Err(AppError::invalid("choice", "Réponse inconnue.")),
            };
            ssr::answer(&pool, &user, id, accept, &answer).await
        })
        .await
}

/// The slot of the candidate's application: what is proposed, and the two
/// answers while it waits for one.
#[component]
pub fn CandidateInterview(
    interview: Interview,
    answer: ServerAction<AnswerInterview>,
    /// The application is still at the interview step.
    live: bool,
) -> impl IntoView {
    let id = interview.id;
    let waiting = live && interview.status == InterviewStatus::Proposed;
    let other_id = format!("autre-creneau-{id}");
    view! {
        <div class="mt-3 rounded-lg border border-violet-200 bg-violet-50 p-3" data-interview=id data-interview-status=interview.status.as_str()>
            <p class="font-semibold text-violet-950">"Entretien · " {interview.status.label()}</p>
            <SlotLines interview=interview.clone()/>
            {waiting.then(|| view! {
                <div class="mt-3 flex flex-col gap-3 sm:flex-row sm:items-start">
                    <ActionForm action=answer>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="choice" value="accept"/>
                        <button type="submit" class="btn-primary">"Accepter ce créneau"</button>
                    </ActionForm>
                    <ActionForm action=answer attr:class="flex-1 space-y-1">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="choice" value="other"/>
                        <label for=other_id.clone() class="block text-sm font-semibold">"Vos disponibilités (facultatif)"</label>
                        <textarea id=other_id name="answer" rows="2" maxlength="1000" class="block w-full rounded-lg border border-slate-400 px-3 py-2"></textarea>
                        <button type="submit" class="btn-secondary">"Demander un autre créneau"</button>
                    </ActionForm>
                </div>
            })}
        </div>
    }
}

/// Date, place and contact of a slot, then the candidate's answer if any.
#[component]
pub fn SlotLines(interview: Interview) -> impl IntoView {
    view! {
        <p class="mt-1">{crate::base::format::french_datetime(&interview.starts)} " · " {interview.minutes} " min"</p>
        <p class="break-words">{interview.place_line()}</p>
        <p class="break-words">"Contact : " {interview.contact.clone()}</p>
        {(!interview.answer.is_empty()).then(|| view! {
            <p class="mt-1 whitespace-pre-line italic">"Réponse du candidat : « " {interview.answer.clone()} " »"</p>
        })}
    }
}

/// The recruiter's form that proposes a slot for application `id`.
#[component]
pub fn ProposeInterview(id: i64, propose: ServerAction<ProposeInterview>) -> impl IntoView {
    let field = move |name: &str| format!("entretien-{name}-{id}");
    let input = "block w-full rounded border border-slate-400 px-2 py-1";
    view! {
        <ActionForm action=propose attr:class="space-y-1">
            <input type="hidden" name="id" value=id/>
            <label for=field("date") class="block font-semibold">"Date et heure"</label>
            <input id=field("date") name="starts" type="datetime-local" required class=input/>
            <label for=field("duree") class="block font-semibold">"Durée (minutes)"</label>
            <input id=field("duree") name="minutes" type="number" min="15" max="480" step="5" value="45" required class=input/>
            <label for=field("forme") class="block font-semibold">"Forme"</label>
            <select id=field("forme") name="mode" class=input>
                {InterviewMode::ALL.into_iter().map(|m| view! { <option value=m.as_str()>{m.label()}</option> }).collect_view()}
            </select>
            <label for=field("lieu") class="block font-semibold">"Adresse, lien ou numéro"</label>
            <input id=field("lieu") name="place" type="text" required maxlength="300" class=input/>
            <label for=field("contact") class="block font-semibold">"Contact (nom, téléphone ou e-mail)"</label>
            <input id=field("contact") name="contact" type="text" required maxlength="300" class=input/>
            <button type="submit" class="btn-secondary w-full">"Proposer l'entretien"</button>
        </ActionForm>
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{Interview, InterviewMode, InterviewStatus};
    use crate::candidates::applications::ApplicationStatus;
    use crate::{
        base::error::AppError,
        base::mail::ssr::{self as mail, Attachment, InterviewSlot},
        identity::auth::AuthUser,
        organisations::requests::ssr as requests,
    };
    use chrono::{DateTime, Datelike, NaiveDateTime, Utc};

    use sqlx::PgPool;

    const MAX_PLACE: usize = 300;
    const MAX_ANSWER: usize = 1_000;

    /// A one-line field of the slot: no control character (a bare CR would
    /// start a new line in the `.ics`), [`MAX_PLACE`] characters at most.
    fn one_line(field: &str, text: &str) -> Result<String, AppError> {
        if text.chars().any(char::is_control) {
            return Err(AppError::invalid(
                field,
                "Écrivez ce champ sur une seule ligne.",
            ));
        }
        crate::organisations::profile::ssr::check_len(field, text, MAX_PLACE)
    }

    /// A proposal as the recruiter's form gave it, checked.
    pub struct Slot {
        starts: NaiveDateTime,
        minutes: i32,
        mode: InterviewMode,
        place: String,
        contact: String,
    }

    impl Slot {
        pub fn read(
            starts: &str,
            minutes: &str,
            mode: &str,
            place: &str,
            contact: &str,
        ) -> Result<Self, AppError> {
            // A year of any length parses: keep to ones the database stores.
            let starts = NaiveDateTime::parse_from_str(starts.trim(), "%Y-%m-%dT%H:%M")
                .ok()
                .filter(|at| (2000..=2100).contains(&at.year()))
                .ok_or_else(|| {
                    AppError::invalid("starts", "Indiquez la date et l'heure de l'entretien.")
                })?;
            let minutes = minutes
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|m| (15..=480).contains(m))
                .ok_or_else(|| {
                    AppError::invalid("minutes", "Une durée de 15 minutes à 8 heures.")
                })?;
            let mode = InterviewMode::parse(mode)?;
            let place = one_line("place", place)?;
            let missing = match mode {
                InterviewMode::OnSite => "Indiquez l'adresse de l'entretien.",
                InterviewMode::Video => "Indiquez le lien de la visioconférence.",
                InterviewMode::Phone => "Indiquez le numéro de téléphone.",
            };
            if place.is_empty() {
                return Err(AppError::invalid("place", missing));
            }
            if mode == InterviewMode::Video && !place.starts_with("https://") {
                return Err(AppError::invalid(
                    "place",
                    "Le lien de la visioconférence commence par https://.",
                ));
            }
            let contact = one_line("contact", contact)?;
            if contact.is_empty() {
                return Err(AppError::invalid(
                    "contact",
                    "Indiquez qui demander et comment le joindre.",
                ));
            }
            Ok(Self {
                starts,
                minutes,
                mode,
                place,
                contact,
            })
        }
    }

    /// What the e-mails and the `.ics` of one interview say.
    struct Told {
        application: i64,
        offer_id: i64,
        offer: String,
        company_id: i64,
        company: String,
        candidate_name: String,
        starts_at: DateTime<Utc>,
        interview: Interview,
        sequence: i32,
        /// `french_datetime` of the start, and the mode with the place.
        when: String,
        place: String,
    }

    impl Told {
        fn slot(&self) -> InterviewSlot<'_> {
            InterviewSlot {
                offer: &self.offer,
                company: &self.company,
                when: &self.when,
                minutes: self.interview.minutes,
                place: &self.place,
                contact: &self.interview.contact,
            }
        }

        /// The company's pipeline, on this offer.
        fn pipeline(&self) -> String {
            format!(
                "/tableau-de-bord/candidatures-recues?offre={}",
                self.offer_id
            )
        }
    }

    /// Fills what an interview's mails need from its row.
    #[allow(clippy::too_many_arguments)]
    fn told(
        application: i64,
        (offer_id, offer): (i64, String),
        (company_id, company): (i64, String),
        candidate_name: String,
        starts_at: DateTime<Utc>,
        interview: Interview,
        sequence: i32,
    ) -> Told {
        Told {
            when: crate::base::format::french_datetime(&interview.starts),
            place: interview.place_line(),
            application,
            offer_id,
            offer,
            company_id,
            company,
            candidate_name,
            starts_at,
            interview,
            sequence,
        }
    }

    /// A recruiter of the offer's company proposes `slot` for `application`,
    /// which must still be under way; the slot replaces any earlier one.
    pub async fn propose(
        pool: &PgPool,
        recruiter: &AuthUser,
        application: i64,
        slot: Slot,
    ) -> Result<(), AppError> {
        let mut tx = pool.begin().await?;
        // The application's row first, as `answer` does: no deadlock between them.
        let row = sqlx::query!(
            r#"SELECT a.status AS "status: ApplicationStatus", j.id AS offer_id, j.title,
                      j.company_id, o.name AS company, u.email, u.display_name,
                      ($3::timestamp AT TIME ZONE 'Europe/Paris') AS "starts_at!",
                      ($3::timestamp AT TIME ZONE 'Europe/Paris') > now() AS "future!",
                      ($3::timestamp AT TIME ZONE 'Europe/Paris') < now() + interval '1 year' AS "within_a_year!"
               FROM applications a
               JOIN job_offers j ON j.id = a.offer_id
               JOIN memberships m ON m.organisation_id = j.company_id AND m.user_id = $2
               JOIN organisations o ON o.id = j.company_id
               JOIN users u ON u.id = a.candidate_id
               WHERE a.id = $1
               FOR UPDATE OF a"#,
            application,
            recruiter.id,
            slot.starts
        )
        .fetch_optional(&mut *tx)
        .await?
        // Another company's application does not exist for this recruiter.
        .ok_or(AppError::NotFound)?;
        if !row.status.withdrawable() {
            return Err(AppError::invalid(
                "id",
                "Cette candidature n'est plus en cours : pas d'entretien à proposer.",
            ));
        }
        if !row.future {
            return Err(AppError::invalid("starts", "Choisissez une date à venir."));
        }
        if !row.within_a_year {
            return Err(AppError::invalid(
                "starts",
                "Choisissez une date dans l'année qui vient.",
            ));
        }
        sqlx::query!(
            "UPDATE interviews SET status = 'replaced', updated_at = now()
             WHERE application_id = $1 AND status IN ('proposed', 'accepted')",
            application
        )
        .execute(&mut *tx)
        .await?;
        let saved = sqlx::query!(
            r#"INSERT INTO interviews (application_id, proposed_by, starts_at, minutes, mode, place, contact, sequence)
               VALUES ($1, $2, $3, $4, $5, $6, $7,
                       (SELECT coalesce(max(sequence) + 1, 0) FROM interviews WHERE application_id = $1))
               RETURNING id, sequence,
                         to_char(starts_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD"T"HH24:MI') AS "starts!""#,
            application,
            recruiter.id,
            row.starts_at,
            slot.minutes,
            slot.mode.as_str(),
            slot.place,
            slot.contact
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE applications SET status = 'interview', refusal_reason = '', updated_at = now()
             WHERE id = $1",
            application
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let interview = Interview {
            id: saved.id,
            status: InterviewStatus::Proposed,
            mode: slot.mode,
            starts: saved.starts,
            minutes: slot.minutes,
            place: slot.place,
            contact: slot.contact,
            answer: String::new(),
        };
        let told = told(
            application,
            (row.offer_id, row.title),
            (row.company_id, row.company),
            row.display_name,
            row.starts_at,
            interview,
            saved.sequence,
        );
        let page = super::super::MY_APPLICATIONS.path;
        requests::tell_candidate(&row.email, page, "interview", |link| {
            mail::interview_proposed(&told.candidate_name, &told.slot(), link)
                .with_attachment(calendar(&told, icalendar::EventStatus::Tentative))
        })
        .await;
        Ok(())
    }

    /// The candidate accepts proposal `id`, or asks for another slot with
    /// `answer`; only while it waits and the application is at that step.
    pub async fn answer(
        pool: &PgPool,
        candidate: &AuthUser,
        id: i64,
        accept: bool,
        answer: &str,
    ) -> Result<(), AppError> {
        let answer = if accept {
            String::new()
        } else {
            // Line breaks as `\n` only: the `.ics` escapes those, not a bare CR.
            let answer = answer.replace("\r\n", "\n");
            if answer.chars().any(|c| c.is_control() && c != '\n') {
                return Err(AppError::invalid(
                    "answer",
                    "Ce texte contient des caractères invalides.",
                ));
            }
            crate::organisations::profile::ssr::check_len("answer", &answer, MAX_ANSWER)?
        };
        let mut tx = pool.begin().await?;
        // The application's row first, as `propose` does.
        sqlx::query_scalar!(
            "SELECT a.id FROM applications a JOIN interviews i ON i.application_id = a.id
             WHERE i.id = $1 AND a.candidate_id = $2
             FOR UPDATE OF a",
            id,
            candidate.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let row = sqlx::query!(
            r#"SELECT i.application_id, i.status AS "status: InterviewStatus",
                      i.mode AS "mode: InterviewMode", i.starts_at, i.minutes, i.place, i.contact, i.sequence,
                      to_char(i.starts_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD"T"HH24:MI') AS "starts!",
                      a.status AS "application_status: ApplicationStatus",
                      i.starts_at > now() AS "ahead!",
                      j.id AS offer_id, j.title, j.company_id, o.name AS company
               FROM interviews i
               JOIN applications a ON a.id = i.application_id
               JOIN job_offers j ON j.id = a.offer_id
               JOIN organisations o ON o.id = j.company_id
               WHERE i.id = $1"#,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        if row.status != InterviewStatus::Proposed
            || row.application_status != ApplicationStatus::Interview
        {
            return Err(AppError::invalid(
                "id",
                "Cette proposition d'entretien n'attend plus de réponse.",
            ));
        }
        if accept && !row.ahead {
            return Err(AppError::invalid(
                "id",
                "Ce créneau est passé : demandez-en un autre.",
            ));
        }
        let (status, sequence) = if accept {
            (InterviewStatus::Accepted, row.sequence + 1)
        } else {
            (InterviewStatus::Declined, row.sequence)
        };
        sqlx::query!(
            "UPDATE interviews SET status = $2, answer = $3, sequence = $4, updated_at = now() WHERE id = $1",
            id,
            status.as_str(),
            answer,
            sequence
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE applications SET updated_at = now() WHERE id = $1",
            row.application_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let interview = Interview {
            id,
            status,
            mode: row.mode,
            starts: row.starts,
            minutes: row.minutes,
            place: row.place,
            contact: row.contact,
            answer,
        };
        let told = told(
            row.application_id,
            (row.offer_id, row.title),
            (row.company_id, row.company),
            candidate.display_name.clone(),
            row.starts_at,
            interview,
            sequence,
        );
        let pipeline = told.pipeline();
        if accept {
            let ics = calendar(&told, icalendar::EventStatus::Confirmed);
            requests::tell_members(
                pool,
                told.company_id,
                &pipeline,
                "interview",
                |name, link| {
                    mail::interview_accepted(name, &told.candidate_name, &told.slot(), link)
                        .with_attachment(ics.clone())
                },
            )
            .await
            // The answer is saved: a failure to tell is logged, not the caller's.
            .unwrap_or_else(|error| tracing::warn!(%error, "interview e-mails not sent"));
            let page = super::super::MY_APPLICATIONS.path;
            requests::tell_candidate(&candidate.email, page, "interview", |link| {
                mail::interview_confirmed(&told.candidate_name, &told.slot(), link)
                    .with_attachment(ics.clone())
            })
            .await;
        } else {
            requests::tell_members(
                pool,
                told.company_id,
                &pipeline,
                "interview",
                |name, link| {
                    mail::interview_declined(
                        name,
                        &told.candidate_name,
                        &told.offer,
                        &told.interview.answer,
                        link,
                    )
                },
            )
            .await
            .unwrap_or_else(|error| tracing::warn!(%error, "interview e-mails not sent"));
        }
        Ok(())
    }

    /// The latest interview of each application in `ids`.
    pub async fn latest(
        pool: &PgPool,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Interview>, AppError> {
        let rows = sqlx::query!(
            r#"SELECT DISTINCT ON (application_id) application_id, id,
                      status AS "status: InterviewStatus", mode AS "mode: InterviewMode",
                      to_char(starts_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD"T"HH24:MI') AS "starts!",
                      minutes, place, contact, answer
               FROM interviews WHERE application_id = ANY($1)
               ORDER BY application_id, created_at DESC, id DESC"#,
            ids
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let interview = Interview {
                    id: r.id,
                    status: r.status,
                    mode: r.mode,
                    starts: r.starts,
                    minutes: r.minutes,
                    place: r.place,
                    contact: r.contact,
                    answer: r.answer,
                };
                (r.application_id, interview)
            })
            .collect())
    }

    /// Tells the other side that interview `id`, cancelled when its
    /// application ended (`by_candidate`: withdrawn; else declined or hired),
    /// is off: an e-mail whose `.ics` removes the event from their calendar.
    /// The change is saved: a failure to tell is logged.
    pub async fn tell_cancelled(pool: &PgPool, id: i64, by_candidate: bool) {
        if let Err(error) = cancelled_mails(pool, id, by_candidate).await {
            tracing::warn!(%error, "interview cancellation e-mails not sent");
        }
    }

    async fn cancelled_mails(pool: &PgPool, id: i64, by_candidate: bool) -> Result<(), AppError> {
        let row = sqlx::query!(
            r#"SELECT i.application_id, i.mode AS "mode: InterviewMode", i.starts_at, i.minutes, i.place,
                      i.contact, i.sequence, i.answer,
                      to_char(i.starts_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD"T"HH24:MI') AS "starts!",
                      j.id AS offer_id, j.title, j.company_id, o.name AS company,
                      u.email, u.display_name
               FROM interviews i
               JOIN applications a ON a.id = i.application_id
               JOIN job_offers j ON j.id = a.offer_id
               JOIN organisations o ON o.id = j.company_id
               JOIN users u ON u.id = a.candidate_id
               WHERE i.id = $1"#,
            id
        )
        .fetch_one(pool)
        .await?;
        let interview = Interview {
            id,
            status: InterviewStatus::Cancelled,
            mode: row.mode,
            starts: row.starts,
            minutes: row.minutes,
            place: row.place,
            contact: row.contact,
            answer: row.answer,
        };
        let told = told(
            row.application_id,
            (row.offer_id, row.title),
            (row.company_id, row.company),
            row.display_name,
            row.starts_at,
            interview,
            row.sequence,
        );
        let ics = calendar(&told, icalendar::EventStatus::Cancelled);
        if by_candidate {
            let why = format!("{} a retiré sa candidature", told.candidate_name);
            requests::tell_members(
                pool,
                told.company_id,
                &told.pipeline(),
                "interview",
                |name, link| {
                    mail::interview_cancelled(name, &why, &told.slot(), link)
                        .with_attachment(ics.clone())
                },
            )
            .await
        } else {
            let page = super::super::MY_APPLICATIONS.path;
            requests::tell_candidate(&row.email, page, "interview", |link| {
                mail::interview_cancelled(
                    &told.candidate_name,
                    "votre candidature a pris fin",
                    &told.slot(),
                    link,
                )
                .with_attachment(ics)
            })
            .await;
            Ok(())
        }
    }

    /// The `.ics` of an interview: one event, UTC times, the same UID for
    /// every slot of one application so that calendars update it (a higher
    /// SEQUENCE wins), `status` saying whether it waits, stands or is off.
    fn calendar(told: &Told, status: icalendar::EventStatus) -> Attachment {
        use icalendar::{Calendar, Component, EventLike};
        let site = crate::base::site::use_site();
        let host = site
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or("passerelle")
            .trim_end_matches('/');
        let event = icalendar::Event::new()
            .uid(&format!("entretien-{}@{host}", told.application))
            .sequence(u32::try_from(told.sequence).unwrap_or_default())
            .summary(&format!("Entretien : {} ({})", told.offer, told.company))
            .starts(told.starts_at)
            .ends(told.starts_at + chrono::Duration::minutes(i64::from(told.interview.minutes)))
            .location(&told.interview.place_line())
            .description(&format!(
                "Candidature de {} à l'offre « {} ».\nContact : {}\n{}",
                told.candidate_name,
                told.offer,
                told.interview.contact,
                site.url("/tableau-de-bord/candidatures")
            ))
            .status(status)
            .done();
        let mut calendar = Calendar::new();
        calendar.append_property(("METHOD", "PUBLISH"));
        calendar.push(event);
        Attachment {
            name: "entretien.ics".to_owned(),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
            body: calendar.done().to_string(),
        }
    }
}

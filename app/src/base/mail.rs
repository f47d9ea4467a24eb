//! Outgoing e-mail: French, HTML and plain text, over real SMTP (lettre).
//! Links are absolute, built from the public base URL.

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::base::error::AppError;
    use html_escape::{encode_double_quoted_attribute, encode_text};
    use lettre::{
        AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
        message::{Mailbox, MultiPart, header::ContentType},
    };
    use std::time::Duration;

    /// A message ready to send.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Email {
        pub subject: String,
        pub text: String,
        pub html: String,
        pub attachment: Option<Attachment>,
    }

    /// A file sent with a message (an interview's `.ics`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Attachment {
        pub name: String,
        /// The full `Content-Type`, parameters included.
        pub content_type: String,
        pub body: String,
    }

    impl Email {
        pub fn with_attachment(mut self, attachment: Attachment) -> Self {
            self.attachment = Some(attachment);
            self
        }
    }

    /// The SMTP connection settings and the sender, shared by the whole app.
    /// Runs `work` (an e-mail, say) after the answer, which must not wait
    /// for it. Its span is a trace of its own, linked to the request's, so
    /// that the request's span ends with its answer; its log lines carry
    /// the request's trace id (its `X-Request-Id`).
    pub fn after_answer(
        name: &'static str,
        work: impl std::future::Future<Output = ()> + Send + 'static,
    ) {
        let request = leptos::prelude::use_context::<http::request::Parts>();
        let trace_id = request
            .as_ref()
            .and_then(|parts| parts.headers.get("x-request-id"))
            .and_then(|value| value.to_str().ok())
            .unwrap_or("-");
        let span = tracing::info_span!(parent: None, "after_answer", otel.name = name, trace_id);
        span.follows_from(tracing::Span::current());
        tokio::spawn(tracing::Instrument::instrument(work, span));
    }

    #[derive(Clone)]
    pub struct Mailer {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    }

    impl Mailer {
        /// `smtp://host:port` (plain, for local sinks) or `smtps://user:pass@host`.
        pub fn new(smtp_url: &str, from: &str) -> Result<Self, String> {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
                .map_err(|e| format!("SMTP_URL: {e}"))?
                .timeout(Some(Duration::from_secs(10)))
                .build();
            let from = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
            Ok(Self { transport, from })
        }

        pub async fn send(&self, to: &str, email: Email) -> Result<(), AppError> {
            self.send_with_headers(to, email, &[]).await
        }

        /// Sends with extra headers, e.g. `List-Unsubscribe` on alert digests.
        pub async fn send_with_headers(
            &self,
            to: &str,
            email: Email,
            headers: &[(&'static str, String)],
        ) -> Result<(), AppError> {
            let to: Mailbox = to
                .parse()
                .map_err(|_| AppError::invalid("email", "Adresse e-mail invalide."))?;
            let mut builder = Message::builder().from(self.from.clone()).to(to);
            for (name, value) in headers {
                use lettre::message::header::{HeaderName, HeaderValue};
                let name = HeaderName::new_from_ascii((*name).to_owned()).map_err(|_| {
                    tracing::error!(name, "invalid e-mail header name");
                    AppError::Internal
                })?;
                builder = builder.raw_header(HeaderValue::new(name, value.clone()));
            }
            let body = MultiPart::alternative_plain_html(email.text, email.html);
            let body = match email.attachment {
                None => body,
                Some(file) => {
                    let content_type = ContentType::parse(&file.content_type).map_err(|error| {
                        tracing::error!(%error, "an attachment's content type");
                        AppError::Internal
                    })?;
                    MultiPart::mixed().multipart(body).singlepart(
                        lettre::message::Attachment::new(file.name).body(file.body, content_type),
                    )
                }
            };
            let message = builder
                .subject(email.subject)
                .multipart(body)
                .map_err(|error| {
                    tracing::error!(%error, "building an e-mail");
                    AppError::Internal
                })?;
            // A span of its own: the SMTP exchange is an outgoing call.
            let sending = self.transport.send(message);
            let span = tracing::info_span!("smtp.send", otel.kind = "client");
            tracing::Instrument::instrument(sending, span)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "sending an e-mail");
                    AppError::Internal
                })?;
            Ok(())
        }
    }

    /// The mailer the server put in the Leptos context.
    pub fn mailer() -> Result<Mailer, AppError> {
        leptos::prelude::use_context::<Mailer>().ok_or_else(|| {
            tracing::error!("no Mailer in the Leptos context");
            AppError::Internal
        })
    }

    /// Wraps a message in the common layout: greeting, paragraphs, one button.
    fn compose(
        subject: &str,
        name: &str,
        paragraphs: &[&str],
        action: Option<(&str, &str)>,
    ) -> Email {
        let greeting = if name.is_empty() {
            "Bonjour,".to_owned()
        } else {
            format!("Bonjour {name},")
        };
        let mut text = format!("{greeting}\n\n");
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:Arial,sans-serif;color:#0f172a;line-height:1.5\">\
             <p>{}</p>",
            encode_text(&greeting)
        );
        for p in paragraphs {
            text.push_str(p);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", encode_text(p)));
        }
        if let Some((label, url)) = action {
            text.push_str(&format!("{label} : {url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;background:#1f47b8;color:#fff;\
                 padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:bold\">{label}</a></p>\
                 <p style=\"font-size:13px;color:#475569\">Ou copiez ce lien : {url}</p>",
                url = encode_text(url),
                label = encode_text(label)
            ));
        }
        text.push_str("L'équipe Passerelle\n");
        html.push_str("<p>L'équipe Passerelle</p></body></html>");
        Email {
            subject: subject.to_owned(),
            text,
            html,
            attachment: None,
        }
    }

    /// Double opt-in: nothing is sent to the address until this is clicked.
    pub fn newsletter_confirm(confirm_link: &str, unsubscribe_link: &str) -> Email {
        compose(
            "Confirmez votre inscription à la lettre de Passerelle",
            "",
            &[
                "Vous (ou quelqu'un qui a saisi votre adresse) avez demandé à recevoir la lettre \
                 mensuelle de Passerelle : formations qui démarrent, offres qui recrutent.",
                "Sans confirmation, vous ne recevrez rien et votre adresse sera effacée d'ici 7 jours.",
                &format!("Pour ne plus rien recevoir de notre part : {unsubscribe_link}"),
            ],
            Some(("Confirmer mon inscription", confirm_link)),
        )
    }

    /// RFC 2369 / 8058 headers: mail clients offer a one-click unsubscribe
    /// that POSTs to the link.
    pub fn unsubscribe_headers(link: &str) -> [(&'static str, String); 2] {
        [
            ("List-Unsubscribe", format!("<{link}>")),
            (
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_owned(),
            ),
        ]
    }

    pub fn verify_email(name: &str, link: &str) -> Email {
        compose(
            "Confirmez votre adresse e-mail",
            name,
            &[
                "Bienvenue sur Passerelle ! Pour activer toutes les fonctions de votre compte \
                 (postuler, demander une inscription, publier), confirmez votre adresse.",
                "Ce lien est valable 48 heures et ne sert qu'une fois.",
            ],
            Some(("Confirmer mon adresse", link)),
        )
    }

    /// Sent when someone signs up with an address that already has an account:
    /// the form said the same as for a new address, the owner learns the truth.
    pub fn already_registered(name: &str, sign_in: &str) -> Email {
        compose(
            "Vous avez déjà un compte Passerelle",
            name,
            &[
                "Quelqu'un (vous, sans doute) a voulu créer un compte avec cette adresse, \
                 qui en a déjà un. Aucun nouveau compte n'a été créé.",
                "Si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié » \
                 sur la page de connexion. Si ce n'était pas vous, ignorez ce message.",
            ],
            Some(("Me connecter", sign_in)),
        )
    }

    pub fn reset_password(name: &str, link: &str) -> Email {
        compose(
            "Réinitialisez votre mot de passe",
            name,
            &[
                "Vous avez demandé à changer le mot de passe de votre compte Passerelle.",
                "Ce lien est valable une heure et ne sert qu'une fois. Toutes vos sessions \
                 ouvertes seront fermées. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
            ],
            Some(("Choisir un nouveau mot de passe", link)),
        )
    }

    pub fn invitation(inviter: &str, organisation: &str, link: &str) -> Email {
        compose(
            &format!("Rejoignez {organisation} sur Passerelle"),
            "",
            &[
                &format!("{inviter} vous invite à rejoindre {organisation} sur Passerelle."),
                "Le lien est valable 7 jours.",
            ],
            Some(("Accepter l'invitation", link)),
        )
    }

    /// To a centre's members: a candidate asked to join a training.
    pub fn enrolment_received(candidate: &str, training: &str, session: &str, link: &str) -> Email {
        compose(
            &format!("Nouvelle demande d'inscription : {training}"),
            "",
            &[
                &format!("{candidate} demande à s'inscrire à « {training} » ({session})."),
                "Répondez-lui depuis votre tableau de bord : étude, acceptation ou refus motivé.",
            ],
            Some(("Voir la demande", link)),
        )
    }

    /// To the other side of a request: `from` wrote a new message about it.
    pub fn request_message(name: &str, from: &str, request: Request, link: &str) -> Email {
        let (title, about) = match request {
            Request::Enrolment { training } => (
                training,
                format!("la demande d'inscription à « {training} »"),
            ),
            Request::Application { offer, company } => (
                offer,
                format!("la candidature à l'offre « {offer} » ({company})"),
            ),
        };
        compose(
            &format!("Nouveau message : {title}"),
            name,
            &[&format!("{from} vous a écrit au sujet de {about}.")],
            Some(("Lire le message", link)),
        )
    }

    /// To a company's members: a candidate applied to one of its offers.
    pub fn application_received(candidate: &str, offer: &str, link: &str) -> Email {
        compose(
            &format!("Nouvelle candidature : {offer}"),
            "",
            &[
                &format!("{candidate} a postulé à votre offre « {offer} »."),
                "Retrouvez son message, son profil et son CV dans vos candidatures reçues.",
            ],
            Some(("Voir la candidature", link)),
        )
    }

    /// To the candidate: their application left, and where to follow it.
    pub fn application_sent(name: &str, offer: &str, link: &str) -> Email {
        compose(
            &format!("Candidature envoyée : {offer}"),
            name,
            &[
                &format!(
                    "Votre candidature à l'offre « {offer} » a bien été transmise au recruteur."
                ),
                "Chaque étape vous sera signalée par e-mail ; vous pouvez aussi suivre sa progression dans « Mes candidatures ».",
            ],
            Some(("Suivre ma candidature", link)),
        )
    }

    /// To the candidate: their enrolment request left, and where to follow it.
    pub fn enrolment_sent(name: &str, training: &str, session: &str, link: &str) -> Email {
        compose(
            &format!("Demande d'inscription envoyée : {training}"),
            name,
            &[
                &format!(
                    "Votre demande d'inscription à « {training} » ({session}) a bien été transmise au centre de formation."
                ),
                "Sa réponse vous sera signalée par e-mail ; vous pouvez suivre la demande et échanger avec le centre dans « Mes inscriptions ».",
            ],
            Some(("Suivre ma demande", link)),
        )
    }

    /// To a company's members: a candidate withdrew their application.
    pub fn application_withdrawn(name: &str, candidate: &str, offer: &str, link: &str) -> Email {
        compose(
            &format!("Candidature retirée : {offer}"),
            name,
            &[&format!(
                "{candidate} a retiré sa candidature à votre offre « {offer} »."
            )],
            Some(("Voir les candidatures", link)),
        )
    }

    /// An interview as its e-mails describe it.
    #[derive(Clone, Copy, Debug)]
    pub struct InterviewSlot<'a> {
        pub offer: &'a str,
        pub company: &'a str,
        /// "jeudi 10 décembre 2026 à 14 h 30".
        pub when: &'a str,
        pub minutes: i32,
        /// "Sur place : 3 rue …", "En visioconférence : https://…".
        pub place: &'a str,
        pub contact: &'a str,
    }

    impl InterviewSlot<'_> {
        fn lines(&self) -> [String; 3] {
            [
                format!("Date : {} (durée : {} min)", self.when, self.minutes),
                self.place.to_owned(),
                format!("Contact : {}", self.contact),
            ]
        }
    }

    /// `opening`, the slot's lines, then `closing`, as one e-mail's paragraphs.
    fn interview_mail(
        subject: &str,
        name: &str,
        opening: String,
        slot: &InterviewSlot,
        closing: &str,
        action: (&str, &str),
    ) -> Email {
        let lines = slot.lines();
        let mut paragraphs = vec![opening.as_str()];
        paragraphs.extend(lines.iter().map(String::as_str));
        paragraphs.push(closing);
        compose(subject, name, &paragraphs, Some(action))
    }

    /// To the candidate: a recruiter proposes an interview.
    pub fn interview_proposed(name: &str, slot: &InterviewSlot, link: &str) -> Email {
        interview_mail(
            &format!("Entretien proposé : {}", slot.offer),
            name,
            format!(
                "{} vous propose un entretien pour l'offre « {} ».",
                slot.company, slot.offer
            ),
            slot,
            "Acceptez ce créneau ou demandez-en un autre depuis « Mes candidatures ». Le fichier joint l'ajoute à votre agenda.",
            ("Répondre à la proposition", link),
        )
    }

    /// To the candidate who accepted: the interview stands.
    pub fn interview_confirmed(name: &str, slot: &InterviewSlot, link: &str) -> Email {
        interview_mail(
            &format!("Entretien confirmé : {}", slot.offer),
            name,
            format!(
                "Vous avez accepté l'entretien avec {} pour l'offre « {} ».",
                slot.company, slot.offer
            ),
            slot,
            "Le fichier joint l'ajoute à votre agenda. Un empêchement ? Écrivez au recruteur depuis « Mes candidatures ».",
            ("Suivre ma candidature", link),
        )
    }

    /// To a company's members: the candidate accepted the interview.
    pub fn interview_accepted(
        name: &str,
        candidate: &str,
        slot: &InterviewSlot,
        link: &str,
    ) -> Email {
        interview_mail(
            &format!("Entretien accepté : {}", slot.offer),
            name,
            format!(
                "{candidate} a accepté l'entretien pour l'offre « {} ».",
                slot.offer
            ),
            slot,
            "Le fichier joint l'ajoute à votre agenda.",
            ("Voir la candidature", link),
        )
    }

    /// To the other side: the application ended (declined, hired or
    /// withdrawn) before its interview, which is off.
    pub fn interview_cancelled(name: &str, why: &str, slot: &InterviewSlot, link: &str) -> Email {
        interview_mail(
            &format!("Entretien annulé : {}", slot.offer),
            name,
            format!(
                "L'entretien prévu pour l'offre « {} » ({}) est annulé : {why}.",
                slot.offer, slot.company
            ),
            slot,
            "Le fichier joint le retire de votre agenda.",
            ("Voir la candidature", link),
        )
    }

    /// To a company's members: the candidate asks for another slot.
    pub fn interview_declined(
        name: &str,
        candidate: &str,
        offer: &str,
        answer: &str,
        link: &str,
    ) -> Email {
        let opening = format!(
            "{candidate} ne peut pas venir au créneau proposé pour l'offre « {offer} » et en demande un autre."
        );
        let answer = (!answer.is_empty()).then(|| format!("Son message : {answer}"));
        let mut paragraphs = vec![opening.as_str()];
        paragraphs.extend(answer.as_deref());
        paragraphs.push("Proposez un nouveau créneau depuis vos candidatures reçues.");
        compose(
            &format!("Autre créneau demandé : {offer}"),
            name,
            &paragraphs,
            Some(("Proposer un créneau", link)),
        )
    }

    /// What a status e-mail is about.
    #[derive(Clone, Copy, Debug)]
    pub enum Request<'a> {
        /// An enrolment request for a training (reviewed by the centre).
        Enrolment { training: &'a str },
        /// An application to an offer (moved by the company).
        Application { offer: &'a str, company: &'a str },
    }

    /// To the candidate (or, for a withdrawal, the centre): a request's new
    /// `status`, then the reason its reviewer gave, if any.
    pub fn request_status(
        name: &str,
        request: Request,
        status: &str,
        reason: &str,
        link: &str,
    ) -> Email {
        let (subject, news, reviewer, button) = match request {
            Request::Enrolment { training } => (
                format!("Votre demande pour « {training} » : {status}"),
                format!("Votre demande d'inscription à « {training} » est maintenant : {status}."),
                "le centre",
                "Suivre mes inscriptions",
            ),
            Request::Application { offer, company } => (
                format!("Votre candidature « {offer} » : {status}"),
                format!(
                    "Votre candidature à l'offre « {offer} » ({company}) est maintenant : {status}."
                ),
                "l'entreprise",
                "Suivre mes candidatures",
            ),
        };
        let mut paragraphs = vec![news];
        if !reason.is_empty() {
            paragraphs.push(format!("Motif indiqué par {reviewer} : {reason}"));
        }
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        compose(&subject, name, &paragraphs, Some((button, link)))
    }

    /// What an alert digest lists: job offers or trainings.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum DigestOf {
        Offers,
        Trainings,
    }

    impl DigestOf {
        /// The noun, singular and plural.
        fn nouns(self) -> (&'static str, &'static str) {
            match self {
                Self::Offers => ("offre", "offres"),
                Self::Trainings => ("formation", "formations"),
            }
        }
    }

    /// One offer or training in an alert digest.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DigestItem {
        pub title: String,
        /// The company, or the training centre.
        pub organisation: String,
        /// "Lyon · CDI", "Lyon · Présentiel · 400 h" and the like.
        pub facts: String,
        pub link: String,
    }

    /// To a candidate: new offers or trainings for one of their saved
    /// searches. The unsubscribe link works without signing in.
    pub fn alert_digest(
        of: DigestOf,
        name: &str,
        label: &str,
        items: &[DigestItem],
        more: bool,
        search_link: &str,
        unsubscribe_link: &str,
    ) -> Email {
        let (one, many) = of.nouns();
        let subject = if items.len() == 1 {
            format!("1 nouvelle {one} pour « {label} »")
        } else {
            format!("{} nouvelles {many} pour « {label} »", items.len())
        };
        let greeting = if name.is_empty() {
            "Bonjour,".to_owned()
        } else {
            format!("Bonjour {name},")
        };
        let intro =
            format!("Voici les nouvelles {many} qui correspondent à votre alerte « {label} » :");
        let mut text = format!("{greeting}\n\n{intro}\n\n");
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:Arial,sans-serif;color:#0f172a;line-height:1.5\">\
             <p>{}</p><p>{}</p><ul>",
            encode_text(&greeting),
            encode_text(&intro)
        );
        for item in items {
            text.push_str(&format!(
                "- {} — {} · {}\n  {}\n",
                item.title, item.organisation, item.facts, item.link
            ));
            html.push_str(&format!(
                "<li style=\"margin-bottom:12px\"><a href=\"{}\" style=\"color:#1f47b8;font-weight:bold\">{}</a><br>{} · {}</li>",
                encode_double_quoted_attribute(&item.link),
                encode_text(&item.title),
                encode_text(&item.organisation),
                encode_text(&item.facts)
            ));
        }
        html.push_str("</ul>");
        if more {
            text.push_str("\nEt d'autres encore sur le site.\n");
            html.push_str("<p>Et d'autres encore sur le site.</p>");
        }
        text.push_str(&format!(
            "\nVoir toutes les {many} de cette recherche : {search_link}\n\n"
        ));
        html.push_str(&format!(
            "<p><a href=\"{}\" style=\"display:inline-block;background:#1f47b8;color:#fff;\
             padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:bold\">Voir toutes les {many}</a></p>",
            encode_double_quoted_attribute(search_link)
        ));
        text.push_str("L'équipe Passerelle\n\n");
        text.push_str(&format!(
            "Vous recevez cet e-mail car vous avez créé cette alerte. Pour ne plus la recevoir : {unsubscribe_link}\n"
        ));
        html.push_str(&format!(
            "<p>L'équipe Passerelle</p><p style=\"font-size:13px;color:#475569\">Vous recevez cet e-mail car vous avez créé cette alerte. \
             <a href=\"{}\" style=\"color:#475569\">Se désabonner de cette alerte</a></p></body></html>",
            encode_double_quoted_attribute(unsubscribe_link)
        ));
        Email {
            subject,
            text,
            html,
            attachment: None,
        }
    }

    /// To an owner: moderation withdrew `what` ("l'offre", …) and why.
    pub fn content_withdrawn(
        name: &str,
        what: &str,
        title: &str,
        reason: &str,
        link: &str,
    ) -> Email {
        compose(
            &format!("Votre contenu « {title} » a été retiré de Passerelle"),
            name,
            &[
                &format!(
                    "L'équipe de modération de Passerelle a retiré {what} « {title} » du site. \
                     Ce contenu n'est plus visible et ne peut pas être republié."
                ),
                &format!("Motif : {reason}"),
                "Pour toute question, contactez l'équipe Passerelle en citant ce titre.",
            ],
            Some(("Ouvrir mon tableau de bord", link)),
        )
    }

    /// To an organisation's members: an admin approved it. `listings` is
    /// what it publishes ("vos formations", "vos offres d'emploi").
    pub fn organisation_approved(
        name: &str,
        organisation: &str,
        listings: &str,
        public_link: &str,
        link: &str,
    ) -> Email {
        compose(
            &format!("Votre organisation « {organisation} » est validée sur Passerelle"),
            name,
            &[
                &format!(
                    "Bonne nouvelle : l'équipe Passerelle a validé votre organisation « {organisation} »."
                ),
                &format!(
                    "Sa page publique est en ligne, et {listings} publiées sont désormais visibles de tous : {public_link}"
                ),
            ],
            Some(("Ouvrir mon tableau de bord", link)),
        )
    }

    /// To an organisation's members: an admin refused it, why, and how to
    /// send it back to the queue (`link`: the profile to correct).
    pub fn organisation_refused(name: &str, organisation: &str, reason: &str, link: &str) -> Email {
        compose(
            &format!("Votre organisation « {organisation} » n'a pas été validée"),
            name,
            &[
                &format!(
                    "L'équipe Passerelle n'a pas pu valider votre organisation « {organisation} » : \
                     elle n'est pas visible sur le site pour l'instant."
                ),
                &format!("Motif : {reason}"),
                "Pour la soumettre à nouveau, corrigez ou complétez sa fiche depuis votre tableau de bord, \
                 puis enregistrez-la : notre équipe l'examinera de nouveau et vous répondra par e-mail.",
            ],
            Some(("Corriger la fiche", link)),
        )
    }

    /// A newsletter issue: its text as the editor wrote it (paragraphs
    /// separated by blank lines, each escaped like every e-mail text), and
    /// the subscriber's own unsubscribe link.
    pub fn newsletter_issue(subject: &str, body: &str, unsubscribe_link: &str) -> Email {
        let mut paragraphs: Vec<String> = body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        paragraphs.push(format!(
            "Vous recevez cette lettre parce que vous y êtes inscrit. Pour ne plus la recevoir : {unsubscribe_link}"
        ));
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        compose(subject, "", &paragraphs, None)
    }

    /// To a company's members: an offer goes offline in a few days.
    pub fn expiry_reminder(name: &str, offer: &str, expires_on: &str, link: &str) -> Email {
        compose(
            &format!("Votre offre « {offer} » expire bientôt"),
            name,
            &[
                &format!("Votre offre « {offer} » expire le {expires_on}."),
                "Pour la garder en ligne, renouvelez-la depuis votre tableau de bord. \
                 Si le poste est pourvu, indiquez-le : les candidats le verront.",
            ],
            Some(("Gérer mes offres", link)),
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn user_text_is_escaped_in_html_but_kept_in_text() {
            let email = verify_email(
                "<script>x</script>",
                "https://passerelle.example/verifier?t=a&b=c",
            );
            assert!(!email.html.contains("<script>"));
            assert!(email.html.contains("&lt;script&gt;"));
            assert!(
                email
                    .html
                    .contains("https://passerelle.example/verifier?t=a&amp;b=c")
            );
            assert!(email.text.contains("Bonjour <script>x</script>,"));
            assert!(
                email
                    .text
                    .contains("https://passerelle.example/verifier?t=a&b=c")
            );
        }
    }
}

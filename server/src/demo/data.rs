//! The demo data files of `server/data/demo/`, embedded in the binary with
//! `include_str!` and parsed on first use. `server/data/demo/README.md`
//! describes each file; the structs below are their format, field for field.
//! Every struct refuses unknown fields, so a misspelt field name stops the
//! seed (and the tests) instead of being silently dropped.
//!
//! The order of the entries matters: the seed numbers centres, companies and
//! offers in file order, and the benches draw templates by index. Appending
//! is safe; reordering or removing changes the generated data.

use serde::Deserialize;
use std::sync::LazyLock;

/// How a training is taught, as stored in `trainings.modality`; in the files
/// `"presentiel"`, `"distanciel"` or `"hybride"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Modality {
    Presentiel,
    Distanciel,
    Hybride,
}

impl Modality {
    pub(crate) fn as_db(self) -> &'static str {
        match self {
            Self::Presentiel => "presentiel",
            Self::Distanciel => "distanciel",
            Self::Hybride => "hybride",
        }
    }
}

/// The certification a training leads to; in the files an object tagged by
/// `kind`: `{"kind": "none"}`, `{"kind": "rncp", "code": "RNCP37674",
/// "level": 5}` or `{"kind": "rs", "code": "RS5735"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub(crate) enum Cert {
    /// An attestation de fin de formation only.
    None,
    /// A title of the Répertoire national; level 3 = CAP … 8 = doctorat.
    Rncp { code: String, level: i16 },
    /// Répertoire spécifique: no level.
    Rs { code: String },
}

/// `trainings.json`: `{"about": "…", "trainings": [TrainingTemplate, …]}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrainingsFile {
    /// `about`: what the file is, for whoever opens it; the seed ignores it.
    #[serde(rename = "about")]
    pub _about: String,
    pub trainings: Vec<TrainingTemplate>,
}

/// A training as a centre would describe it; centres in several cities may
/// offer the same one (the slug carries the city).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrainingTemplate {
    /// Unique; what `centres.json` refers to.
    pub key: String,
    /// At most 110 characters: the slug and the bench titles add a city.
    pub title: String,
    pub summary: String,
    /// First paragraph of the description.
    pub intro: String,
    /// Bullets of "Au programme".
    pub modules: Vec<String>,
    /// Jobs it leads to ("Et après ?"); may be empty.
    pub jobs: Vec<String>,
    /// One line each in `trainings.objectives`.
    pub objectives: Vec<String>,
    pub prerequisites: String,
    /// Names from the `skills` table.
    pub skills: Vec<String>,
    pub cert: Cert,
    pub cpf: bool,
    /// Each centre's copy draws one of them.
    pub modalities: Vec<Modality>,
    pub hours: i32,
    /// Indicative price in euros; 0 = free for the learner.
    pub price_eur: i32,
    /// Funders besides the CPF (added when `cpf`): keys of
    /// `app::trainings::FUNDING`.
    pub funding: Vec<String>,
    /// Entries all year round rather than sessions at fixed dates.
    pub rolling: bool,
}

/// `centres.json`: `{"about": "…", "institut_lumiere_formation": [key, …],
/// "centres": [Centre, …]}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CentresFile {
    /// `about`: what the file is, for whoever opens it; the seed ignores it.
    #[serde(rename = "about")]
    pub _about: String,
    /// Training keys of Institut Lumière Formation (Lyon), the demo centre
    /// that `seed::DEMO_ORGANISATIONS` creates.
    pub institut_lumiere_formation: Vec<String>,
    /// The other centres, each created with its owner.
    pub centres: Vec<Centre>,
}

/// What `centres.json` and `companies.json` say alike of an organisation.
/// It is flattened into `Centre` and `Company`, which refuse unknown fields.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Listed {
    /// Unique; its slug names the owner's e-mail and the website.
    pub name: String,
    /// INSEE code of its commune (a company's head office).
    pub commune: String,
    pub city: String,
    pub address: String,
    /// The owner's name: the centre's manager, the company's recruiter.
    pub owner: String,
    /// First digits of the phone number: the ARCEP range kept for fiction
    /// in the organisation's zone, so no real subscriber is ever called.
    pub phone_prefix: String,
    /// First paragraph of its description (Markdown paragraphs).
    pub pitch: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Centre {
    #[serde(flatten)]
    pub listed: Listed,
    pub qualiopi: bool,
    /// Keys of `trainings.json`.
    pub trainings: Vec<String>,
}

/// Where a job is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Remote {
    /// `"site"`: on site only.
    Site,
    /// `"hybrid"`: on site, or hybrid.
    Hybrid,
    /// `"any"`: any mode, fully remote included.
    Any,
}

/// `jobs.json`: `{"about": "…", "benefits": [text, …], "jobs": [JobTemplate, …]}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JobsFile {
    /// `about`: what the file is, for whoever opens it; the seed ignores it.
    #[serde(rename = "about")]
    pub _about: String,
    /// Each offer's description lists three of them, drawn at random.
    pub benefits: Vec<String>,
    pub jobs: Vec<JobTemplate>,
}

/// A job as employers advertise it; companies in several cities post the
/// same one (the slug carries the city).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JobTemplate {
    /// Unique; what `companies.json` and `candidates.json` refer to.
    pub key: String,
    /// Ends with " (H/F)", which the slug leaves out.
    pub title: String,
    /// First paragraph of the description.
    pub intro: String,
    /// Bullets of "Vos missions".
    pub missions: Vec<String>,
    /// Bullets of "Votre profil".
    pub profile: Vec<String>,
    /// Names from the `skills` table.
    pub skills: Vec<String>,
    /// Keys of `app::jobs::CONTRACTS`; repeated values weigh more.
    pub contracts: Vec<String>,
    pub remote: Remote,
    pub salary: Salary,
    /// Keys of `app::jobs::EXPERIENCE`, drawn as `contracts`.
    pub experience: Vec<String>,
    /// Level of `app::jobs::DIPLOMA_LEVELS` (3 = CAP … 8 = doctorat), or null.
    pub diploma: Option<i16>,
    /// Percent of part-time offers.
    pub part_time: u32,
    /// Most openings one offer has.
    pub openings: i32,
}

/// The usual pay range, in euros, before each offer varies it:
/// `{"unit": "mois", "low": 2100, "high": 2600}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Salary {
    /// A key of `app::jobs::SALARY_UNITS`: "heure", "mois" or "annee".
    pub unit: String,
    pub low: i32,
    pub high: i32,
}

/// `companies.json`: `{"about": "…", "atelier_rhone_industrie": [AriOffer, …],
/// "companies": [Company, …]}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompaniesFile {
    /// `about`: what the file is, for whoever opens it; the seed ignores it.
    #[serde(rename = "about")]
    pub _about: String,
    /// Offers of Atelier Rhône Industrie (Lyon), the demo company that
    /// `seed::DEMO_ORGANISATIONS` creates. The browser tests apply to its
    /// live ones, all on the platform.
    pub atelier_rhone_industrie: Vec<AriOffer>,
    /// The other companies, each created with its recruiter; one per city.
    pub companies: Vec<Company>,
}

/// `{"job": "soudeur", "status": "published"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AriOffer {
    /// A key of `jobs.json`.
    pub job: String,
    /// The offer's state: "published", "draft", "filled", "expired" or "archived".
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Company {
    #[serde(flatten)]
    pub listed: Listed,
    pub sector: String,
    /// A key of `app::organisations::profile::SIZE_BANDS`.
    pub size_band: String,
    /// Keys of `jobs.json`, one offer each.
    pub offers: Vec<String>,
}

/// `candidates.json`: `{"about": "…", "camille_martin": Candidate,
/// "candidates": [Candidate, …], "applications": [Application, …]}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CandidatesFile {
    /// `about`: what the file is, for whoever opens it; the seed ignores it.
    #[serde(rename = "about")]
    pub _about: String,
    /// The profile of the demo candidate the browser tests sign in with (her
    /// account comes from `seed::DEMO_ACCOUNTS`): she lacks the welding and
    /// maintenance skills Atelier Rhône Industrie asks for, so the bridge has
    /// trainings to show her.
    pub camille_martin: Candidate,
    /// Other candidates, created with the demo password.
    pub candidates: Vec<Candidate>,
    /// Applications to Atelier Rhône Industrie's offers. Most of its live
    /// offers get none, so tests and visitors find offers nobody applied to yet.
    pub applications: Vec<Application>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Candidate {
    pub email: String,
    pub name: String,
    pub headline: String,
    /// The profile's experience (Markdown paragraphs).
    pub experience: String,
    /// Names from the `skills` table.
    pub skills: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Application {
    /// E-mail of one of `candidates`.
    pub candidate: String,
    /// A `job` of `atelier_rhone_industrie`.
    pub job: String,
    /// As stored: `new`, `in_review`, `interview`, `hired`, `refused`, `withdrawn`.
    pub status: app::candidates::applications::ApplicationStatus,
    pub message: String,
}

/// Parses an embedded file; a malformed one is a bug of this repository,
/// which the tests below catch first.
fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("server/data/demo/{name} is malformed: {error}"))
}

pub(crate) static TRAININGS: LazyLock<TrainingsFile> = LazyLock::new(|| {
    parse(
        "trainings.json",
        include_str!("../../data/demo/trainings.json"),
    )
});
pub(crate) static CENTRES: LazyLock<CentresFile> =
    LazyLock::new(|| parse("centres.json", include_str!("../../data/demo/centres.json")));
pub(crate) static JOBS: LazyLock<JobsFile> =
    LazyLock::new(|| parse("jobs.json", include_str!("../../data/demo/jobs.json")));
pub(crate) static COMPANIES: LazyLock<CompaniesFile> = LazyLock::new(|| {
    parse(
        "companies.json",
        include_str!("../../data/demo/companies.json"),
    )
});
pub(crate) static CANDIDATES: LazyLock<CandidatesFile> = LazyLock::new(|| {
    parse(
        "candidates.json",
        include_str!("../../data/demo/candidates.json"),
    )
});

/// The training template of that key.
pub(crate) fn training(key: &str) -> Option<&'static TrainingTemplate> {
    TRAININGS.trainings.iter().find(|t| t.key == key)
}

/// The job template of that key.
pub(crate) fn job(key: &str) -> Option<&'static JobTemplate> {
    JOBS.jobs.iter().find(|t| t.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::base::markdown;
    use std::collections::HashSet;

    /// The five files, parsed.
    struct Files {
        trainings: TrainingsFile,
        centres: CentresFile,
        jobs: JobsFile,
        companies: CompaniesFile,
        candidates: CandidatesFile,
    }

    fn files() -> Files {
        Files {
            trainings: TRAININGS.clone(),
            centres: CENTRES.clone(),
            jobs: JOBS.clone(),
            companies: COMPANIES.clone(),
            candidates: CANDIDATES.clone(),
        }
    }

    /// The set of `values`, each duplicate reported.
    fn unique<'a>(
        what: &str,
        values: impl IntoIterator<Item = &'a str>,
        problems: &mut Vec<String>,
    ) -> HashSet<&'a str> {
        let mut set = HashSet::new();
        for value in values {
            if !set.insert(value) {
                problems.push(format!("{what} {value:?} twice"));
            }
        }
        set
    }

    /// Organisations' names must give distinct slugs: the slug names the
    /// owner's e-mail and the website.
    fn unique_slugs<'a>(
        what: &str,
        names: impl Iterator<Item = &'a String>,
        problems: &mut Vec<String>,
    ) {
        let slugs: Vec<String> = names.map(|name| markdown::slugify(name)).collect();
        unique(what, slugs.iter().map(String::as_str), problems);
    }

    fn known<K: PartialEq>(list: &[(K, &str)], key: &K) -> bool {
        list.iter().any(|(k, _)| k == key)
    }

    /// What serde cannot see: unique keys and names, references that
    /// resolve, values the database accepts, templates that someone uses.
    fn problems(f: &Files) -> Vec<String> {
        let mut out = Vec::new();

        let trainings = unique(
            "trainings.json: key",
            f.trainings.trainings.iter().map(|t| t.key.as_str()),
            &mut out,
        );
        for t in &f.trainings.trainings {
            if t.title.chars().count() > 110 {
                out.push(format!(
                    "trainings.json: {}: title over 110 characters",
                    t.key
                ));
            }
            if t.modalities.is_empty() {
                out.push(format!("trainings.json: {}: no modality", t.key));
            }
            for funder in &t.funding {
                if funder == "cpf" || !known(&app::trainings::FUNDING, &funder.as_str()) {
                    out.push(format!(
                        "trainings.json: {}: funding {funder:?} (cpf comes from the cpf flag)",
                        t.key
                    ));
                }
            }
        }
        unique_slugs(
            "centres.json: centre slug",
            f.centres.centres.iter().map(|c| &c.listed.name),
            &mut out,
        );
        let taught = std::iter::once((
            "Institut Lumière Formation",
            &f.centres.institut_lumiere_formation,
        ))
        .chain(
            f.centres
                .centres
                .iter()
                .map(|c| (c.listed.name.as_str(), &c.trainings)),
        );
        let mut used = HashSet::new();
        for (centre, keys) in taught {
            for key in keys {
                if !trainings.contains(key.as_str()) {
                    out.push(format!("centres.json: {centre}: unknown training {key:?}"));
                }
                used.insert(key.as_str());
            }
        }
        for key in trainings.difference(&used) {
            out.push(format!("trainings.json: {key} is taught by no centre"));
        }

        let jobs = unique(
            "jobs.json: key",
            f.jobs.jobs.iter().map(|t| t.key.as_str()),
            &mut out,
        );
        if f.jobs.benefits.len() < 3 {
            out.push("jobs.json: each offer lists three benefits".to_owned());
        }
        for t in &f.jobs.jobs {
            let bad = |what: &str, value: &str| format!("jobs.json: {}: {what} {value:?}", t.key);
            if t.contracts.is_empty() || t.experience.is_empty() {
                out.push(bad("no contract or experience", ""));
            }
            for contract in &t.contracts {
                if !known(&app::jobs::CONTRACTS, &contract.as_str()) {
                    out.push(bad("contract", contract));
                }
            }
            for experience in &t.experience {
                if !known(&app::jobs::EXPERIENCE, &experience.as_str()) {
                    out.push(bad("experience", experience));
                }
            }
            if !known(&app::jobs::SALARY_UNITS, &t.salary.unit.as_str()) {
                out.push(bad("salary unit", &t.salary.unit));
            }
            if t.diploma
                .is_some_and(|level| !known(&app::jobs::DIPLOMA_LEVELS, &level))
            {
                out.push(bad("diploma", &format!("{:?}", t.diploma)));
            }
        }
        let companies = &f.companies.companies;
        unique_slugs(
            "companies.json: company slug",
            companies.iter().map(|c| &c.listed.name),
            &mut out,
        );
        let cities = unique(
            "companies.json: city (one company per city)",
            companies.iter().map(|c| c.listed.city.as_str()),
            &mut out,
        );
        if cities.contains("Lyon") {
            out.push("companies.json: Lyon is Atelier Rhône Industrie's".to_owned());
        }
        let mut posted = HashSet::new();
        for offer in &f.companies.atelier_rhone_industrie {
            if !jobs.contains(offer.job.as_str()) {
                out.push(format!(
                    "companies.json: Atelier Rhône Industrie: unknown job {:?}",
                    offer.job
                ));
            }
            if !["published", "draft", "filled", "expired", "archived"]
                .contains(&offer.status.as_str())
            {
                out.push(format!(
                    "companies.json: Atelier Rhône Industrie: status {:?}",
                    offer.status
                ));
            }
            posted.insert(offer.job.as_str());
        }
        for company in companies {
            if !known(
                &app::organisations::profile::SIZE_BANDS,
                &company.size_band.as_str(),
            ) {
                out.push(format!(
                    "companies.json: {}: size band {:?}",
                    company.listed.name, company.size_band
                ));
            }
            for key in &company.offers {
                if !jobs.contains(key.as_str()) {
                    out.push(format!(
                        "companies.json: {}: unknown job {key:?}",
                        company.listed.name
                    ));
                }
                posted.insert(key.as_str());
            }
        }
        for key in jobs.difference(&posted) {
            out.push(format!("jobs.json: {key} is posted by no company"));
        }

        let people = &f.candidates;
        let emails = unique(
            "candidates.json: e-mail",
            people.candidates.iter().map(|c| c.email.as_str()),
            &mut out,
        );
        if emails.contains(people.camille_martin.email.as_str()) {
            out.push("candidates.json: Camille Martin's account is not created here".to_owned());
        }
        for application in &people.applications {
            let bad = |what: &str, value: &str| {
                format!(
                    "candidates.json: application of {}: {what} {value:?}",
                    application.candidate
                )
            };
            if !emails.contains(application.candidate.as_str()) {
                out.push(bad("unknown candidate", &application.candidate));
            }
            if !f
                .companies
                .atelier_rhone_industrie
                .iter()
                .any(|o| o.job == application.job)
            {
                out.push(bad(
                    "no such offer of Atelier Rhône Industrie",
                    &application.job,
                ));
            }
        }
        out
    }

    #[test]
    fn the_files_parse_and_agree() {
        let problems = problems(&files());
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_typo_or_a_dangling_key_is_caught() {
        // A misspelt field (it goes missing), a field no struct has, an
        // unknown certification kind, an unknown modality.
        let centres = include_str!("../../data/demo/centres.json");
        let typo = centres.replacen("\"phone_prefix\"", "\"phone_prefx\"", 1);
        let error = serde_json::from_str::<CentresFile>(&typo).err();
        assert!(error.is_some_and(|e| e.to_string().contains("missing field `phone_prefix`")));
        let extra = centres.replacen("\"qualiopi\"", "\"siret\": \"1\", \"qualiopi\"", 1);
        let error = serde_json::from_str::<CentresFile>(&extra).err();
        assert!(error.is_some_and(|e| e.to_string().contains("unknown field `siret`")));
        let trainings = include_str!("../../data/demo/trainings.json");
        for (from, to) in [
            ("\"kind\": \"rncp\"", "\"kind\": \"rcnp\""),
            ("\"code\": \"RNCP", "\"cdoe\": \"RNCP"),
            ("\"hybride\"", "\"hybrid\""),
        ] {
            let broken = trainings.replacen(from, to, 1);
            assert_ne!(broken, trainings, "{from}");
            assert!(
                serde_json::from_str::<TrainingsFile>(&broken).is_err(),
                "{to}"
            );
        }

        // References that resolve nowhere.
        let mut f = files();
        f.centres.centres[0].trainings.push("dwwm2".to_owned());
        f.companies.companies[0].offers[0] = "dev_webb".to_owned();
        f.candidates.applications[0].job = "chauffeur_pl".to_owned();
        f.jobs.jobs[0].contracts.push("cdii".to_owned());
        let problems = problems(&f).join("\n");
        for expected in [
            "unknown training \"dwwm2\"",
            "unknown job \"dev_webb\"",
            "no such offer of Atelier Rhône Industrie \"chauffeur_pl\"",
            "contract \"cdii\"",
        ] {
            assert!(problems.contains(expected), "{expected} in {problems}");
        }
    }
}

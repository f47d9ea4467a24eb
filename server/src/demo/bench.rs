//! What `seed --bench N` (trainings) and `seed --bench-offers N` (job
//! offers) share: both top a table up to N numbered rows, render each
//! distinct description once and report what they did.

use crate::error::Error;
use app::base::markdown;
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct BenchReport {
    /// Bench rows added by this run.
    pub created: usize,
    /// Bench rows now in the database.
    pub total: usize,
}

impl BenchReport {
    /// `total` as `count(*)` gives it.
    pub(crate) fn new(created: usize, total: i64) -> Self {
        Self {
            created,
            total: usize::try_from(total).unwrap_or(0),
        }
    }
}

/// The slugs of the rows from 1 to `target` that are not among `existing`:
/// what a run has left to create.
pub(crate) fn missing(
    target: u32,
    existing: Vec<String>,
    slug: impl Fn(u32) -> String,
) -> Vec<String> {
    let existing: HashSet<String> = existing.into_iter().collect();
    (1..=target)
        .map(slug)
        .filter(|slug| !existing.contains(slug))
        .collect()
}

/// The rows of `missing` planned batch by batch: `plan` gets each one's
/// slug and the generator it seeds, so a row is the same whichever run
/// creates it.
pub(crate) fn planned_batches<'a, R: 'a>(
    missing: &'a [String],
    size: usize,
    rng: fn(&str) -> ChaCha8Rng,
    mut plan: impl FnMut(String, ChaCha8Rng) -> R + 'a,
) -> impl Iterator<Item = Vec<R>> + 'a {
    missing.chunks(size).map(move |chunk| {
        chunk
            .iter()
            .map(|slug| plan(slug.clone(), rng(slug)))
            .collect()
    })
}

/// The rows a bench draws from: it needs the demo's organisations or
/// communes, and says which (`what`) when there are none.
pub(crate) fn needed<T>(rows: Vec<T>, what: &str) -> Result<Vec<T>, Error> {
    if rows.is_empty() {
        return Err(Error::Usage(format!(
            "{what}: run `passerelle seed --demo` first"
        )));
    }
    Ok(rows)
}

/// Descriptions come from a few templates: each distinct Markdown text is
/// rendered once.
#[derive(Default)]
pub(crate) struct RenderedOnce(HashMap<String, String>);

impl RenderedOnce {
    pub(crate) fn html(&mut self, md: &str) -> String {
        self.0
            .entry(md.to_owned())
            .or_insert_with(|| markdown::render(md, &HashMap::new()))
            .clone()
    }
}

//! French communes: what a user types ("Lyon", "69003", "Lyon (69001)")
//! turned into a place, with suggestions while typing.

use crate::base::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A commune as forms and pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commune {
    pub code: String,
    pub name: String,
    pub postal_code: String,
    pub departement_code: String,
    pub departement_name: String,
}

impl Commune {
    /// "Lyon (69001)": what suggestions offer and what [`ssr::resolve`] reads back.
    pub fn label(&self) -> String {
        if self.postal_code.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.postal_code)
        }
    }
}

/// Up to ten communes matching the start of a name or a postal code,
/// biggest first, tolerant of missing accents and small typos.
#[server(prefix = "/api", endpoint = "communes", input = server_fn::codec::GetUrl)]
pub async fn commune_suggestions(q: String) -> Result<Vec<Commune>, AppError> {
    let pool = crate::base::db::read_pool()?;
    ssr::suggest(&pool, &q, 10).await
}

/// A text input that suggests communes as the user types (a `<datalist>`
/// filled from the server once hydrated; without JavaScript the server
/// resolves whatever was typed).
#[component]
pub fn CommuneInput(
    label: &'static str,
    name: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] help: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let list_id = format!("{id}-suggestions");
    let error_id = format!("{id}-erreur");
    // Suggestions come only once the user types: pages render without a query for them.
    let typed = RwSignal::new(String::new());
    let suggestions = Resource::new(
        move || typed.get(),
        |text| async move {
            if text.trim().chars().count() < 2 {
                return Vec::new();
            }
            commune_suggestions(text).await.unwrap_or_default()
        },
    );
    let message = move || error.get().and_then(|e| e.for_field(name));
    view! {
        <div>
            <label for=id.clone() class="block text-sm font-semibold text-slate-900">{label}</label>
            <input
                id=id
                name=name
                type="text"
                list=list_id.clone()
                // Read by the enhancement script of pages that do not hydrate.
                data-suggest="/api/communes"
                autocomplete="off"
                value=value
                placeholder="Ville ou code postal"
                on:input=move |ev| typed.set(event_target_value(&ev))
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                class="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5 text-base text-slate-900 shadow-sm aria-[invalid=true]:border-red-700"
            />
            <datalist id=list_id>
                <Transition fallback=|| ()>
                    {move || suggestions.get().map(|list| list.into_iter().map(|c| {
                        view! { <option value=c.label()></option> }
                    }).collect_view())}
                </Transition>
            </datalist>
            {(!help.is_empty()).then(|| view! { <p class="mt-1 text-sm text-slate-700">{help}</p> })}
            <p id=error_id class="mt-1 text-sm font-semibold text-red-800">{message}</p>
        </div>
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::Commune;
    use crate::base::error::AppError;
    use sqlx::PgPool;

    /// The longest commune name has 45 characters: anything much longer is
    /// no place, and trigram matching on it costs seconds of database time.
    pub const MAX_PLACE_CHARS: usize = 80;

    /// Splits "Lyon (69001)" into ("Lyon", Some("69001")); a bare postal code
    /// gives ("", Some(code)). LIKE wildcards and control characters, which no
    /// commune name has, are dropped.
    pub fn parse(input: &str) -> (String, Option<String>) {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '%' | '_' | '\\'))
            .collect();
        let text = cleaned.trim();
        if text.len() == 5
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'A' || b == b'B')
        {
            return (String::new(), Some(text.to_owned()));
        }
        if let Some(open) = text.rfind('(')
            && let Some(inner) = text[open + 1..].strip_suffix(')')
        {
            let inner = inner.trim();
            if !inner.is_empty() && inner.len() <= 5 {
                return (text[..open].trim().to_owned(), Some(inner.to_owned()));
            }
        }
        (text.to_owned(), None)
    }

    pub async fn suggest(pool: &PgPool, input: &str, limit: i64) -> Result<Vec<Commune>, AppError> {
        if input.chars().count() > MAX_PLACE_CHARS {
            return Ok(Vec::new());
        }
        let (name, postal) = parse(input);
        if name.chars().count() < 2 && postal.is_none() {
            return Ok(Vec::new());
        }
        // A postal code lists its communes; a name is matched by prefix first,
        // then by trigram similarity (typos), biggest communes first.
        let rows = sqlx::query_as!(
            Commune,
            r#"SELECT c.code, c.name,
                      coalesce(CASE WHEN $2::text IS NOT NULL AND $2 = ANY (c.postal_codes) THEN $2 END,
                               c.postal_codes[1], '') AS "postal_code!",
                      c.departement_code, c.departement_name
               FROM communes c
               WHERE ($2::text IS NULL OR c.postal_codes @> ARRAY[$2::text]
                      OR (length($2) < 5 AND EXISTS (SELECT 1 FROM unnest(c.postal_codes) pc WHERE pc LIKE $2 || '%')))
                 AND ($1 = '' OR c.search_name LIKE immutable_unaccent(lower($1)) || '%'
                      OR c.search_name % immutable_unaccent(lower($1)))
               ORDER BY (c.search_name = immutable_unaccent(lower($1))) DESC,
                        ($1 <> '' AND c.search_name LIKE immutable_unaccent(lower($1)) || '%') DESC,
                        c.population DESC, c.name
               LIMIT $3"#,
            name,
            postal,
            limit
        )
        .fetch_all(pool)
        .await?;
        Ok(rows)
    }

    /// The commune a user meant, or a French message for `field`.
    pub async fn resolve(pool: &PgPool, input: &str, field: &str) -> Result<Commune, AppError> {
        suggest(pool, input, 1)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                AppError::invalid(
                    field,
                    "Commune introuvable : tapez un nom de ville ou un code postal et choisissez dans la liste.",
                )
            })
    }

    /// The INSEE code of the commune typed in an optional field: `None`
    /// when it is left empty, a French message for `field` when not found.
    pub async fn code_if_given(
        pool: &PgPool,
        input: &str,
        field: &str,
    ) -> Result<Option<String>, AppError> {
        if input.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(resolve(pool, input, field).await?.code))
    }

    /// The commune of an INSEE code (for forms showing a saved place).
    pub async fn by_code(pool: &PgPool, code: &str) -> Result<Option<Commune>, AppError> {
        Ok(sqlx::query_as!(
            Commune,
            r#"SELECT code, name, coalesce(postal_codes[1], '') AS "postal_code!",
                      departement_code, departement_name
               FROM communes WHERE code = $1"#,
            code
        )
        .fetch_optional(pool)
        .await?)
    }

    #[cfg(test)]
    mod tests {
        use super::parse;

        #[test]
        fn reads_what_users_type() {
            assert_eq!(parse("Lyon (69001)"), ("Lyon".into(), Some("69001".into())));
            assert_eq!(parse(" 35000 "), (String::new(), Some("35000".into())));
            assert_eq!(parse("Saint-Étienne"), ("Saint-Étienne".into(), None));
            assert_eq!(
                parse("Ajaccio (20000)"),
                ("Ajaccio".into(), Some("20000".into()))
            );
        }
    }
}

//! Every French commune, from the INSEE-based file shipped in the binary
//! (`data/communes.csv.gz`), into the `communes` table. Safe to run again:
//! a commune already there is updated in place, so a newer file can replace
//! an older one.

use serde::Deserialize;
use sqlx::PgPool;
use std::io::Read;

/// Gzip CSV, about 760 kB: shipping it in the binary makes the import work
/// from any directory and in the container image.
static COMMUNES_CSV_GZ: &[u8] = include_bytes!("../data/communes.csv.gz");

/// Rows per statement: one `UNNEST` insert of 5,000 rows stays far below the
/// 65,535-parameter and memory limits while keeping round trips few.
const BATCH: usize = 5_000;

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommuneRow {
    /// INSEE code ("69123"; Corsica uses "2A"/"2B").
    #[serde(rename = "code_insee")]
    pub code: String,
    #[serde(rename = "nom")]
    pub name: String,
    #[serde(rename = "codes_postaux", deserialize_with = "space_separated")]
    pub postal_codes: Vec<String>,
    pub departement_code: String,
    #[serde(rename = "departement_nom")]
    pub departement_name: String,
    pub region_code: String,
    #[serde(rename = "region_nom")]
    pub region_name: String,
    /// Missing for a few communes (new ones, Mayotte): stored as 0.
    #[serde(deserialize_with = "zero_if_empty")]
    pub population: i32,
    pub latitude: f64,
    pub longitude: f64,
}

fn space_separated<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let text = String::deserialize(d)?;
    Ok(text.split_whitespace().map(str::to_owned).collect())
}

fn zero_if_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    Ok(Option::<i32>::deserialize(d)?.unwrap_or(0))
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("communes file: cannot decompress: {0}")]
    Decompress(#[from] std::io::Error),
    #[error("communes file: {0}")]
    Parse(#[from] csv::Error),
    #[error("communes import: database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Every commune of the shipped file, in file order.
pub fn rows() -> Result<Vec<CommuneRow>, ImportError> {
    let mut text = Vec::with_capacity(4 << 20);
    flate2::read::GzDecoder::new(COMMUNES_CSV_GZ).read_to_end(&mut text)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_slice());
    let mut rows = Vec::with_capacity(35_000);
    for row in reader.deserialize() {
        rows.push(row?);
    }
    Ok(rows)
}

/// Imports every commune; returns how many the file holds.
pub async fn import(pool: &PgPool) -> Result<usize, ImportError> {
    import_where(pool, |_| true).await
}

/// Imports the communes `keep` accepts (tests take a few départements to stay
/// fast); returns how many were written or already up to date. Decompressing
/// and parsing hold the thread for a few hundred milliseconds: this is for the
/// command line and tests, not for request handlers.
pub async fn import_where(
    pool: &PgPool,
    keep: impl Fn(&CommuneRow) -> bool,
) -> Result<usize, ImportError> {
    let rows: Vec<CommuneRow> = rows()?.into_iter().filter(|row| keep(row)).collect();
    // One transaction: readers never see half a referential.
    let mut tx = pool.begin().await?;
    for batch in rows.chunks(BATCH) {
        upsert(&mut tx, batch).await?;
    }
    // The facet labels (départements, régions) follow the communes.
    sqlx::query!("REFRESH MATERIALIZED VIEW departements")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(rows.len())
}

async fn upsert(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    batch: &[CommuneRow],
) -> Result<(), sqlx::Error> {
    let column = |f: fn(&CommuneRow) -> String| batch.iter().map(f).collect::<Vec<_>>();
    let codes = column(|r| r.code.clone());
    let names = column(|r| r.name.clone());
    // A Postgres array must be rectangular: the postal codes travel as one
    // string per commune and are split back in SQL.
    let postal_codes = column(|r| r.postal_codes.join(" "));
    let dep_codes = column(|r| r.departement_code.clone());
    let dep_names = column(|r| r.departement_name.clone());
    let region_codes = column(|r| r.region_code.clone());
    let region_names = column(|r| r.region_name.clone());
    let populations: Vec<i32> = batch.iter().map(|r| r.population).collect();
    let latitudes: Vec<f64> = batch.iter().map(|r| r.latitude).collect();
    let longitudes: Vec<f64> = batch.iter().map(|r| r.longitude).collect();
    // Rows that did not change are left alone: a second run writes nothing.
    sqlx::query!(
        r#"INSERT INTO communes (code, name, postal_codes, departement_code, departement_name,
                                 region_code, region_name, population, latitude, longitude)
           SELECT code, name, string_to_array(postal, ' '), dep_code, dep_name,
                  region_code, region_name, population, latitude, longitude
           FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                       $6::text[], $7::text[], $8::int4[], $9::float8[], $10::float8[])
                AS u (code, name, postal, dep_code, dep_name, region_code, region_name,
                      population, latitude, longitude)
           ON CONFLICT (code) DO UPDATE SET
               name = EXCLUDED.name,
               postal_codes = EXCLUDED.postal_codes,
               departement_code = EXCLUDED.departement_code,
               departement_name = EXCLUDED.departement_name,
               region_code = EXCLUDED.region_code,
               region_name = EXCLUDED.region_name,
               population = EXCLUDED.population,
               latitude = EXCLUDED.latitude,
               longitude = EXCLUDED.longitude
           WHERE (communes.name, communes.postal_codes, communes.departement_code,
                  communes.departement_name, communes.region_code, communes.region_name,
                  communes.population, communes.latitude, communes.longitude)
                 IS DISTINCT FROM
                 (EXCLUDED.name, EXCLUDED.postal_codes, EXCLUDED.departement_code,
                  EXCLUDED.departement_name, EXCLUDED.region_code, EXCLUDED.region_name,
                  EXCLUDED.population, EXCLUDED.latitude, EXCLUDED.longitude)"#,
        &codes,
        &names,
        &postal_codes,
        &dep_codes,
        &dep_names,
        &region_codes,
        &region_names,
        &populations,
        &latitudes,
        &longitudes,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses_whole() {
        let rows = rows().unwrap();
        assert_eq!(rows.len(), 34_867);
        let lyon = rows.iter().find(|r| r.code == "69123").unwrap();
        assert_eq!(lyon.name, "Lyon");
        assert_eq!(lyon.postal_codes.len(), 9);
        assert_eq!(lyon.departement_name, "Rhône");
        let codes: std::collections::HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), rows.len(), "INSEE codes are unique");
        // Communes without a postal code or a population still load.
        assert!(rows.iter().any(|r| r.postal_codes.is_empty()));
        assert!(rows.iter().any(|r| r.population == 0));
    }
}

//! Upload checks, image processing and the `media` table.
//!
//! Every upload is judged by its bytes, never by its name: the type comes
//! from the magic numbers, images are decoded under limits and re-encoded
//! (which drops EXIF and any other metadata), and nothing is stored until
//! the whole file has passed.

use super::{ImageRef, Variant, storage::Storage};
use crate::base::error::AppError;
use bytes::Bytes;
use image::{DynamicImage, ImageError, ImageReader, Limits, imageops::FilterType};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::io::Cursor;

pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
/// Decoding refuses anything larger: a small file can claim a huge canvas
/// (an 8,000 × 8,000 PNG of 187 KB decodes to 256 MB).
const MAX_SIDE: u32 = 8_000;
const MAX_PIXELS: u64 = 40_000_000;
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Megapixels decoded at once across the whole process (about 4 bytes
/// each): uploads beyond it wait their turn instead of exhausting memory.
const DECODE_BUDGET_MEGAPIXELS: u32 = 48;

/// The decode budget, in megapixels.
static DECODE_PERMITS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        std::sync::Arc::new(tokio::sync::Semaphore::new(
            DECODE_BUDGET_MEGAPIXELS as usize,
        ))
    });
/// Widths offered in `srcset`; smaller originals stop at their own width.
pub const WIDTHS: [u32; 4] = [320, 640, 960, 1600];
const WEBP_QUALITY: f32 = 80.0;

/// Why an upload was refused, in words for the person who sent it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadError {
    #[error("Aucun fichier n'a été envoyé.")]
    Missing,
    #[error("Le fichier dépasse la taille maximale de {0} Mo.")]
    TooLarge(usize),
    #[error("Ce type de fichier n'est pas accepté (formats acceptés : {0}).")]
    WrongType(&'static str),
    #[error("L'image est illisible ou endommagée.")]
    Corrupt,
    #[error("L'image est trop grande (8 000 pixels de côté et 40 mégapixels au plus).")]
    TooManyPixels,
}

impl From<UploadError> for AppError {
    fn from(error: UploadError) -> Self {
        AppError::invalid("fichier", &error.to_string())
    }
}

impl From<super::storage::StorageError> for AppError {
    fn from(error: super::storage::StorageError) -> Self {
        tracing::error!(%error, "storage error");
        AppError::Internal
    }
}

/// The storage backend the server put in the Leptos context.
pub fn storage() -> Result<Storage, AppError> {
    leptos::prelude::use_context::<Storage>().ok_or_else(|| {
        tracing::error!("no storage in the Leptos context");
        AppError::Internal
    })
}

/// One file read from a multipart body.
#[derive(Debug)]
pub struct UploadedFile {
    pub name: String,
    pub bytes: Bytes,
}

/// An uploaded file's name as stored: control characters (NUL among them)
/// are no part of a name, and PostgreSQL refuses NUL in text.
pub fn clean_file_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// Reads the field `field` of a multipart upload, refusing more than `max` bytes
/// as soon as they arrive (the body is never buffered past the limit).
pub async fn read_upload(
    data: leptos::server_fn::codec::MultipartData,
    field: &str,
    max: usize,
) -> Result<UploadedFile, AppError> {
    let too_large = || UploadError::TooLarge(max / (1024 * 1024));
    // The server cut the body (size or time), or the envelope is broken: the
    // client's fault, said in its words.
    let refused = |error: &dyn std::fmt::Display| {
        let text = error.to_string();
        tracing::info!(error = %text, "multipart body refused");
        if text.contains("length limit") {
            AppError::TooLarge {
                field: "fichier".to_owned(),
                message: UploadError::TooLarge(super::MAX_IMAGE_BYTES / (1024 * 1024)).to_string(),
            }
        } else if text.contains("timeout") {
            AppError::invalid(
                "fichier",
                "L'envoi du fichier a pris trop de temps : réessayez.",
            )
        } else {
            AppError::invalid("fichier", "Envoi de fichier mal formé : réessayez.")
        }
    };
    let Some(mut multipart) = data.into_inner() else {
        return Err(UploadError::Missing.into());
    };
    loop {
        let next = multipart
            .next_field()
            .await
            .map_err(|error| refused(&error))?;
        let Some(mut part) = next else {
            return Err(UploadError::Missing.into());
        };
        if part.name() != Some(field) {
            continue;
        }
        let name = clean_file_name(part.file_name().unwrap_or_default());
        let mut buffer = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(|error| refused(&error))? {
            if buffer.len() + chunk.len() > max {
                return Err(too_large().into());
            }
            buffer.extend_from_slice(&chunk);
        }
        if buffer.is_empty() {
            return Err(UploadError::Missing.into());
        }
        return Ok(UploadedFile {
            name,
            bytes: Bytes::from(buffer),
        });
    }
}

/// The image formats we decode, told by their first bytes.
fn image_format(bytes: &[u8]) -> Option<image::ImageFormat> {
    match infer::get(bytes)?.mime_type() {
        "image/jpeg" => Some(image::ImageFormat::Jpeg),
        "image/png" => Some(image::ImageFormat::Png),
        "image/webp" => Some(image::ImageFormat::WebP),
        "image/gif" => Some(image::ImageFormat::Gif),
        _ => None,
    }
}

/// An image ready to store: WebP variants, smallest first.
#[derive(Debug)]
pub struct ProcessedImage {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<(u32, u32, Vec<u8>)>,
}

/// An image's size read from its header alone (cheap), within the limits.
pub fn checked_dimensions(bytes: &[u8]) -> Result<(u32, u32), UploadError> {
    let format = image_format(bytes).ok_or(UploadError::WrongType("JPEG, PNG, WebP, GIF"))?;
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| UploadError::Corrupt)?;
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(UploadError::TooManyPixels);
    }
    Ok((w, h))
}

/// Decodes under limits and re-encodes into WebP variants. CPU-bound: call
/// it on the blocking pool.
pub fn process_image(bytes: &[u8]) -> Result<ProcessedImage, UploadError> {
    let format = image_format(bytes).ok_or(UploadError::WrongType("JPEG, PNG, WebP, GIF"))?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let refused = |error: ImageError| match error {
        ImageError::Limits(_) => UploadError::TooManyPixels,
        _ => UploadError::Corrupt,
    };
    let mut decoder = reader.into_decoder().map_err(refused)?;
    // The decoder path skips `decode()`'s size check: do it before allocating.
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(UploadError::TooManyPixels);
    }
    // Phones store photos sideways plus an EXIF note; the note goes with the
    // metadata, so turn the pixels now.
    let orientation = image::ImageDecoder::orientation(&mut decoder).map_err(refused)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(refused)?;
    image.apply_orientation(orientation);
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 {
        return Err(UploadError::Corrupt);
    }
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|w| *w < width).collect();
    if widths.len() < WIDTHS.len() {
        widths.push(width);
    }
    let variants = widths
        .into_iter()
        .map(|w| {
            let resized = if w == width {
                image.clone()
            } else {
                let h = ((u64::from(height) * u64::from(w)) / u64::from(width)).max(1) as u32;
                image.resize_exact(w, h, FilterType::CatmullRom)
            };
            let (w, h, data) = encode_webp(&resized);
            (w, h, data)
        })
        .collect();
    Ok(ProcessedImage {
        width,
        height,
        variants,
    })
}

/// Lossy WebP at a quality that suits photographs and screenshots.
fn encode_webp(image: &DynamicImage) -> (u32, u32, Vec<u8>) {
    let rgba = image.to_rgba8();
    let (w, h) = rgba.dimensions();
    let encoded = webp::Encoder::from_rgba(rgba.as_raw(), w, h).encode(WEBP_QUALITY);
    (w, h, encoded.to_vec())
}

/// Whether `key` is one of the names [`store_image`] gives (and nothing else,
/// such as a private file or a path with `..`).
pub fn is_public_key(key: &str) -> bool {
    let Some(name) = key
        .strip_prefix("images/")
        .and_then(|rest| rest.strip_suffix(".webp"))
    else {
        return false;
    };
    let Some((hash, width)) = name.split_once('-') else {
        return false;
    };
    hash.len() == 16
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
        && !width.is_empty()
        && width.len() <= 5
        && width.bytes().all(|b| b.is_ascii_digit())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An image form's upload (field `fichier`, [`super::MAX_IMAGE_BYTES`] at most),
/// stored as [`store_image`] does: the image, and the file as it was sent.
pub async fn receive_image(
    pool: &PgPool,
    owner_id: Option<i64>,
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(ImageRef, UploadedFile), AppError> {
    let storage = storage()?;
    let file = read_upload(data, "fichier", super::MAX_IMAGE_BYTES).await?;
    let image = store_image(pool, &storage, owner_id, &file).await?;
    Ok((image, file))
}

/// Checks, processes and stores a public image; the same bytes uploaded
/// twice give the same files and row.
pub async fn store_image(
    pool: &PgPool,
    storage: &Storage,
    owner_id: Option<i64>,
    file: &UploadedFile,
) -> Result<ImageRef, AppError> {
    let sha = sha256_hex(&file.bytes);
    if let Some(existing) = public_image_by_sha(pool, &sha).await? {
        return Ok(existing);
    }
    // Wait for room in the decode budget, sized by the image's own pixels.
    let (w, h) = checked_dimensions(&file.bytes)?;
    let megapixels = (u64::from(w) * u64::from(h)).div_ceil(1_000_000).max(1);
    let permits = u32::try_from(megapixels)
        .unwrap_or(u32::MAX)
        .min(DECODE_BUDGET_MEGAPIXELS);
    let permit = DECODE_PERMITS
        .clone()
        .acquire_many_owned(permits)
        .await
        .map_err(|_| AppError::Internal)?;
    let bytes = file.bytes.clone();
    let processed = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        process_image(&bytes)
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "image task failed");
        AppError::Internal
    })??;

    let mut variants = Vec::new();
    for (width, height, data) in processed.variants {
        // Content-addressed names never change meaning: cacheable forever.
        let key = format!("images/{}-{width}.webp", &sha[..16]);
        let size = data.len() as u64;
        if let Err(error) = storage.put(&key, Bytes::from(data), "image/webp").await {
            remove_variants(storage, &variants).await;
            return Err(error.into());
        }
        variants.push(Variant {
            width,
            height,
            key,
            bytes: size,
        });
    }
    let Some(largest) = variants.last().map(|v| v.key.clone()) else {
        return Err(UploadError::Corrupt.into());
    };
    let variants_json = serde_json::to_value(&variants).map_err(|_| AppError::Internal)?;
    let inserted = sqlx::query_scalar!(
        r#"INSERT INTO media (owner_id, visibility, content_type, original_name, sha256, byte_size,
                              width, height, storage_key, variants)
           VALUES ($1, 'public', 'image/webp', $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (sha256) WHERE visibility = 'public' DO NOTHING
           RETURNING id"#,
        owner_id,
        file.name,
        sha,
        file.bytes.len() as i64,
        processed.width as i32,
        processed.height as i32,
        largest,
        variants_json,
    )
    .fetch_optional(pool)
    .await;
    match inserted {
        Ok(Some(id)) => ImageRef::from_variants(id, &variants).ok_or(AppError::Internal),
        // Someone stored the same image meanwhile: same keys, same bytes.
        Ok(None) => public_image_by_sha(pool, &sha)
            .await?
            .ok_or(AppError::Internal),
        Err(error) => {
            remove_variants(storage, &variants).await;
            Err(error.into())
        }
    }
}

async fn remove_variants(storage: &Storage, variants: &[Variant]) {
    for variant in variants {
        if let Err(error) = storage.delete(&variant.key).await {
            tracing::warn!(%error, key = variant.key, "could not remove a partial upload");
        }
    }
}

/// The image of a `SELECT id, variants FROM media …` query, if it finds one.
macro_rules! image_where {
    ($pool:expr, $query:literal, $arg:expr) => {{
        let row = sqlx::query!($query, $arg).fetch_optional($pool).await?;
        Ok(row.and_then(|r| image_ref(r.id, r.variants)))
    }};
}

async fn public_image_by_sha(pool: &PgPool, sha: &str) -> Result<Option<ImageRef>, AppError> {
    image_where!(
        pool,
        "SELECT id, variants FROM media WHERE sha256 = $1 AND visibility = 'public'",
        sha
    )
}

/// Builds an [`ImageRef`] from a row's `variants` column.
pub fn image_ref(id: i64, variants: serde_json::Value) -> Option<ImageRef> {
    let variants: Vec<Variant> = serde_json::from_value(variants).ok()?;
    ImageRef::from_variants(id, &variants)
}

pub async fn image_by_id(pool: &PgPool, id: i64) -> Result<Option<ImageRef>, AppError> {
    image_where!(
        pool,
        "SELECT id, variants FROM media WHERE id = $1 AND visibility = 'public'",
        id
    )
}

/// The public image one of whose variants is served at `path` (`/medias/…`).
pub async fn image_by_path(pool: &PgPool, path: &str) -> Result<Option<ImageRef>, AppError> {
    let Some(key) = path.strip_prefix(super::PUBLIC_PREFIX) else {
        return Ok(None);
    };
    let needle = serde_json::json!([{ "key": key }]);
    image_where!(
        pool,
        "SELECT id, variants FROM media WHERE visibility = 'public' AND variants @> $1 LIMIT 1",
        needle
    )
}

/// Private documents (CVs, certificates) accepted by content.
fn document_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match infer::get(bytes)?.mime_type() {
        "application/pdf" => Some(("application/pdf", "pdf")),
        _ => None,
    }
}

/// A private file: stored under a random name, served only to its owner and
/// to admins by the `/medias/prive/{id}` handler.
pub async fn store_private(
    pool: &PgPool,
    storage: &Storage,
    owner_id: i64,
    file: &UploadedFile,
) -> Result<i64, AppError> {
    if file.bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(UploadError::TooLarge(MAX_DOCUMENT_BYTES / (1024 * 1024)).into());
    }
    let (content_type, extension) =
        document_type(&file.bytes).ok_or(UploadError::WrongType("PDF"))?;
    let key = format!("private/{}.{extension}", crate::base::tokens::new_token().0);
    storage.put(&key, file.bytes.clone(), content_type).await?;
    let inserted = sqlx::query_scalar!(
        r#"INSERT INTO media (owner_id, visibility, content_type, original_name, sha256, byte_size, storage_key)
           VALUES ($1, 'private', $2, $3, $4, $5, $6) RETURNING id"#,
        owner_id,
        content_type,
        file.name,
        sha256_hex(&file.bytes),
        file.bytes.len() as i64,
        key,
    )
    .fetch_one(pool)
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(error) => {
            let _ = storage.delete(&key).await;
            Err(error.into())
        }
    }
}

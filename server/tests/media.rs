//! Uploads and the storage layer, against both backends: the local disk and
//! a real S3-compatible server (moto, started by `make test`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::{base::media::storage::Storage, identity::users::Role};
use axum::http::StatusCode;
use common::{
    Client, TestApp, app_with, body_text, header, png, sign_in_ready, signed_in, unique_email,
};
use sqlx::PgPool;

const MIGRATOR: &sqlx::migrate::Migrator = &app::base::db::MIGRATOR;

/// The S3 settings of the test server; `make test` starts it and sets these.
fn s3_vars() -> Vec<(&'static str, String)> {
    let endpoint = std::env::var("S3_TEST_ENDPOINT")
        .expect("S3_TEST_ENDPOINT is not set: run `make test`, which starts the S3 test server");
    vec![
        ("STORAGE_BACKEND", "s3".to_owned()),
        ("S3_ENDPOINT", endpoint),
        (
            "S3_BUCKET",
            std::env::var("S3_TEST_BUCKET").unwrap_or_else(|_| "passerelle-test".into()),
        ),
        ("S3_ACCESS_KEY_ID", "test".to_owned()),
        ("S3_SECRET_ACCESS_KEY", "test".to_owned()),
    ]
}

async fn app_on(pool: PgPool, backend: &str) -> TestApp {
    let vars = if backend == "s3" {
        s3_vars()
    } else {
        Vec::new()
    };
    let borrowed: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = app_with(pool, &borrowed, false).await;
    assert_eq!(app.storage.backend(), backend);
    app
}

/// A JPEG carrying an EXIF block with a marker string (as a phone's GPS tag would).
fn jpeg_with_exif(seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, seed])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    let jpeg = out.into_inner();
    // One IFD entry: Orientation (0x0112), SHORT, 6 = turn 90° clockwise.
    let mut exif =
        b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPS-SECRET-48.8566N-2.3522E");
    let mut with = jpeg[..2].to_vec(); // SOI
    with.extend_from_slice(&[0xFF, 0xE1]);
    with.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    with.extend_from_slice(&exif);
    with.extend_from_slice(&jpeg[2..]);
    with
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A tiny PNG whose header claims 100 000 × 100 000 pixels.
fn png_bomb() -> Vec<u8> {
    let mut bytes = png(1, 1, 1);
    // IHDR data starts at 16 (8 signature + 4 length + 4 type).
    bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

async fn upload(client: &mut Client<'_>, name: &str, bytes: &[u8]) -> axum::response::Response {
    client
        .post_file("/api/medias/image", name, bytes, "application/json")
        .await
}

async fn media_count(pool: &PgPool) -> i64 {
    common::rows_in(pool, "media").await
}

/// The storage contract, the same for every backend.
async fn storage_suite(storage: &Storage) {
    let key = format!("tests/{}.pdf", unique_email("objet"));
    assert!(!storage.exists(&key).await.unwrap());
    assert_eq!(storage.get(&key).await.unwrap(), None);
    // Written, then overwritten: each time the object reads back as written.
    for contents in [&b"%PDF-1.7 contenu"[..], b"%PDF-1.7 v2"] {
        storage
            .put(&key, bytes::Bytes::from_static(contents), "application/pdf")
            .await
            .unwrap();
        assert!(storage.exists(&key).await.unwrap());
        assert_eq!(storage.get(&key).await.unwrap().unwrap().as_ref(), contents);
    }
    storage.delete(&key).await.unwrap();
    assert_eq!(storage.get(&key).await.unwrap(), None);
    // Deleting twice is fine.
    storage.delete(&key).await.unwrap();
}

/// Upload, variants, serving, metadata stripped, bad uploads refused.
async fn upload_suite(pool: PgPool, backend: &str, seed: u8) {
    let app = app_on(pool.clone(), backend).await;
    storage_suite(&app.storage).await;
    let mut editor = signed_in(&app, Role::Editor, "Léa Fontaine").await;

    // An 800×600 photo stored sideways: turned upright (600×800), then the
    // smaller widths and its own.
    let response = upload(&mut editor, "atelier.jpg", &jpeg_with_exif(seed)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let uploaded: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
    let srcset = uploaded["image"]["srcset"].as_str().unwrap().to_owned();
    assert!(
        srcset.starts_with("/medias/images/")
            && srcset.contains(" 320w, ")
            && srcset.ends_with(" 600w"),
        "{srcset}"
    );
    assert!(!srcset.contains(" 640w"), "no variant wider than the image");
    assert_eq!(
        uploaded["image"]["width"], 600,
        "default src is the widest ≤ 960"
    );
    assert_eq!(uploaded["image"]["height"], 800, "turned upright");
    let src = uploaded["image"]["src"].as_str().unwrap().to_owned();
    // Never the file's name as alternative text: a placeholder to replace.
    assert_eq!(
        uploaded["markdown"],
        format!("![{}]({src})", app::blog::editor::ALT_PLACEHOLDER)
    );

    let response = app.get(&src).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "image/webp");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let served = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(&served[..4], b"RIFF");
    assert_eq!(&served[8..12], b"WEBP");
    // Re-encoding dropped the EXIF block from every variant.
    for candidate in srcset.split(", ") {
        let key = candidate
            .split(' ')
            .next()
            .unwrap()
            .trim_start_matches("/medias/");
        let stored = app.storage.get(key).await.unwrap().expect("variant stored");
        assert!(
            !stored.windows(10).any(|w| w == b"GPS-SECRET"),
            "EXIF survived in {key}"
        );
        assert!(
            !stored.windows(4).any(|w| w == b"EXIF"),
            "EXIF chunk in {key}"
        );
    }
    // The same bytes again: the same files and row.
    let again = upload(&mut editor, "copie.jpg", &jpeg_with_exif(seed)).await;
    let again: serde_json::Value = serde_json::from_str(&body_text(again).await).unwrap();
    assert_eq!(again["image"]["id"], uploaded["image"]["id"]);
    assert_eq!(media_count(&pool).await, 1);

    // Bad uploads: a clear French message on the field, nothing stored.
    let text_as_png = b"<html><script>alert(1)</script></html>".repeat(10);
    let mut corrupt = png(64, 64, seed);
    corrupt.truncate(60);
    corrupt.extend_from_slice(&[0u8; 200]);
    let too_large = vec![0u8; 10 * 1024 * 1024 + 10];
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    for (name, bytes, expected_status, message) in [
        (
            "page.png",
            &text_as_png[..],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ce type de fichier n'est pas accepté",
        ),
        (
            "cv.png",
            &pdf[..],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ce type de fichier n'est pas accepté",
        ),
        (
            "casse.png",
            &corrupt[..],
            StatusCode::UNPROCESSABLE_ENTITY,
            "illisible ou endommagée",
        ),
        (
            "bombe.png",
            &png_bomb()[..],
            StatusCode::UNPROCESSABLE_ENTITY,
            "trop grande",
        ),
        (
            "enorme.png",
            &too_large[..],
            StatusCode::UNPROCESSABLE_ENTITY,
            "taille maximale de 10 Mo",
        ),
        (
            "geante.png",
            &vec![0u8; 12 * 1024 * 1024][..],
            StatusCode::PAYLOAD_TOO_LARGE,
            "taille maximale de 11 Mo",
        ),
    ] {
        let response = upload(&mut editor, name, bytes).await;
        assert_eq!(response.status(), expected_status, "{name}");
        let body = body_text(response).await;
        assert!(body.contains(message), "{name}: {body}");
        assert!(
            body.contains("fichier"),
            "{name}: the error names the field: {body}"
        );
    }
    assert_eq!(media_count(&pool).await, 1, "no bad upload left a row");

    // Only editors and admins upload images.
    let mut candidate = signed_in(&app, Role::Candidate, "Camille").await;
    let mut visitor = Client::new(&app);
    for (client, refused) in [
        (&mut candidate, StatusCode::FORBIDDEN),
        (&mut visitor, StatusCode::UNAUTHORIZED),
    ] {
        let response = upload(client, "photo.png", &png(400, 300, seed.wrapping_add(1))).await;
        assert_eq!(response.status(), refused);
    }
    assert_eq!(media_count(&pool).await, 1);

    // Keys we never hand out are not served, whatever the store holds.
    app.storage
        .put(
            "private/secret.pdf",
            bytes::Bytes::from_static(b"%PDF-1.7"),
            "application/pdf",
        )
        .await
        .unwrap();
    for path in [
        "/medias/private/secret.pdf",
        "/medias/images/../private/secret.pdf",
        "/medias/images/zz-1.webp",
    ] {
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn uploads_on_the_local_disk(pool: PgPool) {
    upload_suite(pool, "local", 11).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn uploads_on_s3(pool: PgPool) {
    upload_suite(pool, "s3", 23).await;
}

/// Private files: their owner and admins, nobody else, whatever the backend.
async fn private_suite(pool: PgPool, backend: &str) {
    let app = app_on(pool.clone(), backend).await;
    let (owner_id, owner_email) = common::account(&pool, Role::Candidate, "Camille", true).await;
    let file = app::base::media::ssr::UploadedFile {
        name: "CV Camille.pdf".into(),
        bytes: bytes::Bytes::from_static(b"%PDF-1.7\n% CV de Camille\n"),
    };
    let id = app::base::media::ssr::store_private(&pool, &app.storage, owner_id, &file)
        .await
        .unwrap();
    // Not a PDF: refused, nothing stored.
    let fake = app::base::media::ssr::UploadedFile {
        name: "cv.pdf".into(),
        bytes: bytes::Bytes::from_static(b"MZ\x90\0 executable"),
    };
    let refused = app::base::media::ssr::store_private(&pool, &app.storage, owner_id, &fake).await;
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("formats acceptés : PDF")
    );
    assert_eq!(media_count(&pool).await, 1);

    let path = format!("/medias/prive/{id}");
    let mut visitor = Client::new(&app);
    assert_eq!(visitor.get(&path).await.status(), StatusCode::SEE_OTHER);

    let mut owner = Client::new(&app);
    sign_in_ready(&mut owner, &owner_email).await;
    let response = owner.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/pdf");
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert!(body_text(response).await.contains("CV de Camille"));

    let mut other = signed_in(&app, Role::Recruiter, "Autre").await;
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);

    let mut admin = signed_in(&app, Role::Admin, "Admin").await;
    assert_eq!(admin.get(&path).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn private_files_on_the_local_disk(pool: PgPool) {
    private_suite(pool, "local").await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn private_files_on_s3(pool: PgPool) {
    private_suite(pool, "s3").await;
}

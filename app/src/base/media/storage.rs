//! Where uploaded bytes live: the local disk (default) or an S3-compatible
//! bucket, behind one small interface over `object_store`.

use bytes::Bytes;
use object_store::{
    Attribute, Attributes, ObjectStore, PutOptions, PutPayload, aws::AmazonS3Builder,
    local::LocalFileSystem, path::Path,
};
use std::sync::Arc;
use tracing::Instrument;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage configuration: {0}")]
    Config(String),
    #[error("storage backend: {0}")]
    Backend(#[from] object_store::Error),
}

/// Settings of the S3-compatible backend.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    /// `None` for AWS itself; the server's URL for MinIO, Garage, moto…
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

// The secret stays out of logs and error messages.
impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// A cheap-to-clone handle on the configured backend.
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    backend: &'static str,
}

impl Storage {
    /// Files under `dir`, created if missing.
    pub fn local(dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StorageError::Config(format!("{}: {e}", dir.display())))?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
            backend: "local",
        })
    }

    pub fn s3(settings: &S3Settings) -> Result<Self, StorageError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key);
        if let Some(endpoint) = &settings.endpoint {
            // Self-hosted servers answer on path-style URLs, often over plain HTTP on loopback.
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        Ok(Self {
            store: Arc::new(builder.build()?),
            backend: "s3",
        })
    }

    /// Each call to the store is a span of its own (an outgoing call to S3).
    fn span(&self, name: &'static str) -> tracing::Span {
        tracing::info_span!(
            "storage",
            otel.name = name,
            otel.kind = "client",
            backend = self.backend
        )
    }

    pub fn backend(&self) -> &'static str {
        self.backend
    }

    pub async fn put(
        &self,
        key: &str,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        let mut options = PutOptions::default();
        // Object stores keep the type (handy behind a CDN); a disk has nowhere to.
        if self.backend != "local" {
            let mut attributes = Attributes::new();
            attributes.insert(Attribute::ContentType, content_type.to_owned().into());
            options.attributes = attributes;
        }
        self.store
            .put_opts(&Path::from(key), PutPayload::from(bytes), options)
            .instrument(self.span("storage.put"))
            .await?;
        Ok(())
    }

    /// The bytes stored under `key`, or `None` when there is no such file.
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, StorageError> {
        let read = async { self.store.get(&Path::from(key)).await?.bytes().await };
        match read.instrument(self.span("storage.get")).await {
            Ok(found) => Ok(Some(found)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        match self
            .store
            .head(&Path::from(key))
            .instrument(self.span("storage.head"))
            .await
        {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    /// Deletes `key`; deleting a missing file is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self
            .store
            .delete(&Path::from(key))
            .instrument(self.span("storage.delete"))
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}

/// The content type of one of our own keys, from the extension we gave it.
pub fn content_type_of(key: &str) -> &'static str {
    match key.rsplit_once('.').map(|(_, ext)| ext) {
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        _ => "application/octet-stream",
    }
}

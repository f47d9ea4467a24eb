//! Configuration from the environment (and an optional `.env`).
//!
//! Every value is read and checked here, before anything starts: a missing or
//! invalid one is a [`ConfigError`] naming the variable, and the binary exits
//! with code 2.

use app::base::media::storage::S3Settings;
use std::{collections::HashMap, net::SocketAddr, path::PathBuf, time::Duration};
use url::Url;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Storage {
    Local { dir: PathBuf },
    S3(S3Settings),
}

#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub database_url: String,
    /// A streaming replica for what anonymous visitors read (public pages,
    /// searches, the public API); `None`: everything on `database_url`.
    pub database_read_url: Option<String>,
    pub database_pool_size: u32,
    /// Search statements run at once; the others wait their turn.
    pub search_concurrency: u32,
    /// Offer hits the search cache keeps in process (32 bytes each); the
    /// reads under way collect half as many more.
    pub search_hits_kept: usize,
    pub redis_url: String,
    pub redis_pool_size: usize,
    pub listen_addr: SocketAddr,
    pub public_base_url: Url,
    /// At least 64 bytes; encrypts the session cookie.
    pub session_key: Vec<u8>,
    /// A session ends after this much inactivity (sliding)…
    pub session_idle_timeout: Duration,
    /// How long a session command may take before the store is set aside
    /// (the breaker in `sessions`).
    pub session_store_timeout: Duration,
    /// …and at the latest this long after sign-in, active or not.
    pub session_absolute_timeout: Duration,
    /// 32 bytes that encrypt secrets at rest (TOTP seeds).
    pub data_key: [u8; 32],
    /// Proxies whose Forwarded / X-Forwarded-For headers name the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `/metrics` on the main address answers only this bearer token.
    pub metrics_token: Option<String>,
    /// A second address serving `/metrics` alone, without a token (for a
    /// scraper inside the private network).
    pub metrics_listen_addr: Option<SocketAddr>,
    pub log_format: LogFormat,
    /// Where traces go over OTLP/HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`); `None`:
    /// no tracing export at all.
    pub otlp_endpoint: Option<Url>,
    pub otel_service_name: String,
    pub smtp_url: Url,
    pub mail_from: String,
    pub storage: Storage,
    /// The folder cargo-leptos builds: `pkg/` (JS, WASM, CSS) and public assets.
    pub site_root: PathBuf,
    pub request_timeout: Duration,
    pub body_limit_bytes: usize,
    /// Time to receive a request's body, and an upload's.
    pub body_timeout: Duration,
    pub upload_timeout: Duration,
    pub shutdown_grace: Duration,
    /// After SIGTERM, how long `/readyz` says 503 before the listener closes.
    pub shutdown_drain: Duration,
    /// Time a client has to send a request's head (also the idle time
    /// allowed between two requests on one connection).
    pub header_read_timeout: Duration,
    /// Connections served at once (also bounded by the open-files limit).
    pub max_connections: usize,
    /// Per-IP limit on sign-in, sign-up, reset and 2FA: a burst, then one
    /// attempt per refill period.
    pub auth_rate_burst: u32,
    pub auth_rate_refill: Duration,
    /// Origins (`https://partenaire.fr`) whose pages may call the public API
    /// `/api/v1` from a browser (CORS); empty: none.
    pub api_cors_origins: Vec<String>,
    /// Per-IP quota of the public API: a burst, refilled at so many a minute.
    pub api_rate_burst: u32,
    pub api_rate_per_minute: u32,
    /// The quota of each API client or user token, instead of its address's.
    pub api_client_rate_burst: u32,
    pub api_client_rate_per_minute: u32,
    /// Ed25519 keys that sign the API's access tokens (`API_SIGNING_KEYS`):
    /// the first signs, all are published.
    pub api_signing_keys: ApiSigningKeys,
    /// Time between two ticks of the background worker (alerts, expiry);
    /// `None` (WORKER_INTERVAL_SECS=0) leaves the work to other replicas.
    pub worker_interval: Option<Duration>,
    /// How often the audience counts are written; `None`
    /// (AUDIENCE_FLUSH_SECS=0) counts nothing at all.
    pub audience_flush: Option<Duration>,
}

/// One bad variable: what it is and what is wrong with it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration error: {var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

fn bad(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

/// The API's token signing keys: (kid, Ed25519 seed) pairs, the signing
/// one first. `Debug` shows the kids only.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiSigningKeys {
    keys: Vec<(String, [u8; 32])>,
    from_session_key: bool,
}

impl std::fmt::Debug for ApiSigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.keys.iter().map(|(kid, _)| kid))
            .finish()
    }
}

/// What precedes the 32-byte seed in an Ed25519 PKCS#8 v1 key (RFC 8410),
/// as `openssl genpkey -algorithm ed25519` writes it.
const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

impl ApiSigningKeys {
    pub fn keys(&self) -> &[(String, [u8; 32])] {
        &self.keys
    }

    /// Whether these are the development key derived from SESSION_KEY.
    pub fn from_session_key(&self) -> bool {
        self.from_session_key
    }

    pub fn from_seeds(keys: Vec<(String, [u8; 32])>) -> Self {
        Self {
            keys,
            from_session_key: false,
        }
    }

    /// `kid:KEY[,kid:KEY…]`, each KEY an Ed25519 private key: a PEM
    /// (`openssl genpkey -algorithm ed25519`), its base64 body, or the
    /// base64 of the raw 32-byte seed.
    fn parse(value: &str) -> Result<Self, String> {
        let mut keys: Vec<(String, [u8; 32])> = Vec::new();
        for item in value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let (kid, key) = item
                .split_once(':')
                .ok_or("each key is kid:KEY (e.g. 2026-12:MC4CAQAwBQYDK2VwBCIEI…)")?;
            let kid = kid.trim();
            if kid.is_empty()
                || kid.len() > 64
                || !kid
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            {
                return Err(format!(
                    "'{kid}' is not a key id (1 to 64 letters, digits, - _ .)"
                ));
            }
            if keys.iter().any(|(known, _)| known == kid) {
                return Err(format!("key id '{kid}' is given twice"));
            }
            let body: String = key
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .split_whitespace()
                .collect();
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(body)
                .map_err(|_| format!("key '{kid}' is not base64"))?;
            let seed = match bytes.len() {
                48 if bytes[..16] == PKCS8_ED25519_PREFIX => &bytes[16..],
                32 => &bytes[..],
                _ => {
                    return Err(format!(
                        "key '{kid}' is not an Ed25519 private key (PKCS#8 or 32-byte seed)"
                    ));
                }
            };
            let mut raw = [0u8; 32];
            raw.copy_from_slice(seed);
            keys.push((kid.to_owned(), raw));
        }
        if keys.is_empty() {
            return Err("no key given".into());
        }
        Ok(Self::from_seeds(keys))
    }

    /// Development only: a key derived from the session key, so that tokens
    /// survive a restart without any setting.
    fn derived(session_key: &[u8]) -> Self {
        let mut seed = [0u8; 32];
        // 32 bytes are far below HKDF-SHA256's limit: this cannot fail.
        let _ = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"passerelle"), session_key)
            .expand(b"api token signing key (development)", &mut seed);
        Self {
            keys: vec![("dev".to_owned(), seed)],
            from_session_key: true,
        }
    }
}

/// Used only in development so that `make dev` works with no `.env`.
const DEV_DATA_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Used only in development so that `make dev` works with no `.env`.
const DEV_SESSION_KEY: &str =
    "passerelle-development-only-session-key-never-use-in-production-0123456789";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(&std::env::vars().collect())
    }

    /// Reads the given variables (the process environment in production, a
    /// map in tests).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |name: &str| vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());

        let mode = match get("PASSERELLE_ENV").unwrap_or("development") {
            "development" | "dev" => Mode::Development,
            "production" | "prod" => Mode::Production,
            other => {
                return Err(bad(
                    "PASSERELLE_ENV",
                    format!("'{other}' is not 'development' or 'production'"),
                ));
            }
        };
        let prod = mode == Mode::Production;

        let database_url = get("DATABASE_URL").ok_or_else(|| {
            bad(
                "DATABASE_URL",
                "missing (e.g. postgres://user@host:5432/passerelle)",
            )
        })?;
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(bad(
                "DATABASE_URL",
                "must start with postgres:// or postgresql://",
            ));
        }
        let database_read_url = get("DATABASE_READ_URL");
        if let Some(url) = database_read_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(bad(
                "DATABASE_READ_URL",
                "must start with postgres:// or postgresql://",
            ));
        }
        let otlp_endpoint = get("OTEL_EXPORTER_OTLP_ENDPOINT")
            .map(|url| {
                Url::parse(url)
                    .ok()
                    .filter(|url| matches!(url.scheme(), "http" | "https"))
                    .ok_or_else(|| {
                        bad(
                            "OTEL_EXPORTER_OTLP_ENDPOINT",
                            format!("'{url}' is not an http(s) URL such as http://127.0.0.1:4318"),
                        )
                    })
            })
            .transpose()?;
        let redis_url = get("REDIS_URL")
            .ok_or_else(|| bad("REDIS_URL", "missing (e.g. redis://127.0.0.1:6379)"))?;
        if !(redis_url.starts_with("redis://") || redis_url.starts_with("rediss://")) {
            return Err(bad("REDIS_URL", "must start with redis:// or rediss://"));
        }

        let listen_addr: SocketAddr = parse_or(
            get("LISTEN_ADDR").or(get("LEPTOS_SITE_ADDR")),
            "127.0.0.1:3000",
            "LISTEN_ADDR",
            "an address such as 127.0.0.1:3000",
        )?;

        let public_base_url = get("PUBLIC_BASE_URL")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("http://localhost:{}", listen_addr.port()));
        let public_base_url = Url::parse(&public_base_url)
            .map_err(|e| bad("PUBLIC_BASE_URL", format!("not a URL ({e})")))?;
        if !matches!(public_base_url.scheme(), "http" | "https") || public_base_url.host().is_none()
        {
            return Err(bad("PUBLIC_BASE_URL", "must be an http(s) URL with a host"));
        }
        if prod && public_base_url.scheme() != "https" {
            return Err(bad("PUBLIC_BASE_URL", "must use https in production"));
        }
        if prod && get("PUBLIC_BASE_URL").is_none() {
            return Err(bad("PUBLIC_BASE_URL", "missing (required in production)"));
        }

        let session_key = match get("SESSION_KEY") {
            Some(key) if key.len() >= 64 => key.as_bytes().to_vec(),
            Some(_) => {
                return Err(bad(
                    "SESSION_KEY",
                    "must be at least 64 characters (e.g. openssl rand -hex 32)",
                ));
            }
            None if prod => {
                return Err(bad(
                    "SESSION_KEY",
                    "missing (required in production; e.g. openssl rand -hex 32)",
                ));
            }
            None => DEV_SESSION_KEY.as_bytes().to_vec(),
        };
        if prod && session_key == DEV_SESSION_KEY.as_bytes() {
            return Err(bad(
                "SESSION_KEY",
                "the development key cannot be used in production",
            ));
        }

        let data_key = match get("DATA_ENCRYPTION_KEY") {
            Some(hex) => parse_key(hex).ok_or_else(|| {
                bad(
                    "DATA_ENCRYPTION_KEY",
                    "must be 64 hexadecimal characters (e.g. openssl rand -hex 32)",
                )
            })?,
            None if prod => {
                return Err(bad(
                    "DATA_ENCRYPTION_KEY",
                    "missing (required in production; e.g. openssl rand -hex 32)",
                ));
            }
            None => parse_key(DEV_DATA_KEY).unwrap_or([0; 32]),
        };
        if prod && data_key == [0; 32] {
            return Err(bad(
                "DATA_ENCRYPTION_KEY",
                "the development key cannot be used in production",
            ));
        }

        let trusted_proxies = get("TRUSTED_PROXIES")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<ipnet::IpNet>()
                    .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        bad(
                            "TRUSTED_PROXIES",
                            format!("'{item}' is not an IP address or a CIDR block"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let metrics_token = match get("METRICS_TOKEN") {
            Some(token) if token.len() < 32 => {
                return Err(bad(
                    "METRICS_TOKEN",
                    "must be at least 32 characters (e.g. openssl rand -hex 16)",
                ));
            }
            token => token.map(str::to_owned),
        };
        let metrics_listen_addr = get("METRICS_LISTEN_ADDR")
            .map(|addr| {
                addr.parse::<SocketAddr>().map_err(|_| {
                    bad(
                        "METRICS_LISTEN_ADDR",
                        format!("'{addr}' is not an address such as 127.0.0.1:9100"),
                    )
                })
            })
            .transpose()?;

        let minutes = |var: &'static str, default: &str, max: u64| {
            parse_or::<u64>(get(var), default, var, "a number of minutes").and_then(|n| {
                if (1..=max).contains(&n) {
                    Ok(Duration::from_secs(60 * n))
                } else {
                    Err(bad(var, format!("must be between 1 and {max}")))
                }
            })
        };
        // Thirty days at most: the worker forgets sessions idle for longer.
        let session_idle_timeout = minutes("SESSION_IDLE_MINUTES", "120", 43_200)?;
        let session_absolute_timeout = minutes("SESSION_ABSOLUTE_MINUTES", "720", 43_200)?;
        if session_absolute_timeout < session_idle_timeout {
            return Err(bad(
                "SESSION_ABSOLUTE_MINUTES",
                "must not be shorter than SESSION_IDLE_MINUTES",
            ));
        }

        let log_format = match get("LOG_FORMAT") {
            None if prod => LogFormat::Json,
            None => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some("pretty") | Some("text") => LogFormat::Pretty,
            Some(other) => {
                return Err(bad(
                    "LOG_FORMAT",
                    format!("'{other}' is not 'json' or 'pretty'"),
                ));
            }
        };

        let smtp_url = match get("SMTP_URL") {
            Some(url) => {
                Url::parse(url).map_err(|e| bad("SMTP_URL", format!("not a URL ({e})")))?
            }
            None if prod => {
                return Err(bad(
                    "SMTP_URL",
                    "missing (required in production; e.g. smtps://user:pass@smtp.example.fr)",
                ));
            }
            None => {
                Url::parse("smtp://127.0.0.1:2525").map_err(|e| bad("SMTP_URL", e.to_string()))?
            }
        };
        if !matches!(smtp_url.scheme(), "smtp" | "smtps") {
            return Err(bad("SMTP_URL", "must start with smtp:// or smtps://"));
        }
        let mail_from = get("MAIL_FROM")
            .unwrap_or("Passerelle <ne-pas-repondre@passerelle.localhost>")
            .to_owned();
        if !mail_from.contains('@') {
            return Err(bad("MAIL_FROM", "must contain an e-mail address"));
        }

        let storage = match get("STORAGE_BACKEND").unwrap_or("local") {
            "local" => Storage::Local {
                dir: PathBuf::from(get("STORAGE_LOCAL_DIR").unwrap_or(".data/uploads")),
            },
            "s3" => {
                let endpoint = get("S3_ENDPOINT")
                    .map(|e| {
                        Url::parse(e)
                            .map(|url| url.as_str().trim_end_matches('/').to_owned())
                            .map_err(|err| bad("S3_ENDPOINT", format!("not a URL ({err})")))
                    })
                    .transpose()?;
                let required = |name: &'static str| {
                    get(name)
                        .map(str::to_owned)
                        .ok_or_else(|| bad(name, "missing (required when STORAGE_BACKEND=s3)"))
                };
                Storage::S3(S3Settings {
                    bucket: required("S3_BUCKET")?,
                    endpoint,
                    region: get("S3_REGION").unwrap_or("us-east-1").to_owned(),
                    access_key_id: required("S3_ACCESS_KEY_ID")?,
                    secret_access_key: required("S3_SECRET_ACCESS_KEY")?,
                })
            }
            other => {
                return Err(bad(
                    "STORAGE_BACKEND",
                    format!("'{other}' is not 'local' or 's3'"),
                ));
            }
        };

        let api_cors_origins = get("API_CORS_ORIGINS")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                let url = Url::parse(item).map_err(|_| {
                    bad(
                        "API_CORS_ORIGINS",
                        format!("'{item}' is not an origin such as https://partenaire.fr"),
                    )
                })?;
                let origin = url.origin().ascii_serialization();
                if !matches!(url.scheme(), "http" | "https")
                    || origin.trim_end_matches('/') != item.trim_end_matches('/')
                {
                    return Err(bad(
                        "API_CORS_ORIGINS",
                        format!("'{item}' is not an origin (scheme://host[:port], no path)"),
                    ));
                }
                Ok(origin)
            })
            .collect::<Result<Vec<_>, _>>()?;

        let api_signing_keys = match get("API_SIGNING_KEYS") {
            Some(value) => {
                ApiSigningKeys::parse(value).map_err(|problem| bad("API_SIGNING_KEYS", problem))?
            }
            None if prod => {
                return Err(bad(
                    "API_SIGNING_KEYS",
                    "missing (required in production: kid:KEY, KEY from openssl genpkey -algorithm ed25519)",
                ));
            }
            None => ApiSigningKeys::derived(&session_key),
        };

        Ok(Self {
            mode,
            database_url: database_url.to_owned(),
            database_read_url: database_read_url.map(str::to_owned),
            otlp_endpoint,
            otel_service_name: get("OTEL_SERVICE_NAME").unwrap_or("passerelle").to_owned(),
            database_pool_size: parse_within(
                get("DATABASE_POOL_SIZE"),
                "10",
                "DATABASE_POOL_SIZE",
                "a number of connections",
                (1, Some(500)),
            )?,
            search_concurrency: parse_within(
                get("SEARCH_CONCURRENCY"),
                "4",
                "SEARCH_CONCURRENCY",
                "a number of searches",
                (1, Some(500)),
            )?,
            search_hits_kept: parse_within(
                get("SEARCH_HITS_KEPT"),
                &app::ui::search::cache::HITS_KEPT.to_string(),
                "SEARCH_HITS_KEPT",
                "a number of hits",
                (0, Some(100_000_000)),
            )?,
            redis_url: redis_url.to_owned(),
            redis_pool_size: parse_within(
                get("REDIS_POOL_SIZE"),
                "4",
                "REDIS_POOL_SIZE",
                "a number of connections",
                (1, Some(64)),
            )?,
            listen_addr,
            public_base_url,
            session_key,
            session_idle_timeout,
            session_store_timeout: Duration::from_millis(parse_or(
                get("SESSION_STORE_TIMEOUT_MS"),
                "250",
                "SESSION_STORE_TIMEOUT_MS",
                "a number of milliseconds",
            )?),
            session_absolute_timeout,
            data_key,
            trusted_proxies,
            metrics_token,
            metrics_listen_addr,
            log_format,
            smtp_url,
            mail_from,
            storage,
            site_root: PathBuf::from(
                get("SITE_ROOT")
                    .or(get("LEPTOS_SITE_ROOT"))
                    .unwrap_or("target/site"),
            ),
            request_timeout: Duration::from_secs(parse_or(
                get("REQUEST_TIMEOUT_SECS"),
                "30",
                "REQUEST_TIMEOUT_SECS",
                "a number of seconds",
            )?),
            body_limit_bytes: parse_or(
                get("BODY_LIMIT_BYTES"),
                "2097152",
                "BODY_LIMIT_BYTES",
                "a number of bytes",
            )?,
            body_timeout: Duration::from_secs(parse_or(
                get("BODY_TIMEOUT_SECS"),
                "20",
                "BODY_TIMEOUT_SECS",
                "a number of seconds",
            )?),
            upload_timeout: Duration::from_secs(parse_or(
                get("UPLOAD_TIMEOUT_SECS"),
                "120",
                "UPLOAD_TIMEOUT_SECS",
                "a number of seconds",
            )?),
            shutdown_grace: Duration::from_secs(parse_or(
                get("SHUTDOWN_GRACE_SECS"),
                "20",
                "SHUTDOWN_GRACE_SECS",
                "a number of seconds",
            )?),
            shutdown_drain: Duration::from_secs(parse_or(
                get("SHUTDOWN_DRAIN_SECS"),
                if prod { "5" } else { "0" },
                "SHUTDOWN_DRAIN_SECS",
                "a number of seconds",
            )?),
            header_read_timeout: Duration::from_secs(parse_within(
                get("HEADER_READ_TIMEOUT_SECS"),
                "10",
                "HEADER_READ_TIMEOUT_SECS",
                "a number of seconds",
                (1, None),
            )?),
            max_connections: parse_within(
                get("MAX_CONNECTIONS"),
                "10000",
                "MAX_CONNECTIONS",
                "a number of connections",
                (1, None),
            )?,
            auth_rate_burst: parse_within(
                get("AUTH_RATE_BURST"),
                "10",
                "AUTH_RATE_BURST",
                "a number of attempts",
                (1, None),
            )?,
            auth_rate_refill: Duration::from_secs(parse_within(
                get("AUTH_RATE_REFILL_SECS"),
                "6",
                "AUTH_RATE_REFILL_SECS",
                "a number of seconds",
                (1, None),
            )?),
            api_cors_origins,
            api_rate_burst: parse_within(
                get("API_RATE_BURST"),
                "120",
                "API_RATE_BURST",
                "a number of requests",
                (1, Some(1_000_000)),
            )?,
            api_rate_per_minute: parse_within(
                get("API_RATE_PER_MINUTE"),
                "240",
                "API_RATE_PER_MINUTE",
                "a number of requests",
                (1, Some(1_000_000)),
            )?,
            api_client_rate_burst: parse_within(
                get("API_CLIENT_RATE_BURST"),
                "600",
                "API_CLIENT_RATE_BURST",
                "a number of requests",
                (1, Some(1_000_000)),
            )?,
            api_client_rate_per_minute: parse_within(
                get("API_CLIENT_RATE_PER_MINUTE"),
                "1200",
                "API_CLIENT_RATE_PER_MINUTE",
                "a number of requests",
                (1, Some(1_000_000)),
            )?,
            api_signing_keys,
            worker_interval: match parse_or::<u64>(
                get("WORKER_INTERVAL_SECS"),
                "60",
                "WORKER_INTERVAL_SECS",
                "a number of seconds",
            )? {
                0 => None,
                secs => Some(Duration::from_secs(secs)),
            },
            audience_flush: match parse_or::<u64>(
                get("AUDIENCE_FLUSH_SECS"),
                "10",
                "AUDIENCE_FLUSH_SECS",
                "a number of seconds",
            )? {
                0 => None,
                secs => Some(Duration::from_secs(secs)),
            },
        })
    }

    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
    }

    /// The base URL without its trailing slash, as pages use it.
    pub fn base_url(&self) -> String {
        self.public_base_url
            .as_str()
            .trim_end_matches('/')
            .to_owned()
    }

    /// The origin (`scheme://host[:port]`) that state-changing requests must come from.
    pub fn origin(&self) -> String {
        self.public_base_url.origin().ascii_serialization()
    }
}

/// 64 hexadecimal characters as 32 bytes.
fn parse_key(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

fn parse_or<T: std::str::FromStr>(
    value: Option<&str>,
    default: &str,
    var: &'static str,
    expected: &str,
) -> Result<T, ConfigError> {
    let raw = value.unwrap_or(default);
    raw.parse()
        .map_err(|_| bad(var, format!("'{raw}' is not {expected}")))
}

/// `parse_or`, then a bound: `(min, Some(max))` for `min..=max`, `(min,
/// None)` for `min` or more.
fn parse_within<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    value: Option<&str>,
    default: &str,
    var: &'static str,
    expected: &str,
    (min, max): (T, Option<T>),
) -> Result<T, ConfigError> {
    let n: T = parse_or(value, default, var, expected)?;
    match max {
        Some(max) if n < min || n > max => {
            Err(bad(var, format!("must be between {min} and {max}")))
        }
        None if n < min => Err(bad(var, format!("must be at least {min}"))),
        _ => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        let mut map: HashMap<String, String> = [
            ("DATABASE_URL", "postgres://u@127.0.0.1/db"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in pairs {
            map.insert(k.to_string(), v.to_string());
        }
        map
    }

    #[test]
    fn development_defaults_are_usable() {
        let config = Config::from_vars(&vars(&[])).expect("valid");
        assert_eq!(config.mode, Mode::Development);
        assert_eq!(config.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.base_url(), "http://localhost:3000");
        assert_eq!(config.origin(), "http://localhost:3000");
        assert_eq!(config.log_format, LogFormat::Pretty);
        assert!(config.session_key.len() >= 64);
    }

    #[test]
    fn missing_database_url_is_named() {
        let mut v = vars(&[]);
        v.remove("DATABASE_URL");
        let err = Config::from_vars(&v).expect_err("missing");
        assert_eq!(err.var, "DATABASE_URL");
    }

    #[test]
    fn invalid_numbers_are_named() {
        let err = Config::from_vars(&vars(&[("DATABASE_POOL_SIZE", "beaucoup")])).expect_err("bad");
        assert_eq!(err.var, "DATABASE_POOL_SIZE");
        assert!(err.problem.contains("beaucoup"));
        let err = Config::from_vars(&vars(&[("DATABASE_POOL_SIZE", "0")])).expect_err("bad");
        assert_eq!(err.var, "DATABASE_POOL_SIZE");
    }

    #[test]
    fn production_refuses_insecure_defaults() {
        let prod = [
            ("PASSERELLE_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://passerelle.fr"),
            ("SMTP_URL", "smtp://mail:25"),
        ];
        let err = Config::from_vars(&vars(&prod)).expect_err("no session key");
        assert_eq!(err.var, "SESSION_KEY");

        let key = "k".repeat(64);
        let data_key = "ab".repeat(32);
        let mut with_http = prod.to_vec();
        with_http.push(("SESSION_KEY", &key));
        with_http.push(("DATA_ENCRYPTION_KEY", &data_key));
        with_http.push(("API_SIGNING_KEYS", PEM_KEY));
        with_http[1] = ("PUBLIC_BASE_URL", "http://passerelle.fr");
        let err = Config::from_vars(&vars(&with_http)).expect_err("http base URL");
        assert_eq!(err.var, "PUBLIC_BASE_URL");

        with_http[1] = ("PUBLIC_BASE_URL", "https://passerelle.fr");
        let config = Config::from_vars(&vars(&with_http)).expect("secure production config");
        assert!(config.is_production());
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn short_session_key_is_refused() {
        let err = Config::from_vars(&vars(&[("SESSION_KEY", "trop-court")])).expect_err("short");
        assert_eq!(err.var, "SESSION_KEY");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_blocks() {
        let config = Config::from_vars(&vars(&[("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,::1")]))
            .expect("valid list");
        assert_eq!(config.trusted_proxies.len(), 3);
        let err = Config::from_vars(&vars(&[("TRUSTED_PROXIES", "10.0.0.0/8,proxy.local")]))
            .expect_err("a name is not an address");
        assert_eq!(err.var, "TRUSTED_PROXIES");
    }

    #[test]
    fn production_needs_its_own_data_key() {
        let mut production = vars(&[
            ("PASSERELLE_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://passerelle.example"),
            ("SESSION_KEY", &"k".repeat(64)),
            ("SMTP_URL", "smtps://smtp.example"),
        ]);
        let err = Config::from_vars(&production).expect_err("no data key");
        assert_eq!(err.var, "DATA_ENCRYPTION_KEY");
        production.insert("DATA_ENCRYPTION_KEY".into(), "0".repeat(64));
        let err = Config::from_vars(&production).expect_err("development key");
        assert_eq!(err.var, "DATA_ENCRYPTION_KEY");
        production.insert("DATA_ENCRYPTION_KEY".into(), "ab".repeat(32));
        let err = Config::from_vars(&production).expect_err("no API signing key");
        assert_eq!(err.var, "API_SIGNING_KEYS");
        production.insert("API_SIGNING_KEYS".into(), PEM_KEY.into());
        assert!(Config::from_vars(&production).is_ok());
    }

    #[test]
    fn sessions_end_when_idle_and_at_an_absolute_limit() {
        let config = Config::from_vars(&vars(&[])).expect("defaults");
        assert_eq!(config.session_idle_timeout, Duration::from_secs(2 * 3600));
        assert_eq!(
            config.session_absolute_timeout,
            Duration::from_secs(12 * 3600)
        );
        let err = Config::from_vars(&vars(&[
            ("SESSION_IDLE_MINUTES", "600"),
            ("SESSION_ABSOLUTE_MINUTES", "60"),
        ]))
        .expect_err("absolute shorter than idle");
        assert_eq!(err.var, "SESSION_ABSOLUTE_MINUTES");
    }

    #[test]
    fn api_cors_origins_are_origins() {
        let config = Config::from_vars(&vars(&[(
            "API_CORS_ORIGINS",
            "https://partenaire.fr, http://localhost:8080",
        )]))
        .expect("valid origins");
        assert_eq!(
            config.api_cors_origins,
            ["https://partenaire.fr", "http://localhost:8080"]
        );
        assert!(
            Config::from_vars(&vars(&[]))
                .expect("defaults")
                .api_cors_origins
                .is_empty()
        );
        for bad in ["partenaire.fr", "https://partenaire.fr/page", "ftp://x.fr"] {
            let err = Config::from_vars(&vars(&[("API_CORS_ORIGINS", bad)])).expect_err(bad);
            assert_eq!(err.var, "API_CORS_ORIGINS");
        }
    }

    /// `openssl genpkey -algorithm ed25519`, with its key id.
    const PEM_KEY: &str = "2026-12:-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEICBdDIYAJh25vuw0cmZUfjG0HLeEk6kTosLihEFHHmtN
-----END PRIVATE KEY-----";

    #[test]
    fn api_signing_keys_are_named_ed25519_keys() {
        // Development: derived from the session key, the same at each start.
        let config = Config::from_vars(&vars(&[])).expect("defaults");
        assert!(config.api_signing_keys.from_session_key());
        assert_eq!(config.api_signing_keys.keys()[0].0, "dev");
        let again = Config::from_vars(&vars(&[])).expect("defaults");
        assert_eq!(config.api_signing_keys, again.api_signing_keys);
        let other = Config::from_vars(&vars(&[("SESSION_KEY", &"z".repeat(64))])).expect("key");
        assert_ne!(config.api_signing_keys, other.api_signing_keys);

        // A PEM, its body alone, and a raw seed: the same seed for the first two.
        let body = "MC4CAQAwBQYDK2VwBCIEICBdDIYAJh25vuw0cmZUfjG0HLeEk6kTosLihEFHHmtN";
        let seed = "IF0MhgAmHbm+7DRyZlR+MbQct4STqROiwuKEQUcea00=";
        let list = format!("{PEM_KEY}, ancienne:{body},brute:{seed}");
        let config = Config::from_vars(&vars(&[("API_SIGNING_KEYS", &list)])).expect("keys");
        let keys = config.api_signing_keys.keys();
        assert!(!config.api_signing_keys.from_session_key());
        assert_eq!(keys.len(), 3);
        assert_eq!(
            (keys[0].0.as_str(), keys[1].0.as_str()),
            ("2026-12", "ancienne")
        );
        assert_eq!(keys[0].1, keys[1].1);
        assert_eq!(keys[1].1, keys[2].1);
        // The seeds never show in the configuration's Debug.
        let debug = format!("{config:?}");
        assert!(debug.contains("2026-12") && !debug.contains("32, 93"));

        for bad in [
            "sans-identifiant",
            "a:pas du base64!",
            "a:AAAA",
            &format!("a:{seed},a:{seed}"),
            &format!("a b:{seed}"),
        ] {
            let err = Config::from_vars(&vars(&[("API_SIGNING_KEYS", bad)])).expect_err(bad);
            assert_eq!(err.var, "API_SIGNING_KEYS");
        }
    }

    #[test]
    fn s3_storage_needs_a_bucket() {
        let err = Config::from_vars(&vars(&[("STORAGE_BACKEND", "s3")])).expect_err("no bucket");
        assert_eq!(err.var, "S3_BUCKET");
    }
}

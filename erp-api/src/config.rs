//! Configuration from flags, environment variables (`ERP_*`) and an optional TOML file,
//! in that order of precedence, validated at start-up with clear messages.

use std::path::PathBuf;

use clap::Args;
use serde::Deserialize;

/// Settings given on the command line or in the environment.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// TOML file with any of the settings below (keys as in the long flags, with `_`).
    #[arg(long, env = "ERP_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "ERP_BIND", global = true)]
    pub bind: Option<String>,
    /// Folder for the embedded SQLite database.
    #[arg(long, env = "ERP_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// postgres://user@host/db, or sqlite://path (default: sqlite in the data folder).
    #[arg(long, env = "ERP_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Secret that signs access tokens, at least 32 bytes (default: generated and kept in the database).
    #[arg(long, env = "ERP_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Password of the `admin` user created on first start (default: generated and printed once).
    #[arg(
        long,
        env = "ERP_ADMIN_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    /// Lifetime of access tokens in seconds.
    #[arg(long, env = "ERP_ACCESS_TOKEN_TTL", global = true)]
    pub access_token_ttl: Option<i64>,
    /// Lifetime of refresh tokens in seconds.
    #[arg(long, env = "ERP_REFRESH_TOKEN_TTL", global = true)]
    pub refresh_token_ttl: Option<i64>,
    /// Largest request body in bytes.
    #[arg(long, env = "ERP_MAX_BODY_BYTES", global = true)]
    pub max_body_bytes: Option<usize>,
    /// `text` or `json`.
    #[arg(long, env = "ERP_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "ERP_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Database connections in the pool.
    #[arg(long, env = "ERP_DB_POOL_SIZE", global = true)]
    pub db_pool_size: Option<u32>,
    /// Comma-separated IP addresses of load balancers whose `X-Forwarded-For` names the client
    /// (login throttling counts per client address).
    #[arg(long, env = "ERP_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
}

/// The same settings in a TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    jwt_secret: Option<String>,
    admin_password: Option<String>,
    access_token_ttl: Option<i64>,
    refresh_token_ttl: Option<i64>,
    max_body_bytes: Option<usize>,
    log_format: Option<String>,
    workers: Option<usize>,
    db_pool_size: Option<u32>,
    trusted_proxies: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Validated settings; the application is built from these by value.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub jwt_secret: Option<String>,
    pub admin_password: Option<String>,
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub max_body_bytes: usize,
    pub log_format: LogFormat,
    pub workers: Option<usize>,
    pub db_pool_size: Option<u32>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Settings {
    /// Defaults for a database URL: what tests and embedders start from.
    pub fn for_database(database_url: impl Into<String>) -> Settings {
        Settings {
            bind: "127.0.0.1:8080".into(),
            database_url: database_url.into(),
            jwt_secret: None,
            admin_password: None,
            access_token_ttl: 900,
            refresh_token_ttl: 30 * 24 * 3600,
            max_body_bytes: erp_core::http::DEFAULT_BODY_LIMIT,
            log_format: LogFormat::Text,
            workers: None,
            db_pool_size: None,
            trusted_proxies: Vec::new(),
        }
    }

    /// Merges flags/environment over the file over defaults, and validates.
    pub fn load(args: &ConfigArgs) -> Result<Settings, String> {
        let file = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    format!("cannot read the configuration file {}: {e}", path.display())
                })?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| format!("configuration file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let data_dir = args
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = args
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("erp.db").display()));
        let defaults = Settings::for_database(database_url);
        let log_format = match args.log_format.clone().or(file.log_format).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(format!(
                    "log_format must be `text` or `json`, not `{other}`"
                ))
            }
        };
        let trusted_proxies = args
            .trusted_proxies
            .clone()
            .or(file.trusted_proxies)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<std::net::IpAddr>()
                    .map_err(|_| format!("trusted_proxies: `{p}` is not an IP address"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let settings = Settings {
            trusted_proxies,
            bind: args.bind.clone().or(file.bind).unwrap_or(defaults.bind),
            jwt_secret: args.jwt_secret.clone().or(file.jwt_secret),
            admin_password: args.admin_password.clone().or(file.admin_password),
            access_token_ttl: args
                .access_token_ttl
                .or(file.access_token_ttl)
                .unwrap_or(defaults.access_token_ttl),
            refresh_token_ttl: args
                .refresh_token_ttl
                .or(file.refresh_token_ttl)
                .unwrap_or(defaults.refresh_token_ttl),
            max_body_bytes: args
                .max_body_bytes
                .or(file.max_body_bytes)
                .unwrap_or(defaults.max_body_bytes),
            log_format,
            workers: args.workers.or(file.workers),
            db_pool_size: args.db_pool_size.or(file.db_pool_size),
            database_url: defaults.database_url,
        };
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> Result<(), String> {
        erp_core::db::DbUrl::parse(&self.database_url).map_err(|e| format!("database_url: {e}"))?;
        self.bind.parse::<std::net::SocketAddr>().map_err(|_| {
            format!(
                "bind: `{}` is not an address such as 127.0.0.1:8080",
                self.bind
            )
        })?;
        if let Some(s) = &self.jwt_secret {
            if s.len() < 32 {
                return Err("jwt_secret: must be at least 32 bytes".into());
            }
        }
        if !(60..=86_400).contains(&self.access_token_ttl) {
            return Err("access_token_ttl: must be between 60 and 86400 seconds".into());
        }
        if !(300..=31_536_000).contains(&self.refresh_token_ttl) {
            return Err("refresh_token_ttl: must be between 300 seconds and a year".into());
        }
        if !(1024..=64 * 1024 * 1024).contains(&self.max_body_bytes) {
            return Err("max_body_bytes: must be between 1 KiB and 64 MiB".into());
        }
        if self.workers == Some(0) || self.db_pool_size == Some(0) {
            return Err("workers and db_pool_size must be at least 1".into());
        }
        Ok(())
    }
}

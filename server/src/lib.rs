//! The `passerelle` server: configuration, HTTP stack, middleware and the
//! command-line subcommands. Pages and data live in the `app` crate.

pub mod api;
pub mod audience;
pub mod catalogue_seed;
pub mod cli;
pub mod client_ip;
pub mod communes;
pub mod config;
mod demo;
pub mod error;
pub mod health;
pub mod http;
pub mod input;
pub mod jobs_seed;
pub mod metrics;
pub mod page_cache;
pub mod rate_limit;
pub mod renders;
pub mod security;
pub mod seed;
pub mod serve;
pub mod sessions;
pub mod state;
pub mod telemetry;

//! Tollgate: an identity server that speaks Okta's language.
//!
//! This crate is the binary and the HTTP server: the CLI, settings, the router and the handlers
//! of the management API. Handlers stay thin: they extract and validate, call one function that
//! does the work (Okta's semantics live in `tollgate-core`, persistence in `tollgate-store`),
//! and map the result.

pub mod api;
pub mod caches;
pub mod cli;
pub mod config;
pub mod console;
pub mod demo;
pub mod events;
pub mod first_admin;
pub mod http;
pub mod keys;
pub mod login;
pub mod mail;
pub mod oauth;
pub mod orgfile;
pub mod pages;
pub mod router;
pub mod saml;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod tls;

pub use config::Settings;
pub use server::{Running, Server};

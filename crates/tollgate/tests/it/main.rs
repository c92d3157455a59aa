//! HTTP end-to-end tests: each starts the real server on `127.0.0.1:0`, in process, over a
//! scratch SQLite file and again over a scratch PostgreSQL database (when
//! `TOLLGATE_TEST_DATABASE_URL` is set), and speaks HTTP to it as a client would.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code fails loudly"
)]

mod process;
mod support;

mod abuse;
mod apps;
mod authz;
mod backup;
mod cli;
mod console;
mod databases;
mod demo;
mod directory;
mod discovery;
mod foundation;
mod group_rules;
mod keys;
mod logins;
mod logs;
mod oauth;
mod observability;
mod org_settings;
mod orgfile;
mod overload;
mod pages;
mod preview;
mod preview_org;
mod proxies;
mod races;
mod roles;
mod saml;
mod schemas;
mod signin;
mod tls;
mod token_cli;
mod trusted_origins;
mod users;

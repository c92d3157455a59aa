//! Signing a typical access token: the pre-parsed key pair against `jsonwebtoken::encode`.
//!
//! `cargo bench -p tollgate-core --bench sign -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used, reason = "benchmark code fails loudly")]

use std::hint::black_box;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, criterion_group, criterion_main};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use tollgate_core::token::jws::SigningKey;
use tollgate_core::token::keys::GeneratedKey;

fn claims() -> serde_json::Value {
    json!({
        "ver": 1,
        "jti": "AT.Zq5mV2yXbS0KdRUQpW4fN1tHc7gLoEa9iJ3vB8xYzAu",
        "iss": "https://id.example.com/oauth2/default",
        "aud": "api://default",
        "iat": 1_764_270_000,
        "exp": 1_764_273_600,
        "cid": "0oa1b2c3d4e5f6g7h8i9",
        "uid": "00u1b2c3d4e5f6g7h8i9",
        "scp": ["openid", "profile", "email", "groups"],
        "auth_time": 1_764_269_990,
        "sub": "alice@example.com",
        "groups": ["Everyone", "Engineering", "West"],
    })
}

fn pkcs8_pem(der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

fn sign(c: &mut Criterion) {
    let generated = GeneratedKey::generate().unwrap();
    let kid = generated.jwk.kid.clone();
    let claims = claims();
    let key = SigningKey::from_pkcs8(&kid, generated.pkcs8()).unwrap();
    c.bench_function("access token, pre-parsed key pair", |b| {
        b.iter(|| key.sign_json(black_box(&claims)).unwrap())
    });
    // jsonwebtoken reads PKCS#1 DER or PEM; PEM carries our PKCS#8 as it is.
    let encoding = EncodingKey::from_rsa_pem(pkcs8_pem(generated.pkcs8()).as_bytes()).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.clone());
    c.bench_function("access token, jsonwebtoken::encode", |b| {
        b.iter(|| jsonwebtoken::encode(&header, black_box(&claims), &encoding).unwrap())
    });
    c.bench_function("parse PKCS#8 key pair", |b| {
        b.iter(|| SigningKey::from_pkcs8(&kid, black_box(generated.pkcs8())).unwrap())
    });
}

criterion_group!(benches, sign);
criterion_main!(benches);

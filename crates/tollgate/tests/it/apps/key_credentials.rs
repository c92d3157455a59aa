//! App key credentials and CSRs through the management API: the org's default app key every
//! app lists, generated and cloned keys with real certificates, and a CSR signed by a test CA
//! and published as a key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::{Value, json};

use super::create_app;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(keys_generate_and_clone, csrs_are_made_revoked_and_published);

fn kids(keys: &Value) -> Vec<String> {
    keys.as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

/// The certificate of a key, parsed.
fn certificate(key: &Value) -> Vec<u8> {
    let der = STANDARD.decode(key["x5c"][0].as_str().unwrap()).unwrap();
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    assert!(cert.public_key().parsed().is_ok());
    der
}

async fn keys_generate_and_clone(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let a = create_app(&app, "Key App A").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b_id = create_app(&app, "Key App B").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let keys_a = json(app.get(&format!("/api/v1/apps/{a}/credentials/keys")), 200).await;
    let keys_b = json(
        app.get(&format!("/api/v1/apps/{b_id}/credentials/keys")),
        200,
    )
    .await;
    assert_eq!(kids(&keys_a).len(), 1);
    assert_eq!(
        kids(&keys_a),
        kids(&keys_b),
        "every app lists the org's default key"
    );
    let default = &keys_a[0];
    for field in [
        "kty",
        "created",
        "lastUpdated",
        "expiresAt",
        "kid",
        "use",
        "x5c",
        "x5t#S256",
        "e",
        "n",
    ] {
        assert!(default.get(field).is_some(), "{field} missing: {default}");
    }
    certificate(default);

    let generate = |years: &str| {
        app.req(
            Method::POST,
            &format!("/api/v1/apps/{a}/credentials/keys/generate?validityYears={years}"),
        )
    };
    assert_okta_error(&json(generate("1"), 400).await, "E0000001");
    let made = json(generate("2"), 201).await;
    certificate(&made);
    let kid = made["kid"].as_str().unwrap().to_owned();
    assert_eq!(kid.len(), 43);
    assert!(made["expiresAt"].as_str().unwrap() > made["created"].as_str().unwrap());
    let read = json(
        app.get(&format!("/api/v1/apps/{a}/credentials/keys/{kid}")),
        200,
    )
    .await;
    assert_eq!(read, made);
    assert_eq!(
        kids(&json(app.get(&format!("/api/v1/apps/{a}/credentials/keys")), 200).await).len(),
        2
    );
    json(
        app.get(&format!("/api/v1/apps/{b_id}/credentials/keys/{kid}")),
        404,
    )
    .await;

    let clone = format!("/api/v1/apps/{a}/credentials/keys/{kid}/clone?targetAid={b_id}");
    let cloned = json(app.req(Method::POST, &clone), 201).await;
    assert_eq!(cloned["x5c"], made["x5c"]);
    assert!(
        kids(
            &json(
                app.get(&format!("/api/v1/apps/{b_id}/credentials/keys")),
                200
            )
            .await
        )
        .contains(&kid)
    );
    assert_okta_error(&json(app.req(Method::POST, &clone), 400).await, "E0000001");
    let nowhere =
        format!("/api/v1/apps/{a}/credentials/keys/{kid}/clone?targetAid=0oanothere0000000000");
    assert_okta_error(
        &json(app.req(Method::POST, &nowhere), 404).await,
        "E0000007",
    );
    app.finish().await;
}

/// A certificate for `csr` (base64 DER) signed by a throwaway CA, as PEM.
fn sign(csr: &str) -> String {
    let der = STANDARD.decode(csr).unwrap();
    let request = rcgen::CertificateSigningRequestParams::from_der(&der.into()).unwrap();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    request.signed_by(&issuer).unwrap().pem()
}

async fn csrs_are_made_revoked_and_published(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let a = create_app(&app, "CSR App").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let csrs = format!("/api/v1/apps/{a}/credentials/csrs");
    let metadata = json!({
        "subject": {"countryName": "US", "stateOrProvinceName": "California", "localityName": "San Francisco",
                    "organizationName": "Acme", "organizationalUnitName": "Dev", "commonName": "SP Issuer"},
        "subjectAltNames": {"dnsNames": ["dev.example.com"]}
    });
    assert_okta_error(
        &json(app.post(&csrs, &json!({"subject": {}})), 400).await,
        "E0000001",
    );
    let first = json(app.post(&csrs, &metadata), 201).await;
    let id = first["id"].as_str().unwrap().to_owned();
    assert_eq!(first["kty"], "RSA");
    assert!(
        first["_links"]["publish"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/lifecycle/publish")
    );
    let der = STANDARD.decode(first["csr"].as_str().unwrap()).unwrap();
    let parsed = rcgen::CertificateSigningRequestParams::from_der(&der.clone().into()).unwrap();
    assert!(format!("{:?}", parsed.params.distinguished_name).contains("SP Issuer"));
    assert_eq!(json(app.get(&format!("{csrs}/{id}")), 200).await, first);
    assert_eq!(
        send(app.delete(&format!("{csrs}/{id}"))).await.status(),
        204
    );
    json(app.get(&format!("{csrs}/{id}")), 404).await;
    assert_eq!(json(app.get(&csrs), 200).await, json!([]));

    let second = json(app.post(&csrs, &metadata), 201).await;
    let id = second["id"].as_str().unwrap().to_owned();
    let publish = format!("{csrs}/{id}/lifecycle/publish");
    let stranger = sign(
        &STANDARD.encode(
            rcgen::CertificateParams::new(vec!["x".to_owned()])
                .unwrap()
                .serialize_request(&rcgen::KeyPair::generate().unwrap())
                .unwrap()
                .der(),
        ),
    );
    let refused = send(
        app.req(Method::POST, &publish)
            .header("content-type", "application/x-pem-file")
            .body(stranger),
    )
    .await;
    assert_eq!(
        refused.status(),
        400,
        "a certificate for another key is refused"
    );
    let pem = sign(second["csr"].as_str().unwrap());
    let published = send(
        app.req(Method::POST, &publish)
            .header("content-type", "application/x-pem-file")
            .body(pem),
    )
    .await;
    assert_eq!(published.status(), 201);
    let key: Value = published.json().await.unwrap();
    assert_eq!(key["kid"], id.as_str());
    certificate(&key);
    let keys = json(app.get(&format!("/api/v1/apps/{a}/credentials/keys")), 200).await;
    assert!(kids(&keys).contains(&id));
    json(app.get(&format!("{csrs}/{id}")), 404).await;
    app.finish().await;
}

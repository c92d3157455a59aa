//! `settings.signOn` of a custom SAML 2.0 app: what Okta fills in when a field is left out and
//! the values it accepts.

use serde_json::{Map, Value, json};

use crate::error::Cause;

/// The defaults Okta's custom SAML app shows: recipient and destination follow the ACS URL
/// (see [`check`]), signed responses and assertions with RSA-SHA256, and the username as the
/// unspecified-format NameID.
pub(crate) fn defaults() -> Value {
    json!({
        "defaultRelayState": null,
        "ssoAcsUrlOverride": null,
        "audienceOverride": null,
        "recipientOverride": null,
        "destinationOverride": null,
        "idpIssuer": "http://www.okta.com/${org.externalKey}",
        "subjectNameIdTemplate": "${user.userName}",
        "subjectNameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
        "responseSigned": true,
        "assertionSigned": true,
        "signatureAlgorithm": "RSA_SHA256",
        "digestAlgorithm": "SHA256",
        "honorForceAuthn": true,
        "authnContextClassRef": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
        "requestCompressed": false,
        "allowMultipleAcsEndpoints": false,
        "acsEndpoints": [],
        "attributeStatements": [],
    })
}

const SIGNATURE_ALGORITHMS: [&str; 2] = ["RSA_SHA256", "RSA_SHA1"];
const DIGEST_ALGORITHMS: [&str; 2] = ["SHA256", "SHA1"];

/// Checks the fields Okta constrains and fills `recipient` and `destination` from `ssoAcsUrl`
/// when they were left out.
pub(crate) fn check(sign_on: &Map<String, Value>, causes: &mut Vec<Cause>) {
    let text = |k: &str| sign_on.get(k).and_then(Value::as_str);
    for field in ["ssoAcsUrl", "recipient", "destination"] {
        if let Some(url) = text(field)
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            causes.push(Cause::field(
                format!("settings.signOn.{field}"),
                "must be an absolute http or https URL",
            ));
        }
    }
    one_of(
        text("signatureAlgorithm"),
        &SIGNATURE_ALGORITHMS,
        "signatureAlgorithm",
        causes,
    );
    one_of(
        text("digestAlgorithm"),
        &DIGEST_ALGORITHMS,
        "digestAlgorithm",
        causes,
    );
    for flag in ["responseSigned", "assertionSigned", "honorForceAuthn"] {
        if !sign_on.get(flag).is_some_and(Value::is_boolean) {
            causes.push(Cause::field(
                format!("settings.signOn.{flag}"),
                "must be true or false",
            ));
        }
    }
    if !sign_on
        .get("attributeStatements")
        .is_some_and(Value::is_array)
    {
        causes.push(Cause::field(
            "settings.signOn.attributeStatements",
            "must be an array",
        ));
    }
}

fn one_of(value: Option<&str>, allowed: &[&str], field: &str, causes: &mut Vec<Cause>) {
    if !value.is_some_and(|v| allowed.contains(&v)) {
        causes.push(Cause::field(
            format!("settings.signOn.{field}"),
            format!("must be one of {}", allowed.join(", ")),
        ));
    }
}

/// Recipient and destination default to the ACS URL, as in Okta's app wizard.
pub(crate) fn fill_endpoints(sign_on: &mut Map<String, Value>) {
    let Some(acs) = sign_on.get("ssoAcsUrl").cloned() else {
        return;
    };
    for field in ["recipient", "destination"] {
        if sign_on.get(field).is_none_or(Value::is_null) {
            sign_on.insert(field.to_owned(), acs.clone());
        }
    }
}

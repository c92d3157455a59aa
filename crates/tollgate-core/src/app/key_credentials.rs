//! App key credentials (`/apps/{id}/credentials/keys` and `/credentials/csrs`): how long a
//! generated certificate lasts, what a certificate signing request may name, and the
//! thumbprints Okta shows.

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::invalid;
use crate::error::{Cause, Error};

/// The validity Okta allows for a generated app certificate, in years.
pub const VALIDITY_YEARS: std::ops::RangeInclusive<i64> = 2..=10;

/// `validityYears` of `POST .../keys/generate`: required, a whole number from 2 to 10.
pub fn validity_years(param: Option<&str>) -> Result<i64, Error> {
    match param.map(str::trim).map(str::parse::<i64>) {
        Some(Ok(y)) if VALIDITY_YEARS.contains(&y) => Ok(y),
        _ => Err(invalid(vec![Cause::field(
            "validityYears",
            "Validity years out of range. It should be 2 - 10 years",
        )])),
    }
}

/// The subject of a certificate signing request (`subject` of Okta's `CsrMetadata`), in
/// distinguished-name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsrSubject {
    /// `(attribute, value)` pairs: `countryName`, `stateOrProvinceName`, `localityName`,
    /// `organizationName`, `organizationalUnitName`, `commonName`.
    pub names: Vec<(CsrName, String)>,
    /// `subjectAltNames.dnsNames`.
    pub dns_names: Vec<String>,
}

/// A subject attribute a CSR may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrName {
    /// `C`.
    Country,
    /// `ST`.
    State,
    /// `L`.
    Locality,
    /// `O`.
    Organization,
    /// `OU`.
    OrganizationalUnit,
    /// `CN`.
    CommonName,
}

const NAMES: [(&str, CsrName); 6] = [
    ("countryName", CsrName::Country),
    ("stateOrProvinceName", CsrName::State),
    ("localityName", CsrName::Locality),
    ("organizationName", CsrName::Organization),
    ("organizationalUnitName", CsrName::OrganizationalUnit),
    ("commonName", CsrName::CommonName),
];

impl CsrSubject {
    /// Reads a `CsrMetadata` body: `subject` with at least a `commonName`, every value a
    /// non-empty string; `subjectAltNames.dnsNames` an array of host names.
    pub fn parse(body: &Value) -> Result<Self, Error> {
        let mut causes = Vec::new();
        let mut subject = Self::default();
        let fields = body.get("subject").and_then(Value::as_object);
        for (wire, name) in NAMES {
            match fields.and_then(|f| f.get(wire)) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if !s.trim().is_empty() => {
                    subject.names.push((name, s.trim().to_owned()));
                }
                Some(_) => causes.push(Cause::field(
                    format!("subject.{wire}"),
                    "must be a non-empty string",
                )),
            }
        }
        if !subject.names.iter().any(|(n, _)| *n == CsrName::CommonName) {
            causes.push(Cause::field(
                "subject.commonName",
                "The field cannot be left blank",
            ));
        }
        let dns = body.pointer("/subjectAltNames/dnsNames");
        match dns {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    match item.as_str().map(str::trim) {
                        Some(h) if is_host_name(h) => subject.dns_names.push(h.to_owned()),
                        _ => causes.push(Cause::field(
                            "subjectAltNames.dnsNames",
                            "must be host names",
                        )),
                    }
                }
            }
            Some(_) => causes.push(Cause::field(
                "subjectAltNames.dnsNames",
                "must be an array of host names",
            )),
        }
        if causes.is_empty() {
            Ok(subject)
        } else {
            Err(invalid(causes))
        }
    }
}

fn is_host_name(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*')
        })
}

/// `x5t#S256`: base64url of the SHA-256 of the certificate's DER.
pub fn x5t_s256(cert_der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, cert_der))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn validity_years_from_two_to_ten() {
        let table = [
            (Some("2"), true),
            (Some("10"), true),
            (Some(" 5 "), true),
            (Some("1"), false),
            (Some("11"), false),
            (Some("two"), false),
            (None, false),
        ];
        for (param, ok) in table {
            assert_eq!(validity_years(param).is_ok(), ok, "{param:?}");
        }
    }

    #[test]
    fn csr_subjects_are_checked() {
        let ok = CsrSubject::parse(&json!({
            "subject": {"countryName": "US", "commonName": "SP Issuer", "organizationName": "Acme"},
            "subjectAltNames": {"dnsNames": ["dev.example.com"]}
        }))
        .unwrap();
        assert_eq!(ok.names.len(), 3);
        assert_eq!(ok.names[0], (CsrName::Country, "US".to_owned()));
        assert_eq!(ok.dns_names, ["dev.example.com"]);
        let refused = [
            json!({}),
            json!({"subject": {"countryName": "US"}}),
            json!({"subject": {"commonName": 5}}),
            json!({"subject": {"commonName": "x"}, "subjectAltNames": {"dnsNames": ["bad host"]}}),
        ];
        for body in refused {
            assert!(CsrSubject::parse(&body).is_err(), "{body}");
        }
    }

    #[test]
    fn thumbprints_are_base64url_sha256() {
        assert_eq!(x5t_s256(b""), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    }
}

//! Key material of app key credentials: an RSA key with a self-signed certificate (generated
//! keys and the org's default app key), a certificate signing request, and reading the
//! certificate a CSR is published with. The private key is sealed before it leaves here.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, SanType, SerialNumber};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use tollgate_core::Timestamp;
use tollgate_core::app::key_credentials::{CsrName, CsrSubject, x5t_s256};
use tollgate_core::token::CryptoError;
use tollgate_core::token::keys::{GeneratedKey, PublicJwk};
use tollgate_store::app_keys::AppKey;

use super::{Keyring, KeyringError};

/// A CSR made for an app: its DER, the public JWK of its key, and the sealed private key.
pub struct NewCsr {
    /// The PKCS#10 request, DER.
    pub der: Vec<u8>,
    /// The public JWK (`kid` is its thumbprint).
    pub jwk: PublicJwk,
    /// The private key sealed under the master key.
    pub sealed: Vec<u8>,
}

const CONTEXT: &str = "app key";

fn failed(what: &'static str) -> impl Fn(rcgen::Error) -> CryptoError {
    move |_| CryptoError::Failed(what)
}

/// The public JWK Okta shows for an app key: the RSA key and its certificate.
pub fn app_jwk(jwk: &PublicJwk, cert_der: &[u8]) -> Value {
    json!({
        "kty": "RSA",
        "kid": jwk.kid,
        "use": "sig",
        "x5c": [STANDARD.encode(cert_der)],
        "x5t#S256": x5t_s256(cert_der),
        "e": jwk.e,
        "n": jwk.n,
    })
}

fn self_signed(
    key: &GeneratedKey,
    common_name: &str,
    now: Timestamp,
    years: i64,
) -> Result<(Vec<u8>, Timestamp), CryptoError> {
    let pair = KeyPair::try_from(key.pkcs8()).map_err(failed("key parsing"))?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "Tollgate");
    dn.push(DnType::OrganizationalUnitName, "SSOProvider");
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    let start = OffsetDateTime::from_unix_timestamp(now.millis() / 1000)
        .map_err(|_| CryptoError::Failed("certificate dates"))?;
    let end = start + Duration::days(365 * years);
    params.not_before = start - Duration::minutes(1);
    params.not_after = end;
    params.serial_number = Some(SerialNumber::from_slice(&now.millis().to_be_bytes()));
    let cert = params
        .self_signed(&pair)
        .map_err(failed("certificate signing"))?;
    let expires = Timestamp::from_millis(end.unix_timestamp() * 1000);
    Ok((cert.der().to_vec(), expires))
}

fn csr(key: &GeneratedKey, subject: &CsrSubject) -> Result<Vec<u8>, CryptoError> {
    let pair = KeyPair::try_from(key.pkcs8()).map_err(failed("key parsing"))?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    for (name, value) in &subject.names {
        let kind = match name {
            CsrName::Country => DnType::CountryName,
            CsrName::State => DnType::StateOrProvinceName,
            CsrName::Locality => DnType::LocalityName,
            CsrName::Organization => DnType::OrganizationName,
            CsrName::OrganizationalUnit => DnType::OrganizationalUnitName,
            CsrName::CommonName => DnType::CommonName,
        };
        dn.push(kind, value.as_str());
    }
    params.distinguished_name = dn;
    for host in &subject.dns_names {
        let name = host
            .clone()
            .try_into()
            .map_err(failed("subject alternative name"))?;
        params.subject_alt_names.push(SanType::DnsName(name));
    }
    let request = params
        .serialize_request(&pair)
        .map_err(failed("CSR signing"))?;
    Ok(request.der().to_vec())
}

/// The RSA public key of a DER certificate, as a JWK, and when the certificate expires.
pub fn certificate_key(cert_der: &[u8]) -> Option<(PublicJwk, Timestamp)> {
    use x509_parser::prelude::{FromDer, X509Certificate};
    use x509_parser::public_key::PublicKey;
    let (_, cert) = X509Certificate::from_der(cert_der).ok()?;
    let PublicKey::RSA(rsa) = cert.public_key().parsed().ok()? else {
        return None;
    };
    let b64 = |b: &[u8]| {
        let trimmed = b
            .iter()
            .position(|&x| x != 0)
            .and_then(|i| b.get(i..))
            .unwrap_or(b);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(trimmed)
    };
    let jwk = PublicJwk::new(b64(rsa.modulus), b64(rsa.exponent));
    let expires = Timestamp::from_millis(cert.validity().not_after.timestamp() * 1000);
    Some((jwk, expires))
}

impl Keyring {
    /// Generates an RSA key on the CPU pool and hands it, with its sealed private key, to
    /// `finish`, which makes what the caller stores.
    async fn with_new_key<T: Send + 'static>(
        &self,
        finish: impl FnOnce(GeneratedKey, Vec<u8>) -> Result<T, CryptoError> + Send + 'static,
    ) -> Result<T, KeyringError> {
        let master = self.inner.master.clone();
        let made = self
            .inner
            .cpu
            .run(move || {
                let key = GeneratedKey::generate()?;
                let sealed = master.seal(key.pkcs8(), CONTEXT)?;
                finish(key, sealed)
            })
            .await?;
        made.map_err(|source| KeyringError::Crypto {
            server_id: "apps".to_owned(),
            source,
        })
    }

    /// Runs `job` on the CPU pool with the PKCS#8 private key of an app key (sealed as
    /// stored), e.g. to sign a SAML response.
    pub async fn with_app_key<T: Send + 'static>(
        &self,
        sealed: Vec<u8>,
        job: impl FnOnce(&[u8]) -> T + Send + 'static,
    ) -> Result<T, KeyringError> {
        let master = self.inner.master.clone();
        let done = self
            .inner
            .cpu
            .run(move || master.open(&sealed, CONTEXT).map(|pkcs8| job(&pkcs8)))
            .await?;
        done.map_err(|source| KeyringError::Crypto {
            server_id: "apps".to_owned(),
            source,
        })
    }

    /// A new key for `app_id` (`None`: the org's default app key) with a self-signed
    /// certificate for `common_name`, valid `years` from `now`.
    pub async fn new_app_key(
        &self,
        app_id: Option<String>,
        common_name: String,
        now: Timestamp,
        years: i64,
    ) -> Result<AppKey, KeyringError> {
        self.with_new_key(move |key, sealed| {
            let (cert, expires_at) = self_signed(&key, &common_name, now, years)?;
            Ok(AppKey {
                app_id,
                kid: key.jwk.kid.clone(),
                jwk: app_jwk(&key.jwk, &cert),
                sealed,
                created: now,
                expires_at,
            })
        })
        .await
    }

    /// A new key and a certificate signing request for it.
    pub async fn new_app_csr(&self, subject: CsrSubject) -> Result<NewCsr, KeyringError> {
        self.with_new_key(move |key, sealed| {
            let der = csr(&key, &subject)?;
            Ok(NewCsr {
                der,
                jwk: key.jwk,
                sealed,
            })
        })
        .await
    }
}

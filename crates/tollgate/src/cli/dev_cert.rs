//! `tollgate dev-cert [--dir DIR]`: a local certificate authority, made once and reused, and a
//! certificate for `localhost`, `127.0.0.1` and `::1` that it signs (made anew on every run), so
//! https-only clients can talk to `serve --tls-cert/--tls-key` on this machine once they trust
//! the CA. Private keys are written with mode 0600.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

use tollgate_core::clock::{Clock, Timestamp};

use crate::cli::args::DevCertArgs;

/// The names the certificate is valid for.
pub const NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
const CA_DAYS: i64 = 3650;
const CERT_DAYS: i64 = 397;

/// The files `dev-cert` writes in its directory.
#[derive(Debug, Clone)]
pub struct DevCertFiles {
    /// The CA certificate: what clients trust.
    pub ca: PathBuf,
    /// The CA's private key (kept to sign later certificates).
    pub ca_key: PathBuf,
    /// The localhost certificate, followed by the CA certificate.
    pub cert: PathBuf,
    /// The localhost certificate's private key.
    pub key: PathBuf,
}

impl DevCertFiles {
    fn in_dir(dir: &Path) -> Self {
        Self {
            ca: dir.join("ca.pem"),
            ca_key: dir.join("ca-key.pem"),
            cert: dir.join("localhost.pem"),
            key: dir.join("localhost-key.pem"),
        }
    }
}

/// Runs the command and gives the process exit code.
pub fn run(args: &DevCertArgs) -> ExitCode {
    match make(&args.dir, Clock::System.now()) {
        Ok((files, ca_created)) => {
            print!("{}", instructions(&files, ca_created));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Makes (or reuses) the CA in `dir` and a new localhost certificate valid from `now`; says
/// whether the CA is new.
pub fn make(dir: &Path, now: Timestamp) -> anyhow::Result<(DevCertFiles, bool)> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    let dir = std::path::absolute(dir)
        .with_context(|| format!("cannot resolve the directory {}", dir.display()))?;
    let files = DevCertFiles::in_dir(&dir);
    let now = OffsetDateTime::from_unix_timestamp(now.unix_seconds())
        .context("the clock is out of range")?;
    let (issuer, ca_pem, ca_created) = load_or_create_ca(&files, now)?;
    let key = KeyPair::generate().context("cannot generate a key")?;
    let mut params = CertificateParams::new(NAMES.map(str::to_owned).to_vec())
        .context("cannot describe the localhost certificate")?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(CERT_DAYS);
    let cert = params
        .signed_by(&key, &issuer)
        .context("cannot sign the localhost certificate")?;
    write_private(&files.key, &key.serialize_pem())?;
    write_public(&files.cert, &format!("{}{ca_pem}", cert.pem()))?;
    Ok((files, ca_created))
}

/// The CA in the files if both are there, else a new one written to them.
fn load_or_create_ca(
    files: &DevCertFiles,
    now: OffsetDateTime,
) -> anyhow::Result<(Issuer<'static, KeyPair>, String, bool)> {
    match (files.ca.exists(), files.ca_key.exists()) {
        (true, true) => {
            let pem = read(&files.ca)?;
            let key = KeyPair::from_pem(&read(&files.ca_key)?)
                .with_context(|| format!("{} is not a PEM private key", files.ca_key.display()))?;
            let issuer = Issuer::from_ca_cert_pem(&pem, key)
                .with_context(|| format!("{} is not a PEM CA certificate", files.ca.display()))?;
            Ok((issuer, pem, false))
        }
        (false, false) => {
            let key = KeyPair::generate().context("cannot generate a key")?;
            let mut params = CertificateParams::default();
            params.distinguished_name.push(
                DnType::CommonName,
                format!("Tollgate development CA ({})", local_host_name()),
            );
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            params.not_before = now - Duration::days(1);
            params.not_after = now + Duration::days(CA_DAYS);
            let cert = params
                .self_signed(&key)
                .context("cannot sign the CA certificate")?;
            write_private(&files.ca_key, &key.serialize_pem())?;
            write_public(&files.ca, &cert.pem())?;
            Ok((Issuer::new(params, key), cert.pem(), true))
        }
        (true, false) => bail!(
            "{} exists without its key {}: remove it to make a new CA",
            files.ca.display(),
            files.ca_key.display()
        ),
        (false, true) => bail!(
            "{} exists without its certificate {}: remove it to make a new CA",
            files.ca_key.display(),
            files.ca.display()
        ),
    }
}

/// What was written, how to trust the CA, and the command that serves with the certificate.
pub fn instructions(files: &DevCertFiles, ca_created: bool) -> String {
    let ca = files.ca.display();
    let state = if ca_created { "new" } else { "reused" };
    format!(
        "Wrote:
  {ca}  the local CA certificate ({state}; trust this file)
  {}  the CA's private key (mode 0600; anyone holding it can impersonate any site to clients that trust the CA)
  {}  a certificate for {}, valid {CERT_DAYS} days, then the CA
  {}  its private key (mode 0600)

Trust the CA in the shell that runs the client:
  export SSL_CERT_FILE={ca}        # Python (ssl, aiohttp, okta-jwt-verifier), tollgate token, Ruby, Go
  export REQUESTS_CA_BUNDLE={ca}   # Python requests (and Okta's Python SDK)
  export NODE_EXTRA_CA_CERTS={ca}  # Node.js (@okta/jwt-verifier, openid-client)
  export CURL_CA_BUNDLE={ca}       # curl
(All but NODE_EXTRA_CA_CERTS replace the system's CAs for that process.)

Serve with it:
  tollgate serve --tls-cert {} --tls-key {}
Issuers are then https://127.0.0.1:8080 and https://127.0.0.1:8080/oauth2/default. Running
dev-cert again makes a new certificate with the same CA; SIGHUP makes a running server load it.
",
        files.ca_key.display(),
        files.cert.display(),
        NAMES.join(", "),
        files.key.display(),
        files.cert.display(),
        files.key.display(),
    )
}

fn local_host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "this machine".to_owned())
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Writes `text` to `path` through a file created with mode 0600 and moved into place, so a
/// server reloading on SIGHUP never reads half a key.
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn write_public(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_is_kept_and_each_run_makes_a_new_certificate_it_signs() {
        let dir = tempfile::tempdir().unwrap();
        let (files, created) = make(dir.path(), Clock::System.now()).unwrap();
        assert!(created);
        let ca = std::fs::read_to_string(&files.ca).unwrap();
        let first = std::fs::read_to_string(&files.cert).unwrap();
        assert!(first.ends_with(&ca), "the chain ends with the CA");
        #[cfg(unix)]
        for key in [&files.key, &files.ca_key] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", key.display());
        }
        let (again, created) = make(dir.path(), Clock::System.now()).unwrap();
        assert!(!created);
        assert_eq!(std::fs::read_to_string(&again.ca).unwrap(), ca);
        let second = std::fs::read_to_string(&again.cert).unwrap();
        assert_ne!(second, first);
        // Both certificates work with their keys.
        crate::tls::Tls::load(crate::tls::TlsFiles {
            cert: again.cert.clone(),
            key: again.key.clone(),
        })
        .unwrap();
        let text = instructions(&again, false);
        for needle in [
            "SSL_CERT_FILE=",
            "NODE_EXTRA_CA_CERTS=",
            "REQUESTS_CA_BUNDLE=",
            "--tls-key",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
        std::fs::remove_file(&again.ca_key).unwrap();
        let err = format!("{:#}", make(dir.path(), Clock::System.now()).unwrap_err());
        assert!(err.contains("exists without its key"), "{err}");
    }
}

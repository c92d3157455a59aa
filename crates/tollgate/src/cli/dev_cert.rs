//! `tollgate dev-cert [--dir DIR]`: a local certificate authority, made once and reused, and a
//! certificate for `localhost`, `127.0.0.1` and `::1` that it signs (made anew on every run), so
//! https-only clients can talk to `serve --tls-cert/--tls-key` on this machine once they trust
//! the CA. Private keys are written with mode 0600.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
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
    let ca = load_or_create_ca(&files, now)?;
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
    // A certificate outliving its CA would fail with a puzzling error on its last days.
    params.not_after = (now + Duration::days(CERT_DAYS)).min(ca.expires);
    let cert = params
        .signed_by(&key, &ca.issuer)
        .context("cannot sign the localhost certificate")?;
    write_private(&files.key, &key.serialize_pem())?;
    write_public(&files.cert, &format!("{}{}", cert.pem(), ca.pem))?;
    Ok((files, ca.created))
}

/// The local CA: what signs, its certificate, whether this run made it, and when it expires.
struct LocalCa {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
    created: bool,
    expires: OffsetDateTime,
}

/// The CA in the files if both are there (refused once expired), else a new one written to them.
fn load_or_create_ca(files: &DevCertFiles, now: OffsetDateTime) -> anyhow::Result<LocalCa> {
    match (files.ca.exists(), files.ca_key.exists()) {
        (true, true) => {
            let pem = read(&files.ca)?;
            let not_a_ca = || format!("{} is not a PEM CA certificate", files.ca.display());
            let key = KeyPair::from_pem(&read(&files.ca_key)?)
                .with_context(|| format!("{} is not a PEM private key", files.ca_key.display()))?;
            let issuer = Issuer::from_ca_cert_pem(&pem, key).with_context(not_a_ca)?;
            let expires = expiry(&pem).ok_or_else(|| anyhow!(not_a_ca()))?;
            if expires <= now + Duration::days(1) {
                bail!(
                    "the CA {} expires on {}: remove it and {} to make a new CA, then trust the new one",
                    files.ca.display(),
                    expires.date(),
                    files.ca_key.display()
                );
            }
            Ok(LocalCa {
                issuer,
                pem,
                created: false,
                expires,
            })
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
            Ok(LocalCa {
                expires: params.not_after,
                issuer: Issuer::new(params, key),
                pem: cert.pem(),
                created: true,
            })
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

/// When the first certificate in `pem` stops being valid.
fn expiry(pem: &str) -> Option<OffsetDateTime> {
    let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).ok()?;
    let cert = block.parse_x509().ok()?;
    Some(cert.validity().not_after.to_datetime())
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

/// A private key: readable by its owner only.
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    write_whole(path, text, 0o600)
}

/// A certificate: readable by all.
fn write_public(path: &Path, text: &str) -> anyhow::Result<()> {
    write_whole(path, text, 0o644)
}

/// Writes `text` to `path` through a new file (mode `mode`) moved into place, so a server
/// reloading on SIGHUP never reads half a file.
fn write_whole(path: &Path, text: &str, mode: u32) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set the mode of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
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
        for (file, want) in [
            (&files.key, 0o600),
            (&files.ca_key, 0o600),
            (&files.cert, 0o644),
            (&files.ca, 0o644),
        ] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, want, "{}", file.display());
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
        // Near its end, the CA signs certificates that end with it; once expired, it is refused.
        let start = Clock::System.now().unix_seconds();
        let ca_end = expiry(&ca).unwrap();
        let late = Timestamp::from_millis((start + (CA_DAYS - 30) * 86_400) * 1000);
        make(dir.path(), late).unwrap();
        let leaf = std::fs::read_to_string(&again.cert).unwrap();
        assert_eq!(expiry(&leaf), Some(ca_end));
        let after = Timestamp::from_millis((start + (CA_DAYS + 1) * 86_400) * 1000);
        let err = format!("{:#}", make(dir.path(), after).unwrap_err());
        assert!(
            err.contains("expires on") && err.contains("make a new CA"),
            "{err}"
        );
        std::fs::remove_file(&again.ca_key).unwrap();
        let err = format!("{:#}", make(dir.path(), Clock::System.now()).unwrap_err());
        assert!(err.contains("exists without its key"), "{err}");
    }
}

//! HTTPS: the rustls configuration read from a PEM certificate chain and key, and its reload on
//! SIGHUP. A reload builds a whole new configuration first, so a bad file leaves the one in
//! force untouched; the listener is never closed.

mod plain_http;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use axum_server::tls_rustls::RustlsConfig;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub use plain_http::RefusePlainHttp;

/// The certificate chain and private key files (PEM) of `serve --tls-cert/--tls-key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate, followed by any intermediates.
    pub cert: PathBuf,
    /// The certificate's private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// The TLS files from settings: both or neither.
pub fn files(cert: Option<PathBuf>, key: Option<PathBuf>) -> anyhow::Result<Option<TlsFiles>> {
    match (cert, key) {
        (Some(cert), Some(key)) => Ok(Some(TlsFiles { cert, key })),
        (None, None) => Ok(None),
        (Some(_), None) => {
            bail!(
                "--tls-cert is set but --tls-key is not: HTTPS needs both (TOLLGATE_TLS_KEY, tls_key)"
            )
        }
        (None, Some(_)) => {
            bail!(
                "--tls-key is set but --tls-cert is not: HTTPS needs both (TOLLGATE_TLS_CERT, tls_cert)"
            )
        }
    }
}

/// A TLS configuration in force, and the files it is reloaded from.
#[derive(Clone)]
pub struct Tls {
    files: TlsFiles,
    config: RustlsConfig,
}

impl Tls {
    /// Reads and checks the files; an error names the file and what is wrong with it.
    pub fn load(files: TlsFiles) -> anyhow::Result<Self> {
        let config = RustlsConfig::from_config(server_config(&files)?);
        Ok(Self { files, config })
    }

    /// The configuration new connections are accepted with.
    pub fn rustls(&self) -> RustlsConfig {
        self.config.clone()
    }

    /// Reads the files again and swaps the configuration for new connections; on any error
    /// the configuration in force stays, and the error says why.
    pub fn reload(&self) -> anyhow::Result<()> {
        let fresh = server_config(&self.files)?;
        self.config.reload_from_config(fresh);
        Ok(())
    }

    /// Starts watching SIGHUP now (so a signal that comes before serving is not fatal); the
    /// returned value reloads on each one once run.
    pub fn watch_hangups(self) -> anyhow::Result<HangupReload> {
        #[cfg(unix)]
        let hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
            .context("cannot watch SIGHUP for TLS certificate reloads")?;
        Ok(HangupReload {
            tls: self,
            #[cfg(unix)]
            hangups,
        })
    }
}

/// A TLS configuration that reloads on SIGHUP.
pub struct HangupReload {
    tls: Tls,
    #[cfg(unix)]
    hangups: tokio::signal::unix::Signal,
}

impl HangupReload {
    /// The configuration new connections are accepted with.
    pub fn rustls(&self) -> RustlsConfig {
        self.tls.rustls()
    }

    /// Reloads on every SIGHUP until the task is aborted, logging the outcome of each.
    pub async fn run(self) {
        #[cfg(unix)]
        {
            let Self { tls, mut hangups } = self;
            while hangups.recv().await.is_some() {
                match tls.reload() {
                    Ok(()) => tracing::info!(
                        cert = %tls.files.cert.display(),
                        "SIGHUP: reloaded the TLS certificate and key"
                    ),
                    Err(e) => tracing::error!(
                        "SIGHUP: kept the TLS certificate in use, the new one cannot be used: {e:#}"
                    ),
                }
            }
        }
    }
}

/// A rustls server configuration (aws-lc-rs, TLS 1.2 and 1.3, ALPN `h2` and `http/1.1`) for
/// the files.
fn server_config(files: &TlsFiles) -> anyhow::Result<Arc<ServerConfig>> {
    let chain = read_chain(&files.cert)?;
    let key = read_key(&files.key)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("the TLS library refused its default protocol versions")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| {
            anyhow::anyhow!(
                "the TLS key {} cannot be used with the certificate {}: {e}",
                files.key.display(),
                files.cert.display()
            )
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_chain(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let bytes = read(path, "certificate")?;
    let chain = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("the TLS certificate {} is not PEM: {e}", path.display()))?;
    if chain.is_empty() {
        bail!(
            "the TLS certificate {} holds no PEM CERTIFICATE block",
            path.display()
        );
    }
    Ok(chain)
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let bytes = read(path, "key")?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "the TLS key {} holds no usable PEM private key: {e}",
            path.display()
        )
    })
}

fn read(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read the TLS {what} {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_pair(dir: &Path, name: &str) -> TlsFiles {
        let pair = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let files = TlsFiles {
            cert: dir.join(format!("{name}.pem")),
            key: dir.join(format!("{name}-key.pem")),
        };
        std::fs::write(&files.cert, pair.cert.pem()).unwrap();
        std::fs::write(&files.key, pair.signing_key.serialize_pem()).unwrap();
        files
    }

    #[test]
    fn cert_and_key_come_together() {
        assert_eq!(files(None, None).unwrap(), None);
        let both = files(Some("c.pem".into()), Some("k.pem".into())).unwrap();
        assert_eq!(both.map(|f| f.key), Some(PathBuf::from("k.pem")));
        let err = files(Some("c.pem".into()), None).unwrap_err().to_string();
        assert!(err.contains("--tls-key is not"), "{err}");
        let err = files(None, Some("k.pem".into())).unwrap_err().to_string();
        assert!(err.contains("--tls-cert is not"), "{err}");
    }

    #[test]
    fn the_settings_file_names_the_files_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.toml");
        std::fs::write(&path, "tls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n").unwrap();
        let mut o = crate::config::Overrides {
            config: Some(path.clone()),
            ..Default::default()
        };
        let tls = crate::config::resolve(&o).unwrap().tls.unwrap();
        assert_eq!((tls.cert, tls.key), ("c.pem".into(), "k.pem".into()));
        o.tls_cert = Some("flag.pem".into());
        o.tls_key = None;
        let tls = crate::config::resolve(&o).unwrap().tls.unwrap();
        assert_eq!((tls.cert, tls.key), ("flag.pem".into(), "k.pem".into()));
        std::fs::write(&path, "tls_key = \"k.pem\"\n").unwrap();
        o.tls_cert = None;
        o.tls_key = None;
        let err = format!("{:#}", crate::config::resolve(&o).unwrap_err());
        assert!(err.contains("--tls-cert is not"), "{err}");
    }

    #[test]
    fn bad_files_are_named_and_a_failed_reload_keeps_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let files = write_pair(dir.path(), "a");
        let other = write_pair(dir.path(), "b");
        let tls = Tls::load(files.clone()).unwrap();
        let before = tls.rustls().get_inner();
        let cases = [
            ("not pem", None, "holds no PEM CERTIFICATE"),
            ("", None, "holds no PEM CERTIFICATE"),
            ("key", Some("junk"), "no usable PEM private key"),
            (
                "mismatch",
                Some("other"),
                "cannot be used with the certificate",
            ),
        ];
        for (cert_text, key, expected) in cases {
            let original_cert = std::fs::read(&files.cert).unwrap();
            let original_key = std::fs::read(&files.key).unwrap();
            match key {
                None => std::fs::write(&files.cert, cert_text).unwrap(),
                Some("junk") => std::fs::write(&files.key, "junk").unwrap(),
                Some(_) => std::fs::copy(&other.key, &files.key).map(drop).unwrap(),
            }
            let err = format!("{:#}", tls.reload().unwrap_err());
            assert!(err.contains(expected), "{cert_text}: {err}");
            assert!(Arc::ptr_eq(&before, &tls.rustls().get_inner()));
            std::fs::write(&files.cert, original_cert).unwrap();
            std::fs::write(&files.key, original_key).unwrap();
        }
        let missing = TlsFiles {
            cert: dir.path().join("none.pem"),
            key: files.key.clone(),
        };
        let err = format!("{:#}", Tls::load(missing).err().unwrap());
        assert!(err.contains("cannot read the TLS certificate") && err.contains("none.pem"));
        tls.reload().unwrap();
        assert!(!Arc::ptr_eq(&before, &tls.rustls().get_inner()));
    }
}

//! The TLS configuration for LDAPS and StartTLS: rustls with ring, trusting the given CA file
//! (a domain's own CA, as most hospitals' domain controllers use) or else the OS trust store.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::AdError;

/// A client configuration trusting `ca_pem`'s certificates, or the system's when `None`.
pub fn client_config(ca_pem: Option<&[u8]>) -> Result<Arc<ClientConfig>, AdError> {
    let mut roots = RootCertStore::empty();
    match ca_pem {
        Some(pem) => {
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| AdError::Ca(e.to_string()))?;
                roots.add(cert).map_err(|e| AdError::Ca(e.to_string()))?;
            }
            if roots.is_empty() {
                return Err(AdError::Ca("no certificate in the file".to_owned()));
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| AdError::Ca(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

//! TLS to a PostgreSQL server, as libpq's `sslmode` asks (rustls, with ring): `disable`
//! none; `prefer` (the default) and `require` encrypt without checking the server's
//! certificate, as libpq does (`prefer` falls back to a plain connection when the server
//! has no TLS, `require` refuses); `verify-ca` checks the certificate against the
//! system's certificate authorities, `verify-full` its host name too.
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// How far the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Encrypted, the certificate not checked (`prefer`, `require`).
    Nothing,
    /// Signed by an authority the system trusts (`verify-ca`).
    Authority,
    /// And issued for the host connected to (`verify-full`).
    HostToo,
}

/// The URL as the `postgres` crate reads it (which knows `disable`, `prefer` and
/// `require` only: `verify-ca` and `verify-full` become `require`), and the check asked.
pub fn read_sslmode(url: &str) -> (String, Check) {
    // The driver knows its schemes in lower case only; leads takes them in any case.
    let url = &match url.split_once("://") {
        Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
        None => url.to_string(),
    };
    let Some((address, query)) = url.split_once('?') else {
        return (url.to_string(), Check::Nothing);
    };
    let mut check = Check::Nothing;
    let parameters: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("sslmode", "verify-ca")) => {
                check = Check::Authority;
                "sslmode=require".to_string()
            }
            Some(("sslmode", "verify-full")) => {
                check = Check::HostToo;
                "sslmode=require".to_string()
            }
            // libpq's `allow` tries without TLS first; a server that has it is better used.
            Some(("sslmode", "allow")) => "sslmode=prefer".to_string(),
            _ => pair.to_string(),
        })
        .collect();
    (format!("{address}?{}", parameters.join("&")), check)
}

/// The TLS connector for `check`.
pub fn connector(check: Check) -> anyhow::Result<MakeRustlsConnect> {
    // ring, which builds with the C compiler alone (aws-lc-rs, the other provider, needs
    // cmake); rustls marks it for lacking post-quantum key exchange, which a link to a
    // team's database server can do without for now.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let config = match check {
        Check::Nothing => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth(),
        Check::Authority | Check::HostToo => {
            let mut roots = RootCertStore::empty();
            for certificate in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(certificate);
            }
            if roots.is_empty() {
                anyhow::bail!(
                    "sslmode=verify-ca and verify-full check the server's certificate against \
                     the system's certificate authorities, and this system has none"
                );
            }
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider).build()?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Checked {
                    webpki,
                    host_too: check == Check::HostToo,
                }))
                .with_no_client_auth()
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

/// `prefer` and `require`: the certificate is taken as it is (libpq's meaning of them),
/// the handshake's signatures still checked.
#[derive(Debug)]
struct Unchecked(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca` and `verify-full`: the system's authorities; the host name only for
/// `verify-full`.
#[derive(Debug)]
struct Checked {
    webpki: Arc<WebPkiServerVerifier>,
    host_too: bool,
}

impl ServerCertVerifier for Checked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
                if !self.host_too =>
            {
                Ok(ServerCertVerified::assertion())
            }
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) if !self.host_too => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_sslmodes_the_postgres_crate_lacks_are_read() {
        for (url, read, check) in [
            ("postgres://h/db", "postgres://h/db", Check::Nothing),
            ("POSTGRES://h/db", "postgres://h/db", Check::Nothing),
            (
                "postgres://h/db?sslmode=require",
                "postgres://h/db?sslmode=require",
                Check::Nothing,
            ),
            (
                "postgres://h/db?user=a&sslmode=verify-full",
                "postgres://h/db?user=a&sslmode=require",
                Check::HostToo,
            ),
            (
                "postgres://h/db?sslmode=verify-ca",
                "postgres://h/db?sslmode=require",
                Check::Authority,
            ),
            (
                "postgres://h/db?sslmode=allow",
                "postgres://h/db?sslmode=prefer",
                Check::Nothing,
            ),
        ] {
            assert_eq!(read_sslmode(url), (read.to_string(), check), "{url}");
        }
    }
}

//! XML-Signature of SAML messages with libxmlsec1 (through the `xmlsec` crate): the document
//! carries empty signature templates ([`super::xml::signature_template`]); libxmlsec1 does the
//! exclusive canonicalization, the digests, the RSA signature and the `X509Certificate`.

use libxml::parser::{Parser, ParserOptions};
use libxml::tree::document::{Document, SaveOptions};
use libxml::xpath::Context;
use xmlsec::{XmlSecDocumentExt, XmlSecKey, XmlSecKeyFormat, XmlSecSignatureContext};

use super::xml::{ASSERTION_NS, DSIG_NS, PROTOCOL_NS};

/// Signing failed: our own document or key did not load, or libxmlsec1 refused.
#[derive(Debug, thiserror::Error)]
#[error("SAML signing failed: {0}")]
pub struct SignError(String);

fn fail(what: &str) -> impl Fn(String) -> SignError + '_ {
    move |detail| SignError(format!("{what}: {detail}"))
}

const NAMESPACES: [(&str, &str); 3] = [
    ("saml2p", PROTOCOL_NS),
    ("saml2", ASSERTION_NS),
    ("ds", DSIG_NS),
];

/// The signature templates, innermost first: the assertion's must be signed before the
/// response's signature digests the assertion.
const TEMPLATES: [&str; 2] = [
    "/saml2p:Response/saml2:Assertion/ds:Signature",
    "/saml2p:Response/ds:Signature",
];

/// Signs every signature template of a `Response` with the PKCS#8 `private_key`, putting
/// `certificate` (DER) in each `KeyInfo`. Gives the signed document.
pub fn sign_response(
    xml: &str,
    private_key: &[u8],
    certificate: &[u8],
) -> Result<String, SignError> {
    let options = ParserOptions {
        recover: false,
        ..ParserOptions::default()
    };
    let doc = Parser::default()
        .parse_string_with_options(xml, options)
        .map_err(|e| fail("parse")(format!("{e:?}")))?;
    doc.specify_idattr(
        "//saml2p:Response | //saml2:Assertion",
        "ID",
        Some(&NAMESPACES),
    )
    .map_err(|e| fail("ID attributes")(e.to_string()))?;
    let xpath = Context::new(&doc).map_err(|()| fail("xpath")(String::new()))?;
    for (prefix, href) in NAMESPACES {
        xpath
            .register_namespace(prefix, href)
            .map_err(|()| fail("xpath")(prefix.to_owned()))?;
    }
    for template in TEMPLATES {
        let nodes = xpath
            .evaluate(template)
            .map_err(|()| fail("xpath")(template.to_owned()))?
            .get_nodes_as_vec();
        for node in nodes {
            let mut ctx = XmlSecSignatureContext::new();
            ctx.insert_key(key(private_key, certificate)?);
            ctx.sign_node(&node)
                .map_err(|e| fail("sign")(e.to_string()))?;
        }
    }
    Ok(serialize(&doc))
}

fn key(private_key: &[u8], certificate: &[u8]) -> Result<XmlSecKey, SignError> {
    let key = XmlSecKey::from_memory(private_key, XmlSecKeyFormat::Der, None)
        .map_err(|e| fail("private key")(e.to_string()))?;
    key.load_cert_from_memory(certificate, XmlSecKeyFormat::CertDer)
        .map_err(|e| fail("certificate")(e.to_string()))?;
    Ok(key)
}

/// The document as it was signed: no reformatting, which would break the signatures.
fn serialize(doc: &Document) -> String {
    doc.to_string_with_options(SaveOptions {
        format: false,
        ..SaveOptions::default()
    })
}

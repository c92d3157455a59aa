//! Reading a `SAMLRequest`: base64, raw DEFLATE for the HTTP-Redirect binding, then the
//! AuthnRequest's fields with a real XML parser. A document type declaration (and so any
//! entity) is refused, and the inflated size is bounded.

use std::io::{Read, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use tollgate_core::saml::request::AuthnRequest;

/// The largest AuthnRequest read (after inflating).
const MAX_REQUEST_BYTES: u64 = 64 * 1024;

/// How the request came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// `GET` with a deflated request.
    Redirect,
    /// `POST` with a plain base64 request.
    Post,
}

/// A `SAMLRequest` that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadRequest(pub &'static str);

/// The XML of a `SAMLRequest` parameter.
pub fn decode(value: &str, binding: Binding) -> Result<String, BadRequest> {
    // Line breaks are dropped; a space is a `+` that a client left unescaped in the query.
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n' | '\t'))
        .map(|c| if c == ' ' { '+' } else { c })
        .collect();
    let raw = STANDARD
        .decode(compact)
        .map_err(|_| BadRequest("The SAMLRequest is not valid base64."))?;
    let bytes = match binding {
        Binding::Post => raw,
        Binding::Redirect => inflate(&raw)?,
    };
    if bytes.len() as u64 > MAX_REQUEST_BYTES {
        return Err(BadRequest("The SAMLRequest is too large."));
    }
    String::from_utf8(bytes).map_err(|_| BadRequest("The SAMLRequest is not UTF-8."))
}

fn inflate(raw: &[u8]) -> Result<Vec<u8>, BadRequest> {
    let mut out = Vec::new();
    DeflateDecoder::new(raw)
        .take(MAX_REQUEST_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| BadRequest("The SAMLRequest could not be inflated."))?;
    Ok(out)
}

/// The request as the HTTP-Redirect binding carries it (deflated, base64), to come back to
/// after the sign-in page.
pub fn encode_for_redirect(xml: &str) -> Option<String> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    enc.write_all(xml.as_bytes()).ok()?;
    Some(STANDARD.encode(enc.finish().ok()?))
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Result<Option<String>, BadRequest> {
    for a in e.attributes() {
        let a = a.map_err(|_| BadRequest("The SAMLRequest is not well-formed XML."))?;
        if a.key.local_name().as_ref() == name {
            let v = a
                .unescape_value()
                .map_err(|_| BadRequest("The SAMLRequest is not well-formed XML."))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

fn root(e: &BytesStart<'_>) -> Result<AuthnRequest, BadRequest> {
    if e.local_name().as_ref() != b"AuthnRequest" {
        return Err(BadRequest("The SAMLRequest is not an AuthnRequest."));
    }
    Ok(AuthnRequest {
        id: attr(e, b"ID")?.unwrap_or_default(),
        issuer: None,
        acs_url: attr(e, b"AssertionConsumerServiceURL")?,
        protocol_binding: attr(e, b"ProtocolBinding")?,
        force_authn: attr(e, b"ForceAuthn")?.is_some_and(|v| v == "true" || v == "1"),
    })
}

/// The AuthnRequest's fields.
pub fn parse(xml: &str) -> Result<AuthnRequest, BadRequest> {
    let malformed = BadRequest("The SAMLRequest is not well-formed XML.");
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut request: Option<AuthnRequest> = None;
    let mut in_issuer = false;
    loop {
        match reader.read_event().map_err(|_| BadRequest(malformed.0))? {
            Event::DocType(_) => {
                return Err(BadRequest("The SAMLRequest may not have a DTD."));
            }
            Event::Start(e) | Event::Empty(e) if request.is_none() => request = Some(root(&e)?),
            Event::Start(e) => in_issuer = e.local_name().as_ref() == b"Issuer",
            Event::Text(t) if in_issuer => {
                let text = t.decode().map_err(|_| BadRequest(malformed.0))?;
                if let Some(r) = request.as_mut() {
                    r.issuer = Some(text.trim().to_owned());
                }
            }
            Event::End(_) => in_issuer = false,
            Event::Eof => break,
            _ => {}
        }
    }
    request.ok_or(malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_abc" Version="2.0" AssertionConsumerServiceURL="https://sp.example/acs?a=1&amp;b=2" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>https://sp.example</saml:Issuer></samlp:AuthnRequest>"#;

    #[test]
    fn reads_both_bindings() {
        let deflated = encode_for_redirect(REQUEST).unwrap();
        let xml = decode(&deflated, Binding::Redirect).unwrap();
        let r = parse(&xml).unwrap();
        assert_eq!(r.id, "_abc");
        assert_eq!(r.acs_url.as_deref(), Some("https://sp.example/acs?a=1&b=2"));
        assert_eq!(r.issuer.as_deref(), Some("https://sp.example"));
        let unescaped = deflated.replace('+', " ");
        assert_eq!(decode(&unescaped, Binding::Redirect).unwrap(), xml);
        let posted = STANDARD.encode(REQUEST);
        assert_eq!(parse(&decode(&posted, Binding::Post).unwrap()).unwrap(), r);
    }

    #[test]
    fn refuses_bad_requests() {
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="&e;"/>"#;
        for bad in [dtd, "<samlp:Response ID=\"x\"/>", "<a><b></a>", "not xml"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(decode("%%%", Binding::Post).is_err());
        assert!(decode(&STANDARD.encode("plain"), Binding::Redirect).is_err());
    }
}

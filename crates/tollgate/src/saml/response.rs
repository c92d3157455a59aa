//! The SAML `Response` for one sign-in: status Success and one assertion (subject with a
//! bearer confirmation, conditions with the audience, the authentication statement and the
//! attributes), with signature templates where the app signs.

use std::io;

use tollgate_core::Timestamp;
use tollgate_core::saml::attributes::Attribute;

use super::xml::{
    self, ASSERTION_NS, Algorithms, PROTOCOL_NS, Xml, empty_element, signature_template,
    text_element,
};

/// How long an assertion is valid either side of its issue instant, as Okta does.
pub const VALIDITY_SECS: i64 = 300;
const ENTITY_FORMAT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// Everything one response says.
#[derive(Debug, Clone)]
pub struct Issued<'a> {
    /// `Response/@ID` and `Assertion/@ID`.
    pub ids: (String, String),
    /// The issuer (`http://www.okta.com/{appId}`).
    pub issuer: &'a str,
    /// `Response/@Destination`.
    pub destination: &'a str,
    /// `SubjectConfirmationData/@Recipient`.
    pub recipient: &'a str,
    /// `Audience`.
    pub audience: &'a str,
    /// The AuthnRequest's `ID` (SP-initiated).
    pub in_response_to: Option<&'a str>,
    /// `NameID` and its `Format`.
    pub name_id: (&'a str, &'a str),
    /// `AuthnStatement/@SessionIndex`.
    pub session_index: &'a str,
    /// When the user authenticated.
    pub authn_instant: Timestamp,
    /// `AuthnContextClassRef`.
    pub authn_context: &'a str,
    /// Now: the issue instant.
    pub now: Timestamp,
    /// The attributes.
    pub attributes: &'a [Attribute],
    /// Whether the response and the assertion are signed.
    pub signed: (bool, bool),
    /// Their algorithms.
    pub algorithms: Algorithms,
}

/// The response document, with signature templates still to be signed.
pub fn write_response(r: &Issued<'_>) -> io::Result<String> {
    let now = r.now.to_string();
    let mut w = xml::document()?;
    let mut el = w
        .create_element("saml2p:Response")
        .with_attribute(("xmlns:saml2p", PROTOCOL_NS))
        .with_attribute(("Destination", r.destination))
        .with_attribute(("ID", r.ids.0.as_str()));
    if let Some(id) = r.in_response_to {
        el = el.with_attribute(("InResponseTo", id));
    }
    el.with_attribute(("IssueInstant", now.as_str()))
        .with_attribute(("Version", "2.0"))
        .write_inner_content(|w| {
            issuer(w, r.issuer, true)?;
            if r.signed.0 {
                signature_template(w, &r.ids.0, r.algorithms)?;
            }
            w.create_element("saml2p:Status").write_inner_content(|w| {
                empty_element(w, "saml2p:StatusCode", &[("Value", SUCCESS)])
            })?;
            assertion(w, r, &now)
        })?;
    Ok(xml::finish(w))
}

fn issuer(w: &mut Xml, issuer: &str, declare: bool) -> io::Result<()> {
    let mut attrs = vec![("Format", ENTITY_FORMAT)];
    if declare {
        attrs.insert(0, ("xmlns:saml2", ASSERTION_NS));
    }
    text_element(w, "saml2:Issuer", &attrs, issuer)
}

fn assertion(w: &mut Xml, r: &Issued<'_>, now: &str) -> io::Result<()> {
    w.create_element("saml2:Assertion")
        .with_attribute(("xmlns:saml2", ASSERTION_NS))
        .with_attribute(("ID", r.ids.1.as_str()))
        .with_attribute(("IssueInstant", now))
        .with_attribute(("Version", "2.0"))
        .write_inner_content(|w| {
            issuer(w, r.issuer, false)?;
            if r.signed.1 {
                signature_template(w, &r.ids.1, r.algorithms)?;
            }
            subject(w, r)?;
            conditions(w, r)?;
            authn_statement(w, r)?;
            attribute_statement(w, r.attributes)
        })?;
    Ok(())
}

fn subject(w: &mut Xml, r: &Issued<'_>) -> io::Result<()> {
    let until = r.now.plus_seconds(VALIDITY_SECS).to_string();
    w.create_element("saml2:Subject").write_inner_content(|w| {
        text_element(w, "saml2:NameID", &[("Format", r.name_id.1)], r.name_id.0)?;
        w.create_element("saml2:SubjectConfirmation")
            .with_attribute(("Method", BEARER))
            .write_inner_content(|w| {
                let mut attrs = Vec::new();
                if let Some(id) = r.in_response_to {
                    attrs.push(("InResponseTo", id));
                }
                attrs.push(("NotOnOrAfter", until.as_str()));
                attrs.push(("Recipient", r.recipient));
                empty_element(w, "saml2:SubjectConfirmationData", &attrs)
            })?;
        Ok(())
    })?;
    Ok(())
}

fn conditions(w: &mut Xml, r: &Issued<'_>) -> io::Result<()> {
    let from = r.now.plus_seconds(-VALIDITY_SECS).to_string();
    let until = r.now.plus_seconds(VALIDITY_SECS).to_string();
    w.create_element("saml2:Conditions")
        .with_attribute(("NotBefore", from.as_str()))
        .with_attribute(("NotOnOrAfter", until.as_str()))
        .write_inner_content(|w| {
            w.create_element("saml2:AudienceRestriction")
                .write_inner_content(|w| text_element(w, "saml2:Audience", &[], r.audience))?;
            Ok(())
        })?;
    Ok(())
}

fn authn_statement(w: &mut Xml, r: &Issued<'_>) -> io::Result<()> {
    let instant = r.authn_instant.to_string();
    w.create_element("saml2:AuthnStatement")
        .with_attribute(("AuthnInstant", instant.as_str()))
        .with_attribute(("SessionIndex", r.session_index))
        .write_inner_content(|w| {
            w.create_element("saml2:AuthnContext")
                .write_inner_content(|w| {
                    text_element(w, "saml2:AuthnContextClassRef", &[], r.authn_context)
                })?;
            Ok(())
        })?;
    Ok(())
}

fn attribute_statement(w: &mut Xml, attributes: &[Attribute]) -> io::Result<()> {
    if attributes.is_empty() {
        return Ok(());
    }
    w.create_element("saml2:AttributeStatement")
        .write_inner_content(|w| {
            for a in attributes {
                w.create_element("saml2:Attribute")
                    .with_attribute(("Name", a.name.as_str()))
                    .with_attribute(("NameFormat", a.name_format.as_str()))
                    .write_inner_content(|w| {
                        for v in &a.values {
                            text_element(w, "saml2:AttributeValue", VALUE_TYPE, v)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

const VALUE_TYPE: &[(&str, &str)] = &[
    ("xmlns:xs", "http://www.w3.org/2001/XMLSchema"),
    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ("xsi:type", "xs:string"),
];

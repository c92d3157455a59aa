//! Writing SAML XML with `quick-xml` (every text and attribute value is escaped by the writer),
//! and the XML-Signature template that libxmlsec1 fills in when it signs.

use std::io;

use quick_xml::Writer;
use quick_xml::events::BytesText;

/// SAML 2.0 assertion namespace.
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 2.0 protocol namespace.
pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 metadata namespace.
pub const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML-Signature namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// Exclusive XML canonicalization 1.0 (without comments).
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// The XML writer every SAML document is written with.
pub type Xml = Writer<Vec<u8>>;

/// A new document, starting with the XML declaration.
pub fn document() -> io::Result<Xml> {
    let mut w = Writer::new(Vec::new());
    w.get_mut()
        .extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    Ok(w)
}

/// The finished document as text.
pub fn finish(w: Xml) -> String {
    String::from_utf8_lossy(&w.into_inner()).into_owned()
}

/// `<name attrs...>text</name>`.
pub fn text_element(w: &mut Xml, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
    w.create_element(name)
        .with_attributes(attrs.iter().copied())
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

/// `<name attrs.../>`.
pub fn empty_element(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    w.create_element(name)
        .with_attributes(attrs.iter().copied())
        .write_empty()?;
    Ok(())
}

/// The algorithms of a signature.
#[derive(Debug, Clone, Copy)]
pub struct Algorithms {
    /// RSA-SHA1 instead of RSA-SHA256.
    pub sha1_signature: bool,
    /// SHA-1 instead of SHA-256 digests.
    pub sha1_digest: bool,
}

impl Algorithms {
    fn signature(self) -> &'static str {
        if self.sha1_signature {
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
        } else {
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        }
    }

    fn digest(self) -> &'static str {
        if self.sha1_digest {
            "http://www.w3.org/2000/09/xmldsig#sha1"
        } else {
            "http://www.w3.org/2001/04/xmlenc#sha256"
        }
    }
}

/// An empty enveloped-signature template over the element with `ID="{id}"`: exclusive
/// canonicalization, and a `KeyInfo` whose `X509Data` libxmlsec1 fills with the certificate.
pub fn signature_template(w: &mut Xml, id: &str, alg: Algorithms) -> io::Result<()> {
    let reference = format!("#{id}");
    w.create_element("ds:Signature")
        .with_attribute(("xmlns:ds", DSIG_NS))
        .write_inner_content(|w| {
            w.create_element("ds:SignedInfo").write_inner_content(|w| {
                empty_element(w, "ds:CanonicalizationMethod", &[("Algorithm", EXC_C14N)])?;
                empty_element(w, "ds:SignatureMethod", &[("Algorithm", alg.signature())])?;
                w.create_element("ds:Reference")
                    .with_attribute(("URI", reference.as_str()))
                    .write_inner_content(|w| {
                        transforms(w)?;
                        empty_element(w, "ds:DigestMethod", &[("Algorithm", alg.digest())])?;
                        empty_element(w, "ds:DigestValue", &[])
                    })?;
                Ok(())
            })?;
            empty_element(w, "ds:SignatureValue", &[])?;
            w.create_element("ds:KeyInfo")
                .write_inner_content(|w| empty_element(w, "ds:X509Data", &[]))?;
            Ok(())
        })?;
    Ok(())
}

fn transforms(w: &mut Xml) -> io::Result<()> {
    w.create_element("ds:Transforms").write_inner_content(|w| {
        empty_element(
            w,
            "ds:Transform",
            &[(
                "Algorithm",
                "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            )],
        )?;
        w.create_element("ds:Transform")
            .with_attribute(("Algorithm", EXC_C14N))
            .write_inner_content(|w| {
                empty_element(
                    w,
                    "ec:InclusiveNamespaces",
                    &[("xmlns:ec", EXC_C14N), ("PrefixList", "xs")],
                )
            })?;
        Ok(())
    })?;
    Ok(())
}

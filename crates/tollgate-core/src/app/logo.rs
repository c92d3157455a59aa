//! App logos (`POST /api/v1/apps/{appId}/logo`): which files Okta takes (PNG, JPEG, GIF or
//! UTF-8 SVG, told from the bytes, never from the file name, and less than one MB), and the
//! stable name a stored logo is served under (`{digest}.{extension}`).

use crate::secret::sha256_hex;

/// The largest logo accepted, in bytes: Okta asks for "less than one MB".
pub const MAX_LOGO_BYTES: usize = 1024 * 1024 - 1;

/// The image formats Okta accepts for a logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF (87a or 89a).
    Gif,
    /// SVG, UTF-8 text.
    Svg,
}

impl LogoFormat {
    /// The `Content-Type` it is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Svg => "image/svg+xml",
        }
    }

    /// The extension of its served file name.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Svg => "svg",
        }
    }

    fn from_extension(ext: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Gif, Self::Svg]
            .into_iter()
            .find(|f| f.extension() == ext)
    }

    /// The format of `bytes`, from their signature (SVG: UTF-8 text whose root element is
    /// `svg`); `None` for anything else.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"\xff\xd8\xff") {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if is_svg(bytes) {
            Some(Self::Svg)
        } else {
            None
        }
    }
}

/// Whether `bytes` are UTF-8 text whose first element is `<svg`, after an optional byte-order
/// mark, XML declaration (which must not name another encoding), comments and doctype.
fn is_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    loop {
        rest = rest.trim_start();
        let (open, close) = if rest.starts_with("<?") {
            ("<?", "?>")
        } else if rest.starts_with("<!--") {
            ("<!--", "-->")
        } else if rest.starts_with("<!") {
            ("<!", ">")
        } else {
            break;
        };
        let Some(end) = rest.find(close) else {
            return false;
        };
        if open == "<?" && !declares_utf8(&rest[..end]) {
            return false;
        }
        rest = &rest[end + close.len()..];
    }
    rest.strip_prefix("<svg")
        .and_then(|after| after.chars().next())
        .is_some_and(|c| c.is_whitespace() || c == '>' || c == '/')
}

/// Whether a processing instruction says nothing about its encoding or says UTF-8.
fn declares_utf8(instruction: &str) -> bool {
    let lower = instruction.to_ascii_lowercase();
    match lower.find("encoding") {
        None => true,
        Some(at) => {
            let value = lower[at + "encoding".len()..].trim_start_matches([' ', '=', '"', '\'']);
            value.starts_with("utf-8") || value.starts_with("utf8")
        }
    }
}

/// Why a file cannot be a logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoError {
    /// No file, or an empty one.
    Missing,
    /// One MB or more.
    TooLarge,
    /// Not PNG, JPEG, GIF or UTF-8 SVG.
    Unsupported,
}

/// A stored logo's name: the start of its SHA-256 digest and its format. A new upload gets a
/// new name, so a served logo never changes under its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoRef {
    /// 32 lowercase hex characters.
    pub digest: String,
    /// Its format.
    pub format: LogoFormat,
}

impl LogoRef {
    /// Checks an uploaded file and names it.
    pub fn check(bytes: &[u8]) -> Result<Self, LogoError> {
        if bytes.is_empty() {
            return Err(LogoError::Missing);
        }
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(LogoError::TooLarge);
        }
        let format = LogoFormat::detect(bytes).ok_or(LogoError::Unsupported)?;
        let mut digest = sha256_hex(bytes);
        digest.truncate(32);
        Ok(Self { digest, format })
    }

    /// `{digest}.{extension}`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.digest, self.format.extension())
    }

    /// From a [`LogoRef::file_name`]; `None` for any other text.
    pub fn parse(file_name: &str) -> Option<Self> {
        let (digest, ext) = file_name.split_once('.')?;
        let hex = digest.len() == 32
            && digest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let format = LogoFormat::from_extension(ext)?;
        hex.then(|| Self {
            digest: digest.to_owned(),
            format,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_from_the_bytes() {
        let cases: [(&[u8], Option<LogoFormat>); 16] = [
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(LogoFormat::Png)),
            (b"\xff\xd8\xff\xe0\0\x10JFIF", Some(LogoFormat::Jpeg)),
            (b"GIF89a\x01\0\x01\0", Some(LogoFormat::Gif)),
            (b"GIF87a\x01\0\x01\0", Some(LogoFormat::Gif)),
            (b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", Some(LogoFormat::Svg)),
            (b"\xef\xbb\xbf  <svg>", Some(LogoFormat::Svg)),
            (
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- logo -->\n<!DOCTYPE svg>\n<svg\n/>",
                Some(LogoFormat::Svg),
            ),
            (b"<?xml version='1.0'?><svg>", Some(LogoFormat::Svg)),
            (b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><svg>", None),
            (b"<svgx>", None),
            (b"<html><svg></svg></html>", None),
            (b"<?xml version=\"1.0\"", None),
            (b"\xff\xfe<\0s\0v\0g\0>\0", None),
            (b"\x89PNG", None),
            (b"BM\x36\0\0\0", None),
            (b"%PDF-1.7", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(LogoFormat::detect(bytes), want, "{bytes:?}");
        }
    }

    #[test]
    fn check_limits_size_and_names_by_digest() {
        assert_eq!(LogoRef::check(b""), Err(LogoError::Missing));
        assert_eq!(LogoRef::check(b"hello"), Err(LogoError::Unsupported));
        let mut big = b"GIF89a".to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(LogoRef::check(&big), Err(LogoError::TooLarge));
        big.truncate(MAX_LOGO_BYTES);
        let logo = LogoRef::check(&big).map_err(|e| format!("{e:?}"));
        let Ok(logo) = logo else {
            panic!("{logo:?}");
        };
        assert_eq!(logo.format, LogoFormat::Gif);
        assert_eq!(logo.digest.len(), 32);
        assert_eq!(LogoRef::parse(&logo.file_name()), Some(logo));
    }

    #[test]
    fn only_our_file_names_parse() {
        let digest = "0123456789abcdef0123456789abcdef";
        for (name, ok) in [
            (format!("{digest}.png"), true),
            (format!("{digest}.svg"), true),
            (format!("{digest}.jpeg"), false),
            (format!("{digest}.PNG"), false),
            (format!("{}.png", digest.to_uppercase()), false),
            (format!("{digest}0.png"), false),
            ("x.png".to_owned(), false),
            (digest.to_owned(), false),
        ] {
            assert_eq!(LogoRef::parse(&name).is_some(), ok, "{name}");
        }
    }
}

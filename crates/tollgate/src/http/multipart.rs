//! `multipart/form-data` bodies (RFC 7578), read from a body already in memory: the one
//! endpoint that takes them (an app's logo) wants a single file field, and the router caps the
//! body's size before it gets here.

/// One part of a form: its field name and its content.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// The `name` of its `Content-Disposition: form-data` header.
    pub name: String,
    /// The bytes between its headers and the next delimiter.
    pub data: &'a [u8],
}

/// The boundary of a `multipart/form-data` content type; `None` for any other type.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut params = split_params(content_type).into_iter();
    let media = params.next()?;
    if !media.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .find_map(|p| param_value(&p, "boundary"))
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// The parts of `body` delimited by `boundary`; `None` when the body is not well formed.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Option<Vec<Part<'a>>> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    let mut out = Vec::new();
    loop {
        let rest = body.get(at..)?;
        if rest.starts_with(b"--") {
            return Some(out);
        }
        at += line_end(rest)?;
        let head_end = find(body, b"\r\n\r\n", at)?;
        let name = form_data_name(body.get(at..head_end)?)?;
        let start = head_end + 4;
        let mut close = b"\r\n".to_vec();
        close.extend_from_slice(delimiter);
        let end = find(body, &close, start)?;
        out.push(Part {
            name,
            data: body.get(start..end)?,
        });
        at = end + close.len();
    }
}

/// The length of the transport padding and CRLF that end a delimiter line.
fn line_end(rest: &[u8]) -> Option<usize> {
    let pad = rest
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    rest.get(pad..)?.starts_with(b"\r\n").then_some(pad + 2)
}

/// The field name of a part from its headers.
fn form_data_name(headers: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(headers).ok()?;
    text.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if !name.trim().eq_ignore_ascii_case("content-disposition") {
            return None;
        }
        let mut params = split_params(value).into_iter();
        let kind = params.next()?;
        if !kind.trim().eq_ignore_ascii_case("form-data") {
            return None;
        }
        params.find_map(|p| param_value(&p, "name"))
    })
}

/// Splits a header value at the semicolons outside quoted strings.
fn split_params(value: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        if c == ';' && !quoted {
            out.push(String::new());
            continue;
        }
        if c == '"' && !escaped {
            quoted = !quoted;
        }
        escaped = quoted && !escaped && c == '\\';
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// The value of `key=value` or `key="value"` when `param` names `key`.
fn param_value(param: &str, key: &str) -> Option<String> {
    let (k, v) = param.split_once('=')?;
    if !k.trim().eq_ignore_ascii_case(key) {
        return None;
    }
    let v = v.trim();
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => Some(inner.replace("\\\"", "\"").replace("\\\\", "\\")),
        None => Some(v.to_owned()),
    }
}

/// The first index at or after `from` where `needle` occurs in `hay`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_of_form_data_only() {
        let cases = [
            ("multipart/form-data; boundary=abc", Some("abc")),
            ("Multipart/Form-Data;boundary=\"a b;c\"", Some("a b;c")),
            (
                "multipart/form-data; charset=utf-8; BOUNDARY=x1",
                Some("x1"),
            ),
            ("multipart/form-data", None),
            ("multipart/form-data; boundary=", None),
            ("multipart/mixed; boundary=abc", None),
            ("application/json", None),
        ];
        for (ct, want) in cases {
            assert_eq!(boundary(ct).as_deref(), want, "{ct}");
        }
    }

    #[test]
    fn parts_are_split_at_delimiters() {
        let body =
            b"preamble\r\n--XY\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n\
--XY  \r\ncontent-disposition: form-data; filename=\"a;name=b.png\"; name=file\r\n\
Content-Type: image/png\r\n\r\n\x89PNG\r\n--X\r\n--XY--\r\nepilogue";
        let got = parts(body, "XY");
        let want = vec![
            Part {
                name: "note".into(),
                data: b"hi",
            },
            Part {
                name: "file".into(),
                data: b"\x89PNG\r\n--X",
            },
        ];
        assert_eq!(got, Some(want));
    }

    #[test]
    fn malformed_bodies_are_none() {
        let cases: [&[u8]; 5] = [
            b"",
            b"--XY\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated",
            b"--XY\r\nContent-Disposition: form-data; name=a\r\nno blank line",
            b"--XY\r\nContent-Type: text/plain\r\n\r\nx\r\n--XY--",
            b"--XYjunk\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--XY--",
        ];
        for body in cases {
            assert_eq!(parts(body, "XY"), None, "{body:?}");
        }
        assert_eq!(parts(b"--XY--\r\n", "XY"), Some(vec![]));
    }
}

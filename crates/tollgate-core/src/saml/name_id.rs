//! `subjectNameIdTemplate`: text with `${expression}` parts, such as Okta's default
//! `${user.userName}`. Each part is evaluated and the pieces joined.

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text as written.
    Text(&'a str),
    /// The expression inside `${...}`.
    Expr(&'a str),
}

/// Splits a template; an unclosed `${` is an error.
pub fn pieces(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let (text, tail) = rest.split_at(start);
        if !text.is_empty() {
            out.push(Piece::Text(text));
        }
        let inner = tail.get(2..).unwrap_or_default();
        let end = inner
            .find('}')
            .ok_or_else(|| format!("unclosed '${{' in the NameID template '{template}'"))?;
        out.push(Piece::Expr(inner.get(..end).unwrap_or_default().trim()));
        rest = inner.get(end + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// The NameID for a template, evaluating each expression with `eval` (a null value adds
/// nothing). An empty result is an error: an assertion needs a subject.
pub fn render(
    template: &str,
    eval: &mut dyn FnMut(&str) -> Result<Vec<String>, String>,
) -> Result<String, String> {
    let mut out = String::new();
    for piece in pieces(template)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Expr(e) => out.push_str(&eval(e)?.join(",")),
        }
    }
    if out.is_empty() {
        return Err(format!(
            "the NameID template '{template}' gave an empty value"
        ));
    }
    Ok(out)
}

//! Finding the line of a field path (`apps[0].assignments.users[1]`) in an org file's text, so
//! that problems found after parsing (a bad expression, a duplicate login) name a line too.
//!
//! The parser keeps no positions once a value is built, so this walks the block-style YAML by
//! indentation. It stops at what it cannot follow (flow collections, a path segment that is not
//! a YAML key, like the core's `redirect_uris` under `settings`) and gives the deepest line it
//! reached, which is still the object at fault.

/// One step of a path.
#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

/// A line's content at an indentation; `- key: v` gives a `-` token and a `key: v` token two
/// columns deeper, both on the same line.
#[derive(Debug)]
struct Token<'a> {
    line: usize,
    indent: usize,
    text: &'a str,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = raw.len() - trimmed.len();
        let mut rest = trimmed;
        while let Some(after) = rest
            .strip_prefix("- ")
            .or_else(|| (rest == "-").then_some(""))
        {
            out.push(Token {
                line: n + 1,
                indent,
                text: "-",
            });
            indent += 2;
            rest = after.trim_start();
            if rest.is_empty() {
                break;
            }
        }
        if !rest.is_empty() {
            out.push(Token {
                line: n + 1,
                indent,
                text: rest,
            });
        }
    }
    out
}

fn is_key(text: &str, key: &str) -> bool {
    let unquoted = text
        .strip_prefix(['"', '\''])
        .and_then(|t| t.strip_prefix(key))
        .and_then(|t| t.strip_prefix(['"', '\'']));
    let after = unquoted.or_else(|| text.strip_prefix(key));
    after.is_some_and(|a| a == ":" || a.starts_with(": "))
}

/// The 1-based line of `path` in `text`, or of the deepest part of it that could be followed.
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    let toks = tokens(text);
    let (mut start, mut end) = (0, toks.len());
    let mut found = None;
    for seg in segments(path) {
        let base = toks.get(start..end)?.first()?.indent;
        let at = match seg {
            Segment::Key(k) => (start..end).find(|&i| {
                toks.get(i)
                    .is_some_and(|t| t.indent == base && is_key(t.text, k))
            }),
            Segment::Index(n) => (start..end)
                .filter(|&i| {
                    toks.get(i)
                        .is_some_and(|t| t.indent == base && t.text == "-")
                })
                .nth(n),
        };
        let Some(i) = at else { break };
        let tok = toks.get(i)?;
        found = Some(tok.line);
        let child_end = (i + 1..end)
            .find(|&j| toks.get(j).is_some_and(|t| t.indent <= base))
            .unwrap_or(end);
        (start, end) = (i + 1, child_end);
        if start >= end {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
# comment
users:
  - login: a@x.com
    firstName: A
  - login: b@x.com
    profile:
      team: red
apps:
  - label: App
    assignments:
      users: [a@x.com]
      groups:
        - Ops
        - Dev
";

    #[test]
    fn finds_keys_and_items() {
        assert_eq!(line_of(DOC, "users"), Some(2));
        assert_eq!(line_of(DOC, "users[0]"), Some(3));
        assert_eq!(line_of(DOC, "users[0].login"), Some(3));
        assert_eq!(line_of(DOC, "users[1].login"), Some(5));
        assert_eq!(line_of(DOC, "users[1].profile.team"), Some(7));
        assert_eq!(line_of(DOC, "apps[0].assignments.groups[1]"), Some(14));
    }

    #[test]
    fn stops_at_what_it_cannot_follow() {
        assert_eq!(line_of(DOC, "apps[0].assignments.users[0]"), Some(11));
        assert_eq!(line_of(DOC, "apps[0].redirect_uris"), Some(9));
        assert_eq!(line_of(DOC, "users[5]"), Some(2));
        assert_eq!(line_of(DOC, "nothing"), None);
    }
}

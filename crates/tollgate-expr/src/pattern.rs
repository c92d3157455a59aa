//! Regular expressions: linear-time (the `regex` crate), size-capped, and compiled with the match
//! semantics each caller needs.

use regex::{Regex, RegexBuilder};

use crate::limits::MAX_REGEX_SIZE;

/// How a pattern is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Java's `String.matches`: the whole input must match (`matches`).
    FullMatch,
    /// Java's `replaceFirst`: the leftmost match anywhere.
    Find,
    /// `isMemberOfGroupNameRegex`: full match, after stripping Okta's `/…/` delimiters; a trailing
    /// `/i` makes it case-insensitive.
    GroupName,
}

/// Compiles `pattern` for `mode`; the error is an admin-facing message.
pub(crate) fn compile(pattern: &str, mode: Mode) -> Result<Regex, String> {
    let (body, ignore_case) = match mode {
        Mode::GroupName => strip_delimiters(pattern),
        Mode::FullMatch | Mode::Find => (pattern, false),
    };
    let build = |p: &str| {
        RegexBuilder::new(p)
            .case_insensitive(ignore_case)
            .size_limit(MAX_REGEX_SIZE)
            .dfa_size_limit(MAX_REGEX_SIZE * 4)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(limit) => {
                    format!("regular expression is too large (limit {limit} bytes compiled)")
                }
                other => format!("invalid regular expression: {}", first_line(&other)),
            })
    };
    // Compiling the bare pattern first refuses an unbalanced `)` that would otherwise close our
    // anchoring group early (`a)|(b` must not become a partial match).
    let bare = build(body)?;
    if mode == Mode::Find {
        return Ok(bare);
    }
    build(&format!(r"\A(?:{body})\z"))
}

fn strip_delimiters(pattern: &str) -> (&str, bool) {
    let body = pattern.strip_prefix('/').unwrap_or(pattern);
    if let Some(b) = body.strip_suffix("/i") {
        (b, true)
    } else {
        (body.strip_suffix('/').unwrap_or(body), false)
    }
}

fn first_line(e: &regex::Error) -> String {
    let text = e.to_string();
    // The crate's message draws its own caret diagram; the last line names the problem.
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::{Mode, compile};

    #[test]
    fn full_match_is_anchored() {
        let r = compile("Sal.*", Mode::FullMatch).unwrap();
        assert!(r.is_match("Sales"));
        assert!(!compile("Sal", Mode::FullMatch).unwrap().is_match("Sales"));
        assert!(compile("a|ab", Mode::FullMatch).unwrap().is_match("ab"));
    }

    #[test]
    fn unbalanced_group_is_refused() {
        assert!(compile("a)|(b", Mode::FullMatch).is_err());
    }

    #[test]
    fn group_name_delimiters() {
        assert!(
            compile("/.*admin.*", Mode::GroupName)
                .unwrap()
                .is_match("x admin y")
        );
        assert!(
            compile("/.*admin.*/i", Mode::GroupName)
                .unwrap()
                .is_match("ADMINS")
        );
        assert!(
            !compile("/.*admin.*/", Mode::GroupName)
                .unwrap()
                .is_match("ADMINS")
        );
    }

    #[test]
    fn huge_patterns_are_refused() {
        let err = compile(r"\w{1000}\w{1000}\w{1000}", Mode::FullMatch).unwrap_err();
        assert!(err.contains("too large"), "{err}");
    }
}

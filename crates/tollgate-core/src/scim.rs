//! Okta's SCIM-style `filter` and `search` expressions: `attr op "value"`, `attr pr`, `and`,
//! `or`, `not`, parentheses. Attribute names are case-sensitive, operators and keywords are not.
//! Which attributes and operators a resource allows is the caller's business.

use std::fmt;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `gt`
    Gt,
    /// `ge`
    Ge,
    /// `lt`
    Lt,
    /// `le`
    Le,
    /// `sw` (starts with)
    Sw,
    /// `co` (contains)
    Co,
    /// `ew` (ends with)
    Ew,
}

impl Op {
    fn parse(word: &str) -> Option<Self> {
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => Self::Eq,
            "ne" => Self::Ne,
            "gt" => Self::Gt,
            "ge" => Self::Ge,
            "lt" => Self::Lt,
            "le" => Self::Le,
            "sw" => Self::Sw,
            "co" => Self::Co,
            "ew" => Self::Ew,
            _ => return None,
        })
    }
}

/// A literal on the right of an operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A double-quoted string (JSON escapes).
    Str(String),
    /// A number.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr op value`.
    Cmp {
        /// The attribute path (`profile.name`, `status`, ...).
        attr: String,
        /// The operator.
        op: Op,
        /// The value.
        value: Literal,
    },
    /// `attr pr`: the attribute is present (not null).
    Present(String),
    /// Both.
    And(Box<Filter>, Box<Filter>),
    /// Either.
    Or(Box<Filter>, Box<Filter>),
    /// Not.
    Not(Box<Filter>),
}

/// Why a filter could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const MAX_LEN: usize = 4096;
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
}

fn lex(src: &str) -> Result<Vec<Tok>, FilterError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Tok::Open);
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
            }
            '"' => {
                // Find the closing quote, honouring backslash escapes, then decode as JSON.
                let mut end = None;
                let mut escaped = false;
                chars.next();
                for (j, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        end = Some(j);
                        break;
                    }
                }
                let end = end.ok_or_else(|| FilterError(format!("unterminated string at {i}")))?;
                let raw = src.get(i..=end).unwrap_or_default();
                let s: String = serde_json::from_str(raw)
                    .map_err(|_| FilterError(format!("bad string at {i}")))?;
                out.push(Tok::Str(s));
            }
            _ => {
                let mut word = String::new();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_whitespace() || d == '(' || d == ')' || d == '"' {
                        break;
                    }
                    word.push(d);
                    chars.next();
                }
                out.push(Tok::Word(word));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek_keyword(&self, kw: &str) -> bool {
        matches!(self.toks.get(self.pos), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn or(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and()?;
        while self.peek_keyword("or") {
            self.pos += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.unary()?;
        while self.peek_keyword("and") {
            self.pos += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FilterError("filter nested too deeply".to_owned()));
        }
        let out = self.unary_inner();
        self.depth -= 1;
        out
    }

    fn unary_inner(&mut self) -> Result<Filter, FilterError> {
        if self.peek_keyword("not") {
            self.pos += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        match self.next() {
            Some(Tok::Open) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Tok::Close) => Ok(inner),
                    _ => Err(FilterError("expected ')'".to_owned())),
                }
            }
            Some(Tok::Word(attr)) => {
                let op_word = match self.next() {
                    Some(Tok::Word(w)) => w,
                    _ => return Err(FilterError(format!("expected an operator after {attr}"))),
                };
                if op_word.eq_ignore_ascii_case("pr") {
                    return Ok(Filter::Present(attr));
                }
                let op = Op::parse(&op_word)
                    .ok_or_else(|| FilterError(format!("unknown operator {op_word}")))?;
                let value = match self.next() {
                    Some(Tok::Str(s)) => Literal::Str(s),
                    Some(Tok::Word(w)) => match w.to_ascii_lowercase().as_str() {
                        "true" => Literal::Bool(true),
                        "false" => Literal::Bool(false),
                        "null" => Literal::Null,
                        // Finite numbers only: `f64` parsing also takes `NaN`, `inf` and
                        // digits past its range (as infinity), none of them a filter value.
                        _ => Literal::Num(
                            w.parse::<f64>()
                                .ok()
                                .filter(|n| n.is_finite())
                                .ok_or_else(|| FilterError(format!("bad value {w}")))?,
                        ),
                    },
                    _ => {
                        return Err(FilterError(format!(
                            "expected a value after {attr} {op_word}"
                        )));
                    }
                };
                Ok(Filter::Cmp { attr, op, value })
            }
            _ => Err(FilterError(
                "expected an attribute, 'not' or '('".to_owned(),
            )),
        }
    }
}

/// Parses a filter or search expression.
pub fn parse(src: &str) -> Result<Filter, FilterError> {
    if src.len() > MAX_LEN {
        return Err(FilterError("filter too long".to_owned()));
    }
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let f = p.or()?;
    if p.pos != p.toks.len() {
        return Err(FilterError("unexpected text after the filter".to_owned()));
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_okta_examples() {
        let f = parse(r#"profile.name sw "West" and (type eq "OKTA_GROUP" or not id eq "00g1")"#)
            .unwrap();
        let Filter::And(l, r) = f else { panic!() };
        assert_eq!(
            *l,
            Filter::Cmp {
                attr: "profile.name".into(),
                op: Op::Sw,
                value: Literal::Str("West".into())
            }
        );
        assert!(matches!(*r, Filter::Or(..)));
        assert_eq!(
            parse("profile.mobilePhone pr").unwrap(),
            Filter::Present("profile.mobilePhone".into())
        );
        assert!(matches!(
            parse(r#"status EQ "ACTIVE" OR status eq "STAGED""#).unwrap(),
            Filter::Or(..)
        ));
        assert_eq!(
            parse(r#"profile.x eq "a \"q\"""#).unwrap(),
            Filter::Cmp {
                attr: "profile.x".into(),
                op: Op::Eq,
                value: Literal::Str("a \"q\"".into())
            }
        );
    }

    #[test]
    fn numbers_in_range_parse() {
        assert_eq!(
            parse("p ge 1e300").unwrap(),
            Filter::Cmp {
                attr: "p".into(),
                op: Op::Ge,
                value: Literal::Num(1e300)
            }
        );
    }

    #[test]
    fn refuses_junk_without_panicking() {
        for bad in [
            "",
            "status",
            "status zz \"x\"",
            "(status eq \"x\"",
            "status eq",
            "\"x",
            "status eq \"x\" junk",
            &"(".repeat(100),
            // Found by the scim_filter fuzz target: numbers that are not finite.
            "p ge NaN",
            "p ge inf",
            "p ge -Infinity",
            &format!("p ge 2{}", "0".repeat(400)),
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

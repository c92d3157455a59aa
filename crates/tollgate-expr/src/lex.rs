//! Hand-written lexer. Tokens borrow their text from the source, so every token knows its span and
//! string literals are unescaped only when the parser builds the tree.

use crate::error::{ParseError, ParseErrorKind};
use crate::span::Span;

/// Operators and delimiters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Punct {
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Dot,
    /// `?.`
    SafeDot,
    /// `.![`
    Project,
    /// `.?[`
    Select,
    Question,
    /// `?:`
    Elvis,
    Colon,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    EqEq,
    NotEq,
    Lt,
    Gt,
    Le,
    Ge,
    Bang,
    AndAnd,
    OrOr,
}

impl Punct {
    /// The punctuation as written.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Punct::LParen => "(",
            Punct::RParen => ")",
            Punct::LBracket => "[",
            Punct::RBracket => "]",
            Punct::LBrace => "{",
            Punct::RBrace => "}",
            Punct::Comma => ",",
            Punct::Dot => ".",
            Punct::SafeDot => "?.",
            Punct::Project => ".![",
            Punct::Select => ".?[",
            Punct::Question => "?",
            Punct::Elvis => "?:",
            Punct::Colon => ":",
            Punct::Plus => "+",
            Punct::Minus => "-",
            Punct::Star => "*",
            Punct::Slash => "/",
            Punct::Percent => "%",
            Punct::EqEq => "==",
            Punct::NotEq => "!=",
            Punct::Lt => "<",
            Punct::Gt => ">",
            Punct::Le => "<=",
            Punct::Ge => ">=",
            Punct::Bang => "!",
            Punct::AndAnd => "&&",
            Punct::OrOr => "||",
        }
    }
}

/// One token; text borrows from the source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Tok<'a> {
    Ident(&'a str),
    /// A number as written; `float` when it has a fraction or an exponent.
    Num {
        text: &'a str,
        float: bool,
    },
    /// The text between the quotes, doubled quotes still doubled.
    Str {
        raw: &'a str,
        quote: u8,
    },
    Punct(Punct),
    Eof,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token<'a> {
    pub(crate) tok: Tok<'a>,
    pub(crate) span: Span,
}

/// Splits `src` into tokens, ending with one `Eof` token.
pub(crate) fn lex(src: &str) -> Result<Vec<Token<'_>>, ParseError> {
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 3 + 1);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let tok = if is_ident_start(b) {
            i = scan_while(bytes, i + 1, is_ident_continue);
            Tok::Ident(slice(src, start, i))
        } else if b.is_ascii_digit() {
            let (end, float) = scan_number(bytes, i)?;
            i = end;
            Tok::Num {
                text: slice(src, start, i),
                float,
            }
        } else if b == b'\'' || b == b'"' {
            i = scan_string(bytes, i)?;
            Tok::Str {
                raw: slice(src, start + 1, i - 1),
                quote: b,
            }
        } else if let Some((p, len)) = punct(bytes, i) {
            i += len;
            Tok::Punct(p)
        } else {
            let c = src.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            let span = Span::new(i, i + c.len_utf8());
            return Err(ParseError {
                span,
                kind: unsupported_char(bytes, i, c),
            });
        };
        out.push(Token {
            tok,
            span: Span::new(start, i),
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: Span::new(src.len(), src.len()),
    });
    Ok(out)
}

fn slice(src: &str, start: usize, end: usize) -> &str {
    src.get(start..end).unwrap_or("")
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_ident_continue(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

fn scan_while(bytes: &[u8], mut i: usize, pred: fn(u8) -> bool) -> usize {
    while bytes.get(i).is_some_and(|&b| pred(b)) {
        i += 1;
    }
    i
}

/// Digits, an optional fraction (a dot followed by a digit), an optional exponent. A letter glued to
/// the end (`12ab`, Java's `1L`) is an error rather than two tokens.
fn scan_number(bytes: &[u8], start: usize) -> Result<(usize, bool), ParseError> {
    let mut i = scan_while(bytes, start, |b| b.is_ascii_digit());
    let mut float = false;
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        float = true;
        i = scan_while(bytes, i + 1, |b| b.is_ascii_digit());
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            float = true;
            i = scan_while(bytes, j, |b| b.is_ascii_digit());
        }
    }
    if bytes.get(i).is_some_and(|&b| is_ident_continue(b)) {
        let end = scan_while(bytes, i, is_ident_continue);
        return Err(ParseError {
            span: Span::new(start, end),
            kind: ParseErrorKind::InvalidNumber,
        });
    }
    Ok((i, float))
}

/// Returns the index just past the closing quote. A doubled quote is an escaped quote.
fn scan_string(bytes: &[u8], start: usize) -> Result<usize, ParseError> {
    let quote = bytes.get(start).copied().unwrap_or(b'"');
    let mut i = start + 1;
    loop {
        match bytes.get(i) {
            None => {
                return Err(ParseError {
                    span: Span::new(start, bytes.len()),
                    kind: ParseErrorKind::UnterminatedString,
                });
            }
            Some(&b) if b == quote => {
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return Ok(i + 1);
                }
            }
            Some(_) => i += 1,
        }
    }
}

fn punct(bytes: &[u8], i: usize) -> Option<(Punct, usize)> {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    let two = [at(0), at(1)];
    let three = [at(0), at(1), at(2)];
    let p = match &three {
        b".![" => return Some((Punct::Project, 3)),
        b".?[" => return Some((Punct::Select, 3)),
        _ => match &two {
            b"?." => return Some((Punct::SafeDot, 2)),
            b"?:" => return Some((Punct::Elvis, 2)),
            b"==" => return Some((Punct::EqEq, 2)),
            b"!=" => return Some((Punct::NotEq, 2)),
            b"<=" => return Some((Punct::Le, 2)),
            b">=" => return Some((Punct::Ge, 2)),
            b"&&" => return Some((Punct::AndAnd, 2)),
            b"||" => return Some((Punct::OrOr, 2)),
            _ => match at(0) {
                b'(' => Punct::LParen,
                b')' => Punct::RParen,
                b'[' => Punct::LBracket,
                b']' => Punct::RBracket,
                b'{' => Punct::LBrace,
                b'}' => Punct::RBrace,
                b',' => Punct::Comma,
                b'.' => Punct::Dot,
                b'?' => Punct::Question,
                b':' => Punct::Colon,
                b'+' => Punct::Plus,
                b'-' => Punct::Minus,
                b'*' => Punct::Star,
                b'/' => Punct::Slash,
                b'%' => Punct::Percent,
                b'<' => Punct::Lt,
                b'>' => Punct::Gt,
                b'!' => Punct::Bang,
                _ => return None,
            },
        },
    };
    Some((p, 1))
}

/// Names the SpEL feature a stray character belongs to, so the admin learns why it is refused.
fn unsupported_char(bytes: &[u8], i: usize, c: char) -> ParseErrorKind {
    match c {
        '=' => ParseErrorKind::Unsupported("assignment `=` (use `==` to compare)"),
        '#' => ParseErrorKind::Unsupported("a variable reference `#`"),
        '@' | '&' if bytes.get(i + 1).is_some_and(|&b| is_ident_start(b)) => {
            ParseErrorKind::Unsupported("a bean reference")
        }
        '&' => ParseErrorKind::Unsupported("`&` (use `&&` or `AND`)"),
        '|' => ParseErrorKind::Unsupported("`|` (use `||` or `OR`)"),
        '^' => ParseErrorKind::Unsupported("the power operator `^`"),
        _ => ParseErrorKind::UnexpectedChar(c),
    }
}

#[cfg(test)]
mod tests {
    use super::{Punct, Tok, lex};
    use crate::error::ParseErrorKind;

    fn toks(src: &str) -> Vec<Tok<'_>> {
        lex(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn strings_double_their_quotes_and_keep_backslashes() {
        assert_eq!(
            toks(r#"'It''s' "a\""#),
            vec![
                Tok::Str {
                    raw: "It''s",
                    quote: b'\''
                },
                Tok::Str {
                    raw: "a\\",
                    quote: b'"'
                },
                Tok::Eof
            ]
        );
    }

    #[test]
    fn compound_punctuation() {
        assert_eq!(
            toks("a?.b.![c].?[d]?:e"),
            vec![
                Tok::Ident("a"),
                Tok::Punct(Punct::SafeDot),
                Tok::Ident("b"),
                Tok::Punct(Punct::Project),
                Tok::Ident("c"),
                Tok::Punct(Punct::RBracket),
                Tok::Punct(Punct::Select),
                Tok::Ident("d"),
                Tok::Punct(Punct::RBracket),
                Tok::Punct(Punct::Elvis),
                Tok::Ident("e"),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("1 2.5 1e3 3.")[..4],
            [
                Tok::Num {
                    text: "1",
                    float: false
                },
                Tok::Num {
                    text: "2.5",
                    float: true
                },
                Tok::Num {
                    text: "1e3",
                    float: true
                },
                Tok::Num {
                    text: "3",
                    float: false
                },
            ]
        );
        assert_eq!(lex("12ab").unwrap_err().kind, ParseErrorKind::InvalidNumber);
        assert_eq!(lex("1L").unwrap_err().kind, ParseErrorKind::InvalidNumber);
    }

    #[test]
    fn errors_name_the_feature() {
        assert!(matches!(
            lex("a = 1").unwrap_err().kind,
            ParseErrorKind::Unsupported(_)
        ));
        assert!(matches!(
            lex("#x").unwrap_err().kind,
            ParseErrorKind::Unsupported(_)
        ));
        assert_eq!(
            lex("'abc").unwrap_err().kind,
            ParseErrorKind::UnterminatedString
        );
        assert_eq!(
            lex("a ~ b").unwrap_err().kind,
            ParseErrorKind::UnexpectedChar('~')
        );
    }
}

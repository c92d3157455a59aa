//! The operands: literals, names and calls, parenthesised expressions, and inline lists and maps.

use super::{Parser, climb, keyword};
use crate::ast::{Node, NodeKind};
use crate::error::{Expect, ParseError, ParseErrorKind};
use crate::lex::{Punct, Tok};
use crate::span::Span;

impl Parser<'_> {
    /// `primary = literal | ident [args] | "(" expr ")" | inline`
    pub(super) fn primary(&mut self) -> Result<Node, ParseError> {
        let t = self.peek();
        let kind = match t.tok {
            Tok::Num { text, float } => {
                self.bump();
                number(text, float, t.span)?
            }
            Tok::Str { raw, quote } => {
                self.bump();
                NodeKind::Str(unescape(raw, quote))
            }
            Tok::Ident(w) if keyword(w, "true") => {
                self.bump();
                NodeKind::Bool(true)
            }
            Tok::Ident(w) if keyword(w, "false") => {
                self.bump();
                NodeKind::Bool(false)
            }
            Tok::Ident(w) if keyword(w, "null") => {
                self.bump();
                NodeKind::Null
            }
            Tok::Ident(w) if climb::word_operator(w).is_some() || keyword(w, "not") => {
                return Err(self.unexpected(Expect::Expression));
            }
            Tok::Ident(_) => {
                let name = self.name()?;
                if self.at(Punct::LParen) {
                    let (args, end) = self.args()?;
                    let span = name.span.to(end);
                    let kind = NodeKind::Call {
                        target: None,
                        name,
                        args,
                        null_safe: false,
                    };
                    return self.node(kind, span);
                }
                let span = name.span;
                return self.node(NodeKind::Name(name), span);
            }
            Tok::Punct(Punct::LParen) => {
                self.bump();
                // Parentheses make no node; the inner node keeps its own span.
                let inner = self.expr()?;
                self.expect(Punct::RParen, Expect::CloseParen)?;
                return Ok(inner);
            }
            Tok::Punct(Punct::LBrace) => return self.nested(Self::inline),
            _ => return Err(self.unexpected(Expect::Expression)),
        };
        self.node(kind, t.span)
    }

    /// `inline = "{" [ expr { "," expr } ] "}" | "{" entry { "," entry } "}" | "{:}"`
    fn inline(&mut self) -> Result<Node, ParseError> {
        let open = self.bump().span;
        if let Some(end) = self.eat_span(Punct::RBrace) {
            return self.node(NodeKind::List(Vec::new()), open.to(end));
        }
        if self.at(Punct::Colon) && self.peek_at(1) == Tok::Punct(Punct::RBrace) {
            self.bump();
            let end = self.bump().span;
            return self.node(NodeKind::Map(Vec::new()), open.to(end));
        }
        let is_map = matches!(self.peek().tok, Tok::Str { .. } | Tok::Ident(_))
            && self.peek_at(1) == Tok::Punct(Punct::Colon);
        if is_map {
            let mut entries = Vec::new();
            loop {
                let key = match self.peek().tok {
                    Tok::Str { raw, quote } => unescape(raw, quote),
                    Tok::Ident(w) => w.to_owned(),
                    _ => return Err(self.unexpected(Expect::MapKey)),
                };
                self.bump();
                self.expect(Punct::Colon, Expect::MapColon)?;
                entries.push((key, self.expr()?));
                if !self.eat(Punct::Comma) {
                    break;
                }
            }
            let end = self.expect(Punct::RBrace, Expect::CloseBrace)?;
            return self.node(NodeKind::Map(entries), open.to(end));
        }
        let mut items = Vec::new();
        loop {
            items.push(self.expr()?);
            if !self.eat(Punct::Comma) {
                break;
            }
        }
        let end = self.expect(Punct::RBrace, Expect::CloseBrace)?;
        self.node(NodeKind::List(items), open.to(end))
    }
}

fn number(text: &str, float: bool, span: Span) -> Result<NodeKind, ParseError> {
    let err = |kind| ParseError { span, kind };
    if float {
        return match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(NodeKind::Float(x)),
            Ok(_) => Err(err(ParseErrorKind::NumberTooLarge)),
            Err(_) => Err(err(ParseErrorKind::InvalidNumber)),
        };
    }
    text.parse::<i64>()
        .map(NodeKind::Int)
        .map_err(|_| err(ParseErrorKind::NumberTooLarge))
}

/// A doubled quote stands for one quote; nothing else is an escape (a backslash is ordinary text).
fn unescape(raw: &str, quote: u8) -> String {
    let q = char::from(quote);
    raw.replace(&format!("{q}{q}"), &q.to_string())
}

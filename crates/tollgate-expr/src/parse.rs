//! Recursive-descent parser. Binary operators go through the precedence-climbing loop in
//! `parse/climb.rs`, the operands are in `parse/primary.rs`; everything else is one method per
//! grammar rule (see the spec's EBNF).
//!
//! Two bounds keep every later walk safe: the parser's own recursion depth and the height of every
//! node it builds are both capped at [`MAX_DEPTH`].

mod climb;
mod primary;

use crate::ast::{Expr, Name, Node, NodeKind, UnaryOp};
use crate::error::{Expect, ParseError, ParseErrorKind};
use crate::lex::{Punct, Tok, Token, lex};
use crate::limits::{MAX_DEPTH, MAX_SOURCE_LEN};
use crate::span::Span;

impl Expr {
    /// Parses `source` (at most [`MAX_SOURCE_LEN`] bytes).
    ///
    /// ```
    /// let e = tollgate_expr::Expr::parse("user.firstName + ' ' + user.lastName").unwrap();
    /// assert_eq!(e.to_string(), "user.firstName + ' ' + user.lastName");
    /// ```
    pub fn parse(source: &str) -> Result<Expr, ParseError> {
        if source.len() > MAX_SOURCE_LEN {
            return Err(ParseError {
                span: Span::new(MAX_SOURCE_LEN, source.len()),
                kind: ParseErrorKind::TooLong {
                    len: source.len(),
                    max: MAX_SOURCE_LEN,
                },
            });
        }
        let tokens = lex(source)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            depth: 0,
        };
        let root = p.expr()?;
        if !p.at_eof() {
            return Err(p.unexpected(Expect::EndOfInput));
        }
        Ok(Expr { root })
    }
}

pub(crate) struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
}

/// Keywords are case-insensitive (SpEL), and only keywords where an operator or operand is expected:
/// after a dot any name is a property name.
fn keyword(word: &str, kw: &str) -> bool {
    word.eq_ignore_ascii_case(kw)
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Token<'a> {
        self.tokens
            .get(self.pos)
            .or_else(|| self.tokens.last())
            .copied()
            .unwrap_or(Token {
                tok: Tok::Eof,
                span: Span::default(),
            })
    }

    fn peek_at(&self, ahead: usize) -> Tok<'a> {
        self.tokens
            .get(self.pos + ahead)
            .map_or(Tok::Eof, |t| t.tok)
    }

    fn bump(&mut self) -> Token<'a> {
        let t = self.peek();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn at_eof(&self) -> bool {
        matches!(self.peek().tok, Tok::Eof)
    }

    fn at(&self, p: Punct) -> bool {
        self.peek().tok == Tok::Punct(p)
    }

    fn eat(&mut self, p: Punct) -> bool {
        let hit = self.at(p);
        if hit {
            self.bump();
        }
        hit
    }

    fn expect(&mut self, p: Punct, what: Expect) -> Result<Span, ParseError> {
        if self.at(p) {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, expected: Expect) -> ParseError {
        let t = self.peek();
        let found = match t.tok {
            Tok::Eof => String::new(),
            Tok::Ident(s) | Tok::Num { text: s, .. } => s.to_owned(),
            Tok::Str { raw, quote } => {
                let q = char::from(quote);
                format!("{q}{raw}{q}")
            }
            Tok::Punct(p) => p.text().to_owned(),
        };
        ParseError {
            span: t.span,
            kind: ParseErrorKind::Expected { expected, found },
        }
    }

    /// Runs `f` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.too_deep(self.peek().span));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn too_deep(&self, span: Span) -> ParseError {
        ParseError {
            span,
            kind: ParseErrorKind::TooDeep { max: MAX_DEPTH },
        }
    }

    /// Every node is built here, so no tree taller than [`MAX_DEPTH`] ever leaves the parser.
    fn node(&self, kind: NodeKind, span: Span) -> Result<Node, ParseError> {
        let node = Node::new(kind, span);
        if node.height > MAX_DEPTH {
            return Err(self.too_deep(span));
        }
        Ok(node)
    }

    /// `expr = or_expr [ "?" expr ":" expr | "?:" expr ]`
    pub(crate) fn expr(&mut self) -> Result<Node, ParseError> {
        self.nested(|p| {
            let cond = p.binary(2)?;
            if p.eat(Punct::Question) {
                let then = p.expr()?;
                p.expect(Punct::Colon, Expect::TernaryColon)?;
                let otherwise = p.expr()?;
                let span = cond.span.to(otherwise.span);
                let kind = NodeKind::Ternary {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                };
                p.node(kind, span)
            } else if p.eat(Punct::Elvis) {
                let fallback = p.expr()?;
                let span = cond.span.to(fallback.span);
                let kind = NodeKind::Elvis {
                    value: Box::new(cond),
                    fallback: Box::new(fallback),
                };
                p.node(kind, span)
            } else {
                Ok(cond)
            }
        })
    }

    /// `unary = ("!" | "not" | "-") unary | postfix`
    fn unary(&mut self) -> Result<Node, ParseError> {
        let t = self.peek();
        let op = match t.tok {
            Tok::Punct(Punct::Bang) => UnaryOp::Not,
            Tok::Ident(w) if keyword(w, "not") => UnaryOp::Not,
            Tok::Punct(Punct::Minus) => UnaryOp::Neg,
            _ => return self.postfix(),
        };
        self.bump();
        self.nested(|p| {
            let operand = p.unary()?;
            let span = t.span.to(operand.span);
            p.node(
                NodeKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
                span,
            )
        })
    }

    /// `postfix = primary { "." ident [args] | "?." ident [args] | "[" expr "]" | ".![" expr "]" | ".?[" expr "]" }`
    fn postfix(&mut self) -> Result<Node, ParseError> {
        let mut node = self.primary()?;
        loop {
            let t = self.peek();
            node = match t.tok {
                Tok::Punct(p @ (Punct::Dot | Punct::SafeDot)) => {
                    self.bump();
                    let name = self.name()?;
                    let null_safe = p == Punct::SafeDot;
                    if self.at(Punct::LParen) {
                        let (args, end) = self.args()?;
                        let span = node.span.to(end);
                        let kind = NodeKind::Call {
                            target: Some(Box::new(node)),
                            name,
                            args,
                            null_safe,
                        };
                        self.node(kind, span)?
                    } else {
                        let span = node.span.to(name.span);
                        let kind = NodeKind::Property {
                            target: Box::new(node),
                            name,
                            null_safe,
                        };
                        self.node(kind, span)?
                    }
                }
                Tok::Punct(Punct::LBracket) => {
                    self.bump();
                    let index = self.expr()?;
                    let end = self.expect(Punct::RBracket, Expect::CloseBracket)?;
                    let span = node.span.to(end);
                    let kind = NodeKind::Index {
                        target: Box::new(node),
                        index: Box::new(index),
                    };
                    self.node(kind, span)?
                }
                Tok::Punct(p @ (Punct::Project | Punct::Select)) => {
                    self.bump();
                    let body = Box::new(self.expr()?);
                    let end = self.expect(Punct::RBracket, Expect::CloseBracket)?;
                    let span = node.span.to(end);
                    let target = Box::new(node);
                    let kind = if p == Punct::Project {
                        NodeKind::Projection { target, body }
                    } else {
                        NodeKind::Selection { target, body }
                    };
                    self.node(kind, span)?
                }
                _ => return Ok(node),
            };
        }
    }

    fn name(&mut self) -> Result<Name, ParseError> {
        match self.peek().tok {
            Tok::Ident(text) => {
                let span = self.bump().span;
                Ok(Name {
                    text: text.to_owned(),
                    span,
                })
            }
            _ => Err(self.unexpected(Expect::PropertyName)),
        }
    }

    /// `args = "(" [ expr { "," expr } ] ")"`; returns the arguments and the span of `)`.
    fn args(&mut self) -> Result<(Vec<Node>, Span), ParseError> {
        self.expect(Punct::LParen, Expect::CloseArgs)?;
        let mut args = Vec::new();
        if let Some(end) = self.eat_span(Punct::RParen) {
            return Ok((args, end));
        }
        loop {
            args.push(self.expr()?);
            if self.eat(Punct::Comma) {
                continue;
            }
            let end = self.expect(Punct::RParen, Expect::CloseArgs)?;
            return Ok((args, end));
        }
    }

    fn eat_span(&mut self, p: Punct) -> Option<Span> {
        self.at(p).then(|| self.bump().span)
    }
}

#[cfg(test)]
mod tests;

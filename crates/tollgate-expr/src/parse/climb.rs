//! Precedence climbing for the binary operators: one loop per precedence level reached, so the
//! recursion depth is bounded by the number of levels (five), not by the input.

use super::{Parser, keyword};
use crate::ast::{BinaryOp, Node, NodeKind};
use crate::error::{ParseError, ParseErrorKind};
use crate::lex::{Punct, Tok};

/// Operators spelled as words (SpEL's textual aliases), case-insensitive.
pub(super) fn word_operator(word: &str) -> Option<BinaryOp> {
    const WORDS: [(&str, BinaryOp); 11] = [
        ("and", BinaryOp::And),
        ("or", BinaryOp::Or),
        ("eq", BinaryOp::Eq),
        ("ne", BinaryOp::Ne),
        ("lt", BinaryOp::Lt),
        ("gt", BinaryOp::Gt),
        ("le", BinaryOp::Le),
        ("ge", BinaryOp::Ge),
        ("div", BinaryOp::Div),
        ("mod", BinaryOp::Rem),
        ("matches", BinaryOp::Matches),
    ];
    WORDS
        .iter()
        .find(|(w, _)| keyword(word, w))
        .map(|&(_, op)| op)
}

fn symbol_operator(p: Punct) -> Option<BinaryOp> {
    Some(match p {
        Punct::OrOr => BinaryOp::Or,
        Punct::AndAnd => BinaryOp::And,
        Punct::EqEq => BinaryOp::Eq,
        Punct::NotEq => BinaryOp::Ne,
        Punct::Lt => BinaryOp::Lt,
        Punct::Gt => BinaryOp::Gt,
        Punct::Le => BinaryOp::Le,
        Punct::Ge => BinaryOp::Ge,
        Punct::Plus => BinaryOp::Add,
        Punct::Minus => BinaryOp::Sub,
        Punct::Star => BinaryOp::Mul,
        Punct::Slash => BinaryOp::Div,
        Punct::Percent => BinaryOp::Rem,
        _ => return None,
    })
}

impl Parser<'_> {
    fn peek_operator(&self) -> Option<BinaryOp> {
        match self.peek().tok {
            Tok::Punct(p) => symbol_operator(p),
            Tok::Ident(w) => word_operator(w),
            _ => None,
        }
    }

    /// Parses operands joined by operators of precedence `min` or higher, left-associatively;
    /// comparisons do not chain.
    pub(super) fn binary(&mut self, min: u8) -> Result<Node, ParseError> {
        let mut lhs = self.unary()?;
        let mut compared = false;
        while let Some(op) = self.peek_operator() {
            let prec = op.precedence();
            if prec < min {
                break;
            }
            if op.is_relational() && compared {
                return Err(ParseError {
                    span: self.peek().span,
                    kind: ParseErrorKind::ChainedComparison,
                });
            }
            self.bump();
            let rhs = self.binary(prec + 1)?;
            compared = op.is_relational();
            let span = lhs.span.to(rhs.span);
            let kind = NodeKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            };
            lhs = self.node(kind, span)?;
        }
        Ok(lhs)
    }
}

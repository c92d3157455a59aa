//! Checking a function call: resolving the function in its namespace, its arity, and preparing
//! its literal arguments (group limits, regexes, group expressions).

use std::sync::Arc;

use super::name::UNSUPPORTED;
use super::{Checker, err, group_expression, literal};
use crate::ast::{Name, Node, NodeKind};
use crate::error::{CheckError, CheckErrorKind};
use crate::func;
use crate::ir::call::{FuncDef, Ns};
use crate::ir::{Op, OpKind, Pre, Root};
use crate::span::Span;

impl Checker {
    pub(super) fn call(
        &mut self,
        target: Option<&Node>,
        name: &Name,
        args: &[Node],
        null_safe: bool,
        span: Span,
    ) -> Result<OpKind, CheckError> {
        let name_span = self.span(name.span);
        let (def, receiver) = match target.map(|t| &t.kind) {
            None => {
                if UNSUPPORTED.contains(&name.text.as_str()) {
                    return Err(err(
                        CheckErrorKind::Unsupported,
                        name_span,
                        format!("`{}` is not available in token claims", name.text),
                    ));
                }
                (self.resolve(Ns::Global, name, name_span)?, None)
            }
            Some(NodeKind::Name(ns)) if Ns::from_name(&ns.text).is_some() && !null_safe => {
                let ns = Ns::from_name(&ns.text).unwrap_or(Ns::Global);
                (self.resolve(ns, name, name_span)?, None)
            }
            Some(NodeKind::Name(u)) if u.text == "user" => {
                let def = self.resolve(Ns::User, name, name_span)?;
                let recv = Box::new(Op {
                    kind: OpKind::Root(Root::User),
                    span: self.span(u.span),
                });
                (def, Some((recv, null_safe)))
            }
            Some(_) => {
                let hint = func::suggest(Ns::String, &name.text)
                    .filter(|f| f.ns != Ns::Global)
                    .map(|f| {
                        let rest = if f.max > 1 { ", …" } else { "" };
                        format!("; call `{}(value{rest})` instead", f.qualified())
                    })
                    .unwrap_or_default();
                return Err(err(
                    CheckErrorKind::MethodOnValue,
                    name_span,
                    format!(
                        "methods cannot be called on values (`.{}()`){hint}",
                        name.text
                    ),
                ));
            }
        };
        self.arity(def, args.len(), span)?;
        if let Some(rule) = &def.limit
            && let Some(arg) = args.get(rule.arg)
        {
            literal::limit(def, rule, arg)
                .map_err(|m| err(CheckErrorKind::GroupLimit, self.span(arg.span), m))?;
        }
        let mut pre = Pre::None;
        if let Some((i, mode)) = def.regex
            && let Some(Node {
                kind: NodeKind::Str(p),
                span,
                ..
            }) = args.get(i)
        {
            pre = Pre::Regex(self.regex(p, mode, *span)?);
        }
        if let Some(i) = def.group_expr
            && let Some(arg) = args.get(i)
        {
            if self.group_bound {
                return Err(err(
                    CheckErrorKind::ArgumentType,
                    name_span,
                    "getFilteredGroups cannot be used inside a group expression",
                ));
            }
            if let NodeKind::Str(src) = &arg.kind {
                let at = self.span(arg.span);
                let exact =
                    self.exact != Some(false) && src.len() + 2 == arg.span.end - arg.span.start;
                pre = Pre::GroupExpr(Arc::new(group_expression(src, at, exact)?));
            }
        }
        let args = args.iter().map(|a| self.op(a)).collect::<Result<_, _>>()?;
        Ok(OpKind::Call {
            func: def,
            receiver,
            args,
            pre,
        })
    }

    fn resolve(&self, ns: Ns, name: &Name, span: Span) -> Result<&'static FuncDef, CheckError> {
        func::lookup(ns, &name.text).ok_or_else(|| {
            let written = match ns {
                Ns::Global => name.text.clone(),
                _ => format!("{}{}", ns.prefix(), name.text),
            };
            let hint = match func::suggest(ns, &name.text) {
                Some(f) => format!("; did you mean `{}`?", f.qualified()),
                None if ns == Ns::User => {
                    "; `user` has getInternalProperty, getGroups and isMemberOf".to_owned()
                }
                None => String::new(),
            };
            err(
                CheckErrorKind::UnknownFunction,
                span,
                format!("unknown function `{written}`{hint}"),
            )
        })
    }

    fn arity(&self, def: &FuncDef, n: usize, span: Span) -> Result<(), CheckError> {
        let plural = |k: usize| if k == 1 { "" } else { "s" };
        let expected = if def.max == usize::MAX {
            format!("at least {} argument{}", def.min, plural(def.min))
        } else if def.min == def.max {
            format!("{} argument{}", def.min, plural(def.min))
        } else {
            format!("{} to {} arguments", def.min, def.max)
        };
        if n < def.min || n > def.max {
            return Err(err(
                CheckErrorKind::Arity,
                span,
                format!("{} takes {expected}, found {n}", def.qualified()),
            ));
        }
        if let Some(k) = def.pairs_after
            && !n.saturating_sub(k).is_multiple_of(2)
        {
            return Err(err(
                CheckErrorKind::Arity,
                span,
                format!(
                    "{} takes key/value pairs after its first {k} arguments; the last key has no value",
                    def.qualified()
                ),
            ));
        }
        Ok(())
    }
}

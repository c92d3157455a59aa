//! The tree-walking evaluator over [`Compiled`]: pure, synchronous, bounded by a step budget, a work
//! budget and a depth cap. Tracing is an `Option` checked only inside the group functions, so the
//! untraced path pays nothing for it.

mod ops;

use std::sync::Arc;

use crate::check::{self, Compiled};
use crate::context::Context;
use crate::error::{EvalError, EvalErrorKind, Fault};
use crate::ir::call::{Args, FuncDef};
use crate::ir::{Op, OpKind, Pre, Root};
use crate::limits::{MAX_EVAL_DEPTH, MAX_STEPS};
use crate::machine::Eval;
use crate::span::Span;
use crate::trace::Trace;
use crate::value::{List, Map, Value};

impl Compiled {
    /// Evaluates against `ctx`.
    pub fn eval(&self, ctx: &Context) -> Result<Value, EvalError> {
        Eval::new(ctx, None).run(&self.inner.op)
    }

    /// Evaluates and converts the result with the claim output mapping ([`Value::to_json`]); a
    /// result that is no claim value is reported at the whole expression.
    pub fn eval_json(&self, ctx: &Context) -> Result<serde_json::Value, EvalError> {
        self.eval(ctx)?.to_json().map_err(|e| EvalError {
            span: self.inner.op.span,
            ..e
        })
    }

    /// Evaluates like [`Compiled::eval`] and also records, for every group function call, which
    /// groups were kept or dropped and why (for an admin's token preview).
    pub fn eval_traced(&self, ctx: &Context) -> (Result<Value, EvalError>, Trace) {
        let mut trace = Trace::default();
        let result = Eval::new(ctx, Some(&mut trace)).run(&self.inner.op);
        (result, trace)
    }
}

impl Eval<'_> {
    fn run(mut self, op: &Op) -> Result<Value, EvalError> {
        self.eval(op)
    }

    pub(crate) fn eval(&mut self, op: &Op) -> Result<Value, EvalError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(EvalError {
                span: op.span,
                kind: EvalErrorKind::Budget,
                message: format!("evaluation exceeded its budget of {MAX_STEPS} steps"),
            });
        }
        if self.depth >= MAX_EVAL_DEPTH {
            return Err(EvalError {
                span: op.span,
                kind: EvalErrorKind::Budget,
                message: "evaluation nested too deeply".to_owned(),
            });
        }
        self.depth += 1;
        let out = self.eval_kind(op).map_err(|f| f.at(op.span));
        self.depth -= 1;
        out
    }

    // The bulky arms live in their own functions so that this frame, repeated once per nesting
    // level, stays small.
    fn eval_kind(&mut self, op: &Op) -> Result<Value, Fault> {
        Ok(match &op.kind {
            OpKind::Const(v) => v.clone(),
            OpKind::List(items) => self.list(items)?,
            OpKind::Map(entries) => self.map(entries)?,
            OpKind::Root(root) => self.root(*root),
            OpKind::ElemProp(name) => {
                let elem = self.elem.clone().unwrap_or_default();
                ops::property(&elem, name, false)?
            }
            OpKind::Prop {
                target,
                name,
                null_safe,
            } => {
                let t = self.eval(target)?;
                ops::property(&t, name, *null_safe)?
            }
            OpKind::Index { target, index } => {
                let t = self.eval(target)?;
                let i = self.eval(index)?;
                ops::index(&t, &i)?
            }
            OpKind::Call {
                func,
                receiver,
                args,
                pre,
            } => self.call(op, func, receiver.as_ref(), args, pre)?,
            OpKind::Project { target, body } => self.each(target, body, true)?,
            OpKind::Select { target, body } => self.each(target, body, false)?,
            OpKind::Not(x) => Value::Bool(!self.condition(x, "`!`")?),
            OpKind::Neg(x) => ops::negate(&self.eval(x)?)?,
            OpKind::And(l, r) => {
                Value::Bool(self.condition(l, "`&&`")? && self.condition(r, "`&&`")?)
            }
            OpKind::Or(l, r) => {
                Value::Bool(self.condition(l, "`||`")? || self.condition(r, "`||`")?)
            }
            OpKind::Binary { op, lhs, rhs } => {
                let l = self.eval(lhs)?;
                let r = self.eval(rhs)?;
                ops::binary(self, *op, &l, &r)?
            }
            OpKind::Matches { lhs, rhs, regex } => {
                let l = self.eval(lhs)?;
                let r = self.eval(rhs)?;
                ops::matches(self, &l, &r, regex.as_ref())?
            }
            OpKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                if self.condition(cond, "the ternary `?:`")? {
                    self.eval(then)?
                } else {
                    self.eval(otherwise)?
                }
            }
            OpKind::Elvis { value, fallback } => {
                let v = self.eval(value)?;
                match &v {
                    Value::Null => self.eval(fallback)?,
                    Value::Str(s) if s.is_empty() => self.eval(fallback)?,
                    _ => v,
                }
            }
        })
    }

    fn list(&mut self, items: &[Op]) -> Result<Value, Fault> {
        self.charge(items.len())?;
        let vals = items
            .iter()
            .map(|o| self.eval(o))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Value::from(vals))
    }

    fn map(&mut self, entries: &[(Arc<str>, Op)]) -> Result<Value, Fault> {
        self.charge(entries.len())?;
        let mut map = Map::default();
        for (k, o) in entries {
            let v = self.eval(o)?;
            map.insert(k.clone(), v);
        }
        Ok(Value::Map(Arc::new(map)))
    }

    fn call(
        &mut self,
        op: &Op,
        func: &'static FuncDef,
        receiver: Option<&(Box<Op>, bool)>,
        args: &[Op],
        pre: &Pre,
    ) -> Result<Value, Fault> {
        let mut vals = Vec::with_capacity(args.len() + 1);
        if let Some((recv, null_safe)) = receiver {
            let r = self.eval(recv)?;
            if matches!(r, Value::Null) {
                if *null_safe {
                    return Ok(Value::Null);
                }
                return Err(Fault::new(
                    EvalErrorKind::NullDereference,
                    format!(
                        "cannot call {} on null: there is no user (use `?.` to allow this)",
                        func.qualified()
                    ),
                ));
            }
            vals.push(r);
        }
        for a in args {
            vals.push(self.eval(a)?);
        }
        let args = Args {
            func,
            vals: &vals,
            pre,
            span: op.span,
        };
        (func.imp)(self, &args)
    }

    /// A projection (`.![…]`, `project`) or a selection (`.?[…]`).
    fn each(&mut self, target: &Op, body: &Op, project: bool) -> Result<Value, Fault> {
        let items = self.list_for(target, if project { "project" } else { "select from" })?;
        self.charge(items.len())?;
        let saved = self.elem.take();
        let mut out = Vec::with_capacity(if project { items.len() } else { 0 });
        for item in items.iter() {
            self.elem = Some(item.clone());
            if project {
                out.push(self.eval(body)?);
            } else if self.condition(body, "a selection")? {
                out.push(item.clone());
            }
        }
        self.elem = saved;
        Ok(Value::from(out))
    }

    fn root(&self, root: Root) -> Value {
        let ctx = self.ctx;
        match root {
            Root::User => ctx.user.clone(),
            Root::App => ctx.app.clone(),
            Root::AppUser => ctx.appuser.clone(),
            Root::Org => ctx.org.clone(),
            Root::Access => ctx.access.clone(),
            Root::Session => ctx.session.clone(),
            Root::Group => self.group.clone().unwrap_or_default(),
        }
    }

    fn condition(&mut self, op: &Op, what: &str) -> Result<bool, Fault> {
        match self.eval(op)? {
            Value::Bool(b) => Ok(b),
            other => Err(Fault::Located(EvalError {
                span: op.span,
                kind: EvalErrorKind::Type,
                message: format!("{what} needs a boolean, found {}", other.type_name()),
            })),
        }
    }

    fn list_for(&mut self, target: &Op, verb: &str) -> Result<List, Fault> {
        match self.eval(target)? {
            Value::List(items) => Ok(items),
            other => Err(Fault::Located(EvalError {
                span: target.span,
                kind: if matches!(other, Value::Null) {
                    EvalErrorKind::NullDereference
                } else {
                    EvalErrorKind::Type
                },
                message: format!("cannot {verb} a {}; a list is needed", other.type_name()),
            })),
        }
    }

    /// Parses and checks a group expression computed at run time (a literal one is prepared by
    /// the checker); failures are the function's, at its call.
    pub(crate) fn group_expression(&mut self, source: &str, at: Span) -> Result<Op, Fault> {
        // Parsing and checking cost a few passes over the text.
        self.charge(source.len().saturating_mul(4).saturating_add(1_000))?;
        check::group_expression(source, at, false)
            .map_err(|e| Fault::new(EvalErrorKind::GroupExpression, e.message))
    }

    /// Evaluates `op` with `group` bound (the group expression of `getFilteredGroups`).
    pub(crate) fn with_group(&mut self, group: Value, op: &Op) -> Result<Value, EvalError> {
        let saved = self.group.replace(group);
        let out = self.eval(op);
        self.group = saved;
        out
    }
}

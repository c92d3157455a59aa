//! The evaluator's state for one evaluation: the context, the bindings in scope, the budgets spent
//! and the regexes compiled so far. The walk over the checked form lives in `eval.rs`; native
//! functions see only this state and the methods below.

use std::sync::Arc;

use regex::Regex;

use crate::context::Context;
use crate::error::{EvalErrorKind, Fault};
use crate::limits::MAX_WORK;
use crate::pattern::{self, Mode};
use crate::trace::Trace;
use crate::value::Value;

pub(crate) struct Eval<'a> {
    pub(crate) ctx: &'a Context,
    pub(crate) trace: Option<&'a mut Trace>,
    /// The `group` binding inside a group expression.
    pub(crate) group: Option<Value>,
    /// The current element inside a projection or selection.
    pub(crate) elem: Option<Value>,
    pub(crate) steps: u32,
    work: u64,
    pub(crate) depth: usize,
    /// Regexes compiled from computed patterns during this evaluation.
    regexes: Vec<(Mode, Box<str>, Arc<Regex>)>,
}

impl<'a> Eval<'a> {
    pub(crate) fn new(ctx: &'a Context, trace: Option<&'a mut Trace>) -> Self {
        Self {
            ctx,
            trace,
            group: None,
            elem: None,
            steps: 0,
            work: 0,
            depth: 0,
            regexes: Vec::new(),
        }
    }

    /// Charges `units` of data work (list elements or string bytes produced, elements scanned).
    pub(crate) fn charge(&mut self, units: usize) -> Result<(), Fault> {
        self.work = self.work.saturating_add(units as u64);
        if self.work > MAX_WORK {
            return Err(Fault::new(
                EvalErrorKind::Budget,
                format!("evaluation exceeded its work budget ({MAX_WORK} units of data processed)"),
            ));
        }
        Ok(())
    }

    /// Compiles a computed pattern, once per distinct pattern and evaluation. Each compilation costs
    /// a tenth of the work budget: compiling is far dearer than matching.
    pub(crate) fn regex(&mut self, pattern: &str, mode: Mode) -> Result<Arc<Regex>, Fault> {
        if let Some((_, _, re)) = self
            .regexes
            .iter()
            .find(|(m, p, _)| *m == mode && **p == *pattern)
        {
            return Ok(re.clone());
        }
        self.charge(usize::try_from(MAX_WORK / 10).unwrap_or(usize::MAX))?;
        let re = Arc::new(
            pattern::compile(pattern, mode).map_err(|m| Fault::new(EvalErrorKind::Regex, m))?,
        );
        self.regexes.push((mode, pattern.into(), re.clone()));
        Ok(re)
    }
}

//! The function registry: every function of the catalogue with its namespace, arity, native
//! implementation and the arguments the checker prepares (literal regexes, group expressions, group
//! limits). One file per Okta namespace below `func/`.

pub(crate) mod arrays;
pub(crate) mod convert;
pub(crate) mod groups;
pub(crate) mod iso3166;
pub(crate) mod string;
pub(crate) mod time;
pub(crate) mod user;

pub(crate) use crate::error::Fault;
pub(crate) use crate::ir::call::{Args, FuncDef, LimitRule, NativeFn, Ns};

/// Every function, looked up by the checker only (never on the evaluation path).
pub(crate) fn all() -> impl Iterator<Item = &'static FuncDef> {
    string::FUNCS
        .iter()
        .chain(arrays::FUNCS)
        .chain(convert::FUNCS)
        .chain(iso3166::FUNCS)
        .chain(time::FUNCS)
        .chain(groups::FUNCS)
        .chain(user::FUNCS)
}

pub(crate) fn lookup(ns: Ns, name: &str) -> Option<&'static FuncDef> {
    all().find(|f| f.ns == ns && f.name == name)
}

/// A function to suggest for an unknown name: the same name ignoring case, the same name in another
/// namespace, or a name in this namespace at most two edits away.
pub(crate) fn suggest(ns: Ns, name: &str) -> Option<&'static FuncDef> {
    all()
        .find(|f| f.ns == ns && f.name.eq_ignore_ascii_case(name))
        .or_else(|| all().find(|f| f.name == name && f.ns != Ns::User))
        .or_else(|| {
            all()
                .filter(|f| f.ns == ns)
                .map(|f| (edit_distance(f.name, name), f))
                .filter(|(d, _)| *d <= 2)
                .min_by_key(|(d, _)| *d)
                .map(|(_, f)| f)
        })
}

/// Levenshtein distance over bytes, ignoring ASCII case.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut cur = Vec::with_capacity(prev.len());
        cur.push(i + 1);
        for (j, cb) in b.bytes().enumerate() {
            let substitute = prev
                .get(j)
                .map_or(usize::MAX, |&d| d + usize::from(ca != cb));
            let delete = prev.get(j + 1).map_or(usize::MAX, |&d| d + 1);
            let insert = cur.get(j).map_or(usize::MAX, |&d| d + 1);
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

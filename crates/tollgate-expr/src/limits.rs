//! The limits that make admin-authored expressions safe to run on the token path.
//!
//! Every limit, when exceeded, is an ordinary error (`ParseError`, `CheckError` or `EvalError`),
//! never a panic or a hang.

/// Longest source the parser accepts, in bytes. Claims are capped lower (see [`CLAIM_MAX_CHARS`]);
/// this bound protects every other entry point.
pub const MAX_SOURCE_LEN: usize = 10_000;

/// Longest claim expression accepted when a claim is saved, in characters (Okta documents 1024).
pub const CLAIM_MAX_CHARS: usize = 1024;

/// Deepest nesting the parser accepts: parentheses, unary operators, ternary branches, literals and
/// call arguments each add one level, and no tree may be taller. Keeps parsing, checking, printing
/// and evaluation far from the stack's end on any input: the deepest legal input needs under 256 KiB
/// of stack in release builds (about 1 MiB in debug builds), well within a 2 MiB thread.
pub const MAX_DEPTH: usize = 64;

/// Most expression nodes one evaluation may visit (the spec suggests 10 000 per claim). Nodes inside a
/// projection, a selection or a group expression count once per element.
pub const MAX_STEPS: u32 = 10_000;

/// Most units of data work one evaluation may do: one unit per list element or string byte produced
/// or scanned, and the full weight of any value walked deeply (compared, rendered as text,
/// flattened). A regular expression compiled during evaluation costs a tenth of the budget.
/// Bounds time and memory where a single node does work proportional to data. A result heavier than
/// this is refused by the claim output mapping.
pub const MAX_WORK: u64 = 4_000_000;

/// [`MAX_WORK`] as a `usize`, for comparing with value weights.
pub(crate) const MAX_WORK_USIZE: usize = 4_000_000;

/// Largest compiled regular expression, in bytes (the `regex` crate's size limit). Matching is
/// linear-time; this bounds compile time and memory.
pub const MAX_REGEX_SIZE: usize = 256 * 1024;

/// Nested evaluation depth across group expressions (a group expression is parsed and evaluated inside
/// the outer one).
pub const MAX_EVAL_DEPTH: usize = 3 * MAX_DEPTH;

/// Range of a `getFilteredGroups` limit (the seed page: "must be less than 100").
pub const FILTERED_GROUPS_LIMIT: std::ops::RangeInclusive<i64> = 1..=99;

/// Range of a `Groups.startsWith/endsWith/contains` limit (Okta documents 1–100).
pub const GROUPS_FN_LIMIT: std::ops::RangeInclusive<i64> = 1..=100;

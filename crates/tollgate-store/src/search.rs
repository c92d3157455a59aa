//! Okta `filter`/`search` expressions turned into SQL: a `WHERE` fragment whose values are all
//! bound parameters, plus the values to bind. Attribute names map to columns through a
//! resource's resolver; profile attributes are read from the JSON text in the dialect's way.

use tollgate_core::Timestamp;
use tollgate_core::scim::{Filter, Literal, Op};

/// A value to bind.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    /// Text.
    Text(String),
    /// An integer (timestamps are milliseconds).
    Int(i64),
}

/// What an attribute name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// A text column compared case-sensitively (ids, enums).
    Exact(&'static str),
    /// A lower-cased text column compared case-insensitively.
    Lower(&'static str),
    /// A millisecond timestamp column compared with an RFC 3339 literal.
    Millis(&'static str),
    /// A key of the JSON `profile` column, compared case-insensitively as text.
    Profile(String),
    /// A dotted path inside a JSON column, compared case-insensitively as text.
    Json {
        /// The column holding JSON text.
        column: &'static str,
        /// The dotted path (`debugContext.debugData.grantType`).
        path: String,
    },
    /// A column holding space-separated tokens (`" id1 id2 "`): `eq` means "one of them".
    Tokens(&'static str),
}

/// Why a filter cannot be run: Okta answers `E0000031` "Invalid search criteria.".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// SQL under construction: text with `$N` placeholders and their values.
#[derive(Debug, Default, Clone)]
pub struct Sql {
    /// The statement text.
    pub text: String,
    /// The values, in placeholder order.
    pub binds: Vec<Bind>,
}

impl Sql {
    /// Starts with `text`.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            binds: Vec::new(),
        }
    }

    /// Appends raw SQL (never user input).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }
}

/// Builds a query from `Sql` and binds its values (inside an `on_pool!` body).
#[macro_export]
#[doc(hidden)]
macro_rules! bound_query_as {
    ($row:ty, $sql:expr) => {{
        let mut q = sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe($sql.text.clone()));
        for b in &$sql.binds {
            q = match b {
                $crate::search::Bind::Text(s) => q.bind(s.clone()),
                $crate::search::Bind::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// The SQL dialect, where the two backends differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

pub(crate) fn profile_expr(dialect: Dialect, key: &str) -> Result<String, Unsupported> {
    json_expr(dialect, "profile", key)
}

/// The text at dotted `path` inside the JSON text column `column`. Path segments are limited to
/// `[A-Za-z0-9_]`, so they can be written into the SQL.
pub(crate) fn json_expr(dialect: Dialect, column: &str, path: &str) -> Result<String, Unsupported> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments
        .iter()
        .any(|k| k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(Unsupported(format!("unsupported attribute {path}")));
    }
    Ok(match dialect {
        Dialect::Sqlite => format!("json_extract({column}, '$.{}')", segments.join(".")),
        Dialect::Postgres => format!("({column}::jsonb #>> '{{{}}}')", segments.join(",")),
    })
}

fn like_pattern(value: &str, op: Op) -> String {
    let escaped = value
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    match op {
        Op::Sw => format!("{escaped}%"),
        Op::Ew => format!("%{escaped}"),
        _ => format!("%{escaped}%"),
    }
}

fn cmp_sql(op: Op) -> &'static str {
    match op {
        Op::Eq => " = ",
        Op::Ne => " <> ",
        Op::Gt => " > ",
        Op::Ge => " >= ",
        Op::Lt => " < ",
        Op::Le => " <= ",
        Op::Sw | Op::Co | Op::Ew => " LIKE ",
    }
}

/// Appends `filter` to `sql` as a boolean expression. `resolve` maps attribute names to
/// columns; `ops` lists the operators the resource allows.
pub fn push_filter(
    sql: &mut Sql,
    filter: &Filter,
    dialect: Dialect,
    resolve: &dyn Fn(&str) -> Option<Column>,
    ops: &[Op],
) -> Result<(), Unsupported> {
    match filter {
        Filter::And(a, b) | Filter::Or(a, b) => {
            sql.push("(");
            push_filter(sql, a, dialect, resolve, ops)?;
            sql.push(if matches!(filter, Filter::And(..)) {
                " AND "
            } else {
                " OR "
            });
            push_filter(sql, b, dialect, resolve, ops)?;
            sql.push(")");
        }
        Filter::Not(inner) => {
            sql.push("NOT (");
            push_filter(sql, inner, dialect, resolve, ops)?;
            sql.push(")");
        }
        Filter::Present(attr) => {
            let col = resolve(attr)
                .ok_or_else(|| Unsupported(format!("unsupported attribute {attr}")))?;
            let expr = match col {
                Column::Exact(c) | Column::Lower(c) | Column::Millis(c) | Column::Tokens(c) => {
                    c.to_owned()
                }
                Column::Profile(k) => profile_expr(dialect, &k)?,
                Column::Json { column, path } => json_expr(dialect, column, &path)?,
            };
            sql.push(&format!("({expr} IS NOT NULL)"));
        }
        Filter::Cmp { attr, op, value } => {
            if !ops.contains(op) {
                return Err(Unsupported(format!("unsupported operator for {attr}")));
            }
            let col = resolve(attr)
                .ok_or_else(|| Unsupported(format!("unsupported attribute {attr}")))?;
            let like = matches!(op, Op::Sw | Op::Co | Op::Ew);
            // JSON-held attributes (profile keys, log event paths) share one set of rules.
            let json = match &col {
                Column::Profile(k) => Some(profile_expr(dialect, k)?),
                Column::Json { column, path } => Some(json_expr(dialect, column, path)?),
                _ => None,
            };
            match (col, value) {
                (Column::Tokens(c), Literal::Str(s)) if *op == Op::Eq => {
                    let escaped = s
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_");
                    sql.push(c)
                        .push(" LIKE ")
                        .bind(Bind::Text(format!("% {escaped} %")))
                        .push(" ESCAPE '\\'");
                }
                (Column::Millis(c), Literal::Str(s)) if !like => {
                    let t = Timestamp::parse(s)
                        .ok_or_else(|| Unsupported(format!("{attr} needs a date")))?;
                    sql.push(c).push(cmp_sql(*op)).bind(Bind::Int(t.millis()));
                }
                (Column::Exact(c), Literal::Str(s)) => {
                    let v = if like {
                        like_pattern(s, *op)
                    } else {
                        s.clone()
                    };
                    sql.push(c).push(cmp_sql(*op)).bind(Bind::Text(v));
                    if like {
                        sql.push(" ESCAPE '\\'");
                    }
                }
                (Column::Lower(c), Literal::Str(s)) => {
                    let v = if like {
                        like_pattern(s, *op)
                    } else {
                        s.to_lowercase()
                    };
                    sql.push(c).push(cmp_sql(*op)).bind(Bind::Text(v));
                    if like {
                        sql.push(" ESCAPE '\\'");
                    }
                }
                (Column::Profile(_) | Column::Json { .. }, Literal::Str(s)) => {
                    let expr = json.unwrap_or_default();
                    let v = if like {
                        like_pattern(s, *op)
                    } else {
                        s.to_lowercase()
                    };
                    sql.push(&format!("lower({expr})"))
                        .push(cmp_sql(*op))
                        .bind(Bind::Text(v));
                    if like {
                        sql.push(" ESCAPE '\\'");
                    }
                }
                (Column::Profile(_) | Column::Json { .. }, Literal::Num(n))
                    if !like && n.is_finite() =>
                {
                    let expr = json.unwrap_or_default();
                    let cast = match dialect {
                        Dialect::Sqlite => format!("CAST({expr} AS REAL)"),
                        Dialect::Postgres => format!("CAST({expr} AS DOUBLE PRECISION)"),
                    };
                    sql.push(&cast).push(cmp_sql(*op)).push(&format!("{n:?}"));
                }
                (Column::Profile(_) | Column::Json { .. }, Literal::Bool(b))
                    if matches!(op, Op::Eq | Op::Ne) =>
                {
                    let expr = json.unwrap_or_default();
                    let text = match dialect {
                        Dialect::Sqlite => {
                            if *b {
                                "1"
                            } else {
                                "0"
                            }
                        }
                        Dialect::Postgres => {
                            if *b {
                                "true"
                            } else {
                                "false"
                            }
                        }
                    };
                    sql.push(&format!("CAST({expr} AS TEXT)"))
                        .push(cmp_sql(*op))
                        .bind(Bind::Text(text.to_owned()));
                }
                _ => return Err(Unsupported(format!("unsupported value for {attr}"))),
            }
        }
    }
    Ok(())
}

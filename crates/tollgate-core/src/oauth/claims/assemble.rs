//! Which claims go into a token (status, reserved names, token type, granted scopes) and the
//! assembly of their values, with null or empty values left out and each decision noted.

use std::collections::HashSet;

use serde_json::Value;

use super::evaluate::evaluate_compiled;
use super::{Assembled, ClaimFailure, ClaimNote, CompiledClaims, RESERVED, Subject, Token};
use crate::authz::Claim;
use crate::authz::claim::{ClaimType, ClaimValueType, GroupFilterType};
use crate::expr;

/// Whether `claim` goes into `token` for these granted scopes; `Err` says why not.
fn applies(claim: &Claim, token: Token, granted: &HashSet<&str>) -> Result<(), String> {
    if claim.status != crate::server::Status::Active {
        return Err("skipped: inactive".to_owned());
    }
    if RESERVED.contains(&claim.name.as_str()) && !claim.system {
        return Err("skipped: reserved claim name".to_owned());
    }
    match (claim.claim_type, token) {
        (ClaimType::Resource, Token::Access) | (ClaimType::Identity, Token::UserInfo) => {}
        (ClaimType::Identity, Token::Id { thin }) if !thin || claim.always_include_in_token => {}
        (ClaimType::Identity, Token::Id { .. }) => {
            return Err("skipped: the ID token is issued with an access token and alwaysIncludeInToken is false".to_owned());
        }
        _ => return Err("skipped: other token type".to_owned()),
    }
    if !claim.scopes.is_empty() && !claim.scopes.iter().any(|s| granted.contains(s.as_str())) {
        return Err(format!(
            "skipped: none of its scopes [{}] was granted",
            claim.scopes.join(", ")
        ));
    }
    Ok(())
}

fn is_empty(v: &Value) -> bool {
    v.is_null() || v.as_array().is_some_and(Vec::is_empty)
}

/// The custom claims of `token` from `claims`, for a subject whose expression context is `ctx`.
/// Compiles the expressions first: the token path uses [`assemble_compiled`] with claims
/// compiled once per configuration.
pub fn assemble(
    claims: &[Claim],
    token: Token,
    subject: &Subject<'_>,
    ctx: &expr::Context,
    explain: bool,
) -> Result<Assembled, ClaimFailure> {
    assemble_compiled(&CompiledClaims::new(claims), token, subject, ctx, explain)
}

/// [`assemble`] over claims compiled in advance.
pub fn assemble_compiled(
    claims: &CompiledClaims,
    token: Token,
    subject: &Subject<'_>,
    ctx: &expr::Context,
    explain: bool,
) -> Result<Assembled, ClaimFailure> {
    assemble_compiled_with(claims, token, subject, ctx, explain, &mut Memo::default())
}

/// Values already computed for one context, by claim definition: the ID token and the access
/// token usually carry the same groups claim (an IDENTITY and a RESOURCE claim with one value),
/// which is then evaluated once.
#[derive(Debug, Default)]
pub struct Memo(
    std::collections::HashMap<(ClaimValueType, Option<GroupFilterType>, String), Value>,
);

/// [`assemble_compiled`], reusing and filling `memo` (one memo per context).
pub fn assemble_compiled_with(
    claims: &CompiledClaims,
    token: Token,
    subject: &Subject<'_>,
    ctx: &expr::Context,
    explain: bool,
    memo: &mut Memo,
) -> Result<Assembled, ClaimFailure> {
    let granted: HashSet<&str> = subject.scopes.iter().map(String::as_str).collect();
    let mut out = Assembled::default();
    for (claim, program) in &claims.claims {
        if let Err(why) = applies(claim, token, &granted) {
            if explain {
                out.notes.push(ClaimNote {
                    claim: claim.name.clone(),
                    outcome: why,
                    groups: None,
                });
            }
            continue;
        }
        let key = (
            claim.value_type,
            claim.group_filter_type,
            claim.value.clone(),
        );
        let (value, groups) = match memo.0.get(&key) {
            Some(v) if !explain => (v.clone(), None),
            _ => {
                let (v, g) = evaluate_compiled(
                    &claim.name,
                    &claim.value,
                    claim.group_filter_type,
                    program.as_ref(),
                    ctx,
                    subject.groups,
                    explain,
                )?;
                memo.0.insert(key, v.clone());
                (v, g)
            }
        };
        let empty = is_empty(&value);
        if empty {
            out.omitted.push(claim.name.clone());
        } else {
            out.claims.insert(claim.name.clone(), value);
        }
        if explain {
            out.notes.push(super::note(&claim.name, empty, groups));
        }
    }
    Ok(out)
}

//! Criterion benchmarks: parse+check of the seed groups claim, and its evaluation for users in 40,
//! 1,000 and 10,000 groups against allow-lists of 40, 1,000 and 10,000 ids.
//!
//! `eval_40_match`: the allow-list holds 40 of the user's groups (fewer if the user has fewer) and
//! otherwise ids of groups the user is not in, so the claim succeeds with 40 names; this is the
//! realistic token-time cost. `full_intersection`: every allow-listed id is one of the user's groups,
//! so more than the limit match and the call fails after the whole intersection is computed; this is
//! the cost of the set work alone.

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::json;
use time::macros::datetime;
use tollgate_expr::{App, Context, Group, GroupType, compile};

const SEED: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;
const SEED_99: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 99)"#;
const SIZES: [usize; 3] = [40, 1_000, 10_000];

fn id(i: usize) -> String {
    format!("00g{i:017}")
}

/// A user in `groups` groups (ids 0..groups) and an allow-list of `listed` ids: `members` of the
/// user's groups first, then ids of groups the user is not in.
fn parts(groups: usize, listed: usize, members: usize) -> (Vec<Group>, App) {
    let user_groups = (0..groups)
        .map(|i| Group::new(id(i), format!("Group {i}"), GroupType::OktaGroup))
        .collect();
    let whitelist: Vec<String> = (0..members.min(listed))
        .map(|i| id(i * (groups / members.max(1)).max(1)))
        .chain((0..listed.saturating_sub(members)).map(|i| id(1_000_000 + i)))
        .collect();
    let mut app = App::new("0oa1", "0oa1");
    app.profile
        .insert("groupwhitelist".into(), json!(whitelist));
    (user_groups, app)
}

fn build((groups, app): (Vec<Group>, App)) -> Context {
    Context::builder(datetime!(2026-11-27 0:00 UTC))
        .groups(groups)
        .app(app)
        .build()
}

fn context(groups: usize, listed: usize, members: usize) -> Context {
    build(parts(groups, listed, members))
}

fn parse_check(c: &mut Criterion) {
    c.bench_function("parse_check_seed", |b| b.iter(|| compile(black_box(SEED))));
}

fn eval_groups(c: &mut Criterion) {
    let seed = compile(SEED).unwrap_or_else(|e| unreachable!("{e}"));
    let seed99 = compile(SEED_99).unwrap_or_else(|e| unreachable!("{e}"));
    let mut g = c.benchmark_group("eval_40_match");
    for groups in SIZES {
        for listed in SIZES {
            let ctx = context(groups, listed, 40);
            let label = format!("{groups}_groups/{listed}_ids");
            g.bench_with_input(BenchmarkId::from_parameter(label), &ctx, |b, ctx| {
                b.iter(|| seed.eval(black_box(ctx)));
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("full_intersection");
    for n in SIZES {
        let ctx = context(n, n, n);
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}_groups/{n}_ids")),
            &ctx,
            |b, ctx| {
                b.iter(|| seed99.eval(black_box(ctx)));
            },
        );
    }
    g.finish();
    let ctx = context(1_000, 1_000, 40);
    c.bench_function("eval_traced/1000_groups/1000_ids", |b| {
        b.iter(|| seed.eval_traced(black_box(&ctx)))
    });
    let input = parts(1_000, 1_000, 40);
    c.bench_function("context_build/1000_groups/1000_ids", |b| {
        b.iter_batched(|| input.clone(), build, BatchSize::SmallInput);
    });
}

criterion_group!(benches, parse_check, eval_groups);
criterion_main!(benches);

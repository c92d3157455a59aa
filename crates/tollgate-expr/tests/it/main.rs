//! One integration binary for the crate: the spec's vectors, limits, the typed and JSON context,
//! traces, and property tests. Modules are `cfg(test)` so their helpers may unwrap like tests do.

#[cfg(test)]
mod context;
#[cfg(test)]
mod limits;
#[cfg(test)]
mod props;
#[cfg(test)]
mod support;
#[cfg(test)]
mod trace;
#[cfg(test)]
mod vectors;

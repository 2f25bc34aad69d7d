//! Library side of the `coachflow` command: the narrated demo, the deterministic synthetic
//! log generator, the generated reference documents and the store commands, shared by the
//! binary, the benchmarks and the store's tests.
#![forbid(unsafe_code)]

pub mod demo;
pub mod generate;
pub mod reference;
pub mod store;

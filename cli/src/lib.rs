//! Library side of the `coachflow` command: the narrated demo and the deterministic
//! synthetic log generator and the generated reference documents, shared by the binary and the benchmarks.
#![forbid(unsafe_code)]

pub mod demo;
pub mod generate;
pub mod reference;

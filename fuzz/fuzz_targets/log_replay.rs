//! Fuzz target `log_replay`: see `harness::log_replay` for what it checks.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::log_replay(data));

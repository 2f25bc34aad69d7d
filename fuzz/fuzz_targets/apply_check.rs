//! Fuzz target `apply_check`: see `harness::apply_check` for what it checks.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::apply_check(data));

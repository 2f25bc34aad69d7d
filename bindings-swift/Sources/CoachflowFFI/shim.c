/* The Rust library provides every symbol; SwiftPM needs one C source in a C target. */

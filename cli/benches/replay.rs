//! Replay of a ~1,000,000-event JSON Lines log of 10,000 interleaved engagements, against
//! parsing the same lines with serde_json alone (each line into `serde_json::Value`, the
//! peer) and with simd-json (parse only, the physical reference). The same events are also
//! replayed with each engagement's lines together, which keeps the engagement being changed
//! in the processor's cache: the difference is what hopping between engagements costs.
//!
//! Two floors are printed beside them: decoding alone (every line into an `Event`, nothing
//! applied), and how long one load from memory takes when it misses every cache (a chase
//! through a shuffled 128 MB table), which is what each cold part of an engagement's state
//! costs when 10,000 engagements interleave.
//!
//! Everything is measured in alternating rounds in one process, so all see the same machine
//! conditions; the medians and their ratios are printed. Set `COACHFLOW_BENCH_ENGAGEMENTS`
//! for a smaller file and `COACHFLOW_BENCH_ROUNDS` for more rounds.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use coachflow::log::{read_log, LogReplayer};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Single-thread replay: every line parsed, checked, folded and kept, in one thread.
fn replay_one_thread(text: &str) -> u64 {
    let mut replayer = LogReplayer::new();
    for line in text.lines() {
        replayer.push_line(line);
    }
    replayer.finish().events_applied
}

/// Nanoseconds per load when each load's address comes from the one before, through a
/// table of `megabytes` shuffled into a single cycle: at 128 MB every load misses the caches.
fn memory_latency_ns(megabytes: usize, steps: u32) -> f64 {
    let slots = (megabytes << 20) / std::mem::size_of::<usize>();
    // Sattolo's shuffle with a xorshift generator gives one cycle through every slot.
    let mut order: Vec<usize> = (0..slots).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for index in (1..slots).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(index, (state % index as u64) as usize);
    }
    let mut next = vec![0_usize; slots];
    for (position, &slot) in order.iter().enumerate() {
        next[slot] = order[(position + 1) % slots];
    }
    let mut at = 0;
    let start = Instant::now();
    for _ in 0..steps {
        at = next[at];
    }
    black_box(at);
    start.elapsed().as_secs_f64() * 1e9 / f64::from(steps)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and wants a quick run.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let engagements = env_number("COACHFLOW_BENCH_ENGAGEMENTS", if quick { 50 } else { 10_000 });
    let rounds = env_number("COACHFLOW_BENCH_ROUNDS", if quick { 1 } else { 7 });
    let lines = coachflow_cli::generate::generate(engagements, 1);
    let text = lines.join("\n");
    // A stable sort keeps each engagement's events in their order.
    let mut by_engagement: Vec<&String> = lines.iter().collect();
    by_engagement.sort_by_cached_key(|line| coachflow::Event::from_json(line).unwrap().engagement);
    let grouped = by_engagement.into_iter().map(String::as_str).collect::<Vec<_>>().join("\n");
    let events = lines.len() as f64;
    // A million small strings left on the heap would slow every allocation that follows.
    let lines = {
        let count = lines.len();
        drop(lines);
        count
    };
    println!(
        "replay: {engagements} engagements, {lines} events, {:.0} MB, {rounds} alternating rounds",
        text.len() as f64 / 1e6
    );
    let check = read_log(text.as_bytes());
    assert!(check.problems.is_empty(), "{:?}", check.problems.first());
    assert_eq!(check.events_applied as usize, lines);
    assert_eq!(replay_one_thread(&text) as usize, lines);
    assert_eq!(replay_one_thread(&grouped) as usize, lines);

    let mut scratch = Vec::new();
    let mut measured: [Vec<Duration>; 6] = Default::default();
    for _ in 0..rounds {
        let start = Instant::now();
        black_box(replay_one_thread(black_box(&text)));
        measured[0].push(start.elapsed());

        let start = Instant::now();
        black_box(read_log(black_box(text.as_bytes())).events_applied);
        measured[1].push(start.elapsed());

        let start = Instant::now();
        let mut objects = 0_u64;
        for line in black_box(&text).lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            objects += u64::from(value.is_object());
        }
        black_box(objects);
        measured[2].push(start.elapsed());

        let start = Instant::now();
        let mut objects = 0_u64;
        for line in black_box(&text).lines() {
            scratch.clear();
            scratch.extend_from_slice(line.as_bytes());
            let value = simd_json::to_borrowed_value(&mut scratch).unwrap();
            objects += u64::from(matches!(value, simd_json::BorrowedValue::Object(_)));
        }
        black_box(objects);
        measured[3].push(start.elapsed());

        let start = Instant::now();
        black_box(replay_one_thread(black_box(&grouped)));
        measured[4].push(start.elapsed());

        let start = Instant::now();
        let mut decoded = 0_u64;
        for line in black_box(&text).lines() {
            decoded += u64::from(coachflow::Event::from_json(line).is_ok());
        }
        black_box(decoded);
        measured[5].push(start.elapsed());
    }
    let [one_thread, threads, serde_value, simd, grouped, decode_only] =
        measured.map(|samples| events / median(samples).as_secs_f64());
    println!("coachflow replay, one thread (parse, every rule, fold, keep the log): {one_thread:>10.0} events/s");
    println!("  the same with each engagement's lines together (state in cache):    {grouped:>10.0} events/s");
    println!("coachflow read_log (decoding on other threads, applying in order):    {threads:>10.0} events/s");
    println!("serde_json alone (each line into serde_json::Value), the peer:        {serde_value:>10.0} events/s");
    println!("simd-json alone (each line into a borrowed value), parse only:        {simd:>10.0} events/s");
    println!(
        "ratio coachflow one thread / serde_json: {:.2}x; / simd-json: {:.2}x; read_log / serde_json: {:.2}x",
        one_thread / serde_value,
        one_thread / simd,
        threads / serde_value
    );
    println!("ratio engagements together / serde_json: {:.2}x", grouped / serde_value);
    println!("floor: decoding alone (each line into an Event, nothing applied):    {decode_only:>10.0} events/s");
    // What replay may spend on each event beyond decoding it and still keep up with the peer.
    let left_ns = (1.0 / serde_value - 1.0 / decode_only) * 1e9;
    let left = if left_ns > 0.0 { format!("{left_ns:.0} ns an event") } else { String::from("nothing") };
    println!(
        "floor: decoding alone / serde_json: {:.2}x; to match the peer, the rest of replay gets {left}",
        decode_only / serde_value
    );
    let (megabytes, steps) = if quick { (4, 100_000) } else { (128, 5_000_000) };
    let latency = memory_latency_ns(megabytes, steps);
    println!("floor: one load that misses every cache ({megabytes} MB, dependent loads): {latency:.0} ns");
}

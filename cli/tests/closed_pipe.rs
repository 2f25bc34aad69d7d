//! Every subcommand treats a reader that stops early (`coachflow ... | head -n 1`) as a normal
//! end: it stops writing and exits 0, with nothing on standard error. Empty and unreadable
//! inputs are reported the same way by every command that reads a log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use tempfile::TempDir;

const BINARY: &str = env!("CARGO_BIN_EXE_coachflow");

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A generated log big enough that every log command writes far more than a pipe buffer, in
/// a folder of its own that is removed when the test ends, passed or failed.
fn generated_log() -> (TempDir, PathBuf) {
    let folder = TempDir::with_prefix("coachflow-closed-pipe-").unwrap();
    let path = folder.path().join("log.jsonl");
    let status = Command::new(BINARY)
        .args(["generate", "--engagements", "300", "--seed", "3", "--out"])
        .arg(&path)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    (folder, path)
}

fn subcommands(log: &str) -> Vec<Vec<String>> {
    let vectors = project().join("tests/vectors").display().to_string();
    // Each caller its own store, so that no two tests import into one at once.
    static STORES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let db = format!("{log}.{}.db", STORES.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
    let status = Command::new(BINARY).args(["store", "import", log, "--db", &db]).output().unwrap().status;
    assert!(status.success());
    let explain = [
        "explain",
        log,
        "--engagement",
        "eng-000000",
        "--participant",
        "eng-000000-supervisor",
        "--record",
        "preliminary_notes",
    ];
    [
        vec!["demo"],
        vec!["validate", log],
        vec!["vectors", &vectors],
        vec!["view", "--as", "coachee", log],
        vec!["metrics", log, "--format", "jsonl"],
        explain.to_vec(),
        vec!["diagram"],
        vec!["codes"],
        vec!["events"],
        vec!["guide"],
        vec!["generate", "--engagements", "300"],
        vec!["store", "export", "--db", &db],
        vec!["store", "metrics", "--db", &db],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(String::from).collect())
    .collect()
}

/// Runs `args`; when `read_first_line`, reads one line before closing the pipe, otherwise
/// closes it before the command writes anything. Returns the exit code and standard error.
fn run_into_closed_pipe(args: &[String], read_first_line: bool) -> (Option<i32>, String) {
    let mut child = Command::new(BINARY)
        .args(args)
        .current_dir(project())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    if read_first_line {
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{args:?} printed nothing");
    } else {
        drop(stdout);
    }
    let output = child.wait_with_output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn every_subcommand_ends_quietly_when_its_reader_goes_away() {
    let (_folder, log) = generated_log();
    let commands = subcommands(&log.display().to_string());
    // Several rounds on four threads at once, so the runs race each other on a busy machine.
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let commands = commands.clone();
            thread::spawn(move || {
                for round in 0..3 {
                    for args in &commands {
                        let read_first_line = (worker + round) % 2 == 0;
                        let (code, stderr) = run_into_closed_pipe(args, read_first_line);
                        assert_eq!(code, Some(0), "{args:?} (read first line: {read_first_line}): {stderr}");
                        assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}

#[test]
fn head_under_pipefail_succeeds() {
    let (_folder, log) = generated_log();
    for args in subcommands(&log.display().to_string()) {
        let quoted: Vec<String> = args.iter().map(|arg| format!("'{arg}'")).collect();
        let script = format!("set -o pipefail; '{BINARY}' {} | head -n 1 >/dev/null", quoted.join(" "));
        for _ in 0..5 {
            let status = Command::new("bash").args(["-c", &script]).current_dir(project()).status().unwrap();
            assert!(status.success(), "{script}");
        }
    }
}

#[test]
fn empty_and_unreadable_inputs_are_reported_clearly() {
    let folder = TempDir::with_prefix("coachflow-empty-").unwrap();
    let empty = folder.path().join("empty.jsonl");
    std::fs::write(&empty, "\n\n").unwrap();
    for command in ["validate", "metrics"] {
        let output = Command::new(BINARY).arg(command).arg(&empty).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{command} of an empty log");
        assert!(String::from_utf8_lossy(&output.stderr).contains("holds no events"), "{command}");
    }
    let output = Command::new(BINARY).arg("validate").arg(std::env::temp_dir()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a directory"));
    let missing = Command::new(BINARY).args(["validate", "no-such-log.jsonl"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-log.jsonl"));
}

//! `coachflow store ...`: keeping engagements in a database (coachflow-store), and the
//! metrics table every metrics command prints.

use coachflow::Metrics;
use coachflow_store::{Store, StoreError};
use std::io::{self, BufRead, Write};
use std::path::PathBuf;

/// Formats of a metrics table.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum MetricsFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Writes metrics rows as a table.
pub fn write_metrics<'a>(
    rows: impl IntoIterator<Item = &'a Metrics>,
    format: MetricsFormat,
    out: &mut impl Write,
) -> io::Result<()> {
    if matches!(format, MetricsFormat::Csv) {
        writeln!(out, "{}", coachflow::METRICS_COLUMNS.join(","))?;
    }
    for row in rows {
        let record = serde_json::to_value(row).map_err(io::Error::other)?;
        match format {
            MetricsFormat::Jsonl => writeln!(out, "{record}")?,
            MetricsFormat::Csv => {
                let cells: Vec<String> =
                    coachflow::METRICS_COLUMNS.iter().map(|column| csv_cell(record.get(*column))).collect();
                writeln!(out, "{}", cells.join(","))?;
            }
        }
    }
    Ok(())
}

fn csv_cell(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text)) if text.contains([',', '"', '\n']) => {
            format!("\"{}\"", text.replace('"', "\"\""))
        }
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// The database a store command works on.
#[derive(clap::Args)]
pub struct Database {
    /// The store: `sqlite:PATH`, a file path, or `postgres://user@host:port/database`.
    #[arg(long, value_name = "URL", default_value = "coachflow.db", global = true)]
    db: String,
    /// Write a snapshot of an engagement each time this many more of its events are stored
    /// (0: never); loads start from the latest one.
    #[arg(long, value_name = "EVENTS", default_value_t = coachflow_store::SNAPSHOT_EVERY, global = true)]
    snapshot_every: u64,
}

/// What `coachflow store` does.
#[derive(clap::Subcommand)]
pub enum StoreCommand {
    /// Check every line of a JSON Lines log and store the accepted ones; run it again after
    /// a crash and it goes on where it stopped.
    #[command(
        after_help = "Examples:\n  coachflow store import engagements.jsonl\n  coachflow store import engagements.jsonl --db postgres://hr@db.internal/coaching"
    )]
    Import {
        /// The log.
        file: PathBuf,
    },
    /// Check and store events given as JSON (one per argument, or one per line of standard
    /// input with `-`); print each one's seq and position, or its violations.
    #[command(
        after_help = "Examples:\n  coachflow store append '{\"engagement\":\"e-1\",\"at\":\"2026-01-05T09:00:00Z\",\"actor\":\"cleo\",\"type\":\"orientation_completed\"}'\n  coachflow store append - < new-events.jsonl"
    )]
    Append {
        /// Events as JSON, or `-` for standard input.
        #[arg(required = true)]
        events: Vec<String>,
    },
    /// Print one participant's view of a stored engagement, as JSON.
    #[command(after_help = "Example:\n  coachflow store show e-1 --participant sam")]
    Show {
        /// The engagement id.
        engagement: String,
        /// Whose view.
        #[arg(long)]
        participant: String,
    },
    /// Print every open obligation of every stored engagement as of a date, one JSON object
    /// per line (for reminder jobs and HR dashboards; it names everyone's obligations).
    #[command(after_help = "Example:\n  coachflow store due --as-of 2026-06-30")]
    Due {
        /// The date, `YYYY-MM-DD`.
        #[arg(long, value_name = "DATE", value_parser = read_date)]
        as_of: chrono::NaiveDate,
    },
    /// Print one analytics row per stored engagement.
    #[command(after_help = "Example:\n  coachflow store metrics --format jsonl")]
    Metrics {
        /// Output format.
        #[arg(long, value_enum, default_value_t = MetricsFormat::Csv)]
        format: MetricsFormat,
    },
    /// Print every stored event as JSON Lines, in the order they were stored.
    #[command(after_help = "Example:\n  coachflow store export > backup.jsonl")]
    Export,
}

fn read_date(text: &str) -> Result<chrono::NaiveDate, String> {
    coachflow::boundary::parse_date(text).map_err(|error| error.message)
}

/// Runs a store command; `Ok(false)` when it ran but found problems (exit status 1).
pub fn run(database: &Database, command: StoreCommand, out: &mut impl Write) -> io::Result<bool> {
    let store = match Store::open(&database.db) {
        Ok(store) => store.snapshot_every(database.snapshot_every),
        Err(error) => return report(&error),
    };
    match command {
        StoreCommand::Import { file } => import(&store, &file, out),
        StoreCommand::Append { events } => append(&store, &events, out),
        StoreCommand::Show { engagement, participant } => show(&store, &engagement, &participant, out),
        StoreCommand::Due { as_of } => match store.due(as_of) {
            Ok(owed) => {
                for due in &owed {
                    writeln!(out, "{}", serde_json::to_string(due).map_err(io::Error::other)?)?;
                }
                Ok(true)
            }
            Err(error) => report(&error),
        },
        StoreCommand::Metrics { format } => match store.metrics() {
            Ok(rows) => write_metrics(&rows, format, out).map(|()| true),
            Err(error) => report(&error),
        },
        StoreCommand::Export => match store.export_jsonl(out) {
            Ok(_) => Ok(true),
            Err(StoreError { io_kind: Some(kind), message, .. }) => Err(io::Error::new(kind, message)),
            Err(error) => report(&error),
        },
    }
}

/// Prints a store error on standard error (exit status 1).
fn report(error: &StoreError) -> io::Result<bool> {
    eprintln!("coachflow: {error}");
    Ok(false)
}

fn import(store: &Store, file: &std::path::Path, out: &mut impl Write) -> io::Result<bool> {
    let mut shown = 0;
    let report = store.import_jsonl(file, |done, total| {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        if percent >= shown + 10 || done == total {
            eprintln!("coachflow: imported {percent}% of {}", file.display());
            shown = percent;
        }
    });
    let report = match report {
        Ok(report) => report,
        Err(error) => return self::report(&error),
    };
    for (line, findings) in &report.problems {
        for finding in findings {
            writeln!(out, "line {line}: {}: {}", finding.code, finding.message)?;
        }
    }
    if report.started_at_line > report.lines {
        writeln!(out, "nothing new: all {} were imported before", count(report.lines, "line"))?;
    } else {
        writeln!(
            out,
            "{} stored, {} not stored (lines {} to {})",
            count(report.events_stored, "event"),
            count(report.problems.len() as u64, "line"),
            report.started_at_line,
            report.lines
        )?;
    }
    Ok(report.problems.is_empty())
}

fn append(store: &Store, events: &[String], out: &mut impl Write) -> io::Result<bool> {
    let mut all_stored = true;
    let mut one = |text: &str, out: &mut dyn Write| -> io::Result<()> {
        match store.append_json(text) {
            Ok(appended) => {
                writeln!(out, "seq {}, position {}", appended.seq, appended.position)?;
                for warning in &appended.warnings {
                    writeln!(out, "  warning: {}: {}", warning.code, warning.message)?;
                }
            }
            Err(error) => {
                all_stored = false;
                eprintln!("coachflow: {error}");
            }
        }
        Ok(())
    };
    for event in events {
        if event == "-" {
            for line in io::stdin().lock().lines() {
                let line = line?;
                if !line.trim().is_empty() {
                    one(&line, out)?;
                }
            }
        } else {
            one(event, out)?;
        }
    }
    Ok(all_stored)
}

fn show(store: &Store, engagement: &str, participant: &str, out: &mut impl Write) -> io::Result<bool> {
    match store.load(engagement) {
        Ok(Some(found)) => match found.view(participant) {
            Ok(view) => writeln!(out, "{}", view.to_json()).map(|()| true),
            Err(finding) => {
                eprintln!("coachflow: {finding}");
                Ok(false)
            }
        },
        Ok(None) => {
            eprintln!("coachflow: no engagement {engagement} in the store");
            Ok(false)
        }
        Err(error) => report(&error),
    }
}

/// `1 event`, `2 events`.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    match n.into() {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

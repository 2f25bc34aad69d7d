//! `coachflow`: run the demo, validate logs, run conformance vectors, print the stage diagram,
//! generate synthetic logs.
#![forbid(unsafe_code)]

use coachflow_cli::{demo, generate};

use clap::{Parser, Subcommand};
use coachflow::conformance::{parse_vectors, run_vector};
use coachflow::log::read_log_with_progress;
use coachflow::Limits;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "coachflow", version, about = "Supervisor-partnered coaching engagements as typed state machines")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Size caps for reading logs, as JSON, e.g. `{"max_line_bytes": 65536}`; caps left out
    /// keep their defaults (docs/hardening.md).
    #[arg(long, global = true, value_name = "JSON", value_parser = read_limits)]
    limits: Option<Limits>,
}

fn read_limits(json: &str) -> Result<Limits, String> {
    coachflow::boundary::parse_limits(json).map_err(|error| error.message)
}

#[derive(Subcommand)]
enum Command {
    /// Replay a sample engagement from pre-work to completion, explaining each step.
    Demo,
    /// Check a JSON Lines log; print each problem as `line N: code: message`; exit 1 on any problem.
    Validate {
        /// The log file (`-` for standard input).
        file: PathBuf,
    },
    /// Run conformance vectors (files, or folders of `*.json`); exit 1 if any fails.
    Vectors {
        /// Vector files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print participants' views as JSON, one engagement per line.
    View {
        /// The log file.
        file: PathBuf,
        /// The role whose view to print (its first participant).
        #[arg(
            long = "as",
            value_name = "ROLE",
            conflicts_with = "participant",
            required_unless_present = "participant"
        )]
        role: Option<coachflow::Role>,
        /// The participant whose view to print.
        #[arg(long)]
        participant: Option<String>,
        /// Only this engagement.
        #[arg(long)]
        engagement: Option<String>,
    },
    /// Print one analytics record per engagement (only what a programme admin may see).
    Metrics {
        /// The log file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MetricsFormat::Csv)]
        format: MetricsFormat,
    },
    /// Explain whether a participant can see a record, and why.
    Explain {
        /// The log file.
        file: PathBuf,
        /// The engagement.
        #[arg(long)]
        engagement: String,
        /// The viewer.
        #[arg(long)]
        participant: String,
        /// The record: `session:2`, `action:a1`, `survey:s1/peer`, `preliminary_notes`, ...
        #[arg(long)]
        record: String,
    },
    /// Print the stage machine as a Mermaid state diagram.
    Diagram,
    /// Print the table of rule codes (Markdown).
    Codes,
    /// Write a deterministic synthetic log of interleaved engagements (about 100 events each).
    Generate {
        /// How many engagements.
        #[arg(long, default_value_t = 100)]
        engagements: u64,
        /// Seed: the same seed always gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

/// Formats of `coachflow metrics`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum MetricsFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let limits = cli.limits.unwrap_or_default();
    let result = match cli.command {
        Command::Demo => demo::run(&mut io::stdout().lock()).map(|()| true),
        Command::Validate { file } => validate(&file, &limits),
        Command::Vectors { paths } => vectors(&paths),
        Command::View { file, role, participant, engagement } => {
            view(&file, &limits, role, participant.as_deref(), engagement.as_deref())
        }
        Command::Metrics { file, format } => metrics(&file, &limits, format),
        Command::Explain { file, engagement, participant, record } => {
            explain(&file, &limits, &engagement, &participant, &record)
        }
        Command::Diagram => {
            print!("{}", coachflow::rules::mermaid_diagram());
            Ok(true)
        }
        Command::Codes => {
            print!("{}", codes_table());
            Ok(true)
        }
        Command::Generate { engagements, seed, out } => generate_log(engagements, seed, out.as_deref()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("coachflow: {error}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &Path, limits: &Limits) -> io::Result<coachflow::log::LogReplay> {
    if path == Path::new("-") {
        return Ok(read_log_with_progress(io::stdin().lock(), limits, u64::MAX, |_| {}));
    }
    let file =
        File::open(path).map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", path.display())))?;
    Ok(read_log_with_progress(BufReader::new(file), limits, u64::MAX, |_| {}))
}

/// Loads a log for a command that reads it; its problems go to standard error.
fn load_quietly(path: &Path, limits: &Limits) -> io::Result<coachflow::log::LogReplay> {
    let replay = load(path, limits)?;
    if !replay.problems.is_empty() {
        eprintln!(
            "coachflow: {} problem lines in {} were skipped (see `coachflow validate`)",
            replay.problems.len(),
            path.display()
        );
    }
    Ok(replay)
}

fn view(
    path: &Path,
    limits: &Limits,
    role: Option<coachflow::Role>,
    participant: Option<&str>,
    only: Option<&str>,
) -> io::Result<bool> {
    let replay = load_quietly(path, limits)?;
    let mut out = io::stdout().lock();
    let mut all_found = true;
    let mut seen = false;
    for engagement in replay.engagements.iter().filter(|e| only.is_none_or(|id| e.id() == id)) {
        seen = true;
        let view = match (role, participant) {
            (Some(role), _) => engagement.view_as(role),
            (None, Some(participant)) => engagement.view(participant),
            (None, None) => continue,
        };
        match view {
            Ok(view) => writeln!(out, "{}", view.to_json())?,
            Err(finding) => {
                all_found = false;
                eprintln!("{}: {finding}", engagement.id());
            }
        }
    }
    if !seen {
        eprintln!(
            "coachflow: no engagement{} in {}",
            only.map(|id| format!(" {id}")).unwrap_or_default(),
            path.display()
        );
    }
    Ok(seen && all_found)
}

fn metrics(path: &Path, limits: &Limits, format: MetricsFormat) -> io::Result<bool> {
    let replay = load_quietly(path, limits)?;
    let mut out = BufWriter::new(io::stdout().lock());
    if matches!(format, MetricsFormat::Csv) {
        writeln!(out, "{}", coachflow::metrics::METRICS_COLUMNS.join(","))?;
    }
    for engagement in &replay.engagements {
        let record = serde_json::to_value(engagement.metrics()).map_err(io::Error::other)?;
        match format {
            MetricsFormat::Jsonl => writeln!(out, "{record}")?,
            MetricsFormat::Csv => {
                let cells: Vec<String> =
                    coachflow::metrics::METRICS_COLUMNS.iter().map(|column| csv_cell(record.get(*column))).collect();
                writeln!(out, "{}", cells.join(","))?;
            }
        }
    }
    out.flush()?;
    Ok(true)
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

fn explain(path: &Path, limits: &Limits, engagement: &str, participant: &str, record: &str) -> io::Result<bool> {
    let replay = load_quietly(path, limits)?;
    let Some(found) = replay.engagements.iter().find(|e| e.id() == engagement) else {
        eprintln!("coachflow: no engagement {engagement} in {}", path.display());
        return Ok(false);
    };
    match found.explain_visibility(participant, record) {
        Ok(answer) => {
            println!("{}", serde_json::to_string_pretty(&answer).map_err(io::Error::other)?);
            Ok(true)
        }
        Err(finding) => {
            eprintln!("{finding}");
            Ok(false)
        }
    }
}

fn validate(path: &Path, limits: &Limits) -> io::Result<bool> {
    let replay = load(path, limits)?;
    let mut out = io::stdout().lock();
    for problem in &replay.problems {
        for finding in &problem.violations {
            writeln!(out, "line {}: {}: {}", problem.line, finding.code, finding.message)?;
        }
    }
    for engagement in &replay.engagements {
        writeln!(out, "{}: {}, {} events", engagement.id(), engagement.stage(), engagement.log().len())?;
    }
    writeln!(
        out,
        "{} engagements, {} events applied, {} problem lines",
        replay.engagements.len(),
        replay.events_applied,
        replay.problems.len()
    )?;
    Ok(replay.problems.is_empty())
}

fn vector_files(paths: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)?
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|file| file.extension().is_some_and(|ext| ext == "json"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn vectors(paths: &[PathBuf]) -> io::Result<bool> {
    let (mut passed, mut failed) = (0_usize, 0_usize);
    let mut out = io::stdout().lock();
    for file in vector_files(paths)? {
        let text = std::fs::read_to_string(&file)
            .map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", file.display())))?;
        let vectors = match parse_vectors(&text) {
            Ok(vectors) => vectors,
            Err(error) => {
                writeln!(out, "FAIL {}: cannot read vectors: {error}", file.display())?;
                failed += 1;
                continue;
            }
        };
        for vector in &vectors {
            let failures = run_vector(vector);
            if failures.is_empty() {
                passed += 1;
            } else {
                failed += 1;
                writeln!(out, "FAIL {}: {}", file.display(), vector.name)?;
                for failure in failures {
                    writeln!(out, "    {failure}")?;
                }
            }
        }
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok(failed == 0)
}

fn codes_table() -> String {
    let mut table = String::from("| code | meaning |\n|---|---|\n");
    for code in coachflow::Code::ALL {
        table.push_str(&format!("| `{}` | {} |\n", code.as_str(), code.meaning().replace('|', "\\|")));
    }
    table
}

fn generate_log(engagements: u64, seed: u64, out: Option<&Path>) -> io::Result<bool> {
    let lines = generate::generate(engagements, seed);
    let mut sink: Box<dyn Write> = match out {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    for line in &lines {
        sink.write_all(line.as_bytes())?;
        sink.write_all(b"\n")?;
    }
    sink.flush()?;
    if let Some(path) = out {
        eprintln!("wrote {} events of {engagements} engagements to {}", lines.len(), path.display());
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_file(path: &str) -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
    }

    #[test]
    fn docs_list_exactly_the_codes_of_the_code() {
        let rules = project_file("docs/rules.md");
        let begin = rules.find("<!-- codes:begin -->\n").unwrap() + "<!-- codes:begin -->\n".len();
        let end = rules.find("<!-- codes:end -->").unwrap();
        assert_eq!(&rules[begin..end], codes_table(), "run `coachflow codes` and paste it into docs/rules.md");
    }

    #[test]
    fn limits_flag_reads_json_and_refuses_unknown_caps() {
        let cli = Cli::try_parse_from(["coachflow", "validate", "log.jsonl", "--limits", r#"{"max_line_bytes": 10}"#]);
        assert_eq!(cli.unwrap().limits, Some(Limits { max_line_bytes: 10, ..Limits::default() }));
        let error =
            Cli::try_parse_from(["coachflow", "--limits", r#"{"max_lines": 1}"#, "validate", "x"]).err().unwrap();
        assert!(error.to_string().contains("unknown field `max_lines`"), "{error}");
    }

    #[test]
    fn readme_shows_the_current_diagram() {
        assert!(project_file("README.md").contains(&coachflow::rules::mermaid_diagram()));
    }
}

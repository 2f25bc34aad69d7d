//! `coachflow`: run the demo, validate logs, run conformance vectors, print the stage diagram,
//! generate synthetic logs.
#![forbid(unsafe_code)]

use coachflow_cli::store::{count, write_metrics, Database, MetricsFormat, StoreCommand};
use coachflow_cli::{demo, generate, reference};

use clap::{Parser, Subcommand};
use coachflow::conformance::{parse_vectors, run_vector};
use coachflow::log::{read_log_with_progress, validate_log};
use coachflow::Limits;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "coachflow",
    version,
    about = "Supervisor-partnered coaching engagements as typed state machines",
    after_help = "Examples:\n  coachflow demo\n  coachflow validate engagements.jsonl\n  coachflow view --as supervisor engagements.jsonl --engagement eng-7\n\nEach command prints its own examples: coachflow help COMMAND"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// A log to read, and the size caps to read it under.
#[derive(clap::Args)]
struct LogInput {
    /// The JSON Lines log (`-` for standard input).
    file: PathBuf,
    /// Size caps for reading the log, as JSON, e.g. `{"max_line_bytes": 65536}`; caps left out
    /// keep their defaults (docs/hardening.md).
    #[arg(long, value_name = "JSON", value_parser = read_limits)]
    limits: Option<Limits>,
}

fn read_limits(json: &str) -> Result<Limits, String> {
    coachflow::boundary::parse_limits(json).map_err(|error| error.message)
}

fn read_role(name: &str) -> Result<coachflow::Role, String> {
    coachflow::boundary::parse_role(name).map_err(|error| error.message)
}

fn read_step(name: &str) -> Result<coachflow::BuiltinStep, String> {
    coachflow::boundary::parse_step(name).map_err(|error| error.message)
}

fn read_phase(name: &str) -> Result<coachflow::PartnershipPhase, String> {
    coachflow::boundary::parse_phase(name).map_err(|error| error.message)
}

/// Formats of the stage diagram.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DiagramFormat {
    /// A Mermaid state diagram.
    Mermaid,
    /// An XState (v5) machine config, as JSON.
    Xstate,
}

#[derive(Subcommand)]
enum Command {
    /// Keep engagements in a database (SQLite by default, PostgreSQL for platforms): import,
    /// append, show, due, metrics, export.
    #[command(
        after_help = "Examples:\n  coachflow store import engagements.jsonl\n  coachflow store show e-1 --participant sam\n  coachflow store due --as-of 2026-06-30 --db postgres://hr@db.internal/coaching"
    )]
    Store {
        #[command(flatten)]
        database: Database,
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Replay a sample engagement from pre-work to completion, explaining each step.
    #[command(after_help = "Example:\n  coachflow demo | less")]
    Demo,
    /// Check a JSON Lines log; print each problem as `line N: code: message`; exit 1 on any
    /// problem or when the log holds no events.
    #[command(
        after_help = "Examples:\n  coachflow validate engagements.jsonl\n  coachflow validate - < engagements.jsonl\n  coachflow validate upload.jsonl --limits '{\"max_text_chars\": 4000}'"
    )]
    Validate {
        #[command(flatten)]
        input: LogInput,
    },
    /// Run conformance vectors (files, or folders of `*.json`); exit 1 if any fails.
    #[command(after_help = "Example:\n  coachflow vectors tests/vectors")]
    Vectors {
        /// Vector files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print participants' views as JSON, one engagement per line.
    #[command(
        after_help = "Examples:\n  coachflow view --as supervisor engagements.jsonl\n  coachflow view --participant cleo engagements.jsonl --engagement eng-7",
        group = clap::ArgGroup::new("viewer").required(true).args(["role", "participant"])
    )]
    View {
        #[command(flatten)]
        input: LogInput,
        /// The role whose view to print (its first participant): coachee, supervisor, coach or
        /// program_admin. Either this or --participant.
        #[arg(
            long = "as",
            value_name = "ROLE",
            value_parser = read_role
        )]
        role: Option<coachflow::Role>,
        /// The participant whose view to print. Either this or --as.
        #[arg(long, value_name = "ID")]
        participant: Option<String>,
        /// Only this engagement.
        #[arg(long, value_name = "ID")]
        engagement: Option<String>,
    },
    /// Print one analytics record per engagement (only what a programme admin may see).
    #[command(
        after_help = "Examples:\n  coachflow metrics engagements.jsonl > metrics.csv\n  coachflow metrics engagements.jsonl --format jsonl"
    )]
    Metrics {
        #[command(flatten)]
        input: LogInput,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MetricsFormat::Csv)]
        format: MetricsFormat,
    },
    /// Explain whether a participant can see a record, and why.
    #[command(
        after_help = "Example:\n  coachflow explain engagements.jsonl --engagement eng-7 --participant sam --record session:2"
    )]
    Explain {
        #[command(flatten)]
        input: LogInput,
        /// The engagement.
        #[arg(long, value_name = "ID")]
        engagement: String,
        /// The viewer.
        #[arg(long, value_name = "ID")]
        participant: String,
        /// The record: `session:2`, `action:a1`, `survey:s1/peer`, `preliminary_notes`, ...
        #[arg(long)]
        record: String,
    },
    /// Print the stage machine as a Mermaid state diagram, or as an XState machine config.
    #[command(
        after_help = "Examples:\n  coachflow diagram > stages.mmd\n  coachflow diagram --format xstate > machine.json"
    )]
    Diagram {
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiagramFormat::Mermaid)]
        format: DiagramFormat,
    },
    /// Print the JSON Schema (draft 2020-12) of an event line: the envelope and every event
    /// type, for validators and form builders on other stacks.
    #[command(after_help = "Example:\n  coachflow schema > coachflow-event.schema.json")]
    Schema,
    /// Print the tables of rules and of rule codes (Markdown), as in docs/rules.md.
    #[command(after_help = "Example:\n  coachflow codes | grep session")]
    Codes,
    /// Print the coaching guide: what each role commits to, the session steps with questions to
    /// ask, partnering prompts per phase, the signs of not partnering, the coaching process.
    #[command(
        after_help = "Examples:\n  coachflow guide\n  coachflow guide --role supervisor\n  coachflow guide --step key_outcomes\n  coachflow guide --phase closing\n  coachflow guide --json"
    )]
    Guide {
        /// Only this role's responsibilities: coachee, supervisor, coach or program_admin.
        #[arg(long, value_name = "ROLE", value_parser = read_role)]
        role: Option<coachflow::Role>,
        /// Only this session step: check_in, session_goal, assignment_review, coaching,
        /// action_commitment, key_outcomes, next_assignment or session_feedback.
        #[arg(long, value_name = "STEP", value_parser = read_step)]
        step: Option<coachflow::BuiltinStep>,
        /// Only this partnership phase: opening, checking_in, meaning_making, action_planning
        /// or closing.
        #[arg(long, value_name = "PHASE", value_parser = read_phase)]
        phase: Option<coachflow::PartnershipPhase>,
        /// The whole guide as JSON (what every binding's accessors return).
        #[arg(long, conflicts_with_all = ["role", "step", "phase"])]
        json: bool,
    },
    /// Split a log into N files so that every engagement lives in exactly one of them (by a
    /// stable hash of its id), for Spark, Dask or a shell loop that handles files on their own.
    #[command(
        after_help = "Example:\n  coachflow export engagements.jsonl --partition 8 --out parts/\n\nLines keep their order within each file; a line whose engagement cannot be read goes to the first file."
    )]
    Export {
        /// The JSON Lines log (`-` for standard input).
        file: PathBuf,
        /// How many files to write (1 to 4096).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
        partition: u32,
        /// The folder to write `part-00000-of-000NN.jsonl` files into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print the reference of every event type: fields, who may record it, in which stages (Markdown).
    #[command(after_help = "Example:\n  coachflow events > events.md")]
    Events,
    /// Write a deterministic synthetic log of interleaved engagements (about 100 events each).
    #[command(after_help = "Example:\n  coachflow generate --engagements 1000 --seed 7 --out engagements.jsonl")]
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = BufWriter::new(io::stdout().lock());
    let result = run(cli.command, &mut out).and_then(|succeeded| out.flush().map(|()| succeeded));
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // A reader that stops early (`coachflow ... | head`) is a normal end, as for any Unix tool.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("coachflow: {error}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command, writing its output to `out`: `Ok(false)` when it found problems.
fn run(command: Command, out: &mut impl Write) -> io::Result<bool> {
    match command {
        Command::Demo => demo::run(out).map(|()| true),
        Command::Store { database, command } => coachflow_cli::store::run(&database, command, out),
        Command::Validate { input } => validate(&input, out),
        Command::Vectors { paths } => vectors(&paths, out),
        Command::View { input, role, participant, engagement } => {
            view(&input, role, participant.as_deref(), engagement.as_deref(), out)
        }
        Command::Metrics { input, format } => metrics(&input, format, out),
        Command::Explain { input, engagement, participant, record } => {
            explain(&input, &engagement, &participant, &record, out)
        }
        Command::Diagram { format: DiagramFormat::Mermaid } => {
            out.write_all(coachflow::mermaid_diagram().as_bytes()).map(|()| true)
        }
        Command::Diagram { format: DiagramFormat::Xstate } => {
            writeln!(out, "{:#}", coachflow::xstate_machine()).map(|()| true)
        }
        Command::Schema => writeln!(out, "{:#}", coachflow::event::json_schema()).map(|()| true),
        Command::Codes => write!(out, "{}\n{}", reference::rules_table(), reference::codes_table()).map(|()| true),
        Command::Guide { json: true, .. } => writeln!(out, "{}", coachflow::guide::guide_json()).map(|()| true),
        Command::Guide { role, step, phase, .. } => {
            out.write_all(reference::guide_text(role, step, phase).as_bytes()).map(|()| true)
        }
        Command::Export { file, partition, out: folder } => export(&file, partition, &folder),
        Command::Events => out.write_all(reference::events_markdown().as_bytes()).map(|()| true),
        Command::Generate { engagements, seed, out: file } => generate_log(engagements, seed, file.as_deref(), out),
    }
}

/// `1 engagement`, `2 engagements`.
/// Reads the input log (a file, or `-` for standard input) with `read`.
fn read_input<T>(input: &LogInput, read: impl FnOnce(&mut dyn BufRead) -> T) -> io::Result<T> {
    let path = &input.file;
    if path == Path::new("-") {
        return Ok(read(&mut io::stdin().lock()));
    }
    let named = |error: io::Error| io::Error::new(error.kind(), format!("{}: {error}", path.display()));
    if path.is_dir() {
        return Err(named(io::Error::new(io::ErrorKind::IsADirectory, "is a directory, not a log file")));
    }
    let file = File::open(path).map_err(named)?;
    Ok(read(&mut BufReader::with_capacity(1 << 16, file)))
}

/// Whether a log that was read held no events and no problems (empty, or only blank
/// lines); says so on standard error.
fn holds_nothing(input: &LogInput, events_applied: u64, problems: usize) -> bool {
    let empty = events_applied == 0 && problems == 0;
    if empty {
        eprintln!("coachflow: {} holds no events (it is empty or only blank lines)", input.file.display());
    }
    empty
}

fn load(input: &LogInput) -> io::Result<Option<coachflow::log::LogReplay>> {
    let limits = input.limits.unwrap_or_default();
    let replay = read_input(input, |reader| read_log_with_progress(reader, &limits, u64::MAX, |_| {}))?;
    Ok((!holds_nothing(input, replay.events_applied, replay.problems.len())).then_some(replay))
}

/// Loads a log for a command that reads it; its problems go to standard error.
fn load_quietly(input: &LogInput) -> io::Result<Option<coachflow::log::LogReplay>> {
    let replay = load(input)?;
    if let Some(problems) = replay.as_ref().map(|replay| replay.problems.len()).filter(|n| *n > 0) {
        eprintln!(
            "coachflow: {} in {} skipped (see `coachflow validate`)",
            count(problems as u64, "problem line"),
            input.file.display()
        );
    }
    Ok(replay)
}

fn view(
    input: &LogInput,
    role: Option<coachflow::Role>,
    participant: Option<&str>,
    only: Option<&str>,
    out: &mut impl Write,
) -> io::Result<bool> {
    let Some(replay) = load_quietly(input)? else { return Ok(false) };
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
            input.file.display()
        );
    }
    Ok(seen && all_found)
}

fn metrics(input: &LogInput, format: MetricsFormat, out: &mut impl Write) -> io::Result<bool> {
    let Some(replay) = load_quietly(input)? else { return Ok(false) };
    let rows: Vec<coachflow::Metrics> = replay.engagements.iter().map(coachflow::Engagement::metrics).collect();
    write_metrics(&rows, format, out).map(|()| true)
}

fn explain(
    input: &LogInput,
    engagement: &str,
    participant: &str,
    record: &str,
    out: &mut impl Write,
) -> io::Result<bool> {
    let Some(replay) = load_quietly(input)? else { return Ok(false) };
    let Some(found) = replay.engagements.iter().find(|e| e.id() == engagement) else {
        eprintln!("coachflow: no engagement {engagement} in {}", input.file.display());
        return Ok(false);
    };
    match found.explain_visibility(participant, record) {
        Ok(answer) => {
            writeln!(out, "{}", serde_json::to_string_pretty(&answer).map_err(io::Error::other)?)?;
            Ok(true)
        }
        Err(finding) => {
            eprintln!("{finding}");
            Ok(false)
        }
    }
}

fn validate(input: &LogInput, out: &mut impl Write) -> io::Result<bool> {
    let limits = input.limits.unwrap_or_default();
    let replay = read_input(input, |reader| validate_log(reader, &limits, u64::MAX, |_| {}))?;
    if holds_nothing(input, replay.events_applied, replay.problems.len()) {
        return Ok(false);
    }
    for problem in &replay.problems {
        for finding in &problem.violations {
            writeln!(out, "line {}: {}: {}", problem.line, finding.code, finding.message)?;
        }
    }
    for engagement in &replay.engagements {
        writeln!(out, "{}: {}, {}", engagement.id, engagement.stage, count(engagement.events as u64, "event"))?;
    }
    writeln!(
        out,
        "{}, {} applied, {}",
        count(replay.engagements.len() as u64, "engagement"),
        count(replay.events_applied, "event"),
        count(replay.problems.len() as u64, "problem line")
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

fn vectors(paths: &[PathBuf], out: &mut impl Write) -> io::Result<bool> {
    let (mut passed, mut failed) = (0_usize, 0_usize);
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

/// The partition of an engagement id: FNV-1a, so that it is the same on every machine and
/// every run (unlike Rust's randomly seeded hashers).
fn partition_of(engagement: &str, partitions: u32) -> u32 {
    let hash = engagement
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    u32::try_from(hash % u64::from(partitions)).unwrap_or(0)
}

fn export(path: &Path, partitions: u32, folder: &Path) -> io::Result<bool> {
    #[derive(serde::Deserialize)]
    struct EngagementOf {
        engagement: Option<String>,
    }
    let named = |error: io::Error, path: &Path| io::Error::new(error.kind(), format!("{}: {error}", path.display()));
    let input: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        Box::new(BufReader::new(File::open(path).map_err(|error| named(error, path))?))
    };
    std::fs::create_dir_all(folder).map_err(|error| named(error, folder))?;
    let mut outputs = Vec::new();
    for index in 0..partitions {
        let name = folder.join(format!("part-{index:05}-of-{partitions:05}.jsonl"));
        outputs.push(BufWriter::new(File::create(&name).map_err(|error| named(error, &name))?));
    }
    let mut lines = 0_u64;
    for line in input.split(b'\n') {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let engagement = serde_json::from_slice::<EngagementOf>(&line).ok().and_then(|found| found.engagement);
        let index = engagement.map_or(0, |id| partition_of(&id, partitions));
        if let Some(output) = outputs.get_mut(index as usize) {
            output.write_all(&line)?;
            output.write_all(b"\n")?;
        }
        lines += 1;
    }
    for output in &mut outputs {
        output.flush()?;
    }
    eprintln!("wrote {lines} lines into {partitions} files in {}", folder.display());
    Ok(true)
}

fn generate_log(engagements: u64, seed: u64, file: Option<&Path>, out: &mut impl Write) -> io::Result<bool> {
    let lines = generate::generate(engagements, seed);
    let write_all = |sink: &mut dyn Write| -> io::Result<()> {
        for line in &lines {
            sink.write_all(line.as_bytes())?;
            sink.write_all(b"\n")?;
        }
        sink.flush()
    };
    match file {
        Some(path) => {
            let created = File::create(path)
                .map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", path.display())))?;
            write_all(&mut BufWriter::new(created))?;
            eprintln!("wrote {} events of {engagements} engagements to {}", lines.len(), path.display());
        }
        None => write_all(out)?,
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
        assert_eq!(
            &rules[begin..end],
            reference::codes_table(),
            "run `coachflow codes` and paste it into docs/rules.md"
        );
    }

    #[test]
    fn limits_flag_reads_json_and_refuses_unknown_caps() {
        let cli = Cli::try_parse_from(["coachflow", "validate", "log.jsonl", "--limits", r#"{"max_line_bytes": 10}"#]);
        let Command::Validate { input } = cli.unwrap().command else { panic!("not validate") };
        assert_eq!(input.limits, Some(Limits { max_line_bytes: 10, ..Limits::default() }));
        let error =
            Cli::try_parse_from(["coachflow", "validate", "x", "--limits", r#"{"max_lines": 1}"#]).err().unwrap();
        assert!(error.to_string().contains("unknown field `max_lines`"), "{error}");
    }

    #[test]
    fn limits_only_on_commands_that_read_a_log() {
        assert!(Cli::try_parse_from(["coachflow", "diagram", "--limits", "{}"]).is_err());
        assert!(Cli::try_parse_from(["coachflow", "metrics", "log.jsonl", "--limits", "{}"]).is_ok());
    }

    fn printed(args: &[&str]) -> String {
        let mut out = Vec::new();
        assert!(run(Cli::try_parse_from(args).unwrap().command, &mut out).unwrap());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn schema_prints_the_cores_json_schema() {
        let schema: serde_json::Value = serde_json::from_str(&printed(&["coachflow", "schema"])).unwrap();
        assert_eq!(schema, coachflow::event::json_schema());
    }

    #[test]
    fn diagram_prints_mermaid_by_default_and_the_xstate_config_as_json_when_asked() {
        assert_eq!(printed(&["coachflow", "diagram"]), coachflow::mermaid_diagram());
        let config: serde_json::Value =
            serde_json::from_str(&printed(&["coachflow", "diagram", "--format", "xstate"])).unwrap();
        assert_eq!(config, coachflow::xstate_machine());
        assert!(Cli::try_parse_from(["coachflow", "diagram", "--format", "dot"]).is_err());
    }

    #[test]
    fn a_bad_role_lists_the_valid_ones() {
        let error = Cli::try_parse_from(["coachflow", "view", "--as", "boss", "log.jsonl"]).err().unwrap().to_string();
        assert!(error.contains("coachee, supervisor, coach, program_admin"), "{error}");
        let error = Cli::try_parse_from(["coachflow", "view", "log.jsonl"]).err().unwrap().to_string();
        assert!(error.contains("--as") && error.contains("--participant"), "{error}");
    }

    #[test]
    fn partitions_are_stable_and_spread() {
        assert_eq!(partition_of("eng-000001", 8), partition_of("eng-000001", 8));
        let used: std::collections::BTreeSet<u32> = (0..200).map(|n| partition_of(&format!("eng-{n:06}"), 8)).collect();
        assert_eq!(used.len(), 8);
    }

    #[test]
    fn docs_list_every_event_type() {
        assert_eq!(
            project_file("docs/events.md"),
            reference::events_markdown(),
            "run `coachflow events > docs/events.md`"
        );
    }

    #[test]
    fn readme_shows_the_current_diagram() {
        assert!(project_file("README.md").contains(&coachflow::mermaid_diagram()));
    }
}

//! `coachflow`: run the demo, validate logs, run conformance vectors, print the stage diagram,
//! generate synthetic logs.
#![forbid(unsafe_code)]

use coachflow_cli::{demo, generate};

use clap::{Parser, Subcommand};
use coachflow::conformance::{parse_vectors, run_vector};
use coachflow::log::read_log;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "coachflow", version, about = "Supervisor-partnered coaching engagements as typed state machines")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo => demo::run(&mut io::stdout().lock()).map(|()| true),
        Command::Validate { file } => validate(&file),
        Command::Vectors { paths } => vectors(&paths),
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

fn validate(path: &Path) -> io::Result<bool> {
    let replay = if path == Path::new("-") {
        read_log(io::stdin().lock())
    } else {
        let file =
            File::open(path).map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", path.display())))?;
        read_log(BufReader::new(file))
    };
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
    fn readme_shows_the_current_diagram() {
        assert!(project_file("README.md").contains(&coachflow::rules::mermaid_diagram()));
    }
}

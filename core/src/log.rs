//! Reading JSON Lines logs that interleave many engagements.
//!
//! Each line is judged against its engagement as built from the lines accepted before it.
//! A bad line is reported with its line number and skipped; every other line, and every
//! other engagement, still loads. Size caps ([`Limits`]) apply per line, per engagement
//! and per log; a line over one is reported like any other bad line.

use crate::codes::Code;
use crate::engine::Engagement;
use crate::event::Event;
use crate::finding::{Finding, Rejection};
use crate::limits::Limits;
use crate::rules::Rule;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, BufRead, Read};

/// One line of a log that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LogProblem {
    /// 1-based line number.
    pub line: u64,
    /// The engagement the line belongs to, when it could be read.
    pub engagement: Option<String>,
    /// Every violated rule.
    pub violations: Vec<Finding>,
}

/// What reading a log produced: every engagement that was opened, and every problem.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LogReplay {
    /// Engagements in order of their first line.
    pub engagements: Vec<Engagement>,
    /// Problems, in line order.
    pub problems: Vec<LogProblem>,
    /// Lines read, blank ones included.
    pub lines: u64,
    /// Events applied.
    pub events_applied: u64,
}

/// A push-based log reader: feed it lines (or raw bytes of lines) in order, then `finish`.
///
/// ```
/// use coachflow::log::LogReplayer;
/// let mut reader = LogReplayer::new();
/// reader.push_line(r#"{"engagement":"a","at":"2026-01-05T09:00:00Z","actor":"c","type":"engagement_opened","coachee":"c","supervisor":"s"}"#);
/// reader.push_line("{not json");
/// reader.push_line(r#"{"engagement":"a","at":"2026-01-05T10:00:00Z","actor":"c","type":"orientation_completed"}"#);
/// let replay = reader.finish();
/// assert_eq!(replay.engagements.len(), 1);
/// assert_eq!(replay.engagements[0].log().len(), 2);
/// assert_eq!(replay.problems[0].line, 2);
/// ```
#[derive(Debug, Default)]
pub struct LogReplayer {
    replay: LogReplay,
    positions: HashMap<String, usize>,
    limits: Limits,
}

impl LogReplayer {
    /// A reader with nothing read yet and the default [`Limits`].
    pub fn new() -> LogReplayer {
        LogReplayer::default()
    }

    /// A reader with nothing read yet and these size caps.
    pub fn with_limits(limits: Limits) -> LogReplayer {
        LogReplayer { limits, ..LogReplayer::default() }
    }

    /// Reads the next line (without its line break). Blank lines are skipped.
    pub fn push_line(&mut self, line: &str) {
        self.replay.lines += 1;
        let line = line.trim_end_matches(['\n', '\r']);
        if line.len() > self.limits.max_line_bytes {
            self.problem(None, self.limits.line_too_long(line.len()).into());
            return;
        }
        if line.trim().is_empty() {
            return;
        }
        match Event::from_json(line) {
            Ok(event) => self.apply(event),
            Err(rejection) => {
                let engagement = engagement_of(line);
                self.problem(engagement, rejection);
            }
        }
    }

    /// Reads the next line as raw bytes; bytes that are not UTF-8 are `invalid_event`.
    pub fn push_bytes(&mut self, line: &[u8]) {
        if line.len() > self.limits.max_line_bytes {
            self.push_oversized_line(line.len());
            return;
        }
        match std::str::from_utf8(line) {
            Ok(text) => self.push_line(text),
            Err(error) => {
                self.replay.lines += 1;
                let message = format!("the line is not valid UTF-8 ({error})");
                self.problem(None, Rejection::single(Code::InvalidEvent, Rule::L2, message));
            }
        }
    }

    /// Counts a line of `bytes` bytes that is over `max_line_bytes`, for readers that skip
    /// such a line's content instead of holding it.
    pub fn push_oversized_line(&mut self, bytes: usize) {
        self.replay.lines += 1;
        self.problem(None, self.limits.line_too_long(bytes).into());
    }

    /// Lines read so far.
    pub fn lines_read(&self) -> u64 {
        self.replay.lines
    }

    /// Everything read.
    pub fn finish(self) -> LogReplay {
        let mut replay = self.replay;
        replay.engagements.retain(Engagement::is_opened);
        replay
    }

    fn apply(&mut self, event: Event) {
        let position = match self.positions.get(&event.engagement) {
            Some(position) => *position,
            None if self.positions.len() >= self.limits.max_engagements => {
                let finding = self.limits.too_many_engagements(&event.engagement);
                self.problem(Some(event.engagement), finding.into());
                return;
            }
            None => {
                let position = self.replay.engagements.len();
                self.positions.insert(event.engagement.clone(), position);
                self.replay.engagements.push(Engagement::new(event.engagement.clone()).with_limits(self.limits));
                position
            }
        };
        let Some(engagement) = self.replay.engagements.get_mut(position) else {
            return;
        };
        match engagement.apply(event) {
            Ok(_) => self.replay.events_applied += 1,
            Err(rejection) => {
                let id = engagement.id().to_owned();
                self.problem(Some(id), rejection);
            }
        }
    }

    fn problem(&mut self, engagement: Option<String>, rejection: Rejection) {
        self.replay.problems.push(LogProblem { line: self.replay.lines, engagement, violations: rejection.violations });
    }
}

/// The engagement id of a line that did not parse as an event, when it has one.
fn engagement_of(line: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Probe {
        engagement: String,
    }
    serde_json::from_str::<Probe>(line).ok().map(|probe| probe.engagement)
}

/// Reads a whole JSON Lines log under the default [`Limits`]. Read errors end the log with a
/// problem on the line where they happened; nothing read before is lost.
pub fn read_log(reader: impl BufRead) -> LogReplay {
    read_log_with_progress(reader, &Limits::DEFAULT, u64::MAX, |_| {})
}

/// [`read_log`] under `limits`, calling `progress` with the number of bytes read so far each
/// time at least `every_bytes` more have been read, and once at the end.
///
/// A line longer than `max_line_bytes` is never held in memory whole: the reader keeps at
/// most that many bytes of it, reports it and goes on with the next line.
pub fn read_log_with_progress(
    mut reader: impl BufRead,
    limits: &Limits,
    every_bytes: u64,
    mut progress: impl FnMut(u64),
) -> LogReplay {
    let mut replayer = LogReplayer::with_limits(*limits);
    let mut buffer = Vec::new();
    let (mut bytes, mut reported) = (0_u64, 0_u64);
    loop {
        buffer.clear();
        match read_line_capped(&mut reader, &mut buffer, limits.max_line_bytes) {
            Ok(None) => break,
            Ok(Some(line)) => {
                if line.length > limits.max_line_bytes {
                    replayer.push_oversized_line(line.length);
                } else {
                    replayer.push_bytes(&buffer);
                }
                bytes += line.consumed;
                if bytes - reported >= every_bytes {
                    progress(bytes);
                    reported = bytes;
                }
            }
            Err(error) => {
                replayer.replay.lines += 1;
                let message = format!("reading the log failed: {error}");
                replayer.problem(None, Rejection::single(Code::InvalidEvent, Rule::L2, message));
                break;
            }
        }
    }
    progress(bytes);
    replayer.finish()
}

/// What [`read_line_capped`] read.
struct LineRead {
    /// The line's length without its line break, even when only part of it was kept.
    length: usize,
    /// Bytes taken from the reader, the line break included.
    consumed: u64,
}

/// Reads one line into `line` (without its `\n`), keeping at most `cap + 1` bytes of it.
/// `None` at the end of the input.
fn read_line_capped(reader: &mut impl BufRead, line: &mut Vec<u8>, cap: usize) -> io::Result<Option<LineRead>> {
    let keep = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let read = reader.by_ref().take(keep).read_until(b'\n', line)?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        return Ok(Some(LineRead { length: line.len(), consumed: read as u64 }));
    }
    let mut result = LineRead { length: line.len(), consumed: read as u64 };
    if line.len() <= cap {
        return Ok(Some(result)); // the last line, without a line break
    }
    // Over the cap: count and drop the rest of the line without keeping it.
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(Some(result));
        }
        let newline = available.iter().position(|&byte| byte == b'\n');
        let used = newline.map_or(available.len(), |end| end + 1);
        result.length += newline.unwrap_or(used);
        result.consumed += used as u64;
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(result));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_reported_in_steps_and_once_at_the_end() {
        let line = r#"{"engagement":"a","at":"2026-01-05T09:00:00Z","actor":"c","type":"engagement_opened","coachee":"c","supervisor":"s"}"#;
        let log = format!("{line}\n{line}\n{line}\n");
        let mut seen = Vec::new();
        let replay = read_log_with_progress(log.as_bytes(), &Limits::DEFAULT, 200, |bytes| seen.push(bytes));
        let one = line.len() as u64 + 1;
        assert_eq!(seen, vec![2 * one, 3 * one]);
        assert_eq!(replay.lines, 3);
        assert_eq!(replay.problems.len(), 2, "the second and third lines reopen the engagement");
    }

    #[test]
    fn interleaved_engagements_load_and_bad_lines_are_reported_by_number() {
        let log = concat!(
            r#"{"engagement":"a","at":"2026-01-05T09:00:00Z","actor":"c","type":"engagement_opened","coachee":"c","supervisor":"s"}"#,
            "\n",
            r#"{"engagement":"b","at":"2026-01-05T09:00:00Z","actor":"d","type":"engagement_opened","coachee":"d","supervisor":"s"}"#,
            "\n",
            "\n",
            r#"{"engagement":"a","at":"2026-01-05T09:30:00Z","actor":"s","type":"orientation_completed"}"#,
            "\n",
            "\u{0}\u{0}\n",
            r#"{"engagement":"b","at":"2026-01-06T09:00:00Z","actor":"d","type":"orientation_completed"}"#,
            "\n",
        );
        let mut bytes = log.as_bytes().to_vec();
        bytes.extend_from_slice(b"\xff\xfe\n");
        let replay = read_log(bytes.as_slice());
        assert_eq!(replay.engagements.iter().map(|e| e.id()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(replay.events_applied, 3);
        let lines: Vec<(u64, Option<&str>, Code)> =
            replay.problems.iter().map(|p| (p.line, p.engagement.as_deref(), p.violations[0].code)).collect();
        assert_eq!(
            lines,
            [(4, Some("a"), Code::ActorNotPermitted), (5, None, Code::InvalidEvent), (7, None, Code::InvalidEvent)]
        );
    }
}

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
use crate::id::Id;
use crate::limits::Limits;
use crate::model::Stage;
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
#[derive(Debug)]
pub struct LogReplayer {
    replay: LogReplay,
    /// Where each engagement id is in `replay.engagements`. A short id's bytes sit in the
    /// table itself ([`Id`]): a `String` key was one more cold cache line per line read when
    /// thousands of engagements interleave.
    positions: HashMap<Id, usize, foldhash::fast::RandomState>,
    limits: Limits,
    /// Whether engagements keep their events and their records' texts (a validation-only
    /// reader counts the events and keeps only what the rules read).
    keep_logs: bool,
}

impl Default for LogReplayer {
    fn default() -> LogReplayer {
        LogReplayer::with_limits(Limits::DEFAULT)
    }
}

impl LogReplayer {
    /// A reader with nothing read yet and the default [`Limits`].
    pub fn new() -> LogReplayer {
        LogReplayer::default()
    }

    /// A reader with nothing read yet and these size caps.
    pub fn with_limits(limits: Limits) -> LogReplayer {
        LogReplayer { replay: LogReplay::default(), positions: HashMap::default(), limits, keep_logs: true }
    }

    /// Reads the next line (without its line break). Blank lines are skipped.
    pub fn push_line(&mut self, line: &str) {
        self.push_bytes(line.as_bytes());
    }

    /// Reads the next line as raw bytes; bytes that are not UTF-8 are `invalid_event`.
    pub fn push_bytes(&mut self, line: &[u8]) {
        match event_text(line, &self.limits) {
            Ok(text) => match Event::from_json(text) {
                Ok(event) => self.push(LogLine::Event(&event, text)),
                Err(rejection) => self.push(LogLine::Invalid(engagement_of(text), rejection)),
            },
            Err(other) => self.push(other),
        }
    }

    /// Counts a line of `bytes` bytes that is over `max_line_bytes`, for readers that skip
    /// such a line's content instead of holding it.
    pub fn push_oversized_line(&mut self, bytes: usize) {
        self.push(LogLine::Invalid(None, self.limits.line_too_long(bytes).into()));
    }

    /// Reads the next line, already decoded ([`decode_log`]).
    pub fn push(&mut self, line: LogLine<'_>) {
        self.replay.lines += 1;
        match line {
            LogLine::Blank => {}
            LogLine::Event(event, text) => self.apply(event, text),
            LogLine::Invalid(engagement, rejection) => self.problem(engagement, rejection),
            LogLine::ReadFailed(error) => {
                let message = format!("reading the log failed: {error}");
                self.problem(None, Rejection::single(Code::InvalidEvent, Rule::L2, message));
            }
        }
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

    fn apply(&mut self, event: &Event, text: &str) {
        let position = match self.positions.get(event.engagement.as_bytes()) {
            Some(position) => *position,
            None if self.positions.len() >= self.limits.max_engagements => {
                let finding = self.limits.too_many_engagements(&event.engagement);
                self.problem(Some(event.engagement.clone()), finding.into());
                return;
            }
            None => {
                let position = self.replay.engagements.len();
                self.positions.insert(Id::from(&event.engagement), position);
                let engagement = Engagement::new(event.engagement.clone()).with_limits(self.limits);
                self.replay.engagements.push(if self.keep_logs { engagement } else { engagement.validating_only() });
                position
            }
        };
        let Some(engagement) = self.replay.engagements.get_mut(position) else {
            return;
        };
        match engagement.apply_read(event, text) {
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

/// One line of a log, decoded ([`decode_log`], [`LogReplayer::push`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum LogLine<'a> {
    /// A blank line.
    Blank,
    /// An event, and the line's text (without its line break).
    Event(&'a Event, &'a str),
    /// A line that holds no event (not UTF-8, not an event, or over `max_line_bytes`): the
    /// engagement it names when that could be read, and why.
    Invalid(Option<String>, Rejection),
    /// Reading failed here; nothing after it was read.
    ReadFailed(&'a io::Error),
}

/// The text of a line that may hold an event, or what else the line is.
fn event_text<'a>(line: &'a [u8], limits: &Limits) -> Result<&'a str, LogLine<'static>> {
    if line.len() > limits.max_line_bytes {
        return Err(LogLine::Invalid(None, limits.line_too_long(line.len()).into()));
    }
    let text = std::str::from_utf8(line).map_err(|error| {
        let message = format!("the line is not valid UTF-8 ({error})");
        LogLine::Invalid(None, Rejection::single(Code::InvalidEvent, Rule::L2, message))
    })?;
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Err(LogLine::Blank);
    }
    Ok(text)
}

/// Reads a JSON Lines log and hands each line, decoded, to `visit` in order, with the bytes
/// read up to the end of that line; `visit` returns `false` to stop. For readers that do
/// their own work with the events (the event store's import); [`read_log`] applies them.
/// With the `threads` feature, lines are decoded on other threads while this one visits
/// them. A line longer than `max_line_bytes` is never held whole.
///
/// ```
/// use coachflow::log::{decode_log, LogLine};
/// use coachflow::Limits;
/// let log = "{oops\n\n{\"engagement\":\"a\",\"at\":\"2026-01-05T09:00:00Z\",\"actor\":\"c\",\"type\":\"orientation_completed\"}\n";
/// let mut seen = Vec::new();
/// decode_log(log.as_bytes(), &Limits::DEFAULT, |line, bytes| {
///     seen.push((matches!(line, LogLine::Event(..)), bytes));
///     true
/// });
/// assert_eq!(seen, [(false, 6), (false, 7), (true, log.len() as u64)]);
/// ```
pub fn decode_log(reader: impl BufRead, limits: &Limits, mut visit: impl FnMut(LogLine<'_>, u64) -> bool) {
    read_batches(reader, limits, BATCH_BYTES, |batch| batch.visit(&mut visit));
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
/// most that many bytes of it, reports it and goes on with the next line. With the
/// `threads` feature, lines are decoded on other threads while this one applies them in
/// order, so the result is the same as reading line by line.
pub fn read_log_with_progress(
    reader: impl BufRead,
    limits: &Limits,
    every_bytes: u64,
    progress: impl FnMut(u64),
) -> LogReplay {
    let mut replayer = LogReplayer::with_limits(*limits);
    read_into(&mut replayer, reader, every_bytes, progress);
    replayer.finish()
}

/// What validating a log found: every engagement's summary and every problem. Nothing of
/// the engagements is kept beyond their summaries.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LogValidation {
    /// Engagements in order of their first line.
    pub engagements: Vec<EngagementSummary>,
    /// Problems, in line order.
    pub problems: Vec<LogProblem>,
    /// Lines read, blank ones included.
    pub lines: u64,
    /// Events applied.
    pub events_applied: u64,
}

/// One engagement of a validated log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EngagementSummary {
    /// The engagement id.
    pub id: String,
    /// The stage it reached.
    pub stage: Stage,
    /// Events applied.
    pub events: usize,
}

impl EngagementSummary {
    /// The summary of an engagement held elsewhere (a store's table, for example).
    pub fn new(id: impl Into<String>, stage: Stage, events: usize) -> EngagementSummary {
        EngagementSummary { id: id.into(), stage, events }
    }
}

/// Checks every line of a log as [`read_log_with_progress`] does, keeping no event texts:
/// the cheapest way to learn whether a log is valid (`coachflow validate`).
///
/// ```
/// use coachflow::{log::validate_log, Limits, Stage};
/// let log = r#"{"engagement":"a","at":"2026-01-05T09:00:00Z","actor":"c","type":"engagement_opened","coachee":"c","supervisor":"s"}
/// {"engagement":"a","at":"2026-01-04T09:00:00Z","actor":"c","type":"orientation_completed"}"#;
/// let validation = validate_log(log.as_bytes(), &Limits::default(), u64::MAX, |_| {});
/// assert_eq!((validation.engagements[0].stage, validation.engagements[0].events), (Stage::PreWork, 1));
/// assert_eq!(validation.problems[0].line, 2);
/// ```
pub fn validate_log(
    reader: impl BufRead,
    limits: &Limits,
    every_bytes: u64,
    progress: impl FnMut(u64),
) -> LogValidation {
    let mut replayer = LogReplayer::with_limits(*limits);
    replayer.keep_logs = false;
    read_into(&mut replayer, reader, every_bytes, progress);
    let replay = replayer.finish();
    LogValidation {
        engagements: replay
            .engagements
            .iter()
            .map(|engagement| EngagementSummary::new(engagement.id(), engagement.stage(), engagement.log().len()))
            .collect(),
        problems: replay.problems,
        lines: replay.lines,
        events_applied: replay.events_applied,
    }
}

/// A run of lines read from a log: decoded on one thread, visited in order on another.
#[derive(Default)]
struct Batch {
    /// The kept lines, back to back, without their line breaks.
    text: Vec<u8>,
    /// One entry per line read.
    lines: Vec<BatchLine>,
    /// What each line holds, once decoded: its event, or what else it is.
    decoded: Vec<Result<Event, LogLine<'static>>>,
    /// Bytes taken from the reader up to the end of this batch.
    bytes_read: u64,
    /// The read error that ended the log after this batch's lines.
    error: Option<io::Error>,
}

/// One line of a [`Batch`].
struct BatchLine {
    /// Where the line's kept bytes end in `Batch::text`; `None` for a line over
    /// `max_line_bytes`, whose bytes were not kept.
    end: Option<usize>,
    /// The line's length.
    length: usize,
    /// Bytes taken from the reader up to the end of this line.
    bytes_after: u64,
}

/// How many lines a batch holds at most before it is handed on.
const BATCH_LINES: usize = 4096;
/// How many bytes a batch holds at most (less when progress is reported more often).
const BATCH_BYTES: u64 = 1 << 20;

impl Batch {
    /// Reads the next lines into `batch` (an empty one, reused for its buffers), up to about
    /// `size` bytes of them; `None` at the end of the input.
    fn read(mut batch: Batch, reader: &mut impl BufRead, cap: usize, bytes_read: u64, size: u64) -> Option<Batch> {
        batch.bytes_read = bytes_read;
        while batch.lines.len() < BATCH_LINES && batch.bytes_read - bytes_read < size {
            let start = batch.text.len();
            match read_line_capped(reader, &mut batch.text, cap) {
                Ok(None) => break,
                Ok(Some(line)) => {
                    batch.bytes_read += line.consumed;
                    let kept = line.length <= cap;
                    if !kept {
                        batch.text.truncate(start);
                    }
                    let end = kept.then_some(batch.text.len());
                    batch.lines.push(BatchLine { end, length: line.length, bytes_after: batch.bytes_read });
                }
                Err(error) => {
                    batch.text.truncate(start);
                    batch.error = Some(error);
                    break;
                }
            }
        }
        (!batch.lines.is_empty() || batch.error.is_some()).then_some(batch)
    }

    /// Each line's kept bytes (`None` for an oversized one) and its entry.
    fn line_bytes(&self) -> impl Iterator<Item = (Option<&[u8]>, &BatchLine)> + '_ {
        let mut start = 0;
        self.lines.iter().map(move |line| match line.end {
            Some(end) => {
                let bytes = self.text.get(start..end).unwrap_or_default();
                start = end;
                (Some(bytes), line)
            }
            None => (None, line),
        })
    }

    /// Decodes every line.
    fn decode(mut self, limits: &Limits) -> Batch {
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.extend(self.line_bytes().map(|(bytes, line)| {
            let Some(bytes) = bytes else {
                return Err(LogLine::Invalid(None, limits.line_too_long(line.length).into()));
            };
            let text = event_text(bytes, limits)?;
            Event::from_json(text).map_err(|rejection| LogLine::Invalid(engagement_of(text), rejection))
        }));
        self.decoded = decoded;
        self
    }

    /// The batch emptied, its buffers kept for the next one (allocating and freeing a
    /// megabyte per batch costs more than it seems).
    fn emptied(mut self) -> Batch {
        self.text.clear();
        self.lines.clear();
        self.decoded.clear();
        self.error = None;
        self
    }

    /// Hands the batch's lines to `visit` in order; `false` when it asked to stop or the
    /// log ended with a read error.
    fn visit(&self, visit: &mut impl FnMut(LogLine<'_>, u64) -> bool) -> bool {
        for ((bytes, line), decoded) in self.line_bytes().zip(&self.decoded) {
            let visited = match decoded {
                Ok(event) => {
                    // A decoded line was kept whole and is UTF-8.
                    let text = bytes.and_then(|bytes| std::str::from_utf8(bytes).ok()).unwrap_or_default();
                    visit(LogLine::Event(event, text.trim_end_matches(['\n', '\r'])), line.bytes_after)
                }
                Err(other) => visit(other.clone(), line.bytes_after),
            };
            if !visited {
                return false;
            }
        }
        match &self.error {
            Some(error) => {
                visit(LogLine::ReadFailed(error), self.bytes_read);
                false
            }
            None => true,
        }
    }
}

/// Reads every line into `replayer`, calling `progress` each time at least `every_bytes`
/// more were read, and once at the end.
fn read_into(replayer: &mut LogReplayer, reader: impl BufRead, every_bytes: u64, mut progress: impl FnMut(u64)) {
    let limits = replayer.limits;
    let size = every_bytes.clamp(1, BATCH_BYTES);
    let (mut reported, mut bytes_read) = (0_u64, 0_u64);
    read_batches(reader, &limits, size, |batch| {
        bytes_read = batch.bytes_read;
        let going_on = batch.visit(&mut |line, _| {
            replayer.push(line);
            true
        });
        if bytes_read - reported >= every_bytes {
            progress(bytes_read);
            reported = bytes_read;
        }
        going_on
    });
    progress(bytes_read);
}

/// Reads the log in batches of about `size` bytes, decoding them on other threads when
/// there are cores to spare, and hands them to `visit` in the order they were read until it
/// returns `false`.
fn read_batches(mut reader: impl BufRead, limits: &Limits, size: u64, mut visit: impl FnMut(&Batch) -> bool) {
    let cap = limits.max_line_bytes;
    match decoding_threads() {
        #[cfg(feature = "threads")]
        decoders @ 1.. => read_in_parallel(&mut reader, limits, size, decoders, &mut visit),
        _ => {
            let (mut read, mut spare) = (0, Batch::default());
            while let Some(batch) = Batch::read(spare, &mut reader, cap, read, size) {
                read = batch.bytes_read;
                let batch = batch.decode(limits);
                if !visit(&batch) {
                    break;
                }
                spare = batch.emptied();
            }
        }
    }
}

/// How many threads decode lines besides the one applying them (0: decode in line).
fn decoding_threads() -> usize {
    #[cfg(feature = "threads")]
    {
        std::thread::available_parallelism().map_or(0, |cores| cores.get().saturating_sub(1).min(7))
    }
    #[cfg(not(feature = "threads"))]
    {
        0
    }
}

/// Hands batches round-robin to `decoders` threads and visits the decoded batches in the
/// order they were read: the same result as reading line by line.
#[cfg(feature = "threads")]
fn read_in_parallel(
    reader: &mut impl BufRead,
    limits: &Limits,
    size: u64,
    decoders: usize,
    visit: &mut impl FnMut(&Batch) -> bool,
) {
    use std::collections::VecDeque;
    use std::sync::mpsc::channel;
    use std::sync::Mutex;
    /// Batches in flight per decoding thread: enough to keep it busy, few enough to bound memory.
    const DEPTH: usize = 2;
    /// What a decoding thread is asked to do with a batch.
    enum Job {
        /// Decode it and send it back.
        Decode(Batch),
        /// Empty it (its events were made on that thread, and are cheaper to free there)
        /// and put it with the spares.
        Empty(Batch),
    }
    let cap = limits.max_line_bytes;
    let spares: Mutex<Vec<Batch>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        let mut workers = Vec::with_capacity(decoders);
        for _ in 0..decoders {
            let (to_worker, inbox) = channel::<Job>();
            let (outbox, from_worker) = channel::<Batch>();
            let spares = &spares;
            scope.spawn(move || {
                for job in inbox {
                    match job {
                        Job::Decode(batch) => {
                            if outbox.send(batch.decode(limits)).is_err() {
                                break;
                            }
                        }
                        Job::Empty(batch) => {
                            let batch = batch.emptied();
                            if let Ok(mut spares) = spares.lock() {
                                spares.push(batch);
                            }
                        }
                    }
                }
            });
            workers.push((to_worker, from_worker));
        }
        // Which worker holds each batch in flight, oldest first.
        let mut in_flight: VecDeque<usize> = VecDeque::new();
        let (mut next_worker, mut read, mut at_end) = (0, 0, false);
        loop {
            while !at_end && in_flight.len() < DEPTH * decoders {
                let spare = spares.lock().ok().and_then(|mut spares| spares.pop()).unwrap_or_default();
                match Batch::read(spare, reader, cap, read, size) {
                    None => at_end = true,
                    Some(batch) => {
                        read = batch.bytes_read;
                        at_end = batch.error.is_some();
                        let Some((to_worker, _)) = workers.get(next_worker) else { return };
                        if to_worker.send(Job::Decode(batch)).is_err() {
                            return;
                        }
                        in_flight.push_back(next_worker);
                        next_worker = (next_worker + 1) % decoders;
                    }
                }
            }
            let Some(worker) = in_flight.pop_front() else { break };
            let Some((to_worker, from_worker)) = workers.get(worker) else { break };
            let Ok(batch) = from_worker.recv() else { break };
            if !visit(&batch) {
                break;
            }
            if to_worker.send(Job::Empty(batch)).is_err() {
                break;
            }
        }
        // Dropping the senders ends the workers.
        workers.clear();
    });
}

/// What [`read_line_capped`] read.
struct LineRead {
    /// The line's length without its line break, even when only part of it was kept.
    length: usize,
    /// Bytes taken from the reader, the line break included.
    consumed: u64,
}

/// Reads one line onto the end of `buffer` (without its `\n`), keeping at most `cap + 1`
/// bytes of it. `None` at the end of the input.
fn read_line_capped(reader: &mut impl BufRead, buffer: &mut Vec<u8>, cap: usize) -> io::Result<Option<LineRead>> {
    let start = buffer.len();
    let keep = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let read = reader.by_ref().take(keep).read_until(b'\n', buffer)?;
    if read == 0 {
        return Ok(None);
    }
    if buffer.last() == Some(&b'\n') {
        buffer.pop();
        return Ok(Some(LineRead { length: buffer.len() - start, consumed: read as u64 }));
    }
    let mut result = LineRead { length: buffer.len() - start, consumed: read as u64 };
    if result.length <= cap {
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
    fn engagement_ids_around_the_inline_key_length_stay_apart() {
        // Ids around the length an `Id` holds in place that differ only in their last byte,
        // some ending in a multi-byte character, some a prefix of others: kept in the table
        // or on the heap, each finds its own engagement.
        let stem = "x".repeat(Id::INLINE - 2);
        let ids: Vec<String> =
            ["", "a", "b", "ab", "ac", "abc", "abd", "é", "éa"].iter().map(|extra| format!("{stem}{extra}")).collect();
        let opened = |id: &str| {
            format!(
                r#"{{"engagement":"{id}","at":"2026-01-05T09:00:00Z","actor":"c","type":"engagement_opened","coachee":"c","supervisor":"s"}}"#
            )
        };
        let oriented = |id: &str| {
            format!(r#"{{"engagement":"{id}","at":"2026-01-05T10:00:00Z","actor":"c","type":"orientation_completed"}}"#)
        };
        let mut reader = LogReplayer::new();
        for id in &ids {
            reader.push_line(&opened(id));
        }
        for id in ids.iter().rev() {
            reader.push_line(&oriented(id));
        }
        let replay = reader.finish();
        assert_eq!(replay.problems, []);
        let loaded: Vec<(&str, usize)> = replay.engagements.iter().map(|e| (e.id(), e.log().len())).collect();
        let expected: Vec<(&str, usize)> = ids.iter().map(|id| (id.as_str(), 2)).collect();
        assert_eq!(loaded, expected);
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

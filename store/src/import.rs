//! Importing a JSON Lines log into a store: every line checked as `Store::append` checks
//! it, stored in batches, each batch committed together with how far the import got, so
//! that an import stopped by a crash goes on where its last batch ended.
//!
//! Three kinds of work overlap: other threads decode lines (`coachflow::log::decode_log`),
//! the calling thread checks them against their engagements in line order, one more
//! thread writes the batches already checked while the next one is being checked, and on
//! SQLite another copies the WAL back into the database file meanwhile.

use crate::transaction::{self, key_of, EngagementRow, HashMap, NewEvent};
use crate::{Backend, Store, StoreCode, StoreError};
use coachflow::log::{decode_log, LogLine};
use coachflow::{Engagement, Event, Finding, Limits};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::Path;
use std::sync::{mpsc, Arc};

/// Lines stored by the first transaction; each next one stores twice as many, up to
/// [`BATCH_LINES`]. Every transaction rewrites most pages of the `(engagement, seq)` index
/// (imported engagements are interleaved), so large batches cost less per line; small first
/// ones let the writer start early.
const FIRST_BATCH_LINES: usize = 25_000;
/// Lines stored per transaction at most.
const BATCH_LINES: usize = 200_000;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportReport {
    /// The line the import started at (1 for a new import; later when it went on after a
    /// crash).
    pub started_at_line: u64,
    /// The lines of the file, all of them, once the import is done.
    pub lines: u64,
    /// Events stored by this run.
    pub events_stored: u64,
    /// Lines that were not stored, with their line numbers and every violated rule.
    pub problems: Vec<(u64, Vec<Finding>)>,
}

/// One accepted line waiting for its batch to be stored.
struct Pending {
    /// Its engagement: an index into the batch's `keys`.
    engagement: usize,
    seq: u64,
    /// Where its canonical line ends in the batch's `lines`.
    end: usize,
}

/// The accepted lines of a batch, their canonical texts back to back in one buffer (one
/// allocation per batch instead of one per line).
#[derive(Default)]
struct Accepted {
    lines: Vec<u8>,
    events: Vec<Pending>,
    /// The keys ([`key_of`]) of the engagements the lines belong to.
    keys: Vec<Arc<str>>,
}

/// A batch checked and ready to be written, with how far the import will have got.
struct Batch {
    accepted: Accepted,
    engagements: Vec<EngagementRow>,
    /// At the end of the import: what every engagement it touched owes (key, events, JSON).
    obligations: Vec<(String, u64, String)>,
    bytes: u64,
    lines: u64,
}

/// The checking side of an import: the engagements as the lines so far left them.
struct Checker<'a> {
    store: &'a Store,
    /// The engagements the store held when the import began: the only ones to load.
    stored_before: HashSet<String>,
    engagements: HashMap<String, Touched>,
    /// The accepted lines not yet handed to the writer, and the engagements they add to.
    accepted: Accepted,
    in_batch: Vec<String>,
    /// Lines the batch being built takes.
    batch_lines: usize,
}

/// An engagement the import adds to.
struct Touched {
    engagement: Engagement,
    key: Arc<str>,
    /// When it has events in the batch being built: its events before that batch, and its
    /// index in the batch's `keys`.
    in_batch: Option<(u64, usize)>,
}

impl Store {
    /// Imports a JSON Lines log (interleaved engagements, as `coachflow generate` or an
    /// export writes them). Each line is checked against its engagement as stored plus the
    /// lines before it; a line that breaks a rule is reported and not stored. `progress` is
    /// called with the bytes done and the file's size after each stored batch.
    ///
    /// Running it again on the same file after a crash goes on after the last stored batch
    /// and stores nothing twice; running it again on a finished import stores nothing.
    pub fn import_jsonl(&self, path: &Path, mut progress: impl FnMut(u64, u64)) -> Result<ImportReport, StoreError> {
        let source = std::fs::canonicalize(path).map_err(|error| StoreError::file(path, error))?;
        let source = source.to_string_lossy().into_owned();
        let mut file = File::open(path).map_err(|error| StoreError::file(path, error))?;
        let size = file.metadata().map_err(|error| StoreError::file(path, error))?.len();
        let (start_bytes, start_lines) = self.transaction(false, |transaction| transaction.import_progress(&source))?;
        file.seek(SeekFrom::Start(start_bytes)).map_err(|error| StoreError::file(path, error))?;
        let reader = BufReader::with_capacity(1 << 20, file);
        let stored_before = self.engagements(None)?.into_iter().map(|summary| summary.id).collect();
        let mut checker = Checker {
            store: self,
            stored_before,
            engagements: HashMap::default(),
            accepted: Accepted::default(),
            in_batch: Vec::new(),
            batch_lines: FIRST_BATCH_LINES,
        };
        let mut report = ImportReport { started_at_line: start_lines + 1, ..ImportReport::default() };
        let (mut lines, mut bytes) = (start_lines, start_bytes);
        let mut failure: Option<StoreError> = None;

        let run = || {
            std::thread::scope(|scope| {
                // One batch waits while the next is checked; the writer answers with each
                // batch's end or the error that stopped it.
                let (to_writer, batches) = mpsc::sync_channel::<Batch>(1);
                let (answer, answers) = mpsc::channel::<Result<(u64, u64), StoreError>>();
                let source = source.as_str();
                scope.spawn(move || {
                    for batch in batches {
                        let stored = batch.accepted.events.len() as u64;
                        let written = self.write_batch(&batch, source).map(|()| (batch.bytes, stored));
                        let failed = written.is_err();
                        if answer.send(written).is_err() || failed {
                            break;
                        }
                    }
                });
                // What the writer said so far, or (`wait`) everything it will say, each batch
                // reported as soon as it is heard of.
                let mut heard = |wait: bool, report: &mut ImportReport, failure: &mut Option<StoreError>| {
                    let mut take = |written: Result<(u64, u64), StoreError>| match written {
                        Ok((done, stored)) => {
                            report.events_stored += stored;
                            progress(done, size);
                        }
                        Err(error) => *failure = failure.take().or(Some(error)),
                    };
                    match wait {
                        true => answers.iter().for_each(&mut take),
                        false => answers.try_iter().for_each(&mut take),
                    }
                };
                decode_log(reader, &Limits::DEFAULT, |line, after| {
                    lines += 1;
                    bytes = start_bytes + after;
                    let checked = match line {
                        LogLine::Blank => Ok(()),
                        LogLine::Event(event, _) => checker.check(event).map(|outcome| {
                            if let Err(findings) = outcome {
                                report.problems.push((lines, findings));
                            }
                        }),
                        LogLine::Invalid(_, rejection) => {
                            report.problems.push((lines, rejection.violations));
                            Ok(())
                        }
                        LogLine::ReadFailed(error) => {
                            Err(StoreError::file(path, std::io::Error::new(error.kind(), error.to_string())))
                        }
                        _ => Ok(()),
                    };
                    if let Err(error) = checked {
                        failure = Some(error);
                        return false;
                    }
                    if checker.accepted.events.len() >= checker.batch_lines
                        && to_writer.send(checker.batch(false, bytes, lines)).is_err()
                    {
                        return false;
                    }
                    heard(false, &mut report, &mut failure);
                    failure.is_none()
                });
                // The last batch also records that the import reached the end, and what every
                // engagement it touched owes.
                if failure.is_none() {
                    // A send fails only when the writer stopped, and then it said why.
                    let _ = to_writer.send(checker.batch(true, bytes, lines));
                }
                drop(to_writer);
                heard(true, &mut report, &mut failure);
            })
        };
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.checkpointing_alongside(run),
            #[cfg(feature = "postgres")]
            Backend::Postgres(_) => run(),
        }
        match failure {
            Some(error) => Err(error),
            None => {
                report.lines = lines;
                Ok(report)
            }
        }
    }

    /// Stores a batch and the import's progress in one transaction.
    fn write_batch(&self, batch: &Batch, source: &str) -> Result<(), StoreError> {
        self.transaction(true, |transaction| {
            if !batch.accepted.events.is_empty() {
                let rows = batch.accepted.rows()?;
                if transaction.insert(&rows, &batch.engagements)?.is_none() {
                    return Err(StoreError::new(
                        StoreCode::ConcurrentUpdate,
                        "another writer stored events of an engagement this import was adding to; run the import again",
                    ));
                }
            }
            transaction.set_obligations(&batch.obligations)?;
            transaction.set_import_progress(source, batch.bytes, batch.lines)
        })
    }
}

impl Checker<'_> {
    /// Checks one event against its engagement (loaded from the store the first time it is
    /// seen, when the store had it) and applies it there. The outer error is the store's;
    /// the inner one, the line's violations.
    fn check(&mut self, event: &Event) -> Result<Result<(), Vec<Finding>>, StoreError> {
        let touched = match self.engagements.get_mut(&event.engagement) {
            Some(touched) => touched,
            None => {
                let stored = match self.stored_before.contains(&event.engagement) {
                    true => self
                        .store
                        .transaction(false, |transaction| transaction::load(transaction, &event.engagement, None))?,
                    false => None,
                };
                // The events' texts go to the database, not into memory.
                let engagement = stored.unwrap_or_else(|| Engagement::new(event.engagement.clone())).counting_only();
                let key = key_of(&event.engagement).into();
                let touched = Touched { engagement, key, in_batch: None };
                self.engagements.entry(event.engagement.clone()).or_insert(touched)
            }
        };
        let before = touched.engagement.log().len() as u64;
        // Stored as its canonical line, with the `seq` it gets (or has: a different one is
        // rejected).
        let mut owned = event.clone();
        owned.seq.get_or_insert(before + 1);
        let accepted = &mut self.accepted;
        let start = accepted.lines.len();
        owned.write_json(&mut accepted.lines);
        match touched.engagement.apply(owned) {
            Ok(applied) => {
                let (_, index) = *touched.in_batch.get_or_insert_with(|| {
                    self.in_batch.push(event.engagement.clone());
                    accepted.keys.push(Arc::clone(&touched.key));
                    (before, accepted.keys.len() - 1)
                });
                accepted.events.push(Pending { engagement: index, seq: applied.seq, end: accepted.lines.len() });
                Ok(Ok(()))
            }
            Err(rejection) => {
                accepted.lines.truncate(start);
                Ok(Err(rejection.violations))
            }
        }
    }

    /// The pending lines as a batch, with the rows of the engagements they add to (as they
    /// are now, after them); the `last` one also carries every touched engagement's
    /// obligations.
    fn batch(&mut self, last: bool, bytes: u64, lines: u64) -> Batch {
        let every = self.store.snapshot_every;
        let engagements = std::mem::take(&mut self.in_batch)
            .into_iter()
            .filter_map(|id| {
                let touched = self.engagements.get_mut(&id)?;
                let (before, _) = touched.in_batch.take()?;
                Some(EngagementRow::of(&touched.engagement, &touched.key, before, every))
            })
            .collect();
        let obligations = match last {
            true => self
                .engagements
                .values()
                .filter(|touched| touched.engagement.is_opened())
                .map(|touched| {
                    let engagement = &touched.engagement;
                    (touched.key.to_string(), engagement.log().len() as u64, transaction::obligations_of(engagement))
                })
                .collect(),
            false => Vec::new(),
        };
        let accepted = std::mem::take(&mut self.accepted);
        self.batch_lines = (self.batch_lines * 2).min(BATCH_LINES);
        Batch { accepted, engagements, obligations, bytes, lines }
    }
}

impl Accepted {
    /// The lines as the store inserts them.
    fn rows(&self) -> Result<Vec<NewEvent<'_>>, StoreError> {
        let mut start = 0;
        self.events
            .iter()
            .map(|pending| {
                let line = self.lines.get(start..pending.end).and_then(|bytes| std::str::from_utf8(bytes).ok());
                let engagement = self.keys.get(pending.engagement);
                start = pending.end;
                match (line, engagement) {
                    (Some(event), Some(engagement)) => Ok(NewEvent { engagement, seq: pending.seq, event }),
                    // `check` writes whole lines of JSON and the key of each line's engagement.
                    _ => Err(StoreError::new(StoreCode::StoreUnavailable, "an imported line was lost on its way")),
                }
            })
            .collect()
    }
}

//! Importing a JSON Lines log into a store: every line checked as `Store::append` checks
//! it, stored in batches, each batch committed together with how far the import got, so
//! that an import stopped by a crash goes on where its last batch ended.

use crate::transaction::{self, key_of, EngagementRow, NewEvent};
use crate::{Store, StoreCode, StoreError};
use coachflow::{Engagement, Event, Finding};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

/// Lines stored per transaction.
const BATCH_LINES: usize = 50_000;

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
    /// The engagement's id.
    engagement: String,
    /// Its key ([`key_of`]).
    key: String,
    seq: u64,
    event: String,
}

impl Store {
    /// Imports a JSON Lines log (interleaved engagements, as `coachflow generate` or an
    /// export writes them). Each line is checked against its engagement as stored plus the
    /// lines before it; a line that breaks a rule is reported and not stored. `progress` is
    /// called with the bytes done and the file's size after each batch.
    ///
    /// Running it again on the same file after a crash goes on after the last stored batch
    /// and stores nothing twice; running it again on a finished import stores nothing.
    pub fn import_jsonl(&self, path: &Path, mut progress: impl FnMut(u64, u64)) -> Result<ImportReport, StoreError> {
        let source = std::fs::canonicalize(path).map_err(|error| StoreError::file(path, error))?;
        let source = source.to_string_lossy().into_owned();
        let mut file = File::open(path).map_err(|error| StoreError::file(path, error))?;
        let size = file.metadata().map_err(|error| StoreError::file(path, error))?.len();
        let (mut bytes, mut lines) = self.transaction(false, |transaction| transaction.import_progress(&source))?;
        file.seek(SeekFrom::Start(bytes)).map_err(|error| StoreError::file(path, error))?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut report = ImportReport { started_at_line: lines + 1, ..ImportReport::default() };
        let mut engagements: HashMap<String, Engagement> = HashMap::new();
        let mut pending: Vec<Pending> = Vec::with_capacity(BATCH_LINES);
        let mut line = String::new();
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(|error| StoreError::file(path, error))?;
            if read > 0 {
                bytes += read as u64;
                lines += 1;
                let text = line.trim_end_matches(['\n', '\r']);
                if !text.trim().is_empty() {
                    match self.check_line(text, &mut engagements)? {
                        Ok(accepted) => pending.push(accepted),
                        Err(findings) => report.problems.push((lines, findings)),
                    }
                }
            }
            if read == 0 || pending.len() >= BATCH_LINES {
                self.store_batch(&pending, &engagements, read == 0, &source, bytes, lines)?;
                report.events_stored += pending.len() as u64;
                pending.clear();
                progress(bytes, size);
            }
            if read == 0 {
                report.lines = lines;
                return Ok(report);
            }
        }
    }

    /// Checks one line against its engagement (loaded from the store the first time it is
    /// seen) and applies it there.
    /// The outer error is the store's; the inner one, the line's violations.
    fn check_line(
        &self,
        text: &str,
        engagements: &mut HashMap<String, Engagement>,
    ) -> Result<Result<Pending, Vec<Finding>>, StoreError> {
        let event = match Event::from_json(text) {
            Ok(event) => event,
            Err(rejection) => return Ok(Err(rejection.violations)),
        };
        if !engagements.contains_key(&event.engagement) {
            let stored = self
                .transaction(false, |transaction| transaction::load(transaction, &event.engagement, None))?
                .unwrap_or_else(|| Engagement::new(event.engagement.clone()));
            engagements.insert(event.engagement.clone(), stored);
        }
        let Some(engagement) = engagements.get_mut(&event.engagement) else {
            return Err(StoreError::new(StoreCode::StoreUnavailable, "the engagement was not loaded"));
        };
        let key = key_of(&event.engagement);
        let id = event.engagement.clone();
        Ok(match engagement.apply(event) {
            Ok(applied) => {
                // An event applied as a value is kept as its canonical line, `seq` included.
                let line = engagement.log().text(engagement.log().len() - 1).unwrap_or_default().to_owned();
                Ok(Pending { engagement: id, key, seq: applied.seq, event: line })
            }
            Err(rejection) => Err(rejection.violations),
        })
    }

    /// Stores a batch and the import's progress in one transaction, with the rows of the
    /// engagements it adds to (`engagements` holds them as they are after the batch). What
    /// their participants owe is written once, with the `last` batch: until then `due`
    /// works it out from the events.
    fn store_batch(
        &self,
        batch: &[Pending],
        engagements: &HashMap<String, Engagement>,
        last: bool,
        source: &str,
        bytes: u64,
        lines: u64,
    ) -> Result<(), StoreError> {
        // Each engagement's events before the batch: its first `seq` in the batch, less one.
        let mut before: Vec<(&str, u64)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for pending in batch {
            if seen.insert(pending.engagement.as_str()) {
                before.push((&pending.engagement, pending.seq - 1));
            }
        }
        let summaries: Vec<EngagementRow> = before
            .iter()
            .filter_map(|(id, before)| {
                engagements.get(*id).map(|engagement| EngagementRow::of(engagement, *before, self.snapshot_every))
            })
            .collect();
        self.transaction(true, |transaction| {
            if !batch.is_empty() {
                let rows: Vec<NewEvent<'_>> = batch
                    .iter()
                    .map(|pending| NewEvent { engagement: &pending.key, seq: pending.seq, event: &pending.event })
                    .collect();
                if transaction.insert(&rows, &summaries)?.is_none() {
                    return Err(StoreError::new(
                        StoreCode::ConcurrentUpdate,
                        "another writer stored events of an engagement this import was adding to; run the import again",
                    ));
                }
            }
            if last {
                let owed: Vec<(String, u64, String)> = engagements
                    .values()
                    .filter(|engagement| engagement.is_opened())
                    .map(|engagement| {
                        (
                            key_of(engagement.id()),
                            engagement.log().len() as u64,
                            transaction::obligations_of(engagement),
                        )
                    })
                    .collect();
                transaction.set_obligations(&owed)?;
            }
            transaction.set_import_progress(source, bytes, lines)
        })
    }
}

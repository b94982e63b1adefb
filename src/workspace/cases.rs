//! Dispute and reactivation cases (docs/rules.md §8.3, §5, §11): every saved letter opens a
//! case; its status moves from draft to sent to an outcome; overturned events stop counting.

use super::{Workspace, WorkspaceError, day_from_sql, day_to_sql};
use crate::import::time::Day;
use crate::letters::LetterKind;
use crate::standing::{CaseMarks, EventRef, EventSide};
use rusqlite::params;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Draft,
    Sent,
    /// Sent and followed up (SPEC §4.4): still waiting for an answer.
    FollowUp,
    Overturned,
    PartlyOverturned,
    Denied,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 7] = [
        CaseStatus::Draft,
        CaseStatus::Sent,
        CaseStatus::FollowUp,
        CaseStatus::Overturned,
        CaseStatus::PartlyOverturned,
        CaseStatus::Denied,
        CaseStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Sent => "sent",
            CaseStatus::FollowUp => "follow_up",
            CaseStatus::Overturned => "overturned",
            CaseStatus::PartlyOverturned => "partly_overturned",
            CaseStatus::Denied => "denied",
            CaseStatus::Withdrawn => "withdrawn",
        }
    }

    /// For people: "partly overturned".
    pub fn words(self) -> &'static str {
        match self {
            CaseStatus::PartlyOverturned => "partly overturned",
            CaseStatus::FollowUp => "followed up",
            other => other.as_str(),
        }
    }

    /// Accepts the names above with spaces or dashes for underscores, any case.
    pub fn parse(text: &str) -> Option<CaseStatus> {
        let norm = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        CaseStatus::ALL.into_iter().find(|s| s.as_str() == norm)
    }

    /// The support desk answered (or the manager gave up): no follow-up is due.
    pub fn is_outcome(self) -> bool {
        !matches!(self, CaseStatus::Draft | CaseStatus::Sent | CaseStatus::FollowUp)
    }

    /// Sent (and perhaps followed up), waiting for an answer.
    pub fn is_waiting(self) -> bool {
        matches!(self, CaseStatus::Sent | CaseStatus::FollowUp)
    }
}

/// One event of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub event: EventRef,
    pub overturned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: i64,
    pub driver_id: String,
    pub kind: LetterKind,
    /// The saved `.eml`, when there is one.
    pub file: Option<String>,
    pub created_on: Day,
    pub status: CaseStatus,
    pub sent_on: Option<Day>,
    pub outcome_on: Option<Day>,
    pub note: String,
    pub events: Vec<CaseEvent>,
    /// The days follow-ups were sent (SPEC §4.4), oldest first.
    pub follow_ups: Vec<Day>,
    /// The `Message-ID` of the saved letter, which its follow-ups reply to.
    pub message_id: Option<String>,
}

/// What a case waiting for an answer is due (SPEC §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpDue {
    /// Follow-up number `n` (1 for the first).
    Letter(u32),
    /// Every follow-up is sent: another channel (the station, the DSP portal).
    Escalation,
}

impl Case {
    /// The day of the last letter of the case: its last follow-up, else the day it was sent.
    pub fn last_contact(&self) -> Option<Day> {
        self.follow_ups.last().copied().or(self.sent_on)
    }

    /// What the case is due on `day`: nothing until `follow_up_days` have passed since its
    /// last letter without an outcome; then the next follow-up, or, after
    /// `follow_ups_max` of them, an escalation.
    pub fn follow_up_due(&self, day: Day, w: &crate::config::Windows) -> Option<FollowUpDue> {
        let last = self.last_contact()?;
        if !self.status.is_waiting() || !crate::standing::needs_follow_up(&[(last, None)], day, w.follow_up_days) {
            return None;
        }
        let sent = self.follow_ups.len() as u32;
        Some(if sent < w.follow_ups_max { FollowUpDue::Letter(sent + 1) } else { FollowUpDue::Escalation })
    }

    /// FOLLOW_UP on `day`: a follow-up or an escalation is due.
    pub fn needs_follow_up(&self, day: Day, w: &crate::config::Windows) -> bool {
        self.follow_up_due(day, w).is_some()
    }

    /// The day a follow-up (or escalation) is due: `follow_up_days` after the last letter,
    /// for a case waiting for an answer.
    pub fn follow_up_on(&self, w: &crate::config::Windows) -> Option<Day> {
        let last = self.last_contact().filter(|_| self.status.is_waiting())?;
        Some(crate::standing::follow_up_due_on(last, w.follow_up_days))
    }
}

/// The cases waiting for an answer that are due a follow-up or an escalation on `day`,
/// the longest waiting first.
pub fn follow_ups_due<'a>(cases: &'a [Case], day: Day, w: &crate::config::Windows) -> Vec<(&'a Case, FollowUpDue)> {
    let mut due: Vec<(&Case, FollowUpDue)> = cases.iter().filter_map(|c| Some((c, c.follow_up_due(day, w)?))).collect();
    due.sort_by_key(|(c, _)| (c.last_contact(), c.id));
    due
}

impl Case {
    /// Writes follow-up `number` of the case's letter into `folder`, threaded under it
    /// (SPEC §4.4); returns its path. `driver_name` is written in the manager's voice.
    pub fn write_follow_up(
        &self,
        number: u32,
        driver_name: &str,
        w: &crate::config::Windows,
        folder: &std::path::Path,
        date_unix: i64,
    ) -> Result<std::path::PathBuf, crate::letters::LetterError> {
        use crate::letters::{LetterError, followup};
        let file = self.file.as_deref().ok_or(LetterError::NoLetter(self.id))?;
        let letter = std::path::Path::new(file);
        let mut original = followup::Original::read(letter)?;
        if original.message_id.is_none() {
            original.message_id = self.message_id.clone();
        }
        let thread = followup::Thread {
            kind: self.kind,
            driver_id: &self.driver_id,
            driver_name,
            first_sent: self.sent_on.unwrap_or(self.created_on),
            events: self.events.len(),
            number,
            max: w.follow_ups_max,
        };
        let drafted = followup::draft(original, &thread);
        let bytes = followup::to_eml(&drafted, date_unix).map_err(LetterError::Email)?;
        let name =
            letter.file_name().map_or_else(|| format!("case-{}.eml", self.id), |n| n.to_string_lossy().into_owned());
        let path = folder.join(followup::file_name(&name, number));
        crate::fsutil::write_atomic(&path, &bytes)
            .map_err(|source| LetterError::Write { path: path.display().to_string(), source })?;
        Ok(path)
    }
}

/// A case to record when a letter is saved.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub driver_id: String,
    pub kind: LetterKind,
    pub file: Option<String>,
    pub created_on: Day,
    pub events: Vec<EventRef>,
    /// The ground each event is filed under in the letter (parallel to `events`; empty
    /// when not known), for the overturn rate per ground.
    pub grounds: Vec<&'static str>,
}

impl NewCase {
    /// The cases of the dispute letters a batch wrote into `folder`.
    pub fn for_batch(batch: &crate::letters::Batch, folder: &std::path::Path, created_on: Day) -> Vec<NewCase> {
        batch
            .written
            .iter()
            .map(|(driver, file, events, grounds)| NewCase {
                driver_id: driver.clone(),
                kind: LetterKind::Dispute,
                file: Some(absolute_text(&folder.join(file))),
                created_on,
                events: events.clone(),
                grounds: grounds.clone(),
            })
            .collect()
    }
}

/// A saved letter's path as the case records it: absolute, so it opens from anywhere.
pub fn absolute_text(path: &std::path::Path) -> String {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// A status change: `overturned` names the overturned events (default: all of the case's
/// events for `overturned`; required for `partly_overturned`).
#[derive(Debug, Clone)]
pub struct CaseUpdate {
    pub status: CaseStatus,
    pub overturned: Option<Vec<String>>,
    pub on: Day,
    pub note: Option<String>,
}

impl Workspace {
    /// Records a case with status draft; returns its id.
    pub fn add_case(&mut self, case: &NewCase) -> Result<i64, WorkspaceError> {
        let _lock = self.write_lock()?;
        let err = self.db_err();
        let tx = self.db.transaction().map_err(&err)?;
        let id = insert_case(&tx, case).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(id)
    }

    /// Records several cases in one transaction (a batch of letters); returns their ids.
    pub fn add_cases(&mut self, cases: &[NewCase]) -> Result<Vec<i64>, WorkspaceError> {
        let _lock = self.write_lock()?;
        let err = self.db_err();
        let tx = self.db.transaction().map_err(&err)?;
        let ids = cases.iter().map(|c| insert_case(&tx, c)).collect::<Result<Vec<_>, _>>().map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(ids)
    }

    /// Every case, newest first.
    pub fn cases(&self) -> Result<Vec<Case>, WorkspaceError> {
        let err = self.db_err();
        let mut stmt = self
            .db
            .prepare(
                "SELECT id, driver_id, kind, file, created_on, status, sent_on, outcome_on, note, message_id \
                 FROM cases ORDER BY id DESC",
            )
            .map_err(&err)?;
        let mut cases: Vec<Case> = stmt
            .query_map([], |r| {
                let kind: String = r.get(2)?;
                let status: String = r.get(5)?;
                let day = |i: usize| -> rusqlite::Result<Option<Day>> {
                    Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(day_from_sql))
                };
                Ok(Case {
                    id: r.get(0)?,
                    driver_id: r.get(1)?,
                    kind: if kind == "reactivation" { LetterKind::Reactivation } else { LetterKind::Dispute },
                    file: r.get(3)?,
                    created_on: day(4)?.unwrap_or_default(),
                    status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Draft),
                    sent_on: day(6)?,
                    outcome_on: day(7)?,
                    note: r.get(8)?,
                    events: Vec::new(),
                    follow_ups: Vec::new(),
                    message_id: r.get(9)?,
                })
            })
            .map_err(&err)?
            .collect::<Result<_, _>>()
            .map_err(&err)?;
        let mut events = self
            .db
            .prepare("SELECT side, event_id, overturned FROM case_events WHERE case_id = ?1 ORDER BY rowid")
            .map_err(&err)?;
        let mut follow_ups = self
            .db
            .prepare("SELECT on_day FROM case_log WHERE case_id = ?1 AND status = 'follow_up' ORDER BY on_day, rowid")
            .map_err(&err)?;
        for case in &mut cases {
            case.follow_ups = follow_ups
                .query_map([case.id], |r| r.get::<_, String>(0))
                .map_err(&err)?
                .filter_map(|day| day.ok().as_deref().and_then(day_from_sql))
                .collect();
            case.events = events
                .query_map([case.id], |r| {
                    let side: String = r.get(0)?;
                    Ok(CaseEvent {
                        event: EventRef { side: EventSide::parse(&side).unwrap_or(EventSide::Package), id: r.get(1)? },
                        overturned: r.get(2)?,
                    })
                })
                .map_err(&err)?
                .collect::<Result<_, _>>()
                .map_err(&err)?;
        }
        Ok(cases)
    }

    pub fn case(&self, id: i64) -> Result<Case, WorkspaceError> {
        self.cases()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| WorkspaceError::Invalid(format!("no case {id} in this workspace")))
    }

    /// Changes a case's status; an overturn marks its events so that they stop counting.
    pub fn set_case(&mut self, id: i64, update: &CaseUpdate) -> Result<Case, WorkspaceError> {
        let _lock = self.write_lock()?;
        let case = self.case(id)?;
        let ids: HashSet<&str> = case.events.iter().map(|e| e.event.id.as_str()).collect();
        let overturned: HashSet<String> = match (update.status, &update.overturned) {
            (CaseStatus::Overturned | CaseStatus::PartlyOverturned, Some(named)) => {
                if let Some(unknown) = named.iter().find(|n| !ids.contains(n.as_str())) {
                    return Err(WorkspaceError::Invalid(format!(
                        "case {id} has no event '{unknown}' (its events: {})",
                        case.events.iter().map(|e| e.event.id.as_str()).collect::<Vec<_>>().join(", ")
                    )));
                }
                named.iter().cloned().collect()
            }
            (CaseStatus::Overturned, None) => ids.iter().map(|s| s.to_string()).collect(),
            (CaseStatus::PartlyOverturned, None) => {
                return Err(WorkspaceError::Invalid(format!(
                    "partly_overturned: name the overturned events with --events (case {id} has: {})",
                    case.events.iter().map(|e| e.event.id.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
            (_, Some(_)) => {
                return Err(WorkspaceError::Invalid(
                    "--events names overturned events: use it with overturned or partly_overturned".into(),
                ));
            }
            (_, None) => HashSet::new(),
        };
        let day = day_to_sql(update.on);
        let (sent_on, outcome_on) = match update.status {
            CaseStatus::Draft => (None, None),
            CaseStatus::Sent => (Some(day.clone()), None),
            // A follow-up of a case never marked sent: the first letter went that day too.
            CaseStatus::FollowUp => (Some(case.sent_on.map_or_else(|| day.clone(), day_to_sql)), None),
            _ => (case.sent_on.map(day_to_sql), Some(day.clone())),
        };
        if update.status == CaseStatus::FollowUp && case.status.is_outcome() {
            return Err(WorkspaceError::Invalid(format!(
                "case {id} is {}: a follow-up is for a case waiting for an answer",
                case.status.words()
            )));
        }
        let note = update.note.clone().unwrap_or_else(|| case.note.clone());
        let err = self.db_err();
        let tx = self.db.transaction().map_err(&err)?;
        tx.execute(
            "UPDATE cases SET status = ?1, sent_on = ?2, outcome_on = ?3, note = ?4 WHERE id = ?5",
            params![update.status.as_str(), sent_on, outcome_on, note, id],
        )
        .map_err(&err)?;
        for e in &case.events {
            tx.execute(
                "UPDATE case_events SET overturned = ?1 WHERE case_id = ?2 AND side = ?3 AND event_id = ?4",
                params![overturned.contains(&e.event.id), id, e.event.side.as_str(), e.event.id],
            )
            .map_err(&err)?;
        }
        if matches!(update.status, CaseStatus::Draft | CaseStatus::Sent) {
            // Marked unsent or sent anew: the count of follow-ups starts again.
            tx.execute(
                "UPDATE case_log SET status = 'follow_up_undone' WHERE case_id = ?1 AND status = 'follow_up'",
                [id],
            )
            .map_err(&err)?;
        }
        tx.execute(
            "INSERT INTO case_log (case_id, at, status, on_day, note) VALUES (?1, datetime('now'), ?2, ?3, ?4)",
            params![id, update.status.as_str(), day, update.note.clone().unwrap_or_default()],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.case(id)
    }

    /// What the cases tell the standing: events in a case (withdrawn cases excepted) and
    /// the days of their letters for FOLLOW_UP.
    pub fn case_marks(&self) -> Result<CaseMarks, WorkspaceError> {
        let mut marks = CaseMarks { coaching: self.coaching_marks()?, ..CaseMarks::default() };
        for case in self.cases()? {
            if case.status != CaseStatus::Withdrawn {
                for e in &case.events {
                    match e.event.side {
                        EventSide::Block => marks.blocks_in_case.insert(e.event.id.clone()),
                        EventSide::Package => marks.packages_in_case.insert(e.event.id.clone()),
                    };
                }
            }
            if let Some(sent) = case.sent_on {
                let outcome = if case.status.is_outcome() { case.outcome_on.or(Some(sent)) } else { None };
                // Each letter waits for an answer until the next letter, the last until the outcome.
                let letters: Vec<Day> = std::iter::once(sent).chain(case.follow_ups.iter().copied()).collect();
                let contacts = marks.sent.entry(case.driver_id.clone()).or_default();
                for (i, &on) in letters.iter().enumerate() {
                    contacts.push((on, letters.get(i + 1).copied().or(outcome)));
                }
            }
        }
        Ok(marks)
    }

    /// Events of cases still waiting (draft or sent), for "standing if pending disputes
    /// succeed".
    pub fn pending_events(&self) -> Result<Vec<(String, EventRef)>, WorkspaceError> {
        Ok(self
            .cases()?
            .into_iter()
            .filter(|c| !c.status.is_outcome())
            .flat_map(|c| {
                let driver = c.driver_id.clone();
                c.events.into_iter().map(move |e| (driver.clone(), e.event))
            })
            .collect())
    }

    /// The note of a case, alone (the app edits notes without changing the status).
    pub fn set_case_note(&mut self, id: i64, note: &str) -> Result<(), WorkspaceError> {
        let _lock = self.write_lock()?;
        let err = self.db_err();
        let changed = self.db.execute("UPDATE cases SET note = ?1 WHERE id = ?2", params![note, id]).map_err(&err)?;
        if changed == 0 {
            return Err(WorkspaceError::Invalid(format!("no case {id} in this workspace")));
        }
        Ok(())
    }
}

/// What became of the disputed events filed under one ground (docs/rules.md §8.3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroundStats {
    /// The ground's code; empty for events recorded before grounds were kept.
    pub ground: String,
    /// Events in sent or decided cases (drafts and withdrawn cases left out).
    pub disputed: u32,
    pub overturned: u32,
    pub denied: u32,
    /// In cases sent and not answered yet.
    pub pending: u32,
}

impl GroundStats {
    /// Overturned ÷ decided, once any is decided.
    pub fn overturn_rate(&self) -> Option<f64> {
        let decided = self.overturned + self.denied;
        (decided > 0).then(|| f64::from(self.overturned) / f64::from(decided))
    }

    /// Rarely overturned: at least 10 decided events and under 20 % overturned. A letter
    /// starts with such a ground's events unticked.
    pub fn rarely_overturned(&self) -> bool {
        self.overturned + self.denied >= 10 && self.overturn_rate().is_some_and(|r| r < 0.2)
    }
}

impl Workspace {
    /// Per ground, what became of the events disputed under it, by ground code.
    pub fn ground_stats(&self) -> Result<Vec<GroundStats>, WorkspaceError> {
        let err = self.db_err();
        let mut stmt = self
            .db
            .prepare(
                "SELECT e.ground, c.status, e.overturned FROM case_events e JOIN cases c ON c.id = e.case_id \
                 WHERE c.status NOT IN ('draft', 'withdrawn')",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))
            .map_err(&err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&err)?;
        let mut stats: std::collections::BTreeMap<String, GroundStats> = std::collections::BTreeMap::new();
        for (ground, status, overturned) in rows {
            let s = stats.entry(ground.clone()).or_insert(GroundStats {
                ground,
                disputed: 0,
                overturned: 0,
                denied: 0,
                pending: 0,
            });
            s.disputed += 1;
            match (CaseStatus::parse(&status), overturned) {
                (_, true) => s.overturned += 1,
                (Some(CaseStatus::Sent | CaseStatus::FollowUp), false) => s.pending += 1,
                _ => s.denied += 1,
            }
        }
        // In the letters' order of grounds, events of unknown ground last.
        let order = |code: &str| {
            crate::standing::grounds::Grounds::LETTER_ORDER.iter().position(|g| g.code() == code).unwrap_or(usize::MAX)
        };
        let mut out: Vec<GroundStats> = stats.into_values().collect();
        out.sort_by_key(|s| order(&s.ground));
        Ok(out)
    }
}

fn insert_case(tx: &rusqlite::Transaction, case: &NewCase) -> rusqlite::Result<i64> {
    // The letter was just saved: its Message-ID is kept for the follow-ups to reply to.
    let message_id =
        case.file.as_deref().and_then(|f| crate::letters::followup::message_id_of(std::path::Path::new(f)));
    tx.execute(
        "INSERT INTO cases (driver_id, kind, file, created_on, status, message_id) VALUES (?1, ?2, ?3, ?4, 'draft', ?5)",
        params![case.driver_id, case.kind.name(), case.file, day_to_sql(case.created_on), message_id],
    )?;
    let id = tx.last_insert_rowid();
    for (i, e) in case.events.iter().enumerate() {
        let ground = case.grounds.get(i).copied().unwrap_or("");
        tx.execute(
            "INSERT OR IGNORE INTO case_events (case_id, side, event_id, ground) VALUES (?1, ?2, ?3, ?4)",
            params![id, e.side.as_str(), e.id, ground],
        )?;
    }
    tx.execute(
        "INSERT INTO case_log (case_id, at, status, on_day) VALUES (?1, datetime('now'), 'draft', ?2)",
        params![id, day_to_sql(case.created_on)],
    )?;
    Ok(id)
}

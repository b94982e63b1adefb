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
    Overturned,
    PartlyOverturned,
    Denied,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Draft,
        CaseStatus::Sent,
        CaseStatus::Overturned,
        CaseStatus::PartlyOverturned,
        CaseStatus::Denied,
        CaseStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Sent => "sent",
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
        !matches!(self, CaseStatus::Draft | CaseStatus::Sent)
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
}

impl Case {
    /// Sent more than 3 days before `day` with no outcome yet (docs/rules.md §5 FOLLOW_UP).
    pub fn needs_follow_up(&self, day: Day) -> bool {
        self.status == CaseStatus::Sent
            && self.sent_on.is_some_and(|s| crate::standing::needs_follow_up(&[(s, None)], day))
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
                "SELECT id, driver_id, kind, file, created_on, status, sent_on, outcome_on, note FROM cases \
                 ORDER BY id DESC",
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
                })
            })
            .map_err(&err)?
            .collect::<Result<_, _>>()
            .map_err(&err)?;
        let mut events = self
            .db
            .prepare("SELECT side, event_id, overturned FROM case_events WHERE case_id = ?1 ORDER BY rowid")
            .map_err(&err)?;
        for case in &mut cases {
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
            _ => (case.sent_on.map(day_to_sql), Some(day.clone())),
        };
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
        tx.execute(
            "INSERT INTO case_log (case_id, at, status, on_day, note) VALUES (?1, datetime('now'), ?2, ?3, ?4)",
            params![id, update.status.as_str(), day, update.note.clone().unwrap_or_default()],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.case(id)
    }

    /// What the cases tell the standing: events in a case (withdrawn cases excepted) and
    /// the sent dates for FOLLOW_UP.
    pub fn case_marks(&self) -> Result<CaseMarks, WorkspaceError> {
        let mut marks = CaseMarks::default();
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
                marks.sent.entry(case.driver_id.clone()).or_default().push((sent, outcome));
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
                (Some(CaseStatus::Sent), false) => s.pending += 1,
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
    tx.execute(
        "INSERT INTO cases (driver_id, kind, file, created_on, status) VALUES (?1, ?2, ?3, ?4, 'draft')",
        params![case.driver_id, case.kind.name(), case.file, day_to_sql(case.created_on)],
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

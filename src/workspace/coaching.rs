//! The coaching log (SPEC §8): per driver (Flex driver or DA), what was talked about, what
//! was agreed, when to look again, and what came of it. Kept in the workspace database
//! like the cases, each change in one transaction: it survives a restart and a kill.

use super::{Workspace, WorkspaceError, day_from_sql, day_to_sql};
use crate::import::time::Day;
use crate::standing::{CoachingMarks, coaching_due};
use rusqlite::params;

/// What came of a coaching conversation, as the manager judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoachingOutcome {
    Improved,
    NoChange,
    Escalated,
}

impl CoachingOutcome {
    pub const ALL: [CoachingOutcome; 3] =
        [CoachingOutcome::Improved, CoachingOutcome::NoChange, CoachingOutcome::Escalated];

    pub fn as_str(self) -> &'static str {
        match self {
            CoachingOutcome::Improved => "improved",
            CoachingOutcome::NoChange => "no_change",
            CoachingOutcome::Escalated => "escalated",
        }
    }

    /// For people: "no change".
    pub fn words(self) -> &'static str {
        match self {
            CoachingOutcome::NoChange => "no change",
            other => other.as_str(),
        }
    }

    /// The names above, with spaces or dashes for underscores, any case.
    pub fn parse(text: &str) -> Option<CoachingOutcome> {
        let norm = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        CoachingOutcome::ALL.into_iter().find(|o| o.as_str() == norm)
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoachingEntry {
    pub id: i64,
    pub driver_id: String,
    /// The day of the conversation.
    pub day: Day,
    /// A metric, an event id or free text.
    pub topic: String,
    pub agreed: String,
    /// When to look again.
    pub follow_up: Option<Day>,
    pub outcome: Option<CoachingOutcome>,
    pub outcome_on: Option<Day>,
}

impl CoachingEntry {
    /// COACHING_DUE on `day`: its follow-up day has passed without an outcome by then.
    pub fn is_due(&self, day: Day) -> bool {
        coaching_due(&[(self.follow_up, self.outcome_on)], day)
    }
}

/// An entry to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub driver_id: String,
    pub day: Day,
    pub topic: String,
    pub agreed: String,
    pub follow_up: Option<Day>,
}

impl Workspace {
    /// Adds an entry to the log; returns its id.
    pub fn add_coaching(&mut self, entry: &NewEntry) -> Result<i64, WorkspaceError> {
        if entry.driver_id.trim().is_empty() || entry.topic.trim().is_empty() {
            return Err(WorkspaceError::Invalid("a coaching entry needs a driver and a topic".into()));
        }
        if entry.follow_up.is_some_and(|f| f < entry.day) {
            return Err(WorkspaceError::Invalid(format!(
                "the follow-up day {} is before the day of the conversation {}",
                crate::report::day_text(entry.follow_up.unwrap_or_default()),
                crate::report::day_text(entry.day)
            )));
        }
        let _lock = self.write_lock()?;
        let err = self.db_err();
        let tx = self.db.transaction().map_err(&err)?;
        tx.execute(
            "INSERT INTO coaching (driver_id, day, topic, agreed, follow_up) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                entry.driver_id.trim(),
                day_to_sql(entry.day),
                entry.topic.trim(),
                entry.agreed.trim(),
                entry.follow_up.map(day_to_sql)
            ],
        )
        .map_err(&err)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(&err)?;
        Ok(id)
    }

    /// The log, of one driver or of all, oldest first (by day, then as entered).
    pub fn coaching(&self, driver: Option<&str>) -> Result<Vec<CoachingEntry>, WorkspaceError> {
        let err = self.db_err();
        let mut stmt = self
            .db
            .prepare(
                "SELECT id, driver_id, day, topic, agreed, follow_up, outcome, outcome_on FROM coaching \
                 WHERE ?1 IS NULL OR driver_id = ?1 ORDER BY day, id",
            )
            .map_err(&err)?;
        stmt.query_map([driver], |r| {
            let day = |i: usize| -> rusqlite::Result<Option<Day>> {
                Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(day_from_sql))
            };
            Ok(CoachingEntry {
                id: r.get(0)?,
                driver_id: r.get(1)?,
                day: day(2)?.unwrap_or_default(),
                topic: r.get(3)?,
                agreed: r.get(4)?,
                follow_up: day(5)?,
                outcome: r.get::<_, Option<String>>(6)?.as_deref().and_then(CoachingOutcome::parse),
                outcome_on: day(7)?,
            })
        })
        .map_err(&err)?
        .collect::<Result<_, _>>()
        .map_err(&err)
    }

    /// Records what came of an entry.
    pub fn set_coaching_outcome(
        &mut self,
        id: i64,
        outcome: CoachingOutcome,
        on: Day,
    ) -> Result<CoachingEntry, WorkspaceError> {
        let _lock = self.write_lock()?;
        let err = self.db_err();
        let changed = self
            .db
            .execute(
                "UPDATE coaching SET outcome = ?1, outcome_on = ?2 WHERE id = ?3",
                params![outcome.as_str(), day_to_sql(on), id],
            )
            .map_err(&err)?;
        if changed == 0 {
            return Err(WorkspaceError::Invalid(format!("no coaching entry {id} in this workspace")));
        }
        self.coaching(None)?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| WorkspaceError::Invalid(format!("no coaching entry {id} in this workspace")))
    }

    /// Per driver, each entry's (follow-up day, outcome day), for COACHING_DUE.
    pub fn coaching_marks(&self) -> Result<CoachingMarks, WorkspaceError> {
        let mut marks = CoachingMarks::new();
        for e in self.coaching(None)? {
            if e.follow_up.is_some() {
                marks.entry(e.driver_id).or_default().push((e.follow_up, e.outcome_on));
            }
        }
        Ok(marks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_the_day_after_the_follow_up_until_an_outcome() {
        let entry = |follow_up, outcome_on| (follow_up, outcome_on);
        assert!(!coaching_due(&[entry(Some(100), None)], 100), "on the day itself: not yet");
        assert!(coaching_due(&[entry(Some(100), None)], 101));
        assert!(!coaching_due(&[entry(None, None)], 500), "no follow-up day: never due");
        // An outcome on day 103: due on 101..=103 as history sees it, not after.
        assert!(coaching_due(&[entry(Some(100), Some(103))], 102));
        assert!(!coaching_due(&[entry(Some(100), Some(103))], 103));
        assert!(!coaching_due(&[entry(Some(100), Some(103))], 104));
        assert!(coaching_due(&[entry(Some(100), Some(101)), entry(Some(102), None)], 103), "any entry");
        assert_eq!(CoachingOutcome::parse(" No-Change "), Some(CoachingOutcome::NoChange));
        assert_eq!(CoachingOutcome::parse("better"), None);
    }
}

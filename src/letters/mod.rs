//! Dispute and reactivation letters: the events of a driver's windows that have a dispute
//! ground, told as incidents ([`incidents`]), with what removing them would change
//! ([`impact`]), rendered from editable templates in the manager's or the driver's voice
//! ([`render`]), and saved as `.eml` drafts ([`eml`]) with the evidence attached (photos
//! from inside the evidence folder, the events as CSV, a chart of the last 90 days
//! ([`chart`])).

mod batch;
pub mod chart;
pub mod eml;
pub mod followup;
pub mod impact;
pub mod incidents;
mod render;
mod week;

pub use batch::{Batch, INDEX_COLUMNS, draft_batch, draft_week_batch};
pub use eml::{plain_address, to_eml};
pub use impact::Impact;
pub use incidents::{Incident, IncidentEvent};
pub use week::{draft_week, week_checklist};

use crate::charts::Marker;
use crate::evidence;
use crate::explain::{grounds_words, what_happened};
use crate::import::time::{Day, FleetZone};
use crate::report::{SafeCsv, day_text};
use crate::scorecard::week::Week;
use crate::standing::{Event, EventKind, EventRef, Fleet};
use chart::ChartData;
use polars_core::prelude::PolarsError;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    Dispute,
    Reactivation,
}

impl LetterKind {
    pub fn name(self) -> &'static str {
        match self {
            LetterKind::Dispute => "dispute",
            LetterKind::Reactivation => "reactivation",
        }
    }
}

/// Who writes: the manager on behalf of the driver (a sender name is set), or the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Voice {
    Manager,
    Driver,
}

/// The person who sends the letters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sender {
    /// Empty: the letters are in the driver's voice.
    pub name: String,
    /// From address; empty: the driver's roster email.
    pub email: String,
    pub organisation: String,
}

impl Sender {
    pub fn voice(&self) -> Voice {
        if self.name.trim().is_empty() { Voice::Driver } else { Voice::Manager }
    }

    /// Why the values cannot go into a letter, per field: a line break in the name or
    /// organisation, an address that is not a plain `name@domain`.
    pub fn problems(&self, support_address: &str) -> Vec<(SenderField, String)> {
        let mut out = Vec::new();
        for (field, value) in [(SenderField::Name, &self.name), (SenderField::Organisation, &self.organisation)] {
            if value.chars().any(char::is_control) {
                out.push((field, "a line break or control character is not allowed".to_string()));
            }
        }
        for (field, value) in
            [(SenderField::Email, self.email.as_str()), (SenderField::SupportAddress, support_address)]
        {
            if let Some(problem) = address_problem(value) {
                out.push((field, problem));
            }
        }
        out
    }
}

/// The letter settings a user types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SenderField {
    Name,
    Email,
    Organisation,
    SupportAddress,
}

impl SenderField {
    pub fn label(self) -> &'static str {
        match self {
            SenderField::Name => "sender name",
            SenderField::Email => "sender email",
            SenderField::Organisation => "organisation",
            SenderField::SupportAddress => "support address",
        }
    }

    /// The command-line option that sets it.
    pub fn option(self) -> &'static str {
        match self {
            SenderField::Name => "--sender-name",
            SenderField::Email => "--sender-email",
            SenderField::Organisation => "--organisation",
            SenderField::SupportAddress => "--support-address",
        }
    }
}

/// Why a typed address is not accepted (empty is accepted: the field is optional).
pub fn address_problem(value: &str) -> Option<String> {
    if value.trim().is_empty() || plain_address(value).is_some() {
        return None;
    }
    let shown = crate::import::excerpt(value);
    Some(if value.contains('<') || value.contains('>') {
        format!("'{shown}' has a name or angle brackets; give the address alone, like ops@yourfleet.com")
    } else {
        format!("'{shown}' is not a plain address like ops@yourfleet.com")
    })
}

/// Where letters come from and go to.
#[derive(Debug, Clone, Default)]
pub struct LetterSettings {
    pub sender: Sender,
    /// To address; may be empty.
    pub support_address: String,
    /// Photos are read from inside this folder only.
    pub evidence_dir: PathBuf,
    /// A folder with the user's own `dispute.txt.j2` / `reactivation.txt.j2`.
    pub templates_dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Why a letter or a batch could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("cannot read the driver's events: {0}")]
    Data(#[from] PolarsError),
    #[error("cannot build the email: {0}")]
    Email(std::io::Error),
    #[error("{path}: cannot write: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("{path}: cannot read the letter: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("case {0} has no saved letter to follow up")]
    NoLetter(i64),
    #[error("a letter thread failed")]
    Thread,
    #[error("no scorecard of {0}")]
    NoScorecard(String),
}

/// A drafted letter: text to edit, attachments, and what could not be included.
#[derive(Debug, Clone)]
pub struct Letter {
    pub kind: LetterKind,
    pub voice: Voice,
    pub driver_id: String,
    pub driver_name: String,
    pub as_of: Day,
    /// From: name and address.
    pub from_name: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The incidents the body tells, with their events.
    pub incidents: Vec<Incident>,
    /// The standing now and without the letter's events.
    pub impact: Impact,
    /// Ids of the events the letter covers.
    pub events: Vec<String>,
    /// The same events with the table each comes from, for the case the letter opens.
    pub event_refs: Vec<EventRef>,
    /// Ground codes the letter cites, each once.
    pub grounds: Vec<&'static str>,
    pub attachments: Vec<Attachment>,
    /// Problems met while drafting (a missing photo, a template error): the letter is
    /// still produced without what failed.
    pub problems: Vec<String>,
    /// The scorecard week a DSP letter disputes (SPEC §7.3); `None` for the Flex standing.
    pub week: Option<Week>,
}

impl Letter {
    /// The ground each of `event_refs` is filed under (its incident's), "" when none.
    pub fn event_grounds(&self) -> Vec<&'static str> {
        self.event_refs
            .iter()
            .map(|e| {
                self.incidents
                    .iter()
                    .flat_map(|i| &i.events)
                    .find(|ev| ev.id == e.id && ev.side == e.side)
                    .map_or("", |ev| ev.ground)
            })
            .collect()
    }
}

impl Letter {
    /// `<driver_id>-dispute-<as_of>.eml` (or `-reactivation-`; a week's dispute:
    /// `<driver_id>-dispute-2026-W17.eml`), safe as a file name.
    pub fn file_name(&self) -> String {
        let id: String = self
            .driver_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .collect();
        let when = self.week.map_or_else(|| day_text(self.as_of), |w| w.label());
        format!("{id}-{}-{when}.eml", self.kind.name())
    }
}

/// The disputable events of a driver on a day, told as incidents: what a letter's
/// checklist offers before any event is unticked.
pub fn checklist(fleet: &Fleet, driver: usize, as_of: Day) -> Result<Vec<Incident>, LetterError> {
    let events = fleet.events(driver, as_of)?;
    let disputable: Vec<&Event> = events.iter().filter(|e| e.is_disputable()).collect();
    Ok(incidents::incidents(&disputable, fleet.zone, &fleet.thresholds.windows))
}

/// The chart of the last 90 days: the standing now, without the letter's events, and a
/// marker where each of them started to count.
fn standing_chart(
    fleet: &Fleet,
    driver: usize,
    as_of: Day,
    events: &[&Event],
    without: &crate::standing::without::Without,
) -> Result<Vec<u8>, chart::ChartError> {
    let d = &fleet.drivers[driver];
    let first_day = as_of - 89;
    let history = fleet.history(driver, Some(first_day), as_of);
    let history_without = if events.is_empty() { Vec::new() } else { without.history(Some(first_day), as_of) };
    let lag = fleet.thresholds.windows.lag_days;
    let markers: Vec<Marker> = events.iter().map(|e| Marker::of(e, lag, fleet.zone)).collect();
    chart::chart_png(&ChartData {
        title: format!("{} ({}): standing over the last 90 days", d.name.as_deref().unwrap_or(&d.id), d.id),
        now: &history,
        without: &history_without,
        markers: &markers,
        thresholds: &fleet.thresholds,
    })
}

/// Drafts the letter of one driver as of a day; `untick` lists event ids to leave out.
pub fn draft(
    fleet: &Fleet,
    driver: usize,
    as_of: Day,
    kind: LetterKind,
    settings: &LetterSettings,
    untick: &[String],
) -> Result<Letter, LetterError> {
    let d = &fleet.drivers[driver];
    let zone = fleet.zone;
    let mut problems = Vec::new();
    let all_events = fleet.events(driver, as_of)?;
    let events: Vec<&Event> = all_events.iter().filter(|e| e.is_disputable() && !untick.contains(&e.id)).collect();
    let refs: Vec<EventRef> = events.iter().map(|e| e.event_ref()).collect();
    let told = incidents::incidents(&events, zone, &fleet.thresholds.windows);

    // The standing without the letter's events, now and over the chart's 90 days.
    let without = fleet.without(driver, &refs.iter().collect::<Vec<_>>())?;
    let impact = Impact::new(&fleet.standing(driver, as_of), &without.standing(as_of), &fleet.thresholds);
    let name = d.name.clone().unwrap_or_else(|| d.id.clone());
    let mut attachments = photo_attachments(&events, &settings.evidence_dir, &mut problems);
    let photos = attachments.len();
    attachments.push(Attachment {
        file_name: format!("evidence-{}.csv", d.id),
        content_type: "text/csv",
        bytes: evidence_csv(&events, zone),
    });
    match standing_chart(fleet, driver, as_of, &events, &without) {
        Ok(png) => attachments.push(Attachment {
            file_name: format!("standing-{}.png", d.id),
            content_type: "image/png",
            bytes: png,
        }),
        Err(e) => problems.push(format!("the standing chart could not be drawn: {e}")),
    }

    let sender = &settings.sender;
    let voice = sender.voice();
    let context = render::Context {
        kind,
        voice,
        fleet,
        driver,
        as_of,
        name: &name,
        sender,
        events: &events,
        all_events: &all_events,
        incidents: &told,
        impact: &impact,
        attachments: &attachments,
        photos,
        week: None,
    };
    let body = render::render(&context, settings.templates_dir.as_deref(), &mut problems);

    let grounds = ground_codes(&events);
    let subject = match kind {
        LetterKind::Dispute => {
            let count = events.len();
            format!("Dispute of {count} event{} for {name} ({})", if count == 1 { "" } else { "s" }, d.id)
        }
        LetterKind::Reactivation => format!("Reactivation appeal for {} ({})", name, d.id),
    };
    let (from_name, from) = envelope(settings, &name, d.email.as_deref(), &mut problems);
    Ok(Letter {
        kind,
        voice,
        driver_id: d.id.clone(),
        driver_name: name,
        as_of,
        from_name,
        from,
        to: settings.support_address.clone(),
        subject,
        body,
        incidents: told,
        impact,
        events: events.iter().map(|e| e.id.clone()).collect(),
        event_refs: refs,
        grounds,
        attachments,
        problems,
        week: None,
    })
}

/// The distinct ground codes of a letter's events, sorted.
fn ground_codes(events: &[&Event]) -> Vec<&'static str> {
    let mut grounds: Vec<&'static str> = events.iter().flat_map(|e| e.grounds.codes()).collect();
    grounds.sort_unstable();
    grounds.dedup();
    grounds
}

/// Who a letter is from, (name, address): the sender when one is set, else the driver
/// (`driver_name`, their roster email). An address that is not a plain `name@domain`
/// (the sender's or the support address) is reported in `problems`.
fn envelope(
    settings: &LetterSettings,
    driver_name: &str,
    roster_email: Option<&str>,
    problems: &mut Vec<String>,
) -> (String, String) {
    let sender = &settings.sender;
    let from = if sender.email.trim().is_empty() {
        roster_email.unwrap_or_default().to_string()
    } else {
        sender.email.clone()
    };
    let from_name = match sender.voice() {
        Voice::Manager => sender.name.trim().to_string(),
        Voice::Driver => driver_name.to_string(),
    };
    for (role, address) in [("sender", &from), ("support", &settings.support_address)] {
        if !address.trim().is_empty() && plain_address(address).is_none() {
            problems.push(format!(
                "{role} address '{}' is not a plain name@domain address; left out of the letter",
                crate::import::excerpt(address)
            ));
        }
    }
    (from_name, from)
}

/// The events' photos, read from inside the evidence folder; refused or missing ones
/// are reported in `problems`.
fn photo_attachments(events: &[&Event], folder: &Path, problems: &mut Vec<String>) -> Vec<Attachment> {
    let mut out = Vec::new();
    for listed in events.iter().filter_map(|e| e.package()).flat_map(|p| &p.photos) {
        let read = evidence::resolve(folder, listed)
            .map_err(|e| e.to_string())
            .and_then(|path| std::fs::read(&path).map_err(|e| format!("{listed}: {e}")).map(|bytes| (path, bytes)));
        match read {
            Ok((path, bytes)) => {
                let file_name = path.file_name().map_or_else(|| listed.clone(), |n| n.to_string_lossy().into_owned());
                let content_type =
                    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
                        Some("jpg" | "jpeg") => "image/jpeg",
                        Some("png") => "image/png",
                        _ => "application/octet-stream",
                    };
                out.push(Attachment { file_name, content_type, bytes });
            }
            Err(why) => problems.push(why),
        }
    }
    out
}

/// The events with all their grounds, as CSV (cells neutralised against formulas), with a
/// UTF-8 byte-order mark so that Excel reads "José Núñez" and "06:00–12:00" right.
pub fn evidence_csv(events: &[&Event], zone: FleetZone) -> Vec<u8> {
    let mut buf = "\u{feff}".as_bytes().to_vec();
    let mut w = SafeCsv::new(&mut buf);
    let _ = w.row(["date", "id", "kind", "what_happened", "grounds", "ground_details", "address"]);
    for e in events {
        let kind = if matches!(e.what, EventKind::Block { .. }) { "block" } else { "package" };
        let _ = w.row([
            zone.local(e.time).format("%Y-%m-%d %H:%M").to_string(),
            e.id.clone(),
            kind.to_string(),
            what_happened(e, zone),
            e.grounds.codes().join(";"),
            grounds_words(e, zone),
            e.package().and_then(|p| p.address.clone()).unwrap_or_default(),
        ]);
    }
    let _ = w.finish();
    buf
}

/// A letter's text for a support form, where nothing is attached: "the evidence is
/// attached" becomes "uploaded with this form", and the "Attached: …" line names the files
/// to upload. Text the user wrote stays as it is.
pub fn support_form_text(body: &str) -> String {
    let body = body.replace("the evidence is attached", "the evidence is uploaded with this form");
    body.lines()
        .map(|line| match line.strip_prefix("Attached: ") {
            Some(files) => format!("Uploaded with this form: {files}"),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if body.ends_with('\n') { "\n" } else { "" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_support_form_text_names_the_files_to_upload() {
        let body = "Hello,\n\nPlease remove the 2 events below: each had a cause outside my control, and the \
                    evidence is attached.\n\nAttached: a.jpg, evidence-D1.csv.\n\nThank you,\n";
        let text = super::support_form_text(body);
        assert!(text.contains("and the evidence is uploaded with this form."), "{text}");
        assert!(text.contains("\nUploaded with this form: a.jpg, evidence-D1.csv.\n"), "{text}");
        assert!(!text.contains("attached"), "{text}");
        assert!(text.ends_with("Thank you,\n"));
        assert_eq!(super::support_form_text("My own words."), "My own words.");
    }

    use super::*;
    use crate::config::Thresholds;
    use crate::import::text::decode_csv;
    use crate::import::{ImportOptions, load_texts};

    fn fleet() -> Fleet {
        let blocks = "driver_id,driver_name,block_id,block_start,checked_in_at,departed_at\n\
                      D/1,Ana Lee,B1,2026-03-02 07:00,2026-03-02 06:50,2026-03-02 08:30\n";
        let deliveries = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,dnr,photo\n\
                          T1,D/1,B1,2026-03-02 12:00,2026-03-02 13:00,delivered,,\n\
                          T2,D/1,B1,2026-03-02 12:00,2026-03-02 09:00,delivered,Y,photos/missing.jpg\n";
        let text = |n: &str, b: &str| decode_csv(n.into(), b.as_bytes().to_vec()).unwrap();
        let (data, _) =
            load_texts(text("b", blocks), text("d", deliveries), None, None, &ImportOptions::default()).unwrap();
        Fleet::build(&data, Thresholds::default()).unwrap()
    }

    fn settings(dir: &Path) -> LetterSettings {
        LetterSettings { evidence_dir: dir.to_path_buf(), ..LetterSettings::default() }
    }

    #[test]
    fn a_letter_tells_incidents_and_reports_what_failed() {
        let f = fleet();
        let dir = tempfile::tempdir().unwrap();
        let as_of = f.default_as_of().unwrap();
        let letter = draft(&f, 0, as_of, LetterKind::Dispute, &settings(dir.path()), &[]).unwrap();
        assert_eq!(letter.events, ["T2", "T1"], "oldest first");
        assert_eq!(letter.grounds, ["PHOTO_PROOF", "STATION_DELAY"]);
        let grounds: Vec<&str> = letter.incidents.iter().map(|i| i.ground).collect();
        assert_eq!(grounds, ["STATION_DELAY", "PHOTO_PROOF"], "in the letter's order");
        assert!(
            letter.body.contains(
                "- Block B1 on 2026-03-02 left the station at 08:30, 90 min after its 07:00 start; packages late: T1."
            ),
            "{}",
            letter.body
        );
        assert!(letter.body.contains("I am Ana Lee, transporter ID D/1"), "driver's voice: {}", letter.body);
        assert!(
            incidents::style_problems(&letter.body, &letter.events).is_empty(),
            "{:?}\n{}",
            incidents::style_problems(&letter.body, &letter.events),
            letter.body
        );
        assert!(letter.problems.iter().any(|p| p.contains("photos/missing.jpg")), "{:?}", letter.problems);
        assert_eq!(letter.file_name(), "D_1-dispute-2026-03-04.eml");
        assert_eq!((letter.impact.tier_now, letter.impact.tier_without), ("At Risk", "Fantastic"));
        // Unticked events are left out.
        let fewer = draft(&f, 0, as_of, LetterKind::Dispute, &settings(dir.path()), &["T1".to_string()]).unwrap();
        assert_eq!(fewer.events, ["T2"]);
        assert!(!fewer.body.contains("T1"));
    }

    #[test]
    fn a_sender_name_writes_in_the_managers_voice() {
        let f = fleet();
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(dir.path());
        s.sender = Sender {
            name: "Jordan Lee".into(),
            email: "ops@fleet.example".into(),
            organisation: "Acme Delivery".into(),
        };
        let letter = draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &s, &[]).unwrap();
        assert_eq!(letter.voice, Voice::Manager);
        assert!(letter.body.contains("I manage Ana Lee (transporter ID D/1) at Acme Delivery."), "{}", letter.body);
        assert!(letter.body.ends_with("Thank you,\nJordan Lee\nAcme Delivery\n"), "{:?}", letter.body);
        assert!(!letter.body.contains("my standing"));
        assert_eq!((letter.from_name.as_str(), letter.from.as_str()), ("Jordan Lee", "ops@fleet.example"));
    }

    #[test]
    fn hostile_header_values_cannot_add_headers_recipients_or_parts() {
        let f = fleet();
        let dir = tempfile::tempdir().unwrap();
        let mut letter =
            draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &settings(dir.path()), &[]).unwrap();
        letter.from_name = "Eve\" <eve@x.test>, \"Mallory\r\nBcc: victim@x.test".to_string();
        letter.from = "eve@x.test>, boss@x.test".to_string();
        letter.to = "support@x.test\r\nBcc: victim@x.test".to_string();
        letter.subject = "Dispute\r\nX-Injected: yes\n\n--boundary".to_string();
        letter.attachments.push(Attachment {
            file_name: "a\"\r\nContent-Type: text/html\r\n\r\n<b>.jpg".to_string(),
            content_type: "image/jpeg",
            bytes: b"jpg".to_vec(),
        });
        let eml = to_eml(&letter, 0).unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&eml).unwrap();
        let header_names: Vec<String> = parsed.headers().iter().map(|h| h.name().to_ascii_lowercase()).collect();
        for forged in ["bcc", "x-injected"] {
            assert!(!header_names.iter().any(|n| n == forged), "{header_names:?}");
        }
        let from = parsed.from().unwrap();
        assert_eq!(from.iter().count(), 1);
        assert_eq!(from.first().unwrap().address(), Some("standwatch@localhost"));
        assert!(parsed.to().is_none(), "the hostile To is left out");
        assert_eq!(parsed.attachment_count(), letter.attachments.len());
        use mail_parser::MimeHeaders;
        let html_parts = parsed.parts.iter().filter(|p| p.content_type().and_then(|c| c.subtype()) == Some("html"));
        assert_eq!(html_parts.count(), 0, "{}", String::from_utf8_lossy(&eml));
        let mut s = settings(dir.path());
        s.sender.email = "a@b, c@d".into();
        let problems = draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &s, &[]).unwrap().problems;
        assert!(problems.iter().any(|p| p.contains("sender address 'a@b, c@d'")), "{problems:?}");
    }

    #[test]
    fn sender_values_are_checked_where_they_are_typed() {
        let ok = Sender { name: "Jordan Lee".into(), email: "ops@fleet.example".into(), organisation: "Acme".into() };
        assert!(ok.problems("support@amazon.example").is_empty());
        let named = Sender { email: "Jordan Lee <ops@fleet.example>".into(), ..Sender::default() };
        let problems = named.problems("");
        assert_eq!(problems[0].0, SenderField::Email);
        assert!(problems[0].1.contains("angle brackets"), "{problems:?}");
        let broken = Sender { name: "Jordan\nBcc: x".into(), ..Sender::default() };
        let problems = broken.problems("not an address");
        assert_eq!(problems[0].0, SenderField::Name);
        assert!(problems[0].1.contains("line break"));
        assert_eq!(problems[1].0, SenderField::SupportAddress);
    }

    #[test]
    fn a_broken_template_falls_back_to_the_default_and_says_so() {
        let f = fleet();
        let templates = tempfile::tempdir().unwrap();
        std::fs::write(templates.path().join("dispute.txt.j2"), "Hello {% for e in events %}").unwrap();
        let settings =
            LetterSettings { templates_dir: Some(templates.path().to_path_buf()), ..LetterSettings::default() };
        let letter = draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &settings, &[]).unwrap();
        let problem = letter.problems.iter().find(|p| p.contains("template has an error")).unwrap();
        assert!(problem.contains("dispute.txt.j2"), "{problem}");
        assert!(letter.body.contains("Please remove the 2 events below"), "{}", letter.body);
        // A readable custom template is used as is.
        std::fs::write(templates.path().join("dispute.txt.j2"), "Custom for {{ driver_id }}").unwrap();
        let letter = draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &settings, &[]).unwrap();
        assert_eq!(letter.body, "Custom for D/1");
    }

    #[test]
    fn a_template_written_for_the_old_variables_still_renders() {
        let f = fleet();
        let templates = tempfile::tempdir().unwrap();
        let old = "Hello,\n\nI am writing on behalf of {{ driver_name }} (transporter ID {{ driver_id }}).\n\n\
                   {% for e in events -%}\n- {{ e.date }} {{ e.id }}: {{ e.what }}. {{ e.grounds }}.\n{% endfor %}\n\
                   Attached: {{ attachments | join(\", \") }}.\n\nThank you,\n{{ signature }}";
        std::fs::write(templates.path().join("dispute.txt.j2"), old).unwrap();
        let settings = LetterSettings {
            templates_dir: Some(templates.path().to_path_buf()),
            evidence_dir: templates.path().to_path_buf(),
            ..LetterSettings::default()
        };
        let letter = draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &settings, &[]).unwrap();
        assert!(letter.problems.iter().all(|p| p.contains("photos/missing.jpg")), "{:?}", letter.problems);
        assert!(
            letter.body.contains("- 2026-03-02 T2: customer DNR claim. delivered with photo proof (1 photo)."),
            "{}",
            letter.body
        );
        assert!(letter.body.ends_with("Thank you,\nAna Lee"), "{:?}", letter.body);
    }
}

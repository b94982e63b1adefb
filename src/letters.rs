//! SPEC §4.2–4.3: dispute and reactivation letters, rendered from editable templates,
//! saved as `.eml` drafts with the evidence attached (photos from inside the evidence
//! folder, the events as CSV, a chart of the last 90 days).

use crate::evidence;
use crate::explain::{grounds_words, what_happened};
use crate::import::time::{Day, FleetZone};
use crate::report::{SafeCsv, day_text};
use crate::standing::rules::Tier;
use crate::standing::{Event, EventKind, EventRef, Fleet, Standing};
use serde::Serialize;
use std::path::{Path, PathBuf};

const DISPUTE_TEMPLATE: &str = include_str!("../assets/templates/dispute.txt.j2");
const REACTIVATION_TEMPLATE: &str = include_str!("../assets/templates/reactivation.txt.j2");

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

/// Where letters come from and go to.
#[derive(Debug, Clone, Default)]
pub struct LetterSettings {
    /// From address; empty: the driver's roster email.
    pub sender: String,
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

/// A drafted letter: text to edit, attachments, and what could not be included.
#[derive(Debug, Clone)]
pub struct Letter {
    pub kind: LetterKind,
    pub driver_id: String,
    pub driver_name: String,
    pub as_of: Day,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
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
}

impl Letter {
    /// `<driver_id>-dispute-<as_of>.eml` (or `-reactivation-`), safe as a file name.
    pub fn file_name(&self) -> String {
        let id: String = self
            .driver_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .collect();
        format!("{id}-{}-{}.eml", self.kind.name(), day_text(self.as_of))
    }
}

#[derive(Debug, Clone, Serialize)]
struct EventLine {
    date: String,
    id: String,
    what: String,
    grounds: String,
}

fn event_line(e: &Event, zone: FleetZone) -> EventLine {
    EventLine {
        date: zone.local(e.time).format("%Y-%m-%d").to_string(),
        id: e.id.clone(),
        what: what_happened(e, zone),
        grounds: grounds_words(e, zone),
    }
}

/// A template and where it came from: the user's copy when one is set and readable, else
/// the shipped default.
fn template(settings: &LetterSettings, kind: LetterKind, problems: &mut Vec<String>) -> (String, String) {
    let (name, default) = match kind {
        LetterKind::Dispute => ("dispute.txt.j2", DISPUTE_TEMPLATE),
        LetterKind::Reactivation => ("reactivation.txt.j2", REACTIVATION_TEMPLATE),
    };
    let built_in = || (default.to_string(), format!("the built-in {name}"));
    let Some(dir) = &settings.templates_dir else { return built_in() };
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => (text, path.display().to_string()),
        Err(e) => {
            problems.push(format!("{}: {e}; the default template was used", path.display()));
            built_in()
        }
    }
}

fn render(
    (source, origin): &(String, String),
    kind: LetterKind,
    context: minijinja::Value,
    problems: &mut Vec<String>,
) -> String {
    let env = minijinja::Environment::new();
    let rendered = env.template_from_str(source).and_then(|t| t.render(&context));
    match rendered {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!("{origin}: the template has an error ({e}); the default template was used"));
            let default = match kind {
                LetterKind::Dispute => DISPUTE_TEMPLATE,
                LetterKind::Reactivation => REACTIVATION_TEMPLATE,
            };
            env.template_from_str(default).and_then(|t| t.render(&context)).unwrap_or_default()
        }
    }
}

/// Drafts the letter of one driver as of a day; `untick` lists event ids to leave out.
pub fn draft(
    fleet: &Fleet,
    driver: usize,
    as_of: Day,
    kind: LetterKind,
    settings: &LetterSettings,
    untick: &[String],
) -> Result<Letter, String> {
    let d = &fleet.drivers[driver];
    let zone = fleet.zone;
    let mut problems = Vec::new();
    let events: Vec<Event> = fleet
        .events(driver, as_of)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|e| e.is_disputable() && !untick.contains(&e.id))
        .collect();
    let history = fleet.history(driver, Some(as_of - 89), as_of);
    let mut attachments = photo_attachments(&events, &settings.evidence_dir, &mut problems);
    attachments.push(Attachment {
        file_name: format!("evidence-{}.csv", d.id),
        content_type: "text/csv",
        bytes: evidence_csv(&events, zone),
    });
    match chart_png(&history, fleet) {
        Ok(png) => attachments.push(Attachment {
            file_name: format!("standing-{}.png", d.id),
            content_type: "image/png",
            bytes: png,
        }),
        Err(e) => problems.push(format!("the standing chart could not be drawn: {e}")),
    }
    let name = d.name.clone().unwrap_or_else(|| d.id.clone());
    let lines: Vec<EventLine> = events.iter().map(|e| event_line(e, zone)).collect();
    let attachment_names: Vec<String> = attachments.iter().map(|a| a.file_name.clone()).collect();
    let signature = if settings.sender.is_empty() { name.clone() } else { settings.sender.clone() };
    let source = template(settings, kind, &mut problems);
    let body = match kind {
        LetterKind::Dispute => render(
            &source,
            kind,
            minijinja::context! { driver_name => &name, driver_id => &d.id, events => minijinja::value::Serde(&lines),
            attachments => &attachment_names, signature => &signature },
            &mut problems,
        ),
        LetterKind::Reactivation => {
            let record = fleet.record(driver);
            let share = |n: u32, of: u32| {
                if of == 0 { "n/a".to_string() } else { format!("{:.1}%", f64::from(n) * 100.0 / f64::from(of)) }
            };
            let all_history = fleet.history(driver, None, as_of);
            let good_days =
                all_history.iter().filter(|s| matches!(s.overall, Some(Tier::Fantastic | Tier::Great))).count();
            render(
                &source,
                kind,
                minijinja::context! { driver_name => &name, driver_id => &d.id, events => minijinja::value::Serde(&lines),
                attachments => &attachment_names, signature => &signature,
                deactivated_on => d.deactivated_on.map(day_text).unwrap_or_else(|| "an unknown date".into()),
                deadline => d.deactivated_on.map(|x| day_text(x + 10)).unwrap_or_else(|| "unknown".into()),
                blocks => record.blocks, on_time_rate => share(record.on_time_blocks, record.blocks),
                packages => record.packages, delivered => record.delivered,
                success_rate => share(record.delivered, record.packages), dnr => record.dnr,
                good_days => good_days },
                &mut problems,
            )
        }
    };
    let mut grounds: Vec<&'static str> = events.iter().flat_map(|e| e.grounds.codes()).collect();
    grounds.sort_unstable();
    grounds.dedup();
    let subject = match kind {
        LetterKind::Dispute => format!("Dispute of {} events for {} ({})", events.len(), name, d.id),
        LetterKind::Reactivation => format!("Reactivation appeal for {} ({})", name, d.id),
    };
    let from = if settings.sender.is_empty() { d.email.clone().unwrap_or_default() } else { settings.sender.clone() };
    for (role, address) in [("sender", &from), ("support", &settings.support_address)] {
        if !address.trim().is_empty() && plain_address(address).is_none() {
            problems.push(format!(
                "{role} address '{}' is not a plain name@domain address; left out of the letter",
                crate::import::excerpt(address)
            ));
        }
    }
    Ok(Letter {
        kind,
        driver_id: d.id.clone(),
        driver_name: name,
        as_of,
        from,
        to: settings.support_address.clone(),
        subject,
        body,
        events: events.iter().map(|e| e.id.clone()).collect(),
        event_refs: events.iter().map(Event::event_ref).collect(),
        grounds,
        attachments,
        problems,
    })
}

/// The events' photos, read from inside the evidence folder; refused or missing ones
/// are reported in `problems`.
fn photo_attachments(events: &[Event], folder: &Path, problems: &mut Vec<String>) -> Vec<Attachment> {
    let mut out = Vec::new();
    for listed in events.iter().filter_map(|e| e.package.as_ref()).flat_map(|p| &p.photos) {
        match evidence::resolve(folder, listed)
            .and_then(|path| std::fs::read(&path).map_err(|e| format!("{listed}: {e}")).map(|bytes| (path, bytes)))
        {
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

/// The events with their grounds, as CSV (cells neutralised against formulas).
pub fn evidence_csv(events: &[Event], zone: FleetZone) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut w = SafeCsv::new(&mut buf);
    let _ = w.row(["date", "id", "kind", "what_happened", "grounds", "ground_details"]);
    for e in events {
        let kind = if matches!(e.what, EventKind::Block { .. }) { "block" } else { "package" };
        let _ = w.row([
            zone.local(e.time).format("%Y-%m-%d %H:%M").to_string(),
            e.id.clone(),
            kind.to_string(),
            what_happened(e, zone),
            e.grounds.codes().join(";"),
            grounds_words(e, zone),
        ]);
    }
    let _ = w.finish();
    buf
}

/// One of a standing's rates.
type RateOf = fn(&Standing) -> Option<f64>;

/// The driver's rates over the days given, with the reliability tier bands, as PNG.
pub fn chart_png(history: &[Standing], fleet: &Fleet) -> Result<Vec<u8>, String> {
    use plotters::prelude::*;
    register_chart_font();
    const SIZE: (u32, u32) = (800, 400);
    let mut pixels = vec![255u8; (SIZE.0 * SIZE.1 * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (first, last) = match (history.first(), history.last()) {
            (Some(a), Some(b)) => (a.as_of, b.as_of.max(a.as_of + 1)),
            _ => return Err("no standing in the last 90 days".to_string()),
        };
        let t = &fleet.thresholds.reliability;
        let low = (t.fair - (1.0 - t.fair)).max(0.0);
        let mut chart = ChartBuilder::on(&root)
            .caption("Standing, last 90 days (bands: reliability tiers, Standwatch estimates)", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(first..last, low..1.0f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_label_formatter(&|d| day_text(*d))
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .x_labels(6)
            .draw()
            .map_err(|e| e.to_string())?;
        let band =
            |from: f64, to: f64, color: RGBColor| Rectangle::new([(first, from), (last, to)], color.mix(0.15).filled());
        chart
            .draw_series([
                band(t.fantastic, 1.0, RGBColor(0x2f, 0x80, 0xd0)),
                band(t.great, t.fantastic, RGBColor(0x2e, 0x9d, 0x5b)),
                band(t.fair, t.great, RGBColor(0xd9, 0x9a, 0x06)),
                band(low, t.fair, RGBColor(0xd4, 0x3f, 0x3a)),
            ])
            .map_err(|e| e.to_string())?;
        let series: [(&str, RGBColor, RateOf); 4] = [
            ("reliability", RGBColor(0x20, 0x20, 0x20), |s| s.reliability.rate()),
            ("attempted", RGBColor(0x2f, 0x80, 0xd0), |s| s.quality.rates().map(|r| r.0)),
            ("success", RGBColor(0x2e, 0x9d, 0x5b), |s| s.quality.rates().map(|r| r.1)),
            ("on time", RGBColor(0xd4, 0x3f, 0x3a), |s| s.quality.rates().map(|r| r.2)),
        ];
        for (name, color, value) in series {
            let points: Vec<(Day, f64)> = history.iter().filter_map(|s| Some((s.as_of, value(s)?.max(low)))).collect();
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerLeft)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let image = image::RgbImage::from_raw(SIZE.0, SIZE.1, pixels).ok_or("chart buffer has the wrong size")?;
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(png.into_inner())
}

/// The chart's font: egui's own, already in the binary.
fn register_chart_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(
            "sans-serif",
            plotters::style::FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

/// No control characters (a newline in a name, say) in a header value.
fn header_value(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

/// `local@domain` with nothing that could close the angle brackets or add a second
/// address (`>`, `,`, quotes, spaces); anything else is not written into a header.
fn plain_address(text: &str) -> Option<&str> {
    let text = text.trim();
    let (local, domain) = text.split_once('@')?;
    let allowed = |c: char| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c);
    let valid = !local.is_empty() && !domain.is_empty() && local.chars().chain(domain.chars()).all(allowed);
    valid.then_some(text)
}

/// The letter as an RFC 5322 `multipart/mixed` draft that mail programs open for editing.
pub fn to_eml(letter: &Letter, date_unix: i64) -> Result<Vec<u8>, String> {
    let subject = header_value(&letter.subject);
    let name = header_value(&letter.driver_name);
    let from_address = plain_address(&letter.from).unwrap_or("standwatch@localhost");
    let mut message = mail_builder::MessageBuilder::new()
        .from((name.as_str(), from_address))
        .subject(subject.as_str())
        .date(mail_builder::headers::date::Date::new(date_unix))
        .header("X-Unsent", mail_builder::headers::raw::Raw::new("1"))
        .text_body(letter.body.as_str());
    if let Some(to) = plain_address(&letter.to) {
        message = message.to(to);
    }
    for a in &letter.attachments {
        message = message.attachment(a.content_type, a.file_name.as_str(), a.bytes.as_slice());
    }
    message.write_to_vec().map_err(|e| e.to_string())
}

/// What a batch wrote.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// index.csv rows: driver_id, driver_name, file, events, grounds (ids and codes joined by `;`).
    pub index: Vec<[String; 5]>,
    /// Problems met, each prefixed with its driver id.
    pub problems: Vec<String>,
    /// The letters written, in the order of `index`: (driver id, file in `out`, events).
    pub written: Vec<(String, String, Vec<EventRef>)>,
    /// Stopped by `cancelled` before the end.
    pub cancelled: bool,
}

/// Drafts a dispute letter for each of `drivers` that has a disputable event, writes it to
/// `out` (atomically) with `index.csv`, on all cores. `progress` gets the count of drivers
/// done; `cancelled` is asked between drivers.
pub fn draft_batch(
    fleet: &Fleet,
    drivers: &[usize],
    as_of: Day,
    settings: &LetterSettings,
    out: &Path,
    progress: &(dyn Fn(usize) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Batch, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let threads = crate::parallel::cores().min(drivers.len().max(1));
    let done = std::sync::atomic::AtomicUsize::new(0);
    type Drafted = Vec<(usize, [String; 5], Vec<String>, Vec<EventRef>)>;
    let results: Vec<Result<Drafted, String>> = crate::parallel::map_on_threads(
        (0..threads).collect(),
        |t| -> Result<Drafted, String> {
            let mut rows = Vec::new();
            for (position, &driver) in drivers.iter().enumerate().skip(t).step_by(threads) {
                if cancelled() {
                    break;
                }
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                let disputable =
                    fleet.events(driver, as_of).map_err(|e| e.to_string())?.iter().any(Event::is_disputable);
                if !disputable {
                    continue;
                }
                let letter = draft(fleet, driver, as_of, LetterKind::Dispute, settings, &[])?;
                let eml = to_eml(&letter, chrono::Utc::now().timestamp())?;
                let file = letter.file_name();
                crate::fsutil::write_atomic(&out.join(&file), &eml)
                    .map_err(|e| format!("{}: cannot write: {e}", out.join(&file).display()))?;
                let problems = letter.problems.iter().map(|p| format!("{}: {p}", letter.driver_id)).collect();
                let refs = letter.event_refs;
                let row =
                    [letter.driver_id, letter.driver_name, file, letter.events.join(";"), letter.grounds.join(";")];
                rows.push((position, row, problems, refs));
            }
            Ok(rows)
        },
        || Err("a letter thread failed".to_string()),
    );
    let mut drafted = Vec::new();
    for r in results {
        drafted.extend(r?);
    }
    drafted.sort_by_key(|(position, _, _, _)| *position);
    let mut batch = Batch { cancelled: cancelled(), ..Batch::default() };
    for (_, row, problems, refs) in drafted {
        batch.written.push((row[0].clone(), row[2].clone(), refs));
        batch.index.push(row);
        batch.problems.extend(problems);
    }
    let mut buf = Vec::new();
    let mut csv = SafeCsv::new(&mut buf);
    let header = ["driver_id", "driver_name", "file", "events", "grounds"];
    csv.row(header).map_err(|e| e.to_string())?;
    for row in &batch.index {
        csv.row(row).map_err(|e| e.to_string())?;
    }
    csv.finish().map_err(|e| e.to_string())?;
    crate::fsutil::write_atomic(&out.join("index.csv"), &buf).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(batch)
}

/// Words outside the event lines: the part SPEC §4.2 limits to 120 words.
pub fn words_outside_event_lines(body: &str) -> usize {
    body.lines().filter(|l| !l.trim_start().starts_with("- ")).map(|l| l.split_whitespace().count()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Thresholds;
    use crate::import::text::decode_csv;
    use crate::import::{ImportOptions, load_texts};

    fn fleet() -> Fleet {
        let blocks = "driver_id,block_id,block_start,checked_in_at,departed_at\nD/1,B1,2026-03-02 07:00,2026-03-02 06:50,2026-03-02 08:30\n";
        let deliveries = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,dnr,photo\n\
                          T1,D/1,B1,2026-03-02 12:00,2026-03-02 13:00,delivered,,\n\
                          T2,D/1,B1,2026-03-02 12:00,2026-03-02 09:00,delivered,Y,photos/missing.jpg\n";
        let text = |n: &str, b: &str| decode_csv(n.into(), b.as_bytes().to_vec()).unwrap();
        let (data, _) =
            load_texts(text("b", blocks), text("d", deliveries), None, None, &ImportOptions::default()).unwrap();
        Fleet::build(&data, Thresholds::default()).unwrap()
    }

    #[test]
    fn a_letter_covers_the_disputable_events_and_reports_what_failed() {
        let f = fleet();
        let dir = tempfile::tempdir().unwrap();
        let settings = LetterSettings { evidence_dir: dir.path().to_path_buf(), ..LetterSettings::default() };
        let as_of = f.default_as_of().unwrap();
        let letter = draft(&f, 0, as_of, LetterKind::Dispute, &settings, &[]).unwrap();
        assert_eq!(letter.events, ["T2", "T1"], "oldest first");
        assert_eq!(letter.grounds, ["PHOTO_PROOF", "STATION_DELAY"]);
        assert!(letter.body.contains("left the station 90 min after the block start"), "{}", letter.body);
        assert!(words_outside_event_lines(&letter.body) <= 120);
        assert!(letter.problems.iter().any(|p| p.contains("photos/missing.jpg")), "{:?}", letter.problems);
        assert_eq!(letter.file_name(), "D_1-dispute-2026-03-04.eml");
        // Unticked events are left out.
        let fewer = draft(&f, 0, as_of, LetterKind::Dispute, &settings, &["T1".to_string()]).unwrap();
        assert_eq!(fewer.events, ["T2"]);
        assert!(!fewer.body.contains("T1"));
    }

    #[test]
    fn hostile_header_values_cannot_add_headers_recipients_or_parts() {
        let f = fleet();
        let dir = tempfile::tempdir().unwrap();
        let settings = LetterSettings { evidence_dir: dir.path().to_path_buf(), ..LetterSettings::default() };
        let mut letter = draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &settings, &[]).unwrap();
        letter.driver_name = "Eve\" <eve@x.test>, \"Mallory\r\nBcc: victim@x.test".to_string();
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
        let problems = draft(
            &f,
            0,
            f.default_as_of().unwrap(),
            LetterKind::Dispute,
            &LetterSettings { sender: "a@b, c@d".into(), ..settings },
            &[],
        )
        .unwrap()
        .problems;
        assert!(problems.iter().any(|p| p.contains("sender address 'a@b, c@d'")), "{problems:?}");
    }

    #[test]
    fn plain_addresses_only() {
        assert_eq!(plain_address(" ops@fleet.example "), Some("ops@fleet.example"));
        for bad in ["", "ops", "@x", "a@", "a@b@c", "a b@c", "a@b>", "a@b,c@d", "\"a\"@b", "a@b\r\nBcc: c@d"] {
            assert_eq!(plain_address(bad), None, "{bad:?}");
        }
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
        assert!(letter.body.contains("Please remove these events"));
        // A readable custom template is used as is.
        std::fs::write(templates.path().join("dispute.txt.j2"), "Custom for {{ driver_id }}").unwrap();
        let letter = draft(&f, 0, f.default_as_of().unwrap(), LetterKind::Dispute, &settings, &[]).unwrap();
        assert_eq!(letter.body, "Custom for D/1");
    }
}

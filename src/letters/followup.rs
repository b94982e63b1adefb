//! Follow-ups of a sent letter (SPEC §4.4): short, in the first letter's voice, threaded
//! under it (`Subject: Re: …`, `In-Reply-To` and `References` carrying its `Message-ID`),
//! with the first letter attached as it was saved (`message/rfc822`).

use super::eml::{header_value, plain_address};
use super::{LetterError, LetterKind, Voice};
use crate::import::time::Day;
use std::path::Path;

/// The first letter as it was saved: what its follow-ups answer to and attach.
#[derive(Debug, Clone)]
pub struct Original {
    pub subject: String,
    /// Without the angle brackets.
    pub message_id: Option<String>,
    pub from_name: String,
    pub from: String,
    pub to: String,
    /// The `.eml` as saved, attached to each follow-up.
    pub bytes: Vec<u8>,
    pub file_name: String,
}

impl Original {
    /// Reads a saved `.eml`.
    pub fn read(path: &Path) -> Result<Original, LetterError> {
        let bytes =
            std::fs::read(path).map_err(|source| LetterError::Read { path: path.display().to_string(), source })?;
        Ok(Original::parse(bytes, &path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())))
    }

    /// An `.eml`'s headers (a message that cannot be read gives empty ones).
    pub fn parse(bytes: Vec<u8>, file_name: &str) -> Original {
        let message = mail_parser::MessageParser::default().parse_headers(&bytes);
        let text = |value: Option<&str>| value.unwrap_or_default().to_string();
        let (subject, message_id, from_name, from, to) = match &message {
            Some(m) => {
                let from = m.from().and_then(|a| a.first());
                (
                    text(m.subject()),
                    m.message_id().map(str::to_string),
                    text(from.and_then(|a| a.name())),
                    text(from.and_then(|a| a.address())),
                    text(m.to().and_then(|a| a.first()).and_then(|a| a.address())),
                )
            }
            None => Default::default(),
        };
        Original { subject, message_id, from_name, from, to, file_name: file_name.to_string(), bytes }
    }
}

/// The `Message-ID` of a saved `.eml` (without brackets), if it can be read.
pub fn message_id_of(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    mail_parser::MessageParser::default().parse_headers(&bytes)?.message_id().map(str::to_string)
}

/// What a follow-up says about its case.
#[derive(Debug, Clone)]
pub struct Thread<'a> {
    pub kind: LetterKind,
    pub driver_id: &'a str,
    pub driver_name: &'a str,
    /// The day the first letter was sent.
    pub first_sent: Day,
    /// The events the first letter disputes.
    pub events: usize,
    /// This follow-up's number (1 for the first) and how many there may be.
    pub number: u32,
    pub max: u32,
}

/// A drafted follow-up.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub number: u32,
    pub voice: Voice,
    pub subject: String,
    pub body: String,
    pub original: Original,
}

/// The first letter's voice: the driver's when it came from the driver's name.
fn voice_of(original: &Original, driver_name: &str) -> Voice {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if original.from_name.trim().is_empty() || same(&original.from_name, driver_name) {
        Voice::Driver
    } else {
        Voice::Manager
    }
}

fn ordinal(n: u32) -> String {
    match n {
        2 => "second".to_string(),
        3 => "third".to_string(),
        4 => "fourth".to_string(),
        5 => "fifth".to_string(),
        n => format!("{n}th"),
    }
}

/// The follow-up's text: the first letter's day and its events, no answer yet, a request
/// for a decision; from the second on, which reminder it is; the last says what comes
/// next. At most 60 words besides ids and dates.
pub fn body(thread: &Thread, voice: Voice, signature: &str) -> String {
    let first = crate::report::day_text(thread.first_sent);
    let (i, we, us, our) = match voice {
        Voice::Driver => ("I", "I", "me", "my"),
        Voice::Manager => ("we", "We", "us", "our"),
    };
    let n = thread.events;
    let asked = match (thread.kind, voice) {
        (LetterKind::Dispute, Voice::Driver) => {
            format!(
                "to review {n} event{} on my account (transporter ID {})",
                if n == 1 { "" } else { "s" },
                thread.driver_id
            )
        }
        (LetterKind::Dispute, Voice::Manager) => format!(
            "to review {n} event{} of our driver {} (transporter ID {})",
            if n == 1 { "" } else { "s" },
            thread.driver_name,
            thread.driver_id
        ),
        (LetterKind::Reactivation, Voice::Driver) => {
            format!("to reactivate my account (transporter ID {})", thread.driver_id)
        }
        (LetterKind::Reactivation, Voice::Manager) => format!(
            "to reactivate the account of our driver {} (transporter ID {})",
            thread.driver_name, thread.driver_id
        ),
    };
    let them = if thread.kind == LetterKind::Reactivation || n == 1 { "it" } else { "them" };
    let mut text = format!(
        "Hello,\n\nOn {first} {i} asked you {asked}. {we} have had no answer yet. Please review {them} and \
         let {us} know your decision; {our} first letter is attached."
    );
    if thread.number >= 2 {
        text.push_str(&format!(" This is {our} {} reminder.", ordinal(thread.number)));
    }
    if thread.number >= thread.max {
        text.push_str(&format!(" Without an answer, {i} will take this to the station."));
    }
    text.push_str(&format!("\n\n{}\n", signature.trim()));
    text
}

/// Follow-up `thread.number` of the letter `original`.
pub fn draft(original: Original, thread: &Thread) -> FollowUp {
    let voice = voice_of(&original, thread.driver_name);
    let signature = if original.from_name.trim().is_empty() { thread.driver_name } else { original.from_name.as_str() };
    let subject = if original.subject.trim().is_empty() {
        format!("Re: {} ({})", thread.kind.name(), thread.driver_id)
    } else {
        format!("Re: {}", original.subject.trim())
    };
    FollowUp { number: thread.number, voice, subject, body: body(thread, voice, signature), original }
}

/// The follow-up as an `.eml` draft: from and to as the first letter, threaded under it,
/// the first letter attached unchanged.
pub fn to_eml(follow_up: &FollowUp, date_unix: i64) -> std::io::Result<Vec<u8>> {
    use mail_builder::headers::raw::Raw;
    use mail_builder::mime::MimePart;
    let original = &follow_up.original;
    let subject = header_value(&follow_up.subject);
    let name = header_value(&original.from_name);
    let from_address = plain_address(&original.from).unwrap_or("standwatch@localhost");
    let mut message = mail_builder::MessageBuilder::new()
        .from((name.as_str(), from_address))
        .subject(subject.as_str())
        .date(mail_builder::headers::date::Date::new(date_unix))
        .header("X-Unsent", Raw::new("1"));
    if let Some(to) = plain_address(&original.to) {
        message = message.to(to);
    }
    // A Message-ID is a dot-atom between brackets: anything else is left out, not written.
    if let Some(id) = original
        .message_id
        .as_deref()
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"".contains(c)))
    {
        message = message.in_reply_to(id).references(id);
    }
    let attached = MimePart::new("message/rfc822", original.bytes.as_slice())
        // RFC 2046 §5.2.1: a message/rfc822 part is not base64-encoded.
        .header("Content-Transfer-Encoding", Raw::new("8bit"))
        .attachment(header_value(&original.file_name));
    let text = MimePart::new("text/plain", follow_up.body.as_str());
    message.body(MimePart::new("multipart/mixed", vec![text, attached])).write_to_vec()
}

/// A follow-up's file name beside its letter: `<letter>-follow-up-<n>.eml`.
pub fn file_name(original_file: &str, number: u32) -> String {
    let stem = original_file.strip_suffix(".eml").unwrap_or(original_file);
    format!("{stem}-follow-up-{number}.eml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MimeHeaders;

    fn original(from_name: &str) -> Original {
        let letter = mail_builder::MessageBuilder::new()
            .from((from_name, "ops@fleet.example"))
            .to("support@amazon.example")
            .subject("Dispute of 3 events for José Núñez (D00007)")
            .message_id("abc.123@fleet.example")
            .text_body("Hello")
            .write_to_vec()
            .unwrap();
        Original::parse(letter, "D00007-dispute-2026-03-03.eml")
    }

    fn thread(number: u32) -> Thread<'static> {
        Thread {
            kind: LetterKind::Dispute,
            driver_id: "D00007",
            driver_name: "José Núñez",
            first_sent: 20_515,
            events: 3,
            number,
            max: 3,
        }
    }

    /// Words besides ids (D00007) and dates (2026-03-03).
    fn words(text: &str) -> usize {
        text.split_whitespace()
            .filter(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                let id = w.len() > 1 && w.starts_with('D') && w[1..].chars().all(|c| c.is_ascii_digit());
                let date = w.len() == 10 && w.chars().filter(|c| *c == '-').count() == 2;
                !id && !date
            })
            .count()
    }

    #[test]
    fn the_original_headers_are_read_back() {
        let o = original("Jordan Lee");
        assert_eq!(o.subject, "Dispute of 3 events for José Núñez (D00007)");
        assert_eq!(o.message_id.as_deref(), Some("abc.123@fleet.example"));
        assert_eq!(
            (o.from_name.as_str(), o.from.as_str(), o.to.as_str()),
            ("Jordan Lee", "ops@fleet.example", "support@amazon.example")
        );
    }

    #[test]
    fn a_follow_up_is_brief_in_the_first_letters_voice_and_says_which_it_is() {
        let manager = draft(original("Jordan Lee"), &thread(1));
        assert_eq!(manager.voice, Voice::Manager);
        assert_eq!(manager.subject, "Re: Dispute of 3 events for José Núñez (D00007)");
        assert!(
            manager.body.contains(
                "On 2026-03-03 we asked you to review 3 events of our driver José Núñez (transporter ID D00007)."
            ),
            "{}",
            manager.body
        );
        assert!(manager.body.contains("our first letter is attached") && manager.body.ends_with("Jordan Lee\n"));
        assert!(!manager.body.contains("reminder"));
        let driver = draft(original("José Núñez"), &thread(2));
        assert_eq!(driver.voice, Voice::Driver);
        assert!(
            driver.body.contains("I asked you to review 3 events on my account (transporter ID D00007)"),
            "{}",
            driver.body
        );
        assert!(driver.body.contains("This is my second reminder.") && !driver.body.contains("station"));
        let last = draft(original("José Núñez"), &thread(3));
        assert!(last.body.contains("third reminder. Without an answer, I will take this to the station."));
        for n in 1..=3 {
            for who in ["Jordan Lee", "José Núñez"] {
                let body = draft(original(who), &thread(n)).body;
                assert!(words(&body) <= 60, "{} words: {body}", words(&body));
            }
        }
        let mut one = thread(1);
        one.kind = LetterKind::Reactivation;
        assert!(
            draft(original("Jordan Lee"), &one).body.contains("to reactivate the account of our driver José Núñez")
        );
    }

    #[test]
    fn the_eml_replies_to_the_first_letter_and_carries_it_unchanged() {
        let follow_up = draft(original("Jordan Lee"), &thread(1));
        let bytes = to_eml(&follow_up, 1_772_524_800).unwrap();
        let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(message.subject(), Some("Re: Dispute of 3 events for José Núñez (D00007)"));
        assert_eq!(message.in_reply_to().as_text(), Some("abc.123@fleet.example"));
        assert_eq!(message.references().as_text(), Some("abc.123@fleet.example"));
        assert!(message.message_id().is_some_and(|id| id != "abc.123@fleet.example"));
        assert_eq!(message.header_raw("X-Unsent").map(str::trim), Some("1"));
        let attached = message.attachment(0).unwrap();
        assert_eq!(attached.content_type().map(|c| (c.ctype(), c.subtype())), Some(("message", Some("rfc822"))));
        let inner = attached.message().expect("an attached message");
        assert_eq!(inner.message_id(), Some("abc.123@fleet.example"));
        assert_eq!(inner.raw_message(), follow_up.original.bytes.as_slice());
        assert_eq!(file_name("D00007-dispute-2026-03-03.eml", 2), "D00007-dispute-2026-03-03-follow-up-2.eml");
    }
}

//! A letter as an `.eml` draft (RFC 5322, `multipart/mixed`, `X-Unsent: 1`) that mail
//! programs open for editing. Header values come from data and settings: nothing in them
//! can add a header, a recipient or a part.

use super::Letter;

/// No control characters (a newline in a name, say) in a header value.
pub(super) fn header_value(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

/// `local@domain` with nothing that could close the angle brackets or add a second
/// address (`>`, `,`, quotes, spaces); anything else is not written into a header.
pub fn plain_address(text: &str) -> Option<&str> {
    let text = text.trim();
    let (local, domain) = text.split_once('@')?;
    let allowed = |c: char| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c);
    let valid = !local.is_empty() && !domain.is_empty() && local.chars().chain(domain.chars()).all(allowed);
    valid.then_some(text)
}

/// The letter as an RFC 5322 `multipart/mixed` draft.
pub fn to_eml(letter: &Letter, date_unix: i64) -> std::io::Result<Vec<u8>> {
    let subject = header_value(&letter.subject);
    let name = header_value(&letter.from_name);
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
        // Text attachments (the evidence CSV) are UTF-8, said so: names with accents open
        // right in a mail program and in Excel.
        let mut content_type = mail_builder::headers::content_type::ContentType::new(a.content_type);
        if content_type.is_text() {
            content_type = content_type.attribute("charset", "utf-8");
        }
        message = message.attachment(content_type, a.file_name.as_str(), a.bytes.as_slice());
    }
    message.write_to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_only() {
        assert_eq!(plain_address(" ops@fleet.example "), Some("ops@fleet.example"));
        for bad in ["", "ops", "@x", "a@", "a@b@c", "a b@c", "a@b>", "a@b,c@d", "\"a\"@b", "a@b\r\nBcc: c@d"] {
            assert_eq!(plain_address(bad), None, "{bad:?}");
        }
    }
}

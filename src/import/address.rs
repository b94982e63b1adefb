//! docs/rules.md §1.13: delivery addresses compared by building. An apartment complex or a
//! mail room collects DNR claims whoever delivers there; its units are one address.

/// The words that start a unit within a building (`Apt 4B`, `Suite 200`, `#12`).
const UNIT_WORDS: [&str; 5] = ["apt", "apartment", "unit", "suite", "ste"];

/// Whether a word starts a unit designator: one of [`UNIT_WORDS`] (a trailing `.` or `:`
/// allowed), or a word starting with `#`.
fn starts_unit(word: &str) -> bool {
    if word.starts_with('#') {
        return true;
    }
    let bare = word.trim_end_matches(['.', ':', '#']);
    UNIT_WORDS.iter().any(|unit| bare.eq_ignore_ascii_case(unit))
}

/// A ZIP+4 code (`62704-1234`) read as its five digits; any other word as it is.
fn zip5(word: &str) -> &str {
    let b = word.as_bytes();
    if b.len() == 10 && b[5] == b'-' && b[..5].iter().chain(&b[6..]).all(u8::is_ascii_digit) {
        &word[..5]
    } else {
        word
    }
}

/// The building an address is in, as a key to compare addresses by: lower case, the unit
/// dropped, a ZIP+4 read as five digits, punctuation and runs of spaces ignored. Empty when
/// nothing is left.
pub fn building_key(address: &str) -> String {
    let mut key = String::with_capacity(address.len());
    // Read in one pass, as `building_label` reads it, without building the parts: every
    // address of a fleet's claims and access problems is keyed.
    for part in address.split(',') {
        for word in part.split_whitespace().take_while(|w| !starts_unit(w)).map(zip5) {
            for c in word.chars() {
                if c.is_ascii_alphanumeric() {
                    key.push(c.to_ascii_lowercase());
                } else if c.is_alphanumeric() {
                    key.extend(c.to_lowercase());
                } else if !key.is_empty() && !key.ends_with(' ') {
                    key.push(' ');
                }
            }
            if !key.is_empty() && !key.ends_with(' ') {
                key.push(' ');
            }
        }
    }
    key.truncate(key.trim_end().len());
    key
}

/// The building of an address as people read it: the address as written without its unit
/// (`12 Elm St Apt 4, Springfield` → `12 Elm St, Springfield`).
pub fn building_label(address: &str) -> String {
    // The comma-separated parts with each unit designator and what follows it (up to the
    // next comma) dropped, parts left empty dropped too; written into one string, as every
    // clustered event's address is labelled.
    let mut label = String::with_capacity(address.len());
    for part in address.split(',') {
        let mut words = part.split_whitespace().take_while(|w| !starts_unit(w)).peekable();
        if words.peek().is_none() {
            continue;
        }
        if !label.is_empty() {
            label.push_str(", ");
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                label.push(' ');
            }
            label.push_str(word);
        }
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_one_building_are_one_address() {
        let building = "1200 maple ave springfield il 62704";
        for written in [
            "1200 Maple Ave, Springfield, IL 62704",
            "1200 Maple Ave Apt 4B, Springfield, IL 62704",
            "1200 MAPLE AVE., APT. 12, SPRINGFIELD IL 62704-1234",
            "1200 Maple Ave, Apartment 3, Springfield, IL 62704",
            "1200 Maple Ave Unit 7, Springfield, IL 62704",
            "1200 Maple Ave Suite 200, Springfield, IL 62704",
            "1200 Maple Ave Ste 200, Springfield, IL 62704",
            "1200 Maple Ave #12, Springfield, IL 62704",
            "1200 Maple Ave # 12, Springfield, IL 62704",
            "  1200  Maple   Ave ,Springfield , IL  62704 ",
        ] {
            assert_eq!(building_key(written), building, "{written}");
        }
    }

    #[test]
    fn other_buildings_and_words_that_only_look_like_units_stay_apart() {
        assert_ne!(building_key("1200 Maple Ave, Springfield"), building_key("1202 Maple Ave, Springfield"));
        assert_eq!(building_key("4 Unity Rd, Suiteville"), "4 unity rd suiteville");
        assert_eq!(building_key("9 Stevens St"), "9 stevens st");
        // A ZIP code with a bad +4 part is kept as written (digits and all).
        assert_eq!(building_key("1 A St 62704-12"), "1 a st 62704 12");
        assert_eq!(building_key(""), "");
        assert_eq!(building_key("Apt 4"), "");
        assert_eq!(building_key("Café Straße 5, München"), "café straße 5 münchen");
    }

    #[test]
    fn the_label_keeps_the_address_as_written_without_its_unit() {
        assert_eq!(
            building_label("1200 Maple Ave Apt 4B, Springfield, IL 62704"),
            "1200 Maple Ave, Springfield, IL 62704"
        );
        assert_eq!(building_label("1200 Maple Ave, #4, Springfield"), "1200 Maple Ave, Springfield");
        assert_eq!(building_label("  12   Elm St "), "12 Elm St");
    }
}

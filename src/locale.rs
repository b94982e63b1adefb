//! The user's region, from the system's locale: what the paper of coaching sheets starts as
//! (US Letter where it is the standard, A4 elsewhere).

use crate::documents::pdf::Paper;

/// Regions whose standard paper is US Letter.
const LETTER_REGIONS: [&str; 16] =
    ["US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA", "DO", "SV", "NI", "HN", "BZ"];

/// The region of a locale name: `en_US.UTF-8`, `en-US`, `es_MX@euro` → the two letters after
/// the language; `None` for `C`, `POSIX` or a language alone.
pub fn region(locale: &str) -> Option<&str> {
    let name = locale.split(['.', '@']).next()?;
    let region = name.split(['_', '-']).nth(1)?;
    (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic())).then_some(region)
}

/// The standard paper of a locale's region (A4 when the region is not known).
pub fn paper_of(locale: Option<&str>) -> Paper {
    match locale.and_then(region) {
        Some(r) if LETTER_REGIONS.iter().any(|l| l.eq_ignore_ascii_case(r)) => Paper::Letter,
        _ => Paper::A4,
    }
}

/// The paper of the user's locale.
pub fn paper() -> Paper {
    paper_of(locale_name().as_deref())
}

#[cfg(not(windows))]
fn locale_name() -> Option<String> {
    // The paper's own setting first, as the C library reads them.
    ["LC_ALL", "LC_PAPER", "LANG"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}

#[cfg(windows)]
fn locale_name() -> Option<String> {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetUserDefaultLocaleName(name: *mut u16, len: i32) -> i32;
    }
    // LOCALE_NAME_MAX_LENGTH wide characters, as the function asks.
    let mut buffer = [0u16; 85];
    // SAFETY: the buffer holds as many wide characters as its length says; the function
    // writes at most that many and returns the count with the terminating null.
    let written = unsafe { GetUserDefaultLocaleName(buffer.as_mut_ptr(), buffer.len() as i32) };
    (written > 1).then(|| String::from_utf16_lossy(&buffer[..written as usize - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_where_it_is_the_standard() {
        assert_eq!(region("en_US.UTF-8"), Some("US"));
        assert_eq!(region("es-MX"), Some("MX"));
        assert_eq!(region("de_DE@euro"), Some("DE"));
        assert_eq!(region("C"), None);
        assert_eq!(region("C.UTF-8"), None);
        assert_eq!(region("fr"), None);
        assert_eq!(paper_of(Some("en_US.UTF-8")), Paper::Letter);
        assert_eq!(paper_of(Some("fr-CA")), Paper::Letter);
        assert_eq!(paper_of(Some("en_GB.UTF-8")), Paper::A4);
        assert_eq!(paper_of(Some("POSIX")), Paper::A4);
        assert_eq!(paper_of(None), Paper::A4);
    }
}

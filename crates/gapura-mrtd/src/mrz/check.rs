//! The check digit of Doc 9303 Part 3 §4.9: weights 7, 3, 1 repeating, `0`–`9` worth their
//! value, `A`–`Z` worth 10–35, the filler `<` worth 0, sum modulo 10.
//!
//! Worth knowing when relying on it: two characters whose values differ by a multiple of 10
//! (`0`, `<`, `A`, `K`, `U`; `1`, `B`, `L`, `V`; …) are interchangeable as far as the check digit
//! can tell, so the digit alone cannot catch every misread. The parser adds format checks
//! (digits only in dates and check-digit positions) to close that gap where the standard allows.

/// The repeating weights of Doc 9303 Part 3 §4.9.
pub const CHECK_DIGIT_WEIGHTS: [u32; 3] = [7, 3, 1];

/// The value Doc 9303 gives a character, or `None` if it is not an MRZ character.
pub fn char_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        '<' => Some(0),
        _ => None,
    }
}

/// The check digit over `data`, or `None` if `data` holds a character that is not an MRZ
/// character (so no digit could be printed for it).
pub fn check_digit(data: &str) -> Option<char> {
    check_digit_of(data.chars())
}

/// As [`check_digit`], over any sequence of characters (the composite check digit covers
/// several separate spans).
pub(crate) fn check_digit_of(chars: impl IntoIterator<Item = char>) -> Option<char> {
    let mut sum: u32 = 0;
    for (i, c) in chars.into_iter().enumerate() {
        let value = char_value(c)?;
        sum = (sum + value * CHECK_DIGIT_WEIGHTS[i % 3]) % 10;
    }
    char::from_digit(sum, 10)
}

//! International bank account numbers: the form and the ISO 13616 check digits, so a typo in
//! an employee's account is caught when it is typed, not when the salary bounces.

/// The IBAN without spaces and in capitals, if it is one: 15 to 34 letters and digits, a
/// country code, two check digits, and the remainder 1 modulo 97.
pub fn normalize(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let form = (15..=34).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
        && s[..2].chars().all(|c| c.is_ascii_alphabetic())
        && s[2..4].chars().all(|c| c.is_ascii_digit());
    if !form {
        return None;
    }
    let moved = s[4..].chars().chain(s[..4].chars());
    let mut rest: u32 = 0;
    for c in moved {
        let value = c.to_digit(36)?;
        for digit in value.to_string().chars() {
            rest = (rest * 10 + digit.to_digit(10)?) % 97;
        }
    }
    (rest == 1).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn check_digits_catch_a_typo() {
        // The examples of the standard's registry: a German and a British account.
        assert_eq!(
            normalize("de89 3704 0044 0532 0130 00").as_deref(),
            Some("DE89370400440532013000")
        );
        assert!(normalize("GB29NWBK60161331926819").is_some());
        // One digit changed, two swapped, too short, not letters first.
        assert!(normalize("DE89370400440532013001").is_none());
        assert!(normalize("DE89370400440532031000").is_none());
        assert!(normalize("DE8937040044").is_none());
        assert!(normalize("1289370400440532013000").is_none());
    }
}

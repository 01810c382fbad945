//! Passwords are hashed with argon2id (the crate's default parameters).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::error::{AppError, Validator};

pub const MIN_LENGTH: usize = 8;
/// Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
pub const MAX_LENGTH: usize = 256;

/// Checks the password policy, reporting under `field`.
pub fn check_policy(v: &mut Validator, field: &str, password: &str) {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        v.add(field, format!("must be at least {MIN_LENGTH} characters"));
    } else if n > MAX_LENGTH {
        v.add(field, format!("must be at most {MAX_LENGTH} characters"));
    }
}

pub fn hash(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// True when `password` matches `stored`. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_LENGTH {
        return false;
    }
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

/// Spends the time of one verification, so that an unknown user name takes as long to
/// refuse as a wrong password.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("dummy-password-for-timing").unwrap_or_default());
    let _ = verify(password, stored);
}

#[cfg(test)]
mod tests {
    #[test]
    fn verifies_only_the_right_password() {
        let h = super::hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("correct horse battery", &h));
        assert!(!super::verify("correct horse batterz", &h));
        assert!(!super::verify("x", "not a hash"));
    }
}

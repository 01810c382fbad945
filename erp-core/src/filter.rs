//! Filters that name a record. A list or report whose filter names a record that does not
//! exist, or that the caller may not see, answers 404 `not_found` naming that record, never
//! an empty page: a mistyped id must not read as "nothing there" (`docs/API-DESIGN.md`).

use crate::error::AppError;

/// Checks the record a filter names, when it names one, with the record's own loader (and
/// its 404).
pub fn names<I, T>(
    id: Option<I>,
    load: impl FnOnce(I) -> Result<T, AppError>,
) -> Result<(), AppError> {
    match id {
        Some(id) => load(id).map(drop),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_filter_loads_nothing_and_a_missing_record_is_its_loaders_404() {
        let never = |_: u8| -> Result<(), AppError> { panic!("loaded without a filter") };
        assert!(names(None, never).is_ok());
        assert!(names(Some(1), |_| Ok::<_, AppError>(())).is_ok());
        let missing = names(Some(1), |_| Err::<(), _>(AppError::NotFound("user")));
        assert!(matches!(missing, Err(AppError::NotFound("user"))));
    }
}

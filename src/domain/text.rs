//! The one rule for free text in requests: trimmed, counted in characters (not bytes), and
//! within the field's limit. Every name, label, reason, note and summary goes through here.

use crate::domain::FieldError;

/// Required text: trimmed, 1 to `max` characters.
pub fn required(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be 1 to {max} characters"),
        ));
    }
    Ok(t.to_string())
}

/// Optional text: trimmed; blank is absent; at most `max` characters.
pub fn optional(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>, FieldError> {
    let Some(t) = s.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(Some(t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text() {
        assert_eq!(required("name", "  Ana  ", 100).unwrap(), "Ana");
        assert!(required("name", "   ", 100).is_err());
        assert!(required("name", "", 100).is_err());
        // Characters, not bytes: five accented letters fit in five.
        assert_eq!(required("name", "ÉÉÉÉÉ", 5).unwrap(), "ÉÉÉÉÉ");
        let e = required("name", "ÉÉÉÉÉÉ", 5).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("name", "must be 1 to 5 characters")
        );
    }

    #[test]
    fn optional_text() {
        assert_eq!(optional("note", None, 10).unwrap(), None);
        assert_eq!(optional("note", Some("  \n "), 10).unwrap(), None);
        assert_eq!(
            optional("note", Some(" ok "), 10).unwrap(),
            Some("ok".into())
        );
        assert_eq!(
            optional("note", Some("ééééééééé é"), 10)
                .unwrap_err()
                .message,
            "must be at most 10 characters"
        );
    }
}

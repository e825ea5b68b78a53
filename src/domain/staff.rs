//! Staff: disciplines of a multidisciplinary team and username rules.

pub const DISCIPLINES: &[&str] = &[
    "team_lead",
    "psychiatrist",
    "nurse",
    "case_manager",
    "social_worker",
    "peer_specialist",
    "substance_use_specialist",
    "employment_specialist",
    "housing_specialist",
    "other",
];

pub fn check_discipline(d: &str) -> Result<(), String> {
    if DISCIPLINES.contains(&d) {
        Ok(())
    } else {
        Err(format!("must be one of {}", DISCIPLINES.join(", ")))
    }
}

/// Usernames are compared lower-case; 3–64 characters of letters, digits, `.`, `_`, `-`.
pub fn normalize_username(u: &str) -> Result<String, String> {
    let u = u.trim().to_lowercase();
    if u.len() < 3 || u.len() > 64 {
        return Err("must be 3 to 64 characters".into());
    }
    if !u
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err("may contain only letters, digits, '.', '_', '-' and '@'".into());
    }
    Ok(u)
}

pub fn check_display_name(n: &str) -> Result<String, String> {
    super::text::required("display_name", n, 100).map_err(|e| e.message)
}

/// A staff member's initials from their display name: the first letter of the first and of
/// the last word ("Maria José Lopez" → "ML", "nurse7" → "N"). What a privacy display shows of
/// a responder.
pub fn initials(display_name: &str) -> String {
    let first = |w: &str| {
        w.chars()
            .find(|c| c.is_alphanumeric())
            .map(|c| c.to_uppercase().collect::<String>())
            .unwrap_or_default()
    };
    let words: Vec<&str> = display_name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => first(one),
        [a, .., z] => format!("{}{}", first(a), first(z)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_initials() {
        assert_eq!(initials("Maria José Lopez"), "ML");
        assert_eq!(initials("  sam  "), "S");
        assert_eq!(initials("émile zola"), "ÉZ");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn usernames() {
        assert_eq!(normalize_username(" Alice.M ").unwrap(), "alice.m");
        assert!(normalize_username("ab").is_err());
        assert!(normalize_username("bad name").is_err());
        assert!(normalize_username(&"x".repeat(65)).is_err());
    }

    #[test]
    fn disciplines() {
        assert!(check_discipline("nurse").is_ok());
        assert!(check_discipline("wizard").is_err());
    }
}

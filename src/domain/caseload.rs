//! ICM caseload arithmetic.

/// A case manager may take one more client while below the cap.
pub fn has_room(current: i32, cap: i32) -> bool {
    current < cap
}

/// Lowering the cap: the people whose caseload is above the new cap, who block it.
pub fn over_new_cap(counts: &[(String, String, i32)], new_cap: i32) -> Vec<&(String, String, i32)> {
    counts.iter().filter(|(_, _, n)| *n > new_cap).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_and_cap_changes() {
        assert!(has_room(14, 15));
        assert!(!has_room(15, 15));
        assert!(!has_room(12, 12));
        assert!(has_room(0, 1));
        let counts = vec![
            ("a".to_string(), "Ann".to_string(), 13),
            ("b".to_string(), "Bo".to_string(), 9),
        ];
        assert_eq!(over_new_cap(&counts, 12).len(), 1);
        assert_eq!(over_new_cap(&counts, 13).len(), 0);
        assert_eq!(over_new_cap(&counts, 8).len(), 2);
    }
}

//! Clients: lifecycle, risk tier, initials, and which clients count toward an ICM caseload.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Referred,
    Screening,
    Active,
    Transitioning,
    Discharged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Referred => "referred",
            Status::Screening => "screening",
            Status::Active => "active",
            Status::Transitioning => "transitioning",
            Status::Discharged => "discharged",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "referred" => Status::Referred,
            "screening" => Status::Screening,
            "active" => Status::Active,
            "transitioning" => Status::Transitioning,
            "discharged" => Status::Discharged,
            _ => return None,
        })
    }

    /// On the caseload: an active client, or one stepping down who is still served until
    /// discharge. These hold a case manager's ICM slot.
    pub fn holds_slot(self) -> bool {
        matches!(self, Status::Active | Status::Transitioning)
    }

    /// Statuses a new client may start in (admission straight to active is allowed).
    pub fn is_initial(self) -> bool {
        matches!(self, Status::Referred | Status::Screening | Status::Active)
    }
}

/// The lifecycle `referred → screening → active → transitioning → discharged`, with the
/// moves real teams make: a referral or screening can end in discharge (not eligible),
/// a transitioning client can step back up to active, and a discharged client can be
/// re-referred or reactivated.
pub fn can_move(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (Referred, Screening)
                | (Referred, Discharged)
                | (Screening, Active)
                | (Screening, Discharged)
                | (Active, Transitioning)
                | (Active, Discharged)
                | (Transitioning, Active)
                | (Transitioning, Discharged)
                | (Discharged, Referred)
                | (Discharged, Active)
        )
}

pub fn move_error(from: Status, to: Status) -> String {
    format!(
        "a client cannot go from {} to {}; the lifecycle is referred → screening → active → transitioning → discharged",
        from.as_str(),
        to.as_str()
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskTier {
    Low,
    Medium,
    High,
}

impl RiskTier {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskTier::Low => "low",
            RiskTier::Medium => "medium",
            RiskTier::High => "high",
        }
    }
}

/// "Maria José García-López" → "MG": first letter of the given and of the family name.
pub fn initials(given: &str, family: &str) -> String {
    let first = |s: &str| {
        s.trim()
            .chars()
            .find(|c| c.is_alphabetic())
            .map(|c| c.to_uppercase().collect::<String>())
    };
    format!(
        "{}{}",
        first(given).unwrap_or_default(),
        first(family).unwrap_or_default()
    )
}

/// Who holds a slot for this client: its case manager, when its status holds one.
pub fn slot_holder(status: Status, case_manager: Option<&str>) -> Option<&str> {
    if status.holds_slot() {
        case_manager
    } else {
        None
    }
}

/// The caseload change of one client write: whose slot is released and who must take one.
/// Unchanged holder → nothing (a PATCH of other fields never counts twice).
pub fn slot_change<'a>(
    before: Option<&'a str>,
    after: Option<&'a str>,
) -> (Option<&'a str>, Option<&'a str>) {
    if before == after {
        (None, None)
    } else {
        (before, after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn lifecycle() {
        assert!(can_move(Referred, Screening));
        assert!(can_move(Screening, Active));
        assert!(can_move(Active, Transitioning));
        assert!(can_move(Transitioning, Discharged));
        assert!(can_move(Discharged, Active), "reactivation");
        assert!(can_move(Active, Active));
        assert!(
            !can_move(Referred, Active),
            "no admission without screening"
        );
        assert!(!can_move(Referred, Transitioning));
        assert!(!can_move(Discharged, Transitioning));
        assert!(!can_move(Screening, Transitioning));
        assert!(move_error(Referred, Transitioning).contains("referred → screening"));
        for s in [Referred, Screening, Active, Transitioning, Discharged] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn initials_from_names() {
        assert_eq!(initials("maria josé", "García-López"), "MG");
        assert_eq!(initials("  Émile", "zola"), "ÉZ");
        assert_eq!(initials("J.", "O'Neil"), "JO");
        assert_eq!(initials("", "Smith"), "S");
    }

    #[test]
    fn slots() {
        assert_eq!(slot_holder(Active, Some("a")), Some("a"));
        assert_eq!(slot_holder(Transitioning, Some("a")), Some("a"));
        assert_eq!(slot_holder(Screening, Some("a")), None);
        assert_eq!(slot_holder(Discharged, Some("a")), None);
        // Reassignment: release the old, take the new.
        assert_eq!(slot_change(Some("a"), Some("b")), (Some("a"), Some("b")));
        // Reactivation from discharged takes a slot.
        assert_eq!(
            slot_change(
                slot_holder(Discharged, Some("a")),
                slot_holder(Active, Some("a"))
            ),
            (None, Some("a"))
        );
        // Discharge releases it.
        assert_eq!(slot_change(Some("a"), None), (Some("a"), None));
        // Other fields changed: nothing.
        assert_eq!(slot_change(Some("a"), Some("a")), (None, None));
    }
}

//! Team roles and what each may do.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads the team's board and records; changes nothing.
    Viewer,
    /// Does the daily work: logs contacts, raises and acknowledges flags, hands off.
    Member,
    /// Runs the team: membership, reassignment, admissions, display tokens.
    Lead,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Member => "member",
            Role::Lead => "lead",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "member" => Some(Role::Member),
            "lead" => Some(Role::Lead),
            _ => None,
        }
    }

    /// A working member: may be named on a visit, carry clients, take an on-call shift or a
    /// handoff. Viewers only watch.
    pub fn works(self) -> bool {
        self != Role::Viewer
    }
}

/// What a caller is on one team: an admin (everything, on every team) or a member with a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Admin,
    Member(Role),
}

impl Standing {
    /// At least `role` on this team (admins pass every check).
    pub fn at_least(self, role: Role) -> bool {
        match self {
            Standing::Admin => true,
            Standing::Member(r) => r >= role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_and_admin() {
        assert!(Standing::Member(Role::Lead).at_least(Role::Member));
        assert!(Standing::Member(Role::Member).at_least(Role::Viewer));
        assert!(!Standing::Member(Role::Viewer).at_least(Role::Member));
        assert!(!Standing::Member(Role::Member).at_least(Role::Lead));
        assert!(Standing::Admin.at_least(Role::Lead));
        for r in [Role::Viewer, Role::Member, Role::Lead] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Lead.works() && Role::Member.works() && !Role::Viewer.works());
    }
}

/// A team keeps at least one lead: refuse a change that would demote or remove the last one.
/// `leads` counts the team's leads now; `target_was_lead` says whether the person changed is one.
pub fn leaves_no_lead(leads: i64, target_was_lead: bool, new_role: Option<Role>) -> bool {
    target_was_lead && leads <= 1 && new_role != Some(Role::Lead)
}

#[cfg(test)]
mod lead_tests {
    use super::*;

    #[test]
    fn last_lead_stays() {
        assert!(leaves_no_lead(1, true, None));
        assert!(leaves_no_lead(1, true, Some(Role::Member)));
        assert!(!leaves_no_lead(1, true, Some(Role::Lead)));
        assert!(!leaves_no_lead(2, true, None));
        assert!(!leaves_no_lead(1, false, None));
    }
}

//! Clients: lifecycle, risk tier, initials, and which clients count toward an ICM caseload.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Referred,
    Screening,
    Active,
    Transitioning,
    Discharged,
    /// Screened and not taken on (the referral was declined, or the person declined).
    Declined,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Referred => "referred",
            Status::Screening => "screening",
            Status::Active => "active",
            Status::Transitioning => "transitioning",
            Status::Discharged => "discharged",
            Status::Declined => "declined",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "referred" => Status::Referred,
            "screening" => Status::Screening,
            "active" => Status::Active,
            "transitioning" => Status::Transitioning,
            "discharged" => Status::Discharged,
            "declined" => Status::Declined,
            _ => return None,
        })
    }

    /// On the caseload: an active client, or one stepping down who is still served until
    /// discharge. These hold a case manager's ICM slot.
    pub fn holds_slot(self) -> bool {
        matches!(self, Status::Active | Status::Transitioning)
    }

    /// Off the roster: discharged, or declined after screening. No board row, so no flag
    /// and no planned visit for them.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Discharged | Status::Declined)
    }

    /// The stored names of the closed statuses, for queries that leave them out.
    pub const CLOSED: [&'static str; 2] = ["discharged", "declined"];

    /// Statuses a new client may start in (admission straight to active is allowed).
    pub fn is_initial(self) -> bool {
        matches!(self, Status::Referred | Status::Screening | Status::Active)
    }
}

/// The enrolment day a write leaves: kept once set; otherwise the day the client first
/// becomes active (or is created already on the caseload), `today` unless a past day was given.
pub fn enrolment_day(
    stored: Option<NaiveDate>,
    status: Status,
    given: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    stored.or_else(|| status.holds_slot().then(|| given.unwrap_or(today)))
}

/// The lifecycle `referred → screening → active → transitioning → discharged`, with the
/// moves real teams make: a referral or screening can end in `declined` (screened and not
/// taken on; such a person may be referred again) or discharge,
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
                | (Referred, Declined)
                | (Screening, Declined)
                | (Declined, Referred)
        )
}

pub fn move_error(from: Status, to: Status) -> String {
    format!(
        "a client cannot go from {} to {}; the lifecycle is referred → screening → active → transitioning → discharged (or declined after screening)",
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
    pub fn parse(s: &str) -> Option<RiskTier> {
        Some(match s {
            "low" => RiskTier::Low,
            "medium" => RiskTier::Medium,
            "high" => RiskTier::High,
            _ => return None,
        })
    }
}

/// Why a client write is refused before anything is stored: the field (or the code) and
/// the words. One rule for every path that writes a client (the API's `store::clients::save`
/// and the CSV import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteRefusal {
    /// 422 `invalid_transition`: the lifecycle does not allow the move.
    Transition(String),
    /// 422 `validation_failed` on a field.
    Field(&'static str, &'static str),
}

/// The lifecycle rule of one client write: `before` is the stored status (`None` for a new
/// client), `after` the status it will have.
pub fn check_move(before: Option<Status>, after: Status) -> Result<(), WriteRefusal> {
    match before {
        Some(from) if !can_move(from, after) => {
            Err(WriteRefusal::Transition(move_error(from, after)))
        }
        None if !after.is_initial() => Err(WriteRefusal::Field(
            "status",
            "a new client starts as referred, screening or active",
        )),
        _ => Ok(()),
    }
}

/// An active or transitioning client of an ICM team (`icm`) has a case manager.
pub fn check_case_manager_needed(
    icm: bool,
    after: Status,
    has_case_manager: bool,
) -> Result<(), WriteRefusal> {
    if icm && after.holds_slot() && !has_case_manager {
        return Err(WriteRefusal::Field(
            "case_manager_id",
            "an active or transitioning client of an ICM team needs a case manager",
        ));
    }
    Ok(())
}

/// Both rules of one client write, lifecycle first.
pub fn check_write(
    before: Option<Status>,
    after: Status,
    icm: bool,
    has_case_manager: bool,
) -> Result<(), WriteRefusal> {
    check_move(before, after)?;
    check_case_manager_needed(icm, after, has_case_manager)
}

/// Why a client left: recorded with every discharge so dropout and graduation can be told
/// apart later (outcomes, fidelity S2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DischargeReason {
    GoalsMet,
    Moved,
    TransferredOut,
    DeclinedServices,
    Incarcerated,
    LongTermHospital,
    Died,
    LostToContact,
    Other,
}

impl DischargeReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DischargeReason::GoalsMet => "goals_met",
            DischargeReason::Moved => "moved",
            DischargeReason::TransferredOut => "transferred_out",
            DischargeReason::DeclinedServices => "declined_services",
            DischargeReason::Incarcerated => "incarcerated",
            DischargeReason::LongTermHospital => "long_term_hospital",
            DischargeReason::Died => "died",
            DischargeReason::LostToContact => "lost_to_contact",
            DischargeReason::Other => "other",
        }
    }
}

/// The discharge fields of a client write, as given (absent: not given).
#[derive(Debug, Clone, Copy, Default)]
pub struct DischargeInput {
    pub reason: Option<DischargeReason>,
    /// The team-local day the discharge took effect.
    pub on: Option<chrono::NaiveDate>,
    /// `resolve_open_flags` was given.
    pub resolve_flags: bool,
}

/// What a client write does to the discharge record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DischargeChange {
    /// Nothing to record.
    Keep,
    /// A discharge now (`reason` required) or a correction of a recorded one (`new` false:
    /// only the given fields change). Open flags must be resolved first.
    Record {
        new: bool,
        reason: Option<DischargeReason>,
        on: Option<chrono::NaiveDate>,
    },
    /// The client returns (re-referral or reactivation): the record is cleared; the event log
    /// keeps the old one.
    Clear,
}

/// The discharge rule of one client write from `before` to `after`: a discharge needs a
/// reason; the discharge fields only go with a discharged client; the day is not in the
/// future (`today` is team-local) and not before 2000.
pub fn discharge_change(
    before: Status,
    after: Status,
    input: DischargeInput,
    today: chrono::NaiveDate,
) -> Result<DischargeChange, Vec<crate::domain::FieldError>> {
    use crate::domain::FieldError;
    let mut errors = vec![];
    if let Some(on) = input.on {
        let earliest = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(on);
        if on > today {
            errors.push(FieldError::new(
                "discharged_on",
                "must not be in the future",
            ));
        } else if on < earliest {
            errors.push(FieldError::new("discharged_on", "must be in 2000 or later"));
        }
    }
    let change = if after == Status::Discharged {
        let new = before != Status::Discharged;
        if new && input.reason.is_none() {
            errors.push(FieldError::new(
                "discharge_reason",
                "is required to discharge a client: goals_met, moved, transferred_out, declined_services, incarcerated, long_term_hospital, died, lost_to_contact or other",
            ));
        }
        if new || input.reason.is_some() || input.on.is_some() || input.resolve_flags {
            DischargeChange::Record {
                new,
                reason: input.reason,
                on: input.on,
            }
        } else {
            DischargeChange::Keep
        }
    } else {
        let only = "only goes with status discharged";
        if input.reason.is_some() {
            errors.push(FieldError::new("discharge_reason", only));
        }
        if input.on.is_some() {
            errors.push(FieldError::new("discharged_on", only));
        }
        if input.resolve_flags {
            errors.push(FieldError::new("resolve_open_flags", only));
        }
        if before == Status::Discharged {
            DischargeChange::Clear
        } else {
            DischargeChange::Keep
        }
    };
    if errors.is_empty() {
        Ok(change)
    } else {
        Err(errors)
    }
}

/// The on-call details and their limits in characters (phone, address, crisis plan,
/// emergency contact).
pub const DETAIL_LIMITS: [(&str, usize); 4] = [
    ("phone", 40),
    ("address", 300),
    ("crisis_plan", 4000),
    ("emergency_contact", 300),
];

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
        assert!(can_move(Screening, Declined));
        assert!(can_move(Declined, Referred));
        assert!(!can_move(Declined, Active));
        let closed: Vec<Status> = [
            Referred,
            Screening,
            Active,
            Transitioning,
            Discharged,
            Declined,
        ]
        .into_iter()
        .filter(|s| s.is_closed())
        .collect();
        assert_eq!(closed, [Discharged, Declined]);
        assert_eq!(
            Status::CLOSED.map(Status::parse),
            [Some(Discharged), Some(Declined)]
        );
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
        for s in [
            Referred,
            Screening,
            Active,
            Transitioning,
            Discharged,
            Declined,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn discharge_rules() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let reason = Some(DischargeReason::GoalsMet);
        let input = |reason, on, resolve_flags| DischargeInput {
            reason,
            on,
            resolve_flags,
        };
        let fields = |r: Result<DischargeChange, Vec<crate::domain::FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        // A discharge needs a reason.
        assert_eq!(
            fields(discharge_change(
                Active,
                Discharged,
                input(None, None, false),
                today
            )),
            vec!["discharge_reason"]
        );
        assert_eq!(
            discharge_change(Active, Discharged, input(reason, None, false), today),
            Ok(DischargeChange::Record {
                new: true,
                reason,
                on: None
            })
        );
        // Not in the future; today is fine.
        assert_eq!(
            fields(discharge_change(
                Active,
                Discharged,
                input(reason, today.succ_opt(), false),
                today
            )),
            vec!["discharged_on"]
        );
        assert!(
            discharge_change(Active, Discharged, input(reason, Some(today), false), today).is_ok()
        );
        // An already discharged client: nothing, or a correction of what is given.
        assert_eq!(
            discharge_change(Discharged, Discharged, input(None, None, false), today),
            Ok(DischargeChange::Keep)
        );
        assert_eq!(
            discharge_change(
                Discharged,
                Discharged,
                input(Some(DischargeReason::Moved), None, false),
                today
            ),
            Ok(DischargeChange::Record {
                new: false,
                reason: Some(DischargeReason::Moved),
                on: None
            })
        );
        // The fields only go with a discharge; a return clears the record.
        assert_eq!(
            fields(discharge_change(
                Active,
                Active,
                input(reason, Some(today), true),
                today
            )),
            vec!["discharge_reason", "discharged_on", "resolve_open_flags"]
        );
        assert_eq!(
            discharge_change(Discharged, Active, input(None, None, false), today),
            Ok(DischargeChange::Clear)
        );
        assert_eq!(
            discharge_change(Active, Transitioning, input(None, None, false), today),
            Ok(DischargeChange::Keep)
        );
        assert_eq!(
            serde_json::to_value(DischargeReason::LongTermHospital).unwrap(),
            "long_term_hospital"
        );
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

    #[test]
    fn enrolment_is_the_first_day_on_the_caseload_and_stays() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2026-12-01");
        assert_eq!(enrolment_day(None, Referred, None, today), None);
        assert_eq!(enrolment_day(None, Screening, None, today), None);
        assert_eq!(enrolment_day(None, Active, None, today), Some(today));
        assert_eq!(
            enrolment_day(None, Active, Some(d("2024-03-01")), today),
            Some(d("2024-03-01"))
        );
        // Once enrolled, a step down, a discharge or a return keeps the first day.
        for s in [Active, Transitioning, Discharged, Declined] {
            assert_eq!(
                enrolment_day(Some(d("2025-01-02")), s, None, today),
                Some(d("2025-01-02"))
            );
        }
        assert_eq!(enrolment_day(None, Declined, None, today), None);
    }
}

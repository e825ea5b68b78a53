//! Episodes (issue 15): admissions, emergency visits, crisis beds, jail and homeless periods.
//! Days are team-local and inclusive; an episode without an end lasts until today.

use crate::domain::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const MAX_NOTE: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeKind {
    PsychiatricAdmission,
    MedicalAdmission,
    /// An emergency department visit (one day unless an end is given).
    EdVisit,
    CrisisBed,
    Jail,
    Homeless,
}

impl EpisodeKind {
    pub const ALL: [EpisodeKind; 6] = [
        EpisodeKind::PsychiatricAdmission,
        EpisodeKind::MedicalAdmission,
        EpisodeKind::EdVisit,
        EpisodeKind::CrisisBed,
        EpisodeKind::Jail,
        EpisodeKind::Homeless,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeKind::PsychiatricAdmission => "psychiatric_admission",
            EpisodeKind::MedicalAdmission => "medical_admission",
            EpisodeKind::EdVisit => "ed_visit",
            EpisodeKind::CrisisBed => "crisis_bed",
            EpisodeKind::Jail => "jail",
            EpisodeKind::Homeless => "homeless",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A hospital day is a day of a psychiatric or medical admission (the contract).
    pub fn is_hospital(self) -> bool {
        matches!(
            self,
            EpisodeKind::PsychiatricAdmission | EpisodeKind::MedicalAdmission
        )
    }

    /// While open, the client is somewhere the team cannot simply visit: away on the board.
    /// Admissions, a crisis bed and jail; not an emergency visit (hours) nor a homeless
    /// period (the client is in the community and needs the team the more).
    pub fn takes_away(self) -> bool {
        matches!(
            self,
            EpisodeKind::PsychiatricAdmission
                | EpisodeKind::MedicalAdmission
                | EpisodeKind::CrisisBed
                | EpisodeKind::Jail
        )
    }

    /// Where a person stays (one place at a time): two of these may not overlap.
    pub fn is_stay(self) -> bool {
        self.takes_away()
    }
}

/// An episode's days, for the rules (`end` None: still going on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub kind: EpisodeKind,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// The checks of start and end against each other and today (every problem reported).
pub fn check_days(start: NaiveDate, end: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = vec![];
    if start > today {
        errors.push(FieldError::new(
            "start",
            "must not be in the future: record an episode once it has begun",
        ));
    }
    if let Some(end) = end {
        if end < start {
            errors.push(FieldError::new("end", "must not be before the start"));
        } else if end > today {
            errors.push(FieldError::new(
                "end",
                "must not be in the future: leave it empty while the episode lasts",
            ));
        }
    }
    errors
}

/// Two stays overlap when they share more than a boundary day (a move from a medical to a
/// psychiatric ward on one day is two admissions, one after the other), or start the same day.
pub fn overlaps(a: &Span, b: &Span) -> bool {
    if !(a.kind.is_stay() && b.kind.is_stay()) {
        return false;
    }
    if a.start == b.start {
        return true;
    }
    let before_end = |s: NaiveDate, end: Option<NaiveDate>| end.is_none_or(|e| s < e);
    before_end(a.start, b.end) && before_end(b.start, a.end)
}

/// The first of `others` that `new` overlaps.
pub fn first_overlap<'a>(new: &Span, others: &'a [(String, Span)]) -> Option<&'a (String, Span)> {
    others.iter().find(|(_, o)| overlaps(new, o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use EpisodeKind::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn span(kind: EpisodeKind, a: &str, b: Option<&str>) -> Span {
        Span {
            kind,
            start: d(a),
            end: b.map(d),
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in EpisodeKind::ALL {
            assert_eq!(EpisodeKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert!(PsychiatricAdmission.is_hospital() && MedicalAdmission.is_hospital());
        assert!(!CrisisBed.is_hospital() && !EdVisit.is_hospital());
        assert!(Jail.takes_away() && !Homeless.takes_away() && !EdVisit.takes_away());
    }

    #[test]
    fn day_rules() {
        let today = d("2026-12-01");
        assert!(check_days(d("2026-11-01"), Some(d("2026-11-05")), today).is_empty());
        assert!(check_days(d("2026-11-01"), Some(d("2026-11-01")), today).is_empty());
        assert_eq!(check_days(d("2026-12-02"), None, today)[0].field, "start");
        assert_eq!(
            check_days(d("2026-11-05"), Some(d("2026-11-04")), today)[0].field,
            "end"
        );
        assert_eq!(
            check_days(d("2026-11-05"), Some(d("2026-12-02")), today)[0].field,
            "end"
        );
    }

    #[test]
    fn stays_do_not_overlap() {
        let a = span(PsychiatricAdmission, "2026-11-01", Some("2026-11-10"));
        // Inside, straddling, open after: overlap.
        assert!(overlaps(
            &a,
            &span(MedicalAdmission, "2026-11-03", Some("2026-11-04"))
        ));
        assert!(overlaps(&a, &span(Jail, "2026-10-20", Some("2026-11-02"))));
        assert!(overlaps(&a, &span(CrisisBed, "2026-11-09", None)));
        assert!(overlaps(&span(Jail, "2026-10-01", None), &a));
        // The same start day, even one-day stays.
        assert!(overlaps(
            &span(MedicalAdmission, "2026-11-01", Some("2026-11-01")),
            &span(PsychiatricAdmission, "2026-11-01", Some("2026-11-01"))
        ));
        // A move on the boundary day, or days apart: no overlap.
        assert!(!overlaps(
            &a,
            &span(MedicalAdmission, "2026-11-10", Some("2026-11-12"))
        ));
        assert!(!overlaps(
            &a,
            &span(MedicalAdmission, "2026-10-25", Some("2026-11-01"))
        ));
        assert!(!overlaps(&a, &span(MedicalAdmission, "2026-11-11", None)));
        // Emergency visits and homeless periods go along with anything.
        assert!(!overlaps(
            &a,
            &span(EdVisit, "2026-11-03", Some("2026-11-03"))
        ));
        assert!(!overlaps(&a, &span(Homeless, "2026-10-01", None)));
    }
}

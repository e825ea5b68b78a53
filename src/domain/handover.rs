//! A hand-over plan: who takes each client of a person who leaves (a deactivation, or a
//! removal from a team). Pure checks of the plan against the clients the person carries;
//! the caps are checked by `db::caseload` under the people's locks.

use crate::domain::caseload::PERSON_CAP;
use crate::domain::FieldError;
use std::collections::{BTreeMap, BTreeSet};

/// One line of a plan: `client_id` goes to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub client_id: String,
    pub to: String,
}

/// What is wrong with a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanProblem {
    /// Lines that cannot be carried out (422, per line: `assignments[i].client_id` or
    /// `assignments[i].staff_id`).
    Lines(Vec<FieldError>),
    /// Clients the person carries that the plan does not place (409 `carries_clients`).
    Unplaced(Vec<String>),
}

/// Check `plan` against the clients `leaver` carries (`carried`, by id): every client
/// placed exactly once, no line for a client they do not carry, nobody handing to themselves.
pub fn check_plan(leaver: &str, carried: &[&str], plan: &[Move]) -> Result<(), PlanProblem> {
    let carried_set: BTreeSet<&str> = carried.iter().copied().collect();
    let mut seen = BTreeSet::new();
    let mut lines = vec![];
    for (i, m) in plan.iter().enumerate() {
        if !carried_set.contains(m.client_id.as_str()) {
            lines.push(FieldError::new(
                format!("assignments[{i}].client_id"),
                "is not a client this person carries (discharged, moved meanwhile, or another \
                 case manager's)",
            ));
        } else if !seen.insert(m.client_id.as_str()) {
            lines.push(FieldError::new(
                format!("assignments[{i}].client_id"),
                "is placed twice in the plan",
            ));
        }
        if m.to == leaver {
            lines.push(FieldError::new(
                format!("assignments[{i}].staff_id"),
                "must be someone other than the person who leaves",
            ));
        }
    }
    if !lines.is_empty() {
        return Err(PlanProblem::Lines(lines));
    }
    let unplaced: Vec<String> = carried
        .iter()
        .filter(|c| !seen.contains(*c))
        .map(|c| c.to_string())
        .collect();
    if !unplaced.is_empty() {
        return Err(PlanProblem::Unplaced(unplaced));
    }
    Ok(())
}

/// How many slot-holding clients each receiver takes on each team: `(to, team) → n`.
/// `holds_slot` says, per move, whether the client holds a caseload slot (active or
/// transitioning); `team_of` gives the client's team.
pub fn intake(moves: &[(Move, String, bool)]) -> BTreeMap<(String, String), i32> {
    let mut out = BTreeMap::new();
    for (m, team, holds) in moves {
        let n = out.entry((m.to.clone(), team.clone())).or_insert(0);
        if *holds {
            *n += 1;
        }
    }
    out
}

/// How many more clients someone may take on an ICM team: the smaller of the team cap left
/// (`team_cap - here`) and the person cap left (`PERSON_CAP - total`), never below 0.
pub fn room(here: i32, team_cap: i32, total: i32) -> i32 {
    (team_cap - here).min(PERSON_CAP - total).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mv(c: &str, to: &str) -> Move {
        Move {
            client_id: c.into(),
            to: to.into(),
        }
    }

    #[test]
    fn a_plan_places_every_client_once() {
        assert_eq!(
            check_plan("leo", &["c1", "c2"], &[mv("c1", "ann"), mv("c2", "bob")]),
            Ok(())
        );
        assert_eq!(check_plan("leo", &[], &[]), Ok(()));
    }

    #[test]
    fn an_unplaced_client_is_named() {
        assert_eq!(
            check_plan("leo", &["c1", "c2"], &[mv("c1", "ann")]),
            Err(PlanProblem::Unplaced(vec!["c2".into()]))
        );
    }

    #[test]
    fn bad_lines_are_named_by_index() {
        let Err(PlanProblem::Lines(errs)) = check_plan(
            "leo",
            &["c1"],
            &[
                mv("c1", "ann"),
                mv("c1", "bob"),
                mv("zz", "ann"),
                mv("c1", "leo"),
            ],
        ) else {
            panic!("expected line errors")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "assignments[1].client_id",
                "assignments[2].client_id",
                "assignments[3].client_id",
                "assignments[3].staff_id"
            ]
        );
    }

    #[test]
    fn intake_counts_slot_holders_per_person_and_team() {
        let moves = vec![
            (mv("c1", "ann"), "t1".to_string(), true),
            (mv("c2", "ann"), "t1".to_string(), true),
            (mv("c3", "ann"), "t1".to_string(), false),
            (mv("c4", "ann"), "t2".to_string(), true),
            (mv("c5", "bob"), "t1".to_string(), false),
        ];
        let got = intake(&moves);
        assert_eq!(got[&("ann".into(), "t1".into())], 2);
        assert_eq!(got[&("ann".into(), "t2".into())], 1);
        assert_eq!(got[&("bob".into(), "t1".into())], 0);
    }

    #[test]
    fn room_is_the_smaller_of_both_caps() {
        assert_eq!(room(3, 10, 3), 7);
        assert_eq!(room(3, 15, 12), 3);
        assert_eq!(room(15, 15, 15), 0);
        assert_eq!(room(12, 10, 12), 0);
    }
}

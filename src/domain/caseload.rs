//! ICM caseload arithmetic: "each case manager works with no more than 15" counts a person's
//! slot-holding clients over every ICM team they work in; a team may set a lower cap that
//! holds within that team.

use crate::domain::roles::Role;
use crate::domain::team::MAX_CASELOAD_CAP;

/// Why someone cannot carry clients on a team, if they cannot: not on it (`role` None), a
/// viewer, or a deactivated account.
pub fn carry_refusal(role: Option<Role>, active: bool) -> Option<&'static str> {
    match role {
        None => Some("is not a member of this team"),
        Some(r) if !r.works() => Some("a viewer cannot carry clients"),
        Some(_) if !active => Some("this account is deactivated"),
        Some(_) => None,
    }
}

/// The words of a refusal: `name` holds `here` on this team and `total` over their ICM teams
/// and would take `adding` more.
pub fn full_words(name: &str, full: Full, here: i32, total: i32, adding: i32) -> String {
    let elsewhere = total - here;
    let what = if adding == 1 {
        "another client".to_string()
    } else {
        format!("{adding} more clients")
    };
    match full.limit {
        Limit::Person => format!(
            "{name} already carries {total} clients over their ICM teams ({here} on this team, \
             {elsewhere} on others); no case manager carries more than {PERSON_CAP}, so {name} \
             cannot take {what}; choose another case manager or discharge or transfer one of \
             {name}'s clients first"
        ),
        Limit::Team => format!(
            "{name} already holds {here} of {cap} clients, the most one case manager may carry in \
             this ICM team, and cannot take {what}; choose another case manager or discharge or \
             transfer one of {name}'s clients first",
            cap = full.cap
        ),
    }
}

/// The most active and transitioning clients one case manager carries over every ICM team
/// together (also the highest cap a team may set).
pub const PERSON_CAP: i32 = MAX_CASELOAD_CAP;

/// Which limit refused an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The team's own `caseload_cap`, counted on that team only.
    Team,
    /// [`PERSON_CAP`], counted over every ICM team of the person.
    Person,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::Team => "team_cap",
            Limit::Person => "person_cap",
        }
    }
}

/// A refusal: the limit reached, its value and the count compared with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full {
    pub limit: Limit,
    pub cap: i32,
    pub current: i32,
}

/// May a case manager take `adding` more clients on a team where they hold `here` slots
/// (the team's cap `team_cap`), holding `total` over every ICM team (this one included)?
/// The person's cap is reported first when both would be passed.
pub fn check_room(here: i32, team_cap: i32, total: i32, adding: i32) -> Result<(), Full> {
    check_intake(
        total,
        &[Share {
            here,
            team_cap,
            adding,
        }],
    )
    .map_err(|(_, f)| f)
}

/// What one ICM team's share of an intake is: the person holds `here` there (cap
/// `team_cap`) and takes `adding` more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub here: i32,
    pub team_cap: i32,
    pub adding: i32,
}

/// A person holding `total` over every ICM team takes every share at once (a carrier's
/// clients on several teams handed over): all fit, or the first limit passed (with the index
/// of its share; the person's cap first).
pub fn check_intake(total: i32, shares: &[Share]) -> Result<(), (usize, Full)> {
    let adding: i32 = shares.iter().map(|s| s.adding).sum();
    if adding > 0 && total + adding > PERSON_CAP {
        let i = shares.iter().position(|s| s.adding > 0).unwrap_or(0);
        return Err((
            i,
            Full {
                limit: Limit::Person,
                cap: PERSON_CAP,
                current: total,
            },
        ));
    }
    for (i, s) in shares.iter().enumerate() {
        if s.adding > 0 && s.here + s.adding > s.team_cap {
            return Err((
                i,
                Full {
                    limit: Limit::Team,
                    cap: s.team_cap,
                    current: s.here,
                },
            ));
        }
    }
    Ok(())
}

/// One person's caseload as a cap change sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Load {
    pub staff_id: String,
    pub display_name: String,
    /// Slot-holding clients on the team whose cap (or mode) changes.
    pub here: i32,
    /// On every other ICM team.
    pub elsewhere: i32,
}

impl Load {
    pub fn total(&self) -> i32 {
        self.here + self.elsewhere
    }
}

/// Lowering a team's cap, or switching a team to ICM: the people who would be above the
/// team's cap within the team, or above [`PERSON_CAP`] over their ICM teams. They block it.
pub fn over_caps(loads: &[Load], team_cap: i32) -> Vec<&Load> {
    loads
        .iter()
        .filter(|l| l.here > team_cap || l.total() > PERSON_CAP)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_counts_the_person_over_every_team() {
        assert_eq!(check_room(14, 15, 14, 1), Ok(()));
        assert_eq!(check_room(0, 1, 0, 1), Ok(()));
        // The pilot's finding: 15 on one ICM team, none on this one.
        assert_eq!(
            check_room(0, 15, 15, 1),
            Err(Full {
                limit: Limit::Person,
                cap: 15,
                current: 15
            })
        );
        assert_eq!(
            check_room(10, 15, 15, 1).unwrap_err().limit,
            Limit::Person,
            "10 here and 5 elsewhere is full"
        );
        // A team's lower cap holds within the team even with room overall.
        assert_eq!(
            check_room(12, 12, 12, 1),
            Err(Full {
                limit: Limit::Team,
                cap: 12,
                current: 12
            })
        );
        assert_eq!(check_room(11, 12, 14, 1), Ok(()));
        // Both reached: the person's cap is named.
        assert_eq!(check_room(15, 15, 15, 1).unwrap_err().limit, Limit::Person);
        // Legacy data above the cap stays refused.
        assert_eq!(check_room(3, 15, 30, 1).unwrap_err().current, 30);
        // Several at once (a carrier's clients handed over): all fit, or none.
        assert_eq!(check_room(5, 15, 5, 10), Ok(()));
        assert_eq!(check_room(5, 15, 5, 11).unwrap_err().limit, Limit::Person);
        assert_eq!(check_room(5, 12, 5, 8).unwrap_err().limit, Limit::Team);
        // Nothing taken (a client that holds no slot): always room.
        assert_eq!(check_room(15, 15, 15, 0), Ok(()));
    }

    #[test]
    fn intake_over_several_teams() {
        let share = |here, team_cap, adding| Share {
            here,
            team_cap,
            adding,
        };
        // 4 + 6 onto someone holding 5 (3 and 2): 15 in all, each team within its cap.
        assert_eq!(check_intake(5, &[share(3, 15, 4), share(2, 12, 6)]), Ok(()));
        // One more is over the person's cap, reported on the first share that adds.
        assert_eq!(
            check_intake(5, &[share(3, 15, 0), share(2, 12, 11)]),
            Err((
                1,
                Full {
                    limit: Limit::Person,
                    cap: 15,
                    current: 5
                }
            ))
        );
        // The second team's own cap.
        assert_eq!(
            check_intake(2, &[share(0, 15, 1), share(2, 4, 3)]),
            Err((
                1,
                Full {
                    limit: Limit::Team,
                    cap: 4,
                    current: 2
                }
            ))
        );
    }

    #[test]
    fn cap_changes_name_who_blocks_them() {
        let load = |id: &str, here, elsewhere| Load {
            staff_id: id.into(),
            display_name: id.into(),
            here,
            elsewhere,
        };
        let loads = vec![load("a", 13, 0), load("b", 9, 0), load("c", 5, 11)];
        let ids = |cap| {
            over_caps(&loads, cap)
                .iter()
                .map(|l| l.staff_id.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(12), vec!["a", "c"]);
        assert_eq!(ids(13), vec!["c"], "c carries 16 over two teams");
        assert_eq!(ids(8), vec!["a", "b", "c"]);
        assert_eq!(load("x", 5, 10).total(), 15);
        assert!(over_caps(&[load("x", 5, 10)], 15).is_empty());
    }
}

//! DACTS fidelity from daily data (issue 15): the 28 items of the Dartmouth ACT Fidelity Scale,
//! nine of them computed from contacts, huddle reviews and enrolments, the rest rated by a
//! reviewer. The band tables live here, once.
//!
//! The period is the 4 weeks ending `to` (28 days, inclusive); H2 looks at the last 2 weeks,
//! O2 at the 6 calendar months ending with `to`'s month, S2 at the 12 months before `to`.
//! "Active" clients on a day are those on the caseload that day: enrolled on or before it and
//! not discharged on or before it. Contacts count when completed. A value between two bands
//! (10.5 clients per staff member; 36.5 %) takes the worse one.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use utoipa::ToSchema;

pub const PERIOD_DAYS: u64 = 28;

/// A band table: four edges between the five scores.
#[derive(Debug, Clone, Copy)]
pub struct Bands {
    /// `true`: a value at or above an edge moves up a score (`edges` ascending, for 2..=5).
    /// `false`: a value above an edge moves down a score (`edges` ascending, for 4..=1).
    pub higher_is_better: bool,
    pub edges: [f64; 4],
    /// The words of each band, score 1 first.
    pub labels: [&'static str; 5],
}

impl Bands {
    pub fn score(&self, v: f64) -> u8 {
        let passed = self
            .edges
            .iter()
            .filter(|&&e| if self.higher_is_better { v >= e } else { v > e });
        let n = passed.count() as u8;
        if self.higher_is_better {
            1 + n
        } else {
            5 - n
        }
    }
}

pub const H1: Bands = Bands {
    higher_is_better: false,
    edges: [10.0, 20.0, 34.0, 49.0],
    labels: ["≥50", "35–49", "21–34", "11–20", "≤10"],
};
pub const H2: Bands = Bands {
    higher_is_better: true,
    edges: [10.0, 37.0, 64.0, 90.0],
    labels: ["<10 %", "10–36 %", "37–63 %", "64–89 %", "≥90 %"],
};
/// DACTS H3: meets less than twice a month … at least four days a week, every client.
pub const H3: Bands = Bands {
    higher_is_better: true,
    edges: [0.5, 1.0, 2.0, 4.0],
    labels: ["<0.5", "0.5–<1", "1–<2", "2–<4", "≥4"],
};
pub const S1: Bands = Bands {
    higher_is_better: true,
    edges: [20.0, 40.0, 60.0, 80.0],
    labels: ["<20 %", "20–39 %", "40–59 %", "60–79 %", "≥80 %"],
};
/// DACTS S2: retention over 12 months.
pub const S2: Bands = Bands {
    higher_is_better: true,
    edges: [50.0, 65.0, 80.0, 95.0],
    labels: ["<50 %", "50–64 %", "65–79 %", "80–94 %", "≥95 %"],
};
pub const S4: Bands = Bands {
    higher_is_better: true,
    edges: [15.0, 50.0, 85.0, 120.0],
    labels: ["<15", "15–49", "50–84", "85–119", "≥120"],
};
pub const S5: Bands = Bands {
    higher_is_better: true,
    edges: [1.0, 2.0, 3.0, 4.0],
    labels: ["<1", "1–<2", "2–<3", "3–<4", "≥4"],
};
/// DACTS S6: contacts with the support system per client per month.
pub const S6: Bands = Bands {
    higher_is_better: true,
    edges: [0.5, 1.0, 2.0, 4.0],
    labels: ["<0.5", "0.5–<1", "1–<2", "2–<4", "≥4"],
};
pub const O2: Bands = Bands {
    higher_is_better: false,
    edges: [6.0, 9.0, 12.0, 15.0],
    labels: [">15", "13–15", "10–12", "7–9", "≤6"],
};

/// A DACTS item: id, name, and the band table and unit when the data computes it.
pub type ItemDef = (&'static str, &'static str, Option<(Bands, &'static str)>);

/// The 28 DACTS items.
pub const ITEMS: [ItemDef; 28] = [
    (
        "H1",
        "Small caseload",
        Some((H1, "clients per staff member")),
    ),
    ("H2", "Team approach", Some((H2, "% of clients"))),
    ("H3", "Program meeting", Some((H3, "days per week"))),
    ("H4", "Practicing ACT leader", None),
    ("H5", "Continuity of staffing", None),
    ("H6", "Staff capacity", None),
    ("H7", "Psychiatrist on staff", None),
    ("H8", "Nurse on staff", None),
    ("H9", "Substance abuse specialist on staff", None),
    ("H10", "Vocational specialist on staff", None),
    ("H11", "Program size", None),
    ("O1", "Explicit admission criteria", None),
    (
        "O2",
        "Intake rate",
        Some((O2, "admissions in the busiest month")),
    ),
    ("O3", "Full responsibility for treatment services", None),
    ("O4", "Responsibility for crisis services", None),
    ("O5", "Responsibility for hospital admissions", None),
    ("O6", "Responsibility for hospital discharge planning", None),
    ("O7", "Time-unlimited services", None),
    (
        "S1",
        "Community-based services",
        Some((S1, "% of face-to-face contacts")),
    ),
    ("S2", "No drop-out policy", Some((S2, "% retained"))),
    ("S3", "Assertive engagement mechanisms", None),
    (
        "S4",
        "Intensity of service",
        Some((S4, "minutes per client per week")),
    ),
    (
        "S5",
        "Frequency of contact",
        Some((S5, "contacts per client per week")),
    ),
    (
        "S6",
        "Work with support system",
        Some((S6, "contacts per client per month")),
    ),
    ("S7", "Individualized substance abuse treatment", None),
    ("S8", "Co-occurring disorder treatment groups", None),
    ("S9", "Co-occurring disorders (dual disorders) model", None),
    ("S10", "Role of consumers on treatment team", None),
];

/// Is `id` an item a reviewer rates (not computed)?
pub fn needs_rating(id: &str) -> Option<bool> {
    ITEMS.iter().find(|i| i.0 == id).map(|i| i.2.is_none())
}

// ------------------------------------------------------------------------------------------
// Facts
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct ClientFact {
    pub id: String,
    pub name: String,
    pub enrolled_on: Option<NaiveDate>,
    pub discharged_on: Option<NaiveDate>,
    pub discharge_reason: Option<String>,
}

impl ClientFact {
    pub fn on_caseload(&self, day: NaiveDate) -> bool {
        self.enrolled_on.is_some_and(|e| e <= day) && self.discharged_on.is_none_or(|d| d > day)
    }
}

#[derive(Debug, Clone)]
pub struct StaffFact {
    pub id: String,
    pub name: String,
    pub discipline: String,
}

/// A completed contact.
#[derive(Debug, Clone)]
pub struct ContactFact {
    pub id: String,
    pub client_id: String,
    pub day: NaiveDate,
    pub kind: String,
    pub place: String,
    pub minutes: Option<i32>,
    pub staff_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RatingFact {
    pub item: String,
    pub period_to: NaiveDate,
    pub score: u8,
    pub note: String,
    pub rated_by: String,
}

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub clients: Vec<ClientFact>,
    /// Working staff counted in H1: lead or member role, active account, not the psychiatrist.
    pub staff: Vec<StaffFact>,
    pub contacts: Vec<ContactFact>,
    /// Huddle reviews: (day, client id).
    pub reviews: Vec<(NaiveDate, String)>,
    pub ratings: Vec<RatingFact>,
}

// ------------------------------------------------------------------------------------------
// The report
// ------------------------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct EvidenceRow {
    /// The client this row is about (click through to the client page).
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    /// The contacts behind the row.
    pub contact_ids: Vec<String>,
    /// Clients behind a row about several (O2: those admitted that month).
    pub client_ids: Vec<String>,
    pub day: Option<String>,
    pub label: String,
    pub value: f64,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Default)]
pub struct Evidence {
    /// How the value was computed, in words.
    pub summary: String,
    /// S4 and S5: the median per client.
    pub median: Option<f64>,
    pub rows: Vec<EvidenceRow>,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct RatingOut {
    pub score: u8,
    /// The review period's last day this rating is for.
    pub period_to: String,
    pub note: String,
    #[schema(format = Uuid)]
    pub rated_by: String,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct FidelityItem {
    /// H1…H11, O1…O7, S1…S10.
    pub id: String,
    pub name: String,
    pub value: Option<f64>,
    pub unit: String,
    /// 1–5; null when nothing to score (no data, or no reviewer rating yet).
    pub score: Option<u8>,
    pub needs_rating: bool,
    /// The band of each score, score 1 first (computed items).
    pub bands: Vec<String>,
    pub evidence: Evidence,
    /// The reviewer's rating in force (rated items).
    pub rating: Option<RatingOut>,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Period {
    pub from: String,
    pub to: String,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct FidelityReport {
    pub period: Period,
    pub items: Vec<FidelityItem>,
    /// The mean of the items with a score (null: none).
    pub mean_of_scored: Option<f64>,
    pub scored: usize,
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(r2(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }))
}

fn pct(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| r2(100.0 * part as f64 / whole as f64))
}

struct Computed {
    value: Option<f64>,
    evidence: Evidence,
}

fn row(c: &ClientFact, label: String, value: f64, contact_ids: Vec<String>) -> EvidenceRow {
    EvidenceRow {
        client_id: Some(c.id.clone()),
        client_name: Some(c.name.clone()),
        contact_ids,
        client_ids: vec![],
        day: None,
        label,
        value,
    }
}

/// The fidelity report for the 4 weeks ending `to`.
pub fn report(facts: &Facts, to: NaiveDate) -> FidelityReport {
    let from = to - Days::new(PERIOD_DAYS - 1);
    let active: Vec<&ClientFact> = facts.clients.iter().filter(|c| c.on_caseload(to)).collect();
    let in_period: Vec<&ContactFact> = facts
        .contacts
        .iter()
        .filter(|c| c.day >= from && c.day <= to)
        .collect();
    let mut by_client: HashMap<&str, Vec<&ContactFact>> = HashMap::new();
    for c in &in_period {
        by_client.entry(c.client_id.as_str()).or_default().push(c);
    }
    let empty = vec![];
    let of = |id: &str| by_client.get(id).unwrap_or(&empty);
    let weeks = PERIOD_DAYS as f64 / 7.0;

    let mut computed: HashMap<&str, Computed> = HashMap::new();

    // H1: active clients per working staff member (psychiatrist excluded).
    computed.insert(
        "H1",
        Computed {
            value: (!facts.staff.is_empty())
                .then(|| r2(active.len() as f64 / facts.staff.len() as f64)),
            evidence: Evidence {
                summary: format!(
                    "{} active clients, {} working staff (psychiatrist and viewers not counted)",
                    active.len(),
                    facts.staff.len()
                ),
                median: None,
                rows: facts
                    .staff
                    .iter()
                    .map(|s| EvidenceRow {
                        client_id: None,
                        client_name: None,
                        contact_ids: vec![],
                        client_ids: vec![],
                        day: None,
                        label: format!("{} ({})", s.name, s.discipline.replace('_', " ")),
                        value: 1.0,
                    })
                    .collect(),
            },
        },
    );

    // H2: seen face to face by two or more staff in the last 2 weeks.
    let h2_from = to - Days::new(13);
    let mut h2_rows = vec![];
    let mut h2_yes = 0;
    for c in &active {
        let mut staff: HashSet<&str> = HashSet::new();
        let mut ids = vec![];
        for k in of(&c.id) {
            if k.kind == "face_to_face" && k.day >= h2_from {
                staff.extend(k.staff_ids.iter().map(String::as_str));
                ids.push(k.id.clone());
            }
        }
        if staff.len() >= 2 {
            h2_yes += 1;
        }
        h2_rows.push(row(
            c,
            format!("{} staff face to face in 2 weeks", staff.len()),
            staff.len() as f64,
            ids,
        ));
    }
    computed.insert(
        "H2",
        Computed {
            value: pct(h2_yes, active.len()),
            evidence: Evidence {
                summary: format!(
                    "{h2_yes} of {} active clients seen face to face by 2 or more staff from {h2_from} to {to}",
                    active.len()
                ),
                median: None,
                rows: h2_rows,
            },
        },
    );

    // H3: days whose huddle reviewed every active client, per week.
    let mut reviewed: HashMap<NaiveDate, HashSet<&str>> = HashMap::new();
    for (d, c) in &facts.reviews {
        if *d >= from && *d <= to {
            reviewed.entry(*d).or_default().insert(c.as_str());
        }
    }
    let mut full_days = 0;
    let mut h3_rows = vec![];
    let mut day = from;
    while day <= to {
        let due: Vec<&ClientFact> = facts
            .clients
            .iter()
            .filter(|c| c.on_caseload(day))
            .collect();
        if let Some(done) = reviewed.get(&day) {
            let n = due.iter().filter(|c| done.contains(c.id.as_str())).count();
            let all = !due.is_empty() && n == due.len();
            full_days += usize::from(all);
            h3_rows.push(EvidenceRow {
                client_id: None,
                client_name: None,
                contact_ids: vec![],
                client_ids: due
                    .iter()
                    .filter(|c| !done.contains(c.id.as_str()))
                    .map(|c| c.id.clone())
                    .collect(),
                day: Some(day.to_string()),
                label: format!(
                    "{n} of {} reviewed{}",
                    due.len(),
                    if all { " (every client)" } else { "" }
                ),
                value: n as f64,
            });
        }
        day = day + Days::new(1);
    }
    computed.insert(
        "H3",
        Computed {
            value: Some(r2(full_days as f64 / weeks)),
            evidence: Evidence {
                summary: format!(
                    "{full_days} days in 4 weeks on which the huddle reviewed every active client"
                ),
                median: None,
                rows: h3_rows,
            },
        },
    );

    // S1: face-to-face contacts outside the office.
    let mut s1_all = 0;
    let mut s1_out = 0;
    let mut s1_rows = vec![];
    for c in &facts.clients {
        let f2f: Vec<&&ContactFact> = of(&c.id)
            .iter()
            .filter(|k| k.kind == "face_to_face")
            .collect();
        if f2f.is_empty() {
            continue;
        }
        let out = f2f.iter().filter(|k| k.place != "office").count();
        s1_all += f2f.len();
        s1_out += out;
        s1_rows.push(row(
            c,
            format!("{out} of {} outside the office", f2f.len()),
            out as f64,
            f2f.iter().map(|k| k.id.clone()).collect(),
        ));
    }
    computed.insert(
        "S1",
        Computed {
            value: pct(s1_out, s1_all),
            evidence: Evidence {
                summary: format!(
                    "{s1_out} of {s1_all} completed face-to-face contacts outside the office"
                ),
                median: None,
                rows: s1_rows,
            },
        },
    );

    // S4, S5, S6: per active client, per week (S6: per 4 weeks, a month).
    let mut s4 = vec![];
    let mut s5 = vec![];
    let mut s6 = vec![];
    let (mut r4, mut r5, mut r6) = (vec![], vec![], vec![]);
    for c in &active {
        let f2f: Vec<&&ContactFact> = of(&c.id)
            .iter()
            .filter(|k| k.kind == "face_to_face")
            .collect();
        let minutes: i64 = f2f.iter().map(|k| i64::from(k.minutes.unwrap_or(0))).sum();
        let ids: Vec<String> = f2f.iter().map(|k| k.id.clone()).collect();
        let m = r2(minutes as f64 / weeks);
        let n = r2(f2f.len() as f64 / weeks);
        s4.push(m);
        s5.push(n);
        r4.push(row(
            c,
            format!("{minutes} minutes in 4 weeks"),
            m,
            ids.clone(),
        ));
        r5.push(row(c, format!("{} contacts in 4 weeks", f2f.len()), n, ids));
        let coll: Vec<String> = of(&c.id)
            .iter()
            .filter(|k| k.kind == "collateral")
            .map(|k| k.id.clone())
            .collect();
        s6.push(coll.len() as f64);
        r6.push(row(
            c,
            format!("{} collateral contacts", coll.len()),
            coll.len() as f64,
            coll,
        ));
    }
    let mean = |v: &[f64]| (!v.is_empty()).then(|| r2(v.iter().sum::<f64>() / v.len() as f64));
    computed.insert(
        "S4",
        Computed {
            value: mean(&s4),
            evidence: Evidence {
                summary: "Face-to-face minutes per active client per week (mean; contacts without minutes count 0)".into(),
                median: median(s4.clone()),
                rows: r4,
            },
        },
    );
    computed.insert(
        "S5",
        Computed {
            value: mean(&s5),
            evidence: Evidence {
                summary: "Face-to-face contacts per active client per week (mean)".into(),
                median: median(s5.clone()),
                rows: r5,
            },
        },
    );
    computed.insert(
        "S6",
        Computed {
            value: mean(&s6),
            evidence: Evidence {
                summary: "Collateral contacts (family, landlord, employer …) per active client in the 4 weeks".into(),
                median: median(s6.clone()),
                rows: r6,
            },
        },
    );

    // O2: the most clients enrolled in one calendar month, of the 6 ending with `to`'s month.
    let first_month =
        NaiveDate::from_ymd_opt(to.year(), to.month(), 1).unwrap_or(to) - Months::new(5);
    let mut months: BTreeMap<(i32, u32), Vec<&ClientFact>> = BTreeMap::new();
    let mut m = first_month;
    for _ in 0..6 {
        months.insert((m.year(), m.month()), vec![]);
        m = m + Months::new(1);
    }
    for c in &facts.clients {
        if let Some(e) = c.enrolled_on.filter(|e| *e >= first_month && *e <= to) {
            if let Some(v) = months.get_mut(&(e.year(), e.month())) {
                v.push(c);
            }
        }
    }
    let busiest = months.values().map(Vec::len).max().unwrap_or(0);
    computed.insert(
        "O2",
        Computed {
            value: Some(busiest as f64),
            evidence: Evidence {
                summary: format!(
                    "Clients enrolled per calendar month from {first_month} to {to}; the busiest month counts"
                ),
                median: None,
                rows: months
                    .iter()
                    .map(|((y, mo), v)| EvidenceRow {
                        client_id: None,
                        client_name: None,
                        contact_ids: vec![],
                        client_ids: v.iter().map(|c| c.id.clone()).collect(),
                        day: Some(format!("{y:04}-{mo:02}-01")),
                        label: format!("{} enrolled in {y:04}-{mo:02}", v.len()),
                        value: v.len() as f64,
                    })
                    .collect(),
            },
        },
    );

    // S2: of the clients active 12 months ago, still served or discharged for goals met or a move.
    let year_ago = to - Months::new(12);
    let mut s2_rows = vec![];
    let mut kept = 0;
    let cohort: Vec<&ClientFact> = facts
        .clients
        .iter()
        .filter(|c| c.on_caseload(year_ago))
        .collect();
    for c in &cohort {
        let (ok, label) = if c.on_caseload(to) {
            (true, "still served".to_string())
        } else {
            let reason = c.discharge_reason.as_deref().unwrap_or("unknown");
            let ok = matches!(reason, "goals_met" | "moved");
            (
                ok,
                format!(
                    "discharged {} ({}){}",
                    c.discharged_on.map(|d| d.to_string()).unwrap_or_default(),
                    reason.replace('_', " "),
                    if ok { "" } else { ": a drop-out" }
                ),
            )
        };
        kept += usize::from(ok);
        s2_rows.push(row(c, label, f64::from(u8::from(ok)), vec![]));
    }
    computed.insert(
        "S2",
        Computed {
            value: pct(kept, cohort.len()),
            evidence: Evidence {
                summary: format!(
                    "{kept} of {} clients active on {year_ago} still served or discharged for goals met or a move",
                    cohort.len()
                ),
                median: None,
                rows: s2_rows,
            },
        },
    );

    let rating_in_force = |id: &str| -> Option<&RatingFact> {
        facts
            .ratings
            .iter()
            .filter(|r| r.item == id && r.period_to <= to && r.period_to > year_ago)
            .max_by_key(|r| r.period_to)
    };

    let items: Vec<FidelityItem> = ITEMS
        .iter()
        .map(|(id, name, bands)| match bands {
            Some((b, unit)) => {
                let c = computed.remove(id).unwrap_or(Computed {
                    value: None,
                    evidence: Evidence::default(),
                });
                FidelityItem {
                    id: id.to_string(),
                    name: name.to_string(),
                    value: c.value,
                    unit: unit.to_string(),
                    score: c.value.map(|v| b.score(v)),
                    needs_rating: false,
                    bands: b.labels.iter().map(|s| s.to_string()).collect(),
                    evidence: c.evidence,
                    rating: None,
                }
            }
            None => {
                let r = rating_in_force(id);
                FidelityItem {
                    id: id.to_string(),
                    name: name.to_string(),
                    value: None,
                    unit: "reviewer's rating".into(),
                    score: r.map(|r| r.score),
                    needs_rating: true,
                    bands: vec![],
                    evidence: Evidence {
                        summary: match r {
                            Some(r) => {
                                format!("Rated {} for the period to {}", r.score, r.period_to)
                            }
                            None => "Needs a reviewer's rating (1–5)".into(),
                        },
                        median: None,
                        rows: vec![],
                    },
                    rating: r.map(|r| RatingOut {
                        score: r.score,
                        period_to: r.period_to.to_string(),
                        note: r.note.clone(),
                        rated_by: r.rated_by.clone(),
                    }),
                }
            }
        })
        .collect();
    let scores: Vec<f64> = items
        .iter()
        .filter_map(|i| i.score.map(f64::from))
        .collect();
    FidelityReport {
        period: Period {
            from: from.to_string(),
            to: to.to_string(),
        },
        mean_of_scored: (!scores.is_empty())
            .then(|| r2(scores.iter().sum::<f64>() / scores.len() as f64)),
        scored: scores.len(),
        items,
    }
}

/// One month of an item's trend.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct TrendPoint {
    pub to: String,
    pub value: Option<f64>,
    pub score: Option<u8>,
}

/// The computed items slipping: a score below 4 or lower than the month before; the worst
/// (lowest score, then the biggest drop) first, at most `limit`.
pub fn slipping(now: &FidelityReport, month_before: &FidelityReport, limit: usize) -> Vec<String> {
    let before: HashMap<&str, Option<u8>> = month_before
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.score))
        .collect();
    let mut found: Vec<(u8, i16, usize, &str)> = now
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.needs_rating)
        .filter_map(|(n, i)| {
            let s = i.score?;
            let prev = before.get(i.id.as_str()).copied().flatten();
            let drop = prev.map_or(0, |p| i16::from(p) - i16::from(s));
            (s < 4 || drop > 0).then_some((s, -drop, n, i.id.as_str()))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .take(limit)
        .map(|(_, _, _, id)| id.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Every band edge of every table: the value at the edge, and just either side.
    #[test]
    fn band_edges() {
        // H1 (lower is better): ≥50, 35–49, 21–34, 11–20, ≤10.
        for (v, s) in [
            (0.0, 5),
            (10.0, 5),
            (10.5, 4),
            (11.0, 4),
            (20.0, 4),
            (21.0, 3),
            (34.0, 3),
            (35.0, 2),
            (49.0, 2),
            (49.5, 1),
            (50.0, 1),
        ] {
            assert_eq!(H1.score(v), s, "H1 {v}");
        }
        // H2: <10, 10–36, 37–63, 64–89, ≥90 %.
        for (v, s) in [
            (9.99, 1),
            (10.0, 2),
            (36.0, 2),
            (36.5, 2),
            (37.0, 3),
            (63.0, 3),
            (64.0, 4),
            (89.0, 4),
            (89.9, 4),
            (90.0, 5),
            (100.0, 5),
        ] {
            assert_eq!(H2.score(v), s, "H2 {v}");
        }
        // S1: <20, 20–39, 40–59, 60–79, ≥80 %.
        for (v, s) in [
            (19.9, 1),
            (20.0, 2),
            (39.0, 2),
            (40.0, 3),
            (59.0, 3),
            (60.0, 4),
            (79.0, 4),
            (80.0, 5),
        ] {
            assert_eq!(S1.score(v), s, "S1 {v}");
        }
        // S4: <15, 15–49, 50–84, 85–119, ≥120 min.
        for (v, s) in [
            (14.9, 1),
            (15.0, 2),
            (49.0, 2),
            (50.0, 3),
            (84.0, 3),
            (85.0, 4),
            (119.0, 4),
            (120.0, 5),
        ] {
            assert_eq!(S4.score(v), s, "S4 {v}");
        }
        // S5: <1, 1–<2, 2–<3, 3–<4, ≥4.
        for (v, s) in [
            (0.99, 1),
            (1.0, 2),
            (1.99, 2),
            (2.0, 3),
            (2.99, 3),
            (3.0, 4),
            (3.99, 4),
            (4.0, 5),
        ] {
            assert_eq!(S5.score(v), s, "S5 {v}");
        }
        // O2 (lower is better): >15, 13–15, 10–12, 7–9, ≤6.
        for (v, s) in [
            (0.0, 5),
            (6.0, 5),
            (7.0, 4),
            (9.0, 4),
            (10.0, 3),
            (12.0, 3),
            (13.0, 2),
            (15.0, 2),
            (16.0, 1),
        ] {
            assert_eq!(O2.score(v), s, "O2 {v}");
        }
        // H3 and S6 (DACTS): <0.5, 0.5–<1, 1–<2, 2–<4, ≥4; S2: <50, 50–64, 65–79, 80–94, ≥95.
        for b in [H3, S6] {
            for (v, s) in [
                (0.49, 1),
                (0.5, 2),
                (0.99, 2),
                (1.0, 3),
                (1.99, 3),
                (2.0, 4),
                (3.99, 4),
                (4.0, 5),
            ] {
                assert_eq!(b.score(v), s, "{v}");
            }
        }
        for (v, s) in [
            (49.9, 1),
            (50.0, 2),
            (64.9, 2),
            (65.0, 3),
            (79.9, 3),
            (80.0, 4),
            (94.9, 4),
            (95.0, 5),
        ] {
            assert_eq!(S2.score(v), s, "S2 {v}");
        }
    }

    #[test]
    fn twenty_eight_items_nine_computed() {
        assert_eq!(ITEMS.len(), 28);
        let computed: Vec<&str> = ITEMS
            .iter()
            .filter(|i| i.2.is_some())
            .map(|i| i.0)
            .collect();
        assert_eq!(
            computed,
            ["H1", "H2", "H3", "O2", "S1", "S2", "S4", "S5", "S6"]
        );
        assert_eq!(needs_rating("H4"), Some(true));
        assert_eq!(needs_rating("S1"), Some(false));
        assert_eq!(needs_rating("X9"), None);
    }

    fn client(id: &str, enrolled: &str) -> ClientFact {
        ClientFact {
            id: id.into(),
            name: id.to_uppercase(),
            enrolled_on: Some(d(enrolled)),
            discharged_on: None,
            discharge_reason: None,
        }
    }

    fn contact(
        id: &str,
        client: &str,
        day: &str,
        kind: &str,
        place: &str,
        minutes: i32,
        staff: &[&str],
    ) -> ContactFact {
        ContactFact {
            id: id.into(),
            client_id: client.into(),
            day: d(day),
            kind: kind.into(),
            place: place.into(),
            minutes: Some(minutes),
            staff_ids: staff.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A small team by hand: period 2026-11-04..2026-12-01.
    #[test]
    fn hand_computed_report() {
        let to = d("2026-12-01");
        let mut gone = client("d", "2025-06-01");
        gone.discharged_on = Some(d("2026-05-01"));
        gone.discharge_reason = Some("lost_to_contact".into());
        let mut moved = client("e", "2025-06-01");
        moved.discharged_on = Some(d("2026-03-01"));
        moved.discharge_reason = Some("moved".into());
        let facts = Facts {
            clients: vec![
                client("a", "2025-01-10"),
                client("b", "2026-11-20"),
                client("c", "2026-10-02"),
                gone,
                moved,
            ],
            staff: vec![
                StaffFact {
                    id: "s1".into(),
                    name: "S1".into(),
                    discipline: "nurse".into(),
                },
                StaffFact {
                    id: "s2".into(),
                    name: "S2".into(),
                    discipline: "case_manager".into(),
                },
            ],
            contacts: vec![
                // a: two staff in the last two weeks, 2 face to face (1 office), 1 collateral.
                contact("k1", "a", "2026-11-25", "face_to_face", "home", 60, &["s1"]),
                contact(
                    "k2",
                    "a",
                    "2026-11-30",
                    "face_to_face",
                    "office",
                    30,
                    &["s2"],
                ),
                contact("k3", "a", "2026-11-10", "collateral", "other", 10, &["s1"]),
                // b: one face to face with both staff, early in the period (not in 2 weeks).
                contact(
                    "k4",
                    "b",
                    "2026-11-05",
                    "face_to_face",
                    "community",
                    50,
                    &["s1", "s2"],
                ),
                // Outside the period: not counted.
                contact("k5", "c", "2026-11-03", "face_to_face", "home", 45, &["s1"]),
            ],
            reviews: vec![
                // Nov 30: a, b, c all reviewed; Dec 1: only a.
                (d("2026-11-30"), "a".into()),
                (d("2026-11-30"), "b".into()),
                (d("2026-11-30"), "c".into()),
                (d("2026-12-01"), "a".into()),
            ],
            ratings: vec![RatingFact {
                item: "H4".into(),
                period_to: d("2026-11-15"),
                score: 4,
                note: "the lead visits".into(),
                rated_by: "s1".into(),
            }],
        };
        let r = report(&facts, to);
        assert_eq!(r.period.from, "2026-11-04");
        let item = |id: &str| r.items.iter().find(|i| i.id == id).unwrap();
        // H1: 3 active / 2 staff = 1.5 → 5.
        assert_eq!(item("H1").value, Some(1.5));
        assert_eq!(item("H1").score, Some(5));
        // H2: a (s1, s2) yes; b's contact is older than 2 weeks; c none: 1 of 3 = 33.33 % → 2.
        assert_eq!(item("H2").value, Some(33.33));
        assert_eq!(item("H2").score, Some(2));
        // H3: one full day in 4 weeks = 0.25 days a week → 1.
        assert_eq!(item("H3").value, Some(0.25));
        assert_eq!(item("H3").score, Some(1));
        // S1: k1, k4 outside, k2 office: 2 of 3 = 66.67 % → 4.
        assert_eq!(item("S1").value, Some(66.67));
        assert_eq!(item("S1").score, Some(4));
        // S4: minutes per week: a 90/4 = 22.5, b 50/4 = 12.5, c 0 → mean 11.67 → 1; median 12.5.
        assert_eq!(item("S4").value, Some(11.67));
        assert_eq!(item("S4").evidence.median, Some(12.5));
        assert_eq!(item("S4").score, Some(1));
        // S5: a 0.5, b 0.25, c 0 → mean 0.25 → 1.
        assert_eq!(item("S5").value, Some(0.25));
        // S6: a 1, b 0, c 0 → 0.33 per month → 1.
        assert_eq!(item("S6").value, Some(0.33));
        // O2: July..Dec 2026: c in October, b in November → 1 → 5.
        assert_eq!(item("O2").value, Some(1.0));
        assert_eq!(item("O2").score, Some(5));
        // S2: active on 2025-12-01: a, d, e; a served, e moved (kept), d lost: 2 of 3.
        assert_eq!(item("S2").value, Some(66.67));
        assert_eq!(item("S2").score, Some(3));
        // H4: the reviewer's rating in force.
        assert_eq!(item("H4").score, Some(4));
        assert!(item("H4").needs_rating);
        assert_eq!(item("H5").score, None);
        // Mean of the 10 scored: 5+2+1+4+1+1+1+5+3+4 = 27 → 2.7.
        assert_eq!(r.scored, 10);
        assert_eq!(r.mean_of_scored, Some(2.7));
        // A rating for a later period is not in force earlier.
        let earlier = report(&facts, d("2026-11-01"));
        assert_eq!(
            earlier.items.iter().find(|i| i.id == "H4").unwrap().score,
            None
        );
        // Slipping: scores below 4, lowest first, at most 3 (H3, S4, S5 score 1; S6 too but
        // comes later in the scale's order).
        let s = slipping(&r, &earlier, 3);
        assert_eq!(s, vec!["H3", "S4", "S5"]);
    }

    #[test]
    fn slipping_names_drops() {
        let mk = |scores: &[(&str, u8)]| FidelityReport {
            period: Period {
                from: String::new(),
                to: String::new(),
            },
            items: scores
                .iter()
                .map(|(id, s)| FidelityItem {
                    id: id.to_string(),
                    name: String::new(),
                    value: None,
                    unit: String::new(),
                    score: Some(*s),
                    needs_rating: false,
                    bands: vec![],
                    evidence: Evidence::default(),
                    rating: None,
                })
                .collect(),
            mean_of_scored: None,
            scored: 0,
        };
        let before = mk(&[("H1", 5), ("H2", 5), ("S1", 5)]);
        let now = mk(&[("H1", 5), ("H2", 4), ("S1", 5)]);
        assert_eq!(slipping(&now, &before, 3), vec!["H2"]);
        assert!(slipping(&before, &before, 3).is_empty());
    }
}

//! The demo's people: the two teams' staff, and the names and activities clients and visits
//! are drawn from.

use crate::domain::roles::Role;

/// (username, display name, discipline, role)
pub const RIVERSIDE: &[(&str, &str, &str, Role)] = &[
    ("maria.lopez", "Maria Lopez", "team_lead", Role::Lead),
    ("dr.chen", "Dr. Wei Chen", "psychiatrist", Role::Member),
    ("sam.okafor", "Sam Okafor", "nurse", Role::Member),
    ("priya.nair", "Priya Nair", "nurse", Role::Member),
    ("jordan.blake", "Jordan Blake", "case_manager", Role::Member),
    ("alex.kim", "Alex Kim", "case_manager", Role::Member),
    ("taylor.reed", "Taylor Reed", "social_worker", Role::Member),
    (
        "casey.morgan",
        "Casey Morgan",
        "peer_specialist",
        Role::Member,
    ),
    (
        "devon.hughes",
        "Devon Hughes",
        "substance_use_specialist",
        Role::Member,
    ),
    (
        "riley.park",
        "Riley Park",
        "employment_specialist",
        Role::Member,
    ),
    ("jamie.fox", "Jamie Fox", "housing_specialist", Role::Member),
    ("morgan.ellis", "Morgan Ellis", "other", Role::Viewer),
];

pub const NORTHSIDE: &[(&str, &str, &str, Role)] = &[
    ("dana.white", "Dana White", "team_lead", Role::Lead),
    ("chris.adams", "Chris Adams", "case_manager", Role::Member),
    ("pat.nguyen", "Pat Nguyen", "case_manager", Role::Member),
    ("lee.santos", "Lee Santos", "case_manager", Role::Member),
    ("robin.clark", "Robin Clark", "case_manager", Role::Member),
    ("kelly.ward", "Kelly Ward", "case_manager", Role::Member),
];

pub const GIVEN: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Karen",
    "Luis",
    "Nancy",
    "Andre",
    "Lisa",
    "Tyrone",
    "Betty",
    "Jorge",
    "Sandra",
    "Kevin",
    "Ashley",
    "Marcus",
    "Dorothy",
    "Ahmed",
    "Kimberly",
    "Dmitri",
    "Emily",
    "Hector",
    "Donna",
    "Terrence",
    "Michelle",
];
pub const FAMILY: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
];
pub const ACTIVITIES: &[&str] = &[
    "medication delivery",
    "symptom check-in",
    "housing support",
    "benefits appointment",
    "grocery shopping",
    "psychiatric review",
    "substance use counselling",
    "employment coaching",
    "family meeting",
    "crisis follow-up",
    "transport to appointment",
    "peer support",
    "budgeting",
    "primary care visit",
];

const STREETS: &[&str] = &[
    "Elm Street",
    "River Road",
    "Mill Lane",
    "Station Avenue",
    "Park Terrace",
    "Church Walk",
    "Harbour View",
    "Orchard Close",
];
const RELATIONS: &[&str] = &[
    "Parent",
    "Sibling",
    "Partner",
    "Friend",
    "Cousin",
    "Neighbour",
];
const PLANS: &[&str] = &[
    "Warning signs: stops answering the phone, not sleeping. Helps: a visit within the day, \
     walking together. Avoid crowded waiting rooms. If unsafe: crisis line, then ED.",
    "Early signs: talks about the neighbours listening, skips medication. Helps: calm voice, \
     checking the blister pack together. Call the emergency contact before the police.",
    "Triggers: anniversaries, debt letters. Helps: naming the worry, a plan for the next day. \
     Keeps a list of reasons for living in the kitchen drawer.",
    "If drinking again: safety check first, then call the substance-use specialist. Prefers \
     female staff at night. Dog must be cared for if admitted.",
];

/// Plausible, clearly fake on-call details for the demo's client number `i` (the fictional
/// 555-01xx numbers; no random draws, so the rest of the demo stays as it was).
pub fn fake_details(i: usize, family: &str) -> crate::store::clients::DetailChanges {
    crate::store::clients::DetailChanges {
        phone: Some(Some(format!("555-01{:02}", i % 100))),
        address: Some(Some(format!(
            "{} {}",
            3 + (i * 7) % 180,
            STREETS[i % STREETS.len()]
        ))),
        crisis_plan: Some(Some(PLANS[i % PLANS.len()].to_string())),
        emergency_contact: Some(Some(format!(
            "{} ({} {}), 555-01{:02}",
            RELATIONS[i % RELATIONS.len()],
            GIVEN[(i * 5) % GIVEN.len()],
            family,
            (i + 37) % 100
        ))),
    }
}

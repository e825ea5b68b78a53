//! Clients as they leave the server.

use crate::db::models::ClientRow;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ClientOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub initials: String,
    pub external_id: Option<String>,
    pub status: String,
    pub risk_tier: String,
    /// ICM: the case manager (required while active or transitioning). ACT: primary contact.
    #[schema(format = Uuid)]
    pub case_manager_id: Option<String>,
    pub version: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Why the client was discharged (set while discharged): goals_met, moved,
    /// transferred_out, declined_services, incarcerated, long_term_hospital, died,
    /// lost_to_contact or other.
    pub discharge_reason: Option<String>,
    /// Team-local day the discharge took effect (YYYY-MM-DD).
    pub discharged_on: Option<String>,
    /// When the discharge was recorded.
    pub discharged_at: Option<Timestamp>,
    /// Team-local day the client first became active (YYYY-MM-DD); outcomes are counted
    /// before and after it. Null until then.
    pub enrolled_on: Option<String>,
    /// Where the referral came from, when, and why (set for clients referred to the team).
    pub referral: Option<Referral>,
    /// The on-call details (phone, address, crisis plan, emergency contact): only in the
    /// answers of `GET`/`POST`/`PATCH …/clients[/{id}]` and the quick card, never in lists,
    /// events, the board or on a display.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<ClientDetails>,
}

/// A referral as the team received it.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Referral {
    /// Who referred: a hospital ward, a GP, a court, the person themselves.
    pub source: String,
    /// Team-local day the referral arrived (YYYY-MM-DD).
    pub received_on: Option<String>,
    pub reason: Option<String>,
}

impl Referral {
    pub fn of(c: &ClientRow) -> Option<Referral> {
        c.referral_source.as_ref().map(|source| Referral {
            source: source.clone(),
            received_on: c.referral_received_on.clone(),
            reason: c.referral_reason.clone(),
        })
    }
}

/// What on-call staff need to reach and help a person (each optional).
#[derive(Serialize, ToSchema, Clone, Debug, Default, PartialEq)]
pub struct ClientDetails {
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The agreed crisis plan: warning signs, what helps, whom to call (up to 4000 characters).
    pub crisis_plan: Option<String>,
    /// Who to call for the person (name, relation, number).
    pub emergency_contact: Option<String>,
}

impl ClientDetails {
    pub fn of(c: &ClientRow) -> ClientDetails {
        ClientDetails {
            phone: c.phone.clone(),
            address: c.address.clone(),
            crisis_plan: c.crisis_plan.clone(),
            emergency_contact: c.emergency_contact.clone(),
        }
    }
}

impl ClientOut {
    /// The record with its on-call details (for the answers that carry them).
    pub fn with_details(c: &ClientRow) -> ClientOut {
        ClientOut {
            details: Some(ClientDetails::of(c)),
            ..ClientOut::from(c)
        }
    }
}

impl From<&ClientRow> for ClientOut {
    fn from(c: &ClientRow) -> Self {
        ClientOut {
            id: c.id.clone(),
            team_id: c.team_id.clone(),
            given_name: c.given_name.clone(),
            family_name: c.family_name.clone(),
            preferred_name: c.preferred_name.clone(),
            initials: c.initials.clone(),
            external_id: c.external_id.clone(),
            status: c.status.clone(),
            risk_tier: c.risk_tier.clone(),
            case_manager_id: c.case_manager_id.clone(),
            version: c.version,
            created_at: c.created_at.into(),
            updated_at: c.updated_at.into(),
            discharge_reason: c.discharge_reason.clone(),
            discharged_on: c.discharged_on.clone(),
            discharged_at: c.discharged_at.map(Into::into),
            enrolled_on: c.enrolled_on.clone(),
            referral: Referral::of(c),
            details: None,
        }
    }
}

/// `client.transferred_out`: the client left this team's board for another team, and its
/// open flags (`flag_ids`) with it.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ClientTransferredOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub to_team_id: String,
    /// The client's open flags, now on the receiving team's board.
    pub flag_ids: Vec<String>,
}

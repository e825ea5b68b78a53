//! The phone's quick card for one client: how to reach and help the person (details, open
//! flags, the last few contacts on any team, the next planned visit, the case manager, who
//! is on call). Reading it is written to the audit trail like reading the record.

use crate::auth::{team_access, AuthUser};
use crate::db::models::{ContactRow, StaffRow};
use crate::db::schema::{contacts, staff};
use crate::db::{self, Pool};
use crate::domain::time;
use crate::error::AppResult;
use crate::store::audit;
use crate::store::clients::{load_client, ClientOut};
use crate::store::contacts::{with_staff, ContactOut};
use crate::store::flags::{self, FlagOut};
use crate::store::oncall::{self, ShiftOut};
use crate::store::teams::load_team;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

/// How many recent contacts the card shows.
pub const RECENT: i64 = 5;

/// A staff member as the card names them.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct CardStaff {
    #[schema(format = Uuid)]
    pub id: String,
    pub display_name: String,
    pub discipline: String,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ClientCard {
    /// The client's record with `details` (phone, address, crisis plan, emergency contact).
    pub client: ClientOut,
    /// Open crisis flags on this team, in board order.
    pub open_flags: Vec<FlagOut>,
    /// The last contacts that happened (completed, attempted or missed), on any team, latest
    /// first (at most 5).
    pub recent_contacts: Vec<ContactOut>,
    /// This team's next planned visit from today on (earliest day, then time; untimed last).
    pub next_planned: Option<ContactOut>,
    pub case_manager: Option<CardStaff>,
    /// The team's on-call shift now, if any.
    pub on_call_now: Option<ShiftOut>,
}

/// The quick card (any reader of the client's team); the read goes to the audit trail.
pub async fn get(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<ClientCard> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let row = load_client(conn, &team_id, &client_id)?;
        let team = load_team(conn, &team_id)?;
        let today = time::today(oncall::tz_of(&team)?, chrono::Utc::now())
            .format("%Y-%m-%d")
            .to_string();
        let open = flags::open_of_client(conn, &team_id, &client_id)?;
        // Filtered by the client (its history on other teams too), like `store::history`.
        let recent: Vec<ContactRow> = contacts::table
            .filter(contacts::client_id.eq(&client_id))
            .filter(contacts::status.eq_any(["completed", "attempted", "missed"]))
            .select(ContactRow::as_select())
            .order((contacts::occurred_at.desc(), contacts::id.asc()))
            .limit(RECENT)
            .load(conn)?;
        let mut planned: Vec<ContactRow> = contacts::table
            .filter(contacts::team_id.eq(&team_id))
            .filter(contacts::client_id.eq(&client_id))
            .filter(contacts::status.eq("planned"))
            .filter(contacts::day.ge(&today))
            .select(ContactRow::as_select())
            .order((contacts::day.asc(), contacts::id.asc()))
            .limit(50)
            .load(conn)?;
        // Engines sort NULL differently: order the first day's visits here.
        planned.sort_by(|a, b| {
            (&a.day, a.start_time.is_none(), &a.start_time, &a.id).cmp(&(
                &b.day,
                b.start_time.is_none(),
                &b.start_time,
                &b.id,
            ))
        });
        planned.truncate(1);
        let case_manager = match &row.case_manager_id {
            Some(id) => staff::table
                .filter(staff::id.eq(id))
                .select(StaffRow::as_select())
                .first(conn)
                .optional()?
                .map(|s| CardStaff {
                    id: s.id,
                    display_name: s.display_name,
                    discipline: s.discipline,
                }),
            None => None,
        };
        let on_call_now = oncall::current(conn, &team_id, db::now())?;
        audit::view(conn, Some(&user.id), &team_id, Some(&client_id), "card")?;
        Ok(ClientCard {
            client: ClientOut::with_details(&row),
            open_flags: flags::outs(conn, &open)?,
            recent_contacts: with_staff(conn, &recent)?,
            next_planned: with_staff(conn, &planned)?.pop(),
            case_manager,
            on_call_now,
        })
    })
    .await
}

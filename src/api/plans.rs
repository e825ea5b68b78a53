//! The support plan: goals in the client's own words with a measurable objective and a target
//! day, interventions, natural supports, a review every 90 days, and progress notes per goal.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::care::plan::{check_goal, Achievement, GoalLifecycle, GoalText};
use crate::domain::{text, time, FieldError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::plans::{self, GoalIn, InterventionOut, PlanIn, PlanOut, ProgressOut};
use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

const MAX_TEXT: usize = 1000;
const MAX_SUPPORTS: usize = 2000;
const MAX_GOALS: usize = 20;
const MAX_INTERVENTIONS: usize = 20;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterventionBody {
    /// What the team does ("help with the housing application").
    #[schema(max_length = 1000)]
    pub what: String,
    /// Who: a working member of the team (optional).
    pub staff_id: Option<Uuid>,
    /// How often, in words ("weekly", "every 14 days").
    #[schema(max_length = 1000)]
    pub frequency: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    /// Chosen by the client (a new UUID for a new goal; the same id to keep a goal).
    pub id: Uuid,
    /// The goal in the client's own words (required).
    #[schema(max_length = 1000)]
    pub in_own_words: String,
    /// A measurable objective (required).
    #[schema(max_length = 1000)]
    pub objective: String,
    /// YYYY-MM-DD (required).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub target_date: String,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub interventions: Vec<InterventionBody>,
    pub lifecycle: GoalLifecycle,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// The version last read; required when the client already has a plan.
    #[schema(minimum = 1)]
    pub version: Option<i32>,
    #[schema(max_items = 20)]
    pub goals: Vec<GoalBody>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub natural_supports: String,
    /// The day the plan was reviewed with the client, YYYY-MM-DD (not in the future); the next
    /// review is due 90 days later.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub reviewed_on: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    pub achievement: Achievement,
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub note: String,
}

/// The client's support plan (readers of the team; the read is audited).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = PlanOut),
    (status = 404, description = "No such client on this team, or no plan yet (`not_found`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/clients/{client_id}/plan")]
pub async fn get_plan(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = plans::get(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Write the client's whole support plan (members). Goals absent from the body are removed,
/// unless they have progress notes (422 on `goals`: mark them completed or cancelled instead).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = PlanBody, responses(
    (status = 200, body = PlanOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`version_conflict` (with `current`, the plan as stored)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed` naming the field (a goal without its words, objective or target date, a day in the future, an intervention's person not on the team, a goal id twice or of another client, a dropped goal with progress, a missing version) or `invalid_transition` (a discharged client)", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/clients/{client_id}/plan")]
pub async fn put_plan(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<PlanBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let b = body.0;
    let mut errors: Vec<FieldError> = vec![];
    if b.goals.len() > MAX_GOALS {
        errors.push(FieldError::new(
            "goals",
            format!("at most {MAX_GOALS} goals"),
        ));
    }
    let mut goals = vec![];
    for (i, goal) in b.goals.into_iter().enumerate() {
        let target = time::parse_day(&goal.target_date)
            .map_err(|m| errors.push(FieldError::new(format!("goals[{i}].target_date"), m)))
            .ok();
        let blank_date = goal.target_date.trim().is_empty();
        let mut found = check_goal(
            i,
            &GoalText {
                in_own_words: &goal.in_own_words,
                objective: &goal.objective,
                target_date: if blank_date {
                    None
                } else {
                    Some(target.unwrap_or_default())
                },
            },
        );
        errors.append(&mut found);
        for (field, v) in [
            ("in_own_words", &goal.in_own_words),
            ("objective", &goal.objective),
        ] {
            if v.chars().count() > MAX_TEXT {
                errors.push(FieldError::new(
                    format!("goals[{i}].{field}"),
                    format!("at most {MAX_TEXT} characters"),
                ));
            }
        }
        if goal.interventions.len() > MAX_INTERVENTIONS {
            errors.push(FieldError::new(
                format!("goals[{i}].interventions"),
                format!("at most {MAX_INTERVENTIONS}"),
            ));
        }
        let mut interventions = vec![];
        for (j, v) in goal.interventions.into_iter().enumerate() {
            let what = text::required(
                &format!("goals[{i}].interventions[{j}].what"),
                &v.what,
                MAX_TEXT,
            )
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
            let frequency = text::required(
                &format!("goals[{i}].interventions[{j}].frequency"),
                &v.frequency,
                MAX_TEXT,
            )
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
            interventions.push(InterventionOut {
                what,
                staff_id: v.staff_id.map(|u| u.to_string()),
                frequency,
            });
        }
        if let Some(target_date) = target {
            goals.push(GoalIn {
                id: goal.id.to_string(),
                in_own_words: goal.in_own_words.trim().to_string(),
                objective: goal.objective.trim().to_string(),
                target_date,
                interventions,
                lifecycle: goal.lifecycle,
            });
        }
    }
    let natural_supports =
        text::optional("natural_supports", Some(&b.natural_supports), MAX_SUPPORTS)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten()
            .unwrap_or_default();
    let reviewed_on = time::parse_day(&b.reviewed_on)
        .map_err(|m| errors.push(FieldError::new("reviewed_on", m)))
        .ok();
    let Some(reviewed_on) = reviewed_on.filter(|_| errors.is_empty()) else {
        return Err(AppError::from_fields(errors));
    };
    let p = PlanIn {
        version: b.version,
        goals,
        natural_supports,
        reviewed_on,
    };
    let out = plans::put(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        p,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Add a progress note to a goal (members).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path), ("goal_id" = Uuid, Path)), request_body = ProgressBody, responses(
    (status = 201, body = ProgressOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such client on this team, or no such goal in its plan", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed` (a blank or long note, an unknown achievement) or `invalid_transition` (a discharged client)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/plan/goals/{goal_id}/progress")]
pub async fn add_goal_progress(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: Json<ProgressBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id, goal_id) = path.into_inner();
    let b = body.0;
    let note =
        text::required("note", &b.note, MAX_TEXT).map_err(|e| AppError::from_fields(vec![e]))?;
    let out = plans::add_progress(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        goal_id.to_string(),
        b.achievement,
        note,
    )
    .await?;
    Ok(HttpResponse::Created().json(out))
}

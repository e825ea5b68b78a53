//! Assessments: rate the three factors with evidence; the server computes the tier, a lead may
//! override it with a reason, and the client's `risk_tier` follows the latest one.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::care::assessment::{Factors, MAX_RATING};
use crate::domain::client::RiskTier;
use crate::domain::{text, time, FieldError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::assessments::{self, AssessmentOut, NewAssessment};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Longest evidence text per factor, and longest override reason.
const MAX_EVIDENCE: usize = 2000;
const MAX_REASON: usize = 500;

/// Each factor rated 0 (none) to 3 (severe).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FactorsBody {
    #[schema(minimum = 0, maximum = 3)]
    pub biomedical: u8,
    #[schema(minimum = 0, maximum = 3)]
    pub behavioral: u8,
    #[schema(minimum = 0, maximum = 3)]
    pub circumstantial: u8,
}

/// What each rating rests on. Required (non-blank) for every factor rated above 0.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EvidenceBody {
    #[schema(max_length = 2000)]
    pub biomedical: Option<String>,
    #[schema(max_length = 2000)]
    pub behavioral: Option<String>,
    #[schema(max_length = 2000)]
    pub circumstantial: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessmentBody {
    pub factors: FactorsBody,
    #[serde(default)]
    pub evidence: EvidenceBody,
    /// A lead's override of the computed tier; needs `override_reason`.
    pub override_tier: Option<RiskTier>,
    #[schema(max_length = 500)]
    pub override_reason: Option<String>,
    /// Team-local day of the assessment, YYYY-MM-DD (default today; not in the future).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub assessed_on: Option<String>,
}

/// Record an assessment (members; an override needs a lead). The tier is computed by the rule:
/// `high` if any factor is 3 or the sum is 6 or more, `medium` if the sum is 3 or more, else
/// `low`. `next_due` is six months later. When it is the client's latest assessment and the
/// tier changes, the client's `risk_tier` changes with it (`client.updated`).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = NewAssessmentBody, responses(
    (status = 201, body = AssessmentOut),
    (status = 403, description = "A viewer, or an override by a member who is not a lead", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed` (a rating outside 0–3, evidence missing for a rating above 0, an override without a reason or a reason without an override, a day in the future) or `invalid_transition` (a discharged client)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/assessments")]
pub async fn create_assessment(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewAssessmentBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let b = body.0;
    let mut errors = vec![];
    let factors = Factors {
        biomedical: b.factors.biomedical,
        behavioral: b.factors.behavioral,
        circumstantial: b.factors.circumstantial,
    };
    for name in factors.out_of_range() {
        errors.push(FieldError::new(
            format!("factors.{name}"),
            format!("must be a rating from 0 to {MAX_RATING}"),
        ));
    }
    let mut evidence = |name: &str, rating: u8, v: Option<String>| -> String {
        let field = format!("evidence.{name}");
        match text::optional(&field, v.as_deref(), MAX_EVIDENCE) {
            Ok(Some(t)) => t,
            Ok(None) if rating > 0 => {
                errors.push(FieldError::new(field, "say what a rating above 0 rests on"));
                String::new()
            }
            Ok(None) => String::new(),
            Err(e) => {
                errors.push(e);
                String::new()
            }
        }
    };
    let ev = [
        evidence("biomedical", factors.biomedical, b.evidence.biomedical),
        evidence("behavioral", factors.behavioral, b.evidence.behavioral),
        evidence(
            "circumstantial",
            factors.circumstantial,
            b.evidence.circumstantial,
        ),
    ];
    let reason = text::optional("override_reason", b.override_reason.as_deref(), MAX_REASON)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let override_tier = match (b.override_tier, reason) {
        (Some(t), Some(r)) => Some((t, r)),
        (Some(_), None) => {
            errors.push(FieldError::new(
                "override_reason",
                "an override needs a reason",
            ));
            None
        }
        (None, Some(_)) => {
            errors.push(FieldError::new(
                "override_tier",
                "a reason was given without an override",
            ));
            None
        }
        (None, None) => None,
    };
    let assessed_on = b.assessed_on.as_deref().and_then(|d| {
        time::parse_day(d)
            .map_err(|m| errors.push(FieldError::new("assessed_on", m)))
            .ok()
    });
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let n = NewAssessment {
        factors,
        evidence: ev,
        override_tier,
        assessed_on,
    };
    let out = assessments::record(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        n,
    )
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A client's assessments, newest first (any member of the team; the read is audited).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = Vec<AssessmentOut>),
))]
#[get("/teams/{team_id}/clients/{client_id}/assessments")]
pub async fn list_assessments(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = assessments::list(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

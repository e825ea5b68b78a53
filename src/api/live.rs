//! The live stream's HTTP side: the origin check and the websocket upgrade. The connection
//! itself (hello, snapshot or replay, live frames) is `live::socket`.

use crate::api::Problem;
use crate::error::AppError;
use crate::live::socket;
use crate::state::AppState;
use actix_web::{get, http::header, web, HttpRequest, HttpResponse};
use uuid::Uuid;

/// The team's live stream (websocket). Authenticate with the first frame
/// `{"type":"hello","token":"…","since":N|null,"device":"board|phone|desktop"}`; see
/// docs/PROTOCOL.md for the frames and close codes.
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path)), security(()), responses(
    (status = 101, description = "Switching to the websocket protocol"),
    (status = 403, description = "Origin not allowed", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/live")]
pub async fn live_stream(
    req: HttpRequest,
    body: web::Payload,
    path: web::Path<Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    // Cross-site websocket hijacking: a browser always sends Origin; it must be ours.
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !st.config.allowed_origins.iter().any(|a| a == origin) {
            return Err(AppError::Forbidden(format!(
                "origin {origin} may not open the live stream"
            )));
        }
    }
    let team_id = path.into_inner().to_string();
    let (resp, session, stream) = actix_ws::handle(&req, body)
        .map_err(|e| AppError::BadRequest(format!("not a websocket upgrade: {e}")))?;
    actix_web::rt::spawn(socket::run(
        st,
        team_id,
        session,
        stream.max_frame_size(socket::MAX_FRAME),
    ));
    Ok(resp)
}

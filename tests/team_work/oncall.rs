//! On-call shifts in the team's local time (daylight-saving gaps and overlaps), overlaps, who
//! is on call now.

use crate::helpers::*;
use serde_json::json;

both_engines!(oncall_shifts_in_team_local_time,);

async fn oncall_shifts_in_team_local_time(app: TestApp) {
    let team = app.create_team("On Call", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadoc", "lead").await;
    let (m_id, m) = app.member(&t, "nightnurse", "member").await;
    let (v_id, _) = app.member(&t, "vieweroc", "viewer").await;
    let (m2_id, _) = app.member(&t, "nightnurse2", "member").await;
    let spath = format!("/api/teams/{t}/oncall/shifts");
    let shift = |s: &str, e: &str| json!({"staff_id": m_id, "starts_local": s, "ends_local": e});

    // Spring forward: 02:30 does not exist on 2026-03-08 in New York.
    let p = invalid(
        app.post(&spath, &lead, shift("2026-03-08T02:30", "2026-03-08T08:00"))
            .await,
        "starts_local",
    );
    let msg = p.to_string().to_lowercase();
    assert!(
        msg.contains("does not exist") && msg.contains("daylight"),
        "the DST gap is explained: {p}"
    );

    // Fall back: 01:30 happens twice on 2026-11-01; the earlier instant (EDT) is taken.
    let s = app
        .post(&spath, &lead, shift("2026-11-01T01:30", "2026-11-01T09:00"))
        .await
        .expect(201);
    assert_eq!(s["starts_at"], "2026-11-01T05:30:00.000000Z");
    assert_eq!(s["ends_at"], "2026-11-01T14:00:00.000000Z");
    assert_eq!(s["staff_id"], m_id.as_str());

    // Overlap.
    app.post(&spath, &lead, shift("2026-11-01T08:00", "2026-11-01T12:00"))
        .await
        .problem(409, "conflict");
    let mut allowed = shift("2026-11-01T08:00", "2026-11-01T12:00");
    allowed["allow_overlap"] = json!(true);
    // Never the same person twice at once (issue 12), even when a lead allows overlaps.
    app.post(&spath, &lead, allowed.clone())
        .await
        .problem(409, "conflict");
    allowed["staff_id"] = json!(m2_id);
    app.post(&spath, &lead, allowed).await.expect(201);
    // Back to back is not an overlap.
    app.post(&spath, &lead, shift("2026-11-01T12:00", "2026-11-01T18:00"))
        .await
        .expect(201);

    // Bad input.
    invalid(
        app.post(&spath, &lead, shift("2026-11-02T10:00", "2026-11-02T09:00"))
            .await,
        "ends_local",
    );
    invalid(
        app.post(&spath, &lead, shift("2026-11-02 10:00", "2026-11-02T12:00"))
            .await,
        "starts_local",
    );
    invalid(app.post(&spath, &lead, json!({"staff_id": v_id, "starts_local": "2026-11-03T10:00", "ends_local": "2026-11-03T12:00"})).await, "staff_id");
    app.post(&spath, &m, shift("2026-11-04T10:00", "2026-11-04T12:00"))
        .await
        .problem(403, "forbidden");

    // Nobody on call now.
    let now_path = format!("/api/teams/{t}/oncall/now");
    app.get(&now_path, &m).await.problem(404, "not_found");
    let cur = app
        .post(&spath, &lead, shift(&ny_local(-60), &ny_local(60)))
        .await
        .expect(201);
    let now = app.get(&now_path, &m).await.expect(200);
    assert_eq!(now["id"], cur["id"]);
    assert_eq!(now["staff_id"], m_id.as_str());
}

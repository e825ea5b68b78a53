//! Sane dates (issue 11): every day or time a request gives is within 2000–2099
//! (`domain::time::check_sane`), else 422 naming the field; never a 500 on either engine
//! (a shift ending in year 9999 once compared as text past year 9999 on SQLite).

use crate::helpers::*;
use serde_json::json;

both_engines!(dates_outside_the_sane_range_are_refused_by_field,);

async fn dates_outside_the_sane_range_are_refused_by_field(app: TestApp) {
    let t = id(&app.create_team("Dates", "act").await);
    let (_, lead) = app.member(&t, "dates.lead", "lead").await;
    let (s, m) = app.member(&t, "dates.member", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ida", "Client").await);
    let shifts = format!("/api/teams/{t}/oncall/shifts");

    // The pilot's 500: a valid shift ending in year 9999.
    let shift = |a: &str, z: &str| json!({"staff_id": s, "starts_local": a, "ends_local": z});
    invalid(
        app.post(
            &shifts,
            &lead,
            shift("9999-12-31T18:00", "9999-12-31T23:00"),
        )
        .await,
        "starts_local",
    );
    invalid(
        app.post(
            &shifts,
            &lead,
            shift("2099-12-31T18:00", "9999-12-31T23:00"),
        )
        .await,
        "ends_local",
    );
    invalid(
        app.post(
            &shifts,
            &lead,
            shift("0000-01-01T08:00", "2026-01-01T08:00"),
        )
        .await,
        "starts_local",
    );
    invalid(
        app.post(
            &shifts,
            &lead,
            shift("1999-12-31T20:00", "2000-01-01T08:00"),
        )
        .await,
        "starts_local",
    );
    // The edges are fine.
    app.post(
        &shifts,
        &lead,
        shift("2099-12-31T18:00", "2099-12-31T23:59"),
    )
    .await
    .expect(201);
    app.post(
        &shifts,
        &lead,
        shift("2000-01-01T00:00", "2000-01-01T08:00"),
    )
    .await
    .expect(201);

    // Contacts dated year 0000 (or 9999): refused on the day, by PUT and by PATCH.
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    for day in ["0000-01-01", "9999-12-31", "1999-12-31", "2100-01-01"] {
        invalid(
            app.put(&kpath(&new_id()), &m, visit(&c, &[&s], day, "planned"))
                .await,
            "day",
        );
    }
    let k = new_id();
    app.put(&kpath(&k), &m, visit(&c, &[&s], "2026-12-01", "planned"))
        .await
        .expect(201);
    invalid(
        app.patch(&kpath(&k), &m, json!({"version": 1, "day": "0000-01-01"}))
            .await,
        "day",
    );

    // List filters and the board's day.
    for (q, field) in [
        ("day=0000-01-01", "day"),
        ("from=9999-12-31", "from"),
        ("to=2100-01-01", "to"),
    ] {
        invalid(
            app.get(&format!("/api/teams/{t}/contacts?{q}"), &m).await,
            field,
        );
    }
    invalid(app.get(&format!("{shifts}?to=9999-12-31"), &m).await, "to");
    invalid(
        app.get(&format!("{shifts}?from=0000-01-01"), &m).await,
        "from",
    );
    let b = unreadable(
        app.get(&format!("/api/teams/{t}/board?day=9999-12-31"), &m)
            .await,
    );
    assert!(b["detail"].as_str().unwrap().contains("2099"), "{b}");
    invalid(
        app.put(
            &format!("/api/teams/{t}/huddle/0000-01-01/reviews/{c}"),
            &m,
            json!({}),
        )
        .await,
        "day",
    );
    invalid(
        app.post(
            &format!("/api/teams/{t}/contacts/reassign"),
            &lead,
            json!({"day": "9999-12-31", "from_staff_id": s, "to_staff_id": s}),
        )
        .await,
        "day",
    );
    // Absences and handoff due times are checked the same way (absences.rs, handoff_rules.rs).
}

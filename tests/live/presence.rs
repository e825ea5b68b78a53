//! Presence follows connections (who, which device, how many), coalesced.

use crate::helpers::*;
use crate::ws::*;
use std::time::{Duration, Instant};

both_engines!(presence_follows_connections,);

async fn presence_follows_connections(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Presence", "lead9").await;
    let (_, member) = app.member(&t, "member9", "member").await;

    let mut wall = connect(&app, &t, &lead, None, "board").await;
    snapshot(&mut wall).await;
    presence_becomes(&mut wall, &[("lead9", "board", 1)], WAIT).await;

    let mut phone = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone).await;
    let both = [("lead9", "board", 1), ("member9", "phone", 1)];
    presence_becomes(&mut wall, &both, WAIT).await;
    presence_becomes(&mut phone, &both, WAIT).await;

    // A second connection of the same person and device counts; an unknown device is a desktop.
    let mut phone2 = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone2).await;
    presence_becomes(
        &mut wall,
        &[("lead9", "board", 1), ("member9", "phone", 2)],
        WAIT,
    )
    .await;
    let mut toaster = connect(&app, &t, &member, None, "toaster").await;
    snapshot(&mut toaster).await;
    presence_becomes(
        &mut wall,
        &[
            ("lead9", "board", 1),
            ("member9", "desktop", 1),
            ("member9", "phone", 2),
        ],
        WAIT,
    )
    .await;

    // Leaving, politely or not.
    toaster.close(None).await.unwrap();
    presence_becomes(
        &mut wall,
        &[("lead9", "board", 1), ("member9", "phone", 2)],
        WAIT,
    )
    .await;
    drop(phone2); // the TCP connection just goes away
    presence_becomes(&mut wall, &both, WAIT).await;
    phone.close(None).await.unwrap();
    let p = presence_becomes(&mut wall, &[("lead9", "board", 1)], WAIT).await;
    assert_eq!(p["viewers"].as_array().unwrap().len(), 1);
    let deadline = Instant::now() + WAIT;
    while app.state.hub.stats().await.connections != 1 {
        assert!(
            Instant::now() < deadline,
            "the hub still counts {} connections",
            app.state.hub.stats().await.connections
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A whole team reconnecting at once (after a restart) is a handful of presence frames on
    // each screen, not one per reconnect: changes within 250 ms go out together.
    let n = 40;
    let mut many: Vec<Ws> =
        futures_util::future::join_all((0..n).map(|_| connect(&app, &t, &member, None, "phone")))
            .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut frames = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "presence never showed {n} phones ({frames} presence frames)"
        );
        match recv(&mut wall, left).await {
            Some(In::Frame(v)) if v["type"] == "presence" => {
                frames += 1;
                let phones = v["viewers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["device"] == "phone")
                    .map(|x| x["connections"].as_i64().unwrap());
                if phones == Some(n) {
                    break;
                }
            }
            Some(In::Frame(_)) => {}
            other => panic!("the wall's stream ended: {other:?}"),
        }
    }
    assert!(
        frames <= n / 2,
        "{frames} presence frames for {n} connections: not coalesced"
    );
    for ws in &mut many {
        snapshot(ws).await;
    }
}

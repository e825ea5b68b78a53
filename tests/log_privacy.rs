//! No client names or notes in the server's logs: run a real `actboard serve` with debug
//! logging, exercise the API with names and notes, and search what it printed.

use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[actix_web::test]
async fn logs_carry_no_client_names_or_notes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let bin = env!("CARGO_BIN_EXE_actboard");
    let demo = Command::new(bin)
        .args(["demo"])
        .env("ACTBOARD_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(demo.status.success());
    let port = free_port();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = Command::new(bin)
        .arg("serve")
        .env("ACTBOARD_DATABASE_URL", &url)
        .env("ACTBOARD_BIND", format!("127.0.0.1:{port}"))
        .env("ACTBOARD_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let login: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "maria.lopez", "password": "actboard-demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_string();
    let me: Value = http
        .get(format!("{base}/api/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let team = me["teams"][0]["team_id"].as_str().unwrap().to_string();
    let clients: Vec<Value> = http
        .get(format!("{base}/api/teams/{team}/clients"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Things with names and clinical text in them: a new client, a note, a flag reason,
    // a failing request echoing a name, a client record read.
    let new: Value = http
        .post(format!("{base}/api/teams/{team}/clients"))
        .bearer_auth(&token)
        .json(&json!({"given_name": "Quentin", "family_name": "Zebedee"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cid = new["id"].as_str().unwrap();
    http.get(format!("{base}/api/teams/{team}/clients/{cid}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    http.post(format!("{base}/api/teams/{team}/clients/{cid}/flags"))
        .bearer_auth(&token)
        .json(&json!({"severity": "urgent", "category": "other", "reason": "Quentin Zebedee said he feels unsafe"}))
        .send()
        .await
        .unwrap();
    let me_id = login["user"]["id"].as_str().unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    http.put(format!("{base}/api/teams/{team}/contacts/{}", uuid::Uuid::new_v4())).bearer_auth(&token)
        .json(&json!({"client_id": cid, "staff_ids": [me_id], "day": today, "kind": "phone", "place": "office",
            "activity": "check-in", "status": "planned", "note": "Zebedee's sister called about housing"})).send().await.unwrap();
    http.post(format!("{base}/api/teams/{team}/clients"))
        .bearer_auth(&token)
        .json(&json!({"given_name": "Quentin", "family_name": "Zebedee", "status": "nonsense"}))
        .send()
        .await
        .unwrap();
    http.get(format!("{base}/api/teams/{team}/board"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();

    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        text.contains("request"),
        "the server logged requests: {text:.500}"
    );
    let mut names: Vec<String> = clients
        .iter()
        .map(|c| c["family_name"].as_str().unwrap().to_string())
        .collect();
    names.extend(["Quentin", "Zebedee", "unsafe", "sister"].map(String::from));
    for n in names {
        assert!(!text.contains(&n), "the log contains '{n}'");
    }
}

//! What a privacy ("initials") display may receive: no client names, no notes, no handoff
//! text. Applied to the board and, through `store::events::EventKind::redact` (which decides
//! every kind, and sends an unknown one without its data), to every event.

use serde_json::{json, Value};

const NAME_FIELDS: &[&str] = &["given_name", "family_name", "preferred_name", "external_id"];

/// A client object (or board row): names removed, `display_name` set to the initials.
pub fn redact_client(c: &mut Value) {
    if let Some(o) = c.as_object_mut() {
        for f in NAME_FIELDS {
            o.remove(*f);
        }
        let initials = o.get("initials").cloned().unwrap_or(json!(""));
        o.insert("display_name".into(), initials);
        if let Some(today) = o.get_mut("today").and_then(Value::as_array_mut) {
            today.iter_mut().for_each(redact_contact);
        }
    }
}

pub fn redact_contact(c: &mut Value) {
    if let Some(o) = c.as_object_mut() {
        o.remove("note");
    }
}

pub fn redact_handoff(h: &mut Value) {
    if let Some(o) = h.as_object_mut() {
        o.remove("synthesis");
        if let Some(items) = o.get_mut("items").and_then(Value::as_array_mut) {
            // Blanked rather than removed: the item keeps its documented shape (no actions).
            for it in items.iter_mut().filter_map(Value::as_object_mut) {
                it.insert("summary".into(), json!(""));
                it.insert("actions".into(), json!([]));
                it.insert("contingency".into(), json!(""));
            }
        }
    }
}

/// An absence: the dates and who covers, never the reason someone typed.
pub fn redact_absence(a: &mut Value) {
    if let Some(o) = a.as_object_mut() {
        o.remove("reason");
    }
}

/// A whole board as a privacy display may see it.
pub fn redact_board(board: &mut Value) {
    if let Some(clients) = board.get_mut("clients").and_then(Value::as_array_mut) {
        clients.iter_mut().for_each(redact_client);
    }
    if let Some(hs) = board.get_mut("handoffs").and_then(Value::as_array_mut) {
        hs.iter_mut().for_each(redact_handoff);
    }
    board["privacy"] = json!("initials");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_lose_names() {
        let mut c = json!({"id": "1", "given_name": "Ann", "family_name": "Lee", "preferred_name": "Annie",
            "display_name": "Annie Lee", "initials": "AL", "today": [{"id": "c", "note": "talked about Ann's sister"}]});
        redact_client(&mut c);
        let s = c.to_string();
        assert!(
            !s.contains("Ann") && !s.contains("Lee") && !s.contains("sister"),
            "{s}"
        );
        assert_eq!(c["display_name"], "AL");
    }
}

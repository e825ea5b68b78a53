// One schema for both engines: only types both SQLite and PostgreSQL share.
// Ids are UUID text, times are UTC `Timestamp`, JSON payloads are text.

diesel::table! {
    teams (id) {
        id -> Text,
        name -> Text,
        mode -> Text,
        timezone -> Text,
        caseload_cap -> Integer,
        privacy -> Text,
        last_seq -> BigInt,
        version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        discipline -> Text,
        password_hash -> Text,
        is_admin -> Bool,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    memberships (team_id, staff_id) {
        team_id -> Text,
        staff_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        staff_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    display_tokens (id) {
        id -> Text,
        team_id -> Text,
        label -> Text,
        privacy -> Text,
        token_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    events (team_id, seq) {
        team_id -> Text,
        seq -> BigInt,
        kind -> Text,
        payload -> Text,
        actor -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    access_log (id) {
        id -> Text,
        staff_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        client_id -> Nullable<Text>,
        action -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        username -> Text,
        address -> Text,
        at -> Timestamp,
    }
}

diesel::joinable!(memberships -> teams (team_id));
diesel::joinable!(memberships -> staff (staff_id));
diesel::joinable!(display_tokens -> teams (team_id));
diesel::joinable!(events -> teams (team_id));

diesel::allow_tables_to_appear_in_same_query!(
    teams,
    staff,
    memberships,
    refresh_tokens,
    display_tokens,
    events,
    access_log,
    login_failures,
);

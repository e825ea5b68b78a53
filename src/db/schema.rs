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
        escalate_after_minutes -> Integer,
        qualifying_diagnoses -> Nullable<Text>,
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
        must_change_password -> Bool,
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
    sessions (id) {
        id -> Text,
        staff_id -> Text,
        created_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
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
    audit_log (id) {
        id -> Text,
        seq -> Nullable<BigInt>,
        at -> Timestamp,
        staff_id -> Nullable<Text>,
        action -> Text,
        team_id -> Nullable<Text>,
        client_id -> Nullable<Text>,
        detail -> Text,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    audit_chain (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
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

diesel::table! {
    clients (id) {
        id -> Text,
        team_id -> Text,
        given_name -> Text,
        family_name -> Text,
        preferred_name -> Nullable<Text>,
        initials -> Text,
        external_id -> Nullable<Text>,
        status -> Text,
        risk_tier -> Text,
        case_manager_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        discharge_reason -> Nullable<Text>,
        discharged_on -> Nullable<Text>,
        discharged_at -> Nullable<Timestamp>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        crisis_plan -> Nullable<Text>,
        emergency_contact -> Nullable<Text>,
        referral_source -> Nullable<Text>,
        referral_received_on -> Nullable<Text>,
        referral_reason -> Nullable<Text>,
        enrolled_on -> Nullable<Text>,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        day -> Text,
        start_time -> Nullable<Text>,
        end_time -> Nullable<Text>,
        occurred_at -> Timestamp,
        kind -> Text,
        place -> Text,
        activity -> Text,
        status -> Text,
        minutes -> Nullable<Integer>,
        note -> Nullable<Text>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        series_id -> Nullable<Text>,
    }
}

diesel::table! {
    visit_series (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        staff_ids -> Text,
        first_day -> Text,
        every_days -> Integer,
        until_day -> Text,
        start_time -> Text,
        end_time -> Text,
        kind -> Text,
        place -> Text,
        activity -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        ended_by -> Nullable<Text>,
    }
}

diesel::table! {
    contact_staff (contact_id, staff_id) {
        contact_id -> Text,
        staff_id -> Text,
        team_id -> Text,
    }
}

diesel::table! {
    crisis_flags (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        severity -> Text,
        reason -> Text,
        raised_by -> Text,
        raised_at -> Timestamp,
        acknowledged_by -> Nullable<Text>,
        acknowledged_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        version -> Integer,
        category -> Text,
        escalated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    crisis_flag_responders (flag_id, staff_id) {
        flag_id -> Text,
        staff_id -> Text,
        team_id -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    oncall_shifts (id) {
        id -> Text,
        team_id -> Text,
        staff_id -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        starts_local -> Text,
        ends_local -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oncall_patterns (team_id) {
        team_id -> Text,
        slots -> Text,
        version -> Integer,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    handoffs (id) {
        id -> Text,
        team_id -> Text,
        from_staff_id -> Text,
        to_staff_id -> Text,
        shift_id -> Nullable<Text>,
        due_at -> Timestamp,
        created_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
        synthesis -> Nullable<Text>,
    }
}

diesel::table! {
    handoff_items (handoff_id, position) {
        handoff_id -> Text,
        position -> Integer,
        team_id -> Text,
        client_id -> Text,
        severity -> Text,
        summary -> Text,
        actions -> Text,
        contingency -> Text,
    }
}

diesel::table! {
    huddle_reviews (team_id, day, client_id) {
        team_id -> Text,
        day -> Text,
        client_id -> Text,
        reviewed_by -> Text,
        reviewed_at -> Timestamp,
    }
}

diesel::table! {
    huddle_focus (team_id) {
        team_id -> Text,
        day -> Text,
        client_id -> Nullable<Text>,
        staff_id -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    absences (id) {
        id -> Text,
        team_id -> Text,
        staff_id -> Text,
        from_day -> Text,
        to_day -> Text,
        covered_by -> Nullable<Text>,
        reason -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        biomedical -> Integer,
        behavioral -> Integer,
        circumstantial -> Integer,
        biomedical_evidence -> Text,
        behavioral_evidence -> Text,
        circumstantial_evidence -> Text,
        computed_tier -> Text,
        tier -> Text,
        override_reason -> Nullable<Text>,
        assessed_on -> Text,
        next_due -> Text,
        assessed_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    screenings (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        diagnosis -> Text,
        illness_years -> Integer,
        impairments -> Text,
        psychiatric_admissions_12m -> Integer,
        hospital_days_24m -> Integer,
        ed_visits_12m -> Integer,
        homeless -> Bool,
        justice_involved -> Bool,
        co_occurring_sud -> Bool,
        not_engaging_office -> Bool,
        smi -> Bool,
        high_need -> Bool,
        recommendation -> Text,
        result -> Text,
        screened_on -> Text,
        screened_by -> Text,
        created_at -> Timestamp,
        decision -> Nullable<Text>,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    support_plans (client_id) {
        client_id -> Text,
        team_id -> Text,
        natural_supports -> Text,
        reviewed_on -> Text,
        review_due -> Text,
        version -> Integer,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_goals (id) {
        id -> Text,
        client_id -> Text,
        position -> Integer,
        in_own_words -> Text,
        objective -> Text,
        target_date -> Text,
        lifecycle -> Text,
        interventions -> Text,
    }
}

diesel::table! {
    goal_progress (id) {
        id -> Text,
        goal_id -> Text,
        client_id -> Text,
        team_id -> Text,
        achievement -> Text,
        note -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    transitions (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        readiness -> Text,
        readiness_summary -> Text,
        plan -> Text,
        to_team_id -> Nullable<Text>,
        to_case_manager_id -> Nullable<Text>,
        note -> Text,
        handoff -> Nullable<Text>,
        state -> Text,
        started_by -> Text,
        started_at -> Timestamp,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        completed_on -> Nullable<Text>,
        handoff_id -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    episodes (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        kind -> Text,
        start_on -> Text,
        end_on -> Nullable<Text>,
        team_involved -> Bool,
        note -> Text,
        version -> Integer,
        recorded_by -> Text,
        recorded_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    checkins (id) {
        id -> Text,
        team_id -> Text,
        client_id -> Text,
        transition_id -> Nullable<Text>,
        after_days -> Integer,
        due_on -> Text,
        outcome -> Nullable<Text>,
        note -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        recorded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    fidelity_ratings (id) {
        id -> Text,
        team_id -> Text,
        item -> Text,
        period_to -> Text,
        score -> Integer,
        note -> Text,
        rated_by -> Text,
        rated_at -> Timestamp,
    }
}

diesel::joinable!(memberships -> teams (team_id));
diesel::joinable!(clients -> teams (team_id));
diesel::joinable!(contacts -> clients (client_id));
diesel::joinable!(contact_staff -> contacts (contact_id));
diesel::joinable!(contact_staff -> staff (staff_id));
diesel::joinable!(crisis_flags -> clients (client_id));
diesel::joinable!(crisis_flags -> teams (team_id));
diesel::joinable!(crisis_flag_responders -> crisis_flags (flag_id));
diesel::joinable!(crisis_flag_responders -> staff (staff_id));
diesel::joinable!(oncall_shifts -> staff (staff_id));
diesel::joinable!(oncall_patterns -> teams (team_id));
diesel::joinable!(handoff_items -> handoffs (handoff_id));
diesel::joinable!(handoff_items -> clients (client_id));
diesel::joinable!(memberships -> staff (staff_id));
diesel::joinable!(sessions -> staff (staff_id));
diesel::joinable!(display_tokens -> teams (team_id));
diesel::joinable!(events -> teams (team_id));

diesel::allow_tables_to_appear_in_same_query!(
    screenings,
    episodes,
    fidelity_ratings,
    support_plans,
    plan_goals,
    goal_progress,
    transitions,
    checkins,
    assessments,
    teams,
    staff,
    memberships,
    refresh_tokens,
    sessions,
    display_tokens,
    events,
    audit_log,
    audit_chain,
    login_failures,
    clients,
    contacts,
    contact_staff,
    crisis_flags,
    crisis_flag_responders,
    oncall_shifts,
    handoffs,
    handoff_items,
    huddle_reviews,
    huddle_focus,
    absences,
    oncall_patterns,
    visit_series,
);

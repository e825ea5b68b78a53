-- Transition (issue 14): a readiness review over six areas, the plan (step down, transfer,
-- discharge) and its target, the warm hand-off's I-PASS fields; one open transition per
-- client. Completing it schedules check-ins at 30, 60 and 90 days, done by the sending team.
CREATE TABLE transitions (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    readiness TEXT NOT NULL,
    readiness_summary TEXT NOT NULL CHECK (readiness_summary IN ('consider', 'unclear', 'not_ready')),
    plan TEXT NOT NULL CHECK (plan IN ('step_down', 'transfer', 'discharge')),
    to_team_id TEXT REFERENCES teams(id),
    to_case_manager_id TEXT REFERENCES staff(id),
    note TEXT NOT NULL,
    handoff TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'completed', 'cancelled')),
    started_by TEXT NOT NULL REFERENCES staff(id),
    started_at TIMESTAMP NOT NULL,
    closed_by TEXT REFERENCES staff(id),
    closed_at TIMESTAMP,
    completed_on TEXT,
    handoff_id TEXT REFERENCES handoffs(id),
    version INTEGER NOT NULL
);
CREATE UNIQUE INDEX transitions_one_open ON transitions(client_id) WHERE state = 'open';
CREATE INDEX transitions_team ON transitions(team_id, client_id, started_at);

CREATE TABLE checkins (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    transition_id TEXT REFERENCES transitions(id),
    after_days INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    outcome TEXT CHECK (outcome IN ('reached', 'not_reached', 'needs_support')),
    note TEXT,
    recorded_by TEXT REFERENCES staff(id),
    recorded_at TIMESTAMP
);
CREATE INDEX checkins_team ON checkins(team_id, outcome, due_on);
CREATE INDEX checkins_client ON checkins(client_id, due_on);

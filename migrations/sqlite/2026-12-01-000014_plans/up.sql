-- The individual support plan (issue 14): one per client, reviewed every 90 days; goals in the
-- client's own words with a measurable objective and a target date, interventions (what, who,
-- how often) as a JSON list; progress notes per goal with HL7 FHIR Goal achievement statuses.
CREATE TABLE support_plans (
    client_id TEXT PRIMARY KEY NOT NULL REFERENCES clients(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    natural_supports TEXT NOT NULL,
    reviewed_on TEXT NOT NULL,
    review_due TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES staff(id),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE plan_goals (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES support_plans(client_id),
    position INTEGER NOT NULL,
    in_own_words TEXT NOT NULL,
    objective TEXT NOT NULL,
    target_date TEXT NOT NULL,
    lifecycle TEXT NOT NULL CHECK (lifecycle IN ('proposed', 'active', 'on_hold', 'completed', 'cancelled')),
    interventions TEXT NOT NULL
);
CREATE INDEX plan_goals_client ON plan_goals(client_id, position);

CREATE TABLE goal_progress (
    id TEXT PRIMARY KEY NOT NULL,
    goal_id TEXT NOT NULL REFERENCES plan_goals(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    achievement TEXT NOT NULL CHECK (achievement IN ('in_progress', 'improving', 'worsening', 'no_change', 'achieved', 'sustaining', 'not_achieved', 'no_progress', 'not_attainable')),
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX goal_progress_goal ON goal_progress(goal_id, recorded_at);

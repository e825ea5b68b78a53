-- Assessments (issue 14): three factors rated 0–3 with evidence, the tier the rule computes,
-- and a lead's override with its reason. A client's `risk_tier` is its latest assessment's
-- `tier`. Rows are kept by client (the history follows a transferred client); `team_id` is
-- the team that assessed.
CREATE TABLE assessments (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    biomedical INTEGER NOT NULL CHECK (biomedical BETWEEN 0 AND 3),
    behavioral INTEGER NOT NULL CHECK (behavioral BETWEEN 0 AND 3),
    circumstantial INTEGER NOT NULL CHECK (circumstantial BETWEEN 0 AND 3),
    biomedical_evidence TEXT NOT NULL,
    behavioral_evidence TEXT NOT NULL,
    circumstantial_evidence TEXT NOT NULL,
    computed_tier TEXT NOT NULL CHECK (computed_tier IN ('low', 'medium', 'high')),
    tier TEXT NOT NULL CHECK (tier IN ('low', 'medium', 'high')),
    override_reason TEXT,
    assessed_on TEXT NOT NULL,
    next_due TEXT NOT NULL,
    assessed_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    CHECK ((tier = computed_tier) OR (override_reason IS NOT NULL))
);
CREATE INDEX assessments_client ON assessments(client_id, assessed_on, created_at);

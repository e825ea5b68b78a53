-- The team's repeating on-call week (issue 12): one row per team, its slots as a JSON list
-- [{weekday, start, end, staff_id}] read and written whole (a lead edits the week at once);
-- `version` refuses a stale write. Applying it creates ordinary oncall_shifts rows.
CREATE TABLE oncall_patterns (
    team_id TEXT PRIMARY KEY NOT NULL REFERENCES teams(id),
    slots TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES staff(id),
    updated_at TIMESTAMP NOT NULL
);

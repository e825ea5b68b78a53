-- The ICM cap is per person, counted over every ICM team (issue 11): it is checked under a
-- row lock on the person's staff row from the clients table itself, so the per-team counter
-- no longer serves (the board counts its roster, as the browser does).
ALTER TABLE memberships DROP COLUMN caseload_count;

-- Absences: a staff member out from one team-local day to another (inclusive); their planned
-- visits in the range were moved to `covered_by` when it was recorded.
CREATE TABLE absences (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    covered_by TEXT REFERENCES staff(id),
    reason TEXT,
    created_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    CHECK (to_day >= from_day)
);
CREATE INDEX absences_team_days ON absences(team_id, to_day, from_day);
CREATE INDEX absences_team_staff ON absences(team_id, staff_id, from_day);

-- Episodes (issue 15): admissions, emergency visits, crisis beds, jail and homeless periods of a
-- client, with start and end days (team-local, inclusive) and whether the team was involved.
-- An open admission (no end) shows the client as away on the board. Outcomes before and after
-- enrolment are computed from these rows.
CREATE TABLE episodes (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    kind TEXT NOT NULL CHECK (kind IN ('psychiatric_admission', 'medical_admission', 'ed_visit', 'crisis_bed', 'jail', 'homeless')),
    start_on TEXT NOT NULL,
    end_on TEXT,
    team_involved BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    version INTEGER NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (end_on IS NULL OR end_on >= start_on)
);
CREATE INDEX episodes_client ON episodes(client_id, start_on);
CREATE INDEX episodes_team_open ON episodes(team_id, end_on);

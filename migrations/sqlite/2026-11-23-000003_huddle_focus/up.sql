-- The client the team's huddle is on now, per team: every screen of the team follows it
-- (the wall display included). A row with client_id NULL means the huddle has ended.
CREATE TABLE huddle_focus (
    team_id TEXT NOT NULL PRIMARY KEY REFERENCES teams(id),
    day TEXT NOT NULL,
    client_id TEXT REFERENCES clients(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    updated_at TIMESTAMP NOT NULL
);

-- Details the on-call phone's quick card needs (never on the board, never on a display).
ALTER TABLE clients ADD COLUMN phone TEXT;
ALTER TABLE clients ADD COLUMN address TEXT;
ALTER TABLE clients ADD COLUMN crisis_plan TEXT;
ALTER TABLE clients ADD COLUMN emergency_contact TEXT;

-- Recurring visits: the series is the recipe; its visits are materialized as contacts.
CREATE TABLE visit_series (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    -- the staff ids, comma-separated, sorted
    staff_ids TEXT NOT NULL,
    first_day TEXT NOT NULL,
    every_days INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 90),
    until_day TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('face_to_face', 'phone', 'video', 'collateral')),
    place TEXT NOT NULL CHECK (place IN ('community', 'home', 'office', 'hospital', 'other')),
    activity TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    ended_by TEXT REFERENCES staff(id)
);
CREATE INDEX visit_series_team ON visit_series(team_id, created_at);

-- 'attempted': tried, did not reach the person. And the series a planned visit came from.
ALTER TABLE contacts DROP CONSTRAINT contacts_status_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_status_check
    CHECK (status IN ('planned', 'completed', 'attempted', 'missed', 'cancelled'));
ALTER TABLE contacts ADD COLUMN series_id TEXT REFERENCES visit_series(id);
CREATE INDEX contacts_series ON contacts(series_id, day);

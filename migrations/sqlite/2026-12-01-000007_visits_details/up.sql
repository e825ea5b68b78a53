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

-- A new contact status, 'attempted' (tried, did not reach the person), and the series a
-- planned visit came from. SQLite cannot change a CHECK in place: the table is rebuilt
-- (contact_staff's rows are kept aside so foreign keys stay on throughout).
CREATE TABLE contacts_new (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    day TEXT NOT NULL,
    start_time TEXT,
    end_time TEXT,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('face_to_face', 'phone', 'video', 'collateral')),
    place TEXT NOT NULL CHECK (place IN ('community', 'home', 'office', 'hospital', 'other')),
    activity TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'completed', 'attempted', 'missed', 'cancelled')),
    minutes INTEGER CHECK (minutes BETWEEN 0 AND 1440),
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    series_id TEXT REFERENCES visit_series(id)
);
INSERT INTO contacts_new (id, team_id, client_id, day, start_time, end_time, occurred_at, kind,
        place, activity, status, minutes, note, version, created_by, created_at, updated_at)
    SELECT id, team_id, client_id, day, start_time, end_time, occurred_at, kind,
        place, activity, status, minutes, note, version, created_by, created_at, updated_at
    FROM contacts;
CREATE TEMP TABLE contact_staff_keep AS SELECT contact_id, staff_id, team_id FROM contact_staff;
DELETE FROM contact_staff;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
INSERT INTO contact_staff (contact_id, staff_id, team_id)
    SELECT contact_id, staff_id, team_id FROM temp.contact_staff_keep;
DROP TABLE temp.contact_staff_keep;
CREATE INDEX contacts_team_day ON contacts(team_id, day);
CREATE INDEX contacts_team_client ON contacts(team_id, client_id, status, occurred_at);
CREATE INDEX contacts_client ON contacts(client_id, status, occurred_at);
CREATE INDEX contacts_series ON contacts(series_id, day);

CREATE TABLE contacts_old (
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
    status TEXT NOT NULL CHECK (status IN ('planned', 'completed', 'missed', 'cancelled')),
    minutes INTEGER CHECK (minutes BETWEEN 0 AND 1440),
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO contacts_old (id, team_id, client_id, day, start_time, end_time, occurred_at, kind,
        place, activity, status, minutes, note, version, created_by, created_at, updated_at)
    SELECT id, team_id, client_id, day, start_time, end_time, occurred_at, kind,
        place, activity, CASE status WHEN 'attempted' THEN 'missed' ELSE status END,
        minutes, note, version, created_by, created_at, updated_at
    FROM contacts;
CREATE TEMP TABLE contact_staff_keep AS SELECT contact_id, staff_id, team_id FROM contact_staff;
DELETE FROM contact_staff;
DROP TABLE contacts;
ALTER TABLE contacts_old RENAME TO contacts;
INSERT INTO contact_staff (contact_id, staff_id, team_id)
    SELECT contact_id, staff_id, team_id FROM temp.contact_staff_keep;
DROP TABLE temp.contact_staff_keep;
CREATE INDEX contacts_team_day ON contacts(team_id, day);
CREATE INDEX contacts_team_client ON contacts(team_id, client_id, status, occurred_at);
CREATE INDEX contacts_client ON contacts(client_id, status, occurred_at);
DROP TABLE visit_series;
ALTER TABLE clients DROP COLUMN emergency_contact;
ALTER TABLE clients DROP COLUMN crisis_plan;
ALTER TABLE clients DROP COLUMN address;
ALTER TABLE clients DROP COLUMN phone;

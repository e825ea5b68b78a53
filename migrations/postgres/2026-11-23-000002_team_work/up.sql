-- The team's work: clients, ICM caseload counters, contacts, crisis flags, on-call shifts,
-- handoffs and huddle reviews. Team-local days are 'YYYY-MM-DD' text, times 'HH:MM' text.

-- ICM caseload counter: raised only by a conditional UPDATE (… WHERE caseload_count < cap)
-- inside the writing transaction; the CHECK is the database's last word on the limit of 15.
ALTER TABLE memberships ADD COLUMN caseload_count INTEGER NOT NULL DEFAULT 0
    CHECK (caseload_count >= 0 AND caseload_count <= 15);

CREATE TABLE clients (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    preferred_name TEXT,
    initials TEXT NOT NULL,
    external_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('referred', 'screening', 'active', 'transitioning', 'discharged')),
    risk_tier TEXT NOT NULL CHECK (risk_tier IN ('low', 'medium', 'high')),
    case_manager_id TEXT REFERENCES staff(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX clients_team_status ON clients(team_id, status);
CREATE INDEX clients_team_cm ON clients(team_id, case_manager_id);
CREATE UNIQUE INDEX clients_team_external ON clients(team_id, external_id);

CREATE TABLE contacts (
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
CREATE INDEX contacts_team_day ON contacts(team_id, day);
CREATE INDEX contacts_team_client ON contacts(team_id, client_id, status, occurred_at);

CREATE TABLE contact_staff (
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (contact_id, staff_id)
);
CREATE INDEX contact_staff_team_staff ON contact_staff(team_id, staff_id);

CREATE TABLE crisis_flags (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    severity TEXT NOT NULL CHECK (severity IN ('watch', 'urgent', 'emergency')),
    reason TEXT NOT NULL,
    raised_by TEXT NOT NULL REFERENCES staff(id),
    raised_at TIMESTAMP NOT NULL,
    acknowledged_by TEXT REFERENCES staff(id),
    acknowledged_at TIMESTAMP,
    resolved_by TEXT REFERENCES staff(id),
    resolved_at TIMESTAMP,
    outcome TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX crisis_flags_team_open ON crisis_flags(team_id, resolved_at);
CREATE INDEX crisis_flags_client ON crisis_flags(team_id, client_id);

CREATE TABLE oncall_shifts (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    starts_local TEXT NOT NULL,
    ends_local TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX oncall_shifts_team_time ON oncall_shifts(team_id, starts_at, ends_at);

CREATE TABLE handoffs (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    from_staff_id TEXT NOT NULL REFERENCES staff(id),
    to_staff_id TEXT NOT NULL REFERENCES staff(id),
    shift_id TEXT REFERENCES oncall_shifts(id),
    due_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    synthesis TEXT
);
CREATE INDEX handoffs_team ON handoffs(team_id, acknowledged_at, created_at);

CREATE TABLE handoff_items (
    handoff_id TEXT NOT NULL REFERENCES handoffs(id),
    position INTEGER NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    severity TEXT NOT NULL CHECK (severity IN ('stable', 'watcher', 'unstable')),
    summary TEXT NOT NULL,
    actions TEXT NOT NULL,
    contingency TEXT NOT NULL,
    PRIMARY KEY (handoff_id, position)
);
CREATE INDEX handoff_items_client ON handoff_items(team_id, client_id);

CREATE TABLE huddle_reviews (
    team_id TEXT NOT NULL REFERENCES teams(id),
    day TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients(id),
    reviewed_by TEXT NOT NULL REFERENCES staff(id),
    reviewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, day, client_id)
);

PRAGMA foreign_keys = OFF;
BEGIN;
UPDATE clients SET status = 'discharged' WHERE status = 'declined';
CREATE TABLE clients_old (
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
    updated_at TIMESTAMP NOT NULL,
    discharge_reason TEXT
        CHECK (discharge_reason IN ('goals_met', 'moved', 'transferred_out', 'declined_services',
                                    'incarcerated', 'long_term_hospital', 'died', 'lost_to_contact',
                                    'other')),
    discharged_on TEXT,
    discharged_at TIMESTAMP,
    phone TEXT,
    address TEXT,
    crisis_plan TEXT,
    emergency_contact TEXT
);
INSERT INTO clients_old (id, team_id, given_name, family_name, preferred_name, initials, external_id, status, risk_tier, case_manager_id, version, created_at, updated_at, discharge_reason, discharged_on, discharged_at, phone, address, crisis_plan, emergency_contact) SELECT id, team_id, given_name, family_name, preferred_name, initials, external_id, status, risk_tier, case_manager_id, version, created_at, updated_at, discharge_reason, discharged_on, discharged_at, phone, address, crisis_plan, emergency_contact FROM clients;
DROP TABLE clients;
ALTER TABLE clients_old RENAME TO clients;
CREATE INDEX clients_team_status ON clients(team_id, status);
CREATE INDEX clients_team_cm ON clients(team_id, case_manager_id);
CREATE UNIQUE INDEX clients_team_external ON clients(team_id, external_id);
COMMIT;
PRAGMA foreign_keys = ON;

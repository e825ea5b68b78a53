-- The care cycle (issue 14): a referral's source, day and reason; the status 'declined'
-- (screened and not taken on); enrolled_on, the team-local day the client first became active
-- (outcomes count before and after it). Existing clients who were ever active get the day
-- their record was created, the best the old schema knows.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE clients_new (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    preferred_name TEXT,
    initials TEXT NOT NULL,
    external_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('referred', 'screening', 'active', 'transitioning', 'discharged', 'declined')),
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
    emergency_contact TEXT,
    referral_source TEXT,
    referral_received_on TEXT,
    referral_reason TEXT,
    enrolled_on TEXT
);
INSERT INTO clients_new (id, team_id, given_name, family_name, preferred_name, initials, external_id, status, risk_tier, case_manager_id, version, created_at, updated_at, discharge_reason, discharged_on, discharged_at, phone, address, crisis_plan, emergency_contact, enrolled_on)
    SELECT id, team_id, given_name, family_name, preferred_name, initials, external_id, status, risk_tier, case_manager_id, version, created_at, updated_at, discharge_reason, discharged_on, discharged_at, phone, address, crisis_plan, emergency_contact,
           CASE WHEN status IN ('active', 'transitioning', 'discharged') THEN date(created_at) END
    FROM clients;
DROP TABLE clients;
ALTER TABLE clients_new RENAME TO clients;
CREATE INDEX clients_team_status ON clients(team_id, status);
CREATE INDEX clients_team_cm ON clients(team_id, case_manager_id);
CREATE UNIQUE INDEX clients_team_external ON clients(team_id, external_id);
COMMIT;
PRAGMA foreign_keys = ON;

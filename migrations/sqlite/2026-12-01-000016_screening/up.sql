-- Screening (issue 14): one row per screening of a referred client, the history kept. The
-- answers as recorded, the result the rule gave then (`result`: the reasons in words, as JSON,
-- so a later change of the team's qualifying diagnoses does not rewrite history), and the
-- lead's decision on it (accept or decline, the reason when against the recommendation).
CREATE TABLE screenings (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    diagnosis TEXT NOT NULL,
    illness_years INTEGER NOT NULL CHECK (illness_years BETWEEN 0 AND 100),
    impairments TEXT NOT NULL,
    psychiatric_admissions_12m INTEGER NOT NULL CHECK (psychiatric_admissions_12m >= 0),
    hospital_days_24m INTEGER NOT NULL CHECK (hospital_days_24m BETWEEN 0 AND 731),
    ed_visits_12m INTEGER NOT NULL CHECK (ed_visits_12m >= 0),
    homeless BOOLEAN NOT NULL,
    justice_involved BOOLEAN NOT NULL,
    co_occurring_sud BOOLEAN NOT NULL,
    not_engaging_office BOOLEAN NOT NULL,
    smi BOOLEAN NOT NULL,
    high_need BOOLEAN NOT NULL,
    recommendation TEXT NOT NULL CHECK (recommendation IN ('act', 'icm', 'standard', 'refer_elsewhere')),
    result TEXT NOT NULL,
    screened_on TEXT NOT NULL,
    screened_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    decision TEXT CHECK (decision IN ('accept', 'decline')),
    decision_reason TEXT,
    decided_by TEXT REFERENCES staff(id),
    decided_at TIMESTAMP
);
CREATE INDEX screenings_client ON screenings(client_id, created_at);
CREATE INDEX screenings_team ON screenings(team_id, screened_on);
-- A team may narrow the qualifying diagnoses (JSON array of diagnosis names); NULL is the
-- contract's default list.
ALTER TABLE teams ADD COLUMN qualifying_diagnoses TEXT;

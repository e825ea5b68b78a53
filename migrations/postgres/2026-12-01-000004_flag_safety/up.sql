-- Flag safety (issue 11): flag categories, several responders, escalation of unanswered
-- emergencies, and discharge reasons for measuring outcomes later.

-- Flags raised before categories existed read as 'other'.
ALTER TABLE crisis_flags ADD COLUMN category TEXT NOT NULL DEFAULT 'other'
    CHECK (category IN ('self_harm', 'harm_to_others', 'medical', 'medication', 'housing',
                        'missing', 'hospital', 'legal', 'other'));
-- Set once, by the conditional UPDATE (… WHERE escalated_at IS NULL) that claims the
-- escalation in the same transaction as its event: one `flag.escalated` per flag.
ALTER TABLE crisis_flags ADD COLUMN escalated_at TIMESTAMP;
-- The escalation scan: open, unanswered, not yet escalated emergencies.
CREATE INDEX crisis_flags_escalation ON crisis_flags(severity, resolved_at, escalated_at);

-- Everyone who said "I'm responding", in order; nobody is ever removed. The first one is
-- also crisis_flags.acknowledged_by/at (kept for older clients).
CREATE TABLE crisis_flag_responders (
    flag_id TEXT NOT NULL REFERENCES crisis_flags(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (flag_id, staff_id)
);
CREATE INDEX crisis_flag_responders_team ON crisis_flag_responders(team_id, flag_id);
INSERT INTO crisis_flag_responders (flag_id, staff_id, team_id, at)
    SELECT id, acknowledged_by, team_id, acknowledged_at FROM crisis_flags
    WHERE acknowledged_by IS NOT NULL AND acknowledged_at IS NOT NULL;

ALTER TABLE teams ADD COLUMN escalate_after_minutes INTEGER NOT NULL DEFAULT 10
    CHECK (escalate_after_minutes BETWEEN 1 AND 240);

-- Why and when a client was discharged (cleared when the client returns).
-- discharged_on: the team-local day the discharge took effect; discharged_at: when recorded.
ALTER TABLE clients ADD COLUMN discharge_reason TEXT
    CHECK (discharge_reason IN ('goals_met', 'moved', 'transferred_out', 'declined_services',
                                'incarcerated', 'long_term_hospital', 'died', 'lost_to_contact',
                                'other'));
ALTER TABLE clients ADD COLUMN discharged_on TEXT;
ALTER TABLE clients ADD COLUMN discharged_at TIMESTAMP;

-- A client's history across teams (after a transfer) and its last contact on the board.
CREATE INDEX contacts_client ON contacts(client_id, status, occurred_at);
CREATE INDEX crisis_flags_client_any_team ON crisis_flags(client_id);

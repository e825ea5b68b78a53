-- The care cycle (issue 14): a referral's source, day and reason; the status 'declined'
-- (screened and not taken on); enrolled_on, the team-local day the client first became active
-- (outcomes count before and after it). Existing clients who were ever active get the day
-- their record was created, the best the old schema knows.
ALTER TABLE clients DROP CONSTRAINT clients_status_check;
ALTER TABLE clients ADD CONSTRAINT clients_status_check
    CHECK (status IN ('referred', 'screening', 'active', 'transitioning', 'discharged', 'declined'));
ALTER TABLE clients ADD COLUMN referral_source TEXT;
ALTER TABLE clients ADD COLUMN referral_received_on TEXT;
ALTER TABLE clients ADD COLUMN referral_reason TEXT;
ALTER TABLE clients ADD COLUMN enrolled_on TEXT;
UPDATE clients SET enrolled_on = to_char(created_at, 'YYYY-MM-DD')
    WHERE status IN ('active', 'transitioning', 'discharged');

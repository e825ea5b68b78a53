UPDATE clients SET status = 'discharged' WHERE status = 'declined';
ALTER TABLE clients DROP COLUMN enrolled_on;
ALTER TABLE clients DROP COLUMN referral_reason;
ALTER TABLE clients DROP COLUMN referral_received_on;
ALTER TABLE clients DROP COLUMN referral_source;
ALTER TABLE clients DROP CONSTRAINT clients_status_check;
ALTER TABLE clients ADD CONSTRAINT clients_status_check
    CHECK (status IN ('referred', 'screening', 'active', 'transitioning', 'discharged'));

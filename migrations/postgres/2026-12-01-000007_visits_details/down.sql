DROP INDEX contacts_series;
ALTER TABLE contacts DROP COLUMN series_id;
UPDATE contacts SET status = 'missed' WHERE status = 'attempted';
ALTER TABLE contacts DROP CONSTRAINT contacts_status_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_status_check
    CHECK (status IN ('planned', 'completed', 'missed', 'cancelled'));
DROP TABLE visit_series;
ALTER TABLE clients DROP COLUMN emergency_contact;
ALTER TABLE clients DROP COLUMN crisis_plan;
ALTER TABLE clients DROP COLUMN address;
ALTER TABLE clients DROP COLUMN phone;

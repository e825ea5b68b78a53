ALTER TABLE teams DROP COLUMN qualifying_diagnoses;
DROP TABLE screenings;

DROP TABLE absences;
ALTER TABLE memberships ADD COLUMN caseload_count INTEGER NOT NULL DEFAULT 0
    CHECK (caseload_count >= 0 AND caseload_count <= 15);
UPDATE memberships SET caseload_count = (
    SELECT COUNT(*) FROM clients c JOIN teams t ON t.id = c.team_id
    WHERE c.team_id = memberships.team_id AND c.case_manager_id = memberships.staff_id
      AND c.status IN ('active', 'transitioning') AND t.mode = 'icm');

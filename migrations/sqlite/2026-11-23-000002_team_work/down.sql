DROP TABLE huddle_reviews;
DROP TABLE handoff_items;
DROP TABLE handoffs;
DROP TABLE oncall_shifts;
DROP TABLE crisis_flags;
DROP TABLE contact_staff;
DROP TABLE contacts;
DROP TABLE clients;
ALTER TABLE memberships DROP COLUMN caseload_count;

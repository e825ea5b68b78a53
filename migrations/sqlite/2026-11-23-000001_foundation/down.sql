DROP TABLE login_failures;
DROP TABLE access_log;
DROP TABLE events;
DROP TABLE display_tokens;
DROP TABLE refresh_tokens;
DROP TABLE memberships;
DROP TABLE staff;
DROP TABLE teams;

DROP INDEX login_failures_pair;
DROP TABLE sessions;

CREATE TABLE access_log (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT,
    team_id TEXT,
    client_id TEXT,
    action TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX access_log_client ON access_log(client_id, at);
INSERT INTO access_log (id, staff_id, team_id, client_id, action, at)
SELECT id, staff_id, team_id, client_id,
       CASE detail WHEN 'record' THEN 'client.read'
                   WHEN 'card' THEN 'client.card'
                   WHEN 'history' THEN 'client.history'
                   ELSE detail END,
       at
FROM audit_log WHERE action = 'view' AND client_id IS NOT NULL;
DROP TABLE audit_chain;
DROP TABLE audit_log;

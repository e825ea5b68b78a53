-- The audit trail (issue 13): one append-only, hash-chained table replaces access_log.
-- Writers insert entries unchained (seq and hash NULL: one cheap insert, no shared lock);
-- the chainer (store::audit::chain) links them in batches under the chain head's lock,
-- giving each the next seq and hash = SHA-256(prev hash || canonical encoding).
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    seq BIGINT UNIQUE,
    at TIMESTAMP NOT NULL,
    staff_id TEXT,
    action TEXT NOT NULL,
    team_id TEXT,
    client_id TEXT,
    detail TEXT NOT NULL,
    hash TEXT
);
CREATE INDEX audit_log_at ON audit_log(at, id);
CREATE INDEX audit_log_client ON audit_log(client_id, at);
CREATE INDEX audit_log_staff ON audit_log(staff_id, at);
CREATE INDEX audit_log_unchained ON audit_log(at, id) WHERE seq IS NULL;

-- One row: the last chained entry's seq and hash (the genesis hash is 64 zeros).
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The access log's rows become view entries (chained by the first chainer run).
INSERT INTO audit_log (id, seq, at, staff_id, action, team_id, client_id, detail, hash)
SELECT id, NULL, at, staff_id, 'view', team_id, client_id,
       CASE action WHEN 'client.read' THEN 'record'
                   WHEN 'client.card' THEN 'card'
                   WHEN 'client.history' THEN 'history'
                   ELSE action END,
       NULL
FROM access_log;
DROP TABLE access_log;

-- Foundation: teams, staff, memberships, tokens, the event log and the access log.
-- Ids are UUID text; times are UTC (TIMESTAMP text in SQLite).
CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('act', 'icm')),
    timezone TEXT NOT NULL,
    caseload_cap INTEGER NOT NULL DEFAULT 15 CHECK (caseload_cap BETWEEN 1 AND 15),
    privacy TEXT NOT NULL DEFAULT 'names' CHECK (privacy IN ('names', 'initials')),
    last_seq BIGINT NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    discipline TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    team_id TEXT NOT NULL REFERENCES teams(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'member', 'viewer')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, staff_id)
);
CREATE INDEX memberships_staff ON memberships(staff_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE display_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    label TEXT NOT NULL,
    privacy TEXT NOT NULL CHECK (privacy IN ('names', 'initials')),
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX display_tokens_team ON display_tokens(team_id);

CREATE TABLE events (
    team_id TEXT NOT NULL REFERENCES teams(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor TEXT,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, seq)
);

CREATE TABLE access_log (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT,
    team_id TEXT,
    client_id TEXT,
    action TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX access_log_client ON access_log(client_id, at);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE INDEX login_failures_address ON login_failures(address, at);

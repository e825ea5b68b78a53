-- A session is one sign-in: its refresh tokens form one family (refresh_tokens.family_id is
-- the session id) and its access tokens carry the id in their `sid` claim, so ending a
-- session (sign-out, a reused refresh token, a password change, deactivation) ends its
-- access tokens on the next request, not when they expire.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    -- signed_out | token_reused | password_changed | password_reset | deactivated
    end_reason TEXT
);
CREATE INDEX sessions_staff ON sessions(staff_id);

-- The sign-ins open at the upgrade keep working: one session per live refresh family.
INSERT INTO sessions (id, staff_id, created_at)
    SELECT family_id, MIN(staff_id), MIN(created_at) FROM refresh_tokens
    WHERE revoked_at IS NULL GROUP BY family_id;

-- Failed sign-ins are counted per username and address together.
CREATE INDEX login_failures_pair ON login_failures(username, address, at);

-- An administrator's reset (or a new account's first password) is temporary: the person must
-- choose their own at the next sign-in before anything else (issue 13). Until then their
-- access tokens reach only GET /api/me and POST /api/me/password (and sign-out).
ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

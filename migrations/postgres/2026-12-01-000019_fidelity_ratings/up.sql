-- A reviewer's rating (1-5) of a DACTS item that the data cannot compute (issue 15), for the
-- review period ending `period_to`; it is the item's score for that period and later ones
-- (until a newer rating, for at most a year).
CREATE TABLE fidelity_ratings (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    item TEXT NOT NULL,
    period_to TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    note TEXT NOT NULL,
    rated_by TEXT NOT NULL REFERENCES staff(id),
    rated_at TIMESTAMP NOT NULL,
    UNIQUE (team_id, item, period_to)
);

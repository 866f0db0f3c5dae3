-- 0002-audit.sql: the tamper-evident audit: every event row holds the hash of its content
-- chained to the hash of the row before it, and administrators' actions are events too.
-- Forward only: never edit this file once released.
--
-- An administrator's event has no dossier, a NULL actor when it was done on the server host
-- (motcuad admin), an admin action and a subject (the login, catalog version or file it is
-- about). SQLite cannot change constraints in place, so the table is rebuilt: created anew,
-- filled from the old one in id order with the hash chain computed by motcua_event_hash (a
-- function the store registers on each of its connections), then renamed into place.

CREATE TABLE events_chained (
	id		INTEGER PRIMARY KEY,
	dossier		INTEGER REFERENCES dossiers(id),
	at		INTEGER NOT NULL,
	actor		INTEGER REFERENCES users(id),
	action		TEXT NOT NULL CHECK (action IN ('receive', 'refuse_intake', 'handover',
			    'assign', 'request_supplement', 'receive_supplement',
			    'pause_financial', 'resume_financial', 'resolve', 'return',
			    'withdraw', 'stop', 'refuse', 'apologize',
			    'init', 'user_add', 'user_update', 'user_disable', 'user_enable',
			    'user_passwd', 'user_key_add', 'user_key_remove', 'catalog_reload',
			    'backup')),
	from_state	INTEGER CHECK (from_state BETWEEN 1 AND 10),
	to_state	INTEGER CHECK (to_state BETWEEN 1 AND 10),
	step		INTEGER CHECK (step >= 0),
	department	TEXT,
	officer		INTEGER REFERENCES users(id),
	step_due_at	INTEGER,
	note		TEXT,
	subject		TEXT,
	-- Lower-case hex SHA-256 of the previous row's hash and this row's content (audit.h).
	hash		TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
	CHECK ((dossier IS NOT NULL AND actor IS NOT NULL AND to_state IS NOT NULL AND
	    step IS NOT NULL AND department IS NOT NULL AND subject IS NULL AND
	    action IN ('receive', 'refuse_intake', 'handover', 'assign', 'request_supplement',
	    'receive_supplement', 'pause_financial', 'resume_financial', 'resolve', 'return',
	    'withdraw', 'stop', 'refuse', 'apologize')) OR
	    (dossier IS NULL AND from_state IS NULL AND to_state IS NULL AND step IS NULL AND
	    department IS NULL AND officer IS NULL AND step_due_at IS NULL AND
	    action IN ('init', 'user_add', 'user_update', 'user_disable', 'user_enable',
	    'user_passwd', 'user_key_add', 'user_key_remove', 'catalog_reload', 'backup')))
);

-- The chain of the existing rows, in id order: each step finds the next id through the
-- primary key and hashes it with the hash of the step before.
INSERT INTO events_chained(id, dossier, at, actor, action, from_state, to_state, step,
    department, officer, step_due_at, note, subject, hash)
WITH RECURSIVE chain(id, hash) AS (
	SELECT 0, '0000000000000000000000000000000000000000000000000000000000000000'
	UNION ALL
	SELECT e.id, motcua_event_hash(chain.hash, e.id, e.at, e.dossier, e.actor, e.action,
	    NULL, e.from_state, e.to_state, e.step, e.department, e.officer, e.step_due_at,
	    e.note)
	FROM chain JOIN events e ON e.id = (SELECT min(n.id) FROM events n WHERE n.id > chain.id)
)
SELECT e.id, e.dossier, e.at, e.actor, e.action, e.from_state, e.to_state, e.step,
    e.department, e.officer, e.step_due_at, e.note, NULL, chain.hash
FROM chain JOIN events e ON e.id = chain.id
ORDER BY e.id;

DROP TABLE events;
ALTER TABLE events_chained RENAME TO events;

CREATE INDEX events_dossier ON events(dossier, id);
CREATE INDEX events_at ON events(at);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;

-- 0001-initial.sql: the first schema of the motcua store: users, procedure versions,
-- dossiers with their documents, events and pauses, drafts, guidances and dossier codes.
-- Instants are Unix seconds (UTC). Forward only: never edit this file once released.

CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	login		TEXT NOT NULL UNIQUE
			CHECK (length(login) BETWEEN 1 AND 64 AND login NOT GLOB '*[^a-z0-9._-]*'),
	full_name	TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
	role		TEXT NOT NULL
			CHECK (role IN ('one_stop', 'officer', 'leader', 'monitor', 'admin')),
	unit		TEXT,
	department	TEXT,
	password_hash	TEXT,
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at	INTEGER NOT NULL,
	CHECK ((role IN ('monitor', 'admin') AND unit IS NULL AND department IS NULL) OR
	    (role IN ('one_stop', 'officer', 'leader') AND unit IS NOT NULL AND
	    department IS NOT NULL))
);
CREATE INDEX users_unit_department ON users(unit, department);

CREATE TABLE user_keys (
	id		INTEGER PRIMARY KEY,
	user		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	type		TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
	blob		TEXT NOT NULL CHECK (length(blob) BETWEEN 1 AND 16384),
	comment		TEXT NOT NULL DEFAULT '',
	UNIQUE (user, type, blob)
);
CREATE INDEX user_keys_blob ON user_keys(type, blob);

CREATE TABLE procedure_versions (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL CHECK (length(code) >= 1),
	version		TEXT NOT NULL
			CHECK (length(version) = 16 AND version NOT GLOB '*[^0-9a-f]*'),
	name		TEXT NOT NULL,
	field		TEXT NOT NULL,
	canonical	TEXT NOT NULL,
	first_seen	INTEGER NOT NULL,
	UNIQUE (code, version)
);

CREATE TABLE procedure_steps (
	procedure_version INTEGER NOT NULL REFERENCES procedure_versions(id),
	variant		INTEGER NOT NULL CHECK (variant >= 0),
	step		INTEGER NOT NULL CHECK (step >= 0),
	dept		TEXT NOT NULL,
	name		TEXT NOT NULL,
	centidays	INTEGER NOT NULL CHECK (centidays >= 0),
	pause_citizen	INTEGER NOT NULL DEFAULT 0 CHECK (pause_citizen IN (0, 1)),
	PRIMARY KEY (procedure_version, variant, step)
) WITHOUT ROWID;

CREATE TABLE dossiers (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE,
	procedure_version INTEGER NOT NULL REFERENCES procedure_versions(id),
	procedure_code	TEXT NOT NULL,
	variant		INTEGER NOT NULL CHECK (variant >= 0),
	unit		TEXT NOT NULL,
	field		TEXT NOT NULL,
	applicant_name	TEXT NOT NULL CHECK (length(applicant_name) >= 1),
	-- The name folded for accent-insensitive search (text_fold: lower case, diacritics
	-- removed, đ as d, words joined by one space), written with each dossier so that a
	-- search by name reads a stored column instead of folding every row. A search matches
	-- the start of any word in it (LIKE '% word%'), which no index can serve; the unit's
	-- indexes narrow the rows scanned.
	applicant_folded TEXT NOT NULL DEFAULT '',
	applicant_id	TEXT NOT NULL
			CHECK (length(applicant_id) IN (9, 12) AND
			    applicant_id NOT GLOB '*[^0-9]*'),
	applicant_phone	TEXT NOT NULL DEFAULT ''
			CHECK (applicant_phone = '' OR (length(applicant_phone) = 10 AND
			    applicant_phone GLOB '0*' AND applicant_phone NOT GLOB '*[^0-9]*')),
	applicant_address TEXT NOT NULL DEFAULT '',
	applicant_commune TEXT NOT NULL DEFAULT '',
	owner_name	TEXT,
	owner_id	TEXT
			CHECK (owner_id IS NULL OR (length(owner_id) IN (9, 12) AND
			    owner_id NOT GLOB '*[^0-9]*')),
	owner_address	TEXT,
	request		TEXT NOT NULL DEFAULT '',
	channel		TEXT NOT NULL CHECK (channel IN ('counter', 'post', 'online')),
	state		INTEGER NOT NULL CHECK (state BETWEEN 1 AND 10),
	step		INTEGER NOT NULL CHECK (step >= 0),
	department	TEXT NOT NULL,
	officer		INTEGER REFERENCES users(id),
	received_by	INTEGER NOT NULL REFERENCES users(id),
	received_at	INTEGER NOT NULL,
	due_at		INTEGER,
	step_due_at	INTEGER,
	paused_at	INTEGER CHECK (paused_at IS NULL OR state IN (5, 6)),
	resolved_at	INTEGER,
	returned_at	INTEGER,
	closed_at	INTEGER,
	apology_at	INTEGER,
	appointment_at	INTEGER,
	idempotency_key	TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 128),
	sets		INTEGER NOT NULL DEFAULT 1 CHECK (sets BETWEEN 1 AND 99),
	CHECK ((apology_at IS NULL) = (appointment_at IS NULL)),
	CHECK (owner_name IS NOT NULL OR (owner_id IS NULL AND owner_address IS NULL))
);
-- Counts by state for one unit (covering).
CREATE INDEX dossiers_unit_state ON dossiers(unit, state);
-- Overdue and due soon: open dossiers of a unit by their appointment.
CREATE INDEX dossiers_open_due ON dossiers(unit, due_at) WHERE state IN (2, 4);
-- Step late: open dossiers of a unit by their step deadline.
CREATE INDEX dossiers_open_step_due ON dossiers(unit, step_due_at) WHERE state IN (2, 4);
-- Queues: a department's dossiers, and an officer's.
CREATE INDEX dossiers_queue ON dossiers(unit, department, state);
CREATE INDEX dossiers_officer ON dossiers(officer, state) WHERE officer IS NOT NULL;
-- Reports by period.
CREATE INDEX dossiers_unit_received ON dossiers(unit, received_at);
CREATE INDEX dossiers_procedure_version ON dossiers(procedure_version);

CREATE TABLE dossier_documents (
	dossier		INTEGER NOT NULL REFERENCES dossiers(id),
	position	INTEGER NOT NULL CHECK (position >= 0),
	name		TEXT NOT NULL,
	originals	INTEGER NOT NULL CHECK (originals BETWEEN 0 AND 99),
	copies		INTEGER NOT NULL CHECK (copies BETWEEN 0 AND 99),
	PRIMARY KEY (dossier, position)
) WITHOUT ROWID;

CREATE TABLE events (
	id		INTEGER PRIMARY KEY,
	dossier		INTEGER NOT NULL REFERENCES dossiers(id),
	at		INTEGER NOT NULL,
	actor		INTEGER NOT NULL REFERENCES users(id),
	action		TEXT NOT NULL CHECK (action IN ('receive', 'refuse_intake', 'handover',
			    'assign', 'request_supplement', 'receive_supplement',
			    'pause_financial', 'resume_financial', 'resolve', 'return',
			    'withdraw', 'stop', 'refuse', 'apologize')),
	from_state	INTEGER CHECK (from_state BETWEEN 1 AND 10),
	to_state	INTEGER NOT NULL CHECK (to_state BETWEEN 1 AND 10),
	step		INTEGER NOT NULL CHECK (step >= 0),
	department	TEXT NOT NULL,
	officer		INTEGER REFERENCES users(id),
	step_due_at	INTEGER,
	note		TEXT
);
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

CREATE TABLE pauses (
	id		INTEGER PRIMARY KEY,
	dossier		INTEGER NOT NULL REFERENCES dossiers(id),
	kind		TEXT NOT NULL CHECK (kind IN ('supplement', 'financial')),
	started_at	INTEGER NOT NULL,
	started_by	INTEGER NOT NULL REFERENCES users(id),
	ended_at	INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at),
	ended_by	INTEGER REFERENCES users(id),
	note		TEXT,
	seconds		INTEGER CHECK (seconds IS NULL OR seconds >= 0),
	CHECK ((ended_at IS NULL) = (ended_by IS NULL) AND (ended_at IS NULL) = (seconds IS NULL))
);
CREATE INDEX pauses_dossier ON pauses(dossier, started_at);
-- At most one open pause per dossier.
CREATE UNIQUE INDEX pauses_open ON pauses(dossier) WHERE ended_at IS NULL;

CREATE TABLE drafts (
	user		INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	idempotency_key	TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 128),
	content		TEXT NOT NULL,
	updated_at	INTEGER NOT NULL
);

CREATE TABLE guidances (
	id		INTEGER PRIMARY KEY,
	unit		TEXT NOT NULL,
	procedure_code	TEXT NOT NULL,
	applicant_name	TEXT NOT NULL CHECK (length(applicant_name) >= 1),
	missing		TEXT NOT NULL CHECK (length(missing) >= 1),
	at		INTEGER NOT NULL,
	by_user		INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX guidances_unit_at ON guidances(unit, at);

CREATE TABLE code_sequences (
	unit		TEXT NOT NULL,
	day		TEXT NOT NULL CHECK (length(day) = 6 AND day NOT GLOB '*[^0-9]*'),
	last		INTEGER NOT NULL CHECK (last BETWEEN 1 AND 9999),
	PRIMARY KEY (unit, day)
) WITHOUT ROWID;

/*
 * audit.h: the tamper-evident audit: the hash chain of the events table and its verification.
 *
 * Every event row (a dossier's step, or an administrator's action) holds
 *
 *	hash = lower-case hex of SHA-256(prev "\n" "motcua-event-1" field*13)
 *
 * where prev is the hash of the row with the next lower id (64 '0' for the first row), and
 * each of the 13 fields, in the order of enum audit_field, is encoded as "\n" followed by
 *
 *	N			NULL
 *	i<decimal>		an integer ("-" sign if negative, no leading zeros)
 *	r<%.17g>		a real (never written by motcua)
 *	t<bytes>:<text>		a text: its length in bytes in decimal, ':' and its bytes
 *	b<bytes>:<blob>		a blob (never written by motcua)
 *
 * by the type SQLite stored, so that no two different rows encode alike. Changing, inserting,
 * reordering or deleting a row breaks the chain at that row or the one after it; deleting the
 * newest rows can only be seen by comparing the last hash with one recorded elsewhere.
 */
#ifndef MOTCUA_AUDIT_H
#define MOTCUA_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define AUDIT_HASH_LEN	64	/* hex digits of a hash, without the NUL */
#define AUDIT_MAGIC	"motcua-event-1"

/* The fields of an event in the order they are hashed. */
enum audit_field {
	AUDIT_ID,
	AUDIT_AT,
	AUDIT_DOSSIER,
	AUDIT_ACTOR,
	AUDIT_ACTION,
	AUDIT_SUBJECT,
	AUDIT_FROM_STATE,
	AUDIT_TO_STATE,
	AUDIT_STEP,
	AUDIT_DEPARTMENT,
	AUDIT_OFFICER,
	AUDIT_STEP_DUE_AT,
	AUDIT_NOTE,
	AUDIT_NFIELDS
};

enum audit_type {
	AUDIT_NULL,
	AUDIT_INTEGER,
	AUDIT_REAL,
	AUDIT_TEXT,
	AUDIT_BLOB
};

/* One field's value as stored; s and len for a text or blob (s need not end in NUL). */
struct audit_value {
	enum audit_type	 type;
	int64_t		 i;
	double		 r;
	const void	*s;
	size_t		 len;
};

/* The previous hash of the first row. */
extern const char	audit_genesis[AUDIT_HASH_LEN + 1];

/* Compute the hash of a row from the previous row's hash (64 hex digits) and its fields. */
void	audit_hash(const char *prev, const struct audit_value fields[AUDIT_NFIELDS],
	    char out[AUDIT_HASH_LEN + 1]);

/* Helpers to fill a field. */
void	audit_set_null(struct audit_value *);
void	audit_set_int(struct audit_value *, int64_t);
/* A text, or NULL for a NULL pointer. */
void	audit_set_text(struct audit_value *, const char *);

/* What audit_verify found. */
struct audit_report {
	int64_t	 events;			/* rows checked (all of them if intact) */
	char	 last_hash[AUDIT_HASH_LEN + 1];	/* the newest row's hash ("" if none) */
	bool	 intact;
	int64_t	 broken_id;			/* the first broken row, if not intact */
	char	*problem;			/* what is wrong and where (caller frees) */
};

/*
 * Walk the whole chain in id order, recompute every hash and stop at the first row that does
 * not follow: a changed row, a malformed hash, a gap in the ids (deleted rows). utc_offset
 * (seconds east of UTC) is used to print times. Returns 0 with the report filled (intact or
 * not), or -1 with *cause set if the database could not be read.
 */
int	audit_verify(struct store *, int utc_offset, struct audit_report *, char **cause);
/* Free what a report holds (not the report itself). */
void	audit_report_clear(struct audit_report *);

#endif

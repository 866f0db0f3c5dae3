/* audit.c: the hash chain of the events table: how a row is hashed and how the chain is checked. */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "sha256.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

const char	audit_genesis[AUDIT_HASH_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Write an integer in decimal at the end of buf; returns where it starts. */
static char *
audit_decimal(char *end, int64_t v)
{
	uint64_t	u;
	bool		neg = v < 0;

	u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (neg)
		*--end = '-';
	return end;
}

/* Feed one field's encoding ("\n" and its typed form) to the digest. */
static void
audit_feed(struct sha256 *ctx, const struct audit_value *f)
{
	char	buf[64], *p, *end = buf + sizeof buf;

	switch (f->type) {
	case AUDIT_INTEGER:
		p = audit_decimal(end, f->i);
		*--p = 'i';
		*--p = '\n';
		sha256_update(ctx, p, (size_t)(end - p));
		break;
	case AUDIT_REAL:
		snprintf(buf, sizeof buf, "\nr%.17g", f->r);
		sha256_update(ctx, buf, strlen(buf));
		break;
	case AUDIT_TEXT:
	case AUDIT_BLOB:
		*--end = ':';
		p = audit_decimal(end, (int64_t)f->len);
		*--p = f->type == AUDIT_TEXT ? 't' : 'b';
		*--p = '\n';
		sha256_update(ctx, p, (size_t)(end + 1 - p));
		if (f->len > 0)
			sha256_update(ctx, f->s, f->len);
		break;
	default:
		sha256_update(ctx, "\nN", 2);
		break;
	}
}

/* Compute the hash of a row from the previous row's hash and its fields. */
void
audit_hash(const char *prev, const struct audit_value fields[AUDIT_NFIELDS],
    char out[AUDIT_HASH_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	struct sha256		 ctx;
	unsigned char		 md[SHA256_DIGEST_LEN];
	size_t			 i;

	sha256_init(&ctx);
	sha256_update(&ctx, prev, strlen(prev));
	sha256_update(&ctx, "\n" AUDIT_MAGIC, sizeof AUDIT_MAGIC);
	for (i = 0; i < AUDIT_NFIELDS; i++)
		audit_feed(&ctx, &fields[i]);
	sha256_final(&ctx, md);
	for (i = 0; i < SHA256_DIGEST_LEN; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[AUDIT_HASH_LEN] = '\0';
}

/* Set a field to NULL. */
void
audit_set_null(struct audit_value *f)
{
	memset(f, 0, sizeof *f);
	f->type = AUDIT_NULL;
}

/* Set a field to an integer. */
void
audit_set_int(struct audit_value *f, int64_t v)
{
	memset(f, 0, sizeof *f);
	f->type = AUDIT_INTEGER;
	f->i = v;
}

/* Set a field to a text, or NULL for a NULL pointer. */
void
audit_set_text(struct audit_value *f, const char *s)
{
	memset(f, 0, sizeof *f);
	if (s == NULL) {
		f->type = AUDIT_NULL;
		return;
	}
	f->type = AUDIT_TEXT;
	f->s = s;
	f->len = strlen(s);
}

/* The state of a walk. */
struct audit_walk {
	struct audit_report	*report;
	int			 utc_offset;
	int64_t			 last_id;
	char			 prev[AUDIT_HASH_LEN + 1];
};

/* A field as text for a message (caller frees): sanitised, cut at 80 bytes. */
static char *
audit_show(const struct audit_value *f)
{
	char	*raw, *s;
	size_t	 len;

	switch (f->type) {
	case AUDIT_INTEGER:
		return xasprintf("%" PRId64, f->i);
	case AUDIT_REAL:
		return xasprintf("%g", f->r);
	case AUDIT_TEXT:
		len = f->len > 80 ? 80 : f->len;
		raw = xstrndup(f->s, len);
		s = text_sanitise(raw);
		free(raw);
		return s;
	case AUDIT_BLOB:
		return xasprintf("(%zu bytes)", f->len);
	default:
		return xstrdup("NULL");
	}
}

/* Where a row is, for a message: "event 42 (dossier X, handover, 2015-08-26 09:12:05 +07:00)". */
static char *
audit_where(const struct audit_walk *w, const struct store_audit_row *row)
{
	const struct audit_value	*f = row->fields;
	struct tm			 tm;
	time_t				 t;
	char				 when[64], *what, *action, *subject, *code, *s;
	int				 off = w->utc_offset;

	if (f[AUDIT_AT].type == AUDIT_INTEGER) {
		t = (time_t)(f[AUDIT_AT].i + off);
		if (gmtime_r(&t, &tm) == NULL)
			snprintf(when, sizeof when, "at %" PRId64, f[AUDIT_AT].i);
		else {
			snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d:%02d %c%02d:%02d",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec, off < 0 ? '-' : '+', abs(off) / 3600, abs(off) % 3600 / 60);
		}
	} else {
		s = audit_show(&f[AUDIT_AT]);
		snprintf(when, sizeof when, "at %s", s);
		free(s);
	}
	action = audit_show(&f[AUDIT_ACTION]);
	if (f[AUDIT_DOSSIER].type == AUDIT_NULL) {
		if (f[AUDIT_SUBJECT].type == AUDIT_NULL)
			what = xasprintf("administrator action %s", action);
		else {
			subject = audit_show(&f[AUDIT_SUBJECT]);
			what = xasprintf("administrator action %s %s", action, subject);
			free(subject);
		}
	} else {
		if (row->dossier_code != NULL)
			code = text_sanitise(row->dossier_code);
		else {
			s = audit_show(&f[AUDIT_DOSSIER]);
			code = xasprintf("#%s", s);
			free(s);
		}
		what = xasprintf("dossier %s, %s", code, action);
		free(code);
	}
	s = audit_show(&f[AUDIT_ID]);
	free(action);
	action = xasprintf("event %s (%s, %s)", s, what, when);
	free(s);
	free(what);
	return action;
}

/* Record the first broken row and stop the walk. */
static int
audit_broken(struct audit_walk *w, const struct store_audit_row *row, const char *why)
{
	char	*where;

	where = audit_where(w, row);
	w->report->intact = false;
	w->report->broken_id = row->fields[AUDIT_ID].type == AUDIT_INTEGER ?
	    row->fields[AUDIT_ID].i : 0;
	w->report->problem = xasprintf("%s: %s", where, why);
	free(where);
	return 1;
}

/* Return true if s is a well-formed hash: 64 lower-case hex digits. */
static bool
audit_well_formed(const char *s, size_t len)
{
	size_t	i;

	if (s == NULL || len != AUDIT_HASH_LEN)
		return false;
	for (i = 0; i < len; i++) {
		if ((s[i] < '0' || s[i] > '9') && (s[i] < 'a' || s[i] > 'f'))
			return false;
	}
	return true;
}

/* Check one row against the chain so far. */
static int
audit_row(const struct store_audit_row *row, void *arg)
{
	struct audit_walk	*w = arg;
	char			 hash[AUDIT_HASH_LEN + 1], *why;
	int64_t			 id;
	int			 stop;

	id = row->fields[AUDIT_ID].i;
	if (id != w->last_id + 1) {
		if (id == w->last_id + 2)
			why = xasprintf("event %" PRId64 " before it is missing (deleted)",
			    w->last_id + 1);
		else
			why = xasprintf("events %" PRId64 " to %" PRId64 " before it are missing "
			    "(deleted)", w->last_id + 1, id - 1);
		stop = audit_broken(w, row, why);
		free(why);
		return stop;
	}
	if (!audit_well_formed(row->hash, row->hash_len))
		return audit_broken(w, row, "its hash is missing or malformed");
	audit_hash(w->prev, row->fields, hash);
	if (memcmp(hash, row->hash, AUDIT_HASH_LEN) != 0) {
		return audit_broken(w, row, "its content does not match its hash: the row was "
		    "changed after it was written, or the rows before it were rewritten");
	}
	memcpy(w->prev, hash, sizeof w->prev);
	w->last_id = id;
	w->report->events++;
	return 0;
}

/* Walk the whole chain and report the first row that does not follow. */
int
audit_verify(struct store *st, int utc_offset, struct audit_report *report, char **cause)
{
	struct audit_walk	w;

	memset(report, 0, sizeof *report);
	report->intact = true;
	memset(&w, 0, sizeof w);
	w.report = report;
	w.utc_offset = utc_offset;
	memcpy(w.prev, audit_genesis, sizeof w.prev);
	if (store_audit_walk(st, audit_row, &w, cause) != 0) {
		audit_report_clear(report);
		return -1;
	}
	if (w.last_id > 0)
		memcpy(report->last_hash, w.prev, sizeof report->last_hash);
	return 0;
}

/* Free what a report holds. */
void
audit_report_clear(struct audit_report *report)
{
	if (report == NULL)
		return;
	free(report->problem);
	report->problem = NULL;
}

/*
 * fuzz-form.c: the libFuzzer target of the intake form's checks: the ID and phone number
 * validators, and a whole intake (dossier_receive / dossier_refuse_intake) against a real
 * store and the test catalog, compared with the rules dossier.h states for each field.
 *
 * The input is six header bytes, then the fields separated by NUL bytes, in this order:
 * applicant name, ID, phone, address, commune, owner name, owner ID, owner address, request,
 * note, idempotency key (a counter is put in front, so that every intake is new).
 * Header: [0] bit 0 refuse, bits 1-2 channel, bit 3 give document counts, bit 4 one count too
 * many; [1] sets (signed); [2] variant + 1; [3] procedure; [4] [5] document counts (signed).
 * With FUZZ_VERBOSE set in the environment, the outcome of each intake is printed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "dossier.h"
#include "fuzz.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define FUZZ_FORM_NFIELDS	11
#define FUZZ_FORM_NOW		1425258000	/* 2015-03-02 08:00 at +07:00 */
#define FUZZ_FORM_PER_DAY	5000		/* intakes a day (codes run to 9999) */
#define FUZZ_FORM_PER_STORE	20000		/* intakes before the store starts afresh */

/* The limits of dossier.c (bytes after cleaning). */
#define FUZZ_FORM_MAX_NAME	200
#define FUZZ_FORM_MAX_ADDRESS	500
#define FUZZ_FORM_MAX_REQUEST	1000
#define FUZZ_FORM_MAX_NOTE	4000
#define FUZZ_FORM_MAX_KEY	128
#define FUZZ_FORM_MAX_COUNT	99

enum {
	F_NAME, F_ID, F_PHONE, F_ADDRESS, F_COMMUNE, F_OWNER, F_OWNER_ID, F_OWNER_ADDRESS,
	F_REQUEST, F_NOTE, F_KEY
};

static const char *fuzz_form_procedures[] = { "1.004227", "2.000815", "9.999999", "" };

static struct catalog	*fuzz_form_catalog;
static struct store	*fuzz_form_store;
static char		*fuzz_form_dir;
static char		*fuzz_form_db;
static struct actor	 fuzz_form_actor;
static unsigned long	 fuzz_form_count;	/* intakes tried */
static unsigned long	 fuzz_form_stored;	/* intakes stored in this store */

/* Remove the store's files. */
static void
fuzz_form_unlink(void)
{
	static const char	*suffixes[] = { "", "-wal", "-shm", "-journal" };
	char			*path;
	size_t			 i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		path = xasprintf("%s%s", fuzz_form_db, suffixes[i]);
		unlink(path);
		free(path);
	}
}

/* Close and remove everything at exit. */
static void
fuzz_form_cleanup(void)
{
	store_close(fuzz_form_store);
	fuzz_form_store = NULL;
	fuzz_form_unlink();
	rmdir(fuzz_form_dir);
	catalog_free(fuzz_form_catalog);
}

/* Open a new store with one one-stop officer of TPSL. */
static void
fuzz_form_open(void)
{
	struct store_user	 u;
	char			*cause = NULL;

	fuzz_form_unlink();
	if ((fuzz_form_store = store_open(fuzz_form_db, &cause)) == NULL) {
		fprintf(stderr, "fuzz-form: %s\n", cause);
		abort();
	}
	memset(&u, 0, sizeof u);
	u.login = (char *)"tiepnhan";
	u.full_name = (char *)"Cán bộ tiếp nhận";
	u.role = ROLE_ONE_STOP;
	u.unit = (char *)"TPSL";
	u.department = (char *)"mot-cua";
	if (store_user_add(fuzz_form_store, &u, FUZZ_FORM_NOW, &fuzz_form_actor.user_id,
	    &cause) != 0) {
		fprintf(stderr, "fuzz-form: %s\n", cause);
		abort();
	}
	fuzz_form_actor.role = ROLE_ONE_STOP;
	fuzz_form_actor.unit = "TPSL";
	fuzz_form_actor.department = "mot-cua";
	fuzz_form_stored = 0;
}

/* Load the test catalog and open the store, once. */
static void
fuzz_form_init(void)
{
	struct catalog_problems	 problems;
	const char		*tmp;

	if (fuzz_form_store != NULL)
		return;
	memset(&problems, 0, sizeof problems);
	fuzz_form_catalog = catalog_load(TEST_DATA "/catalog-min", &problems);
	if (fuzz_form_catalog == NULL) {
		fprintf(stderr, "fuzz-form: %s\n", problems.n > 0 ? problems.items[0] : "?");
		abort();
	}
	tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	fuzz_form_dir = xasprintf("%s/motcua-fuzz-form.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(fuzz_form_dir) == NULL) {
		fprintf(stderr, "fuzz-form: mkdtemp: %s\n", strerror(errno));
		abort();
	}
	fuzz_form_db = xasprintf("%s/motcua.db", fuzz_form_dir);
	atexit(fuzz_form_cleanup);
	fuzz_form_open();
}

/* The rule for an ID number: 9 or 12 ASCII digits. */
static bool
fuzz_form_id_ok(const char *s)
{
	size_t	len = strlen(s);

	return (len == 9 || len == 12) && strspn(s, "0123456789") == len;
}

/* The rule for a phone number: empty, or 10 ASCII digits starting with 0. */
static bool
fuzz_form_phone_ok(const char *s)
{
	return *s == '\0' || (strlen(s) == 10 && s[0] == '0' && strspn(s, "0123456789") == 10);
}

/* Check one validator's answer against its rule, and its message. */
static void
fuzz_form_validator(int (*check)(const char *, char **), bool (*rule)(const char *),
    const char *s)
{
	char	*cause = NULL;
	int	 r;

	r = check(s, &cause);
	FUZZ_CHECK((r == 0) == rule(s));
	if (r != 0) {
		FUZZ_CHECK(fuzz_plain(cause));
		free(cause);
	} else
		FUZZ_CHECK(cause == NULL);
}

/* Return text_clean(s) (NULL taken as empty) and whether it is at most max bytes. */
static char *
fuzz_form_clean(const char *s, size_t max, bool *ok)
{
	char	*c = text_clean(s == NULL ? "" : s);

	if (strlen(c) > max)
		*ok = false;
	return c;
}

/* Compare a stored string with what was expected (NULL and "" alike). */
static bool
fuzz_form_same(const char *stored, const char *want)
{
	if (stored == NULL)
		stored = "";
	if (want == NULL)
		want = "";
	return strcmp(stored, want) == 0 && fuzz_plain(stored);
}

/* One input: check the validators on the raw fields, then submit the intake. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog_procedure	*p;
	const struct catalog_variant	*v = NULL;
	struct dossier_intake		 in;
	struct dossier_count		 counts[16];
	struct dossier			*d;
	uint8_t				 h[6] = { 0 };
	char				*buf, *field[FUZZ_FORM_NFIELDS] = { NULL };
	char				*c[FUZZ_FORM_NFIELDS], *code = NULL, *again = NULL;
	char				*cause = NULL, *key, *by_key = NULL;
	size_t				 i, n, pos;
	int64_t				 now, by;
	bool				 ok = true, replay = false, refuse;
	int				 r, sets;

	fuzz_form_init();
	for (i = 0; i < 6 && i < size; i++)
		h[i] = data[i];
	n = size > 6 ? size - 6 : 0;
	buf = fuzz_string(size > 6 ? data + 6 : data, n);
	for (i = 0, pos = 0; i < FUZZ_FORM_NFIELDS && pos <= n && n > 0; i++) {
		field[i] = buf + pos;
		pos += strlen(buf + pos) + 1;
	}

	/* The validators, on the raw text. */
	for (i = 0; i < FUZZ_FORM_NFIELDS; i++) {
		if (field[i] == NULL)
			continue;
		fuzz_form_validator(dossier_check_id, fuzz_form_id_ok, field[i]);
		fuzz_form_validator(dossier_check_phone, fuzz_form_phone_ok, field[i]);
	}

	/* The intake, and what dossier.h says its outcome must be. */
	memset(&in, 0, sizeof in);
	refuse = h[0] & 1;
	in.channel = (enum dossier_channel)((h[0] >> 1) & 3);
	if (in.channel > CHANNEL_ONLINE)
		ok = false;
	in.sets = (int8_t)h[1];
	sets = in.sets == 0 ? 1 : in.sets;
	if (sets < 1 || sets > FUZZ_FORM_MAX_COUNT)
		ok = false;
	in.variant = (int)(h[2] % 5) - 1;
	in.procedure = fuzz_form_procedures[h[3] % 4];
	if ((p = catalog_procedure(fuzz_form_catalog, in.procedure)) == NULL ||
	    in.variant < 0 || (size_t)in.variant >= p->nvariants)
		ok = false;
	else
		v = &p->variants[in.variant];
	if ((h[0] & 8) && v != NULL && v->ndocuments < 15) {
		in.ndocuments = v->ndocuments + ((h[0] & 16) ? 1 : 0);
		if (in.ndocuments != v->ndocuments)
			ok = false;
		for (i = 0; i < in.ndocuments; i++) {
			counts[i].originals = (int8_t)(h[4] + i);
			counts[i].copies = (int8_t)(h[5] - i);
			if (i < v->ndocuments && (counts[i].originals < 0 ||
			    counts[i].originals > FUZZ_FORM_MAX_COUNT || counts[i].copies < 0 ||
			    counts[i].copies > FUZZ_FORM_MAX_COUNT))
				ok = false;
		}
		in.documents = counts;
	}
	in.applicant_name = field[F_NAME];
	in.applicant_id = field[F_ID];
	in.applicant_phone = field[F_PHONE];
	in.applicant_address = field[F_ADDRESS];
	in.applicant_commune = field[F_COMMUNE];
	in.owner_name = field[F_OWNER];
	in.owner_id = field[F_OWNER_ID];
	in.owner_address = field[F_OWNER_ADDRESS];
	in.request = field[F_REQUEST];
	in.note = field[F_NOTE];
	key = xasprintf("%lu:%s", fuzz_form_count++, field[F_KEY] != NULL ? field[F_KEY] : "");
	in.idempotency_key = key;
	if (strlen(key) > FUZZ_FORM_MAX_KEY || !fuzz_plain(key))
		ok = false;

	c[F_NAME] = fuzz_form_clean(field[F_NAME], FUZZ_FORM_MAX_NAME, &ok);
	if (*c[F_NAME] == '\0')
		ok = false;
	c[F_ID] = fuzz_form_clean(field[F_ID], 12, &ok);
	if (!fuzz_form_id_ok(c[F_ID]))
		ok = false;
	c[F_PHONE] = fuzz_form_clean(field[F_PHONE], 10, &ok);
	if (!fuzz_form_phone_ok(c[F_PHONE]))
		ok = false;
	c[F_ADDRESS] = fuzz_form_clean(field[F_ADDRESS], FUZZ_FORM_MAX_ADDRESS, &ok);
	c[F_COMMUNE] = fuzz_form_clean(field[F_COMMUNE], FUZZ_FORM_MAX_NAME, &ok);
	c[F_OWNER] = fuzz_form_clean(field[F_OWNER], FUZZ_FORM_MAX_NAME, &ok);
	if (*c[F_OWNER] != '\0') {
		c[F_OWNER_ID] = fuzz_form_clean(field[F_OWNER_ID], 12, &ok);
		if (*c[F_OWNER_ID] != '\0' && !fuzz_form_id_ok(c[F_OWNER_ID]))
			ok = false;
		c[F_OWNER_ADDRESS] = fuzz_form_clean(field[F_OWNER_ADDRESS],
		    FUZZ_FORM_MAX_ADDRESS, &ok);
	} else {
		c[F_OWNER_ID] = xstrdup("");
		c[F_OWNER_ADDRESS] = xstrdup("");
	}
	c[F_REQUEST] = fuzz_form_clean(field[F_REQUEST], FUZZ_FORM_MAX_REQUEST, &ok);
	c[F_NOTE] = fuzz_form_clean(field[F_NOTE], FUZZ_FORM_MAX_NOTE, &ok);
	if (refuse && *c[F_NOTE] == '\0')
		ok = false;
	c[F_KEY] = NULL;

	now = FUZZ_FORM_NOW + (int64_t)(fuzz_form_stored / FUZZ_FORM_PER_DAY) * 86400;
	if (refuse)
		r = dossier_refuse_intake(fuzz_form_store, fuzz_form_catalog, &fuzz_form_actor,
		    &in, now, &code, &replay, &cause);
	else
		r = dossier_receive(fuzz_form_store, fuzz_form_catalog, &fuzz_form_actor, &in,
		    now, &code, &replay, &cause);
	if (r != 0 && ok)
		fprintf(stderr, "fuzz-form: refused a good intake: %s\n", cause);
	else if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "  %s\n", r == 0 ? code : cause);
	FUZZ_CHECK((r == 0) == ok);
	if (r != 0) {
		FUZZ_CHECK(code == NULL && fuzz_plain(cause));
		free(cause);
		cause = NULL;
		/* Nothing was stored under the key. */
		FUZZ_CHECK(store_dossier_by_key(fuzz_form_store, key, &by_key, &by, &cause) == 0);
		FUZZ_CHECK(by_key == NULL);
		goto out;
	}
	fuzz_form_stored++;
	FUZZ_CHECK(!replay && code != NULL);
	FUZZ_CHECK(strlen(code) == 16 && strncmp(code, "TPSL-", 5) == 0 && code[11] == '-' &&
	    strspn(code + 5, "0123456789") == 6 && strspn(code + 12, "0123456789") == 4);

	/* What is stored is what was typed, cleaned. */
	d = dossier_get(fuzz_form_store, &fuzz_form_actor, code, &cause);
	FUZZ_CHECK(d != NULL);
	FUZZ_CHECK(strcmp(d->code, code) == 0);
	FUZZ_CHECK((int)d->state == (refuse ? STATE_REFUSED : STATE_RECEIVED));
	FUZZ_CHECK(fuzz_form_same(d->applicant_name, c[F_NAME]));
	FUZZ_CHECK(fuzz_form_same(d->applicant_id, c[F_ID]));
	FUZZ_CHECK(fuzz_form_same(d->applicant_phone, c[F_PHONE]));
	FUZZ_CHECK(fuzz_form_same(d->applicant_address, c[F_ADDRESS]));
	FUZZ_CHECK(fuzz_form_same(d->applicant_commune, c[F_COMMUNE]));
	FUZZ_CHECK(fuzz_form_same(d->owner_name, c[F_OWNER]));
	FUZZ_CHECK((d->owner_name == NULL) == (*c[F_OWNER] == '\0'));
	FUZZ_CHECK(fuzz_form_same(d->owner_id, c[F_OWNER_ID]));
	FUZZ_CHECK(fuzz_form_same(d->owner_address, c[F_OWNER_ADDRESS]));
	FUZZ_CHECK(fuzz_form_same(d->request, c[F_REQUEST]));
	FUZZ_CHECK(d->sets == sets && d->channel == in.channel && d->variant == in.variant);
	FUZZ_CHECK(v != NULL && d->ndocuments == v->ndocuments);
	for (i = 0; i < d->ndocuments; i++) {
		FUZZ_CHECK(d->documents[i].originals == (in.documents != NULL ?
		    in.documents[i].originals : v->documents[i].originals));
		FUZZ_CHECK(d->documents[i].copies == (in.documents != NULL ?
		    in.documents[i].copies : v->documents[i].copies));
	}
	if (!refuse)
		FUZZ_CHECK(d->due_at >= now && d->step_due_at >= now && d->step_due_at <= d->due_at);
	dossier_free(d);

	/* The same form again is a replay with the same code, and stores nothing. */
	FUZZ_CHECK((refuse ? dossier_refuse_intake : dossier_receive)(fuzz_form_store,
	    fuzz_form_catalog, &fuzz_form_actor, &in, now, &again, &replay, &cause) == 0);
	FUZZ_CHECK(replay && strcmp(again, code) == 0);
	free(again);
	if (fuzz_form_stored >= FUZZ_FORM_PER_STORE) {
		store_close(fuzz_form_store);
		fuzz_form_open();
	}

out:
	for (i = 0; i < F_KEY; i++)
		free(c[i]);
	free(code);
	free(key);
	free(buf);
	return 0;
}

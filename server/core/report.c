/* report.c: the period figures the province publishes, and the tracking book (Mẫu 06). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "report.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define REPORT_MAX_MONTHS	600	/* months of a report by month (50 years) */
#define REPORT_DAY		86400

/* The state of one report being counted. */
struct report_ctx {
	const struct catalog	*cat;
	struct report		*r;
	size_t			 rows_size;
	size_t			 ncatalog;	/* rows from the catalog; unknown keys follow */
	size_t			*order;		/* row indices sorted by key (keyed groups) */
	int64_t			*bounds;	/* by month: nrows + 1 instants; else from, to */
	size_t			 unit_row;	/* by unit: the row of the unit being read */
	int64_t			 last_id;	/* supplements: the last dossier counted */
	size_t			 last_row;	/* ... and the row it was counted in */
	int64_t			 last_total_id;	/* ... and counted in the total */
};

/* Resolved in the period, whatever the timing. */
int64_t
report_resolved(const struct report_figures *f)
{
	return f->resolved_early + f->resolved_on_time + f->resolved_late;
}

/* (early + on time) / resolved; -1 when nothing was resolved. */
double
report_on_time_rate(const struct report_figures *f)
{
	int64_t	resolved = report_resolved(f);

	if (resolved <= 0)
		return -1;
	return (double)(f->resolved_early + f->resolved_on_time) / (double)resolved;
}

/* A count with its thousands grouped by separator, cut to fit len bytes. */
void
report_format_count(int64_t n, char separator, char *buf, size_t len)
{
	char	digits[32];
	size_t	nd, i, o = 0;

	snprintf(digits, sizeof digits, "%lld", (long long)(n < 0 ? -n : n));
	nd = strlen(digits);
	if (n < 0 && o + 1 < len)
		buf[o++] = '-';
	for (i = 0; i < nd && o + 2 < len; i++) {
		if (i != 0 && (nd - i) % 3 == 0)
			buf[o++] = separator;
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* Read exactly n digits of s into *out; returns 0, or -1 if they are not all digits. */
static int
report_digits(const char *s, size_t n, int *out)
{
	size_t	i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

/* The local days [*start, *end) of one period without "..": a year, month, quarter, half, day. */
static int
report_period_one(const char *s, size_t len, int64_t *start, int64_t *end)
{
	struct calendar_date	d0 = { 0, 1, 1 }, d1 = { 0, 1, 1 };
	char			buf[16];
	int			year, n;

	if (len < 4 || report_digits(s, 4, &year) != 0 || year < CALENDAR_FIRST_YEAR ||
	    year > CALENDAR_LAST_YEAR)
		return -1;
	d0.year = d1.year = year;
	if (len == 4) {
		d1.year = year + 1;
	} else if (len == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q')) {
		if (report_digits(s + 6, 1, &n) != 0 || n < 1 || n > 4)
			return -1;
		d0.month = 3 * (n - 1) + 1;
		d1.month = d0.month + 3;
	} else if (len == 7 && s[4] == '-' && (s[5] == 'H' || s[5] == 'h')) {
		if (report_digits(s + 6, 1, &n) != 0 || n < 1 || n > 2)
			return -1;
		d0.month = 6 * (n - 1) + 1;
		d1.month = d0.month + 6;
	} else if (len == 7 && s[4] == '-') {
		if (report_digits(s + 5, 2, &n) != 0 || n < 1 || n > 12)
			return -1;
		d0.month = n;
		d1.month = n + 1;
	} else if (len == 10) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (calendar_parse_date(buf, &d0) != 0)
			return -1;
		*start = calendar_days_from_date(d0);
		*end = *start + 1;
		return 0;
	} else
		return -1;
	if (d1.month > 12) {
		d1.month -= 12;
		d1.year++;
	}
	*start = calendar_days_from_date(d0);
	*end = calendar_days_from_date(d1);
	return 0;
}

/* Parse a period in the catalog's local time into [*from, *to). */
int
report_period_parse(const struct catalog *cat, const char *text, int64_t *from, int64_t *to,
    char **cause)
{
	const char	*dots;
	int64_t		 s0, e0, s1, e1;
	char		*safe;
	size_t		 len;
	int		 ok;

	if (text == NULL)
		text = "";
	len = strlen(text);
	if ((dots = strstr(text, "..")) != NULL) {
		ok = report_period_one(text, (size_t)(dots - text), &s0, &e0) == 0 &&
		    report_period_one(dots + 2, len - (size_t)(dots - text) - 2, &s1, &e1) == 0;
		if (ok && e1 <= s0) {
			safe = text_sanitise(text);
			*cause = xasprintf("period \"%s\" ends before it starts", safe);
			free(safe);
			return -1;
		}
		e0 = e1;
	} else
		ok = report_period_one(text, len, &s0, &e0) == 0;
	if (!ok) {
		safe = text_sanitise(text);
		*cause = xasprintf("period \"%s\" is not valid: give a year (2015), a month "
		    "(2015-06), a quarter (2015-Q2), a half year (2015-H1), a day (2015-06-15) or "
		    "a range of them (2015-01-01..2015-06-30)", safe);
		free(safe);
		return -1;
	}
	*from = s0 * REPORT_DAY - cat->utc_offset;
	*to = e0 * REPORT_DAY - cat->utc_offset;
	return 0;
}

/* Add a row with a key and a label (both copied). */
static size_t
report_add_row(struct report_ctx *c, const char *key, const char *label)
{
	struct report	*r = c->r;

	if (r->nrows == c->rows_size) {
		c->rows_size = c->rows_size == 0 ? 16 : c->rows_size * 2;
		r->rows = xreallocarray(r->rows, c->rows_size, sizeof *r->rows);
	}
	memset(&r->rows[r->nrows], 0, sizeof r->rows[r->nrows]);
	r->rows[r->nrows].key = xstrdup(key);
	r->rows[r->nrows].label = xstrdup(label);
	return r->nrows++;
}

/* The context whose rows report_order_cmp sorts (qsort has no argument). */
static const struct report	*report_sorting;

/* Order row indices by their key. */
static int
report_order_cmp(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return strcmp(report_sorting->rows[x].key, report_sorting->rows[y].key);
}

/* Sort the index of keyed rows. */
static void
report_reorder(struct report_ctx *c)
{
	size_t	i;

	free(c->order);
	c->order = xreallocarray(NULL, c->r->nrows + 1, sizeof *c->order);
	for (i = 0; i < c->r->nrows; i++)
		c->order[i] = i;
	report_sorting = c->r;
	qsort(c->order, c->r->nrows, sizeof *c->order, report_order_cmp);
	report_sorting = NULL;
}

/* The row of a key (field or procedure code), added at the end if the catalog lacks it. */
static size_t
report_row_of(struct report_ctx *c, const char *key)
{
	size_t	lo = 0, hi = c->r->nrows, mid, row;
	int	cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = strcmp(key, c->r->rows[c->order[mid]].key);
		if (cmp == 0)
			return c->order[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	row = report_add_row(c, key, key);
	report_reorder(c);
	return row;
}

/* The month row of an instant inside the period. */
static size_t
report_month_of(const struct report_ctx *c, int64_t t)
{
	size_t	lo = 0, hi = c->r->nrows, mid;

	/* The last bucket whose start is not after t. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (c->bounds[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Count one dossier's figures for the period [lo, hi) into f. */
static void
report_count(const struct report_ctx *c, struct report_figures *f,
    const struct store_report_row *d, int64_t lo, int64_t hi)
{
	int64_t	finished, limit;

	finished = d->resolved_at != 0 ? d->resolved_at : d->closed_at;
	if (d->received_at < lo && (finished == 0 || finished >= lo))
		f->carried++;
	if (d->received_at >= lo && d->received_at < hi) {
		f->new_total++;
		if (d->channel == CHANNEL_POST)
			f->new_post++;
		else if (d->channel == CHANNEL_ONLINE)
			f->new_online++;
		else
			f->new_counter++;
	}
	if (d->resolved_at != 0 && d->resolved_at >= lo && d->resolved_at < hi) {
		if (d->due_at == 0)
			f->resolved_on_time++;
		else {
			switch (calendar_punctuality(c->cat->calendar, d->resolved_at,
			    d->due_at)) {
			case CALENDAR_EARLY:
				f->resolved_early++;
				break;
			case CALENDAR_ON_TIME:
				f->resolved_on_time++;
				break;
			case CALENDAR_LATE:
				f->resolved_late++;
				break;
			}
		}
	}
	if (d->received_at < hi && (finished == 0 || finished >= hi)) {
		/* A dossier paused before the end is judged at its pause: the clock stopped. */
		limit = d->paused_at != 0 && d->paused_at < hi ? d->paused_at : hi;
		if (d->due_at != 0 && d->due_at < limit)
			f->open_overdue++;
		else
			f->open_within++;
	}
	if (d->closed_at != 0 && d->closed_at >= lo && d->closed_at < hi) {
		if (d->state == STATE_WITHDRAWN)
			f->withdrawn++;
		else if (d->state == STATE_REFUSED)
			f->refused++;
	}
}

/* Count one dossier into its rows and the total. */
static int
report_dossier(const struct store_report_row *d, void *arg)
{
	struct report_ctx	*c = arg;
	struct report		*r = c->r;
	int64_t			 finished;
	size_t			 first, last, i;

	report_count(c, &r->total, d, r->from, r->to);
	switch (r->group) {
	case REPORT_BY_UNIT:
		report_count(c, &r->rows[c->unit_row].f, d, r->from, r->to);
		break;
	case REPORT_BY_FIELD:
		report_count(c, &r->rows[report_row_of(c, d->field)].f, d, r->from, r->to);
		break;
	case REPORT_BY_PROCEDURE:
		report_count(c, &r->rows[report_row_of(c, d->procedure)].f, d, r->from, r->to);
		break;
	case REPORT_BY_MONTH:
		/* Only the months from its receipt to its end can hold any of its figures. */
		finished = d->resolved_at != 0 ? d->resolved_at : d->closed_at;
		first = d->received_at < r->from ? 0 : report_month_of(c, d->received_at);
		last = finished == 0 || finished >= r->to ? r->nrows - 1 :
		    report_month_of(c, finished);
		for (i = first; i <= last && i < r->nrows; i++)
			report_count(c, &r->rows[i].f, d, c->bounds[i], c->bounds[i + 1]);
		break;
	}
	return 0;
}

/* Count one supplement request, once per dossier in a row and once in the total. */
static int
report_supplement(const struct store_report_row *d, void *arg)
{
	struct report_ctx	*c = arg;
	struct report		*r = c->r;
	size_t			 row = 0;

	switch (r->group) {
	case REPORT_BY_UNIT:
		row = c->unit_row;
		break;
	case REPORT_BY_FIELD:
		row = report_row_of(c, d->field);
		break;
	case REPORT_BY_PROCEDURE:
		row = report_row_of(c, d->procedure);
		break;
	case REPORT_BY_MONTH:
		row = report_month_of(c, d->at);
		break;
	}
	if (d->id != c->last_total_id) {
		r->total.supplement++;
		c->last_total_id = d->id;
	}
	if (d->id != c->last_id || row != c->last_row) {
		r->rows[row].f.supplement++;
		c->last_id = d->id;
		c->last_row = row;
	}
	return 0;
}

/* The message for a unit that is unknown or out of the actor's scope. */
static int
report_no_unit(const char *unit, char **cause)
{
	char	*safe;

	safe = text_sanitise(unit == NULL ? "" : unit);
	*cause = xasprintf("no unit %s", safe);
	free(safe);
	return -1;
}

/* Decide which units the report covers: a mask over the catalog's units. */
static int
report_units(const struct catalog *cat, const struct actor *a, const struct report_query *q,
    bool *use, char **cause)
{
	const struct catalog_unit	*u;
	size_t				 i, n = 0;

	if (q->units == NULL || q->nunits == 0) {
		for (i = 0; i < cat->nunits; i++) {
			if (dossier_can_read_unit(a, cat->units[i].code)) {
				use[i] = true;
				n++;
			}
		}
		if (n == 0)
			return report_no_unit(a != NULL ? a->unit : NULL, cause);
		return 0;
	}
	for (i = 0; i < q->nunits; i++) {
		u = q->units[i] == NULL ? NULL : catalog_unit(cat, q->units[i]);
		if (u == NULL || !dossier_can_read_unit(a, u->code))
			return report_no_unit(q->units[i], cause);
		use[u - cat->units] = true;
	}
	return 0;
}

/* Make the rows of the report before anything is counted. */
static int
report_rows(struct report_ctx *c, const struct report_query *q, const bool *use,
    char **cause)
{
	const struct catalog		*cat = c->cat;
	const struct catalog_procedure	*p;
	struct calendar_date		 d;
	int64_t				 day, start, end;
	size_t				 i;
	char				 key[16], label[16];

	switch (q->group) {
	case REPORT_BY_UNIT:
		for (i = 0; i < cat->nunits; i++) {
			if (use[i])
				report_add_row(c, cat->units[i].code, cat->units[i].name);
		}
		break;
	case REPORT_BY_FIELD:
		p = q->procedure == NULL ? NULL : catalog_procedure(cat, q->procedure);
		for (i = 0; i < cat->nfields; i++) {
			if ((q->field == NULL || strcmp(q->field, cat->fields[i].code) == 0) &&
			    (p == NULL || strcmp(p->field, cat->fields[i].code) == 0))
				report_add_row(c, cat->fields[i].code, cat->fields[i].name);
		}
		break;
	case REPORT_BY_PROCEDURE:
		for (i = 0; i < cat->nprocedures; i++) {
			p = &cat->procedures[i];
			if ((q->field == NULL || strcmp(q->field, p->field) == 0) &&
			    (q->procedure == NULL || strcmp(q->procedure, p->code) == 0))
				report_add_row(c, p->code, p->name);
		}
		break;
	case REPORT_BY_MONTH:
		c->bounds = xreallocarray(NULL, REPORT_MAX_MONTHS + 1, sizeof *c->bounds);
		start = q->from;
		while (start < q->to) {
			if (c->r->nrows == REPORT_MAX_MONTHS) {
				*cause = xasprintf("a report by month covers at most %d months",
				    REPORT_MAX_MONTHS);
				return -1;
			}
			d = calendar_local_date(cat->calendar, start, NULL);
			snprintf(key, sizeof key, "%04d-%02d", d.year, d.month);
			snprintf(label, sizeof label, "%02d/%04d", d.month, d.year);
			c->bounds[c->r->nrows] = start;
			report_add_row(c, key, label);
			d.day = 1;
			if (++d.month > 12) {
				d.month = 1;
				d.year++;
			}
			day = calendar_days_from_date(d);
			end = day * REPORT_DAY - cat->utc_offset;
			start = end < q->to ? end : q->to;
		}
		c->bounds[c->r->nrows] = q->to;
		break;
	default:
		*cause = xstrdup("unknown grouping of a report");
		return -1;
	}
	c->ncatalog = c->r->nrows;
	report_reorder(c);
	return 0;
}

/* Order two rows by key (the rows of codes found only in the dossiers are sorted so). */
static int
report_tail_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_row *)a)->key, ((const struct report_row *)b)->key);
}

/* Build the period report of a query for an actor. */
int
report_build(struct store *st, const struct catalog *cat, const struct actor *a,
    const struct report_query *q, struct report **out, char **cause)
{
	struct store_report_filter	 f;
	struct report_ctx		 c;
	struct report			*r;
	bool				*use = NULL;
	size_t				 i;
	int				 ret = -1;
	char				*safe;

	*out = NULL;
	if (q == NULL || q->from >= q->to) {
		*cause = xstrdup("the period of the report is empty");
		return -1;
	}
	if (q->field != NULL && catalog_field(cat, q->field) == NULL) {
		safe = text_sanitise(q->field);
		*cause = xasprintf("no field %s", safe);
		free(safe);
		return -1;
	}
	if (q->procedure != NULL && catalog_procedure(cat, q->procedure) == NULL) {
		safe = text_sanitise(q->procedure);
		*cause = xasprintf("no procedure %s", safe);
		free(safe);
		return -1;
	}
	use = xcalloc(cat->nunits + 1, sizeof *use);
	if (report_units(cat, a, q, use, cause) != 0) {
		free(use);
		return -1;
	}

	memset(&c, 0, sizeof c);
	c.cat = cat;
	c.r = r = xcalloc(1, sizeof *r);
	r->from = q->from;
	r->to = q->to;
	r->group = q->group;
	if (report_rows(&c, q, use, cause) != 0)
		goto out;

	memset(&f, 0, sizeof f);
	f.field = q->field;
	f.procedure = q->procedure;
	f.from = q->from;
	f.to = q->to;
	for (i = 0; i < cat->nunits; i++) {
		if (!use[i])
			continue;
		f.unit = cat->units[i].code;
		if (r->group == REPORT_BY_UNIT)
			c.unit_row = report_row_of(&c, f.unit);
		if (store_report_dossiers(st, a, &f, report_dossier, &c, cause) != 0)
			goto out;
		c.last_id = c.last_total_id = 0;
		if (store_report_supplements(st, a, &f, report_supplement, &c, cause) != 0)
			goto out;
	}
	if (r->nrows > c.ncatalog)
		qsort(r->rows + c.ncatalog, r->nrows - c.ncatalog, sizeof *r->rows,
		    report_tail_cmp);
	*out = r;
	r = NULL;
	ret = 0;
out:
	report_free(r);
	free(c.order);
	free(c.bounds);
	free(use);
	return ret;
}

/* Free a report; NULL is fine. */
void
report_free(struct report *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].key);
		free(r->rows[i].label);
	}
	free(r->rows);
	free(r);
}

/* Build the tracking book of a unit for a period. */
int
report_book_build(struct store *st, const struct actor *a, const char *unit, int64_t from,
    int64_t to, size_t limit, struct report_book **out, char **cause)
{
	struct report_book	*b;

	*out = NULL;
	if (from >= to) {
		*cause = xstrdup("the period of the book is empty");
		return -1;
	}
	if (unit == NULL || !dossier_can_read_unit(a, unit))
		return report_no_unit(unit, cause);
	b = xcalloc(1, sizeof *b);
	if (store_report_book(st, a, unit, from, to, limit, b, cause) != 0) {
		report_book_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

/* Free a tracking book; NULL is fine. */
void
report_book_free(struct report_book *b)
{
	size_t	i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nlines; i++) {
		free(b->lines[i].code);
		free(b->lines[i].procedure_code);
		free(b->lines[i].applicant_name);
		free(b->lines[i].unit);
	}
	free(b->lines);
	free(b);
}

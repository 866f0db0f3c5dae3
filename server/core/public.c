/* public.c: the citizen's lookup of a dossier and the public board of every unit's figures. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "public.h"
#include "report.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

/* What each state means for the citizen who looks the dossier up. */
static const char *const public_hints[STATE_MAX + 1] = {
	[STATE_SUBMITTED] = "Hồ sơ nộp trực tuyến, chờ tiếp nhận",
	[STATE_RECEIVED] = "Hồ sơ đã được tiếp nhận và đang chuyển xử lý",
	[STATE_REFUSED] = "Hồ sơ không được giải quyết; lý do ghi trong văn bản trả lời",
	[STATE_PROCESSING] = "Hồ sơ đang được giải quyết",
	[STATE_SUPPLEMENT] = "Hồ sơ cần bổ sung giấy tờ; xin liên hệ Bộ phận Một cửa",
	[STATE_FINANCIAL] = "Chờ công dân thực hiện nghĩa vụ tài chính",
	[STATE_WITHDRAWN] = "Hồ sơ đã được rút theo đề nghị của công dân",
	[STATE_STOPPED] = "Hồ sơ đã dừng xử lý",
	[STATE_RESOLVED] = "Đã có kết quả; xin mời đến Bộ phận Một cửa nhận kết quả",
	[STATE_RETURNED] = "Đã trả kết quả cho công dân"
};

/* A short hint of what a state means for the citizen. */
const char *
public_state_hint(int state)
{
	if (state < STATE_MIN || state > STATE_MAX || public_hints[state] == NULL)
		return "";
	return public_hints[state];
}

/* The code as typed, cleaned and in upper case; NULL if it cannot be a dossier code. */
static char *
public_code(const char *typed)
{
	char	*c, *p;

	c = text_clean(typed == NULL ? "" : typed);
	if (*c == '\0' || strlen(c) > PUBLIC_CODE_MAX) {
		free(c);
		return NULL;
	}
	for (p = c; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = *p - 'a' + 'A';
		else if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-')) {
			free(c);
			return NULL;
		}
	}
	return c;
}

/* Return true if digits are PUBLIC_DIGITS digits and the phone ends with them. */
static bool
public_digits_match(const char *phone, const char *digits)
{
	size_t		 n, i;
	unsigned char	 diff = 0;

	if (digits == NULL || strlen(digits) != PUBLIC_DIGITS)
		return false;
	for (i = 0; i < PUBLIC_DIGITS; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return false;
	}
	if (phone == NULL || (n = strlen(phone)) < PUBLIC_DIGITS)
		return false;
	for (i = 0; i < PUBLIC_DIGITS; i++)
		diff |= (unsigned char)(phone[n - PUBLIC_DIGITS + i] ^ digits[i]);
	return diff == 0;
}

/* Return true if the citizen should still see where the dossier is (its current step). */
static bool
public_has_step(int state)
{
	switch (state) {
	case STATE_SUBMITTED:
	case STATE_RECEIVED:
	case STATE_PROCESSING:
	case STATE_SUPPLEMENT:
	case STATE_FINANCIAL:
	case STATE_RESOLVED:
		return true;
	default:
		return false;
	}
}

/* Make the citizen's view of a stored dossier. */
static struct public_dossier *
public_view(const struct catalog *cat, const struct dossier *d)
{
	struct public_dossier		*p;
	const struct catalog_unit	*u;
	const struct catalog_department	*dept = NULL;

	p = xcalloc(1, sizeof *p);
	p->code = xstrdup(d->code);
	p->procedure_code = xstrdup(d->procedure_code != NULL ? d->procedure_code : "");
	p->procedure_name = xstrdup(d->procedure_name != NULL ? d->procedure_name : "");
	u = d->unit != NULL ? catalog_unit(cat, d->unit) : NULL;
	p->unit_name = xstrdup(u != NULL ? u->name : d->unit != NULL ? d->unit : "");
	p->state = d->state;
	p->received_at = d->received_at;
	p->appointment_at = d->appointment_at != 0 ? d->appointment_at : d->due_at;
	switch (d->state) {
	case STATE_RESOLVED:
		p->finished_at = d->resolved_at;
		break;
	case STATE_RETURNED:
		p->finished_at = d->returned_at;
		break;
	case STATE_REFUSED:
	case STATE_WITHDRAWN:
	case STATE_STOPPED:
		p->finished_at = d->closed_at;
		break;
	default:
		break;
	}
	if (public_has_step(d->state) && d->step >= 0 && (size_t)d->step < d->nsteps) {
		p->step_name = xstrdup(d->steps[d->step].name);
		if (u != NULL && d->department != NULL)
			dept = catalog_department(u, d->department);
		p->department_name = xstrdup(dept != NULL ? dept->name :
		    d->department != NULL ? d->department : "");
	}
	return p;
}

/* Look a dossier up by its code and the last digits of the applicant's phone. */
int
public_lookup(struct store *st, const struct catalog *cat, const char *code,
    const char *digits, struct public_dossier **out, char **cause)
{
	struct dossier	*d = NULL;
	char		*c;
	int		 ret = 0;

	*out = NULL;
	if ((c = public_code(code)) == NULL)
		return 0;
	if (store_dossier_load(st, c, &d, cause) != 0) {
		free(c);
		return -1;
	}
	if (d != NULL && public_digits_match(d->applicant_phone, digits)) {
		*out = public_view(cat, d);
		ret = 1;
	}
	dossier_free(d);
	free(c);
	return ret;
}

/* Free a looked-up dossier; NULL is fine. */
void
public_dossier_free(struct public_dossier *p)
{
	if (p == NULL)
		return;
	free(p->code);
	free(p->procedure_code);
	free(p->procedure_name);
	free(p->unit_name);
	free(p->step_name);
	free(p->department_name);
	free(p);
}

/* The seconds to wait before the next attempt, 0 if none, -1 if no attempt is left. */
int
public_limit_wait(const struct public_limit *l, int64_t now_ms)
{
	int64_t	wait, left;
	int	over;

	if (l->misses >= PUBLIC_MISSES_MAX)
		return -1;
	if (l->misses < PUBLIC_MISSES_FREE)
		return 0;
	over = l->misses - PUBLIC_MISSES_FREE + 1;
	wait = over >= 6 ? PUBLIC_WAIT_MAX : (int64_t)1 << over;
	if (wait > PUBLIC_WAIT_MAX)
		wait = PUBLIC_WAIT_MAX;
	left = l->last_miss + wait * 1000 - now_ms;
	if (left <= 0)
		return 0;
	return (int)((left + 999) / 1000);
}

/* Record a miss. */
void
public_limit_miss(struct public_limit *l, int64_t now_ms)
{
	if (l->misses < PUBLIC_MISSES_MAX)
		l->misses++;
	l->last_miss = now_ms;
}

/* Local midnight at the start of a day of the catalog's calendar. */
static int64_t
public_midnight(const struct catalog *cat, struct calendar_date day)
{
	return calendar_days_from_date(day) * 86400 - cat->utc_offset;
}

/* Copy a report's figures into the board's. */
static void
public_figures_from(struct public_figures *p, const struct report_figures *f)
{
	p->received = f->new_total;
	p->on_time = f->resolved_early + f->resolved_on_time;
	p->late = f->resolved_late;
	p->overdue = f->open_overdue;
	p->supplement = f->supplement;
}

/* The report by unit of [from, to) for a reader of every unit. */
static int
public_report(struct store *st, const struct catalog *cat, int64_t from, int64_t to,
    struct report **out, char **cause)
{
	struct report_query	 q;
	struct actor		 reader;

	memset(&reader, 0, sizeof reader);
	reader.role = ROLE_MONITOR;
	memset(&q, 0, sizeof q);
	q.from = from;
	q.to = to;
	q.group = REPORT_BY_UNIT;
	return report_build(st, cat, &reader, &q, out, cause);
}

/* Find the row of a unit in a report; NULL if it has none. */
static const struct report_row *
public_row(const struct report *r, const char *unit)
{
	size_t	i;

	for (i = 0; i < r->nrows; i++) {
		if (r->rows[i].key != NULL && strcmp(r->rows[i].key, unit) == 0)
			return &r->rows[i];
	}
	return NULL;
}

/* Build the board of every unit as of an instant. */
int
public_board_build(struct store *st, const struct catalog *cat, int64_t as_of,
    struct public_board **out, char **cause)
{
	struct public_board	*b;
	struct report		*month = NULL, *year = NULL;
	const struct report_row	*row;
	struct calendar_date	 day;
	size_t			 i;

	*out = NULL;
	b = xcalloc(1, sizeof *b);
	b->as_of = as_of;
	/* The day the last second before as_of falls on: midnight closes the day before. */
	day = calendar_local_date(cat->calendar, as_of - 1, NULL);
	b->year = day.year;
	b->month = day.month;
	day.day = 1;
	b->month_from = public_midnight(cat, day);
	day.month = 1;
	b->year_from = public_midnight(cat, day);
	if (public_report(st, cat, b->month_from, as_of, &month, cause) != 0 ||
	    public_report(st, cat, b->year_from, as_of, &year, cause) != 0)
		goto fail;

	b->nrows = cat->nunits;
	b->rows = xcalloc(b->nrows == 0 ? 1 : b->nrows, sizeof *b->rows);
	for (i = 0; i < cat->nunits; i++) {
		b->rows[i].unit = xstrdup(cat->units[i].code);
		b->rows[i].unit_name = xstrdup(cat->units[i].name);
		if ((row = public_row(month, cat->units[i].code)) != NULL)
			public_figures_from(&b->rows[i].month, &row->f);
		if ((row = public_row(year, cat->units[i].code)) != NULL)
			public_figures_from(&b->rows[i].year, &row->f);
	}
	public_figures_from(&b->month_total, &month->total);
	public_figures_from(&b->year_total, &year->total);
	report_free(month);
	report_free(year);
	*out = b;
	return 0;

fail:
	report_free(month);
	report_free(year);
	public_board_free(b);
	return -1;
}

/* Free a board; NULL is fine. */
void
public_board_free(struct public_board *b)
{
	size_t	i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nrows; i++) {
		free(b->rows[i].unit);
		free(b->rows[i].unit_name);
	}
	free(b->rows);
	free(b);
}

/* The on-time rate in tenths of a percent, rounded; -1 if nothing was resolved. */
int
public_rate(const struct public_figures *f)
{
	int64_t	resolved = f->on_time + f->late;

	if (resolved <= 0)
		return -1;
	return (int)((f->on_time * 1000 + resolved / 2) / resolved);
}

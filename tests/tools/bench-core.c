/* bench-core.c: measures the core against its targets: catalog loading, store queries, intake. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "report.h"
#include "store.h"
#include "xmalloc.h"

#define BENCH_PROCEDURES	2000
#define BENCH_UNIT		"TPSL"

/* Milliseconds elapsed since start. */
static double
bench_ms_since(const struct timespec *start)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* Order doubles ascending, for percentiles. */
static int
bench_compare_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-th percentile (0–100) of n sorted samples. */
static double
bench_percentile(const double *sorted, size_t n, double p)
{
	size_t	i = (size_t)((p / 100.0) * (double)(n - 1) + 0.5);

	return sorted[i < n ? i : n - 1];
}

/* End the benchmark with a message. */
static void
bench_die(const char *what, const char *cause)
{
	fprintf(stderr, "bench-core: %s: %s\n", what, cause != NULL ? cause : strerror(errno));
	exit(1);
}

/* Copy a directory tree with cp -R (the paths are the benchmark's own temporary ones). */
static void
bench_copy_tree(const char *from, const char *to)
{
	char	*command;

	command = xasprintf("cp -R '%s' '%s'", from, to);
	if (system(command) != 0)
		bench_die("copying the catalog", command);
	free(command);
}

/* Write one file, dying on failure. */
static void
bench_write_file(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		bench_die(path, NULL);
}

/* Print one row of the results table. */
static void
bench_row(const char *what, const char *target, double value, const char *detail)
{
	printf("  %-48s %-9s %9.2f ms  %s\n", what, target, value, detail);
}

/* Load and validate the bundled catalog plus 2,000 generated procedures; the median of 5. */
static void
bench_catalog(const char *catalog_dir, const char *work)
{
	struct catalog_problems	 problems = { 0 };
	struct timespec		 start;
	struct catalog		*catalog;
	char			*dir, *path, *text, detail[64];
	double			 samples[5];
	size_t			 nprocedures = 0;
	int			 i;

	dir = xasprintf("%s/catalog", work);
	bench_copy_tree(catalog_dir, dir);
	for (i = 0; i < BENCH_PROCEDURES; i++) {
		path = xasprintf("%s/procedures/chung-thuc/9.%06d.yaml", dir, i);
		text = xasprintf("code: \"9.%06d\"\n"
		    "name: \"Thủ tục thử nghiệm số %d về chứng thực bản sao\"\n"
		    "field: chung-thuc\nlevel: huyen\nduration: { days: 5 }\n"
		    "fee: \"10.000 đồng\"\n"
		    "documents:\n"
		    "  - { name: \"Tờ khai theo mẫu\", originals: 1, copies: 0 }\n"
		    "  - { name: \"Giấy tờ tùy thân\", originals: 0, copies: 1 }\n"
		    "steps:\n"
		    "  - { dept: mot-cua, name: \"Tiếp nhận hồ sơ\", days: 0.5 }\n"
		    "  - { dept: tu-phap, name: \"Thẩm định, giải quyết\", days: 4 }\n"
		    "  - { dept: mot-cua, name: \"Trả kết quả\", days: 0.5 }\n"
		    "result: \"Kết quả giải quyết\"\n"
		    "legal_basis: [\"Nghị định 23/2015/NĐ-CP\"]\n", i, i);
		bench_write_file(path, text);
		free(path);
		free(text);
	}
	for (i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		catalog = catalog_load(dir, &problems);
		samples[i] = bench_ms_since(&start);
		if (catalog == NULL)
			bench_die("loading the generated catalog",
			    problems.n > 0 ? problems.items[0] : "?");
		nprocedures = catalog->nprocedures;
		catalog_free(catalog);
	}
	qsort(samples, 5, sizeof samples[0], bench_compare_double);
	snprintf(detail, sizeof detail, "%zu procedures, median of 5", nprocedures);
	bench_row("catalog: load and validate", "< 200 ms", samples[2], detail);
	free(dir);
}

/* A deterministic pseudo-random sequence (xorshift), so every run builds the same store. */
static uint64_t
bench_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/*
 * Fill the store with n dossiers spread over the 12 units and the days days before now:
 * most closed, the rest open, some overdue; one in twenty sent back once for a supplement
 * if supplements is set. Rows go in through the store's row layer in batches, as a
 * migration from an older system would.
 */
static void
bench_fill(struct store *st, const struct catalog *catalog, size_t n, int64_t now,
    int64_t days, bool supplements, int64_t user)
{
	const struct catalog_procedure	*p;
	struct dossier			 d;
	struct calendar_date		 date;
	uint64_t			 seed = 0x9e3779b97f4a7c15ULL;
	int64_t				 version, span = days * 86400;
	char				*cause = NULL, code[32], key[32], yymmdd[8];
	size_t				 i, unit, open;
	int				 seq;

	for (i = 0; i < n; i++) {
		if (i % 50000 == 0) {
			if (i != 0 && store_commit(st, &cause) != 0)
				bench_die("commit", cause);
			if (store_begin(st, &cause) != 0)
				bench_die("begin", cause);
			fprintf(stderr, "\rbench-core: filling the store: %zu / %zu", i, n);
		}
		unit = (size_t)(bench_random(&seed) % catalog->nunits);
		p = &catalog->procedures[bench_random(&seed) % catalog->nprocedures];
		if (store_procedure_ensure(st, p, now, &version, &cause) != 0)
			bench_die("procedure version", cause);

		memset(&d, 0, sizeof d);
		d.received_at = now - 3600 - (int64_t)(bench_random(&seed) % (uint64_t)span);
		date = calendar_local_date(catalog->calendar, d.received_at, NULL);
		snprintf(yymmdd, sizeof yymmdd, "%02d%02d%02d", date.year % 100, date.month,
		    date.day);
		if (store_code_next(st, catalog->units[unit].code, yymmdd, &seq, &cause) != 0)
			bench_die("code", cause);
		snprintf(code, sizeof code, "%s-%s-%04d", catalog->units[unit].code, yymmdd, seq);
		snprintf(key, sizeof key, "bench-%zu", i);
		d.code = code;
		d.idempotency_key = key;
		d.procedure_version = version;
		d.procedure_code = p->code;
		d.unit = catalog->units[unit].code;
		d.field = p->field;
		d.applicant_name = "Nguyễn Văn An";
		d.applicant_id = "012345678901";
		d.channel = CHANNEL_COUNTER;
		d.sets = 1;
		d.received_by = user;
		d.due_at = d.received_at + 14 * 86400;
		d.step_due_at = d.received_at + 3 * 86400;
		open = bench_random(&seed) % 100;
		if (open < 6 || d.received_at > now - 20 * 86400) {
			d.state = open % 2 == 0 ? STATE_PROCESSING : STATE_RECEIVED;
			d.step = 1;
			d.department = p->variants[0].steps[1].dept;
		} else {
			d.state = STATE_RETURNED;
			d.step = (int)p->variants[0].nsteps - 1;
			d.department = p->variants[0].steps[d.step].dept;
			d.resolved_at = d.received_at + 10 * 86400;
			d.returned_at = d.closed_at = d.resolved_at + 86400;
		}
		if (store_dossier_insert(st, &d, &cause) != 0)
			bench_die("insert", cause);
		if (supplements && bench_random(&seed) % 20 == 0 && (store_pause_start(st, d.id,
		    "supplement", d.received_at + 3600, user, "Bổ sung", &cause) != 0 ||
		    store_pause_end(st, d.id, d.received_at + 2 * 86400, user, 8 * 3600,
		    &cause) != 0))
			bench_die("supplement", cause);
	}
	if (store_commit(st, &cause) != 0)
		bench_die("commit", cause);
	fprintf(stderr, "\rbench-core: filling the store: %zu / %zu\n", n, n);
}

/* Time every count of a leader's dashboard together (service_dashboard's queries). */
static void
bench_dashboard(struct store *st, const struct catalog *catalog, int64_t now, size_t n)
{
	struct actor		 leader = { 0, ROLE_LEADER, BENCH_UNIT, "lanh-dao" };
	struct store_counts	 counts;
	struct timespec		 start;
	int64_t			 midnight, soon;
	char			*cause = NULL, detail[96];
	double			 samples[21];
	int			 i;

	midnight = calendar_days_from_date(calendar_local_date(catalog->calendar, now, NULL)) *
	    86400 - catalog->utc_offset;
	if (calendar_add(catalog->calendar, now, (int64_t)catalog->due_soon_hours * 3600, &soon,
	    &cause) != 0)
		bench_die("due soon", cause);
	for (i = 0; i < 21; i++) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (store_dashboard_counts(st, &leader, BENCH_UNIT, NULL, midnight, now, soon,
		    &counts, &cause) != 0)
			bench_die("dashboard", cause);
		samples[i] = bench_ms_since(&start);
	}
	qsort(samples, 21, sizeof samples[0], bench_compare_double);
	snprintf(detail, sizeof detail, "%lld in progress, %lld overdue, among %zu, median of 21",
	    (long long)counts.in_progress, (long long)counts.overdue, n);
	bench_row("store: a unit's dashboard counts (all of them)", "< 50 ms", samples[10],
	    detail);
}

/* Time a query function over repeated runs and print the median. */
static void
bench_queries(struct store *st, const struct catalog *catalog, int64_t now, size_t n)
{
	struct actor		 leader = { 0, ROLE_LEADER, BENCH_UNIT, "lanh-dao" };
	struct dossier_list	 list;
	struct timespec		 start;
	int64_t			 counts[STATE_MAX + 1];
	char			*cause = NULL, detail[96];
	double			 samples[21];
	int			 i;

	for (i = 0; i < 21; i++) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (store_count_by_state(st, &leader, BENCH_UNIT, counts, &cause) != 0)
			bench_die("counts", cause);
		samples[i] = bench_ms_since(&start);
	}
	qsort(samples, 21, sizeof samples[0], bench_compare_double);
	snprintf(detail, sizeof detail, "%lld dossiers of %s among %zu, median of 21",
	    (long long)counts[0], BENCH_UNIT, n);
	bench_row("store: counts by state for one unit", "< 50 ms", samples[10], detail);

	for (i = 0; i < 21; i++) {
		memset(&list, 0, sizeof list);
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (store_overdue(st, &leader, BENCH_UNIT, now, 50, &list, &cause) != 0)
			bench_die("overdue", cause);
		samples[i] = bench_ms_since(&start);
		snprintf(detail, sizeof detail, "%zu rows, median of 21", list.n);
		dossier_list_free(&list);
	}
	qsort(samples, 21, sizeof samples[0], bench_compare_double);
	bench_row("store: first 50 overdue dossiers of a unit", "< 10 ms", samples[10], detail);

	bench_dashboard(st, catalog, now, n);
}

/*
 * Time the year report of a province grouped one way as the monitor: the median of 5 runs in
 * elapsed time, and in *cpu the median processor time (the machine may be shared).
 */
static double
bench_report_one(struct store *st, const struct catalog *catalog, const char *period,
    enum report_group group, int64_t *received, double *cpu)
{
	struct actor		 monitor = { 0, ROLE_MONITOR, NULL, NULL };
	struct report_query	 q;
	struct report		*r;
	struct timespec		 start, c0, c1;
	char			*cause = NULL;
	double			 samples[5], cpus[5];
	int			 i;

	memset(&q, 0, sizeof q);
	if (report_period_parse(catalog, period, &q.from, &q.to, &cause) != 0)
		bench_die("period", cause);
	q.group = group;
	for (i = 0; i < 5; i++) {
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (report_build(st, catalog, &monitor, &q, &r, &cause) != 0)
			bench_die("report", cause);
		samples[i] = bench_ms_since(&start);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
		cpus[i] = (double)(c1.tv_sec - c0.tv_sec) * 1e3 +
		    (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
		*received = r->total.new_total;
		report_free(r);
	}
	qsort(samples, 5, sizeof samples[0], bench_compare_double);
	qsort(cpus, 5, sizeof cpus[0], bench_compare_double);
	*cpu = cpus[2];
	return samples[2];
}

/*
 * The year report of a 12-unit province of about 100,000 dossiers a year (a store of its own
 * holding 2015 and the weeks around it), by unit, field, procedure and month.
 */
static void
bench_report(const struct catalog *catalog, const char *work, size_t n)
{
	static const struct {
		enum report_group	 group;
		const char		*what;
	} groups[] = {
		{ REPORT_BY_UNIT, "report: one year of 12 units, by unit" },
		{ REPORT_BY_FIELD, "report: one year of 12 units, by field" },
		{ REPORT_BY_PROCEDURE, "report: one year of 12 units, by procedure" },
		{ REPORT_BY_MONTH, "report: one year of 12 units, by month" }
	};
	struct store_user	 u;
	struct store		*st;
	int64_t			 now, user, received;
	char			*path, *cause = NULL, detail[128];
	double			 ms, cpu;
	size_t			 i;

	if (calendar_parse_local(catalog->calendar, "2016-01-20 10:00", &now, &cause) != 0)
		bench_die("now", cause);
	path = xasprintf("%s/report.db", work);
	if ((st = store_open(path, &cause)) == NULL)
		bench_die(path, cause);
	memset(&u, 0, sizeof u);
	u.login = "tiepnhan.tpsl";
	u.full_name = "Lò Thị Hoa";
	u.role = ROLE_ONE_STOP;
	u.unit = BENCH_UNIT;
	u.department = "mot-cua";
	if (store_user_add(st, &u, now, &user, &cause) != 0)
		bench_die("user", cause);
	/* 400 days of dossiers end on 20 January 2016: n * 365 / 400 fall in 2015. */
	bench_fill(st, catalog, n, now, 400, true, user);
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		ms = bench_report_one(st, catalog, "2015", groups[i].group, &received, &cpu);
		snprintf(detail, sizeof detail, "%lld received in 2015 among %zu, cpu %.0f ms, "
		    "median of 5", (long long)received, n, cpu);
		bench_row(groups[i].what, "< 1000 ms", ms, detail);
	}
	store_close(st);
	free(path);
}

/* The heaviest year report (by month) of the large store, for scale; no target. */
static void
bench_report_large(struct store *st, const struct catalog *catalog, size_t n)
{
	int64_t	received;
	double	ms, cpu;
	char	detail[128];

	ms = bench_report_one(st, catalog, "2014", REPORT_BY_MONTH, &received, &cpu);
	snprintf(detail, sizeof detail, "%lld received in 2014 among %zu, cpu %.0f ms, "
	    "median of 5", (long long)received, n, cpu);
	bench_row("report: year 2014 by month, large store", "-", ms, detail);
}

/* Receive dossiers through the real intake path with synchronous=FULL; report p50 and p99. */
static void
bench_intake(struct store *st, const struct catalog *catalog, int64_t now, int64_t user,
    size_t n)
{
	struct actor		 officer = { user, ROLE_ONE_STOP, BENCH_UNIT, "mot-cua" };
	struct dossier_intake	 in;
	struct timespec		 start;
	double			*samples;
	char			*cause = NULL, *code = NULL, key[48], detail[96];
	bool			 replay;
	size_t			 i;

	samples = xcalloc(n, sizeof *samples);
	for (i = 0; i < n; i++) {
		memset(&in, 0, sizeof in);
		in.procedure = "2.000815";
		in.applicant_name = "Trần Thị Bình";
		in.applicant_id = "012345678901";
		in.applicant_phone = "0912345678";
		in.applicant_address = "Tổ 3, phường Chiềng Lề";
		in.request = "Chứng thực bản sao";
		in.channel = CHANNEL_COUNTER;
		snprintf(key, sizeof key, "bench-intake-%zu", i);
		in.idempotency_key = key;
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (dossier_receive(st, catalog, &officer, &in, now + (int64_t)i, &code, &replay,
		    &cause) != 0)
			bench_die("intake", cause);
		samples[i] = bench_ms_since(&start);
		free(code);
	}
	qsort(samples, n, sizeof samples[0], bench_compare_double);
	snprintf(detail, sizeof detail, "p50 %.2f ms, n=%zu, synchronous=FULL",
	    bench_percentile(samples, n, 50), n);
	bench_row("store: intake commit p99", "< 20 ms", bench_percentile(samples, n, 99),
	    detail);
	free(samples);
}

/* Parse the options, build the fixtures in a temporary directory and print the table. */
int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "catalog", required_argument, NULL, 'c' },
		{ "dossiers", required_argument, NULL, 'n' },
		{ "intakes", required_argument, NULL, 'i' },
		{ "report-dossiers", required_argument, NULL, 'r' },
		{ "days", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	struct catalog_problems	 problems = { 0 };
	struct store_user	 u;
	struct catalog		*catalog;
	struct store		*st;
	const char		*catalog_dir = "catalog";
	char			 work[] = "/tmp/motcua-bench.XXXXXX", *path, *cause = NULL;
	char			*command;
	size_t			 ndossiers = 1000000, nintakes = 500, nreport = 110000;
	int64_t			 days = 600;
	int64_t			 now, user;
	int			 opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'c': catalog_dir = optarg; break;
		case 'n': ndossiers = strtoul(optarg, NULL, 10); break;
		case 'i': nintakes = strtoul(optarg, NULL, 10); break;
		case 'r': nreport = strtoul(optarg, NULL, 10); break;
		case 'd': days = strtoll(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: bench-core [--catalog DIR] [--dossiers N] "
			    "[--days N] [--intakes N] [--report-dossiers N]\n");
			return 2;
		}
	}
	if (nintakes == 0)
		nintakes = 1;
	if (mkdtemp(work) == NULL)
		bench_die("mkdtemp", NULL);

	printf("motcua core benchmarks (%s)\n", work);
	bench_catalog(catalog_dir, work);

	if ((catalog = catalog_load(catalog_dir, &problems)) == NULL)
		bench_die(catalog_dir, problems.n > 0 ? problems.items[0] : "?");
	if (calendar_parse_local(catalog->calendar, "2015-08-26 10:00", &now, &cause) != 0)
		bench_die("now", cause);

	path = xasprintf("%s/motcua.db", work);
	if ((st = store_open(path, &cause)) == NULL)
		bench_die(path, cause);
	memset(&u, 0, sizeof u);
	u.login = "tiepnhan.tpsl";
	u.full_name = "Lò Thị Hoa";
	u.role = ROLE_ONE_STOP;
	u.unit = BENCH_UNIT;
	u.department = "mot-cua";
	if (store_user_add(st, &u, now, &user, &cause) != 0)
		bench_die("user", cause);

	/* The dossiers of the last `days` days, received before 26 August 2015. */
	if (days < 1)
		days = 1;
	bench_fill(st, catalog, ndossiers, now, days, false, user);
	bench_queries(st, catalog, now, ndossiers);
	bench_report_large(st, catalog, ndossiers);
	bench_intake(st, catalog, now, user, nintakes);

	store_close(st);
	if (nreport > 0)
		bench_report(catalog, work, nreport);
	catalog_free(catalog);
	free(path);
	command = xasprintf("rm -rf '%s'", work);
	if (system(command) != 0)
		fprintf(stderr, "bench-core: could not remove %s\n", work);
	free(command);
	return 0;
}

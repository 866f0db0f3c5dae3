/*
 * cmd-publish.c: `motcuad publish`: the public board (public.h) as small static pages and a CSV
 * file for the province's web portal, the same figures the public login shows.
 *
 * OUT receives index.html (the province: every unit, this month and this year, each unit
 * linked to its page), one page per unit (its code in lower case, "tpsl.html"), cong-khai.csv
 * (UTF-8 with a byte order mark so that spreadsheets show Vietnamese, CRLF lines, RFC 4180
 * quoting) and the marker .motcua-publish. No script, one tiny inline stylesheet; each page
 * is a few kilobytes. Everything is written into a fresh directory beside OUT, synced, and
 * swapped in by one rename, so the portal never serves half a publication. An existing OUT is
 * replaced only if it is empty or a previous publication (it holds the marker): anything
 * else is refused, never overwritten.
 *
 * The board is as of now (MOTCUA_NOW fixes it), or with --date as of the end of that day.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "catalog.h"
#include "cli.h"
#include "cmd-publish.h"
#include "public.h"
#include "service.h"
#include "store.h"
#include "xmalloc.h"

#define CMD_PUBLISH_USAGE \
	"usage: motcuad publish --data DIR --out DIR [--catalog DIR] [--date YYYY-MM-DD]\n"
#define CMD_PUBLISH_MARKER	".motcua-publish"
#define CMD_PUBLISH_CSV		"cong-khai.csv"

/* The stylesheet of every page. */
#define CMD_PUBLISH_STYLE \
	"body{font-family:sans-serif;margin:1em auto;max-width:64em;padding:0 1em}" \
	"table{border-collapse:collapse;margin:.5em 0 1.5em}" \
	"caption{text-align:left;font-weight:bold;padding:.3em 0}" \
	"th,td{border:1px solid #aaa;padding:.25em .5em}td{text-align:right}" \
	"td:first-child{text-align:left}tfoot td{font-weight:bold}p.note{color:#444}"

/* The heads of the figures' columns, in the order cmd_publish_cells writes them. */
#define CMD_PUBLISH_HEADS \
	"<th>Tiếp nhận</th><th>Giải quyết đúng hạn</th><th>Giải quyết trễ hạn</th>" \
	"<th>Đang xử lý quá hạn</th><th>Trả lại để bổ sung</th><th>Tỷ lệ đúng hạn</th>"

/* What every file of one publication needs. */
struct cmd_publish {
	const struct catalog		*cat;
	const struct public_board	*board;
	const char			*dir;		/* where the files go */
	char				 as_of[32];	/* "HH:MM dd/mm/yyyy" */
	char				 month_from[32];
	char				 year_from[32];
	char				 month_label[32];	/* "Tháng 03/2015" */
	char				 year_label[32];	/* "Năm 2015" */
};

/* Print an error of the command on stderr and return -1. */
static int __attribute__((format(printf, 1, 2)))
cmd_publish_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("motcuad: publish: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Open a file of the publication for writing; NULL after an error message. */
static FILE *
cmd_publish_open(const struct cmd_publish *p, const char *name, char **path)
{
	FILE	*f;

	*path = xasprintf("%s/%s", p->dir, name);
	if ((f = fopen(*path, "w")) == NULL)
		cmd_publish_error("cannot create %s: %s", *path, strerror(errno));
	return f;
}

/* Flush, sync and close a file; -1 after an error message naming it. */
static int
cmd_publish_close(FILE *f, const char *path)
{
	int	failed;

	failed = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	if (fclose(f) != 0)
		failed = 1;
	if (failed) {
		cmd_publish_error("cannot write %s: %s", path, strerror(errno != 0 ? errno : EIO));
		return -1;
	}
	return 0;
}

/* Write text into HTML, escaped. */
static void
cmd_publish_html(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f); break;
		}
	}
}

/* The on-time rate as Vietnamese text ("96,5 %"), or "—" if nothing was resolved. */
static void
cmd_publish_rate(const struct public_figures *fig, bool comma, char *buf, size_t len)
{
	int	r = public_rate(fig);

	if (r < 0)
		snprintf(buf, len, "%s", comma ? "—" : "");
	else if (comma)
		snprintf(buf, len, "%d,%d %%", r / 10, r % 10);
	else
		snprintf(buf, len, "%d.%d", r / 10, r % 10);
}

/* Write the cells of one line of figures. */
static void
cmd_publish_cells(FILE *f, const struct public_figures *fig)
{
	char	rate[32];

	cmd_publish_rate(fig, true, rate, sizeof rate);
	fprintf(f, "<td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td>"
	    "<td>%s</td>", (long long)fig->received, (long long)fig->on_time,
	    (long long)fig->late, (long long)fig->overdue, (long long)fig->supplement, rate);
}

/* Write the top of a page up to its heading. */
static void
cmd_publish_head(FILE *f, const struct cmd_publish *p, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	    f);
	cmd_publish_html(f, title);
	fputs(" — ", f);
	cmd_publish_html(f, p->cat->province_name);
	fputs("</title>\n<style>" CMD_PUBLISH_STYLE "</style>\n</head>\n<body>\n<h1>", f);
	cmd_publish_html(f, title);
	fputs("</h1>\n<p>", f);
	cmd_publish_html(f, p->cat->province_name);
	fprintf(f, " — số liệu đến %s.</p>\n", p->as_of);
}

/* Write what the columns mean and the end of a page. */
static void
cmd_publish_foot(FILE *f, const char *link)
{
	fputs("<p class=\"note\">Tiếp nhận: hồ sơ mới tiếp nhận trong kỳ. Giải quyết đúng hạn, "
	    "trễ hạn: hồ sơ đã có kết quả trong kỳ, so với ngày hẹn trả. Đang xử lý quá hạn: hồ "
	    "sơ chưa có kết quả đã quá ngày hẹn trả. Trả lại để bổ sung: hồ sơ được yêu cầu bổ "
	    "sung giấy tờ trong kỳ. Tỷ lệ đúng hạn: trên số hồ sơ đã giải quyết.</p>\n", f);
	fprintf(f, "<p>%s</p>\n</body>\n</html>\n", link);
}

/* Write the province's table of one period: every unit and the total. */
static void
cmd_publish_table(FILE *f, const struct cmd_publish *p, bool year)
{
	const struct public_board	*b = p->board;
	char				*name, *c;
	size_t				 i;

	fprintf(f, "<table>\n<caption>%s (từ %s đến %s)</caption>\n", year ? p->year_label :
	    p->month_label, year ? p->year_from : p->month_from, p->as_of);
	fputs("<thead><tr><th>Đơn vị</th>" CMD_PUBLISH_HEADS "</tr></thead>\n<tbody>\n", f);
	for (i = 0; i < b->nrows; i++) {
		name = xasprintf("%s", b->rows[i].unit);
		for (c = name; *c != '\0'; c++) {
			if (*c >= 'A' && *c <= 'Z')
				*c = *c - 'A' + 'a';
		}
		fprintf(f, "<tr><td><a href=\"%s.html\">", name);
		free(name);
		cmd_publish_html(f, b->rows[i].unit_name);
		fputs("</a></td>", f);
		cmd_publish_cells(f, year ? &b->rows[i].year : &b->rows[i].month);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n<tfoot><tr><td>Toàn tỉnh</td>", f);
	cmd_publish_cells(f, year ? &b->year_total : &b->month_total);
	fputs("</tr></tfoot>\n</table>\n", f);
}

/* Write index.html: the province. */
static int
cmd_publish_index(const struct cmd_publish *p)
{
	FILE	*f;
	char	*path;
	int	 rc;

	if ((f = cmd_publish_open(p, "index.html", &path)) == NULL) {
		free(path);
		return -1;
	}
	cmd_publish_head(f, p, "Công khai kết quả giải quyết thủ tục hành chính");
	cmd_publish_table(f, p, false);
	cmd_publish_table(f, p, true);
	cmd_publish_foot(f, "<a href=\"" CMD_PUBLISH_CSV "\">Tải số liệu (CSV)</a>");
	rc = cmd_publish_close(f, path);
	free(path);
	return rc;
}

/* Write the page of one unit. */
static int
cmd_publish_unit(const struct cmd_publish *p, const struct public_board_row *row)
{
	FILE	*f;
	char	*name, *path, *c;
	int	 rc;

	name = xasprintf("%s.html", row->unit);
	for (c = name; *c != '\0'; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = *c - 'A' + 'a';
	}
	f = cmd_publish_open(p, name, &path);
	free(name);
	if (f == NULL) {
		free(path);
		return -1;
	}
	cmd_publish_head(f, p, row->unit_name);
	fputs("<table>\n<caption>Kết quả giải quyết thủ tục hành chính</caption>\n"
	    "<thead><tr><th>Kỳ</th>" CMD_PUBLISH_HEADS "</tr></thead>\n<tbody>\n", f);
	fprintf(f, "<tr><td>%s (từ %s)</td>", p->month_label, p->month_from);
	cmd_publish_cells(f, &row->month);
	fprintf(f, "</tr>\n<tr><td>%s (từ %s)</td>", p->year_label, p->year_from);
	cmd_publish_cells(f, &row->year);
	fputs("</tr>\n</tbody>\n</table>\n", f);
	cmd_publish_foot(f, "<a href=\"index.html\">Toàn tỉnh</a> · "
	    "<a href=\"" CMD_PUBLISH_CSV "\">Tải số liệu (CSV)</a>");
	rc = cmd_publish_close(f, path);
	free(path);
	return rc;
}

/* Write a text field of the CSV file, always quoted, quotes doubled. */
static void
cmd_publish_csv_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Write one line of the CSV file: who, which period, its figures. */
static void
cmd_publish_csv_line(FILE *f, const char *code, const char *name, const char *period,
    const char *from, const char *to, const struct public_figures *fig)
{
	char	rate[32];

	cmd_publish_csv_text(f, code);
	fputc(',', f);
	cmd_publish_csv_text(f, name);
	fputc(',', f);
	cmd_publish_csv_text(f, period);
	fputc(',', f);
	cmd_publish_csv_text(f, from);
	fputc(',', f);
	cmd_publish_csv_text(f, to);
	cmd_publish_rate(fig, false, rate, sizeof rate);
	fprintf(f, ",%lld,%lld,%lld,%lld,%lld,%s\r\n", (long long)fig->received,
	    (long long)fig->on_time, (long long)fig->late, (long long)fig->overdue,
	    (long long)fig->supplement, rate);
}

/* Write the CSV file: for every unit and the province, this month and this year. */
static int
cmd_publish_csv(const struct cmd_publish *p)
{
	const struct public_board	*b = p->board;
	const struct calendar		*cal = p->cat->calendar;
	FILE				*f;
	char				*path, month[16], year[16], mfrom[32], yfrom[32], to[32];
	size_t				 i;
	int				 rc;

	if ((f = cmd_publish_open(p, CMD_PUBLISH_CSV, &path)) == NULL) {
		free(path);
		return -1;
	}
	snprintf(month, sizeof month, "%04d-%02d", b->year, b->month);
	snprintf(year, sizeof year, "%04d", b->year);
	calendar_format_local(cal, b->month_from, mfrom, sizeof mfrom);
	calendar_format_local(cal, b->year_from, yfrom, sizeof yfrom);
	calendar_format_local(cal, b->as_of, to, sizeof to);
	fputs("\xef\xbb\xbf\"Mã đơn vị\",\"Đơn vị\",\"Kỳ\",\"Từ\",\"Đến\",\"Tiếp nhận\","
	    "\"Giải quyết đúng hạn\",\"Giải quyết trễ hạn\",\"Đang xử lý quá hạn\","
	    "\"Trả lại để bổ sung\",\"Tỷ lệ đúng hạn (%)\"\r\n", f);
	for (i = 0; i < b->nrows; i++) {
		cmd_publish_csv_line(f, b->rows[i].unit, b->rows[i].unit_name, month, mfrom, to,
		    &b->rows[i].month);
		cmd_publish_csv_line(f, b->rows[i].unit, b->rows[i].unit_name, year, yfrom, to,
		    &b->rows[i].year);
	}
	cmd_publish_csv_line(f, p->cat->province_code, p->cat->province_name, month, mfrom, to,
	    &b->month_total);
	cmd_publish_csv_line(f, p->cat->province_code, p->cat->province_name, year, yfrom, to,
	    &b->year_total);
	rc = cmd_publish_close(f, path);
	free(path);
	return rc;
}

/* Write every file of the publication into p->dir. */
static int
cmd_publish_write(struct cmd_publish *p)
{
	FILE	*f;
	char	*path;
	size_t	 i;
	int	 rc;

	if (cmd_publish_index(p) != 0 || cmd_publish_csv(p) != 0)
		return -1;
	for (i = 0; i < p->board->nrows; i++) {
		if (cmd_publish_unit(p, &p->board->rows[i]) != 0)
			return -1;
	}
	if ((f = cmd_publish_open(p, CMD_PUBLISH_MARKER, &path)) == NULL) {
		free(path);
		return -1;
	}
	fprintf(f, "written by motcuad publish; this directory is replaced as a whole\n");
	rc = cmd_publish_close(f, path);
	free(path);
	return rc;
}

/*
 * Decide whether out may be replaced: 1 if it does not exist, 0 if it is an empty directory
 * or a previous publication, -1 after an error message otherwise.
 */
static int
cmd_publish_check_out(const char *out)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	bool		 empty = true, marked = false;

	if (lstat(out, &sb) != 0) {
		if (errno == ENOENT)
			return 1;
		return cmd_publish_error("%s: %s", out, strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return cmd_publish_error("%s: exists and is not a directory", out);
	if ((d = opendir(out)) == NULL)
		return cmd_publish_error("%s: %s", out, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		empty = false;
		if (strcmp(de->d_name, CMD_PUBLISH_MARKER) == 0)
			marked = true;
	}
	closedir(d);
	if (!empty && !marked) {
		return cmd_publish_error("%s: is not empty and is not a publication of motcuad "
		    "publish (no " CMD_PUBLISH_MARKER "): refusing to replace it; choose a new or "
		    "empty directory", out);
	}
	return 0;
}

/* Put the finished publication tmp in place of out (replacing it if exists). */
static int
cmd_publish_swap(const char *tmp, const char *out, bool exists)
{
	char	*old, *cause = NULL;
	int	 rc = 0;

	if (!exists) {
		if (rename(tmp, out) != 0)
			return cmd_publish_error("cannot rename %s to %s: %s", tmp, out,
			    strerror(errno));
		return 0;
	}
	/* One atomic exchange; the old publication is then where the new one was written. */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) == 0)
		old = xstrdup(tmp);
	else if (errno == EINVAL || errno == ENOSYS) {
		/* A file system without exchange: move the old one aside first. */
		old = xasprintf("%s.old", tmp);
		if (rename(out, old) != 0) {
			rc = cmd_publish_error("cannot move %s aside: %s", out, strerror(errno));
			free(old);
			return rc;
		}
		if (rename(tmp, out) != 0) {
			rc = cmd_publish_error("cannot rename %s to %s: %s", tmp, out,
			    strerror(errno));
			if (rename(old, out) != 0)
				cmd_publish_error("cannot put %s back: %s", out, strerror(errno));
			free(old);
			return rc;
		}
	} else
		return cmd_publish_error("cannot replace %s: %s", out, strerror(errno));
	if (cli_remove_tree(old, &cause) != 0) {
		cmd_publish_error("the old publication is left in %s: %s", old, cause);
		free(cause);
	}
	free(old);
	return 0;
}

/* The instant of the board: now, or the end of --date's day if that is earlier. */
static int
cmd_publish_as_of(const struct catalog *cat, const char *date, int64_t *as_of)
{
	struct calendar_date	day;
	int64_t			now, start;

	now = service_clock(cat);
	*as_of = now;
	if (date == NULL)
		return 0;
	if (calendar_parse_date(date, &day) != 0)
		return cmd_publish_error("--date %s: expected a date YYYY-MM-DD", date);
	start = calendar_days_from_date(day) * 86400 - cat->utc_offset;
	if (start >= now)
		return cmd_publish_error("--date %s: is in the future", date);
	if (start + 86400 < now)
		*as_of = start + 86400;
	return 0;
}

/* motcuad publish: write the public board as static pages and CSV into OUT. */
int
cmd_publish_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_publish	 p;
	struct catalog		*cat = NULL;
	struct store		*st = NULL;
	struct public_board	*board = NULL;
	struct stat		 sb;
	const char		*data = NULL, *out_arg = NULL, *catalog_dir = NULL, *date = NULL;
	char			*own_catalog = NULL, *db_path = NULL, *out = NULL, *tmp = NULL;
	char			*cause = NULL, when[32];
	mode_t			 mask;
	size_t			 len;
	int64_t			 as_of;
	int			 opt, status = 1, fresh;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': data = optarg; break;
		case 'o': out_arg = optarg; break;
		case 'c': catalog_dir = optarg; break;
		case 't': date = optarg; break;
		case 'h': fputs(CMD_PUBLISH_USAGE, stdout); return 0;
		default: fputs(CMD_PUBLISH_USAGE, stderr); return 2;
		}
	}
	if (optind != argc || data == NULL || out_arg == NULL || *out_arg == '\0') {
		fputs(CMD_PUBLISH_USAGE, stderr);
		return 2;
	}
	out = xstrdup(out_arg);
	for (len = strlen(out); len > 1 && out[len - 1] == '/'; len--)
		out[len - 1] = '\0';

	db_path = xasprintf("%s/motcua.db", data);
	/* Opening would create an empty store: a wrong --data must not publish zeros. */
	if (stat(db_path, &sb) != 0) {
		cmd_publish_error("%s: %s (is --data the server's data directory?)", db_path,
		    strerror(errno));
		goto out;
	}
	if (catalog_dir == NULL)
		catalog_dir = own_catalog = cli_catalog_dir(data);
	if ((cat = cli_load_catalog(catalog_dir)) == NULL)
		goto out;
	if (cmd_publish_as_of(cat, date, &as_of) != 0)
		goto out;
	if ((st = store_open(db_path, &cause)) == NULL) {
		cmd_publish_error("%s: %s", db_path, cause);
		goto out;
	}
	if (public_board_build(st, cat, as_of, &board, &cause) != 0) {
		cmd_publish_error("%s: %s", db_path, cause);
		goto out;
	}
	if ((fresh = cmd_publish_check_out(out)) < 0)
		goto out;

	tmp = xasprintf("%s.tmp-XXXXXX", out);
	if (mkdtemp(tmp) == NULL) {
		cmd_publish_error("cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* The portal's web server reads it: the directory as the umask allows, not 0700. */
	mask = umask(0);
	umask(mask);
	chmod(tmp, 0777 & ~mask);

	memset(&p, 0, sizeof p);
	p.cat = cat;
	p.board = board;
	p.dir = tmp;
	calendar_format_receipt(cat->calendar, as_of, p.as_of, sizeof p.as_of);
	calendar_format_receipt(cat->calendar, board->month_from, when, sizeof when);
	snprintf(p.month_from, sizeof p.month_from, "%s", when + 6);
	calendar_format_receipt(cat->calendar, board->year_from, when, sizeof when);
	snprintf(p.year_from, sizeof p.year_from, "%s", when + 6);
	snprintf(p.month_label, sizeof p.month_label, "Tháng %02d/%d", board->month,
	    board->year);
	snprintf(p.year_label, sizeof p.year_label, "Năm %d", board->year);
	if (cmd_publish_write(&p) != 0)
		goto out;
	if (cmd_publish_swap(tmp, out, fresh == 0) != 0)
		goto out;
	free(tmp);
	tmp = NULL;
	printf("motcuad: publish: %s: the board of %zu units as of %s (index.html, %zu unit "
	    "pages, " CMD_PUBLISH_CSV ")\n", out, board->nrows, p.as_of, board->nrows);
	status = 0;
out:
	if (tmp != NULL && cli_remove_tree(tmp, &cause) != 0) {
		cmd_publish_error("cannot remove %s: %s", tmp, cause);
		free(cause);
		cause = NULL;
	}
	free(tmp);
	public_board_free(board);
	store_close(st);
	catalog_free(cat);
	free(own_catalog);
	free(db_path);
	free(out);
	free(cause);
	return status;
}

/* slip.c: the printed forms of a dossier (Mẫu 01 to 05) as plain text, 72 columns wide. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "slip.h"
#include "text.h"
#include "xmalloc.h"

#define SLIP_HALF	36	/* columns of each side of a signature block */

/* A growing text. */
struct slip_buf {
	char	*s;
	size_t	 len;
	size_t	 size;
};

/* Lines of wrapped text. */
struct slip_lines {
	char	**line;
	size_t	  n;
};

/* Append n bytes to a buffer. */
static void
slip_add(struct slip_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->size) {
		b->size = (b->len + n + 1) * 2 + 256;
		b->s = xreallocarray(b->s, b->size, 1);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append a string to a buffer. */
static void
slip_puts(struct slip_buf *b, const char *s)
{
	slip_add(b, s, strlen(s));
}

/* Append n spaces to a buffer. */
static void
slip_spaces(struct slip_buf *b, int n)
{
	while (n-- > 0)
		slip_add(b, " ", 1);
}

/* End a line: drop trailing spaces and add the newline. */
static void
slip_eol(struct slip_buf *b)
{
	while (b->len > 0 && b->s[b->len - 1] == ' ')
		b->len--;
	slip_add(b, "\n", 1);
}

/* Add a line to a list of lines. */
static void
slip_lines_add(struct slip_lines *l, const char *s, size_t n)
{
	l->line = xreallocarray(l->line, l->n + 1, sizeof *l->line);
	l->line[l->n++] = xstrndup(s, n);
}

/* Free a list of lines. */
static void
slip_lines_free(struct slip_lines *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	l->line = NULL;
	l->n = 0;
}

/*
 * Wrap text (sanitised first) into lines of at most first columns for the first line and
 * rest columns for the others, on word boundaries; a word wider than a line fills lines and
 * is cut between characters. Empty text gives one empty line.
 */
static void
slip_wrap2(const char *text, int first, int rest, struct slip_lines *out)
{
	struct slip_buf	 cur = { NULL, 0, 0 };
	char		*safe, *p, *word;
	int		 cols = 0, w, width;
	size_t		 fit, wlen;

	memset(out, 0, sizeof *out);
	safe = text_sanitise(text == NULL ? "" : text);
	slip_add(&cur, "", 0);
	p = safe;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		wlen = strcspn(p, " ");
		word = xstrndup(p, wlen);
		p += wlen;
		w = text_width(word);
		width = out->n == 0 ? first : rest;
		if (cols > 0 && cols + 1 + w > width && w <= rest) {
			slip_lines_add(out, cur.s, cur.len);
			cur.len = 0;
			cols = 0;
			width = rest;
		}
		/* A word too wide for any line fills lines, cut between characters. */
		while (cols + (cols > 0) + w > width) {
			if (cols > 0 && cols + 1 < width) {
				slip_add(&cur, " ", 1);
				cols++;
			}
			fit = text_fit(word, width - cols);
			if (fit == 0 && cols == 0)
				fit = 1;
			slip_add(&cur, word, fit);
			slip_lines_add(out, cur.s, cur.len);
			cur.len = 0;
			cols = 0;
			width = rest;
			memmove(word, word + fit, strlen(word + fit) + 1);
			w = text_width(word);
		}
		if (*word != '\0') {
			if (cols > 0) {
				slip_add(&cur, " ", 1);
				cols++;
			}
			slip_add(&cur, word, strlen(word));
			cols += w;
		}
		free(word);
	}
	if (cur.len > 0 || out->n == 0)
		slip_lines_add(out, cur.s, cur.len);
	free(cur.s);
	free(safe);
}

/* Wrap text into lines of at most width columns (see slip_wrap2). */
static void
slip_wrap(const char *text, int width, struct slip_lines *out)
{
	slip_wrap2(text, width, width, out);
}

/* Add text wrapped to the page, the first line at indent, the others at hang. */
static void
slip_para(struct slip_buf *b, int indent, int hang, const char *text)
{
	struct slip_lines	l;
	size_t			i;

	slip_wrap2(text, SLIP_WIDTH - indent, SLIP_WIDTH - hang, &l);
	for (i = 0; i < l.n; i++) {
		slip_spaces(b, i == 0 ? indent : hang);
		slip_puts(b, l.line[i]);
		slip_eol(b);
	}
	slip_lines_free(&l);
}

/* Add "label: value", wrapped with a hanging indent. */
static void
slip_field(struct slip_buf *b, const char *label, const char *value)
{
	char	*s;

	s = xasprintf("%s: %s", label, value == NULL ? "" : value);
	slip_para(b, 0, 4, s);
	free(s);
}

/* Add text centred on the page, wrapped if needed. */
static void
slip_center(struct slip_buf *b, const char *text)
{
	struct slip_lines	l;
	size_t			i;

	slip_wrap(text, SLIP_WIDTH, &l);
	for (i = 0; i < l.n; i++) {
		slip_spaces(b, (SLIP_WIDTH - text_width(l.line[i])) / 2);
		slip_puts(b, l.line[i]);
		slip_eol(b);
	}
	slip_lines_free(&l);
}

/* Add text aligned to the right margin. */
static void
slip_right(struct slip_buf *b, const char *text)
{
	struct slip_lines	l;
	size_t			i;

	slip_wrap(text, SLIP_WIDTH, &l);
	for (i = 0; i < l.n; i++) {
		slip_spaces(b, SLIP_WIDTH - text_width(l.line[i]));
		slip_puts(b, l.line[i]);
		slip_eol(b);
	}
	slip_lines_free(&l);
}

/* Add a rule of dashes across the page. */
static void
slip_rule(struct slip_buf *b)
{
	int	i;

	for (i = 0; i < SLIP_WIDTH; i++)
		slip_add(b, "-", 1);
	slip_eol(b);
}

/* Add one row of a table: each cell wrapped to its column, columns one space apart. */
static void
slip_row(struct slip_buf *b, const int *widths, size_t ncols, const char *const *cells)
{
	struct slip_lines	*l;
	size_t			 i, j, height = 0;

	l = xcalloc(ncols, sizeof *l);
	for (i = 0; i < ncols; i++) {
		slip_wrap(cells[i], widths[i], &l[i]);
		if (l[i].n > height)
			height = l[i].n;
	}
	for (j = 0; j < height; j++) {
		for (i = 0; i < ncols; i++) {
			if (i > 0)
				slip_spaces(b, 1);
			if (j < l[i].n) {
				slip_puts(b, l[i].line[j]);
				slip_spaces(b, widths[i] - text_width(l[i].line[j]));
			} else
				slip_spaces(b, widths[i]);
		}
		slip_eol(b);
	}
	for (i = 0; i < ncols; i++)
		slip_lines_free(&l[i]);
	free(l);
}

/* Add two blocks side by side, each centred in half the page (signatures). */
static void
slip_sides(struct slip_buf *b, const char *const *left, const char *const *right, size_t n)
{
	struct slip_lines	 l, r;
	size_t			 i, j, height;
	int			 w;

	for (i = 0; i < n; i++) {
		slip_wrap(left[i], SLIP_HALF - 2, &l);
		slip_wrap(right[i], SLIP_HALF - 2, &r);
		height = l.n > r.n ? l.n : r.n;
		for (j = 0; j < height; j++) {
			w = 0;
			if (j < l.n) {
				w = (SLIP_HALF - text_width(l.line[j])) / 2;
				slip_spaces(b, w);
				slip_puts(b, l.line[j]);
				w += text_width(l.line[j]);
			}
			if (j < r.n) {
				slip_spaces(b, SLIP_HALF - w +
				    (SLIP_HALF - text_width(r.line[j])) / 2);
				slip_puts(b, r.line[j]);
			}
			slip_eol(b);
		}
		slip_lines_free(&l);
		slip_lines_free(&r);
	}
}

/*
 * The applicant's signature block beside the officer's: titles, "(Ký và ghi rõ họ tên)", room
 * to sign, then the names.
 */
static void
slip_signatures(struct slip_buf *b, const char *applicant, const char *officer_title,
    const char *officer)
{
	const char	*left[3], *right[3];

	left[0] = "NGƯỜI NỘP HỒ SƠ";
	right[0] = officer_title;
	left[1] = right[1] = "(Ký và ghi rõ họ tên)";
	left[2] = applicant != NULL ? applicant : "";
	right[2] = officer != NULL ? officer : "";
	slip_sides(b, left, right, 2);
	slip_eol(b);
	slip_eol(b);
	slip_eol(b);
	slip_sides(b, left + 2, right + 2, 1);
}

/* Upper-case a string (Vietnamese letters included); the caller frees it. */
static char *
slip_upper(const char *s)
{
	uint8_t	*u;
	size_t	 len = 0;
	char	*out;

	u = u8_toupper((const uint8_t *)s, strlen(s), "vi", NULL, NULL, &len);
	if (u == NULL)
		return xstrdup(s);
	out = xstrndup((const char *)u, len);
	free(u);
	return out;
}

/* An instant as "HH:MM dd/mm/yyyy", or a dash for none. */
static void
slip_time(const struct catalog *cat, int64_t t, char *buf, size_t len)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		calendar_format_receipt(cat->calendar, t, buf, len);
}

/* The name of a department of a unit, or its code if the catalog does not know it. */
static const char *
slip_department(const struct catalog *cat, const char *unit, const char *dept)
{
	const struct catalog_unit	*u;
	const struct catalog_department	*d;

	if (dept == NULL)
		return "";
	if ((u = catalog_unit(cat, unit)) != NULL && (d = catalog_department(u, dept)) != NULL)
		return d->name;
	return dept;
}

/* The name of a unit, or its code. */
static const char *
slip_unit_name(const struct catalog *cat, const char *unit)
{
	const struct catalog_unit	*u;

	if (unit != NULL && (u = catalog_unit(cat, unit)) != NULL)
		return u->name;
	return unit == NULL ? "" : unit;
}

/* The department where a dossier's result is collected: its last step's (the one-stop). */
static const char *
slip_collect_department(const struct catalog *cat, const struct dossier *d)
{
	if (d->nsteps > 0)
		return slip_department(cat, d->unit, d->steps[d->nsteps - 1].dept);
	return slip_department(cat, d->unit, "mot-cua");
}

/* The national motto, the issuing unit and body, the form's number, title and code. */
static void
slip_header(struct slip_buf *b, const struct catalog *cat, const char *unit,
    const char *body, const char *form, const char *title, const char *code)
{
	char	*s, *up;

	slip_right(b, form);
	slip_center(b, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	slip_center(b, "Độc lập - Tự do - Hạnh phúc");
	slip_center(b, "---------------------------");
	s = xasprintf("UBND %s", slip_unit_name(cat, unit));
	up = slip_upper(s);
	slip_center(b, up);
	free(up);
	free(s);
	if (body != NULL) {
		up = slip_upper(body);
		slip_center(b, up);
		free(up);
	}
	slip_eol(b);
	slip_center(b, title);
	if (code != NULL) {
		s = xasprintf("Mã hồ sơ: %s", code);
		slip_center(b, s);
		free(s);
	}
	slip_eol(b);
}

/* A number of hundredths of a day as Vietnamese text: "5", "1,5", "0,25". */
static void
slip_days(int centidays, char *buf, size_t len)
{
	if (centidays % 100 == 0)
		snprintf(buf, len, "%d", centidays / 100);
	else if (centidays % 10 == 0)
		snprintf(buf, len, "%d,%d", centidays / 100, (centidays % 100) / 10);
	else
		snprintf(buf, len, "%d,%02d", centidays / 100, centidays % 100);
}

/* The legal processing time of a dossier, from its procedure version. */
static char *
slip_legal_time(const struct catalog *cat, const struct dossier *d)
{
	const struct catalog_procedure	*p;
	const struct catalog_variant	*v;
	int				 centidays = 0;
	bool				 same_day = false, none = false;
	size_t				 i;
	char				 days[32];

	p = catalog_procedure(cat, d->procedure_code);
	if (p != NULL && d->procedure_hash != NULL && strcmp(p->version, d->procedure_hash) == 0 &&
	    d->variant >= 0 && (size_t)d->variant < p->nvariants) {
		v = &p->variants[d->variant];
		centidays = v->duration.centidays;
		same_day = v->duration.same_day;
		none = p->no_deadline;
	} else {
		/* The catalog has moved on: the stored steps of the version tell the time. */
		for (i = 0; i < d->nsteps; i++)
			centidays += d->steps[i].centidays;
		none = d->due_at == 0;
		same_day = !none && centidays == 0;
	}
	if (none)
		return xstrdup("Không quy định thời hạn");
	if (same_day)
		return xasprintf("Trong ngày (nhận sau %02d:%02d trả trong ngày làm việc tiếp "
		    "theo)", cat->same_day_cutoff / 60, cat->same_day_cutoff % 60);
	slip_days(centidays, days, sizeof days);
	return xasprintf("%s ngày làm việc", days);
}

/* The applicant's lines: name, ID number, address, phone, and the owner if different. */
static void
slip_applicant(struct slip_buf *b, const struct dossier *d)
{
	char	*s;

	slip_field(b, "Tiếp nhận hồ sơ của", d->applicant_name);
	slip_field(b, "Số CMND/CCCD", d->applicant_id);
	if (d->applicant_commune != NULL && *d->applicant_commune != '\0' &&
	    d->applicant_address != NULL && *d->applicant_address != '\0') {
		s = xasprintf("%s, %s", d->applicant_address, d->applicant_commune);
		slip_field(b, "Địa chỉ", s);
		free(s);
	} else if (d->applicant_address != NULL && *d->applicant_address != '\0')
		slip_field(b, "Địa chỉ", d->applicant_address);
	else
		slip_field(b, "Địa chỉ", d->applicant_commune);
	slip_field(b, "Số điện thoại", d->applicant_phone);
	if (d->owner_name != NULL) {
		slip_field(b, "Chủ hồ sơ", d->owner_name);
		if (d->owner_id != NULL)
			slip_field(b, "Số CMND/CCCD của chủ hồ sơ", d->owner_id);
		if (d->owner_address != NULL && *d->owner_address != '\0')
			slip_field(b, "Địa chỉ của chủ hồ sơ", d->owner_address);
	}
}

/* What the applicant asks for: their request, or else the procedure's name. */
static void
slip_request(struct slip_buf *b, const struct dossier *d)
{
	char	*s;

	if (d->request != NULL && *d->request != '\0')
		slip_field(b, "Nội dung yêu cầu giải quyết", d->request);
	s = xasprintf("%s - %s", d->procedure_code,
	    d->procedure_name != NULL ? d->procedure_name : "");
	slip_field(b, "Thủ tục hành chính", s);
	free(s);
}

/* Mẫu 01: the receipt and appointment. */
char *
slip_receipt(const struct catalog *cat, const struct dossier *d)
{
	static const int	 widths[] = { 3, 49, 9, 8 };
	struct slip_buf		 b = { NULL, 0, 0 };
	const char		*cells[4];
	char			 when[32], num[32], o[16], c[16], *s;
	size_t			 i;

	slip_header(&b, cat, d->unit, slip_department(cat, d->unit, d->steps == NULL ?
	    "mot-cua" : d->steps[0].dept), "Mẫu số 01",
	    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", d->code);
	slip_field(&b, "Bộ phận tiếp nhận và trả kết quả", slip_department(cat, d->unit,
	    d->nsteps > 0 ? d->steps[0].dept : "mot-cua"));
	slip_applicant(&b, d);
	slip_request(&b, d);
	slip_eol(&b);

	slip_puts(&b, "Thành phần hồ sơ nộp gồm:");
	slip_eol(&b);
	slip_rule(&b);
	cells[0] = "TT";
	cells[1] = "Tên giấy tờ";
	cells[2] = "Bản chính";
	cells[3] = "Bản sao";
	slip_row(&b, widths, 4, cells);
	slip_rule(&b);
	for (i = 0; i < d->ndocuments; i++) {
		snprintf(num, sizeof num, "%zu", i + 1);
		snprintf(o, sizeof o, "%d", d->documents[i].originals);
		snprintf(c, sizeof c, "%d", d->documents[i].copies);
		cells[0] = num;
		cells[1] = d->documents[i].name;
		cells[2] = o;
		cells[3] = c;
		slip_row(&b, widths, 4, cells);
	}
	if (d->ndocuments == 0) {
		slip_puts(&b, "(không có giấy tờ)");
		slip_eol(&b);
	}
	slip_rule(&b);

	s = xasprintf("%02d bộ", d->sets);
	slip_field(&b, "Số lượng hồ sơ", s);
	free(s);
	s = slip_legal_time(cat, d);
	slip_field(&b, "Thời gian giải quyết theo quy định", s);
	free(s);
	slip_time(cat, d->received_at, when, sizeof when);
	slip_field(&b, "Thời gian nhận hồ sơ", when);
	if (d->due_at != 0)
		slip_time(cat, d->due_at, when, sizeof when);
	else
		snprintf(when, sizeof when, "khi có kết quả");
	slip_field(&b, "Ngày hẹn trả kết quả", when);
	slip_field(&b, "Nơi nhận kết quả", slip_collect_department(cat, d));
	slip_field(&b, "Mã tra cứu hồ sơ", d->code);
	slip_eol(&b);

	slip_signatures(&b, d->applicant_name, "NGƯỜI TIẾP NHẬN HỒ SƠ", d->received_by_name);
	return b.s;
}

/* Mẫu 02: what is missing, one item per line (items are separated by newlines or ';'). */
char *
slip_guidance(const struct catalog *cat, const char *unit, const char *officer_name,
    const struct catalog_procedure *p, const char *applicant_name, const char *missing,
    int64_t at)
{
	struct slip_buf	 b = { NULL, 0, 0 };
	const char	*q, *end;
	char		 when[32], *item, *clean, *s;
	size_t		 len;

	slip_header(&b, cat, unit, slip_department(cat, unit, p != NULL &&
	    p->nvariants > 0 && p->variants[0].nsteps > 0 ? p->variants[0].steps[0].dept :
	    "mot-cua"), "Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", NULL);
	slip_field(&b, "Tiếp nhận hồ sơ của", applicant_name);
	if (p != NULL) {
		s = xasprintf("%s - %s", p->code, p->name);
		slip_field(&b, "Nội dung yêu cầu giải quyết", s);
		free(s);
	}
	slip_puts(&b, "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:");
	slip_eol(&b);
	q = missing == NULL ? "" : missing;
	while (*q != '\0') {
		end = q + strcspn(q, "\n;");
		len = (size_t)(end - q);
		item = xstrndup(q, len);
		clean = text_clean(item);
		if (*clean != '\0') {
			s = xasprintf("- %s", clean);
			slip_para(&b, 0, 2, s);
			free(s);
		}
		free(clean);
		free(item);
		q = *end == '\0' ? end : end + 1;
	}
	slip_para(&b, 0, 0, "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên "
	    "hệ người hướng dẫn dưới đây để được giải đáp.");
	slip_time(cat, at, when, sizeof when);
	slip_field(&b, "Thời gian hướng dẫn", when);
	slip_eol(&b);

	slip_signatures(&b, applicant_name, "NGƯỜI HƯỚNG DẪN", officer_name);
	return b.s;
}

/* Mẫu 03: the refusal, with the reason. */
char *
slip_refusal(const struct catalog *cat, const struct dossier *d, const char *reason)
{
	struct slip_buf	 b = { NULL, 0, 0 };
	const char	*body;
	char		 when[32], *s;
	bool		 intake;

	intake = d->closed_at != 0 && d->closed_at == d->received_at;
	body = slip_department(cat, d->unit, intake || d->nsteps == 0 ? (d->nsteps > 0 ?
	    d->steps[0].dept : "mot-cua") : d->department);
	slip_header(&b, cat, d->unit, body, "Mẫu số 03",
	    "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", d->code);
	slip_applicant(&b, d);
	slip_request(&b, d);
	slip_eol(&b);
	s = xasprintf("Qua xem xét, %s thông báo không tiếp nhận, giải quyết hồ sơ này với lý "
	    "do cụ thể như sau:", body);
	slip_para(&b, 0, 0, s);
	free(s);
	slip_para(&b, 4, 4, reason == NULL || *reason == '\0' ? "(không ghi lý do)" : reason);
	slip_para(&b, 0, 0, "Xin thông báo để ông/bà được biết và thực hiện./.");
	slip_time(cat, d->closed_at != 0 ? d->closed_at : d->received_at, when, sizeof when);
	slip_field(&b, "Thời gian", when);
	slip_eol(&b);

	slip_signatures(&b, d->applicant_name,
	    intake ? "NGƯỜI TIẾP NHẬN HỒ SƠ" : "NGƯỜI LẬP PHIẾU",
	    intake ? d->received_by_name : NULL);
	return b.s;
}

/* Mẫu 04: the apology and the one new appointment, from the department that is late. */
char *
slip_apology(const struct catalog *cat, const struct dossier *d, const char *reason)
{
	struct slip_buf	 b = { NULL, 0, 0 };
	const char	*left[2], *right[2], *late, *counter;
	char		 when[32], *s;

	late = slip_department(cat, d->unit, d->department);
	counter = slip_department(cat, d->unit, d->nsteps > 0 ? d->steps[0].dept : "mot-cua");
	slip_header(&b, cat, d->unit, late, "Mẫu số 04",
	    "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", d->code);
	s = xasprintf("Kính gửi: Ông/Bà %s", d->applicant_name);
	slip_para(&b, 0, 4, s);
	free(s);
	slip_time(cat, d->received_at, when, sizeof when);
	s = xasprintf("Lúc %s, %s tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính của "
	    "ông/bà:", when, counter);
	slip_para(&b, 0, 0, s);
	free(s);
	slip_request(&b, d);
	slip_time(cat, d->due_at, when, sizeof when);
	slip_field(&b, "Thời gian hẹn trả kết quả giải quyết hồ sơ", when);
	s = xasprintf("Tuy nhiên đến nay, %s chưa trả kết quả giải quyết hồ sơ của ông/bà.",
	    late);
	slip_para(&b, 0, 0, s);
	free(s);
	slip_field(&b, "Lý do", reason == NULL || *reason == '\0' ? "(không ghi lý do)" :
	    reason);
	s = xasprintf("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của ông/bà. %s "
	    "xin lỗi ông/bà và hẹn trả kết quả giải quyết hồ sơ cho ông/bà vào:", late);
	slip_para(&b, 0, 0, s);
	free(s);
	if (d->appointment_at != 0)
		slip_time(cat, d->appointment_at, when, sizeof when);
	else
		snprintf(when, sizeof when, "(chưa hẹn)");
	slip_field(&b, "Ngày hẹn trả kết quả mới", when);
	slip_para(&b, 0, 0, "Xin trân trọng cảm ơn./.");
	slip_eol(&b);

	left[0] = "";
	right[0] = "THỦ TRƯỞNG CƠ QUAN";
	left[1] = "";
	right[1] = "(Ký, ghi rõ họ tên và đóng dấu)";
	slip_sides(&b, left, right, 2);
	return b.s;
}

/* The Vietnamese label of a step's punctuality. */
static const char *
slip_punctuality(const struct catalog *cat, int64_t done, int64_t due)
{
	if (due == 0)
		return "-";
	switch (calendar_punctuality(cat->calendar, done, due)) {
	case CALENDAR_EARLY:
		return "Trước hạn";
	case CALENDAR_ON_TIME:
		return "Đúng hạn";
	case CALENDAR_LATE:
		return "Quá hạn";
	}
	return "-";
}

/* Return true if an event passes the dossier from one holder to the next. */
static bool
slip_is_handover(enum dossier_action a)
{
	return a == ACTION_RECEIVE || a == ACTION_HANDOVER || a == ACTION_RESOLVE ||
	    a == ACTION_RETURN;
}

/* Mẫu 05: the control slip, one row per hand-over, then the other events as notes. */
char *
slip_control(const struct catalog *cat, const struct dossier *d,
    const struct dossier_event *ev, size_t nev)
{
	static const int	 widths[] = { 4, 17, 17, 10, 10, 9 };
	struct slip_buf		 b = { NULL, 0, 0 };
	const struct dossier_event *e, *next;
	const char		*cells[6];
	char			 step[16], when[32], due[32], *giver, *taker, *s;
	const char		*from_dept, *handler;
	int64_t			 prev_due;
	size_t			 i, j;
	bool			 notes = false;

	slip_header(&b, cat, d->unit, slip_department(cat, d->unit, d->nsteps > 0 ?
	    d->steps[0].dept : "mot-cua"), "Mẫu số 05",
	    "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", d->code);
	slip_field(&b, "Người nộp hồ sơ", d->applicant_name);
	slip_request(&b, d);
	slip_time(cat, d->received_at, when, sizeof when);
	slip_field(&b, "Thời gian nhận hồ sơ", when);
	slip_time(cat, d->due_at, when, sizeof when);
	slip_field(&b, "Ngày hẹn trả kết quả", when);
	if (d->appointment_at != 0) {
		slip_time(cat, d->appointment_at, when, sizeof when);
		slip_field(&b, "Ngày hẹn lại (sau phiếu xin lỗi)", when);
	}
	slip_field(&b, "Trạng thái", dossier_state_label(d->state));
	slip_eol(&b);

	slip_rule(&b);
	cells[0] = "Bước";
	cells[1] = "Bên giao";
	cells[2] = "Bên nhận";
	cells[3] = "Thời điểm";
	cells[4] = "Hạn bước";
	cells[5] = "Kết quả";
	slip_row(&b, widths, 6, cells);
	slip_rule(&b);
	for (i = 0; i < nev; i++) {
		e = &ev[i];
		if (!slip_is_handover(e->action)) {
			notes = true;
			continue;
		}
		/* Who handled the step the dossier now enters: who passed it on from it. */
		handler = NULL;
		for (j = i + 1; j < nev; j++) {
			next = &ev[j];
			if (next->action == ACTION_HANDOVER || next->action == ACTION_RESOLVE ||
			    next->action == ACTION_RETURN) {
				handler = next->actor_name;
				break;
			}
		}
		prev_due = i > 0 ? ev[i - 1].step_due_at : 0;
		from_dept = i > 0 ? slip_department(cat, d->unit, ev[i - 1].department) : "";
		if (e->action == ACTION_RECEIVE) {
			snprintf(step, sizeof step, "%d", e->step + 1);
			giver = xasprintf("%s (người nộp)", d->applicant_name);
			taker = xasprintf("%s, %s", e->actor_name == NULL ? "" : e->actor_name,
			    slip_department(cat, d->unit, e->department));
			prev_due = 0;
		} else if (e->action == ACTION_RETURN) {
			snprintf(step, sizeof step, "%d", e->step + 1);
			giver = xasprintf("%s, %s", e->actor_name == NULL ? "" : e->actor_name,
			    from_dept);
			taker = xasprintf("%s (người nộp)", d->applicant_name);
		} else {
			snprintf(step, sizeof step, "%d", i > 0 ? ev[i - 1].step + 1 : 1);
			giver = xasprintf("%s, %s", e->actor_name == NULL ? "" : e->actor_name,
			    from_dept);
			if (handler != NULL)
				taker = xasprintf("%s, %s", slip_department(cat, d->unit,
				    e->department), handler);
			else
				taker = xstrdup(slip_department(cat, d->unit, e->department));
		}
		slip_time(cat, e->at, when, sizeof when);
		slip_time(cat, prev_due, due, sizeof due);
		cells[0] = step;
		cells[1] = giver;
		cells[2] = taker;
		cells[3] = when;
		cells[4] = due;
		cells[5] = slip_punctuality(cat, e->at, prev_due);
		slip_row(&b, widths, 6, cells);
		free(giver);
		free(taker);
	}
	slip_rule(&b);

	if (notes) {
		slip_puts(&b, "Ghi chú:");
		slip_eol(&b);
		for (i = 0; i < nev; i++) {
			e = &ev[i];
			if (slip_is_handover(e->action))
				continue;
			slip_time(cat, e->at, when, sizeof when);
			if (e->note != NULL)
				s = xasprintf("- %s: %s (%s): %s", when,
				    dossier_transition(e->action)->label,
				    e->actor_name == NULL ? "" : e->actor_name, e->note);
			else
				s = xasprintf("- %s: %s (%s)", when,
				    dossier_transition(e->action)->label,
				    e->actor_name == NULL ? "" : e->actor_name);
			slip_para(&b, 0, 2, s);
			free(s);
		}
	}
	return b.s;
}

/* check_slip.c: tests of the printed forms (Mẫu 01 to 05): content, width and sanitising. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "slip.h"
#include "text.h"
#include "xmalloc.h"

static struct catalog	*cat;

/* Load the bundled catalog once for the suite. */
static void
setup(void)
{
	struct catalog_problems	pr;

	memset(&pr, 0, sizeof pr);
	cat = catalog_load(TEST_CATALOG, &pr);
	ck_assert_ptr_nonnull(cat);
	catalog_problems_free(&pr);
}

/* Free the catalog. */
static void
teardown(void)
{
	catalog_free(cat);
	cat = NULL;
}

/* A local time of the catalog's calendar. */
static int64_t
at(const char *local)
{
	int64_t	 t;
	char	*cause = NULL;

	ck_assert_int_eq(calendar_parse_local(cat->calendar, local, &t, &cause), 0);
	return t;
}

/* A dossier of procedure 2.000522 (5 days) received Fri 13 Feb 2015 10:00, as stored. */
static struct dossier *
make_dossier(const char *applicant)
{
	const struct catalog_procedure	*p;
	const struct catalog_variant	*v;
	struct dossier			*d;
	char				*cause = NULL;
	size_t				 i;

	p = catalog_procedure(cat, "2.000522");
	ck_assert_ptr_nonnull(p);
	v = &p->variants[0];
	d = xcalloc(1, sizeof *d);
	d->code = xstrdup("TPSL-150213-0001");
	d->procedure_code = xstrdup(p->code);
	d->procedure_hash = xstrdup(p->version);
	d->procedure_name = xstrdup(p->name);
	d->unit = xstrdup("TPSL");
	d->field = xstrdup(p->field);
	d->applicant_name = xstrdup(applicant);
	d->applicant_id = xstrdup("014085001234");
	d->applicant_phone = xstrdup("0912345678");
	d->applicant_address = xstrdup("Tổ 3");
	d->applicant_commune = xstrdup("Phường Chiềng Lề");
	d->owner_name = xstrdup("Lò Thị Hoa");
	d->owner_id = xstrdup("014185004321");
	d->owner_address = xstrdup("Bản Hẹo, xã Chiềng Ngần");
	d->request = xstrdup("Đăng ký lại khai sinh cho con");
	d->sets = 2;
	d->state = STATE_PROCESSING;
	d->step = 1;
	d->department = xstrdup("tu-phap");
	d->received_by_name = xstrdup("Cầm Thị Ngọc");
	d->received_at = at("2015-02-13 10:00");
	ck_assert_int_eq(calendar_due(cat->calendar, d->received_at, v->duration.centidays,
	    false, &d->due_at, &cause), 0);
	d->nsteps = v->nsteps;
	d->steps = xcalloc(d->nsteps, sizeof *d->steps);
	for (i = 0; i < v->nsteps; i++) {
		d->steps[i].dept = xstrdup(v->steps[i].dept);
		d->steps[i].name = xstrdup(v->steps[i].name);
		d->steps[i].centidays = v->steps[i].centidays;
	}
	d->ndocuments = 2;
	d->documents = xcalloc(2, sizeof *d->documents);
	d->documents[0].name = xstrdup("Tờ khai đăng ký lại khai sinh theo mẫu");
	d->documents[0].originals = 1;
	d->documents[0].copies = 2;
	d->documents[1].name = xstrdup("Bản sao giấy tờ tùy thân của người đi đăng ký, "
	    "Giấy xác nhận nơi cư trú và các giấy tờ liên quan khác chứng minh nội dung "
	    "khai sinh");
	d->documents[1].originals = 0;
	d->documents[1].copies = 3;
	return d;
}

/* Return true if text has a line exactly equal to line. */
static bool
has_line(const char *text, const char *line)
{
	const char	*p = text, *end;
	size_t		 n = strlen(line);

	while (*p != '\0') {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) == n && strncmp(p, line, n) == 0)
			return true;
		p = *end == '\0' ? end : end + 1;
	}
	return false;
}

/* The first line of text that starts with prefix (a copy), or NULL. */
static char *
line_starting(const char *text, const char *prefix)
{
	const char	*p = text, *end;

	while (*p != '\0') {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return xstrndup(p, (size_t)(end - p));
		p = *end == '\0' ? end : end + 1;
	}
	return NULL;
}

/* How many lines of text contain needle. */
static int
lines_with(const char *text, const char *needle)
{
	const char	*p = text, *end;
	char		*line;
	int		 n = 0;

	while (*p != '\0') {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		line = xstrndup(p, (size_t)(end - p));
		if (strstr(line, needle) != NULL)
			n++;
		free(line);
		p = *end == '\0' ? end : end + 1;
	}
	return n;
}

/* How many lines of text start with prefix. */
static int
lines_starting(const char *text, const char *prefix)
{
	const char	*p = text;
	int		 n = 0;

	while (*p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
	}
	return n;
}

/* Every line fits in 72 columns, is valid UTF-8 without controls, and ends in "\n". */
static void
check_shape(const char *text)
{
	const char	*p = text, *end;
	char		*line;
	int		 lines = 0;

	ck_assert_ptr_nonnull(text);
	ck_assert(text_utf8_valid(text, strlen(text), NULL));
	ck_assert(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	while (*p != '\0') {
		end = strchr(p, '\n');
		ck_assert_ptr_nonnull(end);
		line = xstrndup(p, (size_t)(end - p));
		if (text_width(line) > SLIP_WIDTH)
			ck_abort_msg("line wider than %d columns: \"%s\"", SLIP_WIDTH, line);
		ck_assert_int_eq(text_find_control(line, NULL), -1);
		ck_assert(*line == '\0' || line[strlen(line) - 1] != ' ');
		free(line);
		lines++;
		p = end + 1;
	}
	ck_assert_int_gt(lines, 10);
}

START_TEST(test_receipt)
{
	struct dossier	*d;
	char		*s, *line;

	d = make_dossier("Nguyễn Văn An");
	s = slip_receipt(cat, d);
	check_shape(s);
	ck_assert(has_line(s, "Ngày hẹn trả kết quả: 10:00 27/02/2015"));
	ck_assert(has_line(s, "Thời gian nhận hồ sơ: 10:00 13/02/2015"));
	ck_assert_ptr_nonnull(strstr(s, "Mã hồ sơ: TPSL-150213-0001\n"));
	ck_assert_ptr_nonnull(strstr(s, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"));
	ck_assert_ptr_nonnull(strstr(s, "Độc lập - Tự do - Hạnh phúc\n"));
	ck_assert_ptr_nonnull(strstr(s, "UBND THÀNH PHỐ SƠN LA\n"));
	ck_assert_ptr_nonnull(strstr(s, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n"));
	ck_assert(has_line(s, "Tiếp nhận hồ sơ của: Nguyễn Văn An"));
	ck_assert(has_line(s, "Số CMND/CCCD: 014085001234"));
	ck_assert(has_line(s, "Địa chỉ: Tổ 3, Phường Chiềng Lề"));
	ck_assert(has_line(s, "Số điện thoại: 0912345678"));
	ck_assert(has_line(s, "Chủ hồ sơ: Lò Thị Hoa"));
	ck_assert(has_line(s, "Số CMND/CCCD của chủ hồ sơ: 014185004321"));
	ck_assert(has_line(s, "Nội dung yêu cầu giải quyết: Đăng ký lại khai sinh cho con"));
	ck_assert(has_line(s, "Số lượng hồ sơ: 02 bộ"));
	ck_assert(has_line(s, "Thời gian giải quyết theo quy định: 5 ngày làm việc"));
	ck_assert(has_line(s,
	    "Nơi nhận kết quả: Bộ phận Tiếp nhận và Trả kết quả UBND thành phố Sơn La"));
	ck_assert(has_line(s, "Mã tra cứu hồ sơ: TPSL-150213-0001"));

	/* The table: one row per document, originals then copies in fixed columns. */
	line = line_starting(s, "1   Tờ khai đăng ký lại khai sinh theo mẫu ");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(text_width(line), 3 + 1 + 49 + 1 + 9 + 1 + 1);
	ck_assert_str_eq(line + strlen(line) - 11, "1         2");
	free(line);
	line = line_starting(s, "2   Bản sao giấy tờ tùy thân");
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line + strlen(line) - 11, "0         3");
	free(line);
	ck_assert_ptr_nonnull(strstr(s, "\n    khác chứng minh nội dung khai sinh\n"));

	/* The signatures. */
	ck_assert_int_eq(lines_with(s, "NGƯỜI NỘP HỒ SƠ"), 1);
	ck_assert_int_eq(lines_with(s, "NGƯỜI TIẾP NHẬN HỒ SƠ"), 1);
	ck_assert_int_eq(lines_with(s, "Cầm Thị Ngọc"), 1);
	free(s);
	dossier_free(d);
}
END_TEST

START_TEST(test_receipt_same_day)
{
	struct dossier	*d;
	char		*s;

	d = make_dossier("Nguyễn Văn An");
	free(d->procedure_hash);
	d->procedure_hash = xstrdup("0000000000000000");	/* an older version */
	d->steps[0].centidays = d->steps[1].centidays = 0;
	d->steps[2].centidays = d->steps[3].centidays = 0;
	s = slip_receipt(cat, d);
	check_shape(s);
	ck_assert(has_line(s, "Thời gian giải quyết theo quy định: Trong ngày (nhận sau 15:00 "
	    "trả trong"));
	ck_assert(has_line(s, "    ngày làm việc tiếp theo)"));
	free(s);
	dossier_free(d);
}
END_TEST

START_TEST(test_sanitise_and_wrap)
{
	struct dossier	*d;
	char		*s, *p;
	size_t		 i;

	d = make_dossier("Lò Văn\x1b[2J Tú");
	free(d->documents[0].name);
	d->documents[0].name = xmalloc(121);
	for (i = 0; i < 40; i++)
		memcpy(d->documents[0].name + 3 * i, "ữ", 3);	/* 40 columns, 120 bytes */
	d->documents[0].name[120] = '\0';
	free(d->request);
	d->request = xstrdup("Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x07yy");
	s = slip_receipt(cat, d);
	check_shape(s);
	ck_assert_ptr_null(strchr(s, 0x1b));
	ck_assert_ptr_null(strchr(s, 0x07));
	ck_assert(has_line(s, "Tiếp nhận hồ sơ của: Lò Văn?[2J Tú"));
	/* The long request word is cut at the margin, then continues on the hanging indent. */
	p = line_starting(s, "Nội dung yêu cầu giải quyết: Xxxx");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(text_width(p), SLIP_WIDTH);
	free(p);
	free(s);

	s = slip_control(cat, d, NULL, 0);
	check_shape(s);
	ck_assert_ptr_null(strchr(s, 0x1b));
	free(s);
	dossier_free(d);
}
END_TEST

START_TEST(test_guidance)
{
	const struct catalog_procedure	*p;
	char				*s;

	p = catalog_procedure(cat, "2.000522");
	s = slip_guidance(cat, "TPSL", "Lò Thị Hoa", p, "Nguyễn\x1b]0;x\x07 Văn An",
	    "Bản chính giấy khai sinh; Sổ hộ khẩu\nGiấy ủy quyền có chứng thực;;",
	    at("2015-02-13 10:00"));
	check_shape(s);
	ck_assert_ptr_nonnull(strstr(s, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ\n"));
	ck_assert(has_line(s, "- Bản chính giấy khai sinh"));
	ck_assert(has_line(s, "- Sổ hộ khẩu"));
	ck_assert(has_line(s, "- Giấy ủy quyền có chứng thực"));
	ck_assert_int_eq(lines_starting(s, "- "), 3);
	ck_assert(has_line(s, "Thời gian hướng dẫn: 10:00 13/02/2015"));
	ck_assert_ptr_null(strchr(s, 0x1b));
	ck_assert_ptr_nonnull(strstr(s, "Nguyễn?]0;x? Văn An"));
	ck_assert_int_eq(lines_with(s, "Lò Thị Hoa"), 1);
	free(s);
}
END_TEST

START_TEST(test_refusal)
{
	struct dossier	*d;
	char		*s;

	d = make_dossier("Nguyễn Văn An");
	d->state = STATE_REFUSED;
	d->closed_at = d->received_at;
	s = slip_refusal(cat, d, "Người yêu cầu không có quyền đăng ký lại khai sinh cho "
	    "người này theo quy định của pháp luật về hộ tịch");
	check_shape(s);
	ck_assert_ptr_nonnull(strstr(s, "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ\n"));
	ck_assert_ptr_nonnull(strstr(s, "Mã hồ sơ: TPSL-150213-0001\n"));
	ck_assert(has_line(s,
	    "    Người yêu cầu không có quyền đăng ký lại khai sinh cho người này"));
	ck_assert(has_line(s, "    theo quy định của pháp luật về hộ tịch"));
	ck_assert(has_line(s, "Thời gian: 10:00 13/02/2015"));
	ck_assert_int_eq(lines_with(s, "Cầm Thị Ngọc"), 1);
	free(s);
	dossier_free(d);
}
END_TEST

START_TEST(test_apology)
{
	struct dossier	*d;
	char		*s;

	d = make_dossier("Nguyễn Văn An");
	d->apology_at = at("2015-02-27 08:00");
	d->appointment_at = at("2015-03-04 10:00");
	s = slip_apology(cat, d, "Phải xác minh thông tin tại nơi đăng ký khai sinh trước đây");
	check_shape(s);
	ck_assert_ptr_nonnull(strstr(s, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ\n"));
	ck_assert_ptr_nonnull(strstr(s, "PHÒNG TƯ PHÁP\n"));
	ck_assert(has_line(s, "Kính gửi: Ông/Bà Nguyễn Văn An"));
	ck_assert(has_line(s, "Thời gian hẹn trả kết quả giải quyết hồ sơ: 10:00 27/02/2015"));
	ck_assert(has_line(s, "Lý do: Phải xác minh thông tin tại nơi đăng ký khai sinh trước "
	    "đây"));
	ck_assert(has_line(s, "Ngày hẹn trả kết quả mới: 10:00 04/03/2015"));
	ck_assert_int_eq(lines_with(s, "Ngày hẹn trả kết quả mới:"), 1);
	free(s);
	dossier_free(d);
}
END_TEST

/* Fill an event. */
static void
set_event(struct dossier_event *e, enum dossier_action action, const char *when, int step,
    const char *dept, const char *actor, const char *step_due, const char *note)
{
	memset(e, 0, sizeof *e);
	e->action = action;
	e->at = at(when);
	e->step = step;
	e->department = (char *)dept;
	e->actor_name = (char *)actor;
	e->step_due_at = step_due == NULL ? 0 : at(step_due);
	e->note = (char *)note;
}

START_TEST(test_control)
{
	struct dossier		*d;
	struct dossier_event	 ev[8];
	char			*s, *line;

	d = make_dossier("Nguyễn Văn An");
	d->state = STATE_RETURNED;
	set_event(&ev[0], ACTION_RECEIVE, "2015-02-13 10:00", 0, "mot-cua", "Cầm Thị Ngọc",
	    "2015-02-13 16:00", NULL);
	set_event(&ev[1], ACTION_HANDOVER, "2015-02-13 15:00", 1, "tu-phap", "Cầm Thị Ngọc",
	    "2015-02-26 10:00", NULL);
	set_event(&ev[2], ACTION_ASSIGN, "2015-02-14 08:00", 1, "tu-phap", "Trần Quốc Hưng",
	    "2015-02-26 10:00", NULL);
	set_event(&ev[3], ACTION_HANDOVER, "2015-02-24 09:00", 2, "lanh-dao",
	    "Nguyễn Thị Thu Hằng", "2015-02-25 09:00", NULL);
	set_event(&ev[4], ACTION_RESOLVE, "2015-02-25 14:00", 3, "mot-cua", "Trần Quốc Hưng",
	    "2015-02-27 17:00", NULL);
	set_event(&ev[5], ACTION_RETURN, "2015-02-27 10:00", 3, "mot-cua", "Cầm Thị Ngọc",
	    "2015-02-27 17:00", NULL);
	s = slip_control(cat, d, ev, 6);
	check_shape(s);
	ck_assert_ptr_nonnull(strstr(s, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ\n"));
	ck_assert(has_line(s, "Ngày hẹn trả kết quả: 10:00 27/02/2015"));

	/* One row per hand-over: the step given, the time, the step's deadline, the result. */
	ck_assert_int_eq(lines_with(s, "Trước hạn"), 1);
	ck_assert_int_eq(lines_with(s, "Đúng hạn"), 2);
	ck_assert_int_eq(lines_with(s, "Quá hạn"), 1);
	line = line_starting(s, "1    Cầm Thị Ngọc, Bộ  Phòng Tư pháp,    15:00");
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, " 15:00      16:00      Đúng hạn"));
	free(line);
	line = line_starting(s, "2    Nguyễn Thị Thu    Lãnh đạo UBND     09:00");
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, " 09:00      10:00      Trước hạn"));
	free(line);
	line = line_starting(s, "3    Trần Quốc Hưng,   Bộ phận Tiếp nhận 14:00");
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, " 14:00      09:00      Quá hạn"));
	free(line);
	line = line_starting(s, "4    Cầm Thị Ngọc, Bộ  Nguyễn Văn An     10:00");
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, " 10:00      17:00      Đúng hạn"));
	free(line);
	/* The intake row has no deadline. */
	line = line_starting(s, "1    Nguyễn Văn An     Cầm Thị Ngọc, Bộ  10:00");
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, " 10:00      -          -"));
	free(line);
	ck_assert_ptr_nonnull(strstr(s,
	    "\n     Hằng, Phòng Tư    thành phố Sơn La, 24/02/2015 26/02/2015\n"));

	/* The other events are notes. */
	ck_assert(has_line(s, "Ghi chú:"));
	ck_assert(has_line(s, "- 08:00 14/02/2015: Phân công xử lý (Trần Quốc Hưng)"));
	free(s);
	dossier_free(d);
}
END_TEST

/* The suite. */
static Suite *
slip_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("slip");
	tc = tcase_create("forms");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_receipt);
	tcase_add_test(tc, test_receipt_same_day);
	tcase_add_test(tc, test_sanitise_and_wrap);
	tcase_add_test(tc, test_guidance);
	tcase_add_test(tc, test_refusal);
	tcase_add_test(tc, test_apology);
	tcase_add_test(tc, test_control);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(slip_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

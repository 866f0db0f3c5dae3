/* check_admin.c: the administrators' commands: splitting, lookup, tables and user commands. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "catalog.h"
#include "store.h"
#include "xmalloc.h"

/* A fixed key and the fingerprint ssh-keygen -l prints for it. */
#define KEY_LINE "ssh-ed25519 " \
	"AAAAC3NzaC1lZDI1NTE5AAAAIPnRYoeyuz+LOiRlRx6O8723OnztYc9GbB6DRojsJi+x lan@laptop"
#define KEY_FP "SHA256:0r8Fqf8ye4Yy/yDilAfiU7Cfvz9o2Yaaeimr0L2D2G4"

/* Split s, expecting success; returns argc and fills argv. */
static int
split_ok(const char *s, char ***argv)
{
	char	*cause = NULL;
	int	 argc;

	if (admin_split(s, &argc, argv, &cause) != 0)
		ck_abort_msg("split '%s' failed: %s", s, cause);
	return argc;
}

/* Split s, expecting failure with a message containing what. */
static void
split_fails(const char *s, const char *what)
{
	char	**argv = NULL, *cause = NULL;
	int	  argc = 7;

	ck_assert_int_eq(admin_split(s, &argc, &argv, &cause), -1);
	ck_assert_ptr_null(argv);
	ck_assert_int_eq(argc, 0);
	ck_assert_ptr_nonnull(cause);
	if (strstr(cause, what) == NULL)
		ck_abort_msg("split '%s': '%s' does not say '%s'", s, cause, what);
	free(cause);
}

START_TEST(test_split_words)
{
	char	**argv;
	int	  argc;

	argc = split_ok("  user   list\t--format  csv ", &argv);
	ck_assert_int_eq(argc, 4);
	ck_assert_str_eq(argv[0], "user");
	ck_assert_str_eq(argv[1], "list");
	ck_assert_str_eq(argv[2], "--format");
	ck_assert_str_eq(argv[3], "csv");
	ck_assert_ptr_null(argv[4]);
	admin_free_words(argv);

	argc = split_ok("", &argv);
	ck_assert_int_eq(argc, 0);
	ck_assert_ptr_null(argv[0]);
	admin_free_words(argv);

	argc = split_ok("user add lan --name 'Nguyễn Thị  Lan' \"a b\"c 'x'\"y\"z '' \"\"",
	    &argv);
	ck_assert_int_eq(argc, 9);
	ck_assert_str_eq(argv[4], "Nguyễn Thị  Lan");
	ck_assert_str_eq(argv[5], "a bc");
	ck_assert_str_eq(argv[6], "xyz");
	ck_assert_str_eq(argv[7], "");
	ck_assert_str_eq(argv[8], "");
	admin_free_words(argv);
}
END_TEST

START_TEST(test_split_escapes)
{
	char	**argv;
	int	  argc;

	/* Outside single quotes a backslash takes the next character literally. */
	argc = split_ok("a\\ b \"c\\\"d\" 'e\\f' \\$HOME `id` $(id) ;|&", &argv);
	ck_assert_int_eq(argc, 7);
	ck_assert_str_eq(argv[0], "a b");
	ck_assert_str_eq(argv[1], "c\"d");
	ck_assert_str_eq(argv[2], "e\\f");
	ck_assert_str_eq(argv[3], "$HOME");
	ck_assert_str_eq(argv[4], "`id`");
	ck_assert_str_eq(argv[5], "$(id)");
	ck_assert_str_eq(argv[6], ";|&");
	admin_free_words(argv);

	split_fails("abc\\", "backslash");
	split_fails("user add 'lan", "unterminated single quote");
	split_fails("user add \"lan", "unterminated double quote");
}
END_TEST

START_TEST(test_split_refusals)
{
	char	*big, **argv;
	int	 argc, i;

	split_fails("user list\x1b[2J", "control character U+001B at byte 9");
	split_fails("user\nlist", "control character U+000A at byte 4");
	split_fails("a\rb", "U+000D");
	split_fails("a\xc2\x9b" "b", "U+009B");
	split_fails("user \xff list", "invalid UTF-8 at byte 5");
	split_fails("caf\xc3", "invalid UTF-8 at byte 3");

	big = xmalloc(ADMIN_MAX_COMMAND + 2);
	memset(big, 'a', ADMIN_MAX_COMMAND);
	big[ADMIN_MAX_COMMAND] = '\0';
	argc = split_ok(big, &argv);
	ck_assert_int_eq(argc, 1);
	ck_assert_uint_eq(strlen(argv[0]), ADMIN_MAX_COMMAND);
	admin_free_words(argv);
	big[ADMIN_MAX_COMMAND] = 'a';
	big[ADMIN_MAX_COMMAND + 1] = '\0';
	split_fails(big, "too long");

	for (i = 0; i < ADMIN_MAX_WORDS; i++) {
		big[2 * i] = 'w';
		big[2 * i + 1] = ' ';
	}
	big[2 * ADMIN_MAX_WORDS] = '\0';
	argc = split_ok(big, &argv);
	ck_assert_int_eq(argc, ADMIN_MAX_WORDS);
	admin_free_words(argv);
	big[2 * ADMIN_MAX_WORDS] = 'w';
	big[2 * ADMIN_MAX_WORDS + 1] = '\0';
	split_fails(big, "too many words");
	free(big);
}
END_TEST

START_TEST(test_find)
{
	char				*words[] = { "user", "key", "add", "lan", NULL };
	char				*help[] = { "help", "user", NULL };
	char				*partial[] = { "user", "key", NULL };
	char				*wrong[] = { "user", "keys", "add", NULL };
	char				*upper[] = { "USER", "list", NULL };
	const struct admin_command	*c;
	int				 consumed;

	c = admin_find(4, words, &consumed);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->name, "user key add");
	ck_assert_int_eq(consumed, 3);
	c = admin_find(2, help, &consumed);
	ck_assert_str_eq(c->name, "help");
	ck_assert_int_eq(consumed, 1);
	ck_assert_ptr_null(admin_find(2, partial, &consumed));
	ck_assert_int_eq(consumed, 0);
	ck_assert_ptr_null(admin_find(3, wrong, &consumed));
	ck_assert_ptr_null(admin_find(2, upper, &consumed));
	ck_assert_ptr_null(admin_find(0, words, &consumed));
	c = admin_find(2, words + 0, &consumed);
	ck_assert_ptr_null(c);
}
END_TEST

/* A context writing to memory. */
struct capture {
	struct admin_ctx	 ctx;
	char			*out;
	size_t			 nout;
	char			*err;
	size_t			 nerr;
};

/* Start capturing a context's output and errors. */
static void
capture_start(struct capture *c)
{
	memset(c, 0, sizeof *c);
	c->ctx.out = open_memstream(&c->out, &c->nout);
	c->ctx.err = open_memstream(&c->err, &c->nerr);
	c->ctx.in = stdin;
}

/* Stop capturing: c->out and c->err hold the text. */
static void
capture_end(struct capture *c)
{
	fclose(c->ctx.out);
	fclose(c->ctx.err);
}

/* Free the captured text. */
static void
capture_free(struct capture *c)
{
	free(c->out);
	free(c->err);
}

/* Fill a table of three columns with awkward cells. */
static struct admin_table *
table_sample(void)
{
	static const char *const	 headers[] = { "CODE", "NAME", "COUNT>" };
	struct admin_table		*t;
	const char			*row[] = { "a,b", "Đất \"đai\"", "7" };
	const char			*bad[] = { "x\x1b]0;pwn\x07", " tab\tnl\n", NULL };

	t = admin_table_new(3, headers);
	admin_table_add(t, row);
	admin_table_add(t, bad);
	admin_table_addf(t, "only");
	admin_table_addf(t, "%s\t\t%d", "n", 12345);
	return t;
}

START_TEST(test_table_text)
{
	struct admin_table	*t = table_sample();
	struct capture		 c;

	capture_start(&c);
	c.ctx.format = ADMIN_FORMAT_TEXT;
	admin_table_print(&c.ctx, t, true);
	capture_end(&c);
	ck_assert_str_eq(c.out,
	    "CODE       NAME       COUNT\n"
	    "a,b        Đất \"đai\"      7\n"
	    "x?]0;pwn?   tab nl \n"
	    "only\n"
	    "n                     12345\n");
	capture_free(&c);
	admin_table_free(t);
}
END_TEST

START_TEST(test_table_csv_tsv)
{
	struct admin_table	*t = table_sample();
	struct capture		 c;

	capture_start(&c);
	c.ctx.format = ADMIN_FORMAT_CSV;
	admin_table_print(&c.ctx, t, false);
	capture_end(&c);
	ck_assert_str_eq(c.out,
	    "CODE,NAME,COUNT\r\n"
	    "\"a,b\",\"Đất \"\"đai\"\"\",7\r\n"
	    "x?]0;pwn?,\" tab nl \",\r\n"
	    "only,,\r\n"
	    "n,,12345\r\n");
	capture_free(&c);

	capture_start(&c);
	c.ctx.format = ADMIN_FORMAT_CSV;
	admin_table_print(&c.ctx, t, true);
	capture_end(&c);
	ck_assert(strncmp(c.out, "\xef\xbb\xbf" "CODE,", 8) == 0);
	capture_free(&c);

	capture_start(&c);
	c.ctx.format = ADMIN_FORMAT_TSV;
	admin_table_print(&c.ctx, t, true);
	capture_end(&c);
	ck_assert_str_eq(c.out,
	    "CODE\tNAME\tCOUNT\n"
	    "a,b\tĐất \"đai\"\t7\n"
	    "x?]0;pwn?\t tab nl \t\n"
	    "only\t\t\n"
	    "n\t\t12345\n");
	capture_free(&c);
	admin_table_free(t);
	admin_table_free(NULL);
}
END_TEST

static char		 tmpdir[64];
static char		 dbpath[128];
static struct store	*st;
static struct catalog	*cat;

/* A fresh store and the bundled catalog. */
static void
run_setup(void)
{
	struct catalog_problems	 problems;
	char			*cause = NULL;

	snprintf(tmpdir, sizeof tmpdir, "/tmp/check_admin.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/motcua.db", tmpdir);
	st = store_open(dbpath, &cause);
	ck_assert_msg(st != NULL, "%s", cause);
	memset(&problems, 0, sizeof problems);
	cat = catalog_load(TEST_CATALOG, &problems);
	ck_assert_ptr_nonnull(cat);
	catalog_problems_free(&problems);
}

/* Remove the store. */
static void
run_teardown(void)
{
	char	path[160];

	store_close(st);
	catalog_free(cat);
	snprintf(path, sizeof path, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(path), 0);
}

/* Run a command line (split like a request) with input; returns the status. */
static int
run(struct capture *c, const char *line, const char *input)
{
	char	**argv, *cause = NULL;
	int	  argc, status;
	FILE	 *in = NULL;

	capture_start(c);
	c->ctx.data_dir = tmpdir;
	c->ctx.db_path = dbpath;
	c->ctx.run_dir = tmpdir;
	c->ctx.catalog_dir = TEST_CATALOG;
	c->ctx.catalog = cat;
	c->ctx.store = st;
	c->ctx.actor = 0;
	c->ctx.login = "local";
	c->ctx.now = 1440468000;	/* 2015-08-25 09:00 +07:00 */
	if (input != NULL) {
		in = fmemopen((void *)input, strlen(input), "r");
		c->ctx.in = in;
	}
	ck_assert_int_eq(admin_split(line, &argc, &argv, &cause), 0);
	status = admin_run(&c->ctx, argc, argv);
	admin_free_words(argv);
	capture_end(c);
	if (in != NULL)
		fclose(in);
	return status;
}

START_TEST(test_run_framework)
{
	struct capture	c;

	ck_assert_int_eq(run(&c, "frob --x", NULL), ADMIN_EXIT_USAGE);
	ck_assert_str_eq(c.err, "motcua: unknown command 'frob'; run 'help' for the list\n");
	ck_assert_str_eq(c.out, "");
	capture_free(&c);

	ck_assert_int_eq(run(&c, "user frob", NULL), ADMIN_EXIT_USAGE);
	ck_assert_str_eq(c.err, "motcua: unknown command 'user frob'; run 'help' for the list\n");
	capture_free(&c);

	ck_assert_int_eq(run(&c, "help", NULL), ADMIN_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(c.out, "\n  user key add "));
	ck_assert_ptr_nonnull(strstr(c.out, "\n  sessions "));
	capture_free(&c);

	ck_assert_int_eq(run(&c, "help user key add", NULL), ADMIN_EXIT_OK);
	ck_assert(strncmp(c.out, "usage: user key add LOGIN\n\n", 27) == 0);
	capture_free(&c);

	ck_assert_int_eq(run(&c, "user list --help", NULL), ADMIN_EXIT_OK);
	ck_assert(strncmp(c.out, "usage: user list [--unit UNIT] [--format text|csv|tsv]\n",
	    55) == 0);
	capture_free(&c);

	ck_assert_int_eq(run(&c, "help nothing", NULL), ADMIN_EXIT_USAGE);
	capture_free(&c);

	ck_assert_int_eq(run(&c, "user list --format xml", NULL), ADMIN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(c.err, "usage: user list"));
	capture_free(&c);

	ck_assert_int_eq(run(&c, "user show", NULL), ADMIN_EXIT_USAGE);
	ck_assert_str_eq(c.err, "usage: user show LOGIN\n");
	capture_free(&c);
}
END_TEST

START_TEST(test_run_users)
{
	struct store_user	*u = NULL;
	struct capture		 c;
	char			*cause = NULL;

	ck_assert_int_eq(run(&c, "user add boss --name 'Trần  Văn Bốn' --role admin "
	    "--password-stdin", "correct horse\n"), ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out, "added boss (role=admin)\n");
	capture_free(&c);
	ck_assert_int_eq(store_user_by_login(st, "boss", &u, &cause), 0);
	ck_assert_str_eq(u->full_name, "Trần Văn Bốn");
	ck_assert_ptr_nonnull(u->password_hash);
	ck_assert(strncmp(u->password_hash, "$y$", 3) == 0);
	store_user_free(u);

	ck_assert_int_eq(run(&c, "user add boss --name X --role admin", NULL),
	    ADMIN_EXIT_FAILURE);
	ck_assert_str_eq(c.err, "motcua: login boss is already in use\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user add short --name X --role admin --password-stdin",
	    "abc\n"), ADMIN_EXIT_FAILURE);
	ck_assert_ptr_nonnull(strstr(c.err, "too short"));
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user add lan --name X --role officer --unit TPSL",
	    NULL), ADMIN_EXIT_FAILURE);
	ck_assert_ptr_nonnull(strstr(c.err, "needs --unit and --department"));
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user add lan --name X --role officer --unit NOPE "
	    "--department tu-phap", NULL), ADMIN_EXIT_FAILURE);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user add lan --name X --role chief", NULL),
	    ADMIN_EXIT_FAILURE);
	capture_free(&c);

	ck_assert_int_eq(run(&c, "user add lan --name 'Lan, \"Bé\"' --role officer "
	    "--unit TPSL --department tu-phap --generate-password", NULL), ADMIN_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(c.out, "password for lan (shown once): "));
	ck_assert_uint_eq(strlen(strstr(c.out, "once): ") + 7), 17);
	capture_free(&c);

	ck_assert_int_eq(run(&c, "user list --format csv", NULL), ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out,
	    "LOGIN,NAME,ROLE,UNIT,DEPARTMENT,STATE,PASSWORD,KEYS\r\n"
	    "boss,Trần Văn Bốn,admin,,,enabled,yes,0\r\n"
	    "lan,\"Lan, \"\"Bé\"\"\",officer,TPSL,tu-phap,enabled,yes,0\r\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user list --unit TPSL --format=tsv", NULL), ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out,
	    "LOGIN\tNAME\tROLE\tUNIT\tDEPARTMENT\tSTATE\tPASSWORD\tKEYS\n"
	    "lan\tLan, \"Bé\"\tofficer\tTPSL\ttu-phap\tenabled\tyes\t0\n");
	capture_free(&c);

	/* The last enabled administrator stays one. */
	ck_assert_int_eq(run(&c, "user disable boss", NULL), ADMIN_EXIT_FAILURE);
	ck_assert_str_eq(c.err, "motcua: boss is the last enabled administrator; add or "
	    "enable another first\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user role boss monitor", NULL), ADMIN_EXIT_FAILURE);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user role lan leader --unit TPSL --department lanh-dao",
	    NULL), ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out, "lan: role=leader unit=TPSL department=lanh-dao (was "
	    "role=officer unit=TPSL department=tu-phap)\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user disable lan", NULL), ADMIN_EXIT_OK);
	capture_free(&c);
	ck_assert_int_eq(store_user_by_login(st, "lan", &u, &cause), 0);
	ck_assert(u->disabled);
	ck_assert_int_eq(u->role, ROLE_LEADER);
	store_user_free(u);
	ck_assert_int_eq(run(&c, "user enable lan", NULL), ADMIN_EXIT_OK);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user show nobody", NULL), ADMIN_EXIT_FAILURE);
	ck_assert_str_eq(c.err, "motcua: no user 'nobody'\n");
	capture_free(&c);
}
END_TEST

START_TEST(test_run_keys)
{
	struct capture	c;

	ck_assert_int_eq(run(&c, "user add lan --name Lan --role monitor", NULL),
	    ADMIN_EXIT_OK);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key add lan", "ssh-ed25519 AAAA!!!! x\n"),
	    ADMIN_EXIT_FAILURE);
	ck_assert_str_eq(c.err, "motcua: line 1: the key is not valid base64\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key add lan", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIPnRYoeyuz+"
	    "LOiRlRx6O8723OnztYc9GbB6DRojsJi+x\n"), ADMIN_EXIT_FAILURE);
	ck_assert_str_eq(c.err, "motcua: line 1: the key's data is not a ssh-rsa key\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key add lan", "command=\"x\" " KEY_LINE "\n"),
	    ADMIN_EXIT_FAILURE);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key add lan", "\n# comment\n" KEY_LINE "\n"),
	    ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out, "added key 1 to lan: ssh-ed25519 " KEY_FP "\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key add lan", KEY_LINE "\n"), ADMIN_EXIT_FAILURE);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key list lan --format csv", NULL), ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out, "ID,TYPE,FINGERPRINT,COMMENT\r\n"
	    "1,ssh-ed25519," KEY_FP ",lan@laptop\r\n");
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key remove lan x", NULL), ADMIN_EXIT_USAGE);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key remove lan 1", NULL), ADMIN_EXIT_OK);
	capture_free(&c);
	ck_assert_int_eq(run(&c, "user key list lan --format tsv", NULL), ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out, "ID\tTYPE\tFINGERPRINT\tCOMMENT\n");
	capture_free(&c);
}
END_TEST

START_TEST(test_run_unit_sessions)
{
	struct capture	c;
	char		*path, *cause = NULL;

	ck_assert_int_eq(run(&c, "unit list --format csv", NULL), ADMIN_EXIT_OK);
	ck_assert(strncmp(c.out, "UNIT,NAME,DEPARTMENTS,USERS,ENABLED\r\nTPSL,Thành phố Sơn La,",
	    strlen("UNIT,NAME,DEPARTMENTS,USERS,ENABLED\r\nTPSL,Thành phố Sơn La,")) == 0);
	capture_free(&c);

	path = admin_sessions_register(tmpdir, "lan", "192.0.2.7:50000", "interface",
	    1440468000, &cause);
	ck_assert_msg(path != NULL, "%s", cause);
	ck_assert_int_eq(run(&c, "sessions --format csv", NULL), ADMIN_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(c.out, ",lan,192.0.2.7:50000,interface,2015-08-25 09:00,"));
	capture_free(&c);
	admin_sessions_unregister(path);
	free(path);
	ck_assert_int_eq(run(&c, "sessions --format csv", NULL), ADMIN_EXIT_OK);
	ck_assert_str_eq(c.out, "PID,LOGIN,FROM,KIND,SINCE,IDLE\r\n");
	capture_free(&c);
}
END_TEST

/* The suite. */
static Suite *
admin_suite(void)
{
	Suite	*s = suite_create("admin");
	TCase	*tc;

	tc = tcase_create("split");
	tcase_add_test(tc, test_split_words);
	tcase_add_test(tc, test_split_escapes);
	tcase_add_test(tc, test_split_refusals);
	tcase_add_test(tc, test_find);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_test(tc, test_table_text);
	tcase_add_test(tc, test_table_csv_tsv);
	suite_add_tcase(s, tc);

	tc = tcase_create("run");
	tcase_add_checked_fixture(tc, run_setup, run_teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_run_framework);
	tcase_add_test(tc, test_run_users);
	tcase_add_test(tc, test_run_keys);
	tcase_add_test(tc, test_run_unit_sessions);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite. */
int
main(void)
{
	SRunner	*sr = srunner_create(admin_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * admin-user.c: the `user` commands: add, list, show, disable, enable, passwd, role and the
 * public keys (key add / list / remove). Every change is written with its audit event in one
 * transaction. Passwords are hashed with yescrypt; a generated one is printed once and never
 * logged; every copy of a secret is wiped before it is freed.
 */
#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "auth.h"
#include "calendar.h"
#include "catalog.h"
#include "dossier.h"
#include "sha256.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

#define ADMIN_USER_PASSWORD_MAX	1024	/* bytes of a password read from stdin */
#define ADMIN_USER_PASSWORD_MIN	8
#define ADMIN_USER_GENERATED	16	/* characters of a generated password */
#define ADMIN_USER_NAME_MAX	200	/* bytes of a full name */
#define ADMIN_USER_KEY_MAX	16384	/* bytes of one public key line */
#define ADMIN_USER_KEYS_MAX	64	/* keys in one `user key add` */

/* Characters of generated passwords: no look-alikes (0/O, 1/l/I). */
static const char admin_user_alphabet[] =
    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/* The key types accepted, as OpenSSH writes them. */
static const char *const admin_user_key_types[] = {
	"ssh-ed25519",
	"ssh-rsa",
	"ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
};

/* How to set a password. */
enum admin_user_password {
	ADMIN_USER_PASSWORD_NONE,
	ADMIN_USER_PASSWORD_STDIN,
	ADMIN_USER_PASSWORD_GENERATE
};

/* Fail with a store's or a check's message and free it. */
static int
admin_user_fail_cause(struct admin_ctx *ctx, char *cause)
{
	admin_fail(ctx, "%s", cause);
	free(cause);
	return ADMIN_EXIT_FAILURE;
}

/*
 * Look a user up by login; returns ADMIN_EXIT_OK with *user set, or prints why not and
 * returns ADMIN_EXIT_FAILURE.
 */
static int
admin_user_get(struct admin_ctx *ctx, const char *login, struct store_user **user)
{
	char	*cause = NULL;

	*user = NULL;
	if (!auth_login_valid(login))
		return admin_fail(ctx, "no user '%s'", login);
	if (store_user_by_login(ctx->store, login, user, &cause) != 0)
		return admin_user_fail_cause(ctx, cause);
	if (*user == NULL)
		return admin_fail(ctx, "no user '%s'", login);
	return ADMIN_EXIT_OK;
}

/* Record an administrator's action in the audit chain (inside the transaction). */
static int
admin_user_audit(struct admin_ctx *ctx, const char *action, const char *subject,
    const char *note, char **cause)
{
	return store_admin_event(ctx->store, ctx->actor, action, subject, note, ctx->now,
	    cause);
}

/* Commit, or roll back and keep the cause. */
static int
admin_user_commit(struct admin_ctx *ctx, char **cause)
{
	if (store_commit(ctx->store, cause) != 0) {
		store_rollback(ctx->store);
		return -1;
	}
	return 0;
}

/* Read one line (the password) from ctx->in; NULL with *cause if there is none. */
static char *
admin_user_read_password(struct admin_ctx *ctx, char **cause)
{
	char	*buf;
	size_t	 len;

	buf = xcalloc(1, ADMIN_USER_PASSWORD_MAX + 2);
	if (fgets(buf, ADMIN_USER_PASSWORD_MAX + 2, ctx->in) == NULL) {
		*cause = xstrdup("no password on standard input");
		goto fail;
	}
	len = strlen(buf);
	if (len > ADMIN_USER_PASSWORD_MAX ||
	    (len == ADMIN_USER_PASSWORD_MAX + 1 && buf[len - 1] != '\n')) {
		*cause = xasprintf("the password is too long (at most %d bytes)",
		    ADMIN_USER_PASSWORD_MAX);
		goto fail;
	}
	if (len != 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len != 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (text_utf8_valid(buf, len, NULL) == false || text_find_control(buf, NULL) != -1) {
		*cause = xstrdup("the password must be text without control characters");
		goto fail;
	}
	if (text_width(buf) < ADMIN_USER_PASSWORD_MIN) {
		*cause = xasprintf("the password is too short (at least %d characters)",
		    ADMIN_USER_PASSWORD_MIN);
		goto fail;
	}
	return buf;
fail:
	explicit_bzero(buf, ADMIN_USER_PASSWORD_MAX + 2);
	free(buf);
	return NULL;
}

/* Generate a password from the kernel's random source; NULL with *cause on failure. */
static char *
admin_user_generate_password(char **cause)
{
	unsigned char	 bytes[64];
	char		*out;
	size_t		 n = 0, i, limit;
	ssize_t		 got;

	/* Bytes above the largest multiple of the alphabet's size are discarded: no bias. */
	limit = 256 - 256 % (sizeof admin_user_alphabet - 1);
	out = xcalloc(1, ADMIN_USER_GENERATED + 1);
	while (n < ADMIN_USER_GENERATED) {
		if ((got = getrandom(bytes, sizeof bytes, 0)) <= 0) {
			if (got == -1 && errno == EINTR)
				continue;
			*cause = xasprintf("cannot read random bytes: %s", strerror(errno));
			explicit_bzero(out, ADMIN_USER_GENERATED + 1);
			free(out);
			return NULL;
		}
		for (i = 0; i < (size_t)got && n < ADMIN_USER_GENERATED; i++) {
			if (bytes[i] < limit)
				out[n++] = admin_user_alphabet[bytes[i] %
				    (sizeof admin_user_alphabet - 1)];
		}
	}
	explicit_bzero(bytes, sizeof bytes);
	return out;
}

/* Wipe and free a secret. */
static void
admin_user_wipe(char *secret)
{
	if (secret == NULL)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
}

/*
 * Get the password asked for (from stdin or generated) and its hash; *password is kept for
 * printing a generated one. Returns 0, or -1 with *cause set.
 */
static int
admin_user_password(struct admin_ctx *ctx, enum admin_user_password how, char **password,
    char **hash, char **cause)
{
	*password = NULL;
	*hash = NULL;
	if (how == ADMIN_USER_PASSWORD_NONE)
		return 0;
	if (how == ADMIN_USER_PASSWORD_STDIN)
		*password = admin_user_read_password(ctx, cause);
	else
		*password = admin_user_generate_password(cause);
	if (*password == NULL)
		return -1;
	if (auth_hash_password(*password, hash, cause) != 0) {
		admin_user_wipe(*password);
		*password = NULL;
		return -1;
	}
	return 0;
}

/* Print a generated password, once. */
static void
admin_user_print_password(struct admin_ctx *ctx, const char *login, const char *password)
{
	fprintf(ctx->out, "password for %s (shown once): %s\n", login, password);
}

/*
 * Check a full name, returning it cleaned (NFC, single spaces); NULL with *cause if it is
 * not acceptable.
 */
static char *
admin_user_name(const char *name, char **cause)
{
	char	*clean;

	if (text_check(name, strlen(name), cause) != 0)
		return NULL;
	clean = text_clean(name);
	if (*clean == '\0') {
		*cause = xstrdup("the name is empty");
		free(clean);
		return NULL;
	}
	if (strlen(clean) > ADMIN_USER_NAME_MAX) {
		*cause = xasprintf("the name is too long (at most %d bytes)",
		    ADMIN_USER_NAME_MAX);
		free(clean);
		return NULL;
	}
	return clean;
}

/*
 * Check a role's placement: officers of a unit need a unit and a department of the served
 * catalog; monitors and administrators have neither. Returns 0, or -1 with *cause.
 */
static int
admin_user_placement(const struct admin_ctx *ctx, enum role role, const char *unit,
    const char *department, char **cause)
{
	const struct catalog_unit	*u;

	if (role == ROLE_MONITOR || role == ROLE_ADMIN) {
		if (unit != NULL || department != NULL) {
			*cause = xasprintf("a user with role %s has no unit or department",
			    dossier_role_name(role));
			return -1;
		}
		return 0;
	}
	if (unit == NULL || department == NULL) {
		*cause = xasprintf("a user with role %s needs --unit and --department",
		    dossier_role_name(role));
		return -1;
	}
	if ((u = catalog_unit(ctx->catalog, unit)) == NULL) {
		*cause = xasprintf("no unit %s in the catalog ('unit list' shows them)", unit);
		return -1;
	}
	if (catalog_department(u, department) == NULL) {
		*cause = xasprintf("unit %s has no department %s", unit, department);
		return -1;
	}
	return 0;
}

/*
 * Check that an enabled administrator other than user remains; returns 0, or -1 with *cause
 * set if user is the last one (or the store cannot tell).
 */
static int
admin_user_other_admin(struct admin_ctx *ctx, const struct store_user *user, char **cause)
{
	struct store_user	**users;
	size_t			  n, i, count = 0;

	if (store_user_list(ctx->store, &users, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (users[i]->id != user->id && users[i]->role == ROLE_ADMIN &&
		    !users[i]->disabled)
			count++;
	}
	store_user_list_free(users, n);
	if (count == 0) {
		*cause = xasprintf("%s is the last enabled administrator; add or enable "
		    "another first", user->login);
		return -1;
	}
	return 0;
}

/* Read a role's name; ADMIN_EXIT_OK with *role set, or print why not. */
static int
admin_user_role(struct admin_ctx *ctx, const char *name, enum role *role)
{
	if (dossier_role_from_name(name, role) != 0) {
		return admin_fail(ctx, "no role '%s': one of one_stop, officer, leader, "
		    "monitor, admin", name);
	}
	return ADMIN_EXIT_OK;
}

/* The note of a user's role and placement for the audit. */
static char *
admin_user_note(enum role role, const char *unit, const char *department)
{
	if (unit == NULL)
		return xasprintf("role=%s", dossier_role_name(role));
	return xasprintf("role=%s unit=%s department=%s", dossier_role_name(role), unit,
	    department);
}

/* user add LOGIN --name NAME --role ROLE [--unit U --department D] [password option] */
static int
admin_user_add_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const struct option	 options[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "department", required_argument, NULL, 'd' },
		{ "password-stdin", no_argument, NULL, 's' },
		{ "generate-password", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	const struct admin_command	*self = &admin_cmd_user_add;
	struct store_user		 u;
	enum admin_user_password	 how = ADMIN_USER_PASSWORD_NONE;
	const char			*name = NULL, *role = NULL, *unit = NULL;
	const char			*department = NULL, *login;
	char				*clean = NULL, *password = NULL, *hash = NULL;
	char				*cause = NULL, *note = NULL;
	int				 opt, status = ADMIN_EXIT_FAILURE;
	int64_t				 id;

	optind = 0;
	opterr = 0;
	/* The login may come before or after the options. */
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'u': unit = optarg; break;
		case 'd': department = optarg; break;
		case 's':
		case 'g':
			if (how != ADMIN_USER_PASSWORD_NONE)
				return admin_usage(ctx, self);
			how = opt == 's' ? ADMIN_USER_PASSWORD_STDIN :
			    ADMIN_USER_PASSWORD_GENERATE;
			break;
		default: return admin_usage(ctx, self);
		}
	}
	if (optind != argc - 1 || name == NULL || role == NULL)
		return admin_usage(ctx, self);
	login = argv[optind];

	memset(&u, 0, sizeof u);
	if (!auth_login_valid(login)) {
		return admin_fail(ctx, "login '%s' is not valid: use 1 to 64 of a-z 0-9 . _ -",
		    login);
	}
	if (admin_user_role(ctx, role, &u.role) != ADMIN_EXIT_OK)
		return ADMIN_EXIT_FAILURE;
	if ((clean = admin_user_name(name, &cause)) == NULL ||
	    admin_user_placement(ctx, u.role, unit, department, &cause) != 0 ||
	    admin_user_password(ctx, how, &password, &hash, &cause) != 0)
		goto fail;
	u.login = (char *)login;
	u.full_name = clean;
	u.unit = (char *)unit;
	u.department = (char *)department;
	u.password_hash = hash;
	note = admin_user_note(u.role, unit, department);
	if (store_begin(ctx->store, &cause) != 0)
		goto fail;
	if (store_user_add(ctx->store, &u, ctx->now, &id, &cause) != 0 ||
	    admin_user_audit(ctx, "user_add", login, note, &cause) != 0)
		goto rollback;
	if (admin_user_commit(ctx, &cause) != 0)
		goto fail;
	fprintf(ctx->out, "added %s (%s)\n", login, note);
	if (how == ADMIN_USER_PASSWORD_GENERATE)
		admin_user_print_password(ctx, login, password);
	else if (how == ADMIN_USER_PASSWORD_NONE) {
		fprintf(ctx->out, "%s has no password: add a key with 'user key add %s' or "
		    "set one with 'user passwd %s'\n", login, login, login);
	}
	status = ADMIN_EXIT_OK;
	goto out;
rollback:
	store_rollback(ctx->store);
fail:
	status = admin_user_fail_cause(ctx, cause);
out:
	free(note);
	free(clean);
	admin_user_wipe(password);
	admin_user_wipe(hash);
	return status;
}

/* user list [--unit UNIT] */
static int
admin_user_list_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const struct option	 options[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const	 headers[] = {
		"LOGIN", "NAME", "ROLE", "UNIT", "DEPARTMENT", "STATE", "PASSWORD", "KEYS>"
	};
	struct admin_table		*table;
	struct store_user		**users = NULL;
	struct store_key		*keys;
	const char			*unit = NULL;
	char				*cause = NULL;
	size_t				 n = 0, nkeys, i;
	int				 opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'u': unit = optarg; break;
		default: return admin_usage(ctx, &admin_cmd_user_list);
		}
	}
	if (optind != argc)
		return admin_usage(ctx, &admin_cmd_user_list);
	if (store_user_list(ctx->store, &users, &n, &cause) != 0)
		return admin_user_fail_cause(ctx, cause);
	table = admin_table_new(8, headers);
	for (i = 0; i < n; i++) {
		if (unit != NULL && (users[i]->unit == NULL || strcmp(users[i]->unit, unit) != 0))
			continue;
		if (store_key_list(ctx->store, users[i]->id, &keys, &nkeys, &cause) != 0) {
			admin_table_free(table);
			store_user_list_free(users, n);
			return admin_user_fail_cause(ctx, cause);
		}
		store_key_list_free(keys, nkeys);
		admin_table_addf(table, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%zu", users[i]->login,
		    users[i]->full_name, dossier_role_name(users[i]->role),
		    users[i]->unit != NULL ? users[i]->unit : "",
		    users[i]->department != NULL ? users[i]->department : "",
		    users[i]->disabled ? "disabled" : "enabled",
		    users[i]->password_hash != NULL ? "yes" : "no", nkeys);
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);
	store_user_list_free(users, n);
	return ADMIN_EXIT_OK;
}

/* Decode standard base64 (with padding); returns the length, or -1 if malformed. */
static ssize_t
admin_user_base64_decode(const char *in, unsigned char *out, size_t size)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char		*p;
	size_t			 len = strlen(in), i, n = 0;
	unsigned int		 v[4];
	int			 j, pad;

	if (len == 0 || len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4) {
		pad = 0;
		for (j = 0; j < 4; j++) {
			if (in[i + j] == '=' && i + 4 == len && j >= 2) {
				pad++;
				v[j] = 0;
				continue;
			}
			if (pad != 0 || in[i + j] == '\0' ||
			    (p = strchr(alphabet, in[i + j])) == NULL)
				return -1;
			v[j] = (unsigned int)(p - alphabet);
		}
		if (n + 3 - (size_t)pad > size)
			return -1;
		out[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[n++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (pad < 1)
			out[n++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return (ssize_t)n;
}

/* Encode bytes as base64, with padding if pad; caller frees. */
static char *
admin_user_base64_encode(const unsigned char *in, size_t len, bool pad)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *p;
	size_t			 i;
	unsigned int		 v;

	p = out = xmalloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i < len; i += 3) {
		v = (unsigned int)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned int)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		if (i + 1 < len)
			*p++ = alphabet[v >> 6 & 63];
		else if (pad)
			*p++ = '=';
		if (i + 2 < len)
			*p++ = alphabet[v & 63];
		else if (pad)
			*p++ = '=';
	}
	*p = '\0';
	return out;
}

/* The OpenSSH fingerprint of a key blob in base64: "SHA256:…"; "?" if malformed. */
static char *
admin_user_fingerprint(const char *blob)
{
	unsigned char	*raw, digest[SHA256_DIGEST_LEN];
	char		*b64, *out;
	size_t		 size = strlen(blob);
	ssize_t		 n;

	raw = xmalloc(size + 1);
	if ((n = admin_user_base64_decode(blob, raw, size)) < 0) {
		free(raw);
		return xstrdup("?");
	}
	sha256_digest(raw, (size_t)n, digest);
	free(raw);
	b64 = admin_user_base64_encode(digest, sizeof digest, false);
	out = xasprintf("SHA256:%s", b64);
	free(b64);
	return out;
}

/* A parsed public key line. */
struct admin_user_key {
	char	*type;
	char	*blob;		/* canonical base64 */
	char	*comment;	/* NULL if none */
};

/* Free a parsed key's strings. */
static void
admin_user_key_clear(struct admin_user_key *k)
{
	free(k->type);
	free(k->blob);
	free(k->comment);
	memset(k, 0, sizeof *k);
}

/*
 * Parse an OpenSSH public key line "TYPE BASE64 [COMMENT]" (no options): the type must be
 * known and match the one inside the blob. Returns 0, or -1 with *cause set.
 */
static int
admin_user_key_parse(const char *line, struct admin_user_key *k, char **cause)
{
	unsigned char	*raw = NULL;
	char		*copy, *type, *b64, *rest;
	size_t		 i, tlen;
	ssize_t		 n;
	uint32_t	 inner;
	int		 status = -1;

	memset(k, 0, sizeof *k);
	if (text_check(line, strlen(line), cause) != 0)
		return -1;
	copy = xstrdup(line);
	type = copy + strspn(copy, " ");
	if ((b64 = strchr(type, ' ')) == NULL) {
		*cause = xstrdup("expected 'TYPE BASE64 [COMMENT]' as in an OpenSSH .pub file");
		goto out;
	}
	*b64++ = '\0';
	b64 += strspn(b64, " ");
	if ((rest = strchr(b64, ' ')) != NULL) {
		*rest++ = '\0';
		rest += strspn(rest, " ");
	}
	for (i = 0; i < sizeof admin_user_key_types / sizeof admin_user_key_types[0]; i++) {
		if (strcmp(type, admin_user_key_types[i]) == 0)
			break;
	}
	if (i == sizeof admin_user_key_types / sizeof admin_user_key_types[0]) {
		*cause = xasprintf("unsupported key type '%s' (options before the type are not "
		    "accepted)", type);
		goto out;
	}
	raw = xmalloc(strlen(b64) + 1);
	tlen = strlen(type);
	n = admin_user_base64_decode(b64, raw, strlen(b64));
	if (n < 4) {
		*cause = xstrdup("the key is not valid base64");
		goto out;
	}
	inner = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
	if (inner != tlen || (size_t)n < 4 + tlen + 4 || memcmp(raw + 4, type, tlen) != 0) {
		*cause = xasprintf("the key's data is not a %s key", type);
		goto out;
	}
	k->type = xstrdup(type);
	k->blob = admin_user_base64_encode(raw, (size_t)n, true);
	if (rest != NULL && *rest != '\0')
		k->comment = xstrdup(rest);
	status = 0;
out:
	free(raw);
	free(copy);
	return status;
}

/* Print a user's keys as a table. */
static int
admin_user_print_keys(struct admin_ctx *ctx, const struct store_user *user)
{
	static const char *const	 headers[] = { "ID>", "TYPE", "FINGERPRINT", "COMMENT" };
	struct admin_table		*table;
	struct store_key		*keys;
	size_t				 n, i;
	char				*cause = NULL, *fp;

	if (store_key_list(ctx->store, user->id, &keys, &n, &cause) != 0)
		return admin_user_fail_cause(ctx, cause);
	table = admin_table_new(4, headers);
	for (i = 0; i < n; i++) {
		fp = admin_user_fingerprint(keys[i].blob);
		admin_table_addf(table, "%lld\t%s\t%s\t%s", (long long)keys[i].id,
		    keys[i].type, fp, keys[i].comment != NULL ? keys[i].comment : "");
		free(fp);
	}
	admin_table_print(ctx, table, false);
	admin_table_free(table);
	store_key_list_free(keys, n);
	return ADMIN_EXIT_OK;
}

/* Print one "name: value" line, the value sanitised. */
static void
admin_user_field(struct admin_ctx *ctx, const char *name, const char *value)
{
	char	*clean = text_sanitise(value != NULL ? value : "");

	fprintf(ctx->out, "%-11s %s\n", name, clean);
	free(clean);
}

/* user show LOGIN */
static int
admin_user_show_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct store_user	*user;
	struct store_key	*keys;
	size_t			 n, i;
	char			*cause = NULL, *fp, *line, created[32];
	int			 status;

	if (argc != 2 || argv[1][0] == '-')
		return admin_usage(ctx, &admin_cmd_user_show);
	if ((status = admin_user_get(ctx, argv[1], &user)) != ADMIN_EXIT_OK)
		return status;
	calendar_format_local(ctx->catalog->calendar, user->created_at, created,
	    sizeof created);
	admin_user_field(ctx, "login:", user->login);
	admin_user_field(ctx, "name:", user->full_name);
	admin_user_field(ctx, "role:", dossier_role_name(user->role));
	admin_user_field(ctx, "unit:", user->unit != NULL ? user->unit : "-");
	admin_user_field(ctx, "department:", user->department != NULL ?
	    user->department : "-");
	admin_user_field(ctx, "state:", user->disabled ? "disabled" : "enabled");
	admin_user_field(ctx, "password:", user->password_hash != NULL ? "set" : "none");
	admin_user_field(ctx, "created:", created);
	if (store_key_list(ctx->store, user->id, &keys, &n, &cause) != 0) {
		store_user_free(user);
		return admin_user_fail_cause(ctx, cause);
	}
	if (n == 0)
		admin_user_field(ctx, "keys:", "none");
	for (i = 0; i < n; i++) {
		fp = admin_user_fingerprint(keys[i].blob);
		line = xasprintf("%lld %s %s%s%s", (long long)keys[i].id, keys[i].type, fp,
		    keys[i].comment != NULL ? " " : "",
		    keys[i].comment != NULL ? keys[i].comment : "");
		admin_user_field(ctx, i == 0 ? "keys:" : "", line);
		free(line);
		free(fp);
	}
	store_key_list_free(keys, n);
	store_user_free(user);
	return ADMIN_EXIT_OK;
}

/* user disable LOGIN and user enable LOGIN. */
static int
admin_user_set_disabled(struct admin_ctx *ctx, int argc, char **argv, bool disabled)
{
	const struct admin_command	*self = disabled ? &admin_cmd_user_disable :
					    &admin_cmd_user_enable;
	struct store_user		*user;
	char				*cause = NULL;
	int				 status;

	if (argc != 2 || argv[1][0] == '-')
		return admin_usage(ctx, self);
	if ((status = admin_user_get(ctx, argv[1], &user)) != ADMIN_EXIT_OK)
		return status;
	status = ADMIN_EXIT_FAILURE;
	if (user->disabled == disabled) {
		fprintf(ctx->out, "%s is already %s\n", user->login,
		    disabled ? "disabled" : "enabled");
		status = ADMIN_EXIT_OK;
		goto out;
	}
	if (store_begin(ctx->store, &cause) != 0)
		goto fail;
	if (disabled && user->role == ROLE_ADMIN &&
	    admin_user_other_admin(ctx, user, &cause) != 0)
		goto rollback;
	if (store_user_set_disabled(ctx->store, user->id, disabled, &cause) != 0 ||
	    admin_user_audit(ctx, disabled ? "user_disable" : "user_enable", user->login,
	    NULL, &cause) != 0)
		goto rollback;
	if (admin_user_commit(ctx, &cause) != 0)
		goto fail;
	fprintf(ctx->out, "%s is %s%s\n", user->login, disabled ? "disabled" : "enabled",
	    disabled ? " (sessions already open continue until they end)" : "");
	status = ADMIN_EXIT_OK;
	goto out;
rollback:
	store_rollback(ctx->store);
fail:
	status = admin_user_fail_cause(ctx, cause);
out:
	store_user_free(user);
	return status;
}

/* user disable LOGIN */
static int
admin_user_disable_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	return admin_user_set_disabled(ctx, argc, argv, true);
}

/* user enable LOGIN */
static int
admin_user_enable_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	return admin_user_set_disabled(ctx, argc, argv, false);
}

/* user passwd LOGIN [--password-stdin] */
static int
admin_user_passwd_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const struct option	 options[] = {
		{ "password-stdin", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	enum admin_user_password	 how = ADMIN_USER_PASSWORD_GENERATE;
	struct store_user		*user = NULL;
	char				*cause = NULL, *password = NULL, *hash = NULL;
	int				 opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's': how = ADMIN_USER_PASSWORD_STDIN; break;
		default: return admin_usage(ctx, &admin_cmd_user_passwd);
		}
	}
	if (optind != argc - 1)
		return admin_usage(ctx, &admin_cmd_user_passwd);
	if ((status = admin_user_get(ctx, argv[optind], &user)) != ADMIN_EXIT_OK)
		return status;
	status = ADMIN_EXIT_FAILURE;
	if (admin_user_password(ctx, how, &password, &hash, &cause) != 0)
		goto fail;
	if (store_begin(ctx->store, &cause) != 0)
		goto fail;
	if (store_user_set_password(ctx->store, user->id, hash, &cause) != 0 ||
	    admin_user_audit(ctx, "user_passwd", user->login, NULL, &cause) != 0) {
		store_rollback(ctx->store);
		goto fail;
	}
	if (admin_user_commit(ctx, &cause) != 0)
		goto fail;
	if (how == ADMIN_USER_PASSWORD_GENERATE)
		admin_user_print_password(ctx, user->login, password);
	else
		fprintf(ctx->out, "password of %s changed\n", user->login);
	status = ADMIN_EXIT_OK;
	goto out;
fail:
	status = admin_user_fail_cause(ctx, cause);
out:
	admin_user_wipe(password);
	admin_user_wipe(hash);
	store_user_free(user);
	return status;
}

/* user role LOGIN ROLE [--unit UNIT --department DEPT] */
static int
admin_user_role_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	static const struct option	 options[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "department", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_user		*user = NULL, changed;
	const char			*unit = NULL, *department = NULL;
	char				*cause = NULL, *before = NULL, *after = NULL, *note;
	enum role			 role;
	int				 opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'u': unit = optarg; break;
		case 'd': department = optarg; break;
		default: return admin_usage(ctx, &admin_cmd_user_role);
		}
	}
	if (optind != argc - 2)
		return admin_usage(ctx, &admin_cmd_user_role);
	if (admin_user_role(ctx, argv[optind + 1], &role) != ADMIN_EXIT_OK)
		return ADMIN_EXIT_FAILURE;
	if ((status = admin_user_get(ctx, argv[optind], &user)) != ADMIN_EXIT_OK)
		return status;
	status = ADMIN_EXIT_FAILURE;
	if (admin_user_placement(ctx, role, unit, department, &cause) != 0)
		goto fail;
	changed = *user;
	changed.role = role;
	changed.unit = (char *)unit;
	changed.department = (char *)department;
	before = admin_user_note(user->role, user->unit, user->department);
	after = admin_user_note(role, unit, department);
	if (store_begin(ctx->store, &cause) != 0)
		goto fail;
	if (user->role == ROLE_ADMIN && role != ROLE_ADMIN && !user->disabled &&
	    admin_user_other_admin(ctx, user, &cause) != 0)
		goto rollback;
	note = xasprintf("%s -> %s", before, after);
	if (store_user_update(ctx->store, &changed, &cause) != 0 ||
	    admin_user_audit(ctx, "user_update", user->login, note, &cause) != 0) {
		free(note);
		goto rollback;
	}
	free(note);
	if (admin_user_commit(ctx, &cause) != 0)
		goto fail;
	fprintf(ctx->out, "%s: %s (was %s)\n", user->login, after, before);
	status = ADMIN_EXIT_OK;
	goto out;
rollback:
	store_rollback(ctx->store);
fail:
	status = admin_user_fail_cause(ctx, cause);
out:
	free(before);
	free(after);
	store_user_free(user);
	return status;
}

/* Read the key lines of ctx->in; returns the count, or -1 with *cause set. */
static int
admin_user_read_keys(struct admin_ctx *ctx, struct admin_user_key *keys, char **cause)
{
	char	*line, *why = NULL;
	size_t	 len;
	int	 n = 0, lineno = 0;

	line = xmalloc(ADMIN_USER_KEY_MAX + 2);
	while (fgets(line, ADMIN_USER_KEY_MAX + 2, ctx->in) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > ADMIN_USER_KEY_MAX) {
			*cause = xasprintf("line %d: too long", lineno);
			goto fail;
		}
		while (len != 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		    line[len - 1] == ' '))
			line[--len] = '\0';
		if (line[strspn(line, " ")] == '\0' || line[strspn(line, " ")] == '#')
			continue;
		if (n == ADMIN_USER_KEYS_MAX) {
			*cause = xasprintf("too many keys (at most %d at once)",
			    ADMIN_USER_KEYS_MAX);
			goto fail;
		}
		if (admin_user_key_parse(line, &keys[n], &why) != 0) {
			*cause = xasprintf("line %d: %s", lineno, why);
			free(why);
			goto fail;
		}
		n++;
	}
	free(line);
	if (n == 0) {
		*cause = xstrdup("no key on standard input (give the lines of an OpenSSH .pub "
		    "file)");
		return -1;
	}
	return n;
fail:
	while (n > 0)
		admin_user_key_clear(&keys[--n]);
	free(line);
	return -1;
}

/* user key add LOGIN: the keys on stdin, all or none. */
static int
admin_user_key_add_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct admin_user_key	*keys;
	struct store_user	*user;
	char			*cause = NULL, *fp, *note;
	int64_t			*ids;
	int			 n, i, status;

	if (argc != 2 || argv[1][0] == '-')
		return admin_usage(ctx, &admin_cmd_user_key_add);
	if ((status = admin_user_get(ctx, argv[1], &user)) != ADMIN_EXIT_OK)
		return status;
	keys = xcalloc(ADMIN_USER_KEYS_MAX, sizeof *keys);
	ids = xcalloc(ADMIN_USER_KEYS_MAX, sizeof *ids);
	status = ADMIN_EXIT_FAILURE;
	if ((n = admin_user_read_keys(ctx, keys, &cause)) == -1)
		goto fail;
	if (store_begin(ctx->store, &cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		fp = admin_user_fingerprint(keys[i].blob);
		note = xasprintf("%s %s", keys[i].type, fp);
		free(fp);
		if (store_key_add(ctx->store, user->id, keys[i].type, keys[i].blob,
		    keys[i].comment, &ids[i], &cause) != 0 ||
		    admin_user_audit(ctx, "user_key_add", user->login, note, &cause) != 0) {
			free(note);
			store_rollback(ctx->store);
			goto fail;
		}
		free(note);
	}
	if (admin_user_commit(ctx, &cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		fp = admin_user_fingerprint(keys[i].blob);
		fprintf(ctx->out, "added key %lld to %s: %s %s\n", (long long)ids[i],
		    user->login, keys[i].type, fp);
		free(fp);
	}
	status = ADMIN_EXIT_OK;
	goto out;
fail:
	status = admin_user_fail_cause(ctx, cause);
out:
	for (i = 0; i < ADMIN_USER_KEYS_MAX; i++)
		admin_user_key_clear(&keys[i]);
	free(keys);
	free(ids);
	store_user_free(user);
	return status;
}

/* user key list LOGIN */
static int
admin_user_key_list_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct store_user	*user;
	int			 status;

	if (argc != 2 || argv[1][0] == '-')
		return admin_usage(ctx, &admin_cmd_user_key_list);
	if ((status = admin_user_get(ctx, argv[1], &user)) != ADMIN_EXIT_OK)
		return status;
	status = admin_user_print_keys(ctx, user);
	store_user_free(user);
	return status;
}

/* user key remove LOGIN ID */
static int
admin_user_key_remove_exec(struct admin_ctx *ctx, int argc, char **argv)
{
	struct store_user	*user;
	char			*cause = NULL, *end, *note;
	long long		 id;
	int			 status;

	if (argc != 3 || argv[1][0] == '-')
		return admin_usage(ctx, &admin_cmd_user_key_remove);
	errno = 0;
	id = strtoll(argv[2], &end, 10);
	if (argv[2][0] < '0' || argv[2][0] > '9' || *end != '\0' || errno != 0 || id <= 0) {
		admin_fail(ctx, "'%s' is not a key id ('user key list %s' shows them)",
		    argv[2], argv[1]);
		return ADMIN_EXIT_USAGE;
	}
	if ((status = admin_user_get(ctx, argv[1], &user)) != ADMIN_EXIT_OK)
		return status;
	note = xasprintf("key %lld", id);
	if (store_begin(ctx->store, &cause) != 0)
		goto fail;
	if (store_key_remove(ctx->store, user->id, id, &cause) != 0 ||
	    admin_user_audit(ctx, "user_key_remove", user->login, note, &cause) != 0) {
		store_rollback(ctx->store);
		goto fail;
	}
	if (admin_user_commit(ctx, &cause) != 0)
		goto fail;
	fprintf(ctx->out, "removed key %lld of %s\n", id, user->login);
	status = ADMIN_EXIT_OK;
	goto out;
fail:
	status = admin_user_fail_cause(ctx, cause);
out:
	free(note);
	store_user_free(user);
	return status;
}

const struct admin_command admin_cmd_user_add = {
	.name = "user add",
	.usage = "LOGIN --name NAME --role one_stop|officer|leader|monitor|admin "
	    "[--unit UNIT --department DEPT] [--password-stdin | --generate-password]",
	.summary = "add a user",
	.help = "LOGIN is 1 to 64 of a-z 0-9 . _ -. One-stop staff, officers and leaders\n"
	    "belong to a unit and a department of the catalog; monitors and administrators\n"
	    "to none. --password-stdin reads the password from the first line of standard\n"
	    "input (at least 8 characters); --generate-password makes one and prints it\n"
	    "once; with neither, the user can log in only once a key is added.",
	.exec = admin_user_add_exec,
};

const struct admin_command admin_cmd_user_list = {
	.name = "user list",
	.usage = "[--unit UNIT]",
	.summary = "list the users",
	.help = "One row per user, by login: name, role, unit, department, whether enabled,\n"
	    "whether a password is set and how many keys the user holds.",
	.tabular = true,
	.exec = admin_user_list_exec,
};

const struct admin_command admin_cmd_user_show = {
	.name = "user show",
	.usage = "LOGIN",
	.summary = "show one user and the user's keys",
	.help = "Prints the user's fields, one per line, and each key with its id, type,\n"
	    "SHA256 fingerprint (as ssh-keygen -l prints it) and comment.",
	.exec = admin_user_show_exec,
};

const struct admin_command admin_cmd_user_disable = {
	.name = "user disable",
	.usage = "LOGIN",
	.summary = "stop a user from logging in",
	.help = "The user can no longer log in; sessions already open continue until they\n"
	    "end. The last enabled administrator cannot be disabled.",
	.exec = admin_user_disable_exec,
};

const struct admin_command admin_cmd_user_enable = {
	.name = "user enable",
	.usage = "LOGIN",
	.summary = "let a disabled user log in again",
	.help = "Undoes 'user disable'.",
	.exec = admin_user_enable_exec,
};

const struct admin_command admin_cmd_user_passwd = {
	.name = "user passwd",
	.usage = "LOGIN [--password-stdin]",
	.summary = "set a user's password",
	.help = "Without an option a new password is generated and printed once. With\n"
	    "--password-stdin it is read from the first line of standard input.",
	.exec = admin_user_passwd_exec,
};

const struct admin_command admin_cmd_user_role = {
	.name = "user role",
	.usage = "LOGIN one_stop|officer|leader|monitor|admin [--unit UNIT --department DEPT]",
	.summary = "change a user's role, unit and department",
	.help = "The unit and department are required for one_stop, officer and leader and\n"
	    "refused for monitor and admin. The last enabled administrator keeps the role.",
	.exec = admin_user_role_exec,
};

const struct admin_command admin_cmd_user_key_add = {
	.name = "user key add",
	.usage = "LOGIN",
	.summary = "add public keys (OpenSSH lines on standard input)",
	.help = "Reads lines of an OpenSSH .pub file (TYPE BASE64 [COMMENT]) from standard\n"
	    "input; blank lines and lines starting with # are skipped. Either every key is\n"
	    "added or none. Types: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 and the\n"
	    "security-key variants. Example:\n"
	    "  ssh admin@province user key add lan < lan.pub",
	.exec = admin_user_key_add_exec,
};

const struct admin_command admin_cmd_user_key_list = {
	.name = "user key list",
	.usage = "LOGIN",
	.summary = "list a user's public keys",
	.help = "One row per key: its id (for 'user key remove'), type, SHA256 fingerprint and\n"
	    "comment.",
	.tabular = true,
	.exec = admin_user_key_list_exec,
};

const struct admin_command admin_cmd_user_key_remove = {
	.name = "user key remove",
	.usage = "LOGIN ID",
	.summary = "remove one of a user's public keys",
	.help = "ID is the key's id as 'user key list' shows it.",
	.exec = admin_user_key_remove_exec,
};

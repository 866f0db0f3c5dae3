/*
 * mkuser.c: a helper of the SSH end-to-end tests: add a user to a store, with a password
 * and/or an OpenSSH public key file.
 *
 * usage: mkuser DB LOGIN [--password P] [--key FILE] [--role ROLE] [--unit U]
 *        [--department D] [--name NAME] [--disabled]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "store.h"
#include "xmalloc.h"

/* Parse a role name. */
static int
mkuser_role(const char *name, enum role *role)
{
	static const char	*names[] = { "one-stop", "officer", "leader", "monitor", "admin" };
	size_t			 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i]) == 0) {
			*role = (enum role)i;
			return 0;
		}
	}
	return -1;
}

/* Add the key on the first line of an OpenSSH public key file. */
static int
mkuser_key(struct store *store, int64_t user, const char *path, char **cause)
{
	FILE	*f;
	char	 line[8192], *type, *blob, *comment, *save = NULL;
	int	 rc;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: cannot open", path);
		return -1;
	}
	if (fgets(line, sizeof line, f) == NULL) {
		fclose(f);
		*cause = xasprintf("%s: empty", path);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	type = strtok_r(line, " ", &save);
	blob = strtok_r(NULL, " ", &save);
	comment = strtok_r(NULL, "", &save);
	if (type == NULL || blob == NULL) {
		*cause = xasprintf("%s: not a public key line", path);
		return -1;
	}
	rc = store_key_add(store, user, type, blob, comment != NULL ? comment : "", NULL,
	    cause);
	return rc;
}

/* Add the user. */
int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "password", required_argument, NULL, 'p' },
		{ "key", required_argument, NULL, 'k' },
		{ "role", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "department", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "disabled", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_user	 u;
	struct store		*store;
	const char		*password = NULL, *key = NULL;
	char			*cause = NULL, *hash = NULL;
	int64_t			 id;
	int			 opt;

	memset(&u, 0, sizeof u);
	u.role = ROLE_ONE_STOP;
	u.unit = (char *)"TPSL";
	u.department = (char *)"mot-cua";
	u.full_name = (char *)"Nguyễn Văn Thử";
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'p': password = optarg; break;
		case 'k': key = optarg; break;
		case 'r':
			if (mkuser_role(optarg, &u.role) != 0) {
				fprintf(stderr, "mkuser: unknown role %s\n", optarg);
				return 2;
			}
			break;
		case 'u': u.unit = optarg; break;
		case 'd': u.department = optarg; break;
		case 'n': u.full_name = optarg; break;
		case 'x': u.disabled = true; break;
		default: return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: mkuser DB LOGIN [--password P] [--key FILE] [--role R] "
		    "[--unit U] [--department D] [--name NAME] [--disabled]\n");
		return 2;
	}
	if (u.role == ROLE_MONITOR || u.role == ROLE_ADMIN)
		u.unit = u.department = NULL;
	u.login = argv[optind + 1];
	if (password != NULL && auth_hash_password(password, &hash, &cause) != 0)
		goto fail;
	u.password_hash = hash;
	if ((store = store_open(argv[optind], &cause)) == NULL)
		goto fail;
	if (store_user_add(store, &u, (int64_t)time(NULL), &id, &cause) != 0 ||
	    (key != NULL && mkuser_key(store, id, key, &cause) != 0)) {
		store_close(store);
		goto fail;
	}
	store_close(store);
	free(hash);
	return 0;
fail:
	fprintf(stderr, "mkuser: %s\n", cause);
	free(cause);
	free(hash);
	return 1;
}

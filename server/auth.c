/*
 * auth.c: password and public-key authentication of one SSH connection against the store.
 *
 * Passwords are verified with yescrypt (libxcrypt) behind a concurrency limit shared by all
 * session processes: one of auth_concurrency lock files under DATA/run is held while the hash
 * is computed; waiting for one never outlasts the login grace deadline. An unknown, disabled
 * or password-less user costs the same verification against a fixed dummy hash, so the answer
 * and its timing do not tell whether a login exists. Public keys authenticate only with a
 * valid signature; an unsigned probe for a key the user holds is only told "this key is
 * acceptable". The public read-only login (conf public_login) is the exception: it holds no
 * secret and gets in by whatever method the client offers first, "none" included, without
 * looking at the store; the session then gives it the public interface and nothing else.
 *
 * The listener keeps the penalties. Before a password or a signature is checked it is asked
 * "try LOGIN" and answers "ok" or "penalised SECONDS" (too many failures for that login from
 * this source); every failed attempt is told as "fail LOGIN", and a connection that ends
 * without authenticating and without a failed attempt as "gone [LOGIN]". A login that is not
 * of a valid form is sent as "-".
 */
#include "config.h"

#include <sys/file.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "auth.h"
#include "conf.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

/* A yescrypt hash of a password nobody knows, at the cost auth_hash_password uses. */
#define AUTH_DUMMY_HASH \
	"$y$j9T$j/1dNH7slDE5cFNqZOjoJ1$DYF7kQU5rCgLggSHSFd.CPut0vIm6KzRSXb2svwZ/CD"

#define AUTH_MAX_PROBES		16	/* unsigned key offers per connection */
#define AUTH_REPLY_TIMEOUT	5000	/* milliseconds to wait for the listener */
#define AUTH_LOCK_POLL		20	/* milliseconds between tries of the lock files */

/* How a password verification went. */
enum auth_verdict {
	AUTH_MATCH,
	AUTH_MISMATCH,
	AUTH_TIMEOUT		/* no verification slot before the login grace deadline */
};

struct auth {
	const struct server	*server;
	int			 control;
	const char		*peer;
	struct store		*store;
	bool			 store_failed;
	int64_t			 deadline;	/* ms, monotonic: the login grace */
	int			 failures;
	int			 probes;
	bool			 done;
	bool			 public;	/* the public read-only login */
	char			*login;
	enum role		 role;		/* after success */
	char			*tried;		/* the last login of a valid form tried */
	char			*reason;	/* why the client is sent away, or NULL */
	enum auth_admission	 admission;
};

/* Hash a password with yescrypt and a fresh salt. */
int
auth_hash_password(const char *password, char **hash, char **cause)
{
	struct crypt_data	*data;
	char			 setting[CRYPT_GENSALT_OUTPUT_SIZE];
	const char		*out;
	int			 status = -1;

	data = xcalloc(1, sizeof *data);
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof setting) == NULL) {
		*cause = xasprintf("cannot make a password salt: %s", strerror(errno));
		goto out;
	}
	if ((out = crypt_rn(password, setting, data, sizeof *data)) == NULL) {
		*cause = xasprintf("cannot hash the password: %s", strerror(errno));
		goto out;
	}
	*hash = xstrdup(out);
	status = 0;
out:
	explicit_bzero(data, sizeof *data);
	free(data);
	return status;
}

/* Compare two strings in time that depends only on their lengths. */
static bool
auth_equal(const char *a, const char *b)
{
	size_t		 la = strlen(a), lb = strlen(b), i;
	unsigned char	 diff = 0;

	if (la != lb)
		return false;
	for (i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* Verify a password against a crypt string. */
bool
auth_check_hash(const char *password, const char *hash)
{
	struct crypt_data	*data;
	const char		*out;
	bool			 ok;

	data = xcalloc(1, sizeof *data);
	out = crypt_rn(password, hash, data, sizeof *data);
	ok = out != NULL && out[0] != '*' && auth_equal(out, hash);
	explicit_bzero(data, sizeof *data);
	free(data);
	return ok;
}

/* Milliseconds on the monotonic clock. */
static int64_t
auth_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Return per-connection authentication state; the login grace starts now. */
struct auth *
auth_new(const struct server *server, int control, const char *peer)
{
	struct auth	*auth;

	auth = xcalloc(1, sizeof *auth);
	auth->server = server;
	auth->control = control;
	auth->peer = peer;
	auth->deadline = auth_now() + (int64_t)server->conf->login_grace * 1000;
	return auth;
}

/* Free the state, closing the store; NULL is fine. */
void
auth_free(struct auth *auth)
{
	if (auth == NULL)
		return;
	store_close(auth->store);
	free(auth->login);
	free(auth->tried);
	free(auth->reason);
	free(auth);
}

/* Return true if a login has a plausible form: [a-z0-9._-], 1 to 64 characters. */
bool
auth_login_valid(const char *login)
{
	size_t	n;

	for (n = 0; login[n] != '\0'; n++) {
		if (n == 64 || !((login[n] >= 'a' && login[n] <= 'z') ||
		    (login[n] >= '0' && login[n] <= '9') || login[n] == '.' ||
		    login[n] == '_' || login[n] == '-'))
			return false;
	}
	return n != 0;
}

/* Look an enabled user up, opening the store on first use; NULL if there is none. */
static struct store_user *
auth_user(struct auth *auth, const char *login)
{
	struct store_user	*user = NULL;
	char			*cause = NULL;

	if (!auth_login_valid(login))
		return NULL;
	if (auth->store == NULL && !auth->store_failed) {
		auth->store = store_open(auth->server->db_path, &cause);
		if (auth->store == NULL) {
			log_error("cannot open the store: %s", cause);
			free(cause);
			auth->store_failed = true;
			return NULL;
		}
	}
	if (auth->store == NULL)
		return NULL;
	if (store_user_by_login(auth->store, login, &user, &cause) != 0) {
		log_error("looking up a user: %s", cause);
		free(cause);
		return NULL;
	}
	if (user != NULL && user->disabled) {
		log_info("login %s is disabled", user->login);
		store_user_free(user);
		return NULL;
	}
	return user;
}

/*
 * Take one of the auth_concurrency lock files, trying them all without blocking and again
 * every AUTH_LOCK_POLL ms until the login grace deadline. Returns its descriptor, -1 if the
 * files cannot be opened (verification goes ahead unlocked) or -2 once the deadline passed.
 */
static int
auth_lock(const struct auth *auth)
{
	const struct server	*server = auth->server;
	struct timespec		 pause = { 0, AUTH_LOCK_POLL * 1000 * 1000 };
	char			*path;
	int			 i, n = server->conf->auth_concurrency, fd;
	int			 first = (int)(getpid() % n);

	for (;;) {
		for (i = 0; i < n; i++) {
			/* Start at a file chosen by process id so sessions spread out. */
			path = xasprintf("%s/auth.%d.lock", server->run_dir, (first + i) % n);
			fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
			free(path);
			if (fd == -1) {
				log_warn("auth lock: %s", strerror(errno));
				return -1;
			}
			if (flock(fd, LOCK_EX | LOCK_NB) == 0)
				return fd;
			close(fd);
		}
		if (auth_now() + AUTH_LOCK_POLL >= auth->deadline)
			return -2;
		nanosleep(&pause, NULL);
	}
}

/* Verify a password under the concurrency limit; the dummy hash if hash is NULL. */
static enum auth_verdict
auth_verify(const struct auth *auth, const char *password, const char *hash)
{
	bool	ok;
	int	lock;

	if ((lock = auth_lock(auth)) == -2)
		return AUTH_TIMEOUT;
	ok = auth_check_hash(password, hash != NULL ? hash : AUTH_DUMMY_HASH) && hash != NULL;
	if (lock != -1)
		close(lock);
	return ok ? AUTH_MATCH : AUTH_MISMATCH;
}

/* Send one line to the listener; errors are logged and otherwise ignored. */
static void
auth_tell(struct auth *auth, const char *line)
{
	size_t	len = strlen(line);

	if (auth->control == -1)
		return;
	if (write(auth->control, line, len) != (ssize_t)len)
		log_warn("cannot tell the listener: %s", strerror(errno));
}

/* Send a line to the listener and read its one-line answer into reply; -1 if none came. */
static int
auth_ask(struct auth *auth, const char *line, char *reply, size_t size)
{
	struct pollfd	 pfd;
	size_t		 used = 0;
	ssize_t		 n;

	auth_tell(auth, line);
	pfd.fd = auth->control;
	pfd.events = POLLIN;
	while (used < size - 1) {
		if (poll(&pfd, 1, AUTH_REPLY_TIMEOUT) <= 0)
			break;
		if ((n = read(auth->control, reply + used, 1)) <= 0)
			break;
		if (reply[used] == '\n') {
			reply[used] = '\0';
			return 0;
		}
		used++;
	}
	return -1;
}

/* Ask the listener whether the user may open one more session. */
static enum auth_admission
auth_admit(struct auth *auth)
{
	char	*line, reply[32];
	int	 rc;

	if (auth->control == -1)
		return AUTH_ADMITTED;
	line = xasprintf("auth %s\n", auth->login);
	rc = auth_ask(auth, line, reply, sizeof reply);
	free(line);
	if (rc == 0 && strcmp(reply, "ok") == 0)
		return AUTH_ADMITTED;
	if (rc == 0 && strcmp(reply, "full-user") == 0)
		return AUTH_FULL_USER;
	return AUTH_FULL_SERVER;
}

/* The login as the listener is told it: itself if of a valid form, else "-". */
static const char *
auth_key(const char *login)
{
	return auth_login_valid(login) ? login : "-";
}

/*
 * Ask the listener whether attempts for a login are allowed from this source. If the login is
 * penalised, the connection is told why and gets no more attempts; returns false then.
 */
static bool
auth_allowed(struct auth *auth, const char *login)
{
	char		*line, reply[32], *end;
	long		 seconds;

	if (auth_login_valid(login)) {
		free(auth->tried);
		auth->tried = xstrdup(login);
	}
	if (auth->control == -1)
		return true;
	line = xasprintf("try %s\n", auth_key(login));
	if (auth_ask(auth, line, reply, sizeof reply) != 0 ||
	    strncmp(reply, "penalised ", 10) != 0) {
		free(line);
		return true;
	}
	free(line);
	seconds = strtol(reply + 10, &end, 10);
	if (seconds < 1)
		seconds = 1;
	log_info("refused: login %s from %s is penalised for %ld more s", auth_key(login),
	    auth->peer, seconds);
	free(auth->reason);
	auth->reason = xasprintf("Too many failed logins as %s from your address; try again "
	    "in %ld minutes", auth_key(login), (seconds + 59) / 60);
	auth->failures = auth->server->conf->max_auth_tries;
	return false;
}

/* Record a failed attempt and tell the listener. */
static void
auth_fail(struct auth *auth, const char *login, const char *method)
{
	char	*line;

	auth->failures++;
	log_info("auth failed: %s for %s from %s (attempt %d of %d)", method,
	    auth_login_valid(login) ? login : "(invalid login)", auth->peer, auth->failures,
	    auth->server->conf->max_auth_tries);
	line = xasprintf("fail %s\n", auth_key(login));
	auth_tell(auth, line);
	free(line);
}

/* Record a success, ask the listener for admission and log it. */
static void
auth_succeed(struct auth *auth, const struct store_user *user, const char *method)
{
	auth->done = true;
	auth->login = xstrdup(user->login);
	auth->role = user->role;
	auth->admission = auth_admit(auth);
	log_info("auth ok: %s for %s from %s%s", method, user->login, auth->peer,
	    auth->admission == AUTH_ADMITTED ? "" : auth->admission == AUTH_FULL_USER ?
	    " (refused: too many sessions of this user)" : " (refused: server full)");
	/* The session does not need the store any more; the interface opens its own. */
	store_close(auth->store);
	auth->store = NULL;
}

/* Return true if login is the public read-only login, and that login is enabled. */
static bool
auth_is_public(const struct auth *auth, const char *login)
{
	const char	*public_login = auth->server->conf->public_login;

	return public_login != NULL && *public_login != '\0' && strcmp(login, public_login) == 0;
}

/*
 * Let the public login in, whatever method the client offers: it holds no secret, is never a
 * user of the store (a user of that name cannot log in) and gets only the public interface.
 */
static int
auth_public_succeed(struct auth *auth, const char *login, const char *method)
{
	auth->done = true;
	auth->public = true;
	auth->login = xstrdup(login);
	auth->admission = auth_admit(auth);
	log_info("auth ok: %s for %s from %s (public read-only login)%s", method, login,
	    auth->peer, auth->admission == AUTH_ADMITTED ? "" :
	    auth->admission == AUTH_FULL_USER ? " (refused: too many sessions of this user)" :
	    " (refused: server full)");
	return SSH_AUTH_SUCCESS;
}

/* Answer the "none" method: only the public login gets in with it. */
int
auth_none(struct auth *auth, const char *login)
{
	if (auth->done || auth_exhausted(auth) || !auth_is_public(auth, login))
		return SSH_AUTH_DENIED;
	return auth_public_succeed(auth, login, "none");
}

/* Answer a password attempt. */
int
auth_password(struct auth *auth, const char *login, const char *password)
{
	struct store_user	*user;
	enum auth_verdict	 verdict;

	if (auth->done || auth_exhausted(auth))
		return SSH_AUTH_DENIED;
	if (auth_is_public(auth, login))
		return auth_public_succeed(auth, login, "password");
	if (!auth_allowed(auth, login))
		return SSH_AUTH_DENIED;
	user = auth_user(auth, login);
	verdict = auth_verify(auth, password, user != NULL ? user->password_hash : NULL);
	if (verdict == AUTH_TIMEOUT) {
		/* The grace is over (the session ends the connection): nothing was verified. */
		log_info("auth timed out: no password verification slot for %s before the "
		    "login grace deadline", auth->peer);
		store_user_free(user);
		return SSH_AUTH_DENIED;
	}
	if (verdict != AUTH_MATCH || user == NULL) {
		store_user_free(user);
		auth_fail(auth, login, "password");
		return SSH_AUTH_DENIED;
	}
	auth_succeed(auth, user, "password");
	store_user_free(user);
	return SSH_AUTH_SUCCESS;
}

/* Answer a public key offer (unsigned probe) or a signed attempt. */
int
auth_pubkey(struct auth *auth, const char *login, ssh_key key, char state)
{
	struct store_user	*user;
	const char		*type;
	char			*blob = NULL, *cause = NULL;
	int			 match = 0, answer = SSH_AUTH_DENIED;

	if (auth->done || auth_exhausted(auth))
		return SSH_AUTH_DENIED;
	if (auth_is_public(auth, login)) {
		/* Any key will do: a probe is told so, a signed attempt gets in. */
		if (state == SSH_PUBLICKEY_STATE_NONE)
			return SSH_AUTH_SUCCESS;
		if (state == SSH_PUBLICKEY_STATE_VALID)
			return auth_public_succeed(auth, login, "publickey");
		return SSH_AUTH_DENIED;
	}
	if (state == SSH_PUBLICKEY_STATE_NONE && ++auth->probes > AUTH_MAX_PROBES) {
		auth_fail(auth, login, "publickey (too many keys offered)");
		auth->failures = auth->server->conf->max_auth_tries;
		return SSH_AUTH_DENIED;
	}
	if (state == SSH_PUBLICKEY_STATE_NONE) {
		if (auth_login_valid(login)) {
			free(auth->tried);
			auth->tried = xstrdup(login);
		}
	} else if (!auth_allowed(auth, login))
		return SSH_AUTH_DENIED;
	user = auth_user(auth, login);
	type = ssh_key_type_to_char(ssh_key_type(key));
	if (user != NULL && type != NULL && ssh_pki_export_pubkey_base64(key, &blob) == SSH_OK) {
		match = store_key_match(auth->store, user->id, type, blob, &cause);
		if (match == -1) {
			log_error("matching a key: %s", cause);
			free(cause);
		}
	}
	switch (state) {
	case SSH_PUBLICKEY_STATE_NONE:
		/* The probe: SSH_AUTH_SUCCESS only means "sign with this key". */
		if (match == 1)
			answer = SSH_AUTH_SUCCESS;
		break;
	case SSH_PUBLICKEY_STATE_VALID:
		if (match == 1) {
			auth_succeed(auth, user, "publickey");
			answer = SSH_AUTH_SUCCESS;
		} else
			auth_fail(auth, login, "publickey");
		break;
	default:
		/* A wrong signature, or any other state, never authenticates. */
		auth_fail(auth, login, "publickey (bad signature)");
		break;
	}
	ssh_string_free_char(blob);
	store_user_free(user);
	return answer;
}

/* Return true once the connection is authenticated. */
bool
auth_done(const struct auth *auth)
{
	return auth->done;
}

/* Return true when no more attempts are allowed. */
bool
auth_exhausted(const struct auth *auth)
{
	return auth->failures >= auth->server->conf->max_auth_tries;
}

/* The authenticated login, or NULL. */
const char *
auth_login(const struct auth *auth)
{
	return auth->login;
}

/* Return true if the connection logged in as the public read-only login. */
bool
auth_public(const struct auth *auth)
{
	return auth->done && auth->public;
}

/* The authenticated user's role, as the store had it at login. */
enum role
auth_role(const struct auth *auth)
{
	return auth->role;
}

/* Why the client is sent away, if it is for a reason other than its own failures. */
const char *
auth_reason(const struct auth *auth)
{
	return auth->reason;
}

/* Tell the listener that the connection ends unauthenticated without a failed attempt. */
void
auth_end(struct auth *auth)
{
	char	*line;

	if (auth->done || auth->failures != 0)
		return;
	if (auth->tried != NULL)
		line = xasprintf("gone %s\n", auth->tried);
	else
		line = xstrdup("gone\n");
	auth_tell(auth, line);
	free(line);
}/* What the listener answered about one more session for the user. */
enum auth_admission
auth_admission(const struct auth *auth)
{
	return auth->admission;
}

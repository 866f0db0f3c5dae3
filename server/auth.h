/*
 * auth.h: authentication of one SSH connection against the store: passwords (yescrypt) and
 * public keys. Every failure looks the same from outside, whether the user exists or not, and
 * the listener is asked about penalties and told of each failure and of the success.
 */
#ifndef MOTCUA_AUTH_H
#define MOTCUA_AUTH_H

#include <stdbool.h>

#include <libssh/libssh.h>

#include "dossier.h"

struct server;
struct auth;

/* How many sessions the listener allows the user who just logged in. */
enum auth_admission {
	AUTH_ADMITTED,
	AUTH_FULL_USER,		/* max_sessions_per_user reached */
	AUTH_FULL_SERVER	/* max_sessions reached */
};

/*
 * Hash a password for the store with yescrypt and a fresh salt. *hash is the caller's.
 * Returns 0, or -1 with *cause set.
 */
int		 auth_hash_password(const char *password, char **hash, char **cause);

/* Return true if password matches the stored hash (a crypt string). */
bool		 auth_check_hash(const char *password, const char *hash);

/* Return true if a login has the accepted form: 1 to 64 of a-z 0-9 . _ - */
bool		 auth_login_valid(const char *login);

/*
 * State for one connection; control is the socket to the listener (-1: none), peer the
 * client's address for the log.
 */
struct auth	*auth_new(const struct server *, int control, const char *peer);
void		 auth_free(struct auth *);

/*
 * The libssh answers (SSH_AUTH_SUCCESS / SSH_AUTH_DENIED) to a password or key attempt, or to
 * the "none" method. The public read-only login (conf public_login, unless empty) gets in by
 * any of them without a secret; every other login needs a password or a key.
 */
int		 auth_password(struct auth *, const char *login, const char *password);
int		 auth_pubkey(struct auth *, const char *login, ssh_key, char state);
int		 auth_none(struct auth *, const char *login);

bool		 auth_done(const struct auth *);
/* Whether the connection may make no more attempts (max_auth_tries, or penalised). */
bool		 auth_exhausted(const struct auth *);
/* The message for the client when it is sent away for a penalty; NULL otherwise. */
const char	*auth_reason(const struct auth *);
/* After success: the login and the admission. */
const char	*auth_login(const struct auth *);
/* After success: whether it is the public read-only login (it may use nothing else). */
bool		 auth_public(const struct auth *);
/* After success: the user's role at login (the exec child checks it again in the store). */
enum role	 auth_role(const struct auth *);
enum auth_admission auth_admission(const struct auth *);

/*
 * At the end of a connection: if it never authenticated and made no failed attempt (key
 * exchange timeout, grace expiry, disconnect), tell the listener, for whom it counts as one
 * failure of the source.
 */
void		 auth_end(struct auth *);

#endif

/*
 * cmd-admin.h: the administrators' commands on the command line: `motcuad admin` on the
 * server host, `motcuad exec` (what an SSH exec request runs, internal) and `motcuad init`.
 */
#ifndef MOTCUA_CMD_ADMIN_H
#define MOTCUA_CMD_ADMIN_H

/*
 * motcuad admin [--data DIR] [--catalog DIR] COMMAND ARGS...: run one command of admin.h on
 * the host, as actor 0 ("local"). DIR defaults to $MOTCUA_DATA; the catalog to
 * cli_catalog_dir(DIR).
 */
int	cmd_admin_exec(int, char **);

/*
 * motcuad exec --data DIR --catalog DIR --copy DIR --user LOGIN --command CMD: internal,
 * what the session executes for an exec request (exec.c). The user is checked in the store
 * (exists, enabled, role admin) before the request is split and run.
 */
int	cmd_admin_remote_exec(int, char **);

/*
 * motcuad init --data DIR [--catalog DIR] [--admin LOGIN] [--key FILE | --generate-password]:
 * create a production data directory: the store, DIR/run, DIR/motcuad.conf with the
 * defaults commented out (if absent), the first administrator (a key from FILE, or a
 * one-time password printed once), and an "init" audit event.
 */
int	cmd_admin_init_exec(int, char **);

#endif

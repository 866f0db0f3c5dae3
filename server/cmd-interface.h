/* cmd-interface.h: the officers' interface as a command: `motcuad interface` and `motcuad tui`. */
#ifndef MOTCUA_CMD_INTERFACE_H
#define MOTCUA_CMD_INTERFACE_H

/*
 * motcuad interface --data DIR --catalog DIR --user LOGIN --idle-timeout N --idle-warning N
 * --alert-interval N --alerts-outside-office-hours yes|no --backlog-limit N: internal, what an
 * SSH session executes on its pty (see cmd-interface.c); not listed by --help.
 */
int	cmd_interface_exec(int, char **);

/* motcuad tui --data DIR --user LOGIN [--catalog DIR]: the interface on this terminal. */
int	cmd_interface_tui_exec(int, char **);

#endif

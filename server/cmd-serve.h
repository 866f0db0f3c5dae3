/* cmd-serve.h: the `motcuad serve` and `motcuad tui` subcommands. */
#ifndef MOTCUA_CMD_SERVE_H
#define MOTCUA_CMD_SERVE_H

/* motcuad serve --data DIR [--catalog DIR] [--listen ADDR:PORT] [--config FILE] */
int	cmd_serve_exec(int, char **);

/* motcuad tui --data DIR --user LOGIN [--catalog DIR]: the interface on this terminal. */
int	cmd_serve_tui_exec(int, char **);

#endif

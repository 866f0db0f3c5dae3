/* cmd-serve.h: the `motcuad serve` subcommand. */
#ifndef MOTCUA_CMD_SERVE_H
#define MOTCUA_CMD_SERVE_H

/* motcuad serve --data DIR [--catalog DIR] [--listen ADDR:PORT] [--config FILE] */
int	cmd_serve_exec(int, char **);

#endif

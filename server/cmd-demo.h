/* cmd-demo.h: the `motcuad demo` subcommand. */
#ifndef MOTCUA_CMD_DEMO_H
#define MOTCUA_CMD_DEMO_H

/* motcuad demo [--data DIR] [--listen ADDR:PORT] [--catalog DIR] */
int	cmd_demo_exec(int, char **);

#endif

/* cmd-publish.h: the `motcuad publish` subcommand: the public board as static HTML and CSV. */
#ifndef MOTCUA_CMD_PUBLISH_H
#define MOTCUA_CMD_PUBLISH_H

/* motcuad publish --data DIR --out DIR [--catalog DIR] [--date YYYY-MM-DD] */
int	cmd_publish_exec(int, char **);

#endif

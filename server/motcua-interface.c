/*
 * motcua-interface.c: main of the interface program an SSH session executes on its pty, as
 * `motcuad interface --data DIR ...` (see tty.c and cmd-interface.c). It is a program of its
 * own so that the process an officer drives loads neither libssh nor a cryptographic library.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cmd-interface.h"

/* Run the interface command the session gives; refuse anything else. */
int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "C.UTF-8");
	if (argc < 2 || strcmp(argv[1], "interface") != 0) {
		fprintf(stderr, "motcua-interface: the interface of one SSH session, started by "
		    "`motcuad serve`; to try the interface on this terminal, run `motcuad tui`\n");
		return 2;
	}
	return cmd_interface_exec(argc - 1, argv + 1);
}

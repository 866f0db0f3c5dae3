/* tui.c: placeholder until the interface lands. */
#include "config.h"

#include "tui.h"

/* Not yet: report that the interface is missing. */
int
tui_run(struct service *svc, const struct tui_options *opt)
{
	(void)svc;
	(void)opt;
	return 1;
}

/* mkseed.c: fills a fresh store with the dossiers of Thành phố Sơn La in 2015 H1 (seed.c). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "../seed.h"
#include "store.h"
#include "xmalloc.h"

/* Print the usage and return the usage exit status. */
static int
mkseed_usage(void)
{
	fprintf(stderr, "usage: mkseed DB [--catalog DIR]\n");
	return 2;
}

/* Open the store, refuse one that has users, fill it and print what was made. */
int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "catalog", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct catalog_problems	  problems = { 0 };
	struct seed_tally	  t;
	struct store_user	**users = NULL;
	struct catalog		 *cat;
	struct store		 *st;
	const char		 *dir = TEST_CATALOG;
	char			 *cause = NULL;
	size_t			  nusers = 0;
	int			  opt, ret = 1;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'c')
			dir = optarg;
		else
			return mkseed_usage();
	}
	if (argc - optind != 1)
		return mkseed_usage();

	if ((cat = catalog_load(dir, &problems)) == NULL) {
		fprintf(stderr, "mkseed: %s: %s\n", dir,
		    problems.n > 0 ? problems.items[0] : "cannot load the catalog");
		catalog_problems_free(&problems);
		return 1;
	}
	if ((st = store_open(argv[optind], &cause)) == NULL) {
		fprintf(stderr, "mkseed: %s\n", cause);
		free(cause);
		catalog_free(cat);
		return 1;
	}
	if (store_user_list(st, &users, &nusers, &cause) != 0)
		goto fail;
	store_user_list_free(users, nusers);
	if (nusers != 0) {
		cause = xasprintf("%s already has users; give a new file", argv[optind]);
		goto fail;
	}
	if (store_set_bulk(st, true, &cause) != 0 || seed_fill(st, cat, &t, &cause) != 0 ||
	    store_set_bulk(st, false, &cause) != 0)
		goto fail;
	printf("%s: %lld dossiers received by %s (and %lld refused at intake); "
	    "%lld resolved (%lld early, %lld on time, %lld late), %lld returned, "
	    "%lld supplements, %lld withdrawn, %lld stopped, %lld refused, %lld open "
	    "at the end\n", argv[optind], (long long)t.received, SEED_UNIT,
	    (long long)t.refused_at_intake,
	    (long long)(t.resolved_early + t.resolved_on_time + t.resolved_late),
	    (long long)t.resolved_early, (long long)t.resolved_on_time,
	    (long long)t.resolved_late, (long long)t.returned, (long long)t.supplement,
	    (long long)t.withdrawn, (long long)t.stopped, (long long)t.refused,
	    (long long)t.open);
	ret = 0;
	goto out;

fail:
	fprintf(stderr, "mkseed: %s\n", cause);
	free(cause);
out:
	store_close(st);
	catalog_free(cat);
	return ret;
}

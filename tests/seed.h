/*
 * seed.h: the dossiers of Thành phố Sơn La (TPSL) received in the first half of 2015, made
 * through the real lifecycle (dossier.c) for the report tests and the mkseed tool.
 *
 * 5,104 dossiers are received on the working days of the 2015 calendar, inside office hours:
 * land 2,749 (1,567 transfer, gift or new certificate; 1,182 mortgage registrations),
 * construction 190, business 462, justice 1,703 (19 civil status, 1,684 certifications).
 * A few more are refused at intake (not received, so not counted). Their stories are played
 * up to the end of 30 June 2015: most resolved early or on time, some late, some returned,
 * sent back for a supplement, waiting for the land tax, withdrawn, stopped or refused, and
 * some still open. The same seed always gives the same store.
 */
#ifndef MOTCUA_SEED_H
#define MOTCUA_SEED_H

#include <stddef.h>
#include <stdint.h>

struct catalog;
struct store;

#define SEED_UNIT		"TPSL"
#define SEED_TOTAL		5104	/* received */
#define SEED_REFUSED_AT_INTAKE	31	/* refused at the counter, on top of those */
#define SEED_FROM		"2015-01-01 00:00"	/* local; the first dossier comes after */
#define SEED_END		"2015-07-01 00:00"	/* local; nothing happens from here on */

/* How many dossiers of each procedure are received. */
struct seed_procedure {
	const char	*code;
	const char	*field;
	int		 count;
};
extern const struct seed_procedure	seed_procedures[];
extern const size_t			seed_nprocedures;

/* What the generator did, counted as it went, for comparison with the report of the store. */
struct seed_tally {
	int64_t	received;
	int64_t	refused_at_intake;
	int64_t	counter;
	int64_t	post;
	int64_t	online;
	int64_t	resolved_early;
	int64_t	resolved_on_time;
	int64_t	resolved_late;
	int64_t	returned;
	int64_t	supplement;		/* dossiers sent back for a supplement */
	int64_t	financial;		/* dossiers that waited for the land tax */
	int64_t	apologies;
	int64_t	withdrawn;
	int64_t	stopped;
	int64_t	refused;
	int64_t	open;			/* not finished at SEED_END */
};

/*
 * Fill a store that has no user with the seed's users (logins "seed.*", no password) and its
 * dossiers. tally (may be NULL) receives the generator's own counts. Returns 0, or -1 with
 * *cause set.
 */
int	seed_fill(struct store *, const struct catalog *, struct seed_tally *tally,
	    char **cause);

#endif

/* demo.h: the demo province: its users and a few hundred dossiers in every state. */
#ifndef MOTCUA_DEMO_H
#define MOTCUA_DEMO_H

#include <stdbool.h>
#include <stdint.h>

struct calendar;
struct catalog;

/*
 * Fill an empty store at db_path with the demo users (all with password_hash, a hash of
 * "demo") and a few hundred dossiers in every state around now, some overdue, made through
 * the real lifecycle rules so that their histories are complete. A store that already has
 * users is left alone. Returns 0, or -1 with *cause set.
 */
int	demo_populate(const char *db_path, const struct catalog *, const char *password_hash,
	    int64_t now, char **cause);

/*
 * The helpers the demo is made with, for other generated histories (the tests' seed):
 * demo_random steps the splitmix64 sequence in *state and returns an integer in [lo, hi]
 * (lo if hi <= lo), the same for the same state; demo_working_add returns the instant
 * seconds working seconds after t, INT64_MAX if the calendar cannot tell;
 * demo_same_day_or_before tells whether instant a falls on the local day of instant b or
 * before it.
 */
int64_t	demo_random(uint64_t *state, int64_t lo, int64_t hi);
int64_t	demo_working_add(const struct calendar *, int64_t t, int64_t seconds);
bool	demo_same_day_or_before(const struct calendar *, int64_t a, int64_t b);

#endif

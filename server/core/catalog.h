/*
 * catalog.h: the province's procedure catalog, loaded from YAML files (schema 1).
 *
 * A catalog is immutable once loaded. catalog_load reads a whole directory and either returns
 * a complete, valid catalog or reports every problem it found as "file:line:column: message";
 * it never returns half a catalog, so a caller that keeps its old catalog on failure always
 * has a good one.
 */
#ifndef MOTCUA_CATALOG_H
#define MOTCUA_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

#define CATALOG_SCHEMA		1
#define CATALOG_MAX_FILE	(1024 * 1024)	/* bytes per YAML file */
#define CATALOG_MAX_DEPTH	16		/* nesting of collections per file */
#define CATALOG_MAX_PROBLEMS	1000		/* problems kept; later ones are counted */
#define CATALOG_VERSION_LEN	16		/* hex digits of a procedure version */

/* Problems found while loading, each "file:line:column: message", file relative to the dir. */
struct catalog_problems {
	char	**items;
	size_t	  n;
	size_t	  dropped;	/* found beyond CATALOG_MAX_PROBLEMS */
};

struct catalog_department {
	char	*code;
	char	*name;
};

struct catalog_unit {
	char				*code;	/* upper case, used in dossier codes */
	char				*name;
	struct catalog_department	*departments;
	size_t				 ndepartments;
};

struct catalog_field {
	char	*code;
	char	*name;
};

struct catalog_document {
	char	*name;
	int	 originals;
	int	 copies;
};

struct catalog_step {
	char	*dept;		/* department code */
	char	*name;
	int	 centidays;	/* hundredths of a working day */
	bool	 pause_citizen;	/* "pause: citizen": the clock may stop here for the citizen */
};

/* How long a procedure (or a variant) takes. */
struct catalog_duration {
	int	 centidays;	/* hundredths of a working day; 0 with same_day */
	bool	 same_day;	/* the cut-off rule */
};

struct catalog_variant {
	char			*name;
	struct catalog_document	*documents;
	size_t			 ndocuments;
	struct catalog_duration	 duration;
	struct catalog_step	*steps;		/* the variant's own, or a copy of the base steps */
	size_t			 nsteps;
};

/*
 * A procedure. Its top-level documents, duration and steps form variants[0] (named NULL); the
 * "variants:" of the file follow as variants[1..]. A variant without its own steps gets a copy
 * of the top-level steps. A dossier records the index of the variant it was received under.
 */
struct catalog_procedure {
	char			*code;		/* national code, "2.000815" */
	char			*name;
	char			*field;		/* field code */
	char			*level;		/* tinh | huyen | xa */
	bool			 no_deadline;
	bool			 online;
	char			*fee;		/* may be NULL */
	char			*applicants;	/* who may apply; may be NULL */
	char			*agency;	/* implementing agency; may be NULL */
	struct catalog_variant	*variants;	/* at least one */
	size_t			 nvariants;
	char			*result;
	char			**legal_basis;
	size_t			 nlegal_basis;

	char			*file;		/* relative path of its YAML file */
	char			*folded_name;	/* text_fold(name), for search */
	char			*canonical;	/* canonical JSON of the content */
	char			 version[CATALOG_VERSION_LEN + 1];	/* of canonical */
};

struct catalog_period {
	int	start;		/* minutes after local midnight */
	int	end;
};

struct catalog {
	char			*dir;
	char			*province_code;
	char			*province_name;
	int			 utc_offset;	/* seconds east of UTC */
	struct catalog_period	 office_hours[CALENDAR_MAX_PERIODS];
	int			 noffice_hours;
	int			 same_day_cutoff;	/* minutes after local midnight */
	int			 due_soon_hours;	/* working hours */

	struct catalog_unit	*units;
	size_t			 nunits;
	struct catalog_field	*fields;
	size_t			 nfields;
	struct catalog_procedure *procedures;	/* sorted by code */
	size_t			 nprocedures;
	struct calendar		*calendar;
	int			 first_year;	/* years with a calendar file */
	int			 last_year;
};

/*
 * Load and validate the catalog in dir. Returns the catalog, or NULL with every problem added
 * to *problems (which the caller initialises to zero and frees with catalog_problems_free).
 */
struct catalog	*catalog_load(const char *dir, struct catalog_problems *problems);
void		 catalog_free(struct catalog *);

/*
 * Replace *current with the catalog in dir if it loads without problems; otherwise leave
 * *current untouched and return -1 with the problems filled in.
 */
int		 catalog_reload(struct catalog **current, const char *dir,
		     struct catalog_problems *problems);

void		 catalog_problems_free(struct catalog_problems *);

/* Lookups; NULL when absent. */
const struct catalog_procedure	*catalog_procedure(const struct catalog *, const char *code);
const struct catalog_unit	*catalog_unit(const struct catalog *, const char *code);
const struct catalog_field	*catalog_field(const struct catalog *, const char *code);
const struct catalog_department	*catalog_department(const struct catalog_unit *,
				     const char *code);

/*
 * Find procedures whose code starts with query or whose folded name contains every word of
 * the folded query. Fills at most max pointers into out, best matches first (code matches,
 * then name matches in catalog order); returns how many.
 */
size_t	 catalog_search(const struct catalog *, const char *query,
	     const struct catalog_procedure **out, size_t max);


#endif

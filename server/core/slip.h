/*
 * slip.h: the printed forms of a dossier as plain text, 72 columns wide, in Vietnamese:
 * the receipt (Mẫu 01), the guidance for a supplement (Mẫu 02), the refusal (Mẫu 03), the
 * apology with a new appointment (Mẫu 04) and the control slip (Mẫu 05). Pure: no I/O.
 * Every function returns a new string (caller frees); lines end in "\n".
 */
#ifndef MOTCUA_SLIP_H
#define MOTCUA_SLIP_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "dossier.h"

#define SLIP_WIDTH	72

/* Mẫu 01: the receipt and appointment, for a received dossier. */
char	*slip_receipt(const struct catalog *, const struct dossier *);

/* Mẫu 02: what is missing, for an applicant at the counter (no dossier). */
char	*slip_guidance(const struct catalog *, const char *unit, const char *officer_name,
	     const struct catalog_procedure *, const char *applicant_name, const char *missing,
	     int64_t at);

/* Mẫu 03: the refusal, for a dossier refused at intake or later, with the reason. */
char	*slip_refusal(const struct catalog *, const struct dossier *, const char *reason);

/* Mẫu 04: the apology and the one new appointment, with the reason. */
char	*slip_apology(const struct catalog *, const struct dossier *, const char *reason);

/* Mẫu 05: the control slip: every hand-over, who gave, who received, when, and whether the
 * step was early, on time or late. */
char	*slip_control(const struct catalog *, const struct dossier *,
	     const struct dossier_event *, size_t nevents);

#endif

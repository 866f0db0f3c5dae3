/*
 * dossier.h: the lifecycle rules of a dossier: roles, states, the table of transitions, who
 * may do what, and the operations (intake, transitions, reads) that apply them to the store.
 *
 * Scope is enforced here: every read and write takes the actor. One-stop officers, officers
 * and leaders see only their own unit; a dossier of another unit is reported exactly like a
 * code that does not exist. Monitors read every unit and write nothing; administrators read
 * anything and write nothing.
 *
 * Instants are Unix seconds; 0 means "not set" in every instant field below.
 */
#ifndef MOTCUA_DOSSIER_H
#define MOTCUA_DOSSIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct catalog;
struct calendar;

enum role {
	ROLE_ONE_STOP,		/* cán bộ tiếp nhận, Bộ phận Một cửa */
	ROLE_OFFICER,		/* chuyên viên, phòng chuyên môn */
	ROLE_LEADER,		/* lãnh đạo */
	ROLE_MONITOR,		/* Văn phòng UBND tỉnh: reads every unit */
	ROLE_ADMIN		/* users, keys, backups: reads, never writes dossiers */
};
#define ROLE_COUNT	5

/* The national status codes used by reporting. */
enum dossier_state {
	STATE_SUBMITTED = 1,	/* submitted online */
	STATE_RECEIVED = 2,
	STATE_REFUSED = 3,	/* refused (at intake or later) */
	STATE_PROCESSING = 4,
	STATE_SUPPLEMENT = 5,	/* supplement requested: clock paused */
	STATE_FINANCIAL = 6,	/* waiting for the financial obligation: clock paused */
	STATE_WITHDRAWN = 7,
	STATE_STOPPED = 8,
	STATE_RESOLVED = 9,	/* result ready */
	STATE_RETURNED = 10	/* result returned to the citizen */
};
#define STATE_MIN	1
#define STATE_MAX	10

enum dossier_action {
	ACTION_RECEIVE,			/* intake: → 2 */
	ACTION_GUIDE,			/* intake guidance (Mẫu 02): no dossier */
	ACTION_REFUSE_INTAKE,		/* intake refusal (Mẫu 03): → 3, with a code */
	ACTION_HANDOVER,		/* 2|4 → 4, to the next step */
	ACTION_ASSIGN,			/* 2|4 → same, to an officer */
	ACTION_REQUEST_SUPPLEMENT,	/* 2|4 → 5, pause starts */
	ACTION_RECEIVE_SUPPLEMENT,	/* 5 → 4, pause ends, deadlines move */
	ACTION_PAUSE_FINANCIAL,		/* 4 → 6 at a "pause: citizen" step */
	ACTION_RESUME_FINANCIAL,	/* 6 → 4, deadlines move */
	ACTION_RESOLVE,			/* 2|4 → 9 from the second-to-last step */
	ACTION_RETURN,			/* 9 → 10 */
	ACTION_WITHDRAW,		/* 2|4|5|6 → 7 */
	ACTION_STOP,			/* 2|4|5|6 → 8 */
	ACTION_REFUSE,			/* 2|4|5|6 → 3 */
	ACTION_APOLOGIZE		/* 2|4|5|6, once: a new appointment (Mẫu 04) */
};
#define ACTION_COUNT	15

/* Flags of a transition. */
#define DOSSIER_INTAKE		0x01	/* creates a dossier (or a guidance), not on one */
#define DOSSIER_NOTE		0x02	/* a note (reason) is required */
#define DOSSIER_HOLDER		0x04	/* one-stop officers and officers must hold the dossier */
#define DOSSIER_COUNTER		0x08	/* any one-stop officer of the unit may do it (the
					   citizen is at the counter) */
#define DOSSIER_CLOSES		0x10	/* the dossier is closed (closed_at set) */

/* One row of the transition table. */
struct dossier_transition {
	enum dossier_action	 action;
	const char		*name;		/* "handover": stored in events */
	const char		*label;		/* Vietnamese, for the UI */
	unsigned int		 from;		/* mask of states: 1u << state */
	int			 to;		/* resulting state; 0 = unchanged */
	unsigned int		 roles;		/* mask of roles: 1u << role */
	int			 flags;
};

/* Who is acting. unit and department are NULL for monitors and administrators. */
struct actor {
	int64_t		 user_id;
	enum role	 role;
	const char	*unit;
	const char	*department;
};

enum dossier_channel {
	CHANNEL_COUNTER,
	CHANNEL_POST,
	CHANNEL_ONLINE
};

/* A step of the procedure version a dossier was received under. */
struct dossier_step {
	char	*dept;
	char	*name;
	int	 centidays;
	bool	 pause_citizen;
};

/* A document received with a dossier and its counts. */
struct dossier_document {
	char	*name;
	int	 originals;
	int	 copies;
};

/* A dossier as stored. */
struct dossier {
	int64_t			 id;
	char			*code;
	int64_t			 procedure_version;	/* row id */
	char			*procedure_code;
	char			*procedure_hash;	/* the 16 hex digits */
	char			*procedure_name;
	int			 variant;
	char			*unit;
	char			*field;

	char			*applicant_name;
	char			*applicant_id;
	char			*applicant_phone;	/* "" if none */
	char			*applicant_address;	/* "" if none */
	char			*applicant_commune;	/* "" if none */
	char			*owner_name;		/* NULL: the applicant */
	char			*owner_id;
	char			*owner_address;
	char			*request;
	enum dossier_channel	 channel;
	int			 sets;

	enum dossier_state	 state;
	int			 step;
	char			*department;
	int64_t			 officer;		/* 0 if none */
	char			*officer_name;		/* NULL if none */
	int64_t			 received_by;
	char			*received_by_name;

	int64_t			 received_at;
	int64_t			 due_at;		/* 0: no deadline */
	int64_t			 step_due_at;
	int64_t			 paused_at;
	int64_t			 resolved_at;
	int64_t			 returned_at;
	int64_t			 closed_at;
	int64_t			 apology_at;
	int64_t			 appointment_at;
	char			*idempotency_key;
	int64_t			 last_event;		/* id of the newest event */

	struct dossier_step	*steps;
	size_t			 nsteps;
	struct dossier_document	*documents;
	size_t			 ndocuments;
};

/* An entry of a dossier's history. */
struct dossier_event {
	int64_t			 id;
	int64_t			 dossier;
	int64_t			 at;
	int64_t			 actor;
	char			*actor_name;
	enum dossier_action	 action;
	int			 from_state;		/* 0 for an intake */
	int			 to_state;
	int			 step;
	char			*department;
	int64_t			 officer;		/* 0 if none */
	int64_t			 step_due_at;		/* of the step after the event */
	char			*note;			/* NULL if none */
};

/* One line of a list of dossiers (queues, alerts). */
struct dossier_summary {
	int64_t			 id;
	char			*code;
	char			*procedure_code;
	char			*applicant_name;
	enum dossier_state	 state;
	int			 step;
	char			*department;
	int64_t			 officer;
	int64_t			 received_at;
	int64_t			 due_at;
	int64_t			 step_due_at;
	int64_t			 appointment_at;
};

struct dossier_list {
	struct dossier_summary	*items;
	size_t			 n;
};

/* Document counts given at intake, in the order of the variant's documents. */
struct dossier_count {
	int	originals;
	int	copies;
};

/* What the one-stop officer typed at the counter. */
struct dossier_intake {
	const char		*procedure;		/* national code */
	int			 variant;		/* index into the procedure's variants */
	const char		*applicant_name;
	const char		*applicant_id;		/* 9 or 12 digits */
	const char		*applicant_phone;	/* 10 digits starting with 0, or empty */
	const char		*applicant_address;
	const char		*applicant_commune;
	const char		*owner_name;		/* NULL or empty: the applicant */
	const char		*owner_id;
	const char		*owner_address;
	const char		*request;
	enum dossier_channel	 channel;
	int			 sets;			/* 0 is taken as 1 */
	const struct dossier_count *documents;		/* NULL: as the catalog requires */
	size_t			 ndocuments;		/* else the variant's count */
	const char		*idempotency_key;	/* required; one per intake form */
	const char		*note;			/* the reason, for a refusal */
};

/* The arguments of a transition; unused fields are ignored. */
struct dossier_args {
	const char	*note;		/* required where the transition says so */
	int64_t		 officer;	/* assign: the user to assign */
	int64_t		 appointment;	/* apologize: the new appointment */
	int64_t		 seen_event;	/* if not 0: refuse if the dossier changed since */
};

/* Names. Each returns a static string ("?" if out of range). */
const char	*dossier_role_name(enum role);
int		 dossier_role_from_name(const char *, enum role *);
const char	*dossier_state_name(int state);		/* English: "received" */
const char	*dossier_state_label(int state);	/* Vietnamese: "Đã tiếp nhận" */
const char	*dossier_action_name(enum dossier_action);
int		 dossier_action_from_name(const char *, enum dossier_action *);
const char	*dossier_channel_name(enum dossier_channel);
int		 dossier_channel_from_name(const char *, enum dossier_channel *);

/* The transition table's row for an action, or NULL if out of range. */
const struct dossier_transition	*dossier_transition(enum dossier_action);

/* Return true if the actor may read dossiers (and lists) of the unit. */
bool		 dossier_can_read_unit(const struct actor *, const char *unit);

/*
 * Decide whether the actor may take the action on the dossier now, by role, unit, state,
 * holder and the step rules (arguments are checked by dossier_act). Returns 0, or -1 with
 * *cause set to a message the user can act on.
 */
int		 dossier_may(const struct actor *, const struct dossier *,
		     enum dossier_action, char **cause);

/* The actions the actor may take on the dossier now: a mask of 1u << action. */
unsigned int	 dossier_allowed(const struct actor *, const struct dossier *);

/*
 * Receive a dossier at the counter: validate the intake, compute its deadlines, and in one
 * transaction record the procedure version, allocate the code, insert the dossier, its
 * documents and the event. *code (caller frees) is set only after COMMIT. A retry with the
 * same idempotency key by the same actor returns the same code with *replay set and writes
 * nothing. Returns 0, or -1 with *cause set.
 */
int		 dossier_receive(struct store *, const struct catalog *,
		     const struct actor *, const struct dossier_intake *, int64_t now,
		     char **code, bool *replay, char **cause);

/* Refuse at intake (Mẫu 03): as dossier_receive, state 3, intake->note is the reason. */
int		 dossier_refuse_intake(struct store *, const struct catalog *,
		     const struct actor *, const struct dossier_intake *, int64_t now,
		     char **code, bool *replay, char **cause);

/*
 * Record an intake guidance (Mẫu 02): nothing is received and no code is allocated.
 * *id (may be NULL) receives the guidance's id. Returns 0, or -1 with *cause set.
 */
int		 dossier_guide(struct store *, const struct catalog *, const struct actor *,
		     const char *procedure, const char *applicant_name, const char *missing,
		     int64_t now, int64_t *id, char **cause);

/*
 * Take an action on a dossier: in one write transaction, re-read the dossier, check the
 * rules, update it and append its event. Returns 0, or -1 with *cause set.
 */
int		 dossier_act(struct store *, const struct calendar *, const struct actor *,
		     const char *code, enum dossier_action, const struct dossier_args *,
		     int64_t now, char **cause);

/* Read a dossier the actor may see; NULL with *cause "Không có hồ sơ X" otherwise. */
struct dossier	*dossier_get(struct store *, const struct actor *, const char *code,
		     char **cause);
void		 dossier_free(struct dossier *);

/* Read a dossier's history, oldest first. Returns 0, or -1 with *cause set. */
int		 dossier_events(struct store *, const struct actor *, const char *code,
		     struct dossier_event **events, size_t *n, char **cause);
void		 dossier_events_free(struct dossier_event *, size_t);

void		 dossier_list_free(struct dossier_list *);

/* Check an ID number (9 or 12 digits) and a phone number (empty, or 10 digits from 0). */
int		 dossier_check_id(const char *id, char **cause);
int		 dossier_check_phone(const char *phone, char **cause);

#endif

/*
 * ydoc.h: a bounded YAML document tree, built from libyaml's event stream with limits on size,
 * depth, node count and scalar length, and without anchors, aliases or tags.
 *
 * A ydoc is the plain shape of one YAML document: mappings, sequences and scalars, each with
 * the 1-based line and column where it starts. Scalars are kept as text (with their style);
 * giving them a type is the caller's business. Problems are collected with their position:
 * a fatal one (unreadable file, syntax error, a limit exceeded) leaves no tree; a text problem
 * in a scalar (control character, over-long string) is recorded and the tree is still built.
 */
#ifndef MOTCUA_YDOC_H
#define MOTCUA_YDOC_H

#include <stdbool.h>
#include <stddef.h>

#define YDOC_MAX_NODES		200000	/* nodes per document */
#define YDOC_MAX_SCALAR		4096	/* bytes per scalar */
#define YDOC_CHUNK		64	/* nodes allocated at a time */

enum ydoc_kind {
	YDOC_SCALAR,
	YDOC_SEQUENCE,
	YDOC_MAPPING
};

struct ydoc_node {
	enum ydoc_kind	   kind;
	int		   line;	/* 1-based, where the node starts */
	int		   column;	/* 1-based, in characters */

	/* YDOC_SCALAR: the text, NUL-terminated (it may also hold a NUL if it is bad text). */
	char		  *value;
	size_t		   len;
	bool		   quoted;	/* single- or double-quoted or a block scalar */

	/* YDOC_SEQUENCE: items[0..n); YDOC_MAPPING: keys[i] (always a scalar) → items[i]. */
	struct ydoc_node **keys;
	struct ydoc_node **items;
	size_t		   n;
	size_t		   alloc;
};

/* A problem found while reading; line and column are 0 when it concerns the whole file. */
struct ydoc_problem {
	int	 line;
	int	 column;
	char	*message;
};

struct ydoc {
	struct ydoc_node	 *root;		/* NULL after a fatal problem */
	struct ydoc_problem	 *problems;
	size_t			  nproblems;

	struct ydoc_node	**chunks;	/* every node, YDOC_CHUNK to a block */
	size_t			  nnodes;
};

/*
 * Read and parse the YAML file at path: at most max_size bytes (checked before reading) and
 * at most max_depth nested collections. Never NULL; the caller checks root and problems and
 * frees the result with ydoc_free.
 */
struct ydoc	*ydoc_read(const char *path, size_t max_size, int max_depth);

/* Parse len bytes of YAML text held in memory, with the same limits as ydoc_read. */
struct ydoc	*ydoc_parse(const char *text, size_t len, int max_depth);

void		 ydoc_free(struct ydoc *);

/* Return the value of key in a mapping node, or NULL if absent (the first one if repeated). */
struct ydoc_node *ydoc_get(const struct ydoc_node *, const char *key);

/*
 * Describe a node's kind for messages: "a mapping", "a list", "a quoted string", "a string" or
 * "an empty value".
 */
const char	*ydoc_describe(const struct ydoc_node *);

#endif

/* ydoc.c: a bounded YAML document tree built from libyaml events, with positions for messages. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "text.h"
#include "xmalloc.h"
#include "ydoc.h"

/* One open collection while the tree is built. */
struct ydoc_frame {
	struct ydoc_node	*node;
	bool			 have_key;	/* a mapping's key is waiting for its value */
};

/* The state of one parse. */
struct ydoc_builder {
	struct ydoc		*doc;
	struct ydoc_frame	*stack;
	int			 depth;
	int			 max_depth;
	bool			 fatal;
	int			 documents;
};

/* Record a problem at line:column (0:0 for the whole file); fatal ones end the parse. */
static void
ydoc_problem(struct ydoc *doc, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record a problem at line:column (0:0 for the whole file); fatal ones end the parse. */
static void
ydoc_problem(struct ydoc *doc, int line, int column, const char *fmt, ...)
{
	struct ydoc_problem	*p;
	va_list			 ap;

	doc->problems = xreallocarray(doc->problems, doc->nproblems + 1,
	    sizeof *doc->problems);
	p = &doc->problems[doc->nproblems++];
	p->line = line;
	p->column = column;
	va_start(ap, fmt);
	p->message = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Compute the 1-based line and column (in characters) of a byte offset, as libyaml counts. */
static void
ydoc_position(const char *text, size_t len, size_t offset, int *line, int *column)
{
	size_t	i;
	int	l = 1, c = 1;

	if (offset > len)
		offset = len;
	for (i = 0; i < offset; i++) {
		unsigned char	ch = (unsigned char)text[i];

		if (ch == '\n') {
			l++;
			c = 1;
		} else if (ch == '\r') {
			if (i + 1 < len && text[i + 1] == '\n')
				continue;
			l++;
			c = 1;
		} else if ((ch & 0xc0) != 0x80)
			c++;
	}
	*line = l;
	*column = c;
}

/*
 * Check the raw text before libyaml sees it: it must be UTF-8 without control characters other
 * than tab and line breaks, and without bidi controls (not even in comments). Returns 0, or -1
 * with a fatal problem recorded at its position.
 */
static int
ydoc_scan(struct ydoc *doc, const char *text, size_t len)
{
	size_t		 i, bad;
	unsigned int	 cp;
	int		 line, column;

	if (!text_utf8_valid(text, len, &bad)) {
		ydoc_position(text, len, bad, &line, &column);
		ydoc_problem(doc, line, column, "invalid UTF-8");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char	ch = (unsigned char)text[i];

		if (ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		if (ch < 0x20 || ch == 0x7f)
			cp = ch;
		else if (ch == 0xc2 && i + 1 < len &&
		    (unsigned char)text[i + 1] >= 0x80 && (unsigned char)text[i + 1] <= 0x9f)
			cp = (unsigned char)text[i + 1];
		else if (ch == 0xe2 && i + 2 < len && ((unsigned char)text[i + 1] == 0x80 ||
		    (unsigned char)text[i + 1] == 0x81)) {
			/* The bidi controls U+202A–U+202E and U+2066–U+2069. */
			cp = 0x2000 | (((unsigned int)text[i + 1] & 0x3f) << 6) |
			    ((unsigned int)text[i + 2] & 0x3f);
			if (!((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)))
				continue;
		} else
			continue;
		ydoc_position(text, len, i, &line, &column);
		ydoc_problem(doc, line, column, "control character U+%04X is not allowed", cp);
		return -1;
	}
	return 0;
}

/* Create a node of kind at an event's start mark, from the document's blocks of nodes. */
static struct ydoc_node *
ydoc_node_new(struct ydoc *doc, enum ydoc_kind kind, const yaml_event_t *event)
{
	struct ydoc_node	*node;
	size_t			 chunk = doc->nnodes / YDOC_CHUNK;

	if (doc->nnodes % YDOC_CHUNK == 0) {
		doc->chunks = xreallocarray(doc->chunks, chunk + 1, sizeof *doc->chunks);
		doc->chunks[chunk] = xcalloc(YDOC_CHUNK, sizeof **doc->chunks);
	}
	node = &doc->chunks[chunk][doc->nnodes++ % YDOC_CHUNK];
	node->kind = kind;
	node->line = (int)event->start_mark.line + 1;
	node->column = (int)event->start_mark.column + 1;
	return node;
}

/* Attach a new node to the open collection (or make it the root). Returns 0 or -1 (fatal). */
static int
ydoc_attach(struct ydoc_builder *b, struct ydoc_node *child)
{
	struct ydoc_frame	*f;
	struct ydoc_node	*parent;

	if (b->depth == 0) {
		b->doc->root = child;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	parent = f->node;
	if (parent->kind == YDOC_MAPPING && f->have_key) {
		parent->items[parent->n++] = child;
		f->have_key = false;
		return 0;
	}
	if (parent->n == parent->alloc) {
		parent->alloc = parent->alloc == 0 ? 8 : parent->alloc * 2;
		parent->items = xreallocarray(parent->items, parent->alloc,
		    sizeof *parent->items);
		if (parent->kind == YDOC_MAPPING)
			parent->keys = xreallocarray(parent->keys, parent->alloc,
			    sizeof *parent->keys);
	}
	if (parent->kind == YDOC_SEQUENCE) {
		parent->items[parent->n++] = child;
		return 0;
	}
	if (child->kind != YDOC_SCALAR) {
		ydoc_problem(b->doc, child->line, child->column,
		    "a mapping key must be a string, not %s", ydoc_describe(child));
		return -1;
	}
	parent->keys[parent->n] = child;
	f->have_key = true;
	return 0;
}

/* Refuse the YAML features a catalog does not use: anchors and tags. Returns 0 or -1. */
static int
ydoc_plain_node(struct ydoc_builder *b, const yaml_event_t *event, const yaml_char_t *anchor,
    const yaml_char_t *tag)
{
	int	line = (int)event->start_mark.line + 1;
	int	column = (int)event->start_mark.column + 1;

	/* Neither name is echoed: libyaml decodes %XX escapes in tags, ESC included. */
	if (anchor != NULL) {
		ydoc_problem(b->doc, line, column, "anchors are not allowed");
		return -1;
	}
	if (tag != NULL) {
		ydoc_problem(b->doc, line, column, "tags are not allowed");
		return -1;
	}
	return 0;
}

/* Build a scalar node from its event (taking its value) and check its text; 0 or -1 (fatal). */
static int
ydoc_scalar(struct ydoc_builder *b, yaml_event_t *event)
{
	struct ydoc_node	*node;
	char			*cause = NULL;
	size_t			 i;

	if (ydoc_plain_node(b, event, event->data.scalar.anchor, event->data.scalar.tag) != 0)
		return -1;
	if (b->doc->nnodes >= YDOC_MAX_NODES) {
		ydoc_problem(b->doc, (int)event->start_mark.line + 1,
		    (int)event->start_mark.column + 1, "more than %d YAML nodes", YDOC_MAX_NODES);
		return -1;
	}
	node = ydoc_node_new(b->doc, YDOC_SCALAR, event);
	node->len = event->data.scalar.length;
	if (event->data.scalar.value != NULL) {
		/* libyaml's value is malloc'ed and NUL-terminated: take it over. */
		node->value = (char *)event->data.scalar.value;
		event->data.scalar.value = NULL;
	} else
		node->value = xstrdup("");
	node->quoted = event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;

	/*
	 * The raw text has no control characters but tab and line breaks, so only a scalar
	 * with escapes (double-quoted) or one of those can hold one.
	 */
	for (i = 0; i < node->len; i++) {
		if ((unsigned char)node->value[i] < 0x20)
			break;
	}
	if (node->len > YDOC_MAX_SCALAR)
		ydoc_problem(b->doc, node->line, node->column,
		    "string longer than %d bytes", YDOC_MAX_SCALAR);
	else if ((event->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
	    i < node->len) && text_check(node->value, node->len, &cause) != 0) {
		ydoc_problem(b->doc, node->line, node->column, "invalid text: %s", cause);
		free(cause);
	}
	return ydoc_attach(b, node);
}

/* Open a sequence or mapping, within the depth and node limits. Returns 0 or -1 (fatal). */
static int
ydoc_open(struct ydoc_builder *b, const yaml_event_t *event, enum ydoc_kind kind)
{
	struct ydoc_node	*node;
	const yaml_char_t	*anchor, *tag;

	if (kind == YDOC_SEQUENCE) {
		anchor = event->data.sequence_start.anchor;
		tag = event->data.sequence_start.tag;
	} else {
		anchor = event->data.mapping_start.anchor;
		tag = event->data.mapping_start.tag;
	}
	if (ydoc_plain_node(b, event, anchor, tag) != 0)
		return -1;
	if (b->depth >= b->max_depth) {
		ydoc_problem(b->doc, (int)event->start_mark.line + 1,
		    (int)event->start_mark.column + 1, "nesting deeper than %d levels",
		    b->max_depth);
		return -1;
	}
	if (b->doc->nnodes >= YDOC_MAX_NODES) {
		ydoc_problem(b->doc, (int)event->start_mark.line + 1,
		    (int)event->start_mark.column + 1, "more than %d YAML nodes", YDOC_MAX_NODES);
		return -1;
	}
	node = ydoc_node_new(b->doc, kind, event);
	if (ydoc_attach(b, node) != 0)
		return -1;
	b->stack[b->depth].node = node;
	b->stack[b->depth].have_key = false;
	b->depth++;
	return 0;
}

/* Turn a libyaml error into a fatal problem at its position. */
static void
ydoc_parser_error(struct ydoc *doc, const yaml_parser_t *parser, const char *text, size_t len)
{
	const char	*problem = parser->problem != NULL ? parser->problem : "syntax error";
	int		 line, column;

	switch (parser->error) {
	case YAML_READER_ERROR:
		ydoc_position(text, len, parser->problem_offset, &line, &column);
		ydoc_problem(doc, line, column, "%s", problem);
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		line = (int)parser->problem_mark.line + 1;
		column = (int)parser->problem_mark.column + 1;
		if (parser->context != NULL)
			ydoc_problem(doc, line, column, "%s %s (started at %d:%d)", problem,
			    parser->context, (int)parser->context_mark.line + 1,
			    (int)parser->context_mark.column + 1);
		else
			ydoc_problem(doc, line, column, "%s", problem);
		break;
	default:
		ydoc_problem(doc, 0, 0, "YAML parser failed (%s)", problem);
		break;
	}
}

/* Handle one event. Returns 1 at the end of the stream, 0 to go on, -1 on a fatal problem. */
static int
ydoc_event(struct ydoc_builder *b, yaml_event_t *event)
{
	int	line = (int)event->start_mark.line + 1;
	int	column = (int)event->start_mark.column + 1;

	switch (event->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
	case YAML_NO_EVENT:
		return 0;
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++b->documents > 1) {
			ydoc_problem(b->doc, line, column,
			    "only one YAML document is allowed in a file");
			return -1;
		}
		if (event->data.document_start.tag_directives.start !=
		    event->data.document_start.tag_directives.end) {
			ydoc_problem(b->doc, line, column, "%%TAG directives are not allowed");
			return -1;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		ydoc_problem(b->doc, line, column, "aliases (*%s) are not allowed",
		    (const char *)event->data.alias.anchor);
		return -1;
	case YAML_SCALAR_EVENT:
		return ydoc_scalar(b, event);
	case YAML_SEQUENCE_START_EVENT:
		return ydoc_open(b, event, YDOC_SEQUENCE);
	case YAML_MAPPING_START_EVENT:
		return ydoc_open(b, event, YDOC_MAPPING);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0)
			b->depth--;
		return 0;
	}
	return 0;
}

/* Parse len bytes of YAML text held in memory, with the same limits as ydoc_read. */
struct ydoc *
ydoc_parse(const char *text, size_t len, int max_depth)
{
	struct ydoc		*doc;
	struct ydoc_builder	 b;
	yaml_parser_t		 parser;
	yaml_event_t		 event;
	int			 r;

	doc = xcalloc(1, sizeof *doc);
	if (ydoc_scan(doc, text, len) != 0)
		return doc;

	memset(&b, 0, sizeof b);
	b.doc = doc;
	b.max_depth = max_depth < 1 ? 1 : max_depth;
	b.stack = xcalloc((size_t)b.max_depth, sizeof *b.stack);

	if (!yaml_parser_initialize(&parser)) {
		ydoc_problem(doc, 0, 0, "cannot start the YAML parser");
		free(b.stack);
		return doc;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		if (!yaml_parser_parse(&parser, &event)) {
			ydoc_parser_error(doc, &parser, text, len);
			b.fatal = true;
			break;
		}
		r = ydoc_event(&b, &event);
		yaml_event_delete(&event);
		if (r < 0)
			b.fatal = true;
		if (r != 0)
			break;
	}
	yaml_parser_delete(&parser);
	free(b.stack);

	if (!b.fatal && doc->root == NULL) {
		ydoc_problem(doc, 0, 0, "the file holds no YAML document");
		b.fatal = true;
	}
	if (b.fatal)
		doc->root = NULL;
	return doc;
}

/* Read and parse the YAML file at path within the size and depth limits. */
struct ydoc *
ydoc_read(const char *path, size_t max_size, int max_depth)
{
	struct ydoc	*doc;
	struct stat	 st;
	char		*text = NULL;
	size_t		 len = 0, alloc;
	ssize_t		 n;
	int		 fd;

	/* Non-blocking, so that a FIFO put in the catalog cannot hang the open. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) == -1) {
		doc = xcalloc(1, sizeof *doc);
		ydoc_problem(doc, 0, 0, "cannot open: %s", strerror(errno));
		return doc;
	}
	if (fstat(fd, &st) == -1) {
		doc = xcalloc(1, sizeof *doc);
		ydoc_problem(doc, 0, 0, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		doc = xcalloc(1, sizeof *doc);
		ydoc_problem(doc, 0, 0, "not a regular file");
		goto out;
	}
	if ((uintmax_t)st.st_size > max_size) {
		doc = xcalloc(1, sizeof *doc);
		ydoc_problem(doc, 0, 0, "file is larger than %zu bytes", max_size);
		goto out;
	}

	/* The file may grow after fstat: read on, but never more than one byte past the limit. */
	alloc = (size_t)st.st_size + 1;
	text = xmalloc(alloc);
	for (;;) {
		if (len == alloc) {
			alloc = alloc * 2 > max_size + 1 ? max_size + 1 : alloc * 2;
			text = xreallocarray(text, alloc, 1);
		}
		n = read(fd, text + len, alloc - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			doc = xcalloc(1, sizeof *doc);
			ydoc_problem(doc, 0, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max_size) {
			doc = xcalloc(1, sizeof *doc);
			ydoc_problem(doc, 0, 0, "file is larger than %zu bytes", max_size);
			goto out;
		}
	}
	doc = ydoc_parse(text, len, max_depth);

out:
	free(text);
	close(fd);
	return doc;
}

/* Free a document and all its nodes. */
void
ydoc_free(struct ydoc *doc)
{
	struct ydoc_node	*node;
	size_t			 i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->nnodes; i++) {
		node = &doc->chunks[i / YDOC_CHUNK][i % YDOC_CHUNK];
		free(node->value);
		free(node->keys);
		free(node->items);
	}
	for (i = 0; i < (doc->nnodes + YDOC_CHUNK - 1) / YDOC_CHUNK; i++)
		free(doc->chunks[i]);
	free(doc->chunks);
	for (i = 0; i < doc->nproblems; i++)
		free(doc->problems[i].message);
	free(doc->problems);
	free(doc);
}

/* Return the value of key in a mapping node, or NULL if absent (the first one if repeated). */
struct ydoc_node *
ydoc_get(const struct ydoc_node *map, const char *key)
{
	size_t	i;

	if (map == NULL || map->kind != YDOC_MAPPING)
		return NULL;
	for (i = 0; i < map->n; i++) {
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->items[i];
	}
	return NULL;
}

/* Describe a node for messages: a mapping, a list, a quoted string, a string or an empty value. */
const char *
ydoc_describe(const struct ydoc_node *node)
{
	if (node == NULL)
		return "nothing";
	switch (node->kind) {
	case YDOC_MAPPING:
		return "a mapping";
	case YDOC_SEQUENCE:
		return "a list";
	case YDOC_SCALAR:
		break;
	}
	if (node->quoted)
		return "a quoted string";
	return node->len == 0 ? "an empty value" : "a string";
}

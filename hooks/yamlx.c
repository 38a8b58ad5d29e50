/* yamlx.c — YAML paths and a small tree for CI files (see yamlx.h). */
#include "linkgate/yamlx.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"

#include <yaml.h>

static int yaml_error(const yaml_parser_t *y)
{
	const char *problem = y->problem ? y->problem : "unknown error";

	if (y->error == YAML_READER_ERROR)
		return lg_error_set(LG_ERROR, "invalid YAML: %s at byte %zu", problem, (size_t)y->problem_offset);
	return lg_error_set(LG_ERROR, "invalid YAML at line %zu, column %zu: %s", (size_t)y->problem_mark.line + 1,
			    (size_t)y->problem_mark.column + 1, problem);
}

/* ---- paths ---- */

struct frame {
	bool is_map;
	bool want_key;          /* map: the next node is a key */
	bool key_node;          /* this collection is itself a map key */
	size_t index;           /* sequence: index of the next item */
	char *key;              /* map: the current key (NULL: not a scalar) */
};

static bool plain_key(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void put_component(struct lg_buf *b, const struct frame *f)
{
	size_t i, n;

	if (!f->is_map) {
		lg_buf_printf(b, "[%zu]", f->index);
		return;
	}
	if (!f->key) {
		lg_buf_puts(b, "[?]");
		return;
	}
	n = strlen(f->key);
	if (plain_key(f->key, n)) {
		if (b->len)
			lg_buf_putc(b, '.');
		lg_buf_put(b, f->key, n);
		return;
	}
	lg_buf_puts(b, "[\"");
	for (i = 0; i < n; i++) {
		if (f->key[i] == '"' || f->key[i] == '\\')
			lg_buf_putc(b, '\\');
		lg_buf_putc(b, f->key[i]);
	}
	lg_buf_puts(b, "\"]");
}

static void build_path(struct lg_buf *b, const struct frame *st, size_t depth)
{
	size_t i;

	lg_buf_clear(b);
	for (i = 0; i < depth; i++)
		put_component(b, &st[i]);
}

/* A node (scalar, alias or a finished collection) was consumed as the
 * value or key of the frame on top. */
static void consumed(struct frame *top, const char *scalar_key, size_t key_len, bool as_key)
{
	if (!top)
		return;
	if (!top->is_map) {
		top->index++;
		return;
	}
	if (as_key) {
		free(top->key);
		top->key = scalar_key ? lg_xstrndup(scalar_key, key_len) : NULL;
		top->want_key = false;
	} else {
		top->want_key = true;
	}
}

static const unsigned *sort_lines;

static int cmp_line_index(const void *a, const void *b)
{
	unsigned x = sort_lines[*(const size_t *)a], y = sort_lines[*(const size_t *)b];

	return x < y ? -1 : x > y;
}

/* The first position in order (indices sorted by line) whose line is >= l. */
static size_t lower_bound(const size_t *order, size_t n, const unsigned *lines, unsigned l)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (lines[order[mid]] < l)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int lg_yaml_paths(char **out, const char *buf, size_t len, const unsigned *lines, size_t n, const char *needle)
{
	yaml_parser_t y;
	yaml_event_t ev;
	struct frame *st = NULL;
	size_t depth = 0, alloc = 0, i, k, remaining = n, *order;
	struct lg_buf path = LG_BUF_INIT;
	int err = 0;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	/* Lines in order, so each scalar looks only at the lines it spans:
	 * linear in the file plus the findings, not their product. */
	order = lg_xcalloc(n + 1, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_lines = lines;
	if (n > 1)
		qsort(order, n, sizeof(*order), cmp_line_index);
	sort_lines = NULL;
	if (!yaml_parser_initialize(&y))
		return lg_error_set(LG_ERROR, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&y, (const unsigned char *)(buf ? buf : ""), buf ? len : 0);
	lg_buf_init(&path);
	for (;;) {
		struct frame *top = depth ? &st[depth - 1] : NULL;
		bool as_key = top && top->is_map && top->want_key;

		if (!yaml_parser_parse(&y, &ev)) {
			err = yaml_error(&y);
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT || !remaining) {
			yaml_event_delete(&ev);
			break;
		}
		switch (ev.type) {
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;
			size_t vlen = ev.data.scalar.length;

			if (!as_key && top) {
				size_t first = ev.start_mark.line + 1, last = ev.end_mark.line + 1;

				/* A block scalar ends at column 0 of the line after it. */
				if (ev.end_mark.column == 0 && last > first)
					last--;
				for (k = lower_bound(order, n, lines, (unsigned)first); k < n && lines[order[k]] <= last; k++) {
					i = order[k];
					if (out[i])
						continue;
					if (needle && !memmem(v, vlen, needle, strlen(needle)))
						continue;
					build_path(&path, st, depth);
					out[i] = lg_xstrndup(path.ptr, path.len);
					remaining--;
				}
			}
			consumed(top, v, vlen, as_key);
			break;
		}
		case YAML_ALIAS_EVENT:
			consumed(top, NULL, 0, as_key);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			st = lg_xgrow(st, sizeof(*st), depth + 1, &alloc);
			memset(&st[depth], 0, sizeof(*st));
			st[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
			st[depth].want_key = true;
			st[depth].key_node = as_key;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth) {
				bool key_node = st[depth - 1].key_node;

				free(st[depth - 1].key);
				depth--;
				consumed(depth ? &st[depth - 1] : NULL, NULL, 0, key_node);
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	while (depth)
		free(st[--depth].key);
	free(st);
	free(order);
	lg_buf_release(&path);
	yaml_parser_delete(&y);
	return err;
}

/* ---- tree ---- */

static struct lg_ynode *add_child(struct lg_ynode *parent, char *key)
{
	struct lg_ynode *c;

	if (parent->type == LG_Y_MAP) {
		parent->keys = lg_xgrow(parent->keys, sizeof(*parent->keys), parent->n + 1, &parent->alloc);
		parent->keys[parent->n] = key;
		/* keys and items grow together: alloc tracks both. */
		parent->items = lg_xrealloc(parent->items, parent->alloc * sizeof(*parent->items));
	} else {
		size_t a = parent->alloc;

		parent->items = lg_xgrow(parent->items, sizeof(*parent->items), parent->n + 1, &a);
		parent->alloc = a;
	}
	c = &parent->items[parent->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

static void node_release(struct lg_ynode *n)
{
	/* Iterative over depth would need a stack too; depth is bounded by
	 * LG_YAML_MAX_DEPTH, so plain recursion is bounded. */
	size_t i;

	for (i = 0; i < n->n; i++) {
		node_release(&n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->value);
}

void lg_ynode_free(struct lg_ynode *n)
{
	if (!n)
		return;
	node_release(n);
	free(n);
}

/* Collections under construction: the tree grows in place, so children are
 * found again through indices, never through pointers that a realloc of
 * their parent's items would move. */
struct open {
	size_t idx;             /* index of this node in its parent's items */
	char *pending_key;      /* map: a key waiting for its value */
	bool have_key;
	bool key_node;          /* this collection is a map key: dropped */
};

static struct lg_ynode *resolve(struct lg_ynode *root, const struct open *stack, size_t depth)
{
	struct lg_ynode *n = root;
	size_t i;

	for (i = 1; i < depth; i++)
		n = &n->items[stack[i].idx];
	return n;
}

int lg_yaml_load(struct lg_ynode **out, const char *buf, size_t len)
{
	yaml_parser_t y;
	yaml_event_t ev;
	struct lg_ynode *root = NULL, holder;
	struct open *stack = NULL;
	size_t depth = 0, alloc = 0, skip = 0;
	bool done = false;
	int err = 0;

	*out = NULL;
	memset(&holder, 0, sizeof(holder));
	holder.type = LG_Y_SEQ;
	if (!yaml_parser_initialize(&y))
		return lg_error_set(LG_ERROR, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&y, (const unsigned char *)(buf ? buf : ""), buf ? len : 0);
	/* A holder sequence is the parent of the document's root node. */
	stack = lg_xgrow(stack, sizeof(*stack), 1, &alloc);
	memset(stack, 0, sizeof(*stack));
	depth = 1;
	while (!done) {
		struct lg_ynode *parent, *node;
		char *key = NULL;
		bool as_key;

		if (!yaml_parser_parse(&y, &ev)) {
			err = yaml_error(&y);
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT || ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (skip) {
			/* Inside a collection used as a map key: not kept. */
			if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
				skip++;
			else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
				skip--;
			if (!skip) {
				struct open *o = &stack[depth - 1];

				o->have_key = true;
				o->pending_key = NULL;
			}
			yaml_event_delete(&ev);
			continue;
		}
		parent = resolve(&holder, stack, depth);
		as_key = parent->type == LG_Y_MAP && !stack[depth - 1].have_key;
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (as_key) {
				stack[depth - 1].pending_key = ev.type == YAML_SCALAR_EVENT ?
					lg_xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length) : NULL;
				stack[depth - 1].have_key = true;
				break;
			}
			if (parent->type == LG_Y_MAP) {
				key = stack[depth - 1].pending_key;
				stack[depth - 1].pending_key = NULL;
				stack[depth - 1].have_key = false;
			}
			node = add_child(parent, key);
			if (ev.type == YAML_SCALAR_EVENT) {
				node->type = LG_Y_SCALAR;
				node->value = lg_xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
				node->len = ev.data.scalar.length;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (as_key) {
				skip = 1;
				break;
			}
			if (depth > LG_YAML_MAX_DEPTH) {
				err = lg_error_set(LG_ERROR, "YAML nested deeper than %d levels at line %zu", LG_YAML_MAX_DEPTH,
						   (size_t)ev.start_mark.line + 1);
				done = true;
				break;
			}
			if (parent->type == LG_Y_MAP) {
				key = stack[depth - 1].pending_key;
				stack[depth - 1].pending_key = NULL;
				stack[depth - 1].have_key = false;
			}
			node = add_child(parent, key);
			node->type = ev.type == YAML_MAPPING_START_EVENT ? LG_Y_MAP : LG_Y_SEQ;
			stack = lg_xgrow(stack, sizeof(*stack), depth + 1, &alloc);
			memset(&stack[depth], 0, sizeof(*stack));
			stack[depth].idx = parent->n - 1;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 1) {
				free(stack[depth - 1].pending_key);
				depth--;
			}
			if (depth == 1)
				done = holder.n > 0;
			break;
		default:
			break;
		}
		if (!done && depth == 1 && holder.n > 0 && holder.items[0].type == LG_Y_SCALAR)
			done = true;
		yaml_event_delete(&ev);
	}
	while (depth > 1)
		free(stack[--depth].pending_key);
	free(stack);
	yaml_parser_delete(&y);
	if (err < 0) {
		node_release(&holder);
		return err;
	}
	root = lg_xcalloc(1, sizeof(*root));
	if (holder.n) {
		*root = holder.items[0];
		holder.n = 0;
	}
	node_release(&holder);
	*out = root;
	return 0;
}

const struct lg_ynode *lg_ynode_get(const struct lg_ynode *map, const char *key)
{
	size_t i;

	if (!map || map->type != LG_Y_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->keys[i] && !strcmp(map->keys[i], key))
			return &map->items[i];
	return NULL;
}

const char *lg_ynode_str(const struct lg_ynode *node)
{
	return node && node->type == LG_Y_SCALAR ? node->value : NULL;
}

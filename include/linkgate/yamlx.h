/*
 * yamlx.h — reading YAML files of the repository being judged (CI
 * workflows, goreleaser, GitLab CI) with libyaml's event parser.
 *
 * Two uses: the YAML path of the scalar that holds a disabling flag
 * (`jobs.build.steps[2].run`), and a small tree of the first document for
 * the CI matrix facts. Both are linear in the input. Aliases are never
 * expanded (an alias is an empty node), so a "billion laughs" file costs
 * what its bytes cost; the tree refuses nesting deeper than
 * LG_YAML_MAX_DEPTH. A file that does not parse gives an error message
 * (libyaml's problem with its line and column), never a crash.
 */
#ifndef LINKGATE_YAMLX_H
#define LINKGATE_YAMLX_H

#include "linkgate/common.h"

#define LG_YAML_MAX_DEPTH 200

/*
 * For each lines[i] (1-based), the path of the first scalar value that
 * covers that line and contains needle, written as keys joined by '.' and
 * sequence indices in brackets ("jobs.build.steps[2].run"; a key that is
 * not a plain word is quoted: `env["A.B"]`). out[i] is NULL when no scalar
 * holds it (a comment, a key) or the file stops parsing before that line.
 * The caller frees each out[i]. Returns 0, or LG_ERROR when the file does
 * not parse (message set; paths found before the error are kept).
 */
int lg_yaml_paths(char **out, const char *buf, size_t len, const unsigned *lines, size_t n, const char *needle);

enum lg_ynode_type { LG_Y_NULL, LG_Y_SCALAR, LG_Y_SEQ, LG_Y_MAP };

struct lg_ynode {
	enum lg_ynode_type type;
	char *value;            /* scalar text (NUL-terminated; may hold NULs) */
	size_t len;
	struct lg_ynode *items; /* sequence items, or map values */
	char **keys;            /* map keys (NULL for a key that is not a scalar) */
	size_t n, alloc;
};

/* Loads the first document of buf. Returns 0, or LG_ERROR with the message
 * set (and *out NULL). Free with lg_ynode_free(). */
int lg_yaml_load(struct lg_ynode **out, const char *buf, size_t len);
void lg_ynode_free(struct lg_ynode *n);

/* The value of key in a map node, or NULL (also for a non-map). */
const struct lg_ynode *lg_ynode_get(const struct lg_ynode *map, const char *key);
/* The scalar text of node, or NULL when it is not a scalar. */
const char *lg_ynode_str(const struct lg_ynode *node);

#endif

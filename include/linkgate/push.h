/*
 * push.h — the push as git hands it to a hook: ref updates from pre-receive's
 * stdin (`<old> <new> <ref>` lines), update's argv or pre-push's stdin, plus
 * who pushed and the push options.
 *
 * Parsing is strict: ids are exactly 40 or 64 lowercase hex digits, all ids of
 * one push have the same length, and ref names are checked with git's rules
 * for a full ref name. The all-zero id means "create" as old and "delete" as
 * new.
 */
#ifndef LINKGATE_PUSH_H
#define LINKGATE_PUSH_H

#include "linkgate/common.h"

#define LG_OID_HEXMAX 64

struct lg_ref_update {
	char old_id[LG_OID_HEXMAX + 1];
	char new_id[LG_OID_HEXMAX + 1];
	char *ref;
	bool is_create;         /* old is all zeros */
	bool is_delete;         /* new is all zeros */
};

struct lg_push {
	struct lg_ref_update *updates;
	size_t nupdates;
	size_t alloc;
	size_t hexsz;           /* 40 or 64, 0 while no update was parsed */
	char *pusher;           /* NULL when no pusher.from variable is set */
	char **options;         /* push options (pre-receive only), raw */
	size_t noptions;
};

void lg_push_init(struct lg_push *p);
void lg_push_release(struct lg_push *p);

/* Parses pre-receive stdin (all of it, in buf). Empty input is a valid push of
 * nothing. Returns 0 or LG_EUSAGE naming the line and what is wrong. */
int lg_push_parse_lines(struct lg_push *p, const char *buf, size_t len);
/* Adds one update from the update hook's argv. Returns 0 or LG_EUSAGE. */
int lg_push_add_update(struct lg_push *p, const char *ref, const char *old_id, const char *new_id);
/* Parses pre-push stdin: `<local ref> <local id> <remote ref> <remote id>`
 * lines, recorded as updates of the remote ref. Returns 0 or LG_EUSAGE. */
int lg_push_parse_prepush(struct lg_push *p, const char *buf, size_t len);

/* True if hex is a valid id of 40 or 64 lowercase hex digits. */
bool lg_oid_hex_valid(const char *hex, size_t len);
bool lg_oid_hex_is_zero(const char *hex);
/* git check-ref-format rules for a full ref name ("refs/..."). */
bool lg_refname_valid(const char *ref);

/* Reads GIT_PUSH_OPTION_COUNT / GIT_PUSH_OPTION_<n> from the environment. */
int lg_push_read_options(struct lg_push *p);

#endif

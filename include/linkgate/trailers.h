/*
 * trailers.h — commit message trailers parsed the way
 * `git interpret-trailers --parse` does: the last paragraph of the message
 * (after stripping trailing blank lines and a trailing comment/`---`
 * patch divider section), counted as a trailer block when every line is a
 * trailer or continuation, or when at least 25% are trailers and one of
 * them is git-generated (Signed-off-by:, (cherry picked from commit ...)).
 * Keys are `token` characters (alnum and '-'), the separator ':' with
 * optional spaces before it; continuation lines start with white space and
 * are folded with one space.
 */
#ifndef LINKGATE_TRAILERS_H
#define LINKGATE_TRAILERS_H

#include "linkgate/finding.h"

/* Parses message; *out is an owned array of *nout trailers (possibly 0). Returns 0. */
int lg_trailers_parse(struct lg_trailer **out, size_t *nout, const char *message);
void lg_trailers_free(struct lg_trailer *t, size_t n);
/* First value for key (case-insensitive), or NULL; borrowed. */
const char *lg_trailer_get(const struct lg_trailer *t, size_t n, const char *key);

#endif

/*
 * glob.h — ref and path globs with git's wildmatch semantics under
 * WM_PATHNAME: `*` and `?` never match '/', `**` between slashes (or at the
 * start or end) matches any number of path components, `[...]` classes
 * with `!`/`^` negation and ranges, and backslash escapes.
 *
 * Matching never backtracks: its cost is bounded by pattern length times
 * text length, so a hostile pattern cannot stall a hook. An invalid pattern
 * (unterminated `[`, trailing backslash, unknown `[:name:]`) matches nothing;
 * configuration loading rejects it with lg_glob_valid().
 */
#ifndef LINKGATE_GLOB_H
#define LINKGATE_GLOB_H

#include "linkgate/common.h"

bool lg_glob_match(const char *pattern, const char *text);
/* True if any pattern of the list matches. */
bool lg_glob_match_any(char *const *patterns, size_t n, const char *text);
/* True if pattern is a well-formed glob. Otherwise false, and *why (if not
 * NULL) points to a static one-line reason. */
bool lg_glob_valid(const char *pattern, const char **why);

#endif

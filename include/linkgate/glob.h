/*
 * glob.h — ref and path globs with git's wildmatch semantics under
 * WM_PATHNAME: `*` and `?` never match '/', `**` between slashes (or at the
 * start or end) matches any number of path components, `[...]` classes
 * with `!`/`^` negation and ranges, and backslash escapes.
 */
#ifndef LINKGATE_GLOB_H
#define LINKGATE_GLOB_H

#include "linkgate/common.h"

bool lg_glob_match(const char *pattern, const char *text);
/* True if any pattern of the list matches. */
bool lg_glob_match_any(char *const *patterns, size_t n, const char *text);

#endif

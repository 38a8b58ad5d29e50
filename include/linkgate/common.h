/*
 * common.h — the one place system headers come from, and the allocation
 * helpers every module uses.
 *
 * Allocation failure is not an error code: a hook that runs out of memory
 * cannot decide anything, so lg_xmalloc() and friends print one line and exit
 * with status 3, which git treats as a rejection (fail closed).
 */
#ifndef LINKGATE_COMMON_H
#define LINKGATE_COMMON_H

#ifdef HAVE_CONFIG_H
#include "build-config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define LG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The exit statuses of SPEC "Commands". */
enum lg_exit {
	LG_EXIT_ACCEPT = 0,
	LG_EXIT_POLICY = 1,
	LG_EXIT_CONFIG = 2,
	LG_EXIT_INTERNAL = 3,
};

void *lg_xmalloc(size_t n);
void *lg_xcalloc(size_t nmemb, size_t size);
void *lg_xrealloc(void *p, size_t n);
/* Grows *p to hold at least want elements of size sz; *alloc tracks capacity. */
void *lg_xgrow(void *p, size_t sz, size_t want, size_t *alloc);
char *lg_xstrdup(const char *s);
char *lg_xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; never NULL. */
char *lg_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* git's banned.h idea: these invite overflows; use lg_buf instead. */
#define strcpy(a, b) lg_banned_strcpy
#define strcat(a, b) lg_banned_strcat
#define sprintf(...) lg_banned_sprintf
#define vsprintf(...) lg_banned_vsprintf
#define strtok(a, b) lg_banned_strtok

#endif

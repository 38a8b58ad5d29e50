/*
 * tap.h — a minimal TAP producer for the C unit tests (run by automake's
 * tap-driver under `make check`).
 *
 * Each check prints "ok N - name" or "not ok N - name" with a diagnostic;
 * tap_done() prints the plan and returns the exit status (0 when all passed).
 */
#ifndef LINKGATE_TAP_H
#define LINKGATE_TAP_H

#include <stdbool.h>
#include <stddef.h>

bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Compares strings; NULL equals only NULL. */
bool tap_is_str(const char *got, const char *want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool tap_is_int(long long got, long long want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Removes a test's temporary directory and all it holds (a diagnostic when
 * it cannot). */
void tap_remove_dir(const char *dir);
int tap_done(void);

#endif

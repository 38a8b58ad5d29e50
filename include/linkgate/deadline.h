/*
 * deadline.h — the one deadline of a hook run (limits.timeout_ms).
 *
 * Set once by the entry point; every loop whose work scales with the push
 * (walking, reading blobs, detecting, Lua) calls lg_deadline_check(), which
 * sets LG_ETIMEOUT and its message once the monotonic clock has passed it.
 * With no deadline set (check, scan) it never fires.
 */
#ifndef LINKGATE_DEADLINE_H
#define LINKGATE_DEADLINE_H

#include "linkgate/common.h"

/* ms <= 0 clears the deadline. */
void lg_deadline_set_ms(long ms);
/* Milliseconds left (LONG_MAX when none is set; 0 once passed). */
long lg_deadline_remaining_ms(void);
/* 0 while time is left; LG_ETIMEOUT with the message set once it has passed. */
int lg_deadline_check(void);
/* Milliseconds since the process called lg_deadline_set_ms() the first time, for reports. */
long lg_deadline_elapsed_ms(void);

#endif

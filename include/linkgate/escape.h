/*
 * escape.h — the one escaper for text that came from a push.
 *
 * Every byte that came from the push (paths, messages, ref names, trailer
 * values, Lua log text) passes through lg_escape() before it reaches the
 * pusher's terminal. Property: the output never contains a C0 control byte,
 * DEL, a C1 control (as raw byte 0x80-0x9f or as U+0080-U+009F encoded in
 * UTF-8), a bidirectional override/isolate mark, or an invalid UTF-8
 * sequence. Those are written as visible escapes (\e, \r, \x9b, \u202e...);
 * a backslash is doubled so escapes cannot be forged.
 */
#ifndef LINKGATE_ESCAPE_H
#define LINKGATE_ESCAPE_H

#include "linkgate/buf.h"

void lg_escape(struct lg_buf *out, const char *s, size_t len);
void lg_escape_str(struct lg_buf *out, const char *s);

/* True if s[0..len) is valid UTF-8. */
bool lg_utf8_valid(const char *s, size_t len);

#endif

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
 *
 * The notation, all of it printable ASCII:
 *   \\            a backslash
 *   \t \n \r      TAB, LF, CR
 *   \e \a         ESC, BEL
 *   \xHH          any other C0 byte, DEL, and every byte that is not part of
 *                 a valid UTF-8 sequence (overlong forms, surrogates, code
 *                 points above U+10FFFF, truncated sequences, stray
 *                 continuation bytes such as a raw 0x9b CSI); two lowercase
 *                 hex digits, one escape per byte
 *   \u{hhhh}      a valid UTF-8 sequence whose code point must not reach a
 *                 terminal raw: C1 controls U+0080-U+009F, the bidi marks
 *                 U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, and
 *                 the line/paragraph separators U+2028, U+2029 (web UIs such
 *                 as GitLab's render them as line breaks); lowercase hex,
 *                 at least four digits
 * Printable ASCII and every other valid UTF-8 sequence pass through
 * unchanged, so the output is always valid UTF-8.
 */
#ifndef LINKGATE_ESCAPE_H
#define LINKGATE_ESCAPE_H

#include "linkgate/buf.h"

/* Appends the escaped form of s[0..len) to out. s may be NULL when len is 0. */
void lg_escape(struct lg_buf *out, const char *s, size_t len);
/* Same for a NUL-terminated string; NULL appends nothing. */
void lg_escape_str(struct lg_buf *out, const char *s);

/* True if s[0..len) is valid UTF-8 (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). NUL bytes are valid. */
bool lg_utf8_valid(const char *s, size_t len);

/* Decodes the UTF-8 sequence at the start of s[0..len). Returns its length
 * (1-4) and stores the code point in *cp_out, or returns 0 if the bytes there
 * do not start a valid sequence (or len is 0); *cp_out is then untouched. */
size_t lg_utf8_decode(const char *s, size_t len, uint32_t *cp_out);

/* Appends s[0..len) to out with every byte that is not part of a valid UTF-8
 * sequence replaced by U+FFFD (for JSON, which must be UTF-8). */
void lg_utf8_replace_invalid(struct lg_buf *out, const char *s, size_t len);

#endif

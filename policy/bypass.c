/* bypass.c — break-glass decisions (see bypass.h). */
#include "linkgate/bypass.h"
#include "linkgate/escape.h"

void lg_bypass_init(struct lg_bypass *b)
{
	memset(b, 0, sizeof(*b));
}

void lg_bypass_release(struct lg_bypass *b)
{
	free(b->reason);
	memset(b, 0, sizeof(*b));
}

/* A reason must say something: blanks and control bytes alone do not. */
static bool says_something(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > ' ' && c != 0x7f)
			return true;
	}
	return false;
}

/* Cuts at most max bytes without splitting a UTF-8 sequence. */
static size_t bounded_len(const char *s, size_t len, size_t max)
{
	size_t n, back;

	if (len <= max)
		return len;
	n = max;
	/* Step back over continuation bytes (at most three) so the cut falls
	 * on the start of a sequence. */
	for (back = 0; back < 3 && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; back++)
		n--;
	return n;
}

void lg_bypass_decide(struct lg_bypass *out, const struct lg_config *cfg, const struct lg_push *push)
{
	const char *name = cfg->bypass.push_option;
	size_t namelen = name ? strlen(name) : 0, i;
	const char *value = NULL;

	lg_bypass_init(out);
	out->enabled = namelen > 0 && cfg->bypass.allowed.n > 0;
	out->option = name;
	if (!namelen)
		return;
	for (i = 0; push && i < push->noptions; i++) {
		const char *o = push->options[i];

		if (!strncmp(o, name, namelen) && (o[namelen] == '=' || o[namelen] == '\0'))
			value = o[namelen] == '=' ? o + namelen + 1 : "";
	}
	if (!value)
		return;
	out->requested = true;
	out->reason_bytes = strlen(value);
	out->reason = lg_xstrndup(value, bounded_len(value, out->reason_bytes, LG_BYPASS_MAX_REASON));
	if (!out->enabled) {
		out->refusal = "break-glass is not enabled on this server (bypass.allowed is empty)";
		return;
	}
	if (!(cfg->audit.log && *cfg->audit.log) && !cfg->audit.syslog) {
		out->refusal = "break-glass needs an audit trail and neither audit.log nor audit.syslog is set";
		return;
	}
	if (!push->pusher) {
		out->refusal = "the pusher is unknown (none of the pusher.from variables is set)";
		return;
	}
	for (i = 0; i < cfg->bypass.allowed.n; i++)
		if (!strcmp(cfg->bypass.allowed.v[i], push->pusher))
			break;
	if (i == cfg->bypass.allowed.n) {
		out->refusal = "the pusher is not listed in bypass.allowed";
		return;
	}
	if (!says_something(value)) {
		out->refusal = "a reason is mandatory";
		return;
	}
	out->granted = true;
}

static void line_begin(struct lg_buf *out, bool gitlab_web)
{
	if (gitlab_web)
		lg_buf_puts(out, "GL-HOOK-ERR: ");
}

void lg_bypass_report(struct lg_buf *out, const struct lg_bypass *b, const char *pusher, bool used, bool gitlab_web)
{
	if (!b->requested)
		return;
	if (!out->ptr)
		lg_buf_init(out);
	line_begin(out, gitlab_web);
	if (b->granted) {
		lg_buf_puts(out, used ? "linkgate: BYPASS: push accepted despite policy errors, by "
				      : "linkgate: bypass requested by ");
		lg_escape_str(out, pusher ? pusher : "(unknown)");
		lg_buf_puts(out, ": \"");
		lg_escape_str(out, b->reason);
		if (b->reason_bytes > strlen(b->reason))
			lg_buf_printf(out, "...\" (%zu bytes, cut)", b->reason_bytes);
		else
			lg_buf_putc(out, '"');
		lg_buf_puts(out, used ? "; this is recorded in the audit log\n" : " (not needed: nothing to bypass)\n");
		return;
	}
	lg_buf_puts(out, "linkgate: bypass refused: ");
	lg_buf_puts(out, b->refusal);
	lg_buf_puts(out, "; the push is judged as usual");
	if (b->enabled && b->option) {
		lg_buf_putc(out, '\n');
		line_begin(out, gitlab_web);
		lg_buf_puts(out, "linkgate: break-glass: git push -o ");
		lg_escape_str(out, b->option);
		lg_buf_puts(out, "=\"<reason>\" (for the pushers listed in bypass.allowed)");
	}
	lg_buf_putc(out, '\n');
}

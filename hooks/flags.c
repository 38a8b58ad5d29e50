/* flags.c — the checklinkname-off detector (see flags.h). */

/* memmem() is a GNU/BSD extension; glibc declares it only with _GNU_SOURCE,
 * which must come before the first system header. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "linkgate/flags.h"
#include "linkgate/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/*
 * One pattern for every disabling spelling. The class before the dashes
 * includes '-' so that a third dash is not skipped over; the values are
 * exactly what Go's strconv.ParseBool reads as false, optionally wrapped in
 * matching quotes (the shell removes them: -checklinkname='0' disables).
 * Byte mode: the classes are ASCII, so UTF-8 decoding would only add ways
 * to fail.
 *
 * The flag written directly as the value of another tool's flag goes to
 * that tool, not to Go's linker (GO-RULES: -gcflags=..., -extldflags=...),
 * so those spellings are excluded. Anything less direct (the flag later in
 * a quoted multi-word -gcflags value) is still reported: over-reporting is
 * the documented side to err on.
 */
#define OTHER_TOOL(t) t "=|" t "=all=|" t "='|" t "=\"|" t " '|" t " \"|" t " |" t "='all=|" t "=\"all="
static const char flags_pattern[] =
	"(?<![A-Za-z0-9_-])"
	"(?<!" OTHER_TOOL("gcflags") "|" OTHER_TOOL("asmflags") "|" OTHER_TOOL("gccgoflags") "|"
	OTHER_TOOL("extldflags") ")"
	"--?checklinkname=(['\"]?)(?:false|FALSE|False|0|f|F)\\1(?![A-Za-z0-9_])";

#define NEEDLE_LEN (sizeof(LG_FLAGS_NEEDLE) - 1)
/* A match starts at most two bytes before the needle ("--") and ends at
 * most "=" plus a five-byte value and two quotes after it; one more byte
 * lets the look-ahead see what follows the value. The look-behinds see the
 * whole line before the window. */
#define WINDOW_BEFORE 2
#define WINDOW_AFTER (NEEDLE_LEN + 1 + 5 + 2 + 1)

struct lg_flags {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	uint32_t match_options;
};

void lg_flags_set_jit(struct lg_flags *fl, bool on)
{
	fl->match_options = on ? 0 : PCRE2_NO_JIT;
}

void lg_flags_set_limits(struct lg_flags *fl, uint32_t match_limit, uint32_t depth_limit, uint32_t heap_limit_kib)
{
	if (match_limit)
		pcre2_set_match_limit(fl->mctx, match_limit);
	if (depth_limit)
		pcre2_set_depth_limit(fl->mctx, depth_limit);
	if (heap_limit_kib)
		pcre2_set_heap_limit(fl->mctx, heap_limit_kib);
}

int lg_flags_new(struct lg_flags **out)
{
	struct lg_flags *fl = lg_xcalloc(1, sizeof(*fl));
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff = 0;
	int errcode = 0;
	int err = 0;

	*out = NULL;
	fl->code = pcre2_compile((PCRE2_SPTR)flags_pattern, PCRE2_ZERO_TERMINATED, PCRE2_NEVER_UTF | PCRE2_NEVER_UCP,
				 &errcode, &erroff, NULL);
	if (!fl->code) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		err = lg_error_set(LG_ERROR, "flags: cannot compile the checklinkname pattern at offset %zu: %s",
				   (size_t)erroff, (const char *)msg);
		goto done;
	}
	/* Without JIT support the interpreter runs the same pattern, slower. */
	(void)pcre2_jit_compile(fl->code, PCRE2_JIT_COMPLETE);
	fl->md = pcre2_match_data_create_from_pattern(fl->code, NULL);
	fl->mctx = pcre2_match_context_create(NULL);
	if (!fl->md || !fl->mctx) {
		err = lg_error_set(LG_ERROR, "flags: out of memory creating PCRE2 match data");
		goto done;
	}
	lg_flags_set_limits(fl, LG_FLAGS_MATCH_LIMIT, LG_FLAGS_DEPTH_LIMIT, LG_FLAGS_HEAP_LIMIT_KIB);
	*out = fl;
	fl = NULL;
done:
	lg_flags_free(fl);
	return err;
}

void lg_flags_free(struct lg_flags *fl)
{
	if (!fl)
		return;
	pcre2_match_context_free(fl->mctx);
	pcre2_match_data_free(fl->md);
	pcre2_code_free(fl->code);
	free(fl);
}

void lg_flag_hits_init(struct lg_flag_hits *h)
{
	memset(h, 0, sizeof(*h));
}

void lg_flag_hits_release(struct lg_flag_hits *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++)
		free(h->v[i].spelling);
	free(h->v);
	lg_flag_hits_init(h);
}

static void hits_add(struct lg_flag_hits *h, unsigned line, size_t line_off, size_t line_len, size_t match_off,
		     const char *spelling, size_t spelling_len)
{
	struct lg_flag_hit *hit;

	h->v = lg_xgrow(h->v, sizeof(*h->v), h->n + 1, &h->alloc);
	hit = &h->v[h->n++];
	hit->line = line;
	hit->line_off = line_off;
	hit->line_len = line_len;
	hit->match_off = match_off;
	hit->spelling = lg_xstrndup(spelling, spelling_len);
}

/* Maps a PCRE2 failure to our error model: a limit is LG_ELIMIT, so a
 * pathological input can never pass as "no match". */
static int match_error(int rc, unsigned line)
{
	PCRE2_UCHAR msg[256];

	pcre2_get_error_message(rc, msg, sizeof(msg));
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return lg_error_set(LG_ELIMIT, "flags: regex limit reached on line %u: %s", line, (const char *)msg);
	default:
		return lg_error_set(LG_ERROR, "flags: regex match failed on line %u: %s", line, (const char *)msg);
	}
}

int lg_flags_scan(struct lg_flags *fl, struct lg_flag_hits *out, const char *buf, size_t len)
{
	/* The line that holds the current needle; line numbers are counted
	 * lazily, only up to the needles, so a blob costs one memmem() pass
	 * plus one memchr() pass over the part before its last needle. */
	size_t counted = 0, line_start = 0, content_end = 0, next_line = 0;
	bool have_line = false;
	unsigned lineno = 1;
	size_t from = 0;

	while (from < len && len - from >= NEEDLE_LEN) {
		const char *hit = memmem(buf + from, len - from, LG_FLAGS_NEEDLE, NEEDLE_LEN);
		size_t p, win_start, win_end;
		PCRE2_SIZE *ov;
		int rc;

		if (!hit)
			break;
		p = (size_t)(hit - buf);
		from = p + NEEDLE_LEN;

		if (!have_line || p >= next_line) {
			const char *nl;

			while ((nl = memchr(buf + counted, '\n', p - counted))) {
				lineno++;
				counted = (size_t)(nl - buf) + 1;
			}
			line_start = counted;
			nl = memchr(buf + p, '\n', len - p);
			content_end = nl ? (size_t)(nl - buf) : len;
			next_line = nl ? content_end + 1 : len;
			if (content_end > line_start && buf[content_end - 1] == '\r')
				content_end--;
			have_line = true;
		}

		/* Match only in a window around this needle. The subject starts
		 * at the line start so the look-behind sees the byte before the
		 * dashes, and at a line start sees nothing, which is a bound. */
		win_start = p - line_start >= WINDOW_BEFORE ? p - WINDOW_BEFORE : line_start;
		win_end = content_end - p > WINDOW_AFTER ? p + WINDOW_AFTER : content_end;
		rc = pcre2_match(fl->code, (PCRE2_SPTR)(buf + line_start), win_end - line_start,
				 win_start - line_start, fl->match_options, fl->md, fl->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0)
			return match_error(rc, lineno);
		ov = pcre2_get_ovector_pointer(fl->md);
		hits_add(out, lineno, line_start, content_end - line_start, line_start + ov[0], buf + line_start + ov[0],
			 (size_t)(ov[1] - ov[0]));
	}
	return 0;
}

static bool has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool eq_nocase(const char *a, size_t n, const char *b)
{
	size_t i;

	if (strlen(b) != n)
		return false;
	for (i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

static bool has_suffix_nocase(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && eq_nocase(s + n - k, k, suffix);
}

static bool name_in(const char *base, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(base, names[i]))
			return true;
	return false;
}

static bool suffix_in(const char *base, size_t len, const char *const *sfx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (has_suffix(base, len, sfx[i]))
			return true;
	return false;
}

const char *lg_flags_carrier(const char *path)
{
	static const char *const make_names[] = { "Makefile", "GNUmakefile", "makefile" };
	static const char *const make_sfx[] = { ".mk", ".mak" };
	static const char *const goreleaser_names[] = {
		".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml", "goreleaser.yaml",
	};
	/* docker build falls back to a lowercase "dockerfile"; podman reads
	 * Containerfile first. */
	static const char *const docker_names[] = { "Dockerfile", "dockerfile", "Containerfile" };
	static const char *const docker_sfx[] = { ".Dockerfile", ".dockerfile" };
	static const char *const bazel_names[] = {
		"BUILD", "BUILD.bazel", "WORKSPACE", "WORKSPACE.bazel", "MODULE.bazel",
	};
	static const char *const bazel_sfx[] = { ".bzl", ".bazel", ".bazelrc" };
	static const char *const shell_names[] = {
		".profile", ".bashrc", ".bash_profile", ".bash_login", ".zshrc", ".zshenv", ".zprofile", ".kshrc",
	};
	static const char *const shell_sfx[] = { ".sh", ".bash", ".zsh", ".ksh", ".envrc" };
	static const char *const yaml_sfx[] = { ".yml", ".yaml" };
	static const char *const doc_sfx[] = { ".md", ".markdown", ".txt", ".rst", ".adoc", ".asciidoc" };
	static const char *const doc_names[] = { "README", "CHANGELOG", "NOTES" };
	const char *base, *slash;
	size_t len, i;

	if (!path)
		return "text";
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	len = strlen(base);
	if (!len)
		return "text";

	if (name_in(base, make_names, LG_ARRAY_SIZE(make_names)) ||
	    suffix_in(base, len, make_sfx, LG_ARRAY_SIZE(make_sfx)))
		return "makefile";
	if (name_in(base, goreleaser_names, LG_ARRAY_SIZE(goreleaser_names)))
		return "goreleaser";
	if (name_in(base, docker_names, LG_ARRAY_SIZE(docker_names)) || !strncmp(base, "Dockerfile.", 11) ||
	    !strncmp(base, "Containerfile.", 14) || suffix_in(base, len, docker_sfx, LG_ARRAY_SIZE(docker_sfx)))
		return "dockerfile";
	if (name_in(base, bazel_names, LG_ARRAY_SIZE(bazel_names)) ||
	    suffix_in(base, len, bazel_sfx, LG_ARRAY_SIZE(bazel_sfx)))
		return "bazel";
	if (name_in(base, shell_names, LG_ARRAY_SIZE(shell_names)) ||
	    suffix_in(base, len, shell_sfx, LG_ARRAY_SIZE(shell_sfx)))
		return "shell";
	if (suffix_in(base, len, yaml_sfx, LG_ARRAY_SIZE(yaml_sfx)))
		return "yaml";
	if (has_suffix(base, len, ".go"))
		return "go";
	for (i = 0; i < LG_ARRAY_SIZE(doc_sfx); i++)
		if (has_suffix_nocase(base, len, doc_sfx[i]))
			return "doc";
	for (i = 0; i < LG_ARRAY_SIZE(doc_names); i++)
		if (eq_nocase(base, len, doc_names[i]))
			return "doc";
	return "text";
}

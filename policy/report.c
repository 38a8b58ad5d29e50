/* report.c — the pusher's text and the JSON report (see report.h). */
#include "linkgate/report.h"
#include "linkgate/error.h"
#include "linkgate/escape.h"

#define GITLAB_PREFIX "GL-HOOK-ERR: "
#define SHORT_ID_LEN 12

const char *lg_outcome_name(enum lg_outcome o)
{
	switch (o) {
	case LG_OUTCOME_REJECT:
		return "reject";
	case LG_OUTCOME_WARN:
		return "warn";
	default:
		return "accept";
	}
}

/* ---- text ---- */

static void line_begin(struct lg_buf *out, const struct lg_report_opts *opts)
{
	if (opts && opts->gitlab_web)
		lg_buf_puts(out, GITLAB_PREFIX);
}

static void line_end(struct lg_buf *out)
{
	lg_buf_putc(out, '\n');
}

static void blank_line(struct lg_buf *out, const struct lg_report_opts *opts)
{
	/* GitLab shows only prefixed lines; keep the prefix without the
	 * trailing space so the blank line survives there too. */
	if (opts && opts->gitlab_web)
		lg_buf_puts(out, "GL-HOOK-ERR:");
	line_end(out);
}

static void put_count(struct lg_buf *out, size_t n, const char *one, const char *many)
{
	lg_buf_printf(out, "%zu %s", n, n == 1 ? one : many);
}

/* "2 errors, 1 warning", listing only the non-zero counts ("0 errors" when
 * there is nothing at all, which a caller with violations never sees). */
static void put_counts(struct lg_buf *out, size_t nerr, size_t nwarn)
{
	if (nerr || !nwarn)
		put_count(out, nerr, "error", "errors");
	if (nerr && nwarn)
		lg_buf_puts(out, ", ");
	if (nwarn)
		put_count(out, nwarn, "warning", "warnings");
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct commits that carry a violation. */
static size_t count_violating_commits(const struct lg_verdict *vd)
{
	const char **ids;
	size_t i, n = 0, distinct = 0;

	if (!vd->n)
		return 0;
	ids = lg_xcalloc(vd->n, sizeof(*ids));
	for (i = 0; i < vd->n; i++) {
		const struct lg_finding *f = vd->v[i].finding;

		if (f && f->commit && f->commit->id[0])
			ids[n++] = f->commit->id;
	}
	qsort(ids, n, sizeof(*ids), cmp_str_ptr);
	for (i = 0; i < n; i++)
		if (!i || strcmp(ids[i - 1], ids[i]))
			distinct++;
	free(ids);
	return distinct;
}

/* The hint's lines: NULL or "" is no hint; one final newline is ignored. */
static size_t hint_span(const char *hint)
{
	size_t len;

	if (!hint || !*hint)
		return 0;
	len = strlen(hint);
	if (hint[len - 1] == '\n')
		len--;
	return len;
}

static size_t hint_lines(const char *hint)
{
	size_t len, i, n;

	if (!hint || !*hint)
		return 0;
	len = hint_span(hint);
	for (i = 0, n = 1; i < len; i++)
		if (hint[i] == '\n')
			n++;
	return n;
}

static size_t block_lines(const struct lg_violation *v)
{
	return 2 + hint_lines(v->hint);
}

/* Writes at most max_hint hint lines of a block (SIZE_MAX: all of them). */
static void put_block(struct lg_buf *out, const struct lg_report_opts *opts, const struct lg_violation *v,
		      size_t max_hint)
{
	const struct lg_finding *f = v->finding;
	size_t len, start, i, shown = 0, total;

	line_begin(out, opts);
	if (f && f->commit && f->commit->id[0]) {
		size_t idlen = strnlen(f->commit->id, SHORT_ID_LEN);

		lg_escape(out, f->commit->id, idlen);
	} else {
		lg_buf_puts(out, "------------");
	}
	lg_buf_putc(out, ' ');
	if (f) {
		if (f->path)
			lg_escape_str(out, f->path);
		else
			lg_buf_puts(out, "(unknown path)");
		if (f->line)
			lg_buf_printf(out, ":%u", f->line);
	} else {
		lg_buf_puts(out, "(push)");
	}
	lg_buf_puts(out, "  [");
	lg_escape_str(out, v->rule);
	lg_buf_puts(out, "] ");
	lg_buf_puts(out, lg_severity_name(v->severity));
	line_end(out);

	line_begin(out, opts);
	lg_buf_puts(out, "    ");
	if (v->message && *v->message)
		lg_escape_str(out, v->message);
	else
		lg_buf_puts(out, "(no message)");
	line_end(out);

	total = hint_lines(v->hint);
	len = hint_span(v->hint);
	for (start = 0, i = 0; total && i <= len && shown < max_hint; i++) {
		if (i < len && v->hint[i] != '\n')
			continue;
		line_begin(out, opts);
		lg_buf_puts(out, "    hint:");
		if (i > start) {
			lg_buf_putc(out, ' ');
			lg_escape(out, v->hint + start, i - start);
		}
		line_end(out);
		shown++;
		start = i + 1;
	}
	if (shown < total) {
		line_begin(out, opts);
		lg_buf_printf(out, "    hint: ... (%zu more hint %s not shown)", total - shown,
			      total - shown == 1 ? "line" : "lines");
		line_end(out);
	}
}

/* Errors first, then warnings, each in verdict order. */
static size_t *display_order(const struct lg_verdict *vd)
{
	size_t *order = lg_xcalloc(vd->n ? vd->n : 1, sizeof(*order));
	size_t i, k = 0;

	for (i = 0; i < vd->n; i++)
		if (vd->v[i].severity == LG_SEVERITY_ERROR)
			order[k++] = i;
	for (i = 0; i < vd->n; i++)
		if (vd->v[i].severity != LG_SEVERITY_ERROR)
			order[k++] = i;
	return order;
}

static void put_verdict_line(struct lg_buf *out, const struct lg_report_opts *opts, enum lg_outcome outcome,
			     const struct lg_verdict *vd)
{
	line_begin(out, opts);
	switch (outcome) {
	case LG_OUTCOME_REJECT:
		lg_buf_puts(out, "linkgate: push rejected: ");
		put_count(out, vd->n, "violation", "violations");
		lg_buf_puts(out, " of policy (");
		put_counts(out, vd->nerrors, vd->nwarnings);
		lg_buf_putc(out, ')');
		{
			size_t k = count_violating_commits(vd);

			if (k) {
				lg_buf_puts(out, " in ");
				put_count(out, k, "commit", "commits");
			}
		}
		break;
	case LG_OUTCOME_WARN:
		lg_buf_printf(out, "linkgate: policy violations found (mode: %s, push accepted)",
			      lg_mode_name(opts ? opts->mode : LG_MODE_WARN));
		break;
	default:
		if (vd->n) {
			lg_buf_puts(out, "linkgate: push accepted with ");
			put_counts(out, vd->nerrors, vd->nwarnings);
		} else {
			lg_buf_puts(out, "linkgate: push accepted: no policy violations");
		}
		break;
	}
	line_end(out);
}

static void put_summary(struct lg_buf *out, const struct lg_report_opts *opts, enum lg_outcome outcome,
			const struct lg_verdict *vd, size_t nfindings, size_t ncommits)
{
	line_begin(out, opts);
	lg_buf_puts(out, "linkgate: checked ");
	put_count(out, ncommits, "commit", "commits");
	lg_buf_puts(out, " and ");
	put_count(out, nfindings, "finding", "findings");
	lg_buf_puts(out, ": ");
	put_count(out, vd->nerrors, "error", "errors");
	lg_buf_puts(out, ", ");
	put_count(out, vd->nwarnings, "warning", "warnings");
	if (outcome == LG_OUTCOME_REJECT)
		lg_buf_puts(out, "; fix the errors and push again");
	line_end(out);
	if (opts && opts->help_url && *opts->help_url) {
		line_begin(out, opts);
		lg_buf_puts(out, "linkgate: help: ");
		lg_escape_str(out, opts->help_url);
		line_end(out);
	}
}

void lg_report_text(struct lg_buf *out, const struct lg_report_opts *opts, enum lg_outcome outcome,
		    const struct lg_verdict *vd, size_t nfindings, size_t ncommits)
{
	bool capped = opts && opts->max_lines > 0;
	bool help = opts && opts->help_url && *opts->help_url;
	size_t budget = SIZE_MAX, shown = 0, i;
	size_t *order;

	if (!out->ptr)
		lg_buf_init(out);
	put_verdict_line(out, opts, outcome, vd);
	if (!vd->n) {
		put_summary(out, opts, outcome, vd, nfindings, ncommits);
		return;
	}
	if (capped) {
		size_t cap = (size_t)opts->max_lines;
		size_t fixed = 4 + (help ? 1 : 0); /* verdict, blank, blank, summary[, help] */

		if (cap < LG_REPORT_MIN_LINES)
			cap = LG_REPORT_MIN_LINES;
		budget = cap - fixed;
	}

	blank_line(out, opts);
	order = display_order(vd);
	for (i = 0; i < vd->n; i++) {
		const struct lg_violation *v = &vd->v[order[i]];
		size_t need = block_lines(v);
		size_t reserve = i + 1 < vd->n ? 1 : 0; /* room for "and M more" */

		if (!capped || need + reserve <= budget) {
			put_block(out, opts, v, SIZE_MAX);
			budget -= capped ? need : 0;
			shown++;
			continue;
		}
		if (i == 0) {
			/* header, message, k hint lines and the cut-hint line;
			 * LG_REPORT_MIN_LINES guarantees room for k >= 0. */
			size_t avail = budget - reserve;

			put_block(out, opts, v, avail >= 3 ? avail - 3 : 0);
			shown++;
		}
		break;
	}
	free(order);
	if (shown < vd->n) {
		size_t more = vd->n - shown;

		line_begin(out, opts);
		lg_buf_printf(out, "linkgate: ... and %zu more %s not shown", more,
			      more == 1 ? "violation" : "violations");
		line_end(out);
	}
	blank_line(out, opts);
	put_summary(out, opts, outcome, vd, nfindings, ncommits);
}

void lg_report_error(struct lg_buf *out, const struct lg_report_opts *opts, const char *reason)
{
	line_begin(out, opts);
	lg_buf_puts(out, "linkgate: push rejected: ");
	lg_escape_str(out, reason && *reason ? reason : "unknown error");
	line_end(out);
}

void lg_report_error_accepted(struct lg_buf *out, const struct lg_report_opts *opts, const char *reason)
{
	line_begin(out, opts);
	lg_buf_puts(out, "linkgate: warning: ");
	lg_escape_str(out, reason && *reason ? reason : "unknown error");
	lg_buf_puts(out, "; push accepted because on_error is accept");
	line_end(out);
}

/* ---- JSON ---- */

void lg_base64_encode(struct lg_buf *out, const void *data, size_t len)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i;
	char q[4];

	if (!out->ptr)
		lg_buf_init(out);
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		q[0] = alphabet[v >> 18 & 63];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = alphabet[v >> 6 & 63];
		q[3] = alphabet[v & 63];
		lg_buf_put(out, q, 4);
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		q[0] = alphabet[v >> 18 & 63];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = '=';
		q[3] = '=';
		lg_buf_put(out, q, 4);
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		q[0] = alphabet[v >> 18 & 63];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = alphabet[v >> 6 & 63];
		q[3] = '=';
		lg_buf_put(out, q, 4);
	}
}

/*
 * Builders record the first jansson failure in *ok and carry on, so each
 * function has one check at its end instead of one per member; jansson's
 * _new setters free the value even when they fail, so nothing leaks.
 */
static void jset(json_t *obj, const char *key, json_t *val, bool *ok)
{
	if (!obj) {
		json_decref(val);
		*ok = false;
	} else if (json_object_set_new(obj, key, val) < 0) {
		*ok = false;
	}
}

static void jappend(json_t *arr, json_t *val, bool *ok)
{
	if (!arr) {
		json_decref(val);
		*ok = false;
	} else if (json_array_append_new(arr, val) < 0) {
		*ok = false;
	}
}

/* A byte string as JSON: null for NULL; U+FFFD for invalid bytes plus the
 * raw bytes in "<key>_b64". */
static void jset_strn(json_t *obj, const char *key, const char *s, size_t len, bool *ok)
{
	struct lg_buf tmp = LG_BUF_INIT;
	char *b64key = NULL;

	if (!s) {
		jset(obj, key, json_null(), ok);
		goto done;
	}
	if (lg_utf8_valid(s, len)) {
		jset(obj, key, json_stringn(s, len), ok);
		goto done;
	}
	lg_utf8_replace_invalid(&tmp, s, len);
	jset(obj, key, json_stringn(tmp.ptr, tmp.len), ok);
	lg_buf_clear(&tmp);
	lg_base64_encode(&tmp, s, len);
	b64key = lg_xasprintf("%s_b64", key);
	jset(obj, b64key, json_stringn(tmp.ptr, tmp.len), ok);
done:
	free(b64key);
	lg_buf_release(&tmp);
}

static void jset_str(json_t *obj, const char *key, const char *s, bool *ok)
{
	jset_strn(obj, key, s, s ? strlen(s) : 0, ok);
}

static json_t *commit_json(const struct lg_commit_info *c, bool *ok)
{
	json_t *o = json_object(), *trailers = json_array(), *sig = json_object(), *signoffs = json_array();
	size_t i;

	jset_str(o, "id", c->id[0] ? c->id : NULL, ok);
	jset_str(o, "summary", c->summary, ok);
	jset_str(o, "message", c->message, ok);
	jset_str(o, "author", c->author, ok);
	jset_str(o, "committer", c->committer, ok);
	jset(o, "time", json_integer((json_int_t)c->time), ok);
	for (i = 0; i < c->ntrailers; i++) {
		json_t *t = json_object();

		jset_str(t, "key", c->trailers[i].key, ok);
		jset_str(t, "value", c->trailers[i].value, ok);
		jappend(trailers, t, ok);
	}
	jset(o, "trailers", trailers, ok);
	jset(sig, "present", json_boolean(c->signed_), ok);
	jset(sig, "verified", json_boolean(c->signature_verified), ok);
	jset_str(sig, "signer", c->signer, ok);
	jset(o, "signature", sig, ok);
	for (i = 0; i < c->nsignoffs; i++) {
		json_t *s = json_object();

		jset_str(s, "value", c->signoffs[i].value, ok);
		jset_str(s, "commit", c->signoffs[i].commit_id, ok);
		jset(s, "verified", json_boolean(c->signoffs[i].verified), ok);
		jset_str(s, "signer", c->signoffs[i].signer, ok);
		jappend(signoffs, s, ok);
	}
	jset(o, "signoffs", signoffs, ok);
	return o;
}

/* A Go minor, or null for an open end or an unknown value. */
static json_t *jminor(int minor)
{
	return minor < 0 ? json_null() : json_integer(minor);
}

/* [[lo, hi]...] */
static json_t *ranges_json(const struct lg_goranges *l, bool *ok)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		json_t *r = json_array();

		jappend(r, jminor(l->v[i].lo), ok);
		jappend(r, jminor(l->v[i].hi), ok);
		jappend(a, r, ok);
	}
	return a;
}

/* [{"lo", "hi", "where"}...], for gaps and overlaps. */
static json_t *where_ranges_json(const struct lg_goranges *l, bool *ok)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		json_t *r = json_object();

		jset(r, "lo", jminor(l->v[i].lo), ok);
		jset(r, "hi", jminor(l->v[i].hi), ok);
		jset_str(r, "where", l->v[i].where, ok);
		jappend(a, r, ok);
	}
	return a;
}

/* A list of strings; bytes that are not UTF-8 become U+FFFD (list items
 * have no sibling member for their raw bytes). */
static json_t *strv_json(char *const *v, size_t n, bool *ok)
{
	struct lg_buf tmp = LG_BUF_INIT;
	json_t *a = json_array();
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strlen(v[i]);
		if (lg_utf8_valid(v[i], len)) {
			jappend(a, json_stringn(v[i], len), ok);
			continue;
		}
		lg_buf_clear(&tmp);
		lg_utf8_replace_invalid(&tmp, v[i], len);
		jappend(a, json_stringn(tmp.ptr, tmp.len), ok);
	}
	lg_buf_release(&tmp);
	return a;
}

static json_t *file_json(const struct lg_file_facts *ff, bool *ok)
{
	json_t *o = json_object(), *build = json_object();

	jset_str(o, "package", ff->package, ok);
	jset(o, "is_test", json_boolean(ff->is_test), ok);
	jset(o, "imports_unsafe", ff->imports_unsafe < 0 ? json_null() : json_boolean(ff->imports_unsafe), ok);
	jset_str(o, "import_path", ff->import_path, ok);
	jset_str(o, "module", ff->module, ok);
	jset_str(o, "gomod", ff->gomod, ok);
	jset_str(o, "gomod_error", ff->gomod_error, ok);
	jset(o, "module_go", jminor(ff->module_go), ok);
	jset(o, "module_toolchain", jminor(ff->module_toolchain), ok);
	jset_str(build, "expr", ff->build_expr, ok);
	jset(build, "misplaced", json_boolean(ff->build_misplaced), ok);
	jset(build, "legacy", json_boolean(ff->build_legacy), ok);
	jset_str(build, "implicit", ff->build_implicit, ok);
	jset(build, "go_versions", ff->go_versions_known ? ranges_json(&ff->go_versions, ok) : json_null(), ok);
	jset_str(build, "error", ff->build_error, ok);
	jset(o, "build", build, ok);
	return o;
}

static json_t *rationale_json(const struct lg_finding *f, bool *ok)
{
	const struct lg_rationale *r = &f->rationale;
	json_t *o;

	if (!r->present)
		return json_null();
	o = json_object();
	jset_str(o, "why", r->why, ok);
	jset_str(o, "measured_gain", r->measured_gain, ok);
	jset_str(o, "target_source", r->target_source, ok);
	jset_str(o, "removed_when", r->removed_when, ok);
	jset_str(o, "owner", r->owner, ok);
	jset(o, "line", json_integer(r->line), ok);
	jset(o, "removal_go", jminor(f->removal_go), ok);
	jset(o, "expired", f->removal_expired < 0 ? json_null() : json_boolean(f->removal_expired), ok);
	return o;
}

/* siblings, fallback, target_check and ci: null while unknown. */
static void tree_facts_json(json_t *o, const struct lg_finding *f, bool *ok)
{
	json_t *a;
	size_t i;

	a = f->siblings_known ? json_array() : json_null();
	for (i = 0; f->siblings_known && i < f->nsiblings; i++) {
		json_t *s = json_object();

		jset(s, "line", json_integer(f->siblings[i].line), ok);
		jset_str(s, "localname", f->siblings[i].localname, ok);
		jset_str(s, "target", f->siblings[i].target, ok);
		jappend(a, s, ok);
	}
	jset(o, "siblings", a, ok);
	if (f->fallback.known || f->fallback.error) {
		json_t *fb = json_object();

		jset_str(fb, "path", f->fallback.npaths ? f->fallback.paths[0] : NULL, ok);
		jset(fb, "paths", strv_json(f->fallback.paths, f->fallback.npaths, ok), ok);
		jset(fb, "gaps", where_ranges_json(&f->fallback.gaps, ok), ok);
		jset(fb, "overlaps", where_ranges_json(&f->fallback.overlaps, ok), ok);
		jset_str(fb, "error", f->fallback.error, ok);
		jset(o, "fallback", fb, ok);
	} else {
		jset(o, "fallback", json_null(), ok);
	}
	a = f->target_check_known ? json_array() : json_null();
	for (i = 0; f->target_check_known && i < f->ntarget_check; i++) {
		const struct lg_target_check *c = &f->target_check[i];
		json_t *t = json_object();

		jset(t, "go", json_integer(c->go), ok);
		jset_str(t, "version", c->version, ok);
		jset(t, "exists", c->exists < 0 ? json_null() : json_boolean(c->exists), ok);
		jset(t, "shape_ok", c->shape_ok < 0 ? json_null() : json_boolean(c->shape_ok), ok);
		jset_str(t, "detail", c->detail, ok);
		jset_str(t, "where", c->where, ok);
		jappend(a, t, ok);
	}
	jset(o, "target_check", a, ok);
	if (f->ci.present) {
		json_t *ci = json_object();

		jset(ci, "versions", strv_json(f->ci.versions, f->ci.nversions, ok), ok);
		jset(ci, "tip", json_boolean(f->ci.tip), ok);
		jset(ci, "files", strv_json(f->ci.files, f->ci.nfiles, ok), ok);
		jset(ci, "errors", strv_json(f->ci.errors, f->ci.nerrors, ok), ok);
		jset(o, "ci", ci, ok);
	} else {
		jset(o, "ci", json_null(), ok);
	}
}

static json_t *finding_json(const struct lg_finding *f, bool *ok)
{
	json_t *o = json_object();

	jset(o, "kind", json_string(lg_finding_kind_name(f->kind)), ok);
	jset_str(o, "path", f->path, ok);
	jset(o, "line", json_integer(f->line), ok);
	/* text_len is authoritative (the line may hold NUL bytes); a caller
	 * that filled only text gets its C string length. */
	jset_strn(o, "text", f->text, f->text ? (f->text_len ? f->text_len : strlen(f->text)) : 0, ok);
	jset_str(o, "ref", f->ref, ok);
	jset(o, "commit", f->commit ? commit_json(f->commit, ok) : json_null(), ok);
	if (f->kind == LG_FINDING_LINKNAME) {
		jset_str(o, "localname", f->localname, ok);
		jset_str(o, "target", f->target, ok);
		jset_str(o, "target_pkg", f->target_pkg, ok);
		jset_str(o, "target_sym", f->target_sym, ok);
		jset_str(o, "target_class", f->target_class, ok);
		jset_str(o, "malformed", f->malformed, ok);
		jset_str(o, "vendored", f->vendored, ok);
		jset(o, "file", file_json(&f->file, ok), ok);
		jset(o, "rationale", rationale_json(f, ok), ok);
		tree_facts_json(o, f, ok);
	} else {
		jset_str(o, "carrier", f->carrier, ok);
		jset_str(o, "yaml_path", f->yaml_path, ok);
		jset_str(o, "spelling", f->spelling, ok);
	}
	return o;
}

json_t *lg_report_finding_json(const struct lg_finding *f)
{
	bool ok = true;
	json_t *o = finding_json(f, &ok);

	if (!ok || !o) {
		json_decref(o);
		lg_error_set(LG_ERROR, "report: out of memory building JSON");
		return NULL;
	}
	return o;
}

static json_t *violation_json(const struct lg_violation *v, bool *ok)
{
	const struct lg_finding *f = v->finding;
	json_t *o = json_object();

	jset_str(o, "rule", v->rule, ok);
	jset(o, "severity", json_string(lg_severity_name(v->severity)), ok);
	jset_str(o, "commit", f && f->commit && f->commit->id[0] ? f->commit->id : NULL, ok);
	jset_str(o, "path", f ? f->path : NULL, ok);
	jset(o, "line", f ? json_integer(f->line) : json_null(), ok);
	jset_str(o, "message", v->message, ok);
	jset_str(o, "hint", v->hint, ok);
	jset(o, "finding", f ? finding_json(f, ok) : json_null(), ok);
	return o;
}

int lg_report_json(struct lg_buf *out, enum lg_outcome outcome, const struct lg_push *push,
		   const char *const *ref_verdicts, const struct lg_verdict *vd,
		   const struct lg_findings *findings)
{
	json_t *root = json_object(), *refs = json_array(), *viols = json_array(), *all = json_array();
	char *text = NULL;
	bool ok = true;
	size_t i;
	int err = 0;

	jset(root, "verdict", json_string(lg_outcome_name(outcome)), &ok);
	for (i = 0; push && i < push->nupdates; i++) {
		const struct lg_ref_update *u = &push->updates[i];
		json_t *r = json_object();

		jset_str(r, "ref", u->ref, &ok);
		jset_str(r, "old", u->old_id, &ok);
		jset_str(r, "new", u->new_id, &ok);
		jset_str(r, "verdict", ref_verdicts ? ref_verdicts[i] : NULL, &ok);
		jappend(refs, r, &ok);
	}
	jset(root, "refs", refs, &ok);
	for (i = 0; vd && i < vd->n; i++)
		jappend(viols, violation_json(&vd->v[i], &ok), &ok);
	jset(root, "violations", viols, &ok);
	for (i = 0; findings && i < findings->n; i++)
		jappend(all, finding_json(findings->v[i], &ok), &ok);
	jset(root, "findings", all, &ok);
	if (!ok) {
		err = lg_error_set(LG_ERROR, "report: out of memory building JSON");
		goto done;
	}
	text = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	if (!text) {
		err = lg_error_set(LG_ERROR, "report: cannot serialise JSON");
		goto done;
	}
	lg_buf_puts(out, text);
	lg_buf_putc(out, '\n');
done:
	free(text);
	json_decref(root);
	return err;
}

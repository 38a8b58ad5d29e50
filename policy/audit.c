/* audit.c — the audit log line, its safe append, syslog (see audit.h). */
#include "linkgate/audit.h"
#include "linkgate/error.h"
#include "linkgate/escape.h"
#include "linkgate/metrics.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

const char *lg_audit_error_kind(int code)
{
	switch (code) {
	case LG_ETIMEOUT:
		return "timeout";
	case LG_ELIMIT:
		return "limit";
	case LG_ECONFIG:
		return "config";
	case LG_EUSAGE:
		return "usage";
	case LG_ENOTFOUND:
		return "notfound";
	case LG_EUNSUPPORTED:
		return "unsupported";
	case LG_EAUDIT:
		return "audit";
	case LG_EREFUSED:
		return "refused";
	default:
		return "internal";
	}
}

int64_t lg_audit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *lg_audit_client(void)
{
	static char addr[64];
	const char *v = getenv("SSH_CONNECTION");
	size_t n;

	if (!v || !*v)
		v = getenv("SSH_CLIENT");
	if (v && *v) {
		n = strcspn(v, " ");
		if (n >= sizeof(addr))
			n = sizeof(addr) - 1;
		memcpy(addr, v, n);
		addr[n] = '\0';
		return addr;
	}
	v = getenv("REMOTE_ADDR");
	return v && *v ? v : NULL;
}

/*
 * Like report.c's builders: the first jansson failure is recorded in *ok
 * and checked once at the end; the _new setters free the value on failure.
 */
static void jset(json_t *obj, const char *key, json_t *val, bool *ok)
{
	if (!obj || json_object_set_new(obj, key, val) < 0) {
		if (!obj)
			json_decref(val);
		*ok = false;
	}
}

static void jappend(json_t *arr, json_t *val, bool *ok)
{
	if (!arr || json_array_append_new(arr, val) < 0) {
		if (!arr)
			json_decref(val);
		*ok = false;
	}
}

/* A byte string: null for NULL; invalid UTF-8 becomes U+FFFD with the raw
 * bytes in "<key>_b64" (SPEC: JSON outputs). */
static void jset_strn(json_t *obj, const char *key, const char *s, size_t len, bool *ok)
{
	struct lg_buf tmp = LG_BUF_INIT;
	char *b64key;

	if (!s) {
		jset(obj, key, json_null(), ok);
		return;
	}
	if (lg_utf8_valid(s, len)) {
		jset(obj, key, json_stringn(s, len), ok);
		return;
	}
	lg_utf8_replace_invalid(&tmp, s, len);
	jset(obj, key, json_stringn(tmp.ptr, tmp.len), ok);
	lg_buf_clear(&tmp);
	lg_base64_encode(&tmp, s, len);
	b64key = lg_xasprintf("%s_b64", key);
	jset(obj, b64key, json_stringn(tmp.ptr, tmp.len), ok);
	free(b64key);
	lg_buf_release(&tmp);
}

static void jset_str(json_t *obj, const char *key, const char *s, bool *ok)
{
	jset_strn(obj, key, s, s ? strlen(s) : 0, ok);
}

static void put_time(char *out, size_t size, int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	char base[32];

	if (!gmtime_r(&secs, &tm) || !strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(base, sizeof(base), "1970-01-01T00:00:00");
	snprintf(out, size, "%s.%03dZ", base, (int)(ms % 1000));
}

struct finding_index {
	const struct lg_finding *f;
	size_t i;
};

static int cmp_finding_index(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct finding_index *)a)->f;
	uintptr_t y = (uintptr_t)((const struct finding_index *)b)->f;

	return x < y ? -1 : x > y;
}

static json_t *refs_json(const struct lg_audit_event *ev, bool *ok)
{
	json_t *refs = json_array();
	size_t i;

	for (i = 0; ev->push && i < ev->push->nupdates; i++) {
		const struct lg_ref_update *u = &ev->push->updates[i];
		json_t *r = json_object();

		jset_str(r, "ref", u->ref, ok);
		jset_str(r, "old", u->old_id, ok);
		jset_str(r, "new", u->new_id, ok);
		jset_str(r, "verdict", ev->ref_verdicts ? ev->ref_verdicts[i] : NULL, ok);
		jappend(refs, r, ok);
	}
	return refs;
}

/* Cuts at most max bytes, backing off a split UTF-8 sequence. */
static size_t cut_len(const char *s, size_t len, size_t max)
{
	size_t n = max, back;

	if (len <= max)
		return len;
	for (back = 0; back < 3 && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; back++)
		n--;
	return n;
}

static json_t *options_json(const struct lg_push *push, bool *ok)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; push && i < push->noptions; i++) {
		const char *o = push->options[i];
		size_t len = strlen(o);
		json_t *j = json_object();

		jset_strn(j, "value", o, cut_len(o, len, LG_AUDIT_MAX_OPTION), ok);
		jset(j, "bytes", json_integer((json_int_t)len), ok);
		jappend(arr, j, ok);
	}
	return arr;
}

static json_t *bypass_json(const struct lg_audit_event *ev, bool *ok)
{
	const struct lg_bypass *b = ev->bypass;
	json_t *o;

	if (!b || !b->requested)
		return json_null();
	o = json_object();
	jset_str(o, "option", b->option, ok);
	jset(o, "requested", json_true(), ok);
	jset(o, "granted", json_boolean(b->granted), ok);
	jset(o, "used", json_boolean(ev->bypass_used), ok);
	jset_str(o, "reason", b->reason, ok);
	jset(o, "reason_bytes", json_integer((json_int_t)b->reason_bytes), ok);
	jset_str(o, "refused", b->refusal, ok);
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
	return o;
}

/* Fills "violations", "findings" and "commits". Each finding is the
 * report's JSON with its commit object replaced by the id; the commit
 * objects are listed once each. */
static void findings_json(json_t *root, const struct lg_audit_event *ev, bool *ok)
{
	const struct lg_findings *fs = ev->findings;
	const struct lg_verdict *vd = ev->vd;
	json_t *viols = json_array(), *findings = json_array(), *commits = json_array(), *seen = json_object();
	json_t **rules = NULL;
	struct finding_index *index = NULL;
	size_t i, n = fs ? fs->n : 0;

	for (i = 0; vd && i < vd->n; i++)
		jappend(viols, violation_json(&vd->v[i], ok), ok);
	if (n) {
		index = lg_xcalloc(n, sizeof(*index));
		rules = lg_xcalloc(n, sizeof(*rules));
		for (i = 0; i < n; i++) {
			index[i].f = fs->v[i];
			index[i].i = i;
			rules[i] = json_array();
		}
		qsort(index, n, sizeof(*index), cmp_finding_index);
	}
	for (i = 0; vd && n && i < vd->n; i++) {
		struct finding_index key = { vd->v[i].finding, 0 }, *hit;

		if (!key.f)
			continue;
		hit = bsearch(&key, index, n, sizeof(*index), cmp_finding_index);
		if (hit)
			jappend(rules[hit->i], json_string(vd->v[i].rule ? vd->v[i].rule : ""), ok);
	}
	for (i = 0; i < n; i++) {
		const struct lg_finding *f = fs->v[i];
		json_t *fj = lg_report_finding_json(f), *cj;

		if (!fj) {
			*ok = false;
			json_decref(rules[i]);
			continue;
		}
		cj = json_object_get(fj, "commit");
		if (f->commit && f->commit->id[0] && json_is_object(cj)) {
			if (!json_object_get(seen, f->commit->id)) {
				jset(seen, f->commit->id, json_true(), ok);
				jappend(commits, json_incref(cj), ok);
			}
			jset(fj, "commit", json_string(f->commit->id), ok);
		}
		jset(fj, "rules", rules[i], ok);
		jappend(findings, fj, ok);
	}
	jset(root, "violations", viols, ok);
	jset(root, "findings", findings, ok);
	jset(root, "commits", commits, ok);
	json_decref(seen);
	free(rules);
	free(index);
}

/* libgit2 names a repository with a trailing slash; the record does not. */
static size_t repo_len(const char *repo)
{
	size_t len = repo ? strlen(repo) : 0;

	return len > 1 && repo[len - 1] == '/' ? len - 1 : len;
}

int lg_audit_format(struct lg_buf *out, const struct lg_audit_event *ev)
{
	json_t *root = json_object(), *counts = json_object(), *err = NULL;
	char when[48], *text = NULL;
	bool ok = true;
	int rc = 0;

	put_time(when, sizeof(when), ev->start_ms);
	jset(root, "v", json_integer(LG_AUDIT_VERSION), &ok);
	jset(root, "time", json_string(when), &ok);
	jset_str(root, "hook", ev->hook, &ok);
	jset_strn(root, "repository", ev->repository, repo_len(ev->repository), &ok);
	jset_str(root, "pusher", ev->push ? ev->push->pusher : NULL, &ok);
	jset_str(root, "client", lg_audit_client(), &ok);
	jset(root, "refs", refs_json(ev, &ok), &ok);
	jset(root, "push_options", options_json(ev->push, &ok), &ok);
	jset(root, "verdict", json_string(lg_outcome_name(ev->outcome)), &ok);
	jset(root, "policy_verdict", json_string(lg_outcome_name(ev->policy_outcome)), &ok);
	jset(root, "mode", json_string(lg_mode_name(ev->mode)), &ok);
	jset(root, "exit", json_integer(ev->exit_status), &ok);
	if (ev->error) {
		err = json_object();
		jset_str(err, "message", ev->error, &ok);
		jset(err, "kind", json_string(lg_audit_error_kind(ev->error_code)), &ok);
		jset(err, "accepted", json_boolean(ev->error_accepted), &ok);
	}
	jset(root, "error", err ? err : json_null(), &ok);
	jset_str(root, "audit_error", ev->audit_error, &ok);
	jset(root, "bypass", bypass_json(ev, &ok), &ok);
	jset(counts, "commits", json_integer((json_int_t)ev->ncommits), &ok);
	jset(counts, "findings", json_integer(ev->findings ? (json_int_t)ev->findings->n : 0), &ok);
	jset(counts, "errors", json_integer(ev->vd ? (json_int_t)ev->vd->nerrors : 0), &ok);
	jset(counts, "warnings", json_integer(ev->vd ? (json_int_t)ev->vd->nwarnings : 0), &ok);
	jset(root, "counts", counts, &ok);
	findings_json(root, ev, &ok);
	jset(root, "duration_ms", json_integer(ev->duration_ms), &ok);
	jset(root, "linkgate", json_string(PACKAGE_VERSION), &ok);
	if (ok)
		text = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	if (!text) {
		rc = lg_error_set(LG_EAUDIT, "audit: out of memory building the audit record");
		goto done;
	}
	lg_buf_puts(out, text);
	lg_buf_putc(out, '\n');
done:
	free(text);
	json_decref(root);
	return rc;
}

/* How long a hook waits for another push's lock before giving up: long
 * enough for any append or metrics update, short enough that a stuck
 * holder cannot hang pushes forever. */
#define LOCK_WAIT_MS 10000

int lg_audit_lock_fd(int fd, const char *path)
{
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	long waited = 0;

	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || waited >= LOCK_WAIT_MS)
			return lg_error_set(LG_EAUDIT, "cannot lock %s: %s", path,
					    errno == EWOULDBLOCK ? "another push held the lock for too long" : strerror(errno));
		nanosleep(&pause, NULL);
		waited += 2;
	}
	return 0;
}

int lg_audit_append(const char *path, const char *line, size_t len)
{
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd < 0)
		return lg_error_set(LG_EAUDIT, "cannot open the audit log %s: %s", path, strerror(errno));
	if ((err = lg_audit_lock_fd(fd, path)) < 0)
		goto done;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = lg_error_set(LG_EAUDIT, "the audit log %s is not a regular file", path);
		goto done;
	}
	do
		n = write(fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		/* Never leave half a line: cut back to where this one began
		 * (still under the lock, so no other line follows it). */
		int saved = n < 0 ? errno : ENOSPC;

		if (n > 0 && ftruncate(fd, st.st_size) < 0)
			saved = errno;
		err = lg_error_set(LG_EAUDIT, "cannot write the audit log %s: %s", path, strerror(saved));
	}
done:
	if (close(fd) < 0 && !err)
		err = lg_error_set(LG_EAUDIT, "cannot write the audit log %s: %s", path, strerror(errno));
	return err;
}

/* Escaped (escape.h) and double-quoted, with '"' escaped too, so the value
 * cannot end early or break the line. Bounded to max bytes of input. */
static void put_quoted(struct lg_buf *out, const char *s, size_t max)
{
	struct lg_buf tmp = LG_BUF_INIT;
	size_t len = s ? strlen(s) : 0, i;

	lg_escape(&tmp, s, cut_len(s ? s : "", len, max));
	lg_buf_putc(out, '"');
	for (i = 0; i < tmp.len; i++) {
		if (tmp.ptr[i] == '"')
			lg_buf_putc(out, '\\');
		lg_buf_putc(out, tmp.ptr[i]);
	}
	if (len > max)
		lg_buf_puts(out, "...");
	lg_buf_putc(out, '"');
	lg_buf_release(&tmp);
}

#define SUMMARY_MAX_VALUE 200

void lg_audit_summary(struct lg_buf *out, const struct lg_audit_event *ev)
{
	const struct lg_push *p = ev->push;

	if (!out->ptr)
		lg_buf_init(out);
	lg_buf_puts(out, lg_outcome_name(ev->outcome));
	lg_buf_puts(out, " repo=");
	{
		char *repo = ev->repository ? lg_xstrndup(ev->repository, repo_len(ev->repository)) : NULL;

		put_quoted(out, repo, SUMMARY_MAX_VALUE);
		free(repo);
	}
	lg_buf_puts(out, " pusher=");
	if (p && p->pusher)
		put_quoted(out, p->pusher, SUMMARY_MAX_VALUE);
	else
		lg_buf_puts(out, "-");
	lg_buf_printf(out, " refs=%zu commits=%zu findings=%zu errors=%zu warnings=%zu", p ? p->nupdates : 0,
		      ev->ncommits, ev->findings ? ev->findings->n : 0, ev->vd ? ev->vd->nerrors : 0,
		      ev->vd ? ev->vd->nwarnings : 0);
	if (ev->bypass && ev->bypass->requested) {
		lg_buf_printf(out, " bypass=%s reason=", ev->bypass_used ? "used" : ev->bypass->granted ? "granted" : "refused");
		put_quoted(out, ev->bypass->reason, SUMMARY_MAX_VALUE);
	}
	if (ev->error) {
		lg_buf_puts(out, ev->error_accepted ? " error_accepted=" : " error=");
		put_quoted(out, ev->error, SUMMARY_MAX_VALUE);
	}
	if (ev->audit_error) {
		lg_buf_puts(out, " audit_error=");
		put_quoted(out, ev->audit_error, SUMMARY_MAX_VALUE);
	}
	lg_buf_printf(out, " duration_ms=%ld", ev->duration_ms);
}

/* A write failed: say so on every push; the push is rejected unless
 * on_error is accept (SPEC "Commands"), and a bypass that cannot be
 * written to the audit log is no bypass at all. */
static void write_failed(struct lg_buf *out, const struct lg_report_opts *opts, const struct lg_config *cfg,
			 struct lg_audit_event *ev, const char *msg, bool is_log)
{
	if (ev->bypass_used && is_log) {
		lg_report_error(out, opts, msg);
		if (opts && opts->gitlab_web)
			lg_buf_puts(out, "GL-HOOK-ERR: ");
		lg_buf_puts(out, "linkgate: break-glass refused: a bypass must reach the audit log\n");
		ev->exit_status = LG_EXIT_POLICY;
		ev->outcome = LG_OUTCOME_REJECT;
		ev->bypass_used = false;
	} else if (ev->exit_status != LG_EXIT_ACCEPT) {
		if (opts && opts->gitlab_web)
			lg_buf_puts(out, "GL-HOOK-ERR: ");
		lg_buf_puts(out, "linkgate: error: ");
		lg_escape_str(out, msg);
		lg_buf_putc(out, '\n');
	} else if (cfg->on_error == LG_ON_ERROR_ACCEPT) {
		lg_report_error_accepted(out, opts, msg);
	} else {
		lg_report_error(out, opts, msg);
		ev->exit_status = LG_EXIT_INTERNAL;
		ev->outcome = LG_OUTCOME_REJECT;
	}
}

int lg_audit_record(struct lg_buf *out, const struct lg_report_opts *opts, const struct lg_config *cfg,
		    struct lg_audit_event *ev)
{
	struct lg_buf line = LG_BUF_INIT, problems = LG_BUF_INIT;
	bool have_log = cfg->audit.log && *cfg->audit.log, have_metrics = cfg->audit.metrics && *cfg->audit.metrics;
	bool metrics_ok = true;

	if (!out->ptr)
		lg_buf_init(out);
	lg_buf_init(&problems);
	ev->duration_ms = (long)(lg_audit_now_ms() - ev->start_ms);
	/* Metrics first, so that the log line, written last, tells what
	 * finally happened to the push. */
	if (have_metrics && lg_metrics_record(cfg->audit.metrics, ev) < 0) {
		metrics_ok = false;
		lg_buf_puts(&problems, lg_error_last());
		ev->audit_error = problems.ptr;
		write_failed(out, opts, cfg, ev, problems.ptr, false);
	}
	if (have_log) {
		int err = lg_audit_format(&line, ev);

		if (err == 0)
			err = lg_audit_append(cfg->audit.log, line.ptr, line.len);
		if (err < 0) {
			char *msg = lg_xstrdup(lg_error_last());

			write_failed(out, opts, cfg, ev, msg, true);
			/* The metrics already counted this push; add the failure. */
			if (have_metrics && metrics_ok)
				lg_metrics_count_error(cfg->audit.metrics, "audit");
			if (problems.len)
				lg_buf_puts(&problems, "; ");
			lg_buf_puts(&problems, msg);
			ev->audit_error = problems.ptr;
			free(msg);
		}
	}
	if (cfg->audit.syslog) {
		int prio = ev->error || ev->audit_error ? LOG_WARNING
			   : ev->outcome == LG_OUTCOME_ACCEPT && !ev->bypass_used ? LOG_INFO
										  : LOG_NOTICE;

		lg_buf_clear(&line);
		lg_audit_summary(&line, ev);
		openlog("linkgate", LOG_PID, LOG_USER);
		syslog(prio, "%s", line.ptr);
		closelog();
	}
	ev->audit_error = NULL;
	lg_buf_release(&problems);
	lg_buf_release(&line);
	return ev->exit_status;
}

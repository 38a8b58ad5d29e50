/* metrics.c — the Prometheus textfile, updated atomically (see metrics.h). */
#include "linkgate/metrics.h"
#include "linkgate/error.h"
#include "linkgate/escape.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file is ours: anything larger was not written by linkgate. */
#define MAX_FILE (16u << 20)

struct family {
	const char *name;
	const char *type;
	const char *help;
};

/* In the order they are written. */
static const struct family families[] = {
	{ "linkgate_pushes_total", "counter", "Decisions of a linkgate hook, by hook: a push for pre-receive, a ref for update." },
	{ "linkgate_verdicts_total", "counter", "What happened to each push: accept, warn, reject, or bypass (accepted by break-glass)." },
	{ "linkgate_findings_total", "counter", "New linkname directives and disabling -checklinkname flags found in pushes, by kind." },
	{ "linkgate_violations_total", "counter", "Policy violations reported, by rule id and severity." },
	{ "linkgate_linkname_targets_total", "counter", "New linkname directives by standard-library target; other targets count as other." },
	{ "linkgate_bypass_requests_total", "counter", "Break-glass requests, by result: granted or refused." },
	{ "linkgate_errors_total", "counter", "Pushes decided by an error rather than a verdict, and audit write failures, by kind." },
	{ "linkgate_hook_duration_seconds", "histogram", "Time a hook took to decide a push." },
	{ "linkgate_last_push_timestamp_seconds", "gauge", "When the last push was decided (Unix time)." },
};

static const char *const buckets[] = { "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf" };

#define HISTOGRAM "linkgate_hook_duration_seconds"
#define TARGETS "linkgate_linkname_targets_total"

struct series {
	char *key;              /* name{labels}, exactly as written */
	double value;
};

struct table {
	struct series *v;
	size_t n, alloc;
};

static void table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static struct series *table_find(struct table *t, const char *key)
{
	size_t i;

	/* A few dozen series: a linear search is plenty. */
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].key, key))
			return &t->v[i];
	return NULL;
}

static struct series *table_get(struct table *t, const char *key)
{
	struct series *s = table_find(t, key);

	if (s)
		return s;
	t->v = lg_xgrow(t->v, sizeof(*t->v), t->n + 1, &t->alloc);
	s = &t->v[t->n++];
	s->key = lg_xstrdup(key);
	s->value = 0;
	return s;
}

static void table_add(struct table *t, const char *key, double delta)
{
	table_get(t, key)->value += delta;
}

static size_t count_prefix(const struct table *t, const char *prefix)
{
	size_t i, n = 0, len = strlen(prefix);

	for (i = 0; i < t->n; i++)
		if (!strncmp(t->v[i].key, prefix, len))
			n++;
	return n;
}

/* The family a series belongs to: its name, with the histogram's
 * _bucket/_sum/_count suffixes folded into the histogram. */
static size_t family_of(const char *key)
{
	static const char *const hist_suffixes[] = { "_bucket", "_sum", "_count" };
	size_t len = strcspn(key, "{"), i, k;

	for (i = 0; i < LG_ARRAY_SIZE(families); i++) {
		size_t flen = strlen(families[i].name);

		if (len < flen || strncmp(key, families[i].name, flen))
			continue;
		if (len == flen)
			return i;
		if (strcmp(families[i].type, "histogram"))
			continue;
		for (k = 0; k < LG_ARRAY_SIZE(hist_suffixes); k++)
			if (len - flen == strlen(hist_suffixes[k]) && !strncmp(key + flen, hist_suffixes[k], len - flen))
				return i;
	}
	return LG_ARRAY_SIZE(families);
}

/* Reads what the file holds now. Lines are `key value`, split at the last
 * space (label values may hold spaces, values never do). */
static int table_parse(struct table *t, const char *path, const char *buf, size_t len)
{
	size_t off = 0, lineno = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) : len, sp;
		char *line = lg_xstrndup(buf + off, end - off), *value, *stop = NULL;
		double v;

		lineno++;
		off = nl ? end + 1 : len;
		if (!*line || line[0] == '#') {
			free(line);
			continue;
		}
		value = strrchr(line, ' ');
		sp = value ? (size_t)(value - line) : 0;
		if (value) {
			errno = 0;
			v = strtod(value + 1, &stop);
		}
		if (!value || !sp || strncmp(line, "linkgate_", 9) || errno || !stop || *stop || stop == value + 1) {
			free(line);
			return lg_error_set(LG_EAUDIT,
					    "the metrics file %s was not written by linkgate (line %zu); move it away and let linkgate start a new one",
					    path, lineno);
		}
		line[sp] = '\0';
		table_get(t, line)->value = v;
		free(line);
	}
	return 0;
}

void lg_metrics_escape_label(struct lg_buf *out, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, cut = 0;

	if (!out->ptr)
		lg_buf_init(out);
	while (i < len && cut < LG_METRICS_MAX_LABEL) {
		uint32_t cp;
		size_t n = lg_utf8_decode(s + i, len - i, &cp);

		if (!n) {
			lg_buf_puts(out, "\xef\xbf\xbd");
			i++;
			cut++;
			continue;
		}
		if (cp == '\\')
			lg_buf_puts(out, "\\\\");
		else if (cp == '"')
			lg_buf_puts(out, "\\\"");
		else if (cp == '\n')
			lg_buf_puts(out, "\\n");
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			lg_buf_puts(out, "\xef\xbf\xbd");
		else
			lg_buf_put(out, s + i, n);
		i += n;
		cut += n;
	}
}

const char *lg_metrics_target_label(const struct lg_finding *f)
{
	const char *pkg = f->target_pkg;
	bool std;

	if (!f->target || !*f->target)
		return "none";
	if (f->target_class)
		std = !strcmp(f->target_class, "runtime") || !strcmp(f->target_class, "std-internal") ||
		      !strcmp(f->target_class, "std-exported");
	else
		std = pkg && *pkg && !memchr(pkg, '.', strcspn(pkg, "/"));
	return std ? f->target : "other";
}

/* key = name{l1="v1",l2="v2"} with escaped values; pairs is a NULL-ended
 * list of label, value. */
static char *series_key(const char *name, ...) __attribute__((sentinel));

static char *series_key(const char *name, ...)
{
	struct lg_buf b = LG_BUF_INIT;
	const char *label;
	va_list ap;
	bool first = true;

	lg_buf_puts(&b, name);
	va_start(ap, name);
	while ((label = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);

		lg_buf_puts(&b, first ? "{" : ",");
		lg_buf_puts(&b, label);
		lg_buf_puts(&b, "=\"");
		lg_metrics_escape_label(&b, value);
		lg_buf_putc(&b, '"');
		first = false;
	}
	va_end(ap);
	if (!first)
		lg_buf_putc(&b, '}');
	return lg_buf_detach(&b, NULL);
}

static void count(struct table *t, double delta, const char *name, const char *label, const char *value)
{
	char *key = label ? series_key(name, label, value, (const char *)NULL) : series_key(name, (const char *)NULL);

	table_add(t, key, delta);
	free(key);
}

static void add_event(struct table *t, const void *arg)
{
	const struct lg_audit_event *ev = arg;
	double secs = ev->duration_ms / 1000.0;
	size_t i, ntargets = count_prefix(t, TARGETS "{");
	char *key;

	count(t, 1, "linkgate_pushes_total", "hook", ev->hook ? ev->hook : "unknown");
	count(t, 1, "linkgate_verdicts_total", "verdict", ev->bypass_used ? "bypass" : lg_outcome_name(ev->outcome));
	for (i = 0; ev->findings && i < ev->findings->n; i++) {
		const struct lg_finding *f = ev->findings->v[i];

		count(t, 1, "linkgate_findings_total", "kind", lg_finding_kind_name(f->kind));
		if (f->kind == LG_FINDING_LINKNAME) {
			const char *target = lg_metrics_target_label(f);

			key = series_key(TARGETS, "target", target, (const char *)NULL);
			/* A pusher chooses target names: past the cap, a name
			 * not yet counted joins "other". */
			if (!table_find(t, key) && ntargets >= LG_METRICS_MAX_TARGETS) {
				free(key);
				key = series_key(TARGETS, "target", "other", (const char *)NULL);
			}
			if (!table_find(t, key))
				ntargets++;
			table_add(t, key, 1);
			free(key);
		}
	}
	for (i = 0; ev->vd && i < ev->vd->n; i++) {
		key = series_key("linkgate_violations_total", "rule", ev->vd->v[i].rule ? ev->vd->v[i].rule : "",
				 "severity", lg_severity_name(ev->vd->v[i].severity), (const char *)NULL);
		table_add(t, key, 1);
		free(key);
	}
	if (ev->bypass && ev->bypass->requested)
		count(t, 1, "linkgate_bypass_requests_total", "result", ev->bypass->granted ? "granted" : "refused");
	if (ev->error)
		count(t, 1, "linkgate_errors_total", "kind", lg_audit_error_kind(ev->error_code));
	if (ev->audit_error)
		count(t, 1, "linkgate_errors_total", "kind", "audit");
	for (i = 0; i < LG_ARRAY_SIZE(buckets); i++) {
		bool in = !strcmp(buckets[i], "+Inf") || secs <= strtod(buckets[i], NULL);

		count(t, in ? 1 : 0, HISTOGRAM "_bucket", "le", buckets[i]);
	}
	count(t, secs, HISTOGRAM "_sum", NULL, NULL);
	count(t, 1, HISTOGRAM "_count", NULL, NULL);
	table_get(t, "linkgate_last_push_timestamp_seconds")->value = (double)(ev->start_ms / 1000);
}

static void put_value(struct lg_buf *b, double v)
{
	/* Counts print as integers; sums of seconds with enough digits. */
	if (v > -9e15 && v < 9e15 && v == (double)(int64_t)v)
		lg_buf_printf(b, "%lld", (long long)v);
	else
		lg_buf_printf(b, "%.12g", v);
}

static void table_write(struct lg_buf *b, const struct table *t)
{
	size_t f, i;

	lg_buf_puts(b, "# linkgate's counters, rewritten by every push (see linkgate(1)); do not edit.\n");
	for (f = 0; f <= LG_ARRAY_SIZE(families); f++) {
		bool header = false;

		for (i = 0; i < t->n; i++) {
			if (family_of(t->v[i].key) != f)
				continue;
			if (!header && f < LG_ARRAY_SIZE(families))
				lg_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", families[f].name, families[f].help,
					      families[f].name, families[f].type);
			header = true;
			lg_buf_puts(b, t->v[i].key);
			lg_buf_putc(b, ' ');
			put_value(b, t->v[i].value);
			lg_buf_putc(b, '\n');
		}
	}
}

static int write_replace(const char *path, const struct lg_buf *data)
{
	char *tmp = lg_xasprintf("%s.linkgate-tmp", path);
	ssize_t n;
	int fd, err = 0;

	/* A file left by a crashed push (perhaps another account's) is in
	 * the way of O_EXCL; we hold the lock, so it is nobody's now. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		err = lg_error_set(LG_EAUDIT, "cannot write the metrics file %s: %s", tmp, strerror(errno));
		goto done;
	}
	do
		n = write(fd, data->ptr, data->len);
	while (n < 0 && errno == EINTR);
	/* node_exporter reads the file as another user: readable whatever
	 * the hook's umask. */
	if (n != (ssize_t)data->len || fchmod(fd, 0644) < 0) {
		err = lg_error_set(LG_EAUDIT, "cannot write the metrics file %s: %s", tmp,
				   strerror(n < 0 || n == (ssize_t)data->len ? errno : ENOSPC));
		close(fd);
		unlink(tmp);
		goto done;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		err = lg_error_set(LG_EAUDIT, "cannot replace the metrics file %s: %s", path, strerror(errno));
		unlink(tmp);
	}
done:
	free(tmp);
	return err;
}

static int update(const char *path, void (*apply)(struct table *, const void *), const void *arg)
{
	char *lockpath = lg_xasprintf("%s.lock", path);
	struct lg_buf cur = LG_BUF_INIT, next = LG_BUF_INIT;
	struct table t = { 0 };
	int fd, err;

	/* The lock lives beside the file, never on it: the file is replaced
	 * by rename, so a lock on it would guard an inode nobody reads any
	 * more. Read-only suffices for flock() and works for every account. */
	fd = open(lockpath, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		err = lg_error_set(LG_EAUDIT, "cannot open the metrics lock %s: %s", lockpath, strerror(errno));
		goto done;
	}
	if ((err = lg_audit_lock_fd(fd, lockpath)) < 0)
		goto done;
	err = lg_buf_read_file(&cur, path, MAX_FILE);
	if (err == LG_ENOTFOUND) {
		err = 0;
	} else if (err < 0) {
		err = lg_error_set(LG_EAUDIT, "cannot read the metrics file %s: %s", path, lg_error_last());
		goto done;
	}
	if ((err = table_parse(&t, path, cur.ptr ? cur.ptr : "", cur.len)) < 0)
		goto done;
	apply(&t, arg);
	table_write(&next, &t);
	err = write_replace(path, &next);
done:
	if (fd >= 0)
		close(fd); /* releases the lock */
	table_release(&t);
	lg_buf_release(&cur);
	lg_buf_release(&next);
	free(lockpath);
	return err;
}

int lg_metrics_record(const char *path, const struct lg_audit_event *ev)
{
	return update(path, add_event, ev);
}

static void add_error(struct table *t, const void *arg)
{
	count(t, 1, "linkgate_errors_total", "kind", arg);
}

int lg_metrics_count_error(const char *path, const char *kind)
{
	return update(path, add_error, kind);
}

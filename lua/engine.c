/* engine.c — loading the configured policies and running their rules over
 * findings (see policy.h). */
#include "linkgate/policy.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/embed.h"
#include "linkgate/error.h"
#include "linkgate/sandbox.h"

#include <lauxlib.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUILTIN_DEFAULT "builtin:default"
/* A policy file larger than this is not a policy. */
#define MAX_POLICY_SOURCE (4u << 20)
/* Violations one run may record. max_findings bounds findings, and each
 * finding fails at most every rule once, but a run with this many
 * violations is not one a pusher can act on: it stops as a limit. */
#define MAX_VIOLATIONS 100000
/* Bytes of a rule's message or hint kept in the verdict. */
#define MAX_MESSAGE 4096

struct lg_policy {
	const struct lg_config *cfg; /* borrowed */
	struct lg_sandbox *sb;
	struct lg_api api;
};

/* Registry key of the finding being evaluated. */
static const char key_finding = 'F';

static int open_api(lua_State *L)
{
	lg_api_open(L, lua_touserdata(L, 1));
	return 0;
}

struct load_job {
	const char *src;
	size_t len;
	const char *chunkname;
	size_t index;
};

/* Returns nil, or the compiler's message (a compile error is a
 * configuration error without a traceback to add). */
static int load_policy(lua_State *L)
{
	struct load_job *j = lua_touserdata(L, 1);
	int env;

	lg_sandbox_push_env(L);
	env = lua_gettop(L);
	lg_api_install(L, env, j->index);
	lua_pop(L, 1);
	if (lg_sandbox_load(L, j->src, j->len, j->chunkname, env) != LUA_OK)
		return 1;
	lua_call(L, 0, 0);
	lua_pushnil(L);
	return 1;
}

static int load_one(struct lg_policy *p, size_t index)
{
	const char *name = p->cfg->policies[index].path;
	lua_State *L = lg_sandbox_state(p->sb);
	struct lg_buf src = LG_BUF_INIT;
	struct load_job job = { NULL, 0, NULL, index };
	char *chunkname = NULL;
	int err = 0;

	if (!strcmp(name, BUILTIN_DEFAULT)) {
		job.src = lg_default_policy;
		job.len = lg_default_policy_len;
		chunkname = lg_xstrdup("=" BUILTIN_DEFAULT);
	} else if (!strncmp(name, "builtin:", 8)) {
		return lg_error_set(LG_ECONFIG, "policy %s: no such built-in policy (there is only " BUILTIN_DEFAULT ")",
				    name);
	} else {
		err = lg_buf_read_file(&src, name, MAX_POLICY_SOURCE);
		if (err < 0) {
			err = lg_error_set(LG_ECONFIG, "policy %s: cannot read it: %s", name, lg_error_last());
			goto done;
		}
		job.src = src.ptr;
		job.len = src.len;
		chunkname = lg_xasprintf("@%s", name);
	}
	job.chunkname = chunkname;
	err = lg_sandbox_pcall(p->sb, load_policy, &job, 1, LG_ECONFIG);
	if (err < 0) {
		err = lg_error_set(err, "policy %s: %s", name, lg_error_last());
		goto done;
	}
	if (lua_type(L, -1) == LUA_TSTRING)
		err = lg_error_set(LG_ECONFIG, "policy %s: %s", name, lua_tostring(L, -1));
	lua_pop(L, 1);

done:
	free(chunkname);
	lg_buf_release(&src);
	return err;
}

int lg_policy_new(struct lg_policy **out, const struct lg_config *cfg)
{
	struct lg_policy *p = lg_xcalloc(1, sizeof(*p));
	size_t mem = 0, i, j;
	int err;

	*out = NULL;
	p->cfg = cfg;
	lg_api_init(&p->api, cfg);
	p->api.now = (int64_t)time(NULL);
	if (cfg->limits.lua_memory_mb > 0)
		mem = (unsigned long)cfg->limits.lua_memory_mb > (SIZE_MAX >> 20) ? SIZE_MAX
										  : (size_t)cfg->limits.lua_memory_mb << 20;
	err = lg_sandbox_new(&p->sb, mem, cfg->limits.lua_instructions);
	if (err < 0)
		goto done;
	err = lg_sandbox_pcall(p->sb, open_api, &p->api, 0, LG_ERROR);
	if (err < 0) {
		err = lg_error_set(err, "policy engine: %s", lg_error_last());
		goto done;
	}
	p->api.registering = true;
	for (i = 0; i < cfg->npolicies; i++)
		if ((err = load_one(p, i)) < 0)
			goto done;
	p->api.registering = false;
	for (i = 0; i < cfg->nrules; i++) {
		for (j = 0; j < p->api.nrules; j++)
			if (!strcmp(cfg->rules[i].id, p->api.rules[j].id))
				break;
		if (j == p->api.nrules) {
			err = lg_error_set(LG_ECONFIG, "rules: no loaded policy defines rule '%s'", cfg->rules[i].id);
			goto done;
		}
	}

done:
	if (err < 0) {
		lg_policy_free(p);
		return err;
	}
	*out = p;
	return 0;
}

static int set_run(lua_State *L)
{
	lg_api_set_run(L, lua_touserdata(L, 1));
	return 0;
}

struct finding_job {
	const struct lg_finding *f;
	const struct lg_value *over;
};

static int set_finding(lua_State *L)
{
	const struct finding_job *j = lua_touserdata(L, 1);

	if (j)
		lg_api_push_finding_over(L, j->f, j->over);
	else
		lua_pushnil(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_finding);
	return 0;
}

/* Calls one rule's check on the current finding; returns (message, hint),
 * both nil when the finding passes. */
static int run_rule(lua_State *L)
{
	const struct lg_rule_def *r = lua_touserdata(L, 1);
	int t;

	lua_rawgeti(L, LUA_REGISTRYINDEX, r->check_ref);
	lg_sandbox_note_function(L, -1);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_finding);
	lg_api_push_ctx(L);
	lua_call(L, 2, 1);
	t = lua_type(L, -1);
	if (t == LUA_TNIL) {
		lua_pushnil(L);
		return 2;
	}
	if (t == LUA_TSTRING) {
		if (!lua_rawlen(L, -1))
			return luaL_error(L, "check returned an empty message");
		lua_pushnil(L);
		return 2;
	}
	if (t != LUA_TTABLE)
		return luaL_error(L, "check returned a %s value; it must return nil, a message or {message=, hint=}",
				  lua_typename(L, t));
	t = lua_getfield(L, -1, "message");
	if (t != LUA_TSTRING || !lua_rawlen(L, -1))
		return luaL_error(L, "check returned a table whose message is %s; it must be a non-empty string",
				  t == LUA_TSTRING ? "empty" : lua_typename(L, t));
	t = lua_getfield(L, -2, "hint");
	if (t != LUA_TNIL && t != LUA_TSTRING)
		return luaL_error(L, "check returned a table whose hint is a %s value; it must be a string or nil",
				  lua_typename(L, t));
	return 2;
}

/* The severity a violation of r gets, false when the rule is off: the
 * rules: override (else the rule's own severity), then a policy entry in
 * warn or audit mode turns errors into warnings. */
static bool effective_severity(const struct lg_policy *p, const struct lg_rule_def *r, enum lg_severity *out)
{
	const struct lg_policy_ref *pol = &p->cfg->policies[r->policy];
	enum lg_rule_setting s;

	s = lg_config_rule_setting(p->cfg, r->id, r->severity == LG_SEVERITY_ERROR ? LG_RULE_ERROR : LG_RULE_WARNING);
	if (s == LG_RULE_OFF)
		return false;
	*out = s == LG_RULE_WARNING ? LG_SEVERITY_WARNING : LG_SEVERITY_ERROR;
	if (pol->has_mode && pol->mode != LG_MODE_ENFORCE)
		*out = LG_SEVERITY_WARNING;
	return true;
}

/*
 * Evaluation runs in a child process. The count hook stops Lua code, but
 * not a C function that never returns (a Lua pattern that backtracks
 * catastrophically over a long pushed string inside string.find), so the
 * child is forked once the findings exist, inherits the loaded policies,
 * and streams what it decides back over a pipe; the parent owns the
 * deadline, kills the child when it passes and records the verdict itself.
 *
 * The stream is a sequence of frames: a type byte, a big-endian u32 payload
 * length, the payload. Integers are big-endian u32.
 *   'V' violation: finding index, rule index, message length, message, a
 *       byte 1/0 for a hint, then hint length and hint
 *   'L' one lg.log line          'D' u32: lg.log lines dropped
 *   'E' error: u32 code (an lg_err, as two's complement), message
 *   'K' done: the evaluation finished
 * The parent trusts none of it: every length, index and code is checked,
 * and the severity of a violation is decided again by the parent.
 */
enum frame_type {
	FRAME_VIOLATION = 'V',
	FRAME_LOG = 'L',
	FRAME_DROPPED = 'D',
	FRAME_ERROR = 'E',
	FRAME_DONE = 'K',
};
#define FRAME_HEAD 5
/* The largest payload: a violation with message and hint at MAX_MESSAGE
 * bytes; an error message is cut to fit. */
#define MAX_FRAME (2 * MAX_MESSAGE + 64)
/* The child writes when this much is buffered (and at the end). */
#define CHILD_FLUSH (64u * 1024)
/* CPU seconds the child may use when no deadline is set (check, scan,
 * policy test): the instruction limit bounds Lua code, this bounds a C
 * function that never returns. */
#define CPU_BACKSTOP_S 60
/* Address space the child may add beyond what it inherited and the Lua
 * budget: the C side of an evaluation (frames, PCRE2's JIT stack, the
 * allocator's own overhead). */
#define AS_SLACK (256ul << 20)

/* Memory shared with the child: where it is, for the parent to name when
 * it has to kill it. The child writes, the parent reads only after the
 * child is dead, and checks what it reads. */
struct progress {
	uint32_t finding;       /* index + 1 of the finding in a rule; 0 between rules */
	uint32_t rule;
	char where[LG_SANDBOX_WHERE_MAX];
};

static void put_u32(struct lg_buf *b, uint32_t v)
{
	unsigned char c[4];

	c[0] = (unsigned char)(v >> 24);
	c[1] = (unsigned char)(v >> 16);
	c[2] = (unsigned char)(v >> 8);
	c[3] = (unsigned char)v;
	lg_buf_put(b, c, 4);
}

static void put_head(struct lg_buf *b, enum frame_type type, size_t len)
{
	lg_buf_putc(b, (char)type);
	put_u32(b, (uint32_t)len);
}

/* --- the child --- */

struct child {
	struct lg_policy *p;
	const struct lg_value *const *overlays; /* per finding, or NULL */
	struct lg_buf out;
	int fd;
	struct progress *prog;
};

static void child_flush(struct child *c)
{
	size_t off = 0;

	while (off < c->out.len) {
		ssize_t n = write(c->fd, c->out.ptr + off, c->out.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(LG_EXIT_INTERNAL); /* the parent is gone: nobody to tell */
		off += (size_t)n;
	}
	lg_buf_clear(&c->out);
}

static void child_violation(struct child *c, size_t fi, size_t ri, const char *m, size_t mlen, const char *h,
			    size_t hlen)
{
	put_head(&c->out, FRAME_VIOLATION, 13 + mlen + (h ? 4 + hlen : 0));
	put_u32(&c->out, (uint32_t)fi);
	put_u32(&c->out, (uint32_t)ri);
	put_u32(&c->out, (uint32_t)mlen);
	lg_buf_put(&c->out, m, mlen);
	lg_buf_putc(&c->out, h ? 1 : 0);
	if (h) {
		put_u32(&c->out, (uint32_t)hlen);
		lg_buf_put(&c->out, h, hlen);
	}
	if (c->out.len >= CHILD_FLUSH)
		child_flush(c);
}

/* Bytes of a message kept: at most max, not cutting a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

/* The evaluation proper: every rule on every finding, in order. Returns 0
 * or an error with its message set, as lg_policy_eval() did in process. */
static int child_evaluate(struct child *c, const struct lg_findings *findings, const struct lg_push *push)
{
	struct lg_policy *p = c->p;
	lua_State *L = lg_sandbox_state(p->sb);
	size_t i, k, nviol = 0;
	int err;

	err = lg_sandbox_pcall(p->sb, set_run, (void *)push, 0, LG_ERROR);
	if (err < 0)
		return lg_error_set(err, "policy evaluation: %s", lg_error_last());
	for (i = 0; i < findings->n; i++) {
		const struct lg_finding *f = findings->v[i];
		struct finding_job job = { f, c->overlays ? c->overlays[i] : NULL };

		if ((err = lg_deadline_check()) < 0)
			return err;
		err = lg_sandbox_pcall(p->sb, set_finding, &job, 0, LG_ERROR);
		if (err < 0)
			return lg_error_set(err, "policy evaluation: %s:%u: %s", f->path ? f->path : "?", f->line,
					    lg_error_last());
		for (k = 0; k < p->api.nrules; k++) {
			const struct lg_rule_def *r = &p->api.rules[k];
			const char *msg, *hint;
			size_t mlen, hlen = 0;
			enum lg_severity sev;

			if (r->on != f->kind || !effective_severity(p, r, &sev))
				continue;
			c->prog->rule = (uint32_t)k;
			c->prog->finding = (uint32_t)i + 1;
			err = lg_sandbox_pcall(p->sb, run_rule, (void *)r, 2, LG_ERROR);
			c->prog->finding = 0;
			if (err < 0)
				return lg_error_set(err, "policy %s: rule '%s' on %s:%u: %s", p->cfg->policies[r->policy].path,
						    r->id, f->path ? f->path : "?", f->line, lg_error_last());
			if (lua_type(L, -2) != LUA_TSTRING) {
				lua_pop(L, 2);
				continue;
			}
			if (++nviol > MAX_VIOLATIONS) {
				lua_pop(L, 2);
				return lg_error_set(LG_ELIMIT, "policy evaluation: more than %d violations", MAX_VIOLATIONS);
			}
			msg = lua_tolstring(L, -2, &mlen);
			hint = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &hlen) : NULL;
			child_violation(c, i, k, msg, cut_utf8(msg, mlen, MAX_MESSAGE), hint,
					hint ? cut_utf8(hint, hlen, MAX_MESSAGE) : 0);
			lua_pop(L, 2);
		}
	}
	err = lg_sandbox_pcall(p->sb, set_finding, NULL, 0, LG_ERROR);
	if (err < 0)
		return lg_error_set(err, "policy evaluation: %s", lg_error_last());
	return 0;
}

#if defined(__SANITIZE_ADDRESS__)
#define LG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LG_ASAN 1
#endif
#endif

/* The address space the process maps now, from /proc (0 when unknown). */
static unsigned long mapped_bytes(void)
{
	char buf[64];
	unsigned long pages = 0;
	long pagesize = sysconf(_SC_PAGESIZE);
	ssize_t n;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || pagesize <= 0)
		return 0;
	buf[n] = '\0';
	pages = strtoul(buf, NULL, 10);
	return pages > ULONG_MAX / (unsigned long)pagesize ? 0 : pages * (unsigned long)pagesize;
}

/* Backstops in case the sandbox's own accounting misses something: no core
 * file, the CPU time the deadline allows, the address space the Lua budget
 * allows. Failures are ignored: the parent's deadline still holds. The CPU
 * limit has three seconds of headroom over the deadline: the parent kills
 * the child at the deadline and reports the time limit, and a tighter
 * backstop won that race on a loaded machine (SIGXCPU instead of the
 * deadline's message). */
static void child_limits(const struct lg_config *cfg)
{
	struct rlimit rl;
	long ms = lg_deadline_remaining_ms();
	rlim_t cpu = ms == LONG_MAX ? CPU_BACKSTOP_S : (rlim_t)(ms / 1000 + 3);

	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = cpu;
	rl.rlim_max = cpu + 1;
	setrlimit(RLIMIT_CPU, &rl);
#ifndef LG_ASAN
	/* (AddressSanitizer reserves terabytes of shadow address space.) */
	if (cfg->limits.lua_memory_mb > 0 && (unsigned long)cfg->limits.lua_memory_mb < (ULONG_MAX >> 21)) {
		unsigned long now = mapped_bytes(), lua = (unsigned long)cfg->limits.lua_memory_mb << 20;

		if (now && now < ULONG_MAX - lua - AS_SLACK) {
			rl.rlim_cur = rl.rlim_max = (rlim_t)(now + lua + AS_SLACK);
			setrlimit(RLIMIT_AS, &rl);
		}
	}
#else
	(void)cfg;
	(void)mapped_bytes;
#endif
}

static void __attribute__((noreturn)) child_main(struct lg_policy *p, const struct lg_findings *findings,
						  const struct lg_value *const *overlays, const struct lg_push *push,
						  int fd, struct progress *prog, pid_t parent)
{
	struct child c;
	size_t nlog = p->api.nlog, dropped = p->api.log_dropped, i;
	int err;

	memset(&c, 0, sizeof(c));
	c.p = p;
	c.overlays = overlays;
	c.fd = fd;
	c.prog = prog;
	lg_buf_init(&c.out);
	signal(SIGPIPE, SIG_DFL);
#ifdef PR_SET_PDEATHSIG
	/* A hook killed by git (the client went away) takes its evaluation
	 * with it, even one stuck where no pipe write would notice. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(LG_EXIT_INTERNAL);
#else
	(void)parent;
#endif
	child_limits(p->cfg);
	lg_sandbox_share_where(p->sb, prog->where, sizeof(prog->where));

	err = child_evaluate(&c, findings, push);

	/* The lines this evaluation logged (the parent holds the earlier ones). */
	for (i = nlog; i < p->api.nlog; i++) {
		size_t len = strlen(p->api.log[i]);

		put_head(&c.out, FRAME_LOG, len);
		lg_buf_put(&c.out, p->api.log[i], len);
	}
	if (p->api.log_dropped > dropped) {
		size_t n = p->api.log_dropped - dropped;

		put_head(&c.out, FRAME_DROPPED, 4);
		put_u32(&c.out, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
	}
	if (err < 0) {
		const char *msg = lg_error_last();
		size_t len = cut_utf8(msg, strlen(msg), MAX_FRAME - 4);

		put_head(&c.out, FRAME_ERROR, 4 + len);
		put_u32(&c.out, (uint32_t)err);
		lg_buf_put(&c.out, msg, len);
	} else {
		put_head(&c.out, FRAME_DONE, 0);
	}
	child_flush(&c);
	/* _exit: no atexit handlers, no stdio buffers of the parent's, and no
	 * lua_close() that could run into what the parent owns. */
	_exit(0);
}

/* --- the parent --- */

struct reader {
	const unsigned char *p;
	size_t left;
};

static bool get_u32(struct reader *r, uint32_t *v)
{
	if (r->left < 4)
		return false;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return true;
}

static bool get_bytes(struct reader *r, size_t n, const char **out)
{
	if (r->left < n)
		return false;
	*out = (const char *)r->p;
	r->p += n;
	r->left -= n;
	return true;
}

struct receive {
	struct lg_policy *p;
	struct lg_verdict *vd;
	const struct lg_findings *findings;
	size_t nviol;
	bool done;              /* a 'K' or 'E' frame arrived */
	int child_err;          /* the code of an 'E' frame */
};

static int malformed(const char *what)
{
	return lg_error_set(LG_ERROR, "policy evaluation: the evaluation process sent a malformed reply (%s)", what);
}

static int on_violation(struct receive *rc, struct reader *r)
{
	const struct lg_finding *f;
	const struct lg_rule_def *rule;
	uint32_t fi, ri, mlen, hlen = 0;
	const char *m, *h = NULL;
	enum lg_severity sev;
	unsigned char has_hint;
	const char *hb;
	char *ms, *hs;

	if (!get_u32(r, &fi) || !get_u32(r, &ri) || !get_u32(r, &mlen) || mlen == 0 || mlen > MAX_MESSAGE ||
	    !get_bytes(r, mlen, &m) || !get_bytes(r, 1, &hb))
		return malformed("violation");
	has_hint = (unsigned char)hb[0];
	if (has_hint > 1 || (has_hint && (!get_u32(r, &hlen) || hlen > MAX_MESSAGE || !get_bytes(r, hlen, &h))) ||
	    r->left)
		return malformed("violation");
	if (fi >= rc->findings->n || ri >= rc->p->api.nrules)
		return malformed("violation index");
	f = rc->findings->v[fi];
	rule = &rc->p->api.rules[ri];
	if (rule->on != f->kind || !effective_severity(rc->p, rule, &sev))
		return malformed("violation of a rule that does not apply");
	if (++rc->nviol > MAX_VIOLATIONS)
		return lg_error_set(LG_ELIMIT, "policy evaluation: more than %d violations", MAX_VIOLATIONS);
	ms = lg_xstrndup(m, mlen);
	hs = h ? lg_xstrndup(h, hlen) : NULL;
	lg_verdict_add(rc->vd, f, rule->id, sev, ms, hs);
	free(ms);
	free(hs);
	return 0;
}

static int on_frame(struct receive *rc, enum frame_type type, struct reader *r)
{
	uint32_t v;

	if (rc->done)
		return malformed("data after the end");
	switch (type) {
	case FRAME_VIOLATION:
		return on_violation(rc, r);
	case FRAME_LOG:
		if (r->left > LG_LOG_MAX_LINE)
			return malformed("log line");
		lg_api_log_add(&rc->p->api, (const char *)r->p, r->left);
		return 0;
	case FRAME_DROPPED:
		if (!get_u32(r, &v) || r->left)
			return malformed("log count");
		lg_api_log_dropped(&rc->p->api, v);
		return 0;
	case FRAME_ERROR:
		if (!get_u32(r, &v))
			return malformed("error");
		rc->child_err = (int)(int32_t)v;
		if (rc->child_err >= 0 || rc->child_err < LG_EREFUSED)
			return malformed("error code");
		rc->done = true;
		return lg_error_set(rc->child_err, "%.*s", (int)r->left, (const char *)r->p);
	case FRAME_DONE:
		if (r->left)
			return malformed("end");
		rc->done = true;
		return 0;
	default:
		return malformed("unknown frame");
	}
}

/* Parses the complete frames at the front of in, dropping them. */
static int on_input(struct receive *rc, struct lg_buf *in)
{
	size_t off = 0;
	int err = 0;

	while (in->len - off >= FRAME_HEAD) {
		const unsigned char *h = (const unsigned char *)in->ptr + off;
		uint32_t len = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
		struct reader r;

		if (len > MAX_FRAME) {
			err = malformed("frame too long");
			break;
		}
		if (in->len - off - FRAME_HEAD < len)
			break;
		r.p = h + FRAME_HEAD;
		r.left = len;
		off += FRAME_HEAD + len;
		if ((err = on_frame(rc, (enum frame_type)h[0], &r)) < 0)
			break;
	}
	if (off) {
		memmove(in->ptr, in->ptr + off, in->len - off);
		lg_buf_truncate(in, in->len - off);
	}
	return err;
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* What the parent says when it had to stop the child at the deadline. */
static int timed_out(struct lg_policy *p, const struct lg_findings *findings, struct progress *prog)
{
	struct lg_buf b = LG_BUF_INIT;
	uint32_t fi = prog->finding, ri = prog->rule;
	int err;

	if (lg_deadline_check() == 0)
		lg_error_set(LG_ETIMEOUT, "time limit reached (limits.timeout_ms: %ld)", p->cfg->limits.timeout_ms);
	prog->where[sizeof(prog->where) - 1] = '\0';
	if (fi && fi - 1 < findings->n && ri < p->api.nrules) {
		const struct lg_rule_def *r = &p->api.rules[ri];
		const struct lg_finding *f = findings->v[fi - 1];

		lg_buf_printf(&b, "policy %s: rule '%s' on %s:%u: ", p->cfg->policies[r->policy].path, r->id,
			      f->path ? f->path : "?", f->line);
	} else {
		lg_buf_puts(&b, "policy evaluation: ");
	}
	lg_buf_puts(&b, lg_error_last());
	if (prog->where[0])
		lg_buf_printf(&b, " near %s", prog->where);
	lg_buf_puts(&b, " (the evaluation process did not return in time and was stopped)");
	err = lg_error_set(LG_ETIMEOUT, "%s", b.ptr);
	lg_buf_release(&b);
	return err;
}

/* What a child that did not finish normally died of. */
static int child_died(const struct lg_policy *p, int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		if (sig == SIGXCPU || sig == SIGKILL)
			return lg_error_set(LG_ELIMIT,
					    "policy evaluation: the evaluation process was killed by signal %d (%s): it "
					    "used up its CPU time limit, or the system ran out of memory",
					    sig, sig == SIGXCPU ? "SIGXCPU" : "SIGKILL");
		return lg_error_set(LG_ERROR, "policy evaluation: the evaluation process crashed (signal %d, %s)", sig,
				    strsignal(sig));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == LG_EXIT_INTERNAL)
		return lg_error_set(LG_ELIMIT,
				    "policy evaluation: the evaluation process ran out of memory (limits.lua_memory_mb: "
				    "%ld, plus its address-space allowance)",
				    p->cfg->limits.lua_memory_mb);
	if (WIFEXITED(status))
		return lg_error_set(LG_ERROR, "policy evaluation: the evaluation process exited with status %d",
				    WEXITSTATUS(status));
	return lg_error_set(LG_ERROR, "policy evaluation: the evaluation process ended without a result");
}

static int receive_from(struct receive *rc, int fd, pid_t pid, struct progress *prog)
{
	struct lg_buf in = LG_BUF_INIT;
	int err = 0, status = 0;
	bool eof = false;

	while (!eof) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		long left = lg_deadline_remaining_ms();
		int n;

		n = poll(&pfd, 1, left == LONG_MAX ? -1 : left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = lg_error_set(LG_ERROR, "policy evaluation: poll: %s", strerror(errno));
			kill_child(pid);
			goto done;
		}
		if (n == 0) {
			if (lg_deadline_remaining_ms() > 0)
				continue;
			kill_child(pid);
			err = timed_out(rc->p, rc->findings, prog);
			goto done;
		}
		lg_buf_grow(&in, CHILD_FLUSH);
		for (;;) {
			ssize_t r = read(fd, in.ptr + in.len, in.alloc - in.len - 1);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				err = lg_error_set(LG_ERROR, "policy evaluation: reading from the evaluation process: %s",
						   strerror(errno));
				kill_child(pid);
				goto done;
			}
			eof = r == 0;
			in.len += (size_t)r;
			in.ptr[in.len] = '\0';
			break;
		}
		if ((err = on_input(rc, &in)) < 0 && !rc->child_err) {
			kill_child(pid);
			goto done;
		}
		if (err < 0)
			break; /* the child reported an error: reap it below */
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			if (!err)
				err = lg_error_set(LG_ERROR, "policy evaluation: waitpid: %s", strerror(errno));
			goto done;
		}
	}
	if (rc->child_err)
		goto done; /* its own message says more than how it ended */
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		err = child_died(rc->p, status);
	else if (in.len)
		err = malformed("a truncated frame");
	else if (!rc->done)
		err = lg_error_set(LG_ERROR, "policy evaluation: the evaluation process ended without a result");
done:
	lg_buf_release(&in);
	return err;
}

int lg_policy_eval(struct lg_policy *p, struct lg_verdict *vd, const struct lg_findings *findings,
		   const struct lg_push *push, int64_t now)
{
	return lg_policy_eval_over(p, vd, findings, NULL, push, now);
}

int lg_policy_eval_over(struct lg_policy *p, struct lg_verdict *vd, const struct lg_findings *findings,
			const struct lg_value *const *overlays, const struct lg_push *push, int64_t now)
{
	struct receive rc;
	struct progress *prog;
	int fds[2], err;
	pid_t pid, parent = getpid();

	/* Nothing to judge: no process, no Lua. */
	if (!findings->n)
		return 0;
	if ((err = lg_deadline_check()) < 0)
		return err;
	p->api.now = now;
	lg_sandbox_reset_budget(p->sb);
	prog = mmap(NULL, sizeof(*prog), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (prog == MAP_FAILED)
		return lg_error_set(LG_ERROR, "policy evaluation: cannot map shared memory: %s", strerror(errno));
	memset(prog, 0, sizeof(*prog));
	if (pipe(fds) < 0) {
		err = lg_error_set(LG_ERROR, "policy evaluation: cannot create a pipe: %s", strerror(errno));
		munmap(prog, sizeof(*prog));
		return err;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = lg_error_set(LG_ERROR, "policy evaluation: cannot start the evaluation process: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		munmap(prog, sizeof(*prog));
		return err;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(p, findings, overlays, push, fds[1], prog, parent);
	}
	close(fds[1]);
	memset(&rc, 0, sizeof(rc));
	rc.p = p;
	rc.vd = vd;
	rc.findings = findings;
	err = receive_from(&rc, fds[0], pid, prog);
	close(fds[0]);
	munmap(prog, sizeof(*prog));
	return err;
}

int lg_policy_replay(struct lg_policy *p, struct lg_verdict *vd, const struct lg_findings *findings,
		     const void *buf, size_t len)
{
	struct receive rc;
	struct lg_buf in = LG_BUF_INIT;
	int err;

	memset(&rc, 0, sizeof(rc));
	rc.p = p;
	rc.vd = vd;
	rc.findings = findings;
	lg_buf_put(&in, buf, len);
	err = on_input(&rc, &in);
	if (!err && in.len)
		err = malformed("a truncated frame");
	else if (!err && !rc.done)
		err = lg_error_set(LG_ERROR, "policy evaluation: the evaluation process ended without a result");
	lg_buf_release(&in);
	return err;
}

bool lg_policy_has_rule(const struct lg_policy *p, const char *id)
{
	size_t i;

	for (i = 0; p && i < p->api.nrules; i++)
		if (!strcmp(p->api.rules[i].id, id))
			return true;
	return false;
}

const char *const *lg_policy_log_lines(const struct lg_policy *p, size_t *n)
{
	if (!p) {
		*n = 0;
		return NULL;
	}
	*n = p->api.nlog + (p->api.log_dropped ? 1 : 0);
	return (const char *const *)p->api.log;
}

void lg_policy_free(struct lg_policy *p)
{
	if (!p)
		return;
	lg_sandbox_free(p->sb);
	lg_api_release(&p->api);
	free(p);
}

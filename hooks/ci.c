/* ci.c — Go versions in CI configuration (see ci.h). */
#include "linkgate/ci.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/yamlx.h"

/* Bounds on expansion: a matrix expression multiplies values, so results
 * per value and substitution depth are capped. */
#define MAX_ALTERNATIVES 256
#define MAX_SUBST_DEPTH 4

bool lg_ci_path(const char *path)
{
	static const char wf[] = ".github/workflows/";
	const char *name;
	size_t n;

	if (!strcmp(path, ".gitlab-ci.yml") || !strcmp(path, ".gitlab-ci.yaml"))
		return true;
	if (strncmp(path, wf, sizeof(wf) - 1))
		return false;
	name = path + sizeof(wf) - 1;
	if (strchr(name, '/'))
		return false;
	n = strlen(name);
	return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

/* Each list of the CI facts is capped: every finding carries a copy. */
#define MAX_LIST 64

static void strv_add_unique(char ***v, size_t *n, const char *s)
{
	size_t i;

	if (*n >= MAX_LIST)
		return;
	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*v = lg_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = lg_xstrdup(s);
}

static bool eq_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return !*a && !*b;
}

/* Records one resolved version value. */
static void add_version(struct lg_ci *ci, const char *v)
{
	struct lg_buf b = LG_BUF_INIT;
	const char *s = v;
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\'' || *s == '"')
		s++;
	while (*s == '^' || *s == '~' || *s == '>' || *s == '=' || *s == 'v')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\'' || s[n - 1] == '"' || s[n - 1] == '\n'))
		n--;
	if (!n || n > 64 || memchr(s, '$', n) || memchr(s, '\n', n))
		return;
	lg_buf_init(&b);
	lg_buf_put(&b, s, n);
	if (eq_nocase(b.ptr, "tip") || eq_nocase(b.ptr, "gotip") || eq_nocase(b.ptr, "master") ||
	    eq_nocase(b.ptr, "devel")) {
		ci->tip = true;
		lg_buf_clear(&b);
		lg_buf_puts(&b, "tip");
	}
	strv_add_unique(&ci->versions, &ci->nversions, b.ptr);
	lg_buf_release(&b);
}

/* "golang:1.22-alpine", "docker.io/library/golang:1.22" -> "1.22". */
static void add_image(struct lg_ci *ci, const char *image)
{
	const char *colon, *name;
	char *tag;
	size_t n;

	if (!image)
		return;
	colon = strrchr(image, ':');
	if (!colon)
		return;
	name = colon;
	while (name > image && name[-1] != '/')
		name--;
	if ((size_t)(colon - name) != 6 || memcmp(name, "golang", 6))
		return;
	n = strcspn(colon + 1, "-@ ");
	tag = lg_xstrndup(colon + 1, n);
	add_version(ci, *tag ? tag : "latest");
	free(tag);
}

static void note_tip_script(struct lg_ci *ci, const struct lg_ynode *n)
{
	size_t i;

	if (!n)
		return;
	if (n->type == LG_Y_SCALAR) {
		if (n->value && memmem(n->value, n->len, "gotip", 5))
			ci->tip = true;
		return;
	}
	if (n->type == LG_Y_SEQ)
		for (i = 0; i < n->n; i++)
			note_tip_script(ci, &n->items[i]);
}

/* ---- value lists ---- */

struct vals {
	char **v;
	size_t n;
};

static void vals_add(struct vals *l, const char *s)
{
	size_t i;

	if (l->n >= MAX_ALTERNATIVES || !s)
		return;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return;
	l->v = lg_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = lg_xstrdup(s);
}

static void vals_release(struct vals *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Scalars of node, flattening one sequence level. */
static void scalars(struct vals *out, const struct lg_ynode *n)
{
	size_t i;

	if (!n)
		return;
	if (n->type == LG_Y_SCALAR)
		vals_add(out, n->value);
	else if (n->type == LG_Y_SEQ)
		for (i = 0; i < n->n; i++)
			if (n->items[i].type == LG_Y_SCALAR)
				vals_add(out, n->items[i].value);
}

/* Values at a dotted path under node, looking through sequences. */
static void path_values(struct vals *out, const struct lg_ynode *node, const char *path, int depth)
{
	char *first;
	const char *dot;
	size_t i;

	if (!node || depth > 8)
		return;
	if (node->type == LG_Y_SEQ) {
		for (i = 0; i < node->n; i++)
			path_values(out, &node->items[i], path, depth + 1);
		return;
	}
	dot = strchr(path, '.');
	if (!dot) {
		scalars(out, lg_ynode_get(node, path));
		return;
	}
	first = lg_xstrndup(path, (size_t)(dot - path));
	path_values(out, lg_ynode_get(node, first), dot + 1, depth + 1);
	free(first);
}

/* ---- GitHub Actions ---- */

struct gh_ctx {
	const struct lg_ynode *wf_env, *job_env, *matrix;
};

/* The alternatives of one ${{ expr }} (expr trimmed). */
static void gh_expr(struct vals *out, const struct gh_ctx *c, const char *expr)
{
	if (!strncmp(expr, "matrix.", 7)) {
		const struct lg_ynode *inc = lg_ynode_get(c->matrix, "include");
		const char *key = expr + 7;
		size_t i;

		if (!strchr(key, '.'))
			scalars(out, lg_ynode_get(c->matrix, key));
		else
			path_values(out, c->matrix, key, 0);
		for (i = 0; inc && inc->type == LG_Y_SEQ && i < inc->n; i++)
			path_values(out, &inc->items[i], key, 0);
	} else if (!strncmp(expr, "env.", 4)) {
		const char *v = lg_ynode_str(lg_ynode_get(c->job_env, expr + 4));

		if (!v)
			v = lg_ynode_str(lg_ynode_get(c->wf_env, expr + 4));
		vals_add(out, v);
	}
}

/* Expands every ${{ ... }} of s into out. */
static void gh_resolve(struct vals *out, const struct gh_ctx *c, const char *s, int depth)
{
	const char *open = strstr(s, "${{"), *close;
	struct vals alts = { NULL, 0 };
	struct lg_buf b = LG_BUF_INIT;
	char *expr;
	size_t i, n;

	if (!open) {
		vals_add(out, s);
		return;
	}
	if (depth >= MAX_SUBST_DEPTH || !(close = strstr(open, "}}")))
		return;
	expr = lg_xstrndup(open + 3, (size_t)(close - open - 3));
	n = strlen(expr);
	while (n && (expr[n - 1] == ' ' || expr[n - 1] == '\t'))
		expr[--n] = '\0';
	gh_expr(&alts, c, expr + strspn(expr, " \t"));
	free(expr);
	lg_buf_init(&b);
	for (i = 0; i < alts.n; i++) {
		lg_buf_clear(&b);
		lg_buf_put(&b, s, (size_t)(open - s));
		lg_buf_puts(&b, alts.v[i]);
		lg_buf_puts(&b, close + 2);
		gh_resolve(out, c, b.ptr, depth + 1);
	}
	lg_buf_release(&b);
	vals_release(&alts);
}

static void gh_add(struct lg_ci *ci, const struct gh_ctx *c, const struct lg_ynode *n, bool image)
{
	struct vals raw = { NULL, 0 }, res = { NULL, 0 };
	size_t i;

	scalars(&raw, n);
	for (i = 0; i < raw.n; i++)
		gh_resolve(&res, c, raw.v[i], 0);
	for (i = 0; i < res.n; i++) {
		if (image)
			add_image(ci, res.v[i]);
		else
			add_version(ci, res.v[i]);
	}
	vals_release(&raw);
	vals_release(&res);
}

static void read_github(struct lg_ci *ci, const struct lg_ynode *root, int root_go)
{
	const struct lg_ynode *jobs = lg_ynode_get(root, "jobs");
	size_t j, s;

	if (!jobs || jobs->type != LG_Y_MAP)
		return;
	for (j = 0; j < jobs->n; j++) {
		const struct lg_ynode *job = &jobs->items[j], *steps, *container;
		struct gh_ctx c;

		if (job->type != LG_Y_MAP)
			continue;
		c.wf_env = lg_ynode_get(root, "env");
		c.job_env = lg_ynode_get(job, "env");
		c.matrix = lg_ynode_get(lg_ynode_get(job, "strategy"), "matrix");
		container = lg_ynode_get(job, "container");
		gh_add(ci, &c, container && container->type == LG_Y_MAP ? lg_ynode_get(container, "image") : container, true);
		steps = lg_ynode_get(job, "steps");
		for (s = 0; steps && steps->type == LG_Y_SEQ && s < steps->n; s++) {
			const struct lg_ynode *step = &steps->items[s], *with = lg_ynode_get(step, "with");

			gh_add(ci, &c, lg_ynode_get(with, "go-version"), false);
			if (lg_ynode_get(with, "go-version-file") && root_go >= 0) {
				char *v = lg_xasprintf("1.%d", root_go);

				add_version(ci, v);
				free(v);
			}
			note_tip_script(ci, lg_ynode_get(step, "run"));
		}
	}
}

/* ---- GitLab CI ---- */

static const char *gl_var(const struct lg_ynode *vars, const char *name)
{
	const struct lg_ynode *v = lg_ynode_get(vars, name);

	/* variables: {NAME: value} or {NAME: {value: ..., description: ...}} */
	if (v && v->type == LG_Y_MAP)
		v = lg_ynode_get(v, "value");
	return lg_ynode_str(v);
}

/* Expands the first $VAR / ${VAR} of s (recursively for the others). */
static void gl_resolve(struct vals *out, const char *s, const struct lg_ynode *entry, const struct lg_ynode *job_vars,
		       const struct lg_ynode *global_vars, int depth)
{
	const char *d = strchr(s, '$'), *name, *after;
	struct vals alts = { NULL, 0 };
	struct lg_buf b = LG_BUF_INIT;
	char *var;
	size_t i, n;

	if (!d) {
		vals_add(out, s);
		return;
	}
	if (depth >= MAX_SUBST_DEPTH)
		return;
	name = d + 1 + (d[1] == '{');
	n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	after = name + n + (d[1] == '{' && name[n] == '}');
	if (!n)
		return;
	var = lg_xstrndup(name, n);
	if (entry)
		scalars(&alts, lg_ynode_get(entry, var));
	if (!alts.n)
		vals_add(&alts, gl_var(job_vars, var));
	if (!alts.n)
		vals_add(&alts, gl_var(global_vars, var));
	free(var);
	lg_buf_init(&b);
	for (i = 0; i < alts.n; i++) {
		lg_buf_clear(&b);
		lg_buf_put(&b, s, (size_t)(d - s));
		lg_buf_puts(&b, alts.v[i]);
		lg_buf_puts(&b, after);
		gl_resolve(out, b.ptr, entry, job_vars, global_vars, depth + 1);
	}
	lg_buf_release(&b);
	vals_release(&alts);
}

static void gl_job(struct lg_ci *ci, const struct lg_ynode *job, const struct lg_ynode *global_vars)
{
	const struct lg_ynode *image = lg_ynode_get(job, "image"), *vars = lg_ynode_get(job, "variables");
	const struct lg_ynode *matrix = lg_ynode_get(lg_ynode_get(job, "parallel"), "matrix");
	const char *img;
	struct vals res = { NULL, 0 };
	size_t i;

	note_tip_script(ci, lg_ynode_get(job, "script"));
	note_tip_script(ci, lg_ynode_get(job, "before_script"));
	if (image && image->type == LG_Y_MAP)
		image = lg_ynode_get(image, "name");
	if (!(img = lg_ynode_str(image)))
		return;
	if (matrix && matrix->type == LG_Y_SEQ && matrix->n) {
		for (i = 0; i < matrix->n; i++)
			gl_resolve(&res, img, &matrix->items[i], vars, global_vars, 0);
	} else {
		gl_resolve(&res, img, NULL, vars, global_vars, 0);
	}
	for (i = 0; i < res.n; i++)
		add_image(ci, res.v[i]);
	vals_release(&res);
}

static void read_gitlab(struct lg_ci *ci, const struct lg_ynode *root)
{
	static const char *const not_jobs[] = { "stages", "variables", "include", "workflow", "cache", "services" };
	const struct lg_ynode *global_vars = lg_ynode_get(root, "variables");
	size_t i, k;

	if (!root || root->type != LG_Y_MAP)
		return;
	/* The top level can hold image: like a job (the old global form). */
	gl_job(ci, root, global_vars);
	for (i = 0; i < root->n; i++) {
		bool job = root->items[i].type == LG_Y_MAP && root->keys[i];

		for (k = 0; job && k < LG_ARRAY_SIZE(not_jobs); k++)
			job = strcmp(root->keys[i], not_jobs[k]) != 0;
		if (job)
			gl_job(ci, &root->items[i], global_vars);
	}
}

void lg_ci_read(struct lg_ci *ci, const char *path, const char *buf, size_t len, int root_go)
{
	struct lg_ynode *root = NULL;

	ci->present = true;
	strv_add_unique(&ci->files, &ci->nfiles, path);
	if (lg_yaml_load(&root, buf, len) < 0) {
		char *e = lg_xasprintf("%s: %s", path, lg_error_last());

		strv_add_unique(&ci->errors, &ci->nerrors, e);
		free(e);
		return;
	}
	if (!strncmp(path, ".gitlab-ci.", 11))
		read_gitlab(ci, root);
	else
		read_github(ci, root, root_go);
	lg_ynode_free(root);
}

/* config.c — linkgate.yml: defaults, strict parsing, dump (see config.h). */
#include "linkgate/config.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"

static void strlist_set(struct lg_strlist *l, const char *const *items, size_t n)
{
	size_t i;

	lg_strlist_release(l);
	l->v = lg_xcalloc(n + 1, sizeof(*l->v));
	for (i = 0; i < n; i++)
		l->v[i] = lg_xstrdup(items[i]);
	l->n = n;
}

void lg_config_init_defaults(struct lg_config *cfg)
{
	static const char *const include[] = { "refs/heads/**", "refs/tags/**" };
	static const char *const from[] = { "GL_USERNAME", "GITHUB_USER_LOGIN", "GITEA_PUSHER_NAME", "GL_USER",
					    "REMOTE_USER" };

	memset(cfg, 0, sizeof(*cfg));
	cfg->source = lg_xstrdup("builtin");
	cfg->mode = LG_MODE_ENFORCE;
	cfg->scope = LG_SCOPE_COMMIT;
	cfg->policies = lg_xcalloc(1, sizeof(*cfg->policies));
	cfg->policies[0].path = lg_xstrdup("builtin:default");
	cfg->npolicies = 1;
	cfg->params.type = LG_VALUE_MAP;
	strlist_set(&cfg->refs_include, include, LG_ARRAY_SIZE(include));
	strlist_set(&cfg->refs_exclude, NULL, 0);
	strlist_set(&cfg->refs_deny_delete, NULL, 0);
	strlist_set(&cfg->paths_exclude, NULL, 0);
	cfg->trailers.issue = lg_xstrdup("Issue");
	cfg->trailers.owner = lg_xstrdup("Owner");
	cfg->trailers.remove_by = lg_xstrdup("Remove-By");
	cfg->trailers.signoff = lg_xstrdup("Platform-Signoff");
	cfg->issue_pattern = lg_xstrdup("^(https?://\\S+|[A-Z][A-Z0-9]+-[0-9]+|#[0-9]+)$");
	strlist_set(&cfg->owners, NULL, 0);
	cfg->signoff.verify = LG_VERIFY_PUSHER;
	cfg->signoff.allowed_signers = lg_xstrdup("");
	strlist_set(&cfg->pusher_from, from, LG_ARRAY_SIZE(from));
	cfg->removal_max_days = 180;
	strlist_set(&cfg->go_source, NULL, 0);
	cfg->limits.timeout_ms = 4000;
	cfg->limits.lua_memory_mb = 64;
	cfg->limits.lua_instructions = 50000000;
	cfg->limits.max_commits = 100000;
	cfg->limits.max_blob_mb = 64;
	cfg->limits.max_findings = 10000;
	cfg->limits.max_output_lines = 200;
	cfg->on_error = LG_ON_ERROR_REJECT;
	cfg->bypass.push_option = lg_xstrdup("");
	strlist_set(&cfg->bypass.allowed, NULL, 0);
	cfg->audit.log = lg_xstrdup("");
	cfg->audit.metrics = lg_xstrdup("");
	cfg->help_url = lg_xstrdup("");
}

void lg_strlist_release(struct lg_strlist *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void lg_value_release(struct lg_value *v)
{
	size_t i;

	if (!v)
		return;
	free(v->s);
	for (i = 0; i < v->nitems; i++) {
		if (v->keys)
			free(v->keys[i]);
		lg_value_release(&v->items[i]);
	}
	free(v->keys);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

void lg_config_release(struct lg_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->source);
	for (i = 0; i < cfg->npolicies; i++)
		free(cfg->policies[i].path);
	free(cfg->policies);
	for (i = 0; i < cfg->nrules; i++)
		free(cfg->rules[i].id);
	free(cfg->rules);
	lg_value_release(&cfg->params);
	lg_strlist_release(&cfg->refs_include);
	lg_strlist_release(&cfg->refs_exclude);
	lg_strlist_release(&cfg->refs_deny_delete);
	lg_strlist_release(&cfg->paths_exclude);
	free(cfg->trailers.issue);
	free(cfg->trailers.owner);
	free(cfg->trailers.remove_by);
	free(cfg->trailers.signoff);
	free(cfg->issue_pattern);
	lg_strlist_release(&cfg->owners);
	for (i = 0; i < cfg->signoff.nteam; i++) {
		free(cfg->signoff.team[i].user);
		free(cfg->signoff.team[i].email);
		free(cfg->signoff.team[i].principal);
	}
	free(cfg->signoff.team);
	free(cfg->signoff.allowed_signers);
	lg_strlist_release(&cfg->pusher_from);
	lg_strlist_release(&cfg->go_source);
	free(cfg->bypass.push_option);
	lg_strlist_release(&cfg->bypass.allowed);
	free(cfg->audit.log);
	free(cfg->audit.metrics);
	free(cfg->help_url);
	memset(cfg, 0, sizeof(*cfg));
}

enum lg_rule_setting lg_config_rule_setting(const struct lg_config *cfg, const char *id, enum lg_rule_setting dflt)
{
	size_t i;

	for (i = 0; i < cfg->nrules; i++)
		if (!strcmp(cfg->rules[i].id, id))
			return cfg->rules[i].setting;
	return dflt;
}

const char *lg_mode_name(enum lg_mode m)
{
	switch (m) {
	case LG_MODE_WARN:
		return "warn";
	case LG_MODE_AUDIT:
		return "audit";
	default:
		return "enforce";
	}
}

const char *lg_verify_name(enum lg_verify v)
{
	switch (v) {
	case LG_VERIFY_TRAILER:
		return "trailer";
	case LG_VERIFY_SSH:
		return "ssh";
	default:
		return "pusher";
	}
}

/* NEEDSWORK: parsing and dump land with the config module's author. */
int lg_config_parse(struct lg_config *cfg, const char *buf, size_t len, const char *filename)
{
	return lg_error_set(LG_ECONFIG, "%s: configuration parsing is not implemented yet", filename);
}

int lg_config_load_file(struct lg_config *cfg, const char *path)
{
	struct lg_buf b = LG_BUF_INIT;
	int err = lg_buf_read_file(&b, path, 16 << 20);

	if (err < 0) {
		lg_buf_release(&b);
		return lg_error_set(LG_ECONFIG, "cannot read configuration: %s", lg_error_last());
	}
	err = lg_config_parse(cfg, b.ptr, b.len, path);
	lg_buf_release(&b);
	return err;
}

void lg_config_dump(const struct lg_config *cfg, FILE *out)
{
	fprintf(out, "# source: %s\n", cfg->source);
}

/* walk.c — the commit set of a push (see walk.h). */
#include "linkgate/walk.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"
#include "linkgate/glob.h"
#include "linkgate/sshsig.h"
#include "linkgate/trailers.h"

void lg_commitset_init(struct lg_commitset *s)
{
	memset(s, 0, sizeof(*s));
	lg_oidmap_init(&s->index);
}

void lg_commitset_release(struct lg_commitset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].parents);
		free(s->v[i].parent_ids);
		lg_commit_info_release(&s->v[i].info);
	}
	free(s->v);
	lg_oidmap_release(&s->index);
	lg_commitset_init(s);
}

/* Namespaces git hosting platforms write themselves; never known history,
 * whatever refs.include says. */
static const char *const platform_namespaces[] = {
	"refs/pull/", "refs/merge-requests/", "refs/keep-around/", "refs/for/", "refs/changes/",
};

bool lg_walk_ref_protected(const struct lg_config *cfg, const char *ref)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(platform_namespaces); i++)
		if (!strncmp(ref, platform_namespaces[i], strlen(platform_namespaces[i])))
			return false;
	return lg_glob_match_any(cfg->refs_include.v, cfg->refs_include.n, ref) &&
	       !lg_glob_match_any(cfg->refs_exclude.v, cfg->refs_exclude.n, ref);
}

int lg_walk_known_from_refs(git_oid **out, size_t *nout, git_repository *repo, const struct lg_config *cfg)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_oid *v = NULL;
	size_t n = 0, alloc = 0;
	int err = 0, rc;

	*out = NULL;
	*nout = 0;
	if (git_reference_iterator_new(&it, repo) < 0)
		return lg_error_set_git(LG_ERROR, "cannot list the repository's refs");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		git_object *obj = NULL;

		if (lg_walk_ref_protected(cfg, git_reference_name(ref)) &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
			v[n++] = *git_object_id(obj);
		}
		/* A protected ref that does not peel to a commit (a tag of a
		 * tree, a dangling symref) hides nothing: less is known, more is
		 * checked. */
		git_object_free(obj);
		git_reference_free(ref);
		ref = NULL;
		if ((err = lg_deadline_check()) < 0)
			break;
	}
	if (!err && rc != GIT_ITEROVER)
		err = lg_error_set_git(LG_ERROR, "cannot list the repository's refs");
	git_reference_iterator_free(it);
	if (err < 0) {
		free(v);
		return err;
	}
	*out = v;
	*nout = n;
	return 0;
}

int lg_walk_known_from_remote(git_oid **out, size_t *nout, git_repository *repo, const struct lg_config *cfg,
			      const char *remote)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	struct lg_buf prefix = LG_BUF_INIT, mapped = LG_BUF_INIT;
	git_oid *v = NULL;
	size_t n = 0, alloc = 0;
	int err = 0, rc;

	*out = NULL;
	*nout = 0;
	lg_buf_printf(&prefix, "refs/remotes/%s/", remote);
	if (git_reference_iterator_new(&it, repo) < 0)
		return lg_error_set_git(LG_ERROR, "cannot list the repository's refs");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);
		git_object *obj = NULL;

		lg_buf_clear(&mapped);
		if (!strncmp(name, prefix.ptr, prefix.len) && strcmp(name + prefix.len, "HEAD")) {
			lg_buf_puts(&mapped, "refs/heads/");
			lg_buf_puts(&mapped, name + prefix.len);
		} else if (!strncmp(name, "refs/tags/", 10)) {
			lg_buf_puts(&mapped, name);
		}
		if (mapped.len && lg_walk_ref_protected(cfg, mapped.ptr) &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
			v[n++] = *git_object_id(obj);
		}
		git_object_free(obj);
		git_reference_free(ref);
		ref = NULL;
	}
	if (rc != GIT_ITEROVER)
		err = lg_error_set_git(LG_ERROR, "cannot list the repository's refs");
	git_reference_iterator_free(it);
	lg_buf_release(&prefix);
	lg_buf_release(&mapped);
	if (err < 0) {
		free(v);
		return err;
	}
	*out = v;
	*nout = n;
	return 0;
}

int lg_walk_peel_tip(git_oid *out, git_repository *repo, const struct lg_ref_update *u)
{
	git_object *obj = NULL, *peeled = NULL;
	git_oid id;
	int err = 0;

	if (git_oid_fromstr(&id, u->new_id) < 0 || git_object_lookup(&obj, repo, &id, GIT_OBJECT_ANY) < 0) {
		/* libgit2 says why: missing, or present but malformed. */
		const git_error *e = git_error_last();

		return lg_error_set(LG_ENOTFOUND, "pushed object %s for %s cannot be read: %s", u->new_id, u->ref,
				    e && e->message ? e->message : "not found");
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object *target = NULL;
		const char *what = git_object_type2string(git_object_type(obj));

		if (git_object_type(obj) == GIT_OBJECT_TAG && git_object_peel(&target, obj, GIT_OBJECT_ANY) == 0)
			what = git_object_type2string(git_object_type(target));
		git_object_free(target);
		err = lg_error_set(LG_EREFUSED, "%s points at a %s, not a commit; only commits can be pushed to it", u->ref,
				   what);
		goto done;
	}
	*out = *git_object_id(peeled);
done:
	git_object_free(peeled);
	git_object_free(obj);
	return err;
}

static size_t add_node(struct lg_commitset *s, const git_oid *oid)
{
	struct lg_commit_node *n;

	s->v = lg_xgrow(s->v, sizeof(*s->v), s->n + 1, &s->alloc);
	n = &s->v[s->n];
	memset(n, 0, sizeof(*n));
	n->oid = *oid;
	lg_oidmap_put(&s->index, oid, s->n);
	return s->n++;
}

/*
 * libgit2 prepares a sorted walk inside the first git_revwalk_next(): it
 * parses every commit of the push before returning one, about a second
 * per 150,000 commits. Its hide callback, asked about each parent on the
 * way, is the one place to see the deadline in there. Once it has passed,
 * the callback hides everything, so the preparation ends at once; the
 * caller then reports the timeout, never the short walk as the push.
 */
struct walk_guard {
	unsigned long calls;
	int err;
};

static int walk_guard_cb(const git_oid *id, void *payload)
{
	struct walk_guard *g = payload;

	(void)id;
	if (!g->err && !(++g->calls & 1023))
		g->err = lg_deadline_check();
	return g->err ? 1 : 0;
}

/* What later stages need of a commit, read once here (walk.h). */
static void fill_node(struct lg_commitset *s, size_t idx, git_commit *c)
{
	struct lg_commit_node *n = &s->v[idx];
	const char *msg = git_commit_message_raw(c);
	unsigned k;

	n->nparents_all = git_commit_parentcount(c);
	n->tree = *git_commit_tree_id(c);
	n->maybe_signoff = !s->signoff_key || (msg && strcasestr(msg, s->signoff_key));
	if (n->nparents_all)
		n->parent_ids = lg_xcalloc(n->nparents_all, sizeof(git_oid));
	for (k = 0; k < n->nparents_all; k++)
		n->parent_ids[k] = *git_commit_parent_id(c, k);
}

/* The node's parents that are in the set, from index first on. */
static void link_parents(struct lg_commitset *s, size_t idx, size_t first)
{
	struct lg_commit_node *n = &s->v[idx];
	size_t k, p;

	for (k = 0; k < n->nparents_all; k++) {
		if (lg_oidmap_get(&s->index, &n->parent_ids[k], &p) && p >= first) {
			n->parents = lg_xrealloc(n->parents, (n->nparents + 1) * sizeof(size_t));
			n->parents[n->nparents++] = p;
		}
	}
}

static int read_commit(git_commit **out, git_repository *repo, const git_oid *id)
{
	if (git_commit_lookup(out, repo, id) < 0)
		return lg_error_set_git(LG_ENOTFOUND, "cannot read a pushed commit");
	return 0;
}

static int too_many(long max_commits)
{
	return lg_error_set(LG_ELIMIT, "the push adds more than %ld commits (limits.max_commits)", max_commits);
}

/*
 * With nothing known and an empty set (a push into an empty repository,
 * a new mirror) every commit the tips reach is new. libgit2's sorted walk
 * reads each commit before returning the first, and returns only ids, so
 * the set would read each commit twice; instead the commits are read once
 * here, breadth first from the tips, and then put in order: a depth-first
 * walk over the parents already in memory lists each commit after all its
 * parents (first parents first, so a history's next commit usually
 * follows its parent).
 */
static int collect_all(struct lg_commitset *s, git_repository *repo, const git_oid *tips, size_t ntips,
		       long max_commits)
{
	struct lg_commit_node *sorted = NULL;
	size_t i, k, n, nsorted = 0, *order = NULL, *where = NULL, *cursor = NULL, *stack = NULL, nstack;
	unsigned char *state = NULL; /* 0 new, 1 on the stack, 2 listed */
	int err = 0;

	for (i = 0; i < ntips; i++) {
		size_t t;

		if (lg_oidmap_get(&s->index, &tips[i], &t))
			continue;
		if (max_commits > 0 && s->n >= (size_t)max_commits)
			return too_many(max_commits);
		add_node(s, &tips[i]);
	}
	/* Read each commit once; its parents join the set as they are met. */
	for (i = 0; i < s->n; i++) {
		git_commit *c = NULL;

		if ((err = lg_deadline_check()) < 0 || (err = read_commit(&c, repo, &s->v[i].oid)) < 0)
			goto done;
		fill_node(s, i, c);
		git_commit_free(c);
		for (k = 0; k < s->v[i].nparents_all; k++) {
			size_t p;

			if (lg_oidmap_get(&s->index, &s->v[i].parent_ids[k], &p))
				continue;
			if (max_commits > 0 && s->n >= (size_t)max_commits) {
				err = too_many(max_commits);
				goto done;
			}
			add_node(s, &s->v[i].parent_ids[k]);
		}
	}
	for (i = 0; i < s->n; i++)
		link_parents(s, i, 0);

	/* Parents before children: post-order of a depth-first walk. */
	n = s->n;
	order = lg_xcalloc(n, sizeof(*order));
	cursor = lg_xcalloc(n, sizeof(*cursor));
	stack = lg_xcalloc(n, sizeof(*stack));
	state = lg_xcalloc(n, 1);
	for (i = 0; i < ntips; i++) {
		size_t t;

		lg_oidmap_get(&s->index, &tips[i], &t);
		if (state[t])
			continue;
		nstack = 0;
		stack[nstack++] = t;
		state[t] = 1;
		while (nstack) {
			size_t top = stack[nstack - 1];
			const struct lg_commit_node *node = &s->v[top];

			if (cursor[top] < node->nparents) {
				size_t p = node->parents[cursor[top]++];

				if (!state[p]) {
					state[p] = 1;
					stack[nstack++] = p;
				}
				continue;
			}
			state[top] = 2;
			order[nsorted++] = top;
			nstack--;
		}
	}
	/* Every commit was reached from a tip, so all are listed. Renumber. */
	where = lg_xcalloc(n, sizeof(*where));
	sorted = lg_xcalloc(n, sizeof(*sorted));
	for (i = 0; i < nsorted; i++)
		where[order[i]] = i;
	for (i = 0; i < nsorted; i++) {
		sorted[i] = s->v[order[i]];
		for (k = 0; k < sorted[i].nparents; k++)
			sorted[i].parents[k] = where[sorted[i].parents[k]];
		lg_oidmap_put(&s->index, &sorted[i].oid, i);
	}
	free(s->v);
	s->v = sorted;
	s->alloc = n;
done:
	free(order);
	free(where);
	free(cursor);
	free(stack);
	free(state);
	return err;
}

/* Commits already in the set (from an earlier call) or reachable from a
 * known tip are left out, so libgit2's walk decides what is new. */
static int collect_revwalk(struct lg_commitset *s, git_repository *repo, const git_oid *tips, size_t ntips,
			   const git_oid *known, size_t nknown, long max_commits)
{
	git_revwalk *walk = NULL;
	struct walk_guard guard = { 0, 0 };
	struct lg_oidmap given;
	git_oid oid;
	size_t first = s->n, i, dup;
	int err = 0, rc;

	if (git_revwalk_new(&walk, repo) < 0)
		return lg_error_set_git(LG_ERROR, "cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_revwalk_add_hide_cb(walk, walk_guard_cb, &guard);
	/* A push may name one commit for many refs: each is given once. */
	lg_oidmap_init(&given);
	for (i = 0; i < ntips; i++) {
		if (lg_oidmap_get(&given, &tips[i], &dup))
			continue;
		lg_oidmap_put(&given, &tips[i], i);
		if (git_revwalk_push(walk, &tips[i]) < 0) {
			err = lg_error_set_git(LG_ENOTFOUND, "cannot walk from a pushed commit");
			goto done;
		}
	}
	lg_oidmap_clear(&given);
	for (i = 0; i < nknown; i++) {
		if (lg_oidmap_get(&given, &known[i], &dup))
			continue;
		lg_oidmap_put(&given, &known[i], i);
		if (git_revwalk_hide(walk, &known[i]) < 0) {
			err = lg_error_set_git(LG_ENOTFOUND, "cannot read the commit of a protected ref");
			goto done;
		}
	}
	for (i = 0; i < first; i++)
		git_revwalk_hide(walk, &s->v[i].oid);

	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		git_commit *c = NULL;
		size_t idx;

		if (guard.err || (err = lg_deadline_check()) < 0)
			break;
		if (max_commits > 0 && s->n >= (size_t)max_commits) {
			err = too_many(max_commits);
			goto done;
		}
		if ((err = read_commit(&c, repo, &oid)) < 0)
			goto done;
		idx = add_node(s, &oid);
		fill_node(s, idx, c);
		git_commit_free(c);
		/* Reverse topological order: parents in the set came first. */
		link_parents(s, idx, first);
	}
	/* A walk cut short by the guard may even look complete. */
	if (guard.err || err < 0) {
		if (!err)
			err = guard.err; /* its message is set */
		goto done;
	}
	if (rc != GIT_ITEROVER)
		err = lg_error_set_git(LG_ERROR, "history walk failed");
done:
	lg_oidmap_release(&given);
	git_revwalk_free(walk);
	return err;
}

int lg_walk_collect(struct lg_commitset *s, git_repository *repo, const git_oid *tips, const char *const *refs,
		    size_t ntips, const git_oid *known, size_t nknown, long max_commits)
{
	size_t first = s->n, i, *stack = NULL, nstack = 0, stackalloc = 0;
	int err;

	if (!ntips)
		return 0;
	err = !nknown && !first ? collect_all(s, repo, tips, ntips, max_commits)
				: collect_revwalk(s, repo, tips, ntips, known, nknown, max_commits);
	if (err < 0)
		goto done;

	/* Attribute each new commit to the first update that reaches it. An
	 * ancestor of an attributed commit was reached by the same update, so
	 * the search stops at attributed commits. */
	for (i = 0; i < ntips; i++) {
		size_t t;

		if (!lg_oidmap_get(&s->index, &tips[i], &t) || t < first || s->v[t].ref)
			continue;
		nstack = 0;
		stack = lg_xgrow(stack, sizeof(*stack), 1, &stackalloc);
		stack[nstack++] = t;
		s->v[t].ref = refs[i];
		while (nstack) {
			struct lg_commit_node *n = &s->v[stack[--nstack]];
			size_t k;

			for (k = 0; k < n->nparents; k++) {
				struct lg_commit_node *p = &s->v[n->parents[k]];

				if (p->ref)
					continue;
				p->ref = refs[i];
				stack = lg_xgrow(stack, sizeof(*stack), nstack + 1, &stackalloc);
				stack[nstack++] = n->parents[k];
			}
		}
	}
done:
	free(stack);
	return err;
}

static char *signature_text(const git_signature *sig)
{
	return lg_xasprintf("%s <%s>", sig->name ? sig->name : "", sig->email ? sig->email : "");
}

int lg_commit_info_load(struct lg_commit_info *out, git_commit *commit)
{
	git_buf sig = { 0 };
	const char *msg = git_commit_message_raw(commit);
	const char *summary = git_commit_summary(commit);

	memset(out, 0, sizeof(*out));
	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(commit));
	out->message = lg_xstrdup(msg ? msg : "");
	out->summary = lg_xstrdup(summary ? summary : "");
	out->author = signature_text(git_commit_author(commit));
	out->committer = signature_text(git_commit_committer(commit));
	out->time = (int64_t)git_commit_time(commit);
	lg_trailers_parse(&out->trailers, &out->ntrailers, out->message);
	if (git_commit_header_field(&sig, commit, "gpgsig") == 0 ||
	    git_commit_header_field(&sig, commit, "gpgsig-sha256") == 0)
		out->signed_ = true;
	git_buf_dispose(&sig);
	return 0;
}

static void add_signoff(struct lg_commit_info *info, const char *value, const struct lg_commit_info *carrier)
{
	struct lg_signoff *so;

	info->signoffs = lg_xrealloc(info->signoffs, (info->nsignoffs + 1) * sizeof(*info->signoffs));
	so = &info->signoffs[info->nsignoffs++];
	memset(so, 0, sizeof(*so));
	so->value = lg_xstrdup(value);
	so->commit_id = lg_xstrdup(carrier->id);
	so->verified = carrier->signature_verified;
	so->signer = carrier->signer ? lg_xstrdup(carrier->signer) : NULL;
}

static bool is_signoff(const struct lg_trailer *t, const struct lg_config *cfg)
{
	return !strcasecmp(t->key, cfg->trailers.signoff);
}

/* Whether a sign-off value names team member m: the e-mail in <...>, the
 * whole value, or the name before it equals one of the member's names.
 * Only orders the principals tried; the policy decides. */
static bool value_names(const char *value, const struct lg_team_member *m)
{
	const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t nlen;

	if (lt && gt && m->email && (size_t)(gt - lt - 1) == strlen(m->email) &&
	    !strncasecmp(lt + 1, m->email, strlen(m->email)))
		return true;
	if ((m->user && !strcmp(value, m->user)) || (m->email && !strcasecmp(value, m->email)) ||
	    (m->principal && !strcmp(value, m->principal)))
		return true;
	if (!lt || !m->user)
		return false;
	nlen = (size_t)(lt - value);
	while (nlen && value[nlen - 1] == ' ')
		nlen--;
	return nlen == strlen(m->user) && !strncmp(value, m->user, nlen);
}

/* signoff.verify: ssh — the signature of a commit carrying a sign-off
 * trailer decides whether its sign-offs are verified, and by whom. */
static int verify_carrier(struct lg_commit_node *n, git_repository *repo, const struct lg_config *cfg)
{
	struct lg_commit_info *ci = &n->info;
	const char **prefer, **team;
	struct lg_sshsig_opts o;
	size_t i, t, nprefer = 0, nteam = 0;
	bool verified = false;
	char *signer = NULL;
	int err;

	prefer = lg_xcalloc(cfg->signoff.nteam + 1, sizeof(*prefer));
	team = lg_xcalloc(cfg->signoff.nteam + 1, sizeof(*team));
	for (i = 0; i < cfg->signoff.nteam; i++) {
		const struct lg_team_member *m = &cfg->signoff.team[i];
		bool named = false;

		if (!m->principal)
			continue;
		for (t = 0; t < ci->ntrailers && !named; t++)
			named = is_signoff(&ci->trailers[t], cfg) && value_names(ci->trailers[t].value, m);
		if (named)
			prefer[nprefer++] = m->principal;
		team[nteam++] = m->principal;
	}
	memset(&o, 0, sizeof(o));
	o.allowed_signers = cfg->signoff.allowed_signers;
	o.prefer = prefer;
	o.nprefer = nprefer;
	o.principals = team;
	o.nprincipals = nteam;
	err = lg_sshsig_verify_commit(&verified, &signer, repo, &n->oid, &o);
	free(prefer);
	free(team);
	if (err < 0)
		return lg_error_set(err, "verifying the SSH signature of commit %s: %s", ci->id, lg_error_last());
	ci->signature_verified = verified;
	free(ci->signer);
	ci->signer = signer;
	return 0;
}

int lg_commitset_load_info(struct lg_commitset *s, git_repository *repo, const struct lg_config *cfg)
{
	size_t i, *stack = NULL, nstack, stackalloc = 0;
	size_t *seen = NULL, stamp = 0;
	int err = 0;

	for (i = 0; i < s->n; i++) {
		git_commit *c = NULL;

		if (s->v[i].info.message || !(s->v[i].has_findings || s->v[i].maybe_signoff))
			continue;
		if ((err = lg_deadline_check()) < 0)
			goto done;
		if (git_commit_lookup(&c, repo, &s->v[i].oid) < 0) {
			err = lg_error_set_git(LG_ENOTFOUND, "cannot read a pushed commit");
			goto done;
		}
		err = lg_commit_info_load(&s->v[i].info, c);
		git_commit_free(c);
		if (err < 0)
			goto done;
	}

	/* ssh: only the commits that carry a sign-off are verified, once. */
	for (i = 0; cfg->signoff.verify == LG_VERIFY_SSH && i < s->n; i++) {
		const struct lg_commit_info *ci = &s->v[i].info;
		size_t t;

		for (t = 0; t < ci->ntrailers; t++)
			if (is_signoff(&ci->trailers[t], cfg))
				break;
		if (t < ci->ntrailers && (err = verify_carrier(&s->v[i], repo, cfg)) < 0)
			goto done;
	}

	/* Sign-off coverage: each commit carrying a sign-off trailer covers
	 * itself and every commit of the set it reaches. seen[] holds the
	 * stamp of the last walk that visited a commit, so each walk visits a
	 * commit once. */
	seen = lg_xcalloc(s->n ? s->n : 1, sizeof(*seen));
	for (i = 0; i < s->n; i++) {
		const struct lg_commit_info *ci = &s->v[i].info;
		size_t t;

		for (t = 0; t < ci->ntrailers; t++) {
			const char *value = ci->trailers[t].value;

			if (!is_signoff(&ci->trailers[t], cfg))
				continue;
			stamp++;
			nstack = 0;
			stack = lg_xgrow(stack, sizeof(*stack), 1, &stackalloc);
			stack[nstack++] = i;
			seen[i] = stamp;
			while (nstack) {
				struct lg_commit_node *n = &s->v[stack[--nstack]];
				size_t k;

				if (n->info.message)
					add_signoff(&n->info, value, ci);
				for (k = 0; k < n->nparents; k++) {
					size_t p = n->parents[k];

					if (seen[p] == stamp)
						continue;
					seen[p] = stamp;
					stack = lg_xgrow(stack, sizeof(*stack), nstack + 1, &stackalloc);
					stack[nstack++] = p;
				}
			}
			if ((err = lg_deadline_check()) < 0)
				goto done;
		}
	}
done:
	free(seen);
	free(stack);
	return err;
}

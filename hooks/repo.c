/* repo.c — opening repositories, quarantine-aware (see repo.h). */
#include "linkgate/repo.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"

#include <git2/sys/repository.h>
#include <sys/stat.h>

/* libgit2's caches are bounded so a history import's memory is the blobs in
 * flight plus these, not the whole pack. Its object cache holds commits and
 * tags only (a push naming one commit 100,000 times, or refs sharing
 * commits, peel them from it): trees, which detection and the facts stage
 * ask for again, go through treememo.h, since the cache, bounded small for
 * memory, evicted them in hash order, missed four lookups in ten and spent
 * more on its eviction scans than its hits saved (a third of a history
 * import's instructions). The limit counts raw sizes and a parsed commit
 * takes several times its raw size: 512 KiB keeps the cache near 3 MB
 * (2 MiB cost a 8,000-commit import 7 MB of peak RSS). */
#define LG_GIT_CACHE_BYTES (512 * 1024)
#define LG_GIT_MWINDOW_MAPPED (8 * 1024 * 1024)

void lg_repo_global_init(bool hook_mode)
{
	static bool done;

	if (!done) {
		git_libgit2_init();
		git_error_clear();
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)LG_GIT_CACHE_BYTES);
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)LG_GIT_MWINDOW_MAPPED);
		/* Every id was computed by git itself from the content when the
		 * objects arrived (index-pack, unpack-objects), so hashing each
		 * object again on read only costs time (a fifth of a history
		 * import); git's own readers do not re-hash either. */
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
		done = true;
	}
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, hook_mode ? 0 : 1);
}

void lg_repo_free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* git's unquote_c_style(): the inverse of quote_c_style(). */
static int unquote_c(struct lg_buf *out, const char **sp)
{
	const char *s = *sp + 1; /* past the opening quote */

	for (;;) {
		char c = *s++;

		if (c == '\0')
			return -1;
		if (c == '"')
			break;
		if (c != '\\') {
			lg_buf_putc(out, c);
			continue;
		}
		c = *s++;
		switch (c) {
		case 'a': lg_buf_putc(out, '\a'); break;
		case 'b': lg_buf_putc(out, '\b'); break;
		case 'f': lg_buf_putc(out, '\f'); break;
		case 'n': lg_buf_putc(out, '\n'); break;
		case 'r': lg_buf_putc(out, '\r'); break;
		case 't': lg_buf_putc(out, '\t'); break;
		case 'v': lg_buf_putc(out, '\v'); break;
		case '"': case '\\': lg_buf_putc(out, c); break;
		case '0': case '1': case '2': case '3': {
			int v = c - '0', k;

			for (k = 0; k < 2; k++) {
				if (*s < '0' || *s > '7')
					return -1;
				v = v * 8 + (*s++ - '0');
			}
			if (!v) /* no path holds a NUL byte */
				return -1;
			lg_buf_putc(out, (char)v);
			break;
		}
		default:
			return -1;
		}
	}
	*sp = s;
	return 0;
}

int lg_repo_split_alternates(char ***out, size_t *nout, const char *value)
{
	char **v = NULL;
	size_t n = 0, alloc = 0;
	const char *s = value;
	struct lg_buf b = LG_BUF_INIT;

	while (*s) {
		lg_buf_clear(&b);
		if (*s == '"') {
			if (unquote_c(&b, &s) < 0 || (*s && *s != ':')) {
				lg_buf_release(&b);
				lg_repo_free_list(v, n);
				return lg_error_set(LG_EUSAGE, "GIT_ALTERNATE_OBJECT_DIRECTORIES has a malformed quoted entry");
			}
		} else {
			const char *end = strchr(s, ':');
			size_t len = end ? (size_t)(end - s) : strlen(s);

			lg_buf_put(&b, s, len);
			s += len;
		}
		if (*s == ':')
			s++;
		if (!b.len)
			continue;
		v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
		v[n++] = lg_buf_detach(&b, NULL);
	}
	lg_buf_release(&b);
	*out = v;
	*nout = n;
	return 0;
}

static int require_dir(const char *path, const char *what)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return lg_error_set(LG_ERROR, "%s '%s' is not a readable directory; cannot see the pushed objects", what,
				    path);
	return 0;
}

/* Refuses what libgit2 before 1.7 cannot read: the SHA-256 object format
 * and partial clones. Reads the repository's own config file directly,
 * before libgit2 opens it. */
int lg_repo_check_format(const char *gitdir)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	char *path = lg_xasprintf("%s/config", gitdir);
	int err = 0;

	if (git_config_open_ondisk(&cfg, path) < 0) {
		err = lg_error_set_git(LG_ERROR, "cannot read the repository configuration");
		goto done;
	}
	if (git_config_get_entry(&e, cfg, "extensions.objectformat") == 0) {
		if (strcasecmp(e->value, "sha1")) {
			err = lg_error_set(LG_EUNSUPPORTED,
					   "repository uses the %s object format, which this build of linkgate (libgit2 %d.%d) cannot read; libgit2 1.7 or later is needed",
					   e->value, LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR);
			goto done;
		}
	}
	git_config_entry_free(e);
	e = NULL;
	if (git_config_get_entry(&e, cfg, "extensions.partialclone") == 0) {
		err = lg_error_set(LG_EUNSUPPORTED,
				   "repository is a partial clone (extensions.partialclone), which this build of linkgate (libgit2 %d.%d) cannot read completely",
				   LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR);
		goto done;
	}
done:
	git_config_entry_free(e);
	git_config_free(cfg);
	free(path);
	return err;
}

int lg_repo_open_hook(git_repository **out)
{
	const char *gitdir = getenv("GIT_DIR");
	const char *objdir = getenv("GIT_OBJECT_DIRECTORY");
	const char *alts = getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	char **altv = NULL;
	size_t naltv = 0, i;
	int err;

	*out = NULL;
	if (!gitdir || !*gitdir)
		gitdir = ".";
	if ((err = lg_repo_check_format(gitdir)) < 0)
		return err;
	if (git_repository_open_ext(&repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return lg_error_set_git(LG_ERROR, "cannot open the repository");

	if (objdir && *objdir) {
		if ((err = require_dir(objdir, "GIT_OBJECT_DIRECTORY")) < 0)
			goto done;
		if (git_odb_open(&odb, objdir) < 0) {
			err = lg_error_set_git(LG_ERROR, "cannot open the object directory");
			goto done;
		}
		if (alts && (err = lg_repo_split_alternates(&altv, &naltv, alts)) < 0)
			goto done;
		for (i = 0; i < naltv; i++) {
			if ((err = require_dir(altv[i], "alternate object directory")) < 0)
				goto done;
			if (git_odb_add_disk_alternate(odb, altv[i]) < 0) {
				err = lg_error_set_git(LG_ERROR, "cannot add an alternate object directory");
				goto done;
			}
		}
		if (git_repository_set_odb(repo, odb) < 0) {
			err = lg_error_set_git(LG_ERROR, "cannot use the object database");
			goto done;
		}
	}
	*out = repo;
	repo = NULL;
	err = 0;
done:
	lg_repo_free_list(altv, naltv);
	git_odb_free(odb);
	git_repository_free(repo);
	return err;
}

int lg_repo_open_path(git_repository **out, const char *path)
{
	git_buf root = { 0 };
	int err;

	*out = NULL;
	if (git_repository_discover(&root, path, 0, NULL) < 0)
		return lg_error_set_git(LG_ERROR, "not a git repository");
	if ((err = lg_repo_check_format(root.ptr)) < 0)
		goto done;
	if (git_repository_open(out, root.ptr) < 0) {
		const git_error *e = git_error_last();

		if (e && strstr(e->message, "owner"))
			err = lg_error_set(LG_ERROR, "%s (add it to git's safe.directory if you trust it)", e->message);
		else
			err = lg_error_set_git(LG_ERROR, "cannot open the repository");
	}
done:
	git_buf_dispose(&root);
	return err;
}

int lg_repo_check_tips(git_repository *repo, const struct lg_push *push)
{
	git_odb *odb = NULL;
	size_t i;
	int err = 0;

	if (git_repository_odb(&odb, repo) < 0)
		return lg_error_set_git(LG_ERROR, "cannot use the object database");
	for (i = 0; i < push->nupdates; i++) {
		const struct lg_ref_update *u = &push->updates[i];
		git_oid oid;

		if (u->is_delete)
			continue;
		if (git_oid_fromstr(&oid, u->new_id) < 0 || !git_odb_exists(odb, &oid)) {
			err = lg_error_set(LG_ENOTFOUND, "pushed object %s for %s cannot be read from the repository or its quarantine",
					   u->new_id, u->ref);
			break;
		}
		if (!(i & 1023) && (err = lg_deadline_check()) < 0)
			break;
	}
	git_odb_free(odb);
	return err;
}

/*
 * Debian's libgit2 is built with mbedTLS, whose initialisation, inside
 * git_libgit2_init(), parses the system's whole CA bundle: 55 million
 * instructions, most of a hook's start-up on a push that has nothing to
 * check. linkgate never opens a network transport, so this program defines
 * the one function that does that parsing, and the dynamic linker binds
 * libgit2's call to it (a program's own definitions come first). It loads
 * nothing: were a transport ever opened, no certificate would verify and
 * the connection would fail, closed. It reports success with the chain left
 * empty, so libgit2 records no error. A libgit2 built with another TLS
 * library never calls it. Declared here: linkgate does not build against
 * mbedTLS's headers. (PERFORMANCE.md, "Start-up".)
 */
struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

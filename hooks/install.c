/* install.c — writing linkgate's hook where each server runs hooks (see install.h). */
#include "linkgate/install.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/repo.h"

#include <fcntl.h>
#include <git2.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const platform_names[] = { "plain", "gitolite", "gitlab", "gitea", "ghes" };

int lg_platform_parse(enum lg_platform *out, const char *name)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(platform_names); i++) {
		if (!strcmp(name, platform_names[i])) {
			*out = (enum lg_platform)i;
			return 0;
		}
	}
	if (!strcmp(name, "forgejo")) {
		*out = LG_PLATFORM_GITEA;
		return 0;
	}
	return lg_error_set(LG_EUSAGE, "unknown platform '%s' (plain, gitolite, gitlab, gitea, ghes)", name);
}

const char *lg_platform_name(enum lg_platform p)
{
	return (size_t)p < LG_ARRAY_SIZE(platform_names) ? platform_names[p] : "plain";
}

void lg_install_shell_quote(struct lg_buf *out, const char *s)
{
	lg_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			lg_buf_puts(out, "'\\''");
		else
			lg_buf_putc(out, *s);
	}
	lg_buf_putc(out, '\'');
}

/* Opens dir as a repository without searching upwards. Returns 0 with
 * *out set, LG_ENOTFOUND when dir is no repository, or LG_EUNSUPPORTED
 * for a format linkgate refuses. */
static int open_repo(git_repository **out, const char *dir)
{
	char *dotgit = lg_xasprintf("%s/.git", dir);
	int err;

	*out = NULL;
	/* A format linkgate refuses is named before libgit2 is asked to open
	 * it: libgit2 1.5 fails with a vaguer message there (and leaks). */
	err = lg_repo_check_format(dir);
	if (err != LG_EUNSUPPORTED)
		err = lg_repo_check_format(dotgit);
	free(dotgit);
	if (err == LG_EUNSUPPORTED)
		return err;
	if (git_repository_open_ext(out, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return lg_error_set_git(LG_ENOTFOUND, dir);
	return 0;
}

static char *hooks_dir(git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf value = { 0 };
	char *dir;

	if (git_repository_config_snapshot(&cfg, repo) == 0 && git_config_get_path(&value, cfg, "core.hooksPath") == 0)
		dir = value.ptr[0] == '/' ? lg_xstrdup(value.ptr)
					  : lg_xasprintf("%s%s", git_repository_path(repo), value.ptr);
	else
		dir = lg_xasprintf("%shooks", git_repository_path(repo));
	git_buf_dispose(&value);
	git_config_free(cfg);
	return dir;
}

static int mkdir_p(const char *path)
{
	char *p = lg_xstrdup(path), *s;
	int err = 0;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				err = lg_error_set(LG_ERROR, "cannot create %s: %s", p, strerror(errno));
				break;
			}
			*s = c;
		}
		if (!*s)
			break;
	}
	free(p);
	return err;
}

/* Writes data to "<path>.linkgate-tmp", mode 0755; *tmp_out names it. */
static int write_tmp(char **tmp_out, const char *path, const char *data, size_t len)
{
	char *tmp = lg_xasprintf("%s.linkgate-tmp", path);
	int fd;

	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0) {
		lg_error_set(LG_ERROR, "cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return LG_ERROR;
	}
	if (write(fd, data, len) != (ssize_t)len || fchmod(fd, 0755) < 0) {
		lg_error_set(LG_ERROR, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return LG_ERROR;
	}
	if (close(fd) < 0) {
		lg_error_set(LG_ERROR, "cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		free(tmp);
		return LG_ERROR;
	}
	*tmp_out = tmp;
	return 0;
}

/* The script git runs: exec the binary as the hook, passing on its
 * arguments. A chained hook is named relative to the script ($0), so the
 * pair keeps working when the repository moves or gitolite symlinks both
 * into every repository. */
static void hook_script(struct lg_buf *s, const struct lg_install_opts *o, const char *binary, const char *hook,
			bool chained)
{
	lg_buf_printf(s, "#!/bin/sh\n%s\n", LG_INSTALL_MARKER);
	if (chained)
		lg_buf_printf(s, "# The hook that was here before runs first, with the same input: $0%s\n",
			      LG_INSTALL_CHAINED_SUFFIX);
	lg_buf_puts(s, "exec ");
	lg_install_shell_quote(s, binary);
	lg_buf_printf(s, " %s", hook);
	if (chained)
		lg_buf_puts(s, " --chained \"$0" LG_INSTALL_CHAINED_SUFFIX "\"");
	if (o->config) {
		lg_buf_puts(s, " --config ");
		lg_install_shell_quote(s, o->config);
	}
	lg_buf_puts(s, " \"$@\"\n");
}

static void ghes_script(struct lg_buf *s, const struct lg_install_opts *o)
{
	lg_buf_printf(s, "#!/bin/sh\n%s\n", LG_INSTALL_MARKER);
	lg_buf_puts(s,
		    "#\n"
		    "# GitHub Enterprise Server pre-receive hook: linkgate decides each push.\n"
		    "#\n"
		    "# 1. Build a pre-receive hook environment (a chroot tarball, see GitHub's\n"
		    "#    \"Creating a pre-receive hook environment\") that holds\n"
		    "#    " LG_INSTALL_GHES_BINARY " and the libraries it links (libgit2, liblua5.4,\n"
		    "#    libpcre2-8, libyaml, libjansson), plus the configuration file below.\n"
		    "# 2. Commit this script to a hook repository and add it as a pre-receive\n"
		    "#    hook in the site admin dashboard, with that environment.\n"
		    "# GHES names the pusher in GITHUB_USER_LOGIN (in pusher.from by default)\n"
		    "# and passes push options as GIT_PUSH_OPTION_* once they are enabled.\n"
		    "exec " LG_INSTALL_GHES_BINARY " pre-receive");
	if (o->config) {
		lg_buf_puts(s, " --config ");
		lg_install_shell_quote(s, o->config);
	}
	lg_buf_puts(s, " \"$@\"\n");
}

/*
 * Puts script at dir/name. An identical file is left alone; one of ours is
 * rewritten; a foreign one is chained (chainable and o->chain), replaced
 * (o->force) or refused. The new script is written to a temporary file
 * first, so a failure leaves the old hook in place.
 */
static int install_file(const struct lg_install_opts *o, const char *dir, const char *name, const char *hook,
			bool chainable, bool ghes, FILE *out)
{
	char *path = lg_xasprintf("%s/%s", dir, name);
	char *chained = lg_xasprintf("%s%s", path, LG_INSTALL_CHAINED_SUFFIX);
	char *tmp = NULL;
	struct lg_buf script = LG_BUF_INIT, existing = LG_BUF_INIT;
	struct stat st;
	bool exists, ours = false, have_chained, chain_now = false;
	int err = 0;

	if ((err = mkdir_p(dir)) < 0)
		goto done;
	exists = lstat(path, &st) == 0;
	have_chained = chainable && lstat(chained, &st) == 0;
	if (exists) {
		err = lg_buf_read_file(&existing, path, 1 << 20);
		if (err == 0)
			ours = strstr(existing.ptr, LG_INSTALL_MARKER) != NULL;
		else if (err != LG_ENOTFOUND && err != LG_ERROR)
			goto done;
		err = 0;
	}
	if (exists && !ours) {
		if (chainable && o->chain) {
			if (have_chained) {
				err = lg_error_set(LG_EREFUSED,
						   "%s exists and %s already holds a chained hook; chain one hook only (remove one of them)",
						   path, chained);
				goto done;
			}
			chain_now = true;
		} else if (!o->force) {
			err = lg_error_set(LG_EREFUSED, "%s exists and was not installed by linkgate; refusing to overwrite it (%s)",
					   path,
					   chainable ? "use --chain to keep it and run it before linkgate, or --force to replace it"
						     : "use --force to replace it");
			goto done;
		}
	}
	if (ghes)
		ghes_script(&script, o);
	else
		hook_script(&script, o, o->binary, hook, have_chained || chain_now);
	if (ours && existing.len == script.len && !memcmp(existing.ptr, script.ptr, script.len)) {
		fprintf(out, "linkgate: %s hook already installed in %s\n", hook, path);
		goto done;
	}
	if ((err = write_tmp(&tmp, path, script.ptr, script.len)) < 0)
		goto done;
	if (chain_now) {
		if (rename(path, chained) < 0) {
			err = lg_error_set(LG_ERROR, "cannot move %s to %s: %s", path, chained, strerror(errno));
			unlink(tmp);
			goto done;
		}
		fprintf(out, "linkgate: moved the existing hook %s to %s; linkgate runs it first\n", path, chained);
	}
	if (rename(tmp, path) < 0) {
		err = lg_error_set(LG_ERROR, "cannot install %s: %s", path, strerror(errno));
		unlink(tmp);
		if (chain_now && rename(chained, path) < 0)
			fprintf(out, "linkgate: could not move %s back to %s\n", chained, path);
		goto done;
	}
	if (exists && !ours && !chain_now)
		fprintf(out, "linkgate: replaced a hook linkgate did not write (--force) at %s\n", path);
	fprintf(out, "linkgate: %s %s hook in %s%s\n", ours ? "updated" : "installed", hook, path,
		have_chained || chain_now ? " (chained)" : "");
done:
	lg_buf_release(&existing);
	lg_buf_release(&script);
	free(tmp);
	free(chained);
	free(path);
	return err;
}

/* Break-glass travels in push options, which git's receive-pack offers
 * only when told to. */
static void note_push_options(const struct lg_install_opts *o, git_repository *repo, const char *dir, FILE *out)
{
	git_config *cfg = NULL;
	int on = 0;

	if (!o->uses_push_options || o->update || o->pre_push)
		return;
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_bool(&on, cfg, "receive.advertisePushOptions") == 0 && on) {
		git_config_free(cfg);
		return;
	}
	git_config_free(cfg);
	fprintf(out,
		"linkgate: note: break-glass needs push options, which this repository does not advertise; run: git -C %s config receive.advertisePushOptions true\n",
		dir);
}

static int refuse_option(const struct lg_install_opts *o, const char *what)
{
	return lg_error_set(LG_EREFUSED, "%s is not available with --platform %s", what, lg_platform_name(o->platform));
}

int lg_install_repo(const struct lg_install_opts *o, const char *dir, FILE *out)
{
	git_repository *repo = NULL;
	const char *hook = o->pre_push ? "pre-push" : o->update ? "update" : "pre-receive";
	char *hdir = NULL, *sub = NULL;
	struct stat st;
	int err;

	if (o->platform != LG_PLATFORM_PLAIN && o->pre_push)
		return refuse_option(o, "--pre-push (a developer's hook)");
	err = open_repo(&repo, dir);
	if (err == LG_EUNSUPPORTED)
		return err;
	if (err < 0 && (o->platform == LG_PLATFORM_PLAIN || o->platform == LG_PLATFORM_GITEA))
		goto done; /* the message names dir */
	if (err < 0 && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		err = lg_error_set(LG_ERROR, "%s is neither a repository nor a directory", dir);
		goto done;
	}
	err = 0;

	switch (o->platform) {
	case LG_PLATFORM_PLAIN:
		hdir = hooks_dir(repo);
		err = install_file(o, hdir, hook, hook, true, false, out);
		if (err == 0)
			note_push_options(o, repo, dir, out);
		break;
	case LG_PLATFORM_GITOLITE:
		if (o->update) {
			err = lg_error_set(LG_EREFUSED,
					   "--update is not available with --platform gitolite: gitolite's own update hook decides access; linkgate runs as pre-receive beside it");
			break;
		}
		if (repo) {
			hdir = hooks_dir(repo);
			err = install_file(o, hdir, hook, hook, true, false, out);
			if (err == 0) {
				fprintf(out, "linkgate: gitolite's update hook in %s stays and runs after linkgate\n", hdir);
				note_push_options(o, repo, dir, out);
			}
		} else {
			hdir = lg_xasprintf("%s/hooks/common", dir);
			err = install_file(o, hdir, hook, hook, true, false, out);
			if (err == 0)
				fprintf(out,
					"linkgate: next, as gitolite's hosting user: set LOCAL_CODE => \"%s\" in ~/.gitolite.rc, then run: gitolite setup --hooks-only\n",
					dir);
		}
		break;
	case LG_PLATFORM_GITLAB:
		if (repo)
			hdir = lg_xasprintf("%scustom_hooks/%s.d", git_repository_path(repo), hook);
		else
			hdir = lg_xasprintf("%s/%s.d", dir, hook);
		err = install_file(o, hdir, "linkgate", hook, false, false, out);
		break;
	case LG_PLATFORM_GITEA:
		sub = hooks_dir(repo);
		hdir = lg_xasprintf("%s/%s.d", sub, hook);
		err = install_file(o, hdir, "linkgate", hook, false, false, out);
		break;
	case LG_PLATFORM_GHES:
		if (o->update) {
			err = refuse_option(o, "--update (GitHub Enterprise Server runs pre-receive hooks only)");
			break;
		}
		if (o->chain) {
			err = refuse_option(o, "--chain (GitHub Enterprise Server runs each pre-receive hook on its own)");
			break;
		}
		err = install_file(o, dir, "linkgate-pre-receive.sh", hook, false, true, out);
		if (err == 0)
			fprintf(out,
				"linkgate: next: commit linkgate-pre-receive.sh to a hook repository, build a hook environment holding %s, and add the hook in the site admin dashboard (see the script's comments)\n",
				LG_INSTALL_GHES_BINARY);
		break;
	}
done:
	free(sub);
	free(hdir);
	git_repository_free(repo);
	return err;
}

int lg_install_run_chained(int *status_out, const char *path, char **argv, const char *in, size_t inlen)
{
	struct sigaction ign, old;
	int fds[2], wstatus = 0, err = 0;
	size_t off = 0;
	pid_t pid;

	*status_out = 0;
	if (pipe(fds) < 0)
		return lg_error_set(LG_ERROR, "cannot run the chained hook %s: %s", path, strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return lg_error_set(LG_ERROR, "cannot run the chained hook %s: %s", path, strerror(errno));
	}
	if (pid == 0) {
		close(fds[1]);
		if (fds[0] != 0) {
			dup2(fds[0], 0);
			close(fds[0]);
		}
		argv[0] = (char *)path;
		execv(path, argv);
		fprintf(stderr, "linkgate: cannot run the chained hook %s: %s\n", path, strerror(errno));
		_exit(126);
	}
	close(fds[0]);
	/* A hook may exit without reading its input: that is its business,
	 * and must not kill us with SIGPIPE. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	while (off < inlen) {
		ssize_t n = write(fds[1], in + off, inlen - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EPIPE: the hook stopped reading */
		off += (size_t)n;
	}
	close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			err = lg_error_set(LG_ERROR, "cannot wait for the chained hook %s: %s", path, strerror(errno));
			break;
		}
	}
	if (err == 0)
		*status_out = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	return err;
}

int lg_install_chain_first(const char *path, char **args, int nargs, const char *in, size_t inlen)
{
	char **argv = lg_xcalloc((size_t)nargs + 2, sizeof(*argv));
	int i, status;

	for (i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
	if (lg_install_run_chained(&status, path, argv, in, inlen) < 0) {
		fprintf(stderr, "linkgate: push rejected: %s\n", lg_error_last());
		status = LG_EXIT_INTERNAL;
	} else if (status) {
		fprintf(stderr, "linkgate: the chained hook %s rejected the push (exit %d); linkgate did not evaluate it\n",
			path, status);
	}
	free(argv);
	return status;
}

/* install.c — writing linkgate's hook into repositories (see install.h). */
#include "linkgate/install.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/repo.h"

#include <fcntl.h>
#include <git2.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int hooks_dir(char **out, const char *dir)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf value = { 0 };
	int err = 0;

	/* A format linkgate refuses is named before libgit2 is asked to open
	 * it: libgit2 1.5 fails with a vaguer message there (and leaks). */
	{
		char *dotgit = lg_xasprintf("%s/.git", dir);

		err = lg_repo_check_format(dir);
		if (err != LG_EUNSUPPORTED)
			err = lg_repo_check_format(dotgit);
		free(dotgit);
		if (err == LG_EUNSUPPORTED)
			return err;
		err = 0;
	}
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return lg_error_set_git(LG_ERROR, dir);
	if (git_repository_config_snapshot(&cfg, repo) == 0 && git_config_get_path(&value, cfg, "core.hooksPath") == 0) {
		*out = value.ptr[0] == '/' ? lg_xstrdup(value.ptr)
					   : lg_xasprintf("%s%s", git_repository_path(repo), value.ptr);
	} else {
		*out = lg_xasprintf("%shooks", git_repository_path(repo));
	}
	git_buf_dispose(&value);
	git_config_free(cfg);
	git_repository_free(repo);
	return err;
}

static int write_atomically(const char *path, const char *data, size_t len)
{
	char *tmp = lg_xasprintf("%s.linkgate-tmp", path);
	int fd, err = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0) {
		err = lg_error_set(LG_ERROR, "cannot write %s: %s", tmp, strerror(errno));
		goto done;
	}
	if (write(fd, data, len) != (ssize_t)len || fchmod(fd, 0755) < 0 || close(fd) < 0) {
		err = lg_error_set(LG_ERROR, "cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto done;
	}
	if (rename(tmp, path) < 0) {
		err = lg_error_set(LG_ERROR, "cannot install %s: %s", path, strerror(errno));
		unlink(tmp);
	}
done:
	free(tmp);
	return err;
}

int lg_install_repo(const struct lg_install_opts *o, const char *dir, FILE *out)
{
	const char *name = o->update ? "update" : "pre-receive";
	struct lg_buf script = LG_BUF_INIT, existing = LG_BUF_INIT;
	char *hdir = NULL, *path = NULL;
	int err;

	if ((err = hooks_dir(&hdir, dir)) < 0)
		return err;
	if (mkdir(hdir, 0755) < 0 && errno != EEXIST) {
		err = lg_error_set(LG_ERROR, "cannot create %s: %s", hdir, strerror(errno));
		goto done;
	}
	path = lg_xasprintf("%s/%s", hdir, name);

	lg_buf_printf(&script, "#!/bin/sh\n%s\nexec ", LG_INSTALL_MARKER);
	lg_install_shell_quote(&script, o->binary);
	lg_buf_printf(&script, " %s", name);
	if (o->config) {
		lg_buf_puts(&script, " --config ");
		lg_install_shell_quote(&script, o->config);
	}
	lg_buf_puts(&script, " \"$@\"\n");

	err = lg_buf_read_file(&existing, path, 1 << 20);
	if (err == 0) {
		if (existing.len == script.len && !memcmp(existing.ptr, script.ptr, script.len)) {
			fprintf(out, "linkgate: %s hook already installed in %s\n", name, path);
			goto done;
		}
		if (!strstr(existing.ptr, LG_INSTALL_MARKER) && !o->force) {
			err = lg_error_set(LG_EREFUSED,
					   "%s exists and was not installed by linkgate; refusing to overwrite it (use --force to replace it)",
					   path);
			goto done;
		}
	} else if (err != LG_ENOTFOUND) {
		goto done;
	}
	if ((err = write_atomically(path, script.ptr, script.len)) < 0)
		goto done;
	fprintf(out, "linkgate: installed %s hook in %s\n", name, path);
done:
	lg_buf_release(&existing);
	lg_buf_release(&script);
	free(path);
	free(hdir);
	return err;
}

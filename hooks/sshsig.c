/* sshsig.c — SSH commit signatures checked with ssh-keygen (see sshsig.h). */
#include "linkgate/sshsig.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SSH_ARMOR "-----BEGIN SSH SIGNATURE-----"
/* What ssh-keygen may print that is kept (find-principals lists names). */
#define MAX_OUTPUT (64u * 1024)
/* Verifications one signature may cost: a bound on the runs of
 * ssh-keygen, whatever allowed_signers and the team hold. */
#define MAX_TRIES 32
/* The child's exit status when exec failed (ssh-keygen never uses it). */
#define EXEC_FAILED 127

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A file descriptor holding the signature that ssh-keygen can open by the
 * name /dev/fd/N: memory only where memfd_create exists, else a temporary
 * file unlinked at once, so nothing is left behind whatever happens. */
static int sig_fd(const char *sig, size_t len)
{
	size_t off = 0;
	int fd = -1;

#ifdef MFD_CLOEXEC
	fd = memfd_create("linkgate-sshsig", MFD_CLOEXEC);
#endif
	if (fd < 0) {
		const char *tmp = getenv("TMPDIR");
		char *path = lg_xasprintf("%s/linkgate-sshsig-XXXXXX", tmp && *tmp ? tmp : "/tmp");

		fd = mkstemp(path);
		if (fd >= 0) {
			unlink(path);
			fcntl(fd, F_SETFD, FD_CLOEXEC);
		}
		free(path);
		if (fd < 0)
			return lg_error_set(LG_ERROR, "cannot create a temporary file for an SSH signature: %s",
					    strerror(errno));
	}
	while (off < len) {
		ssize_t n = write(fd, sig + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;

			close(fd);
			return lg_error_set(LG_ERROR, "cannot write an SSH signature to a temporary file: %s",
					    strerror(e));
		}
		off += (size_t)n;
	}
	return fd;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Runs argv (no shell) with in[0..inlen) on stdin (/dev/null when in is
 * NULL), stdout captured into out (up to MAX_OUTPUT bytes), stderr
 * discarded (it is not escaped, so it must not reach the pusher) and
 * keepfd inherited. *status is the wait status. Returns 0, LG_ERROR or
 * LG_ETIMEOUT. */
static int run(int *status, struct lg_buf *out, const char *const *argv, int keepfd, const char *in, size_t inlen)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, devnull = -1, err = 0;
	long left = lg_deadline_remaining_ms();
	long stop = now_ms() + (left == LONG_MAX ? LG_SSHSIG_TIMEOUT_MS : left);
	struct sigaction ign, old;
	size_t off = 0;
	bool reaped = false;
	pid_t pid;

	*status = 0;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(pout, O_CLOEXEC) < 0 || (in && pipe2(pin, O_CLOEXEC) < 0)) {
		err = lg_error_set(LG_ERROR, "cannot run %s: %s", argv[0], strerror(errno));
		goto done;
	}
	/* ssh-keygen may exit without reading all of stdin: EPIPE, not a
	 * signal that kills the hook. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	pid = fork();
	if (pid < 0) {
		err = lg_error_set(LG_ERROR, "cannot run %s: %s", argv[0], strerror(errno));
		sigaction(SIGPIPE, &old, NULL);
		goto done;
	}
	if (pid == 0) {
		sigaction(SIGPIPE, &old, NULL);
		if (dup2(in ? pin[0] : devnull, 0) < 0 || dup2(pout[1], 1) < 0 || dup2(devnull, 2) < 0)
			_exit(EXEC_FAILED);
		if (keepfd >= 0)
			fcntl(keepfd, F_SETFD, 0);
		execvp(argv[0], (char *const *)argv); /* (exec does not write to them) */
		_exit(EXEC_FAILED);
	}
	close(pout[1]);
	pout[1] = -1;
	set_nonblock(pout[0]);
	if (in) {
		close(pin[0]);
		pin[0] = -1;
		set_nonblock(pin[1]);
		if (!inlen) {
			close(pin[1]);
			pin[1] = -1;
		}
	}
	for (;;) {
		struct pollfd pfd[2];
		nfds_t n = 0;
		char buf[4096];
		long wait = stop - now_ms();
		int r;

		if (pout[0] < 0 && pin[1] < 0)
			break;
		if (wait <= 0) {
			kill(pid, SIGKILL);
			err = lg_deadline_check();
			if (!err)
				err = lg_error_set(LG_ERROR, "%s did not finish within %d ms", argv[0], LG_SSHSIG_TIMEOUT_MS);
			break;
		}
		if (pout[0] >= 0) {
			pfd[n].fd = pout[0];
			pfd[n++].events = POLLIN;
		}
		if (pin[1] >= 0) {
			pfd[n].fd = pin[1];
			pfd[n++].events = POLLOUT;
		}
		r = poll(pfd, n, wait > INT_MAX ? INT_MAX : (int)wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kill(pid, SIGKILL);
			err = lg_error_set(LG_ERROR, "poll: %s", strerror(errno));
			break;
		}
		if (pout[0] >= 0) {
			ssize_t k = read(pout[0], buf, sizeof(buf));

			if (k > 0 && out->len < MAX_OUTPUT)
				lg_buf_put(out, buf, (size_t)k > MAX_OUTPUT - out->len ? MAX_OUTPUT - out->len : (size_t)k);
			if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
				close(pout[0]);
				pout[0] = -1;
			}
		}
		if (pin[1] >= 0) {
			ssize_t k = write(pin[1], in + off, inlen - off);

			if (k > 0)
				off += (size_t)k;
			if (off == inlen || (k < 0 && errno != EAGAIN && errno != EINTR)) {
				close(pin[1]);
				pin[1] = -1;
			}
		}
	}
	while (!reaped) {
		if (waitpid(pid, status, 0) >= 0)
			reaped = true;
		else if (errno != EINTR)
			break;
	}
	sigaction(SIGPIPE, &old, NULL);
	if (!err && !reaped)
		err = lg_error_set(LG_ERROR, "waitpid: %s", strerror(errno));
	if (!err && WIFEXITED(*status) && WEXITSTATUS(*status) == EXEC_FAILED)
		err = lg_error_set(LG_ERROR,
				   "signoff.verify: ssh needs %s, which could not be run (is openssh-client installed?)",
				   argv[0]);
done:
	if (pin[0] >= 0)
		close(pin[0]);
	if (pin[1] >= 0)
		close(pin[1]);
	if (pout[0] >= 0)
		close(pout[0]);
	if (pout[1] >= 0)
		close(pout[1]);
	if (devnull >= 0)
		close(devnull);
	return err;
}

static bool listed(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* Adds s to the list of principals to try, once; not empty, not a pattern
 * unless allow_pattern. */
static void try_add(char **v, size_t *n, const char *s, size_t len)
{
	char *p;

	if (!len || *n >= MAX_TRIES)
		return;
	p = lg_xstrndup(s, len);
	if (strlen(p) != len || strpbrk(p, "*?!") || listed(v, *n, p)) {
		free(p);
		return;
	}
	v[(*n)++] = p;
}

/* Whether allowed_signers may accept p for the key: find-principals named
 * it, or named a pattern (which p might match). */
static bool may_match(const char *p, char *const *found, size_t nfound, bool patterns)
{
	return patterns || listed(found, nfound, p);
}

int lg_sshsig_verify(bool *verified, char **signer, const char *sig, size_t siglen, const char *payload,
		     size_t len, const struct lg_sshsig_opts *o)
{
	struct lg_buf out = LG_BUF_INIT, path = LG_BUF_INIT;
	char *found[MAX_TRIES], *tries[MAX_TRIES];
	size_t nfound = 0, ntries = 0, i;
	bool patterns = false;
	int fd = -1, status = 0, err = 0;

	*verified = false;
	*signer = NULL;
	if (siglen < sizeof(SSH_ARMOR) - 1 || memcmp(sig, SSH_ARMOR, sizeof(SSH_ARMOR) - 1))
		return 0; /* unsigned, or not an SSH signature */
	if (!o->allowed_signers || !*o->allowed_signers)
		return lg_error_set(LG_ECONFIG, "signoff.verify: ssh needs signoff.allowed_signers");
	if ((fd = sig_fd(sig, siglen)) < 0)
		return fd;
	lg_buf_printf(&path, "/dev/fd/%d", fd);

	{
		const char *const argv[] = { "ssh-keygen", "-Y", "find-principals", "-f", o->allowed_signers,
					     "-s", path.ptr, NULL };

		if ((err = run(&status, &out, argv, fd, NULL, 0)) < 0)
			goto done;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		char *s = out.ptr;

		/* One principal per line; a line may list several, comma-separated. */
		while (*s && nfound < MAX_TRIES) {
			size_t l = strcspn(s, ",\n\r");

			if (l) {
				char *p = lg_xstrndup(s, l);

				if (strpbrk(p, "*?!"))
					patterns = true;
				if (listed(found, nfound, p))
					free(p);
				else
					found[nfound++] = p;
			}
			s += l;
			if (*s)
				s++;
		}
	}
	if (!nfound)
		goto done; /* the key is not in allowed_signers */

	for (i = 0; i < o->nprefer; i++)
		if (may_match(o->prefer[i], found, nfound, patterns))
			try_add(tries, &ntries, o->prefer[i], strlen(o->prefer[i]));
	for (i = 0; i < o->nprincipals; i++)
		if (may_match(o->principals[i], found, nfound, patterns))
			try_add(tries, &ntries, o->principals[i], strlen(o->principals[i]));
	for (i = 0; i < nfound; i++)
		try_add(tries, &ntries, found[i], strlen(found[i]));

	for (i = 0; i < ntries && !*verified; i++) {
		const char *const argv[] = { "ssh-keygen", "-Y", "verify", "-f", o->allowed_signers,
					     "-I", tries[i], "-n", "git", "-s", path.ptr, NULL };

		/* Where /dev/fd/N duplicates the descriptor, the offset is shared. */
		lseek(fd, 0, SEEK_SET);
		lg_buf_clear(&out);
		if ((err = run(&status, &out, argv, fd, payload, len)) < 0)
			goto done;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			*verified = true;
			*signer = lg_xstrdup(tries[i]);
		}
	}
done:
	for (i = 0; i < nfound; i++)
		free(found[i]);
	for (i = 0; i < ntries; i++)
		free(tries[i]);
	if (fd >= 0)
		close(fd);
	lg_buf_release(&out);
	lg_buf_release(&path);
	return err;
}

int lg_sshsig_verify_commit(bool *verified, char **signer, git_repository *repo, const git_oid *id,
			    const struct lg_sshsig_opts *o)
{
	git_buf sig = { 0 }, data = { 0 };
	int rc, err;

	*verified = false;
	*signer = NULL;
	rc = git_commit_extract_signature(&sig, &data, repo, (git_oid *)id, NULL);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return lg_error_set_git(LG_ERROR, "cannot read the signature of a pushed commit");
	err = lg_sshsig_verify(verified, signer, sig.ptr, sig.size, data.ptr, data.size, o);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return err;
}

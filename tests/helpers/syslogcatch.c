/*
 * syslogcatch — a stand-in for the syslog daemon, for the shell tests:
 * binds a Unix datagram socket at SOCKET (normally /dev/log, inside a
 * private mount namespace), prints "ready" once it listens, and appends
 * every message it receives, one per line, to OUT. It stops on SIGTERM,
 * and by itself after 60 seconds so a failing test never leaves it behind.
 *
 *   syslogcatch SOCKET OUT
 */
#ifdef HAVE_CONFIG_H
#include "build-config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr;
	struct sigaction sa;
	char msg[8192];
	int fd, out;

	if (argc != 3 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: syslogcatch SOCKET OUT\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(60);
	out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (out < 0 || fd < 0) {
		perror("syslogcatch");
		return 1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, argv[1], strlen(argv[1]));
	unlink(argv[1]);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "syslogcatch: bind %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	chmod(argv[1], 0666);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("syslogcatch: recv");
			return 1;
		}
		msg[n] = '\n';
		if (write(out, msg, (size_t)n + 1) != n + 1) {
			perror("syslogcatch: write");
			return 1;
		}
	}
	unlink(argv[1]);
	return 0;
}

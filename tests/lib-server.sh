# lib-server.sh — real git servers on 127.0.0.1 for the t45xx tests, sourced
# after test-lib.sh.
#
# The servers (sshd, lighttpd, gitolite over sshd) run as root with
# accounts this file creates, listen on loopback only, and are torn down
# by an EXIT trap: processes killed by their pid, accounts deleted, files
# removed. Everything lives under one directory in /tmp (SRV) that every
# account can reach, with its own copy of the linkgate binary, so the
# checkout's permissions do not matter. Loops that wait are bounded; a
# server that does not come up fails the test with its log.
#
# Root is required (CI runs the suite as root): without it the test fails
# with a message saying so rather than skipping.

SRV_PIDS=""
SRV_USERS=""
SRV=""

server_cleanup() {
	for pid in $SRV_PIDS; do
		kill "$pid" 2>/dev/null
	done
	for pid in $SRV_PIDS; do
		# Our own children: once they exit they stay zombies until waited
		# for, and kill -0 still finds them, so look at their state.
		n=0
		while kill -0 "$pid" 2>/dev/null && ! grep -q "^[0-9]* (.*) Z" "/proc/$pid/stat" 2>/dev/null &&
			[ $n -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for u in $SRV_USERS; do
		flock /tmp/linkgate-test-accounts.lock userdel -f "$u" >/dev/null 2>&1
	done
	[ -n "$SRV" ] && rm -rf "$SRV"
}
trap server_cleanup EXIT
trap 'exit 130' INT TERM HUP

# server_require PROGRAM...: root and the programs, or a failing test.
server_require() {
	missing=""
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || [ -x "$p" ] || missing="$missing $p"
	done
	if [ "$(id -u)" -ne 0 ]; then
		echo "not ok 1 - $test_name starts real servers and needs root (CI runs the suite as root); run make check as root"
		echo "1..1"
		exit 1
	fi
	if [ -n "$missing" ]; then
		echo "not ok 1 - $test_name needs$missing: run scripts/setup.sh, which installs the Debian packages"
		echo "1..1"
		exit 1
	fi
	SRV=$(mktemp -d /tmp/linkgate-srv.XXXXXX) || exit 1
	chmod 755 "$SRV"
	mkdir -p "$SRV/bin" "$SRV/audit" "$SRV/repos" "$SRV/keys"
	chmod 777 "$SRV/audit"
	# The accounts that run the hook share the log: it is created beforehand,
	# writable by all of them, as docs/OPERATIONS.md asks.
	: >"$SRV/audit/audit.log" && chmod 666 "$SRV/audit/audit.log"
	cp "$LINKGATE" "$SRV/bin/linkgate" && chmod 755 "$SRV/bin/linkgate"
	SRV_LINKGATE="$SRV/bin/linkgate"
}

# server_account NAME SHELL HOME: a system account, deleted at exit.
server_account() {
	mkdir -p "$3" &&
	flock /tmp/linkgate-test-accounts.lock \
		useradd --system --no-create-home --home-dir "$3" --shell "$2" --user-group "$1" &&
	SRV_USERS="$SRV_USERS $1" &&
	# "*": no password works, but the account is not locked (sshd refuses
	# a locked account even for public keys).
	flock /tmp/linkgate-test-accounts.lock usermod -p '*' "$1" &&
	chown -R "$1:$1" "$3"
}

# server_port: a port to try, different for each test script and run.
server_port() {
	echo $((20000 + ($$ * 7 + ${1:-0} * 101) % 40000))
}

# server_wait LOG PATTERN PID: waits (bounded: 10 s) until LOG shows
# PATTERN; fails with the log when the server exits or never gets there.
server_wait() {
	n=0
	while [ $n -lt 100 ]; do
		if grep -q -e "$2" "$1" 2>/dev/null; then
			return 0
		fi
		if ! kill -0 "$3" 2>/dev/null; then
			echo "the server exited; its log ($1):"
			cat "$1"
			return 1
		fi
		sleep 0.1
		n=$((n + 1))
	done
	echo "the server did not start within 10 s; its log ($1):"
	cat "$1"
	return 1
}

# server_sshd NAME AUTHORIZED_KEYS_FILE USERS: starts sshd on a free
# loopback port; sets SSHD_PORT. AUTHORIZED_KEYS_FILE is sshd's pattern
# (%u, %h...).
server_sshd() {
	mkdir -p /run/sshd &&
	ssh-keygen -q -t ed25519 -N "" -f "$SRV/$1_host_key" &&
	attempt=0 &&
	while [ $attempt -lt 10 ]; do
		SSHD_PORT=$(server_port $attempt)
		cat >"$SRV/$1_config" <<-EOF
		Port $SSHD_PORT
		ListenAddress 127.0.0.1
		HostKey $SRV/$1_host_key
		PidFile none
		AuthorizedKeysFile $2
		AllowUsers $3
		StrictModes no
		UsePAM no
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PermitRootLogin no
		UseDNS no
		PrintMotd no
		LogLevel VERBOSE
		EOF
		: >"$SRV/$1.log"
		/usr/sbin/sshd -D -e -f "$SRV/$1_config" >>"$SRV/$1.log" 2>&1 &
		pid=$!
		SRV_PIDS="$SRV_PIDS $pid"
		if server_wait "$SRV/$1.log" "Server listening on 127.0.0.1 port $SSHD_PORT" $pid >"$SRV/$1.wait"; then
			return 0
		fi
		if ! grep -q "Address already in use" "$SRV/$1.log"; then
			cat "$SRV/$1.wait"
			return 1
		fi
		attempt=$((attempt + 1))
	done
	echo "no free port for sshd after 10 tries"
	return 1
}

# ssh_client_key NAME: a key pair $SRV/keys/NAME(.pub) for the client.
ssh_client_key() {
	ssh-keygen -q -t ed25519 -N "" -C "$1" -f "$SRV/keys/$1"
}

# use_ssh_key NAME: git's ssh command for the tests' pushes.
use_ssh_key() {
	GIT_SSH_COMMAND="ssh -F /dev/null -i $SRV/keys/$1 -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
	export GIT_SSH_COMMAND
}

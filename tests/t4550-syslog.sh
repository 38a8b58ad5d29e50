#!/bin/sh
# audit.syslog: one summary line per decision reaches syslog. The hook runs
# in a private mount namespace whose /dev/log is a socket this test listens
# on, so the machine's own syslog (if any) is never touched.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-server.sh"

server_require unshare mount mknod
CATCH="$LG_BUILDDIR/tests/helpers/syslogcatch"
LOG="$TRASH/syslog.out"

# with_syslog CMD...: runs CMD with /dev/log caught into $LOG; CMD's stderr
# goes to $ERR and its status to $push_status.
with_syslog() {
	cat >"$TRASH/inner.sh" <<-\EOF
	set -u
	mount -t tmpfs tmpfs /dev || exit 90
	mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 &&
	mknod -m 666 /dev/random c 1 8 && mknod -m 666 /dev/urandom c 1 9 &&
	ln -s /proc/self/fd /dev/fd || exit 90
	"$CATCH" /dev/log "$LOG" >"$TRASH/catch.ready" 2>"$TRASH/catch.err" &
	catcher=$!
	n=0
	while ! grep -q ready "$TRASH/catch.ready" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt 100 ] || ! kill -0 $catcher 2>/dev/null; then
			cat "$TRASH/catch.err" >&2
			exit 91
		fi
		sleep 0.1
	done
	"$@" 2>"$ERR"
	status=$?
	kill $catcher
	wait $catcher
	exit $status
	EOF
	CATCH="$CATCH" LOG="$LOG" TRASH="$TRASH" ERR="$ERR" \
		unshare --mount --propagation private sh "$TRASH/inner.sh" "$@"
	push_status=$?
	return 0
}

test_setup 'set up a server whose audit trail is syslog, and a clone' '
	write_test_config trailer &&
	cat >>"$TRASH/linkgate.yml" <<-\CFG &&
	audit: {syslog: true}
	bypass: {push_option: linkgate.bypass, allowed: [pat]}
	CFG
	make_server srv "$TRASH/linkgate.yml" &&
	git --git-dir=srv.git config receive.advertisePushOptions true &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial"
'

test_expect_success 'an accepted push sends one summary line' '
	with_syslog env REMOTE_USER=pat git push -q origin main &&
	expect_status "$push_status" 0 &&
	test "$(wc -l <"$LOG")" -eq 1 &&
	expect_grep "^<14>.*linkgate\[[0-9]*\]: accept repo=\"$TRASH/srv.git\" pusher=\"pat\" refs=1 commits=1 findings=0 errors=0 warnings=0 duration_ms=[0-9]*$" "$LOG"
'

test_expect_success 'a rejection is a notice naming the counts' '
	bare_linkname_go | write_file r/r.go && commit_all "bad" &&
	with_syslog env REMOTE_USER="mal\"lory" git push -q origin HEAD:main &&
	test "$push_status" -ne 0 &&
	expect_grep "^<13>.*linkgate\[[0-9]*\]: reject repo=.* pusher=\"mal\\\\\"lory\" refs=1 commits=1 findings=1 errors=[1-9]" "$LOG"
'

test_expect_success 'break-glass with syslog as the audit trail is recorded there' '
	with_syslog env REMOTE_USER=pat git push -q -o "linkgate.bypass=hotfix INC-9" origin HEAD:main &&
	expect_status "$push_status" 0 &&
	expect_grep "BYPASS" "$ERR" &&
	expect_grep "^<13>.*: warn repo=.* bypass=used reason=\"hotfix INC-9\"" "$LOG" &&
	test "$(wc -l <"$LOG")" -eq 3
'

test_done

#!/bin/sh
# Adversarial: the hook interrupted — SIGTERM while it reads its input and
# while a policy runs, and a client that disconnects mid-hook. An
# interrupted hook never exits 0, leaves no policy process behind, and git
# updates no ref.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

cat >"$TRASH/spin.lua" <<-\LUA
local lg = require "linkgate"
lg.rule { id = "test.spin", on = "linkname", severity = "error",
  check = function(f) while true do end end }
LUA
cat >"$TRASH/spin.yml" <<-CFG
policies: ["$TRASH/spin.lua"]
limits: {timeout_ms: 60000, lua_instructions: 2000000000}
CFG
write_test_config trailer

test_setup 'set up a server, a clone and a bad commit' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted &&
	git checkout -q -b bad && bare_linkname_go | write_file b/b.go && commit_all "bad" &&
	git push -q ../srv.git bad:refs/review/bad 2>/dev/null && cd .. &&
	BAD=$(git -C work rev-parse bad) &&
	printf "%s %s refs/heads/bad\n" $Z40 $BAD >in
'

# children PID: the pids of PID's children (Linux /proc), without a fork.
children() {
	kids=
	read -r kids <"/proc/$1/task/$1/children" 2>/dev/null # no newline: read fails, yet sets kids
	echo "$kids"
}

test_expect_success 'SIGTERM while the hook reads its input: killed, not accepted' '
	rm -f fifo && mkfifo fifo &&
	(cd srv.git && GIT_DIR=. exec "$LINKGATE" pre-receive) <fifo 2>term.err &
	pid=$! && exec 7>fifo &&
	printf "%s %s refs/heads/bad\n" $Z40 $BAD >&7 &&
	kill -TERM $pid && wait $pid; status=$?; exec 7>&- &&
	expect_status $status 143 &&
	expect_lines 0 term.err
'

# The policy child spins; the parent waits for it. Killing the parent must
# take the child with it, not leave it burning CPU until its own limit.
test_expect_success 'SIGTERM while a policy runs: the hook and its policy process both end' '
	(cd srv.git && GIT_DIR=. exec "$LINKGATE" pre-receive --config "$TRASH/spin.yml") <in 2>spin.err &
	pid=$! && i=0 && kid= &&
	while [ -z "$kid" ] && [ $i -lt 2000000 ] && kill -0 $pid 2>/dev/null; do
		kid=$(children $pid); i=$((i + 1))
	done &&
	test -n "$kid" && echo "hook $pid, policy process $kid" &&
	kill -TERM $pid && wait $pid; status=$? &&
	expect_status $status 143 &&
	i=0 && while kill -0 $kid 2>/dev/null && [ $i -lt 2000000 ]; do i=$((i + 1)); done &&
	! kill -0 $kid 2>/dev/null
'

test_expect_success 'the hook stopped by SIGKILL leaves no policy process either' '
	(cd srv.git && GIT_DIR=. exec "$LINKGATE" pre-receive --config "$TRASH/spin.yml") <in 2>kill.err &
	pid=$! && i=0 && kid= &&
	while [ -z "$kid" ] && [ $i -lt 2000000 ] && kill -0 $pid 2>/dev/null; do
		kid=$(children $pid); i=$((i + 1))
	done &&
	test -n "$kid" &&
	kill -KILL $pid && wait $pid; status=$? &&
	expect_status $status 137 &&
	i=0 && while kill -0 $kid 2>/dev/null && [ $i -lt 2000000 ]; do i=$((i + 1)); done &&
	! kill -0 $kid 2>/dev/null
'

# The pusher vanishes: the hook's stderr (the pusher's terminal, through
# git) is a pipe nobody reads. Writing its verdict must not turn into an
# accept.
test_expect_success 'a client gone before the verdict: the hook still exits non-zero' '
	{ (cd srv.git && GIT_DIR=. "$LINKGATE" pre-receive --config "$TRASH/linkgate.yml") <in 2>&1 >/dev/null;
	  echo $? >gone.status; } | true &&
	status=$(cat gone.status) && echo "status $status" &&
	test "$status" -ne 0
'

# The same through git: a push stream replayed into receive-pack whose
# client reads the ref advertisement and hangs up. The hook's remote:
# lines go to a closed side band.
test_expect_success 'a client that disconnects mid-hook: no ref is updated' '
	l="$Z40 $BAD refs/heads/gone" &&
	caps="report-status side-band-64k" &&
	{ printf "%04x%s\0%s\n" $((${#l} + ${#caps} + 6)) "$l" "$caps"; printf 0000;
	  echo $BAD | git -C work pack-objects -q --revs --stdout; } >gone.stream &&
	adv=$(git receive-pack --advertise-refs srv.git | wc -c) &&
	{ git receive-pack srv.git <gone.stream; echo $? >rp.status; } | head -c $adv >/dev/null;
	echo "receive-pack exit $(cat rp.status)" &&
	test -z "$(git --git-dir=srv.git for-each-ref refs/heads/gone)"
'

test_done

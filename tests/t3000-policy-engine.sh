#!/bin/sh
# The policy engine behind real pushes: lg.log lines reach the pusher
# escaped, Lua starts only for a push with findings, and a policy stuck in
# a C function is stopped at the deadline by the hook, which still reports.
. "$LG_SRCDIR/tests/test-lib.sh"

cat >"$TRASH/linkgate.yml" <<CFG
policies:
  - $DATA/policy-engine/engine.lua
limits: {timeout_ms: 1000}
CFG

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'a push without findings never loads a policy' '
	echo "// more" >>m.go && commit_all "more" &&
	push origin main && expect_push_accepted &&
	expect_no_grep "policy log" "$ERR"
'

test_expect_success 'lg.log lines reach the pusher, prefixed and escaped' '
	git checkout -q -b log origin/main &&
	echo "LDFLAGS=-checklinkname=0" >build.mk && commit_all "flag" &&
	push origin HEAD:main && expect_push_accepted &&
	expect_grep "^remote: linkgate: policy log: engine.lua loaded" "$ERR" &&
	expect_grep "^remote: linkgate: policy log: saw.tbuild.mk.t.e.31mred.e.0m" "$ERR" &&
	! grep -q "$(printf "\033")" "$ERR"
'

test_expect_success 'a policy stuck in a catastrophic pattern is stopped at the deadline' '
	git checkout -q -b slow origin/main &&
	{ printf "LDFLAGS=-checklinkname=0 "; head -c 20000 /dev/zero | tr "\\0" a; echo; } >slow.mk &&
	commit_all "slow flag" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: policy .*engine.lua: rule .engine.pattern. on slow.mk:1: time limit reached (limits.timeout_ms: 1000)" "$ERR" &&
	expect_grep "was stopped" "$ERR"
'

test_expect_success 'the same with on_error: accept is a logged accept' '
	cat >"$TRASH/accept.yml" <<-CFG &&
	policies: ["$DATA/policy-engine/engine.lua"]
	limits: {timeout_ms: 1000}
	on_error: accept
	CFG
	git init -q --bare ../acc.git && "$LINKGATE" install --config "$TRASH/accept.yml" ../acc.git >/dev/null &&
	push ../acc.git HEAD:refs/heads/main && expect_push_accepted &&
	expect_grep "time limit reached" "$ERR"
'

test_done

#!/bin/sh
# Adversarial: pushes built to exhaust the hook — 100,000 commits, huge
# blobs, millions of findings and violations, files that repeat a megabyte
# over thousands of directives. Each limit rejects with a message that
# names it, early, in bounded memory, and the one deadline
# (limits.timeout_ms) holds across walking, reading and detection. t1300
# has the first max_blob_mb, output-cap and Lua time-limit cases.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

# A sanitizer build reserves terabytes of address space: no ulimit -v there.
if nm "$LINKGATE" 2>/dev/null | grep -q __asan_init; then
	SAN=1
else
	SAN=
fi
# push_memcap ARGS...: push (test-lib.sh) with the address space of git and
# the hook capped at 1.5 GiB, so a memory bomb fails the test instead of
# the machine (not under ASan).
push_memcap() {
	if [ -z "$SAN" ]; then
		(ulimit -v 1500000 && git push "$@") >"$TRASH/push.out" 2>"$ERR"
	else
		git push "$@" >"$TRASH/push.out" 2>"$ERR"
	fi
	push_status=$?
	return 0
}

write_test_config trailer

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted && cd ..
'

# mkserver NAME YAML: a server with its own configuration.
mkserver() {
	printf "$2" >"$TRASH/$1.yml" &&
	git init -q --bare "$TRASH/$1.git" &&
	"$LINKGATE" install --config "$TRASH/$1.yml" "$TRASH/$1.git" >/dev/null
}

test_expect_success 'a 100,000-commit push over limits.max_commits is refused by that limit' '
	mkserver many "limits: {max_commits: 99999, timeout_ms: 120000}\n" &&
	git init -q hist && cd hist && fast_commits 100000 refs/heads/main "" &&
	test "$(git rev-list --count main)" -eq 100000 &&
	push ../many.git main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: the push adds more than 99999 commits (limits.max_commits)" "$ERR" &&
	test -z "$(git --git-dir=../many.git for-each-ref)"
'

test_expect_success 'exactly max_commits commits pass that limit; one more does not' '
	mkserver edge "limits: {max_commits: 1000}\n" && mkserver edge2 "limits: {max_commits: 1000}\n" &&
	git init -q edge && cd edge && fast_commits 1001 refs/heads/main "" &&
	push ../edge.git main~1:refs/heads/main && expect_push_accepted &&
	push ../edge2.git main:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: the push adds more than 1000 commits (limits.max_commits)" "$ERR"
'

test_expect_success 'the time limit stops a long walk: rejected with the reason, on time' '
	mkserver slowwalk "limits: {timeout_ms: 200}\n" &&
	git -C hist push -q ../slowwalk.git main:refs/review/x 2>/dev/null &&
	printf "%s %s refs/heads/main\n" $Z40 $(git -C hist rev-parse main) >in &&
	t0=$(now_ms) && hook_run slowwalk.git "$TRASH/slowwalk.yml" <in && t1=$(now_ms) &&
	expect_status $hook_status 3 &&
	expect_grep "linkgate: push rejected: time limit reached (limits.timeout_ms: 200)" "$TRASH/hook.err" &&
	echo "elapsed $((t1 - t0)) ms" && test $((t1 - t0)) -lt 1200
'

# 2,000 commits of 10 KB files that mention the needle inside a block
# comment: all lexed, no finding, so only the deadline can stop it.
test_expect_success 'the time limit stops detection over many files: rejected, on time' '
	mkserver slowscan "limits: {timeout_ms: 50}\n" &&
	git init -q scan && cd scan &&
	awk "BEGIN { for (i = 0; i < 2000; i++) {
		printf \"commit refs/heads/main\\ncommitter C <c@e> %d +0000\\ndata 2\\nc\\n\", 1767225600 + i
		printf \"M 100644 inline d%d/f.go\\ndata <<EOD\\npackage p\\n/*\\n\", i
		for (k = 0; k < 300; k++) printf \"//go:linkname f%d runtime.f%d\\n\", k, i
		printf \"*/\\nEOD\\n\\n\" } }" | git fast-import --quiet &&
	git push -q ../slowscan.git main:refs/review/x 2>/dev/null && cd .. &&
	printf "%s %s refs/heads/main\n" $Z40 $(git -C scan rev-parse main) >in &&
	t0=$(now_ms) && hook_run slowscan.git "$TRASH/slowscan.yml" <in && t1=$(now_ms) &&
	expect_status $hook_status 3 &&
	expect_grep "linkgate: push rejected: time limit reached (limits.timeout_ms: 50)" "$TRASH/hook.err" &&
	echo "elapsed $((t1 - t0)) ms" && test $((t1 - t0)) -lt 1050
'

test_expect_success 'the time limit stops a policy stuck in a loop: rejected, on time' '
	cat >spin.lua <<-\LUA &&
	local lg = require "linkgate"
	lg.rule { id = "test.spin", on = "linkname", severity = "error",
	  check = function(f) while true do end end }
	LUA
	mkserver spin "policies: [\"$TRASH/spin.lua\"]\nlimits: {timeout_ms: 300, lua_instructions: 2000000000}\n" &&
	cd work && git checkout -q -b spin origin/main &&
	bare_linkname_go >spin.go && commit_all "spin" &&
	git push -q ../spin.git HEAD:refs/review/spin 2>/dev/null &&
	printf "%s %s refs/heads/main\n" $Z40 $(git rev-parse HEAD) >../in && cd .. &&
	t0=$(now_ms) && hook_run spin.git "$TRASH/spin.yml" <in && t1=$(now_ms) &&
	expect_status $hook_status 3 &&
	expect_grep "time limit" "$TRASH/hook.err" &&
	echo "elapsed $((t1 - t0)) ms" && test $((t1 - t0)) -lt 1300
'

test_expect_success 'a blob over max_blob_mb that holds -checklinkname is a limit rejection' '
	mkserver blob "limits: {max_blob_mb: 1}\n" &&
	cd work && git checkout -q -b bigflag origin/main &&
	{ awk "BEGIN { for (i = 0; i < 70000; i++) print \"# filler line \" i }"; echo "LDFLAGS = -checklinkname=0"; } >Makefile &&
	commit_all "big makefile" &&
	push ../blob.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: Makefile: a 1 MiB file that mentions checklinkname exceeds limits.max_blob_mb (1)" "$ERR"
'

test_expect_success '20,000 directives in one file stop at limits.max_findings' '
	cd work && git checkout -q -b findings origin/main &&
	{ printf "package p\n\nimport _ \"unsafe\"\n\n"; awk "BEGIN { for (i = 0; i < 20000; i++) print \"//go:linkname f\" i \" runtime.f\" i }"; } >f.go &&
	commit_all "20000 directives" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: the push adds more than 10000 findings (limits.max_findings)" "$ERR" &&
	test "$(grep -c "^remote: " "$ERR")" -eq 1
'

test_expect_success 'a megabyte rationale over 20,000 directives: bounded memory, limit message' '
	cd work && git checkout -q -b bomb origin/main &&
	awk "BEGIN { printf \"package p\\n\\nimport _ \\\"unsafe\\\"\\n\\n// linkname rationale:\\n// why: \";
		for (i = 0; i < 100000; i++) printf \"0123456789\"; print \"\";
		for (i = 0; i < 20000; i++) print \"//go:linkname f runtime.f\" }" >bomb.go &&
	commit_all "rationale bomb" &&
	push_memcap origin HEAD:main &&
	expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: the push adds more than 10000 findings (limits.max_findings)" "$ERR"
'

test_expect_success '50,000 flags on one long line: bounded memory, limit message' '
	cd work && git checkout -q -b flagline origin/main &&
	awk "BEGIN { for (i = 0; i < 50000; i++) printf \"-checklinkname=0 \"; print \"\" }" >build.sh &&
	commit_all "flag line" &&
	push_memcap origin HEAD:main &&
	expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: the push adds more than 10000 findings (limits.max_findings)" "$ERR"
'

test_expect_success 'a long flag line under the limit: findings carry a window, not the line' '
	cd work && git checkout -q -b window origin/main &&
	awk "BEGIN { for (i = 0; i < 100000; i++) printf \"x\"; printf \" -checklinkname=0 \"; for (i = 0; i < 100000; i++) printf \"y\"; print \"\" }" >w.sh &&
	commit_all "window" &&
	"$LINKGATE" check --format json --known origin/main HEAD >"$TRASH/window.json"; test $? -eq 1 &&
	grep -q "\"spelling\": \"-checklinkname=0\"" "$TRASH/window.json" &&
	test "$(wc -c <"$TRASH/window.json")" -lt 100000
'

test_expect_success 'one flagged megabyte blob at 2,000 paths: stopped by a limit, not memory' '
	mkserver paths "limits: {timeout_ms: 4000}\n" &&
	cd work && git checkout -q -b paths origin/main &&
	awk "BEGIN { for (i = 0; i < 20000; i++) print \"go build -ldflags=-checklinkname=0 ./... # padding padding\" }" >one.sh &&
	blob=$(git hash-object -w one.sh) && rm one.sh &&
	i=0 && while [ $i -lt 2000 ]; do echo "100644 $blob	p$i.sh"; i=$((i + 1)); done >"$TRASH/idx" &&
	git update-index --index-info <"$TRASH/idx" && git commit -q -m "2000 copies" &&
	push_memcap ../paths.git HEAD:refs/heads/main &&
	expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: a commit changes files that hold more than 100000 -checklinkname flags (10 x limits.max_findings)" "$ERR"
'

# 100,000 violations: 1,000 findings, a policy of 100 rules that each
# fail every one. The report is capped; the count is exact.
test_expect_success '100,000 violations: output capped at max_output_lines, the rest counted' '
	cat >many.lua <<-\LUA &&
	local lg = require "linkgate"
	for i = 1, 100 do
	  lg.rule { id = "test.r" .. i, on = "linkname", severity = "error",
	    check = function(f) return "no" end }
	end
	LUA
	mkserver hundredk "policies: [\"$TRASH/many.lua\"]\nlimits: {timeout_ms: 120000, max_output_lines: 30}\n" &&
	cd work && git checkout -q -b hundredk origin/main &&
	{ printf "package p\n\nimport _ \"unsafe\"\n\n"; awk "BEGIN { for (i = 0; i < 1000; i++) print \"//go:linkname f\" i \" runtime.f\" i }"; } >many.go &&
	commit_all "a thousand directives" &&
	push ../hundredk.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: 100000 violations of policy (100000 errors) in 1 commit" "$ERR" &&
	expect_grep "remote: linkgate: \\.\\.\\. and [0-9]* more violations not shown" "$ERR" &&
	test "$(grep -c "^remote: " "$ERR")" -le 30
'

# A million: past what the policy engine collects; a limit, not a flood.
test_expect_success 'a million violations: a limit rejection in one line' '
	sed -e "s/for i = 1, 100 do/for i = 1, 1000 do/" many.lua >million.lua &&
	mkserver million "policies: [\"$TRASH/million.lua\"]\nlimits: {timeout_ms: 120000, max_output_lines: 30}\n" &&
	cd work && git checkout -q hundredk &&
	push ../million.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: policy evaluation: more than 100000 violations" "$ERR" &&
	test "$(grep -c "^remote: " "$ERR")" -eq 1
'

test_done

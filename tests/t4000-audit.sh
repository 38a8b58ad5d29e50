#!/bin/sh
# The audit trail of real pushes: audit.log lines parsed back, the metrics
# file parsed as Prometheus text and counted against the pushes (also after
# 20 concurrent ones), break-glass granted and refused, hostile push
# options, and audit or metrics paths that cannot be written.
. "$LG_SRCDIR/tests/test-lib.sh"

JSONCHECK="$LG_BUILDDIR/tests/helpers/jsoncheck"
PROMCHECK="$LG_BUILDDIR/tests/helpers/promcheck"
AUDIT="$TRASH/audit/audit.log"
PROM="$TRASH/audit/linkgate.prom"

write_audit_config() {
	cat >"$TRASH/linkgate.yml" <<-CFG
	signoff:
	  team:
	    - {user: pat, email: pat@example.com}
	  verify: trailer
	bypass: {push_option: linkgate.bypass, allowed: [pat, "ops lead"]}
	audit: {log: "$AUDIT", metrics: "$PROM"}
	${1:-}
	CFG
}

# lines: how many lines the audit log holds, each checked to be a JSON object.
lines() {
	"$JSONCHECK" count "$AUDIT"
}

# last PATH: a value of the last audit line.
last() {
	"$JSONCHECK" get "$AUDIT" -1 "$1"
}

expect_eq() {
	if [ "$1" != "$2" ]; then
		echo "expected '$2', got '$1'"
		return 1
	fi
}

metric() {
	"$PROMCHECK" "$PROM" "$1"
}

mkdir -p "$TRASH/audit"
write_audit_config

test_setup 'set up a server with audit log and metrics, and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	git --git-dir=srv.git config receive.advertisePushOptions true &&
	make_clone work srv &&
	cd work &&
	echo "module example.com/m" >go.mod && echo "package m" >m.go &&
	commit_all "initial" &&
	git tag clean &&
	REMOTE_USER=pat push origin main && expect_push_accepted
'

test_expect_success 'every decision is one JSON line holding every field' '
	expect_eq "$(lines)" 1 &&
	"$JSONCHECK" keys "$AUDIT" 1 v time hook repository pusher client refs push_options verdict \
		policy_verdict mode exit error audit_error bypass counts violations findings commits duration_ms linkgate &&
	expect_eq "$(last .verdict)" accept &&
	expect_eq "$(last .pusher)" pat &&
	expect_eq "$(last .hook)" pre-receive &&
	expect_eq "$(last .repository)" "$TRASH/srv.git" &&
	expect_eq "$(last .refs[0].ref)" refs/heads/main &&
	expect_eq "$(last .refs[0].new)" "$(git rev-parse HEAD)" &&
	expect_eq "$(last .refs[0].verdict)" accept &&
	expect_eq "$(last .exit)" 0 &&
	expect_eq "$(last .bypass)" null &&
	last .time | grep -q "^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9][0-9][0-9]Z$" &&
	test "$(last .duration_ms)" -ge 0
'

test_expect_success 'a rejected push is audited with its findings and rule ids' '
	git checkout -q -b bad origin/main &&
	bare_linkname_go | write_file rand/rand.go && commit_all "use fastrand" &&
	REMOTE_USER=pat push origin HEAD:main && expect_push_rejected &&
	expect_eq "$(lines)" 2 &&
	expect_eq "$(last .verdict)" reject &&
	expect_eq "$(last .exit)" 1 &&
	expect_eq "$(last .counts.findings)" 1 &&
	expect_eq "$(last .findings[0].kind)" linkname &&
	expect_eq "$(last .findings[0].path)" rand/rand.go &&
	expect_eq "$(last .findings[0].target)" runtime.fastrand &&
	expect_eq "$(last .findings[0].commit)" "$(git rev-parse HEAD)" &&
	last .findings[0].rules | grep -q "\"linkname.rationale\"" &&
	last .violations | grep -q "\"rule\":\"linkname.signoff\"" &&
	expect_eq "$(last .commits[0].summary)" "use fastrand" &&
	expect_eq "$(last .refs[0].verdict)" reject
'

test_expect_success 'the metrics file parses as Prometheus text and counts the pushes' '
	"$PROMCHECK" "$PROM" >/dev/null &&
	expect_eq "$(metric "linkgate_pushes_total{hook=\"pre-receive\"}")" 2 &&
	expect_eq "$(metric "linkgate_verdicts_total{verdict=\"accept\"}")" 1 &&
	expect_eq "$(metric "linkgate_verdicts_total{verdict=\"reject\"}")" 1 &&
	expect_eq "$(metric "linkgate_findings_total{kind=\"linkname\"}")" 1 &&
	expect_eq "$(metric "linkgate_violations_total{rule=\"linkname.rationale\",severity=\"error\"}")" 1 &&
	expect_eq "$(metric "linkgate_linkname_targets_total{target=\"runtime.fastrand\"}")" 1 &&
	expect_eq "$(metric linkgate_hook_duration_seconds_count)" 2 &&
	test ! -e "$PROM.linkgate-tmp"
'

test_expect_success 'a linkname into another module is counted as target other' '
	git checkout -q -b mod origin/main &&
	write_file dep/dep.go <<-\GO &&
	package dep

	import _ "unsafe"

	//go:linkname f github.com/evil/pkg.Secret
	func f()
	GO
	commit_all "into a module" &&
	REMOTE_USER=pat push origin HEAD:main && expect_push_rejected &&
	expect_eq "$(metric "linkgate_linkname_targets_total{target=\"other\"}")" 1 &&
	! grep -q evil "$PROM"
'

test_expect_success 'break-glass: a listed pusher with a reason is accepted, findings still shown, audited' '
	git checkout -q bad &&
	REMOTE_USER=pat push -o "linkgate.bypass=prod is down, INC-42" origin HEAD:main && expect_push_accepted &&
	expect_grep "remote: linkgate: BYPASS: push accepted despite policy errors, by pat: \"prod is down, INC-42\"" "$ERR" &&
	expect_grep "linkname.rationale" "$ERR" &&
	expect_grep "rand/rand.go:5" "$ERR" &&
	test "$(git --git-dir=../srv.git rev-parse main)" = "$(git rev-parse HEAD)" &&
	expect_eq "$(last .verdict)" warn &&
	expect_eq "$(last .policy_verdict)" reject &&
	expect_eq "$(last .bypass.granted)" true &&
	expect_eq "$(last .bypass.used)" true &&
	expect_eq "$(last .bypass.reason)" "prod is down, INC-42" &&
	expect_eq "$(last .push_options[0].value)" "linkgate.bypass=prod is down, INC-42" &&
	expect_eq "$(metric "linkgate_verdicts_total{verdict=\"bypass\"}")" 1 &&
	expect_eq "$(metric "linkgate_bypass_requests_total{result=\"granted\"}")" 1
'

test_expect_success 'break-glass: a pusher not listed is refused, and audited' '
	git checkout -q -b bad2 origin/main &&
	bare_linkname_go | write_file rand2/rand.go && commit_all "again" &&
	REMOTE_USER=mallory push -o "linkgate.bypass=trust me" origin HEAD:main && expect_push_rejected &&
	expect_grep "remote: linkgate: bypass refused: the pusher is not listed in bypass.allowed" "$ERR" &&
	expect_grep "linkname.rationale" "$ERR" &&
	expect_eq "$(last .verdict)" reject &&
	expect_eq "$(last .pusher)" mallory &&
	expect_eq "$(last .bypass.granted)" false &&
	expect_eq "$(last .bypass.refused)" "the pusher is not listed in bypass.allowed" &&
	expect_eq "$(last .bypass.reason)" "trust me" &&
	expect_eq "$(metric "linkgate_bypass_requests_total{result=\"refused\"}")" 1
'

test_expect_success 'break-glass: an empty reason is refused' '
	REMOTE_USER=pat push -o "linkgate.bypass=" origin HEAD:main && expect_push_rejected &&
	expect_grep "bypass refused: a reason is mandatory" "$ERR" &&
	REMOTE_USER=pat push -o "linkgate.bypass" origin HEAD:main && expect_push_rejected &&
	expect_grep "bypass refused: a reason is mandatory" "$ERR" &&
	expect_eq "$(last .bypass.refused)" "a reason is mandatory"
'

test_expect_success 'break-glass: no pusher identity, no bypass' '
	push -o "linkgate.bypass=fire" origin HEAD:main && expect_push_rejected &&
	expect_grep "bypass refused: the pusher is unknown" "$ERR" &&
	expect_eq "$(last .pusher)" null
'

test_expect_success 'a push option alone never enables break-glass' '
	printf "audit: {log: \"%s\"}\n" "$TRASH/audit/other.log" >"$TRASH/nobypass.yml" &&
	git init -q --bare ../nobypass.git &&
	git --git-dir=../nobypass.git config receive.advertisePushOptions true &&
	"$LINKGATE" install --config "$TRASH/nobypass.yml" ../nobypass.git >/dev/null &&
	REMOTE_USER=pat push -o "linkgate.bypass=fire" ../nobypass.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_no_grep "BYPASS" "$ERR" &&
	expect_eq "$("$JSONCHECK" get "$TRASH/audit/other.log" -1 .bypass)" null
'

test_expect_success 'a listed name with a space works as written' '
	REMOTE_USER="ops lead" push -o "linkgate.bypass=release blocker" origin HEAD:main && expect_push_accepted &&
	expect_eq "$(last .pusher)" "ops lead"
'

test_expect_success 'control bytes in push options and pusher never reach the terminal or break the log' '
	git checkout -q -b ctl origin/main && bare_linkname_go | write_file ctl/c.go && commit_all "ctl" &&
	REMOTE_USER="$(printf "ev\033[31mil\377")" push -o "$(printf "linkgate.bypass=\033[2J\033]0;pwn\007")" origin HEAD:main &&
	expect_push_rejected &&
	! grep -q "$(printf "\033")" "$ERR" &&
	expect_grep "bypass refused" "$ERR" &&
	"$JSONCHECK" count "$AUDIT" >/dev/null &&
	expect_eq "$(last .pusher_b64)" "$(printf "ev\033[31mil\377" | base64)" &&
	last .push_options[0].value | grep -q "linkgate.bypass=" &&
	"$PROMCHECK" "$PROM" >/dev/null
'

test_expect_success 'a 100 KB push option is bounded in the output and the audit line' '
	big=$(awk "BEGIN { s = \"\"; for (i = 0; i < 102400; i++) s = s \"x\"; printf \"%s\", s }") &&
	newid=$(git --git-dir=../srv.git rev-parse main) &&
	echo "0000000000000000000000000000000000000000 $newid refs/heads/big" >../in.txt &&
	(
		GIT_DIR=../srv.git REMOTE_USER=pat GIT_PUSH_OPTION_COUNT=1 GIT_PUSH_OPTION_0="linkgate.bypass=$big" &&
		export GIT_DIR REMOTE_USER GIT_PUSH_OPTION_COUNT GIT_PUSH_OPTION_0 &&
		"$LINKGATE" pre-receive --config "$TRASH/linkgate.yml" <../in.txt 2>../big.err
	) &&
	test "$(wc -c <../big.err)" -lt 20000 &&
	expect_grep "bytes, cut" ../big.err &&
	expect_eq "$(last .push_options[0].bytes)" 102416 &&
	test "$(last .push_options[0].value | wc -c)" -le 1025 &&
	expect_eq "$(last .bypass.reason_bytes)" 102400
'

test_expect_success 'GitLab web pushes get GL-HOOK-ERR: on every line, the bypass line too' '
	REMOTE_USER=pat GL_PROTOCOL=web push -o "linkgate.bypass=web" origin HEAD:refs/heads/main &&
	grep "^remote: " "$ERR" | grep -v "^remote: GL-HOOK-ERR:" | grep -v "^remote: *$" >../nonprefixed || true &&
	test ! -s ../nonprefixed &&
	expect_grep "remote: GL-HOOK-ERR: linkgate: BYPASS" "$ERR"
'

test_expect_success '20 concurrent pushes: every line whole, metrics counting all of them' '
	before=$(lines) && pushes=$(metric "linkgate_pushes_total{hook=\"pre-receive\"}") &&
	i=0 && while [ $i -lt 20 ]; do
		git checkout -q -b c$i origin/main && echo "package c$i" >c$i.go && commit_all "c$i" || return 1
		i=$((i + 1))
	done &&
	i=0 && while [ $i -lt 20 ]; do
		( REMOTE_USER=pat git push -q ../srv.git c$i:refs/heads/c$i >/dev/null 2>&1; echo $? >../status.$i ) &
		i=$((i + 1))
	done &&
	wait &&
	cat ../status.* | sort -u >../statuses && expect_eq "$(cat ../statuses)" 0 &&
	expect_eq "$(lines)" $((before + 20)) &&
	"$PROMCHECK" "$PROM" >/dev/null &&
	expect_eq "$(metric "linkgate_pushes_total{hook=\"pre-receive\"}")" $((pushes + 20)) &&
	expect_eq "$("$PROMCHECK" "$PROM" --sum "linkgate_verdicts_total{")" "$(lines)" &&
	expect_eq "$(metric linkgate_hook_duration_seconds_count)" "$(lines)"
'

test_expect_success 'an unwritable audit log rejects the push and says why' '
	write_audit_config && sed -e "s|log: \"$AUDIT\"|log: \"$TRASH/missing/dir/audit.log\"|" "$TRASH/linkgate.yml" >"$TRASH/broken.yml" &&
	git init -q --bare ../b1.git && "$LINKGATE" install --config "$TRASH/broken.yml" ../b1.git >/dev/null &&
	push ../b1.git clean:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: cannot open the audit log $TRASH/missing/dir/audit.log" "$ERR" &&
	push ../b1.git clean:refs/heads/main && expect_push_rejected &&
	expect_grep "cannot open the audit log" "$ERR"
'

test_expect_success 'with on_error: accept, an unwritable audit log accepts and says so' '
	write_audit_config "on_error: accept" &&
	sed -e "s|log: \"$AUDIT\"|log: \"$TRASH/missing/dir/audit.log\"|" "$TRASH/linkgate.yml" >"$TRASH/broken-accept.yml" &&
	git init -q --bare ../b2.git && "$LINKGATE" install --config "$TRASH/broken-accept.yml" ../b2.git >/dev/null &&
	push ../b2.git clean:refs/heads/main && expect_push_accepted &&
	expect_grep "remote: linkgate: warning: cannot open the audit log .*; push accepted because on_error is accept" "$ERR"
'

test_expect_success 'an unwritable metrics file rejects; with on_error: accept the log records the problem' '
	write_audit_config &&
	sed -e "s|metrics: \"$PROM\"|metrics: \"$TRASH/missing/m.prom\"|" "$TRASH/linkgate.yml" >"$TRASH/badm.yml" &&
	git init -q --bare ../b3.git && "$LINKGATE" install --config "$TRASH/badm.yml" ../b3.git >/dev/null &&
	push ../b3.git clean:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: cannot open the metrics lock" "$ERR" &&
	expect_eq "$(last .verdict)" reject &&
	expect_eq "$(last .exit)" 3 &&
	last .audit_error | grep -q "metrics lock" &&
	write_audit_config "on_error: accept" &&
	sed -e "s|metrics: \"$PROM\"|metrics: \"$TRASH/missing/m.prom\"|" "$TRASH/linkgate.yml" >"$TRASH/badm2.yml" &&
	git init -q --bare ../b4.git && "$LINKGATE" install --config "$TRASH/badm2.yml" ../b4.git >/dev/null &&
	push ../b4.git clean:refs/heads/main && expect_push_accepted &&
	expect_grep "push accepted because on_error is accept" "$ERR" &&
	expect_eq "$(last .verdict)" accept &&
	last .audit_error | grep -q "metrics lock"
'

test_expect_success 'a bypass that cannot be written to the audit log is refused even with on_error: accept' '
	write_audit_config "on_error: accept" &&
	sed -e "s|log: \"$AUDIT\"|log: \"$TRASH/missing/dir/audit.log\"|" "$TRASH/linkgate.yml" >"$TRASH/b5.yml" &&
	git init -q --bare ../b5.git && git --git-dir=../b5.git config receive.advertisePushOptions true &&
	"$LINKGATE" install --config "$TRASH/b5.yml" ../b5.git >/dev/null &&
	git checkout -q bad &&
	REMOTE_USER=pat push -o "linkgate.bypass=fire" ../b5.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "break-glass refused: a bypass must reach the audit log" "$ERR"
'

test_expect_success 'an error that decides the push is audited with its kind' '
	write_audit_config "limits: {max_commits: 1}" && cp "$TRASH/linkgate.yml" "$TRASH/lim.yml" && write_audit_config &&
	git init -q --bare ../b6.git && "$LINKGATE" install --config "$TRASH/lim.yml" ../b6.git >/dev/null &&
	push ../b6.git bad:refs/heads/main && expect_push_rejected &&
	expect_eq "$(last .error.kind)" limit &&
	expect_eq "$(last .exit)" 3 &&
	expect_eq "$(last .verdict)" reject &&
	expect_eq "$(metric "linkgate_errors_total{kind=\"limit\"}")" 1
'

test_done

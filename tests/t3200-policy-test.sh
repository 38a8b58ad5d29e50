#!/bin/sh
# linkgate policy test: the default policy's fixtures pass; failing
# expectations exit 1, bad fixtures exit 2, and both say where.
. "$LG_SRCDIR/tests/test-lib.sh"

test_expect_success "the default policy's fixtures pass" '
	"$LINKGATE" policy test "$DATA/policy-tests" >out; expect_status $? 0 &&
	expect_grep "^1\\.\\.[0-9][0-9]*$" out &&
	expect_no_grep "^not ok" out &&
	test "$(grep -c "^ok" out)" -ge 60
'

test_expect_success 'a single fixture file can be run' '
	"$LINKGATE" policy test "$DATA/policy-tests/compliant.test.yml" >out; expect_status $? 0 &&
	expect_grep "^ok 1 - .*compliant.test.yml#1 (a documented, signed-off linkname passes every rule): 1 finding" out
'

test_setup 'a directory with its own policy and configuration' '
	mkdir -p pt && cat >pt/acme.lua <<-\LUA &&
	local lg = require "linkgate"
	lg.rule {
	  id = "acme.owner-team", on = "linkname", severity = "error",
	  check = function(f)
	    local owner = f.rationale.owner
	    if owner and not owner:find("@acme-", 1, true) then
	      return { message = "owner " .. owner .. " is not a team alias", hint = "owner: @acme-<team>" }
	    end
	  end,
	}
	lg.rule {
	  id = "acme.expiry", on = "checklinkname-off", severity = "warning",
	  check = function(f)
	    if lg.now() >= lg.date("2025-01-01") then
	      return "the exemption period is over"
	    end
	  end,
	}
	LUA
	cat >pt/linkgate.yml <<-\CFG
	policies: [acme.lua]
	CFG
	cat >pt/owner.test.yml <<-\YML
	finding: {kind: linkname, rationale: {present: true, owner: "@acme-runtime"}}
	expect: {acme.owner-team: pass}
	---
	finding: {kind: linkname, rationale: {present: true, owner: bob}}
	expect:
	  acme.owner-team: {severity: error, message: "owner bob is not a team alias", hint: "@acme-"}
	YML
	cat >pt/expiry.test.yml <<-\YML
	finding: {kind: checklinkname-off}
	expect: {acme.expiry: warning}
	YML
	"$LINKGATE" policy test pt >out; expect_status $? 0
'

test_expect_success 'policy paths in the directory configuration are relative to it' '
	(cd / && "$LINKGATE" policy test "$TRASH/pt" >"$TRASH/out"); expect_status $? 0
'

test_expect_success '--now fixes lg.now() for cases without now:' '
	"$LINKGATE" policy test --now 2024-06-15 pt >out; expect_status $? 1 &&
	expect_grep "^not ok 1 - pt/expiry.test.yml: acme.expiry fails as warning" out &&
	expect_grep "(rule acme.expiry did not fail)" out &&
	"$LINKGATE" policy test --now 2025-01-01T00:00:00Z pt >out; expect_status $? 0 &&
	"$LINKGATE" policy test --now @1735689600 pt >out; expect_status $? 0 &&
	"$LINKGATE" policy test --now 2024-02-30 pt 2>err; expect_status $? 2 &&
	expect_grep "not a valid date" err
'

test_expect_success 'a failed expectation exits 1 and shows what the rule said' '
	cat >pt/wrong.test.yml <<-\YML &&
	finding: {kind: linkname, rationale: {present: true, owner: bob}}
	expect: {acme.owner-team: pass}
	YML
	"$LINKGATE" policy test pt >out; expect_status $? 1 &&
	expect_grep "^not ok .* - pt/wrong.test.yml: acme.owner-team passes" out &&
	expect_grep "^#   got: \[acme.owner-team\] error at x.go:1: owner bob is not a team alias" out &&
	expect_grep "^#     hint: owner: @acme-<team>" out &&
	rm pt/wrong.test.yml
'

test_expect_success 'a rule no policy defines is a bad fixture (exit 2), with file:line:column' '
	cat >pt/typo.test.yml <<-\YML &&
	finding: {kind: linkname}
	expect:
	  acme.owner-teem: pass
	YML
	"$LINKGATE" policy test pt >out; expect_status $? 2 &&
	expect_grep "^not ok .* - pt/typo.test.yml: bad fixture: pt/typo.test.yml:3:3: expect: no loaded policy defines rule .acme.owner-teem." out &&
	rm pt/typo.test.yml
'

test_expect_success 'unknown keys, bad YAML and a bad config are bad fixtures' '
	printf "finding: {kind: linkname}\nexepct: {acme.owner-team: pass}\n" >pt/bad1.test.yml &&
	printf "finding: {kind: linkname\n" >pt/bad2.test.yml &&
	printf "config:\n  limits: {timeout_ms: 5s}\nfinding: {kind: linkname}\nothers: pass\n" >pt/bad3.test.yml &&
	printf "finding: {kind: linkname}\nexpect: {acme.owner-team: maybe}\n" >pt/bad4.test.yml &&
	"$LINKGATE" policy test pt >out; expect_status $? 2 &&
	expect_grep "bad1.test.yml:2:1: case: unknown key .exepct." out &&
	expect_grep "bad2.test.yml:2:1: invalid YAML" out &&
	expect_grep "bad3.test.yml:2:24: limits.timeout_ms: expected an integer" out &&
	expect_grep "bad4.test.yml:2:27: expect.acme.owner-team: expected pass, error, warning, fail" out &&
	expect_grep "^# 4 bad fixtures" out &&
	rm pt/bad*.test.yml
'

test_expect_success 'a policy that does not load is a bad fixture' '
	mkdir -p broken && printf "policies: [nope.lua]\n" >broken/linkgate.yml &&
	printf "finding: {kind: linkname}\nothers: pass\n" >broken/a.test.yml &&
	"$LINKGATE" policy test broken >out; expect_status $? 2 &&
	expect_grep "bad fixture: policy .*broken/nope.lua: cannot read it" out
'

test_expect_success 'an expected evaluation error' '
	mkdir -p raising && cat >raising/r.lua <<-\LUA &&
	local lg = require "linkgate"
	lg.rule { id = "r.raise", on = "linkname", severity = "error", check = function(f) error("no target for " .. f.path) end }
	LUA
	printf "policies: [r.lua]\n" >raising/linkgate.yml &&
	printf "finding: {kind: linkname, path: a.go}\nerror: \"no target for a.go\"\n" >raising/a.test.yml &&
	printf "finding: {kind: linkname, path: b.go}\nothers: pass\n" >raising/b.test.yml &&
	"$LINKGATE" policy test raising >out; expect_status $? 1 &&
	expect_grep "^ok 1 - raising/a.test.yml: evaluation fails with .no target for a.go." out &&
	expect_grep "^not ok 2 - raising/b.test.yml: evaluates" out &&
	expect_grep "r.lua:2: no target for b.go" out
'

test_expect_success 'a rule too slow for the hook fails its test at limits.timeout_ms' '
	mkdir -p slow && cat >slow/slow.lua <<-\LUA &&
	local lg = require "linkgate"
	lg.rule { id = "slow.pattern", on = "linkname", severity = "error",
	  check = function(f) if f.text:find(".-.-.-.-.-.-.-.-x$") then return "x" end end }
	LUA
	printf "policies: [slow.lua]\nlimits: {timeout_ms: 300}\n" >slow/linkgate.yml &&
	awk "BEGIN { s = \"\"; for (i = 0; i < 5000; i++) s = s \"a\"; print \"finding: {kind: linkname, text: \" s \"}\"; print \"expect: {slow.pattern: pass}\" }" >slow/a.test.yml &&
	"$LINKGATE" policy test slow >out; expect_status $? 1 &&
	expect_grep "^not ok 1 - slow/a.test.yml: evaluates" out &&
	expect_grep "rule .slow.pattern. on x.go:1: time limit reached (limits.timeout_ms: 300)" out
'

test_expect_success 'a directory without fixtures, or a missing one, exits 2' '
	mkdir -p empty && "$LINKGATE" policy test empty 2>err; expect_status $? 2 &&
	expect_grep "no \*.test.yml fixtures in empty" err &&
	"$LINKGATE" policy test nowhere 2>err; expect_status $? 2
'

test_done

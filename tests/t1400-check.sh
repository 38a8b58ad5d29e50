#!/bin/sh
# linkgate check: the server's verdict, computed in a developer's clone.
. "$LG_SRCDIR/tests/test-lib.sh"

write_test_config trailer
export LINKGATE_CONFIG="$TRASH/linkgate.yml"

test_setup 'set up a server and a clone with history' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'check of a compliant range exits 0' '
	git checkout -q -b ok origin/main && echo "// more" >>m.go && commit_all "more" &&
	"$LINKGATE" check origin/main..HEAD >out; expect_status $? 0
'

test_expect_success 'check of a bad commit exits 1 and names path:line and rules' '
	git checkout -q -b bad origin/main && bare_linkname_go | write_file r/r.go && commit_all "bad" &&
	"$LINKGATE" check origin/main..HEAD >out; expect_status $? 1 &&
	expect_grep "r/r.go:5" out &&
	expect_grep "linkname.rationale" out
'

test_expect_success 'check agrees with the server on the same commits' '
	"$LINKGATE" check --ref refs/heads/main HEAD >out; check_status=$? &&
	push origin HEAD:main &&
	expect_status "$check_status" 1 && test "$push_status" -ne 0 &&
	for r in linkname.rationale linkname.issue linkname.signoff; do
		expect_grep "$r" out && expect_grep "$r" "$ERR" || return 1
	done
'

test_expect_success 'known history comes from the remote-tracking refs: a plain REV checks only what origin lacks' '
	"$LINKGATE" check HEAD >out; expect_status $? 1 &&
	expect_grep "checked 1 commit" out
'

test_expect_success 'check --known REV treats REV as known' '
	"$LINKGATE" check --known HEAD HEAD >out; expect_status $? 0
'

test_expect_success 'check --format json prints one object with verdict, refs, violations, findings' '
	"$LINKGATE" check --format json origin/main..HEAD >out.json; expect_status $? 1 &&
	expect_grep "\"verdict\": *\"reject\"" out.json &&
	expect_grep "\"rule\": *\"linkname.rationale\"" out.json &&
	expect_grep "\"path\": *\"r/r.go\"" out.json &&
	expect_grep "\"line\": *5" out.json &&
	expect_grep "\"findings\"" out.json &&
	expect_grep "\"kind\": *\"linkname\"" out.json
'

test_expect_success 'check --format sarif prints SARIF 2.1.0 with one result per violation' '
	"$LINKGATE" check --format sarif origin/main..HEAD >out.sarif; expect_status $? 1 &&
	tr -d "\n" <out.sarif >one.sarif && echo >>one.sarif &&
	test "$("$LG_BUILDDIR/tests/helpers/jsoncheck" get one.sarif 1 .version)" = "2.1.0" &&
	test "$("$LG_BUILDDIR/tests/helpers/jsoncheck" get one.sarif 1 ".runs[0].tool.driver.name")" = linkgate &&
	test "$("$LG_BUILDDIR/tests/helpers/jsoncheck" get one.sarif 1 ".runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri")" = r/r.go &&
	"$LINKGATE" check --format json origin/main..HEAD >out.json 2>/dev/null;
	want=$(grep -c "\"rule\":" out.json) &&
	test "$(grep -c "\"ruleId\":" out.sarif)" -eq "$want"
'

test_expect_success 'an unprotected --ref is not checked' '
	cat >../unprot.yml <<-\CFG &&
	refs:
	  exclude: ["refs/heads/wip/**"]
	CFG
	LINKGATE_CONFIG="$TRASH/unprot.yml" "$LINKGATE" check --ref refs/heads/wip/x origin/main..HEAD >out; expect_status $? 0
'

test_expect_success 'a bad range is a usage error' '
	"$LINKGATE" check no-such-rev..HEAD 2>err; expect_status $? 2 &&
	expect_grep "cannot resolve" err
'

test_expect_success 'a shallow clone is refused with a clear message' '
	cd .. && git clone -q --depth 1 "file://$TRASH/srv.git" shallow 2>/dev/null && cd shallow &&
	"$LINKGATE" check HEAD 2>err; expect_status $? 2 &&
	expect_grep "shallow clone" err
'

test_done

#!/bin/sh
# docs/POLICY.md's examples work as written: every block marked
# "<!-- example: FILE -->" is extracted into FILE (blocks of the same file
# are joined; YAML ones as separate documents) and the result runs with
# linkgate policy test.
. "$LG_SRCDIR/tests/test-lib.sh"

GUIDE="$LG_SRCDIR/docs/POLICY.md"

test_setup 'extract the examples of the policy guide' '
	mkdir guide &&
	awk -v dir=guide "
		/^<!-- example: [^ ]+ -->\$/ { name = \$3; pending = 1; next }
		pending && /^\`\`\`/ {
			pending = 0; inblock = 1; file = dir \"/\" name
			if (count[name]++) print (name ~ /\\.ya?ml\$/ ? \"---\" : \"\") > file
			next
		}
		inblock && /^\`\`\`\$/ { inblock = 0; next }
		inblock { print > file }
		END { if (pending || inblock) exit 1 }
	" "$GUIDE" &&
	ls guide >files && cat files &&
	for f in acme.lua acme.test.yml api.lua api.test.yml linkgate.yml; do
		test -s guide/$f || { echo "no example for $f"; return 1; }
	done
'

test_expect_success 'the guide has an example for every function of the linkgate module' '
	for fn in lg.rule lg.params lg.config lg.trailer lg.trailers lg.regex lg.date lg.now \
		lg.go_version_cmp lg.log ctx.push; do
		grep -q "$fn" guide/api.lua || { echo "no example uses $fn"; return 1; }
	done &&
	grep -q ":match(" guide/api.lua
'

test_expect_success "the guide's policies compile and its tests pass" '
	"$LINKGATE" policy test guide >out; expect_status $? 0 &&
	expect_no_grep "^not ok" out &&
	test "$(grep -c "^ok" out)" -ge 20
'

test_expect_success "the guide's configuration passes config check" '
	(cd guide && "$LINKGATE" config check --config linkgate.yml >../out); expect_status $? 0 &&
	expect_grep "every policy compiled" out
'

test_done

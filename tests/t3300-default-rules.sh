#!/bin/sh
# builtin:default through real pushes: one push that passes every rule,
# and pushes where each rule fails, asserted at the path:line of the file
# written to break exactly that rule. Rules that judge Go facts
# (build-constraint, fallback, target-exists, signature, shared-constraint,
# ci-matrix) are pushed in t2100-facts.sh; every rule also has fixtures in
# tests/data/policy-tests (t3200). Sign-off modes are t3100's.
. "$LG_SRCDIR/tests/test-lib.sh"

soon=$(date -u -d "+30 days" +%F)

cat >"$TRASH/linkgate.yml" <<CFG
signoff:
  team:
    - {user: pat, email: pat@example.com}
  verify: trailer
owners: ['^platform-']
limits: {max_output_lines: 100000}
CFG

GOOD_TRAILERS="Issue: PLAT-123
Owner: platform-runtime@example.com
Remove-By: $soon
Platform-Signoff: Pat Platform <pat@example.com>"

# variant DIR SED-SCRIPT: compliant_go edited, with its fallback, in DIR.
variant() {
	compliant_go | sed -e "$2" | write_file "$1/fastrand.go" &&
	fallback_go | write_file "$1/fastrand_old.go"
}

# A rule failing at a place: the report's block header line.
expect_rule() {
	expect_grep " $1  \\[$2\\] ${3:-error} *\$" "$ERR"
}

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "module example.com/m" >go.mod &&
	printf "go 1.20\n" >>go.mod &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'a compliant linkname and a compliant disabled check pass every rule' '
	git checkout -q -b good origin/main &&
	variant fastrand "" &&
	printf "build:\n\tgo build -ldflags=-checklinkname=0 ./...\n" >Makefile &&
	git add -A && git commit -q -m "use fastrand; switch the check off for now

$GOOD_TRAILERS" &&
	push origin HEAD:refs/heads/good && expect_push_accepted &&
	expect_no_grep "\\[linkname\\." "$ERR" &&
	expect_no_grep "\\[checklinkname\\." "$ERR"
'

test_expect_success 'each linkname rule fails on the file written to break it' '
	git checkout -q -b bad origin/main &&
	variant malformed "s|^//go:linkname fastrand runtime.fastrand\$|//go:linkname fastrand runtime.fastrand extra|" &&
	bare_linkname_go | write_file rationale/fastrand.go &&
	variant owner "s|^// owner: .*|// owner: someone|" &&
	variant removal "s|^// removed when: .*|// removed when: later, once it is exported|" &&
	variant vague "s|^// removed when: .*|// removed when: when the runtime team agrees|" &&
	variant gain "s|^// measured gain: .*|// measured gain: faster|" &&
	variant unsafe "s|^import _ \"unsafe\"\$|import _ \"fmt\"|" &&
	variant stdexp "s|runtime.fastrand|time.Now|" &&
	variant internal/cache "s|^package fastrand|package cache|; s|runtime.fastrand|example.com/m/internal/cache.evict|" &&
	mv internal/cache/fastrand.go internal/cache/cache_test.go &&
	bare_linkname_go | write_file vendor/github.com/x/y/y.go &&
	echo "If the build fails, add -checklinkname=0 to the linker flags." >NOTES.md &&
	git add -A && git commit -q -m "many linknames

$GOOD_TRAILERS" &&
	push origin HEAD:refs/heads/bad && expect_push_rejected &&
	expect_rule malformed/fastrand.go:13 linkname.malformed &&
	expect_rule rationale/fastrand.go:5 linkname.rationale &&
	expect_rule owner/fastrand.go:13 linkname.owner &&
	expect_rule removal/fastrand.go:13 linkname.removal-trigger &&
	expect_rule vague/fastrand.go:13 linkname.removal-trigger &&
	expect_rule gain/fastrand.go:13 linkname.measured-gain &&
	expect_rule unsafe/fastrand.go:13 linkname.unsafe-import &&
	expect_rule stdexp/fastrand.go:13 linkname.std-exported &&
	expect_rule internal/cache/cache_test.go:13 linkname.test-only &&
	expect_rule vendor/github.com/x/y/y.go:5 linkname.vendored warning &&
	expect_rule NOTES.md:1 checklinkname.mention warning
'

test_expect_success '... and nothing else fails where a rule passes' '
	for r in linkname.malformed linkname.owner linkname.removal-trigger linkname.measured-gain \
		linkname.unsafe-import linkname.std-exported linkname.test-only; do
		n=$(grep -c "\\[$r\\]" "$ERR") &&
		case $r in
		linkname.removal-trigger) test "$n" -eq 2 ;;
		*) test "$n" -eq 1 ;;
		esac || { echo "$r failed $n times"; return 1; }
	done &&
	expect_no_grep "vendor/.*\\[linkname.rationale\\]" "$ERR" &&
	expect_no_grep "NOTES.md:1  \\[checklinkname.issue\\]" "$ERR"
'

test_expect_success 'the trailer rules fail on a commit with wrong trailers' '
	git checkout -q -b trailers origin/main &&
	variant fastrand "" &&
	printf "build:\n\tgo build -ldflags=-checklinkname=0 ./...\n" >Makefile &&
	git add -A && git commit -q -m "use fastrand

Issue: soon
Owner: someone
Remove-By: next spring" &&
	push origin HEAD:refs/heads/trailers && expect_push_rejected &&
	expect_rule fastrand/fastrand.go:13 linkname.issue &&
	expect_rule fastrand/fastrand.go:13 linkname.signoff &&
	expect_rule Makefile:2 checklinkname.issue &&
	expect_rule Makefile:2 checklinkname.owner &&
	expect_rule Makefile:2 checklinkname.remove-by &&
	expect_rule Makefile:2 checklinkname.signoff &&
	expect_grep "Issue .soon. does not match issue_pattern\\|.soon.*issue_pattern" "$ERR" &&
	expect_grep "Owner trailer .someone. matches none of the owners patterns" "$ERR" &&
	expect_grep "Remove-By .next spring. is not a date" "$ERR"
'

test_expect_success 'rules: can switch a rule off or make it a warning, as the report shows' '
	cat >"$TRASH/relaxed.yml" <<-CFG &&
	signoff:
	  team: [{user: pat, email: pat@example.com}]
	  verify: trailer
	owners: ["^platform-"]
	rules: {linkname.owner: warning, linkname.measured-gain: off}
	CFG
	git init -q --bare ../relaxed.git &&
	"$LINKGATE" install --config "$TRASH/relaxed.yml" ../relaxed.git >/dev/null &&
	git checkout -q -b relaxed origin/main &&
	variant fastrand "s|^// owner: .*|// owner: someone|; s|^// measured gain: .*|// measured gain: faster|" &&
	git add -A && git commit -q -m "relaxed

$GOOD_TRAILERS" &&
	push ../relaxed.git HEAD:refs/heads/main && expect_push_accepted &&
	expect_rule fastrand/fastrand.go:13 linkname.owner warning &&
	expect_no_grep "linkname.measured-gain" "$ERR"
'

test_done

#!/bin/sh
# linkgate scan: the inventory of a revision, in every format, with and
# without --blame.
. "$LG_SRCDIR/tests/test-lib.sh"

JSONCHECK="$LG_BUILDDIR/tests/helpers/jsoncheck"

cat >"$TRASH/scan.yml" <<CFG
signoff:
  team:
    - {user: pat, email: pat@example.com}
  verify: trailer
CFG
export LINKGATE_CONFIG="$TRASH/scan.yml"

# jget FILE PATH: a value of pretty-printed JSON (an array is wrapped as .a).
jget() {
	{ printf '{"a":'; tr -d '\n' <"$1"; echo '}'; } >"$1.line" && "$JSONCHECK" get "$1.line" 1 "$2"
}

test_setup 'a repository with linknames and flags over three commits' '
	git init -q repo && cd repo &&
	printf "module example.com/s\n\ngo 1.21\n" >go.mod &&
	echo "package s" >s.go && commit_all "initial" &&
	compliant_go | write_file rand/rand.go &&
	fallback_go | write_file rand/rand_other.go &&
	git add -A && git commit -q -m "fastrand

$COMPLIANT_TRAILERS" &&
	bare_linkname_go | write_file bare/b.go &&
	write_file .github/workflows/release.yml <<-\YML &&
	jobs:
	  release:
	    steps:
	      - uses: actions/checkout@v4
	      - run: go build -ldflags=-checklinkname=0 ./...
	YML
	git add -A && git commit -q -m "bare linkname and a release flag

Issue: PLAT-9
Owner: team-runtime
Remove-By: 2020-01-01" &&
	cd ..
'

test_expect_success 'text: a summary, each finding with its facts, exit 1' '
	(cd repo && "$LINKGATE" scan >../out.txt); expect_status $? 1 &&
	expect_grep "^linkgate scan of HEAD ([0-9a-f]\{12\}): 2 linknames, 1 disabling flag in 6 files" out.txt &&
	expect_grep "^bare/b.go:5  linkname fastrand -> runtime.fastrand \[runtime\]" out.txt &&
	expect_grep "go releases: every release; fallback: none" out.txt &&
	expect_grep "\[linkname.rationale\] error" out.txt &&
	expect_grep "^rand/rand.go:13  linkname fastrand -> runtime.fastrand \[runtime\]" out.txt &&
	expect_grep "go releases: go1.20-go1.22 (//go:build go1.20 && !go1.23); fallback: rand/rand_other.go" out.txt &&
	expect_grep "^.github/workflows/release.yml:5  checklinkname-off -checklinkname=0 \[yaml\] at jobs.release.steps\[1\].run" out.txt &&
	expect_grep "\[linkname.issue\] unknown: needs the commit that added the line (scan --blame)" out.txt &&
	expect_grep "trailer rule checks are unknown: run scan --blame" out.txt
'

test_expect_success 'json: an array of findings with SPEC names and violations' '
	(cd repo && "$LINKGATE" scan --format json >../out.json); expect_status $? 1 &&
	test "$(jget out.json ".a[0].kind")" = checklinkname-off &&
	test "$(jget out.json ".a[0].yaml_path")" = "jobs.release.steps[1].run" &&
	test "$(jget out.json ".a[0].carrier")" = yaml &&
	test "$(jget out.json ".a[0].commit")" = null &&
	test "$(jget out.json ".a[1].path")" = bare/b.go &&
	test "$(jget out.json ".a[1].file.build.go_versions")" = "[[null,null]]" &&
	test "$(jget out.json ".a[2].path")" = rand/rand.go &&
	test "$(jget out.json ".a[2].target_class")" = runtime &&
	test "$(jget out.json ".a[2].fallback.path")" = rand/rand_other.go &&
	test "$(jget out.json ".a[2].fallback.gaps")" = "[]" &&
	test "$(jget out.json ".a[2].file.import_path")" = example.com/s/rand &&
	test "$(jget out.json ".a[1].violations[0].rule")" = linkname.rationale &&
	test "$(jget out.json ".a[1].violations[0].status")" = fail &&
	test "$(jget out.json ".a[0].violations[0].rule")" = checklinkname.issue &&
	test "$(jget out.json ".a[0].violations[0].status")" = unknown &&
	! "$JSONCHECK" get out.json.line 1 ".a[3]" 2>/dev/null
'

test_expect_success 'markdown: a table to paste into a review' '
	(cd repo && "$LINKGATE" scan --format markdown >../out.md); expect_status $? 1 &&
	expect_grep "^### linkgate scan of HEAD" out.md &&
	expect_grep "^| Location | Kind | What | Class / carrier | Go releases | Fallback | Failing rules |$" out.md &&
	expect_grep "^| rand/rand.go:13 | linkname | fastrand -\\\\> runtime.fastrand | runtime | go1.20-go1.22 | rand/rand\\\\_other.go |" out.md &&
	expect_grep "\`linkname.rationale\` (error)" out.md
'

test_expect_success 'sarif: 2.1.0 with rules, results and relative locations' '
	(cd repo && "$LINKGATE" scan --format sarif >../out.sarif); expect_status $? 1 &&
	{ tr -d "\n" <out.sarif; echo; } >sarif.line &&
	test "$("$JSONCHECK" get sarif.line 1 .version)" = 2.1.0 &&
	test "$("$JSONCHECK" get sarif.line 1 ".runs[0].tool.driver.name")" = linkgate &&
	test "$("$JSONCHECK" get sarif.line 1 ".runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri")" = bare/b.go &&
	test "$("$JSONCHECK" get sarif.line 1 ".runs[0].results[0].locations[0].physicalLocation.region.startLine")" = 5 &&
	test "$("$JSONCHECK" get sarif.line 1 ".runs[0].results[0].level")" = error &&
	rule=$("$JSONCHECK" get sarif.line 1 ".runs[0].results[0].ruleId") &&
	idx=$("$JSONCHECK" get sarif.line 1 ".runs[0].results[0].ruleIndex") &&
	test "$("$JSONCHECK" get sarif.line 1 ".runs[0].tool.driver.rules[$idx].id")" = "$rule"
'

test_expect_success '--blame: each finding has the commit that added it; trailer rules are judged' '
	(cd repo && "$LINKGATE" scan --blame --format json >../blame.json); expect_status $? 1 &&
	second=$(git -C repo rev-parse HEAD~1) && third=$(git -C repo rev-parse HEAD) &&
	test "$(jget blame.json ".a[0].commit.id")" = "$third" &&
	test "$(jget blame.json ".a[2].commit.id")" = "$second" &&
	test "$(jget blame.json ".a[2].commit.trailers[0].value")" = PLAT-123 &&
	(cd repo && "$LINKGATE" scan --blame >../blame.txt); expect_status $? 1 &&
	expect_no_grep "unknown: needs the commit" blame.txt &&
	expect_grep "added by [0-9a-f]\{12\} bare linkname and a release flag" blame.txt &&
	expect_grep "\[checklinkname.remove-by\] error: Remove-By .2020-01-01. is not after today" blame.txt &&
	expect_grep "\[linkname.signoff\] error: no Platform-Signoff trailer covers commit" blame.txt
'

test_expect_success '--rev: the inventory of an older revision' '
	(cd repo && "$LINKGATE" scan --rev HEAD~1 --format json >../old.json); expect_status $? 0 &&
	test "$(jget old.json ".a[0].path")" = rand/rand.go &&
	! "$JSONCHECK" get old.json.line 1 ".a[1]" 2>/dev/null
'

test_expect_success 'PATH inside the work tree limits the inventory to it' '
	(cd repo && "$LINKGATE" scan rand >../sub.txt); expect_status $? 0 &&
	expect_grep "1 linkname, 0 disabling flags" sub.txt &&
	expect_no_grep "bare/b.go" sub.txt
'

test_expect_success 'a bare repository is scanned at its HEAD' '
	git clone -q --bare repo bare.git &&
	"$LINKGATE" scan bare.git >bare.txt; expect_status $? 1 &&
	expect_grep "2 linknames, 1 disabling flag in" bare.txt
'

test_expect_success 'a clean repository exits 0' '
	git init -q clean && (cd clean && echo "package c" >c.go && commit_all c) &&
	"$LINKGATE" scan clean >clean.txt; expect_status $? 0 &&
	expect_grep "0 linknames, 0 disabling flags in 1 file; 0 errors" clean.txt
'

test_expect_success 'usage errors exit 2' '
	"$LINKGATE" scan --format xml repo 2>err; expect_status $? 2 &&
	expect_grep "unknown format .xml." err &&
	"$LINKGATE" scan --rev no-such-rev repo 2>err; expect_status $? 2 &&
	expect_grep "does not name a commit" err
'

test_expect_success 'paths from the repository are escaped in text and markdown' '
	(cd repo && git checkout -q -b esc && bare_linkname_go >"$(printf "e\033[2Jx.go")" && commit_all esc &&
	 "$LINKGATE" scan >../esc.txt; "$LINKGATE" scan --format markdown >../esc.md; git checkout -q -) &&
	expect_grep "^e\\\\e\[2Jx.go:5" esc.txt &&
	! grep -q "$(printf "\033")" esc.txt esc.md
'

test_done

#!/bin/sh
# The tree facts at push time: the default policy's fallback, build
# constraint, CI matrix and target verification rules judge real pushes,
# and `check --format json` shows the facts.
. "$LG_SRCDIR/tests/test-lib.sh"

JSONCHECK="$LG_BUILDDIR/tests/helpers/jsoncheck"

# The default policy as shipped (linkname.fallback on), a team, and the Go
# source trees of the test data for target verification.
cat >"$TRASH/facts.yml" <<CFG
signoff:
  team:
    - {user: pat, email: pat@example.com}
  verify: trailer
go_source:
  - $DATA/gosrc/go1.21
  - $DATA/gosrc/go1.22
  - $DATA/gosrc/go1.23
CFG

# json_get FILE PATH: a value of a pretty-printed JSON object.
json_get() {
	{ tr -d '\n' <"$1"; echo; } >"$1.line" && "$JSONCHECK" get "$1.line" 1 "$2"
}

# rationale NAME: a complete rationale block for a linkname of NAME.
rationale() {
	cat <<-GO
	// linkname rationale:
	//   why: $1 is not exported
	//   measured gain: 20ns/op
	//   target source: https://go.googlesource.com/go/+/refs/tags/go1.22.0/src/runtime/stubs.go
	//   removed when: go1.23
	//   owner: team-runtime
	GO
}

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/facts.yml" &&
	make_clone work srv && cd work &&
	printf "module example.com/m\n\ngo 1.21\n" >go.mod &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'a linkname with its complementary fallback is accepted' '
	git checkout -q -b ok origin/main &&
	compliant_go | write_file rand/rand.go &&
	fallback_go | write_file rand/rand_other.go &&
	git add -A && git commit -q -m "fastrand with a fallback

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_accepted &&
	expect_no_grep "linkname.fallback" "$ERR"
'

test_expect_success 'a linkname without a fallback is rejected, naming the releases' '
	git fetch -q && git checkout -q -b nofb origin/main &&
	{ echo "//go:build go1.21 && !go1.23"; echo; echo "package nano"; echo; echo "import _ \"unsafe\""; echo;
	  rationale nanotime; echo "//go:linkname nanotime runtime.nanotime"; echo "func nanotime() int64"; } >n.go &&
	mkdir -p nano && mv n.go nano/ &&
	git add -A && git commit -q -m "nanotime

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "nano/n.go:13  \[linkname.fallback\] error" "$ERR" &&
	expect_grep "no file provides .nanotime. for go1.23 and later" "$ERR"
'

test_expect_success 'a fallback that covers only other systems shows the gap and where' '
	git checkout -q -b goos origin/main &&
	compliant_go | write_file fr/rand_linux.go &&
	fallback_go | write_file fr/rand_other.go &&
	git add -A && git commit -q -m "linux only

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "no file provides .fastrand. for go1.21-go1.22 (with GOOS=another system)" "$ERR"
'

test_expect_success 'check --format json carries the facts under SPEC names' '
	git checkout -q goos &&
	"$LINKGATE" check --config "$TRASH/facts.yml" --format json origin/main..HEAD >out.json; expect_status $? 1 &&
	test "$(json_get out.json .findings[0].file.build.go_versions)" = "[[20,22]]" &&
	test "$(json_get out.json .findings[0].file.build.implicit)" = "linux" &&
	test "$(json_get out.json .findings[0].file.module)" = "example.com/m" &&
	test "$(json_get out.json .findings[0].file.module_go)" = "21" &&
	test "$(json_get out.json .findings[0].target_class)" = "runtime" &&
	test "$(json_get out.json .findings[0].fallback.path)" = "fr/rand_other.go" &&
	test "$(json_get out.json .findings[0].fallback.gaps[0].where)" = "GOOS=another system" &&
	test "$(json_get out.json .findings[0].siblings)" = "[]" &&
	test "$(json_get out.json .findings[0].target_check[1].version)" = "go1.22.4" &&
	test "$(json_get out.json .findings[0].rationale.removal_go)" = "23" &&
	test "$(json_get out.json .findings[0].ci)" = "null"
'

test_expect_success 'target verification: a target gone in an admitted release is rejected' '
	git fetch -q && git checkout -q -b gone origin/main &&
	compliant_go | sed -e "s/!go1.23/!go1.24/" | write_file fr2/rand.go &&
	fallback_go | sed -e "s/go1.23/go1.24/" | write_file fr2/rand_other.go &&
	git add -A && git commit -q -m "fastrand up to go1.23

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "\[linkname.target-exists\] error" "$ERR" &&
	expect_grep "target .runtime.fastrand. does not exist in go1.23.4" "$ERR" &&
	expect_no_grep "linkname.signature" "$ERR"
'

test_expect_success 'target verification: a declaration of another shape is rejected' '
	git checkout -q -b shape origin/main &&
	compliant_go | sed -e "s/func fastrand() uint32/func fastrand() uint64/" | write_file fr3/rand.go &&
	fallback_go | sed -e "s/uint32/uint64/; s/rand.Uint32/rand.Uint64/" | write_file fr3/rand_other.go &&
	git add -A && git commit -q -m "wrong shape

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "\[linkname.signature\] error" "$ERR" &&
	expect_grep "result 1 is uint64 (8 bytes), the target.s is uint32 (4 bytes)" "$ERR"
'

test_expect_success 'a CI matrix without tip and without a release outside the range warns' '
	git checkout -q -b ci ok &&
	write_file .github/workflows/test.yml <<-\YML &&
	jobs:
	  test:
	    strategy:
	      matrix:
	        go: ["1.21", "1.22"]
	    steps:
	      - uses: actions/setup-go@v5
	        with:
	          go-version: ${{ matrix.go }}
	YML
	compliant_go | sed -e "s/linkname fastrand /linkname fastrand2 /; s/func fastrand(/func fastrand2(/" |
		write_file rand/rand2.go &&
	fallback_go | sed -e "s/func fastrand(/func fastrand2(/" | write_file rand/rand2_other.go &&
	git add -A && git commit -q -m "second, with CI

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_accepted &&
	expect_grep "\[linkname.ci-matrix\] warning" "$ERR" &&
	expect_grep "the CI matrices do not build a Go version outside it, tip" "$ERR"
'

test_expect_success 'a misplaced //go:build is rejected as Go ignores it' '
	git fetch -q && git checkout -q -b misplaced origin/main &&
	{ echo "package mis"; echo; echo "//go:build go1.21 && !go1.23"; echo; echo "import _ \"unsafe\"";
	  rationale fastrand; echo "//go:linkname fastrand runtime.fastrand"; echo "func fastrand() uint32"; } >x.go &&
	mkdir -p mis && mv x.go mis/ &&
	git add -A && git commit -q -m "misplaced

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "the //go:build line comes after the package clause" "$ERR"
'

test_expect_success 'a constraint Go cannot parse fails closed' '
	git checkout -q -b syntax origin/main &&
	compliant_go | sed -e "s/^\/\/go:build .*/\/\/go:build (go1.21 \&\& !go1.23/" | write_file syn/rand.go &&
	git add -A && git commit -q -m "syntax

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "cannot be evaluated: parsing //go:build line: missing )" "$ERR" &&
	expect_grep "could not work out which files provide .fastrand." "$ERR"
'

test_expect_success 'a flag in a workflow carries its YAML path to policies and JSON' '
	git fetch -q && git checkout -q -b yamlflag origin/main &&
	write_file .github/workflows/rel.yml <<-\YML &&
	jobs:
	  rel:
	    steps:
	      - run: echo build
	      - run: |
	          go vet ./...
	          go build -ldflags=-checklinkname=0 ./...
	YML
	commit_all "release" &&
	"$LINKGATE" check --config "$TRASH/facts.yml" --format json origin/main..HEAD >flag.json; expect_status $? 1 &&
	test "$(json_get flag.json .findings[0].kind)" = checklinkname-off &&
	test "$(json_get flag.json .findings[0].yaml_path)" = "jobs.rel.steps[1].run" &&
	test "$(json_get flag.json .findings[0].line)" = 7
'

test_expect_success 'a go_source entry that is no Go tree is a configuration error' '
	printf "go_source: [\"%s\"]\n" "$TRASH" >"$TRASH/badsrc.yml" &&
	"$LINKGATE" check --config "$TRASH/badsrc.yml" --known ok~1 ok >out 2>err; expect_status $? 2 &&
	expect_grep "go_source: .* is not a Go source tree" err
'

test_done

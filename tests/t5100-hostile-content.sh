#!/bin/sh
# Adversarial: what the pushed files say — terminal escapes in paths,
# messages, trailers and rationales; NUL bytes; symlinks and submodules
# named like Go files; diffs built to be slow. t1300-bad-input.sh has the
# first escape case and a NUL after the directive.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

cat >"$TRASH/linkgate.yml" <<-CFG
signoff:
  team:
    - {user: pat, email: pat@example.com}
  verify: trailer
owners: ['^team-']
limits: {max_output_lines: 2000}
CFG

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'paths with ESC/CSI/OSC, CR, BEL, C1, invalid UTF-8 and an RLO are shown escaped' '
	git checkout -q -b paths origin/main &&
	for n in "cr\rx" "bel\007x" "osc\033]8;;evil\033\\\\x" "csi\033[2Jx" "c1raw\233x" \
		"c1utf8\302\233x" "bad\377\376x" "rlo\342\200\256og.txt" "sep\342\200\250x"; do
		bare_linkname_go >"$(printf "$n").go" || return 1
	done &&
	commit_all "hostile names" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_terminal_safe "$ERR" &&
	expect_grep "cr\\\\rx.go:5" "$ERR" &&
	expect_grep "bel\\\\ax.go:5" "$ERR" &&
	expect_grep "osc\\\\e]8;;evil\\\\e\\\\\\\\x.go:5" "$ERR" &&
	expect_grep "csi\\\\e\[2Jx.go:5" "$ERR" &&
	expect_grep "c1raw\\\\x9bx.go:5" "$ERR" &&
	expect_grep "c1utf8\\\\u{009b}x.go:5" "$ERR" &&
	expect_grep "bad\\\\xff\\\\xfex.go:5" "$ERR" &&
	expect_grep "rlo\\\\u{202e}og.txt.go:5" "$ERR" &&
	expect_grep "sep\\\\u{2028}x.go:5" "$ERR"
'

test_expect_success 'a hostile issue trailer is quoted escaped in the rule message' '
	git checkout -q -b trailer origin/main &&
	compliant_go | sed -e "s/platform-runtime@example.com/team-runtime/" >t.go &&
	git add t.go &&
	git commit -q -m "$(printf "t\n\nIssue: \033]8;;http://evil\033\\\\PLAT-1\033]8;;\033\\\\\rX\nPlatform-Signoff: Pat <pat@example.com>")" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "linkname.issue" "$ERR" &&
	expect_grep "\\\\e]8;;http://evil" "$ERR" &&
	expect_terminal_safe "$ERR"
'

test_expect_success 'a hostile owner in a rationale is quoted escaped' '
	git checkout -q -b owner origin/main &&
	compliant_go | sed -e "s/platform-runtime@example.com/$(printf "\033[8m\342\200\256hid\302\205den")/" >o.go &&
	git add o.go && git commit -q -m "o

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "linkname.owner" "$ERR" &&
	expect_grep "\\\\e\[8m\\\\u{202e}hid\\\\u{0085}den" "$ERR" &&
	expect_terminal_safe "$ERR"
'

test_expect_success 'a commit subject and author with escapes never reach the terminal raw' '
	git checkout -q -b subject origin/main &&
	bare_linkname_go >s.go && git add s.go &&
	GIT_AUTHOR_NAME="$(printf "\033[31mEvil\007")" \
		git commit -q -m "$(printf "\033]0;title\007\033[2J\r\233subject\342\200\256")" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "s.go:5" "$ERR" &&
	expect_terminal_safe "$ERR"
'

test_expect_success 'NUL bytes before the directive (binary by git) do not hide it' '
	git checkout -q -b nulfirst origin/main &&
	{ printf "package m\n\nvar b = \"\000\000\"\n\nimport _ \"unsafe\"\n\n//go:linkname f runtime.f\nfunc f()\n"; } >nul.go &&
	commit_all "nul first" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "nul.go:7" "$ERR" && expect_terminal_safe "$ERR"
'

test_expect_success 'a NUL byte inside the directive line: reported, escaped' '
	git checkout -q -b nulin origin/main &&
	printf "package m\n\nimport _ \"unsafe\"\n\n//go:linkname f\000g runtime.f\nfunc f()\n" >nulin.go &&
	commit_all "nul in directive" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "nulin.go:5" "$ERR" && expect_terminal_safe "$ERR"
'

test_expect_success 'a .go symlink is judged with its in-tree target' '
	git checkout -q -b link origin/main &&
	bare_linkname_go | write_file impl/real.txt &&
	ln -s impl/real.txt linked.go && commit_all "link" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "linked.go:5" "$ERR" &&
	expect_no_grep "real.txt" "$ERR"
'

test_expect_success 'symlinks out of the tree, to themselves and in a loop are accepted quietly' '
	git checkout -q -b links origin/main &&
	ln -s ../../../../../../etc/passwd out.go && ln -s /etc/passwd abs.go &&
	ln -s self.go self.go && ln -s loop2.go loop1.go && ln -s loop1.go loop2.go &&
	ln -s impl dir.go && ln -s "$(printf "\033[2J")" esc.go &&
	commit_all "odd links" &&
	push origin HEAD:main && expect_push_accepted &&
	expect_no_grep "remote: linkgate" "$ERR"
'

test_expect_success 'a submodule entry named like a Go file is never read' '
	git checkout -q -b sub origin/main &&
	git update-index --add --cacheinfo 160000,1234567890123456789012345678901234567890,sub.go &&
	git update-index --add --cacheinfo 160000,1234567890123456789012345678901234567890,vendor/x/y.go &&
	git commit -q -m "gitlinks" &&
	push origin HEAD:main && expect_push_accepted &&
	expect_no_grep "remote: linkgate" "$ERR"
'

test_expect_success 'a commit touching 20,000 files is judged in one go' '
	git checkout -q -b wide origin/main &&
	mkdir wide && (cd wide && awk "BEGIN { for (i = 0; i < 20000; i++) { f = \"f\" i \".go\"; print \"package w\" > f; close(f) } }") &&
	bare_linkname_go >wide/zz.go && git add wide && test "$(git ls-files wide | wc -l)" -eq 20001 &&
	commit_all "wide" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "wide/zz.go:5" "$ERR" &&
	expect_grep "checked 1 commit and 1 finding" "$ERR"
'

# The base history is an admin's seeding: pushed with the hook set aside.
push_unchecked() {
	mv ../srv.git/hooks/pre-receive ../pre-receive.off &&
	git push -q origin "$@" 2>/dev/null
	rc=$?
	mv ../pre-receive.off ../srv.git/hooks/pre-receive
	return $rc
}

test_expect_success 'a directive moved across 200,000 lines of one file is not new' '
	git checkout -q -b long origin/main &&
	{ compliant_go | sed -n "1,6p"; awk "BEGIN { for (i = 0; i < 200000; i++) print \"// filler \" i }";
	  compliant_go | sed -n "7,\$p"; } >long.go &&
	commit_all "long" && push_unchecked HEAD:refs/heads/long &&
	{ compliant_go | sed -n "1,6p"; compliant_go | sed -n "7,\$p";
	  awk "BEGIN { for (i = 0; i < 200000; i++) print \"// filler \" i }"; } >long.go &&
	commit_all "move the directive up" &&
	push origin HEAD:refs/heads/long && expect_push_accepted &&
	expect_no_grep "remote: linkgate" "$ERR"
'

test_expect_success 'one directive added among 50,000 identical ones is one finding' '
	git checkout -q -b many origin/main &&
	{ bare_linkname_go | sed -n "1,4p"; awk "BEGIN { for (i = 0; i < 50000; i++) print \"//go:linkname f runtime.f\" }"; } >many.go &&
	commit_all "many" && push_unchecked HEAD:refs/heads/many &&
	echo "//go:linkname f runtime.f" >>many.go && commit_all "one more" &&
	push origin HEAD:refs/heads/many && expect_push_rejected &&
	expect_grep "many.go:50005" "$ERR" &&
	expect_grep "checked 1 commit and 1 finding" "$ERR"
'

test_done

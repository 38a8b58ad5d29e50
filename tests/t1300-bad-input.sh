#!/bin/sh
# Bad input and failing parts: a clear one-line reason, a non-zero exit, no
# crash, nothing written to the repository, nothing raw on the terminal.
. "$LG_SRCDIR/tests/test-lib.sh"

write_test_config trailer
Z=0000000000000000000000000000000000000000

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted && cd ..
'

test_expect_success 'malformed hook input exits 2 with one line' '
	(cd srv.git && printf "not a push line\n" | "$LINKGATE" pre-receive 2>"$TRASH/err"); expect_status $? 2 &&
	expect_grep "malformed hook input line 1" "$TRASH/err" &&
	test "$(wc -l <"$TRASH/err")" -eq 1
'

test_expect_success 'an unknown pushed object is rejected, never "nothing to check"' '
	(cd srv.git && printf "%s %s refs/heads/x\n" $Z 1234567890123456789012345678901234567890 |
		"$LINKGATE" pre-receive 2>"$TRASH/err"); expect_status $? 3 &&
	expect_grep "cannot be read" "$TRASH/err"
'

test_expect_success 'a quarantine the hook cannot see rejects the push' '
	head=$(git --git-dir=srv.git rev-parse main) &&
	(cd srv.git && printf "%s %s refs/heads/y\n" $Z $head |
		GIT_OBJECT_DIRECTORY=/nonexistent/quarantine "$LINKGATE" pre-receive 2>"$TRASH/err"); expect_status $? 3 &&
	expect_grep "GIT_OBJECT_DIRECTORY" "$TRASH/err"
'

test_expect_success 'a missing alternate object directory rejects the push' '
	head=$(git --git-dir=srv.git rev-parse main) &&
	(cd srv.git && printf "%s %s refs/heads/y\n" $Z $head |
		GIT_OBJECT_DIRECTORY="$PWD/objects" GIT_ALTERNATE_OBJECT_DIRECTORIES="/nonexistent/a:\"/quoted:path\"" \
		"$LINKGATE" pre-receive 2>"$TRASH/err"); expect_status $? 3 &&
	expect_grep "alternate object directory" "$TRASH/err"
'

test_expect_success 'a ref pointing at a tree or a blob is rejected with a clear message' '
	cd work &&
	tree=$(git rev-parse HEAD^{tree}) && blob=$(git rev-parse HEAD:m.go) &&
	push origin "$tree:refs/tags/a-tree" && expect_push_rejected &&
	expect_grep "refs/tags/a-tree points at a tree" "$ERR" &&
	push origin "$blob:refs/tags/a-blob" && expect_push_rejected &&
	expect_grep "points at a blob" "$ERR"
'

test_setup 'a server installed without --config, so the lookup order applies' '
	git init -q --bare plain.git && "$LINKGATE" install plain.git >/dev/null &&
	(cd work && git push -q ../plain.git main 2>/dev/null)
'

test_expect_success 'a missing configuration named by LINKGATE_CONFIG rejects (exit 2)' '
	cd work && git checkout -q -b c1 origin/main && echo "// x" >>m.go && commit_all "x" &&
	LINKGATE_CONFIG=/nonexistent/linkgate.yml git push ../plain.git HEAD:main >/dev/null 2>"$TRASH/err"; test $? -ne 0 &&
	expect_grep "remote: linkgate: push rejected: configuration /nonexistent/linkgate.yml" "$TRASH/err"
'

test_expect_success 'a broken configuration rejects with file:line:column' '
	printf "mode: enforce\nmode: warn\n" >dup.yml &&
	cd work && git checkout -q -b c2 origin/main && echo "// y" >>m.go && commit_all "y" &&
	LINKGATE_CONFIG="$TRASH/dup.yml" git push ../plain.git HEAD:main >/dev/null 2>"$TRASH/err"; test $? -ne 0 &&
	expect_grep "remote: linkgate: push rejected: .*dup.yml:2:" "$TRASH/err" &&
	git config -f ../plain.git/config linkgate.config "$TRASH/dup.yml" &&
	git push ../plain.git HEAD:main >/dev/null 2>"$TRASH/err"; test $? -ne 0 &&
	expect_grep "dup.yml:2:" "$TRASH/err"
'

test_expect_success 'control bytes in paths and messages never reach the terminal raw' '
	cd work && git checkout -q -b esc origin/main &&
	name=$(printf "evil\033]0;pwned\007\033[31m.go") &&
	bare_linkname_go >"$name" &&
	git add -A && git commit -q -m "$(printf "msg \033[2J\233 clear")" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "evil" "$ERR" &&
	! grep -q "$(printf "\033")" "$ERR" &&
	! grep -q "$(printf "\007")" "$ERR" &&
	! LC_ALL=C grep -q "$(printf "\233")" "$ERR"
'

test_expect_success 'a directive in a file with NUL bytes is still found' '
	cd work && git checkout -q -b nul origin/main &&
	{ bare_linkname_go; printf "var x = \"\000\"\n"; } >nul.go && commit_all "nul" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "nul.go:5" "$ERR"
'

test_expect_success 'a blob over limits.max_blob_mb that mentions the needle is a limit rejection' '
	printf "limits:\n  max_blob_mb: 1\n" >small.yml &&
	git init -q --bare lim.git && "$LINKGATE" install --config "$TRASH/small.yml" lim.git >/dev/null &&
	cd work && git checkout -q -b big origin/main &&
	{ awk "BEGIN { for (i = 0; i < 60000; i++) print \"// filler line \" i }"; bare_linkname_go; } >huge.go &&
	awk "BEGIN { for (i = 0; i < 60000; i++) print \"// filler line \" i }" >clean.go &&
	commit_all "huge" &&
	push ../lim.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "max_blob_mb" "$ERR"
'

test_expect_success 'a big blob without a needle is accepted' '
	cd work && git checkout -q -b big2 origin/main &&
	awk "BEGIN { for (i = 0; i < 60000; i++) print \"// filler line \" i }" >clean.go &&
	commit_all "clean big" &&
	push ../lim.git HEAD:refs/heads/other && expect_push_accepted
'

test_expect_success 'a non-UTF-8 path is ordinary content, shown escaped' '
	cd work && git checkout -q -b nonutf origin/main &&
	name=$(printf "bad\377name.go") &&
	bare_linkname_go >"$name" && commit_all "non-utf8 path" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "bad\\\\xffname.go:5" "$ERR" &&
	! LC_ALL=C grep -q "$(printf "\377")" "$ERR"
'

test_expect_success 'output is capped at limits.max_output_lines with an "and N more" line' '
	printf "limits:\n  max_output_lines: 12\n" >cap.yml &&
	git init -q --bare cap.git && "$LINKGATE" install --config "$TRASH/cap.yml" cap.git >/dev/null &&
	cd work && git checkout -q -b many origin/main &&
	{ printf "package many\n\nimport _ \"unsafe\"\n\n"; i=0; while [ $i -lt 30 ]; do
		printf "//go:linkname f%d runtime.f%d\nfunc f%d()\n" $i $i $i; i=$((i + 1)); done; } >many.go &&
	commit_all "many" &&
	push ../cap.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "and [0-9][0-9]* more" "$ERR" &&
	test "$(grep -c "^remote:" "$ERR")" -le 12
'

test_expect_success 'the time limit rejects with its reason; on_error: accept turns it into a logged accept' '
	cat >spin.lua <<-\LUA &&
	local lg = require "linkgate"
	lg.rule { id = "test.spin", on = "linkname", severity = "error",
	  check = function(f) while true do end end }
	LUA
	cat >slow.yml <<-CFG &&
	policies: ["$TRASH/spin.lua"]
	limits: {timeout_ms: 300, lua_instructions: 2000000000}
	CFG
	cat >slow-accept.yml <<-CFG &&
	policies: ["$TRASH/spin.lua"]
	limits: {timeout_ms: 300, lua_instructions: 2000000000}
	on_error: accept
	CFG
	git init -q --bare slow.git && "$LINKGATE" install --config "$TRASH/slow.yml" slow.git >/dev/null &&
	git init -q --bare slowok.git && "$LINKGATE" install --config "$TRASH/slow-accept.yml" slowok.git >/dev/null &&
	cd work && git checkout -q -b spin origin/main &&
	bare_linkname_go | write_file s/s.go && commit_all "spin" &&
	push ../slow.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "time limit" "$ERR" &&
	push ../slowok.git HEAD:refs/heads/main && expect_push_accepted &&
	expect_grep "time limit" "$ERR" &&
	expect_grep "push accepted because on_error is accept" "$ERR"
'

test_expect_success 'on_error: accept does not cover other limits' '
	printf "limits:\n  max_commits: 1\non_error: accept\n" >few.yml &&
	git init -q --bare few.git && "$LINKGATE" install --config "$TRASH/few.yml" few.git >/dev/null &&
	cd work && push ../few.git origin/main~0:refs/heads/main 2>/dev/null; git checkout -q -b few origin/main &&
	echo a >a.txt && commit_all a && echo b >b.txt && commit_all b &&
	push ../few.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "max_commits" "$ERR"
'

test_expect_success 'a partial-clone repository is refused with a clear message' '
	git init -q --bare pc.git &&
	git -C pc.git config core.repositoryformatversion 1 &&
	git -C pc.git config extensions.partialclone origin &&
	"$LINKGATE" install pc.git 2>"$TRASH/err"; expect_status $? 2 &&
	expect_grep "partial clone" "$TRASH/err" &&
	cp plain.git/hooks/pre-receive pc.git/hooks/pre-receive &&
	cd work && push ../pc.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "partial clone" "$ERR"
'

test_expect_success 'a SHA-256 repository is refused with a clear message' '
	git init -q --bare --object-format=sha256 s256.git &&
	"$LINKGATE" install s256.git 2>"$TRASH/err"; expect_status $? 2 &&
	expect_grep "sha256 object format" "$TRASH/err" &&
	cp plain.git/hooks/pre-receive s256.git/hooks/pre-receive &&
	git init -q --object-format=sha256 w256 && cd w256 &&
	echo "package m" >m.go && commit_all "sha256" &&
	push ../s256.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "SHA-256 object ids" "$ERR"
'

test_done

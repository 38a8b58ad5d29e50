#!/bin/sh
# linkgate install for each platform: where the hook goes, idempotence,
# chaining a foreign hook (which runs first, with the same input), and the
# platforms' own hook dispatchers running it.
. "$LG_SRCDIR/tests/test-lib.sh"

write_test_config trailer
CFG="$TRASH/linkgate.yml"

# A foreign pre-receive hook that records its input and arguments, and
# rejects a push to refs/heads/frozen.
foreign_hook() {
	cat <<-EOF
	#!/bin/sh
	cat >"$TRASH/foreign.in"
	echo "\$*" >"$TRASH/foreign.args"
	echo "foreign hook ran"
	if grep -q " refs/heads/frozen\$" "$TRASH/foreign.in"; then
		echo "frozen is frozen" >&2
		exit 7
	fi
	EOF
}

test_expect_success 'install is idempotent and says what it did' '
	git init -q --bare idem.git &&
	"$LINKGATE" install --config "$CFG" idem.git >out1 &&
	expect_grep "installed pre-receive hook in .*idem.git/hooks/pre-receive" out1 &&
	cp idem.git/hooks/pre-receive first &&
	"$LINKGATE" install --config "$CFG" idem.git >out2 &&
	expect_grep "already installed" out2 &&
	cmp first idem.git/hooks/pre-receive &&
	"$LINKGATE" install idem.git >out3 &&
	expect_grep "updated pre-receive hook" out3 &&
	! grep -q -- --config idem.git/hooks/pre-receive
'

test_expect_success 'an unknown platform and conflicting options are usage errors' '
	"$LINKGATE" install --platform nope idem.git 2>err; expect_status $? 2 &&
	expect_grep "unknown platform" err &&
	"$LINKGATE" install --force --chain idem.git 2>err; expect_status $? 2 &&
	expect_grep "choose one" err &&
	"$LINKGATE" install --update --pre-push idem.git 2>err; expect_status $? 2
'

test_setup 'set up a repository with a foreign pre-receive hook and a clone' '
	git init -q --bare ch.git &&
	foreign_hook >ch.git/hooks/pre-receive && chmod +x ch.git/hooks/pre-receive &&
	cp ch.git/hooks/pre-receive "$TRASH/foreign.orig" &&
	git clone -q ch.git work 2>/dev/null &&
	(cd work && echo "package m" >m.go && commit_all "initial")
'

test_expect_success 'a foreign hook is refused with a hint at --chain and --force' '
	"$LINKGATE" install --config "$CFG" ch.git 2>err; expect_status $? 2 &&
	expect_grep "not installed by linkgate" err &&
	expect_grep "use --chain" err &&
	cmp "$TRASH/foreign.orig" ch.git/hooks/pre-receive
'

test_expect_success 'install --chain keeps the foreign hook and runs it first' '
	"$LINKGATE" install --chain --config "$CFG" ch.git >out &&
	expect_grep "moved the existing hook" out &&
	expect_grep "(chained)" out &&
	cmp "$TRASH/foreign.orig" ch.git/hooks/pre-receive.linkgate-chained &&
	expect_grep "linkgate-hook" ch.git/hooks/pre-receive
'

test_expect_success 'install --chain again is idempotent and keeps the chain' '
	cp ch.git/hooks/pre-receive before &&
	"$LINKGATE" install --chain --config "$CFG" ch.git >out &&
	expect_grep "already installed" out &&
	"$LINKGATE" install --config "$CFG" ch.git >out &&
	expect_grep "already installed" out &&
	cmp before ch.git/hooks/pre-receive &&
	cmp "$TRASH/foreign.orig" ch.git/hooks/pre-receive.linkgate-chained
'

test_expect_success 'the chained hook gets the same stdin as linkgate, and both run' '
	cd work &&
	push origin main && expect_push_accepted &&
	expect_grep "remote: foreign hook ran" "$ERR" &&
	expect_grep "^0\{40\} $(git rev-parse HEAD) refs/heads/main$" "$TRASH/foreign.in" &&
	bare_linkname_go | write_file r/r.go && commit_all "bad" &&
	push origin HEAD:refs/heads/next && expect_push_rejected &&
	expect_grep "remote: foreign hook ran" "$ERR" &&
	expect_grep "remote: linkgate: push rejected" "$ERR" &&
	expect_grep " $(git rev-parse HEAD) refs/heads/next$" "$TRASH/foreign.in"
'

test_expect_success 'a failing chained hook rejects before linkgate looks' '
	cd work &&
	git checkout -q -b fz origin/main && echo "// x" >>m.go && commit_all "frozen change" &&
	push origin HEAD:refs/heads/frozen && expect_push_rejected &&
	expect_grep "remote: frozen is frozen" "$ERR" &&
	expect_grep "chained hook .*pre-receive.linkgate-chained rejected the push (exit 7)" "$ERR"
'

test_expect_success 'a large push input reaches the chained hook whole' '
	cd work &&
	i=0 && while [ $i -lt 300 ]; do
		git branch -q -f many-$i origin/main || return 1
		i=$((i + 1))
	done &&
	push origin "refs/heads/many-*:refs/heads/many-*" && expect_push_accepted &&
	test "$(wc -l <"$TRASH/foreign.in")" -eq 300
'

test_expect_success 'a second foreign hook is not chained over the first' '
	git init -q --bare twice.git &&
	foreign_hook >twice.git/hooks/pre-receive && chmod +x twice.git/hooks/pre-receive &&
	"$LINKGATE" install --chain twice.git >/dev/null &&
	foreign_hook >twice.git/hooks/pre-receive &&
	"$LINKGATE" install --chain twice.git 2>err; expect_status $? 2 &&
	expect_grep "already holds a chained hook" err
'

test_expect_success 'the update hook chains too, with its arguments' '
	git init -q --bare up.git &&
	printf "#!/bin/sh\necho \"\$@\" >\"%s/update.args\"\n" "$TRASH" >up.git/hooks/update && chmod +x up.git/hooks/update &&
	"$LINKGATE" install --update --chain --config "$CFG" up.git >out &&
	expect_grep "installed update hook .*(chained)" out &&
	cd work && push ../up.git origin/main:refs/heads/main && expect_push_accepted &&
	expect_grep "^refs/heads/main 0\{40\} [0-9a-f]\{40\}$" "$TRASH/update.args"
'

test_expect_success 'install --force replaces a foreign hook and says so' '
	git init -q --bare force.git &&
	foreign_hook >force.git/hooks/pre-receive &&
	"$LINKGATE" install --force force.git >out &&
	expect_grep "replaced a hook linkgate did not write" out &&
	test ! -e force.git/hooks/pre-receive.linkgate-chained
'

test_expect_success 'core.hooksPath is honoured' '
	git init -q --bare hp.git && git --git-dir=hp.git config core.hooksPath "$TRASH/shared-hooks" &&
	"$LINKGATE" install hp.git >out &&
	test -x "$TRASH/shared-hooks/pre-receive"
'

test_expect_success 'install notes that break-glass needs push options advertised' '
	printf "bypass: {push_option: linkgate.bypass, allowed: [pat]}\naudit: {syslog: true}\n" >"$TRASH/bypass.yml" &&
	git init -q --bare po.git &&
	"$LINKGATE" install --config "$TRASH/bypass.yml" po.git >out &&
	expect_grep "receive.advertisePushOptions true" out &&
	git --git-dir=po.git config receive.advertisePushOptions true &&
	"$LINKGATE" install --config "$TRASH/bypass.yml" po.git >out &&
	expect_no_grep "advertisePushOptions" out
'

test_expect_success 'install --pre-push puts the pre-push hook into a working clone' '
	git clone -q ch.git dev 2>/dev/null &&
	"$LINKGATE" install --pre-push --config "$CFG" dev >out &&
	expect_grep "installed pre-push hook" out &&
	test -x dev/.git/hooks/pre-push &&
	expect_grep "pre-push --config" dev/.git/hooks/pre-push &&
	"$LINKGATE" install --pre-push --config "$CFG" dev >out &&
	expect_grep "already installed" out
'

test_expect_success 'gitlab: custom_hooks/pre-receive.d in the repository, or a global hooks directory' '
	git init -q --bare gl.git &&
	"$LINKGATE" install --platform gitlab --config "$CFG" gl.git >out &&
	test -x gl.git/custom_hooks/pre-receive.d/linkgate &&
	test ! -e gl.git/hooks/pre-receive &&
	"$LINKGATE" install --platform gitlab --config "$CFG" gl.git >out &&
	expect_grep "already installed" out &&
	mkdir global-hooks &&
	"$LINKGATE" install --platform gitlab --config "$CFG" global-hooks >out &&
	test -x global-hooks/pre-receive.d/linkgate
'

# A dispatcher shaped like the hooks Gitea and GitLab generate: every
# executable file in <hook>.d gets the same stdin.
dispatcher() {
	cat <<-\EOF
	#!/bin/sh
	data=$(cat)
	for hook in "$GIT_DIR/hooks/pre-receive.d"/*; do
		test -x "$hook" && test -f "$hook" || continue
		printf "%s\n" "$data" | "$hook" || exit 1
	done
	EOF
}

test_expect_success 'gitea: hooks/pre-receive.d, run by the platform dispatcher' '
	git init -q --bare gt.git &&
	dispatcher >gt.git/hooks/pre-receive && chmod +x gt.git/hooks/pre-receive &&
	cp gt.git/hooks/pre-receive dispatcher.orig &&
	"$LINKGATE" install --platform gitea --config "$CFG" gt.git >out &&
	test -x gt.git/hooks/pre-receive.d/linkgate &&
	cmp dispatcher.orig gt.git/hooks/pre-receive &&
	"$LINKGATE" install --platform forgejo --config "$CFG" gt.git >out &&
	expect_grep "already installed" out &&
	cd work && git checkout -q -b g origin/main &&
	push ../gt.git origin/main:refs/heads/main && expect_push_accepted &&
	bare_linkname_go | write_file r/r.go && commit_all "bad" &&
	push ../gt.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected" "$ERR"
'

test_expect_success 'gitea: a repository is required' '
	mkdir notrepo &&
	"$LINKGATE" install --platform gitea notrepo 2>err; expect_status $? 2
'

test_expect_success 'gitolite: a LOCAL_CODE directory gets hooks/common/pre-receive' '
	mkdir -p gl-local &&
	"$LINKGATE" install --platform gitolite --config "$CFG" gl-local >out &&
	test -x gl-local/hooks/common/pre-receive &&
	expect_grep "gitolite setup --hooks-only" out &&
	"$LINKGATE" install --platform gitolite --config "$CFG" gl-local >out &&
	expect_grep "already installed" out
'

test_expect_success 'gitolite: a repository gets its own pre-receive, gitolite.s update hook stays' '
	git init -q --bare glr.git &&
	printf "#!/bin/sh\nexit 0\n" >gitolite-update && chmod +x gitolite-update &&
	ln -s "$TRASH/gitolite-update" glr.git/hooks/update &&
	"$LINKGATE" install --platform gitolite --config "$CFG" glr.git >out &&
	test -x glr.git/hooks/pre-receive && test -h glr.git/hooks/update &&
	expect_grep "update hook .* stays" out &&
	"$LINKGATE" install --platform gitolite --update glr.git 2>err; expect_status $? 2 &&
	expect_grep "gitolite.s own update hook" err &&
	test -h glr.git/hooks/update
'

test_expect_success 'gitolite: a symlinked common hook is chained as a link' '
	git init -q --bare gls.git &&
	foreign_hook >common-pre-receive && chmod +x common-pre-receive &&
	ln -s "$TRASH/common-pre-receive" gls.git/hooks/pre-receive &&
	"$LINKGATE" install --platform gitolite --chain gls.git >out &&
	test -h gls.git/hooks/pre-receive.linkgate-chained &&
	test ! -h gls.git/hooks/pre-receive
'

test_expect_success 'ghes: a documented pre-receive script' '
	mkdir ghes-hooks &&
	"$LINKGATE" install --platform ghes --config "$CFG" ghes-hooks >out &&
	test -x ghes-hooks/linkgate-pre-receive.sh &&
	expect_grep "GITHUB_USER_LOGIN" ghes-hooks/linkgate-pre-receive.sh &&
	expect_grep "^exec /usr/local/bin/linkgate pre-receive --config " ghes-hooks/linkgate-pre-receive.sh &&
	expect_grep "site admin dashboard" out &&
	sh -n ghes-hooks/linkgate-pre-receive.sh &&
	"$LINKGATE" install --platform ghes --config "$CFG" ghes-hooks >out &&
	expect_grep "already installed" out &&
	"$LINKGATE" install --platform ghes --update ghes-hooks 2>err; expect_status $? 2
'

test_expect_success 'a repository path with quotes and spaces is quoted in the script' '
	git init -q --bare "odd '\''dir'\'' x.git" &&
	"$LINKGATE" install --config "$CFG" "odd '\''dir'\'' x.git" >out &&
	sh -n "odd '\''dir'\'' x.git/hooks/pre-receive" &&
	cd work && push "../odd '\''dir'\'' x.git" origin/main:refs/heads/main && expect_push_accepted
'

test_done

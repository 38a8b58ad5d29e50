# test-lib.sh — shared setup for linkgate's integration tests (TAP).
#
# Each tNNNN-*.sh sources this, then calls test_expect_success with a name
# and a body of commands chained with &&, as git's own t/ scripts do. The
# tests build real bare repositories, install the hook with
# `linkgate install`, and push with real git, so the hook runs inside git's
# receive quarantine. Nothing leaves the machine: remotes are local paths.

set -u

: "${LINKGATE:?LINKGATE must point at the built binary (make check sets it)}"
: "${LG_SRCDIR:?LG_SRCDIR must point at the source tree}"
: "${LG_BUILDDIR:=$LG_SRCDIR}"

test_name=$(basename "$0" .sh)
TRASH="$LG_BUILDDIR/tests/trash.$test_name"
rm -rf "$TRASH"
mkdir -p "$TRASH" || exit 1
cd "$TRASH" || exit 1

# A private, reproducible git environment.
export HOME="$TRASH"
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL="committer@example.com"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
export GIT_TERMINAL_PROMPT=0
export LANG=C LC_ALL=C TZ=UTC
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_QUARANTINE_PATH \
	LINKGATE_CONFIG GL_USERNAME GITHUB_USER_LOGIN GITEA_PUSHER_NAME GL_USER REMOTE_USER GL_PROTOCOL \
	GIT_PUSH_OPTION_COUNT 2>/dev/null
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global core.autocrlf false

test_count=0
test_failed=0

test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TRASH/.out.$test_count" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed -e 's/^/#   /' "$TRASH/.out.$test_count" | tail -n 40
	fi
}

# Like test_expect_success, but the body runs in this shell so that the
# state it sets up (variables, cwd) carries over to later tests.
test_setup() {
	test_count=$((test_count + 1))
	if eval "$2" >"$TRASH/.out.$test_count" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed -e 's/^/#   /' "$TRASH/.out.$test_count" | tail -n 40
	fi
}

test_done() {
	echo "1..$test_count"
	if [ "$test_failed" -eq 0 ] && [ -z "${LG_KEEP_TRASH:-}" ]; then
		cd "$LG_BUILDDIR" && rm -rf "$TRASH"
	fi
	[ "$test_failed" -eq 0 ]
	exit $?
}

# --- assertions ------------------------------------------------------------

# grep with a message on failure.
expect_grep() {
	if ! grep -q -e "$1" "$2"; then
		echo "expected /$1/ in $2, which holds:"
		cat "$2"
		return 1
	fi
}

expect_no_grep() {
	if grep -q -e "$1" "$2"; then
		echo "did not expect /$1/ in $2, which holds:"
		cat "$2"
		return 1
	fi
}

expect_status() {
	if [ "$1" != "$2" ]; then
		echo "expected exit status $2, got $1"
		return 1
	fi
}

# --- repositories ----------------------------------------------------------

# make_server NAME [CONFIG]: a bare repository with linkgate's pre-receive hook.
make_server() {
	git init -q --bare "$1.git" &&
	if [ $# -ge 2 ] && [ -n "$2" ]; then
		"$LINKGATE" install --config "$2" "$1.git" >/dev/null
	else
		"$LINKGATE" install "$1.git" >/dev/null
	fi
}

# make_clone NAME SERVER: a working clone of the server (empty or not).
make_clone() {
	git clone -q "$TRASH/$2.git" "$1" 2>/dev/null
}

# write_file PATH < content: creates parent directories.
write_file() {
	mkdir -p "$(dirname "$1")" && cat >"$1"
}

# commit_all MESSAGE: commits every change in the current work tree.
commit_all() {
	git add -A && git commit -q --allow-empty -m "$1"
}

# push ARGS...: runs git push, keeping stderr (the remote: lines) in
# $ERR (outside every work tree) and the exit status in $push_status; never
# fails itself.
ERR="$TRASH/push.err"
push() {
	git push "$@" >"$TRASH/push.out" 2>"$ERR"
	push_status=$?
	return 0
}

expect_push_accepted() {
	if [ "$push_status" -ne 0 ]; then
		echo "push was rejected:"
		cat "$ERR"
		return 1
	fi
}

expect_push_rejected() {
	if [ "$push_status" -eq 0 ]; then
		echo "push was accepted:"
		cat "$ERR"
		return 1
	fi
	expect_grep "hook declined" "$ERR"
}

# The directory of test data.
DATA="$LG_SRCDIR/tests/data"

# A configuration for tests: a platform team with one member, trailer-level
# sign-off unless a test says otherwise. Tests written against it push a
# linkname as one file (compliant_go), so linkname.fallback, which needs a
# second file (fallback_go), is off here; t2100-facts.sh tests it with the
# default policy's severity.
write_test_config() {
	cat >"$TRASH/linkgate.yml" <<-CFG
	signoff:
	  team:
	    - {user: pat, email: pat@example.com}
	  verify: ${1:-trailer}
	rules:
	  linkname.fallback: off
	CFG
}

# Go sources used across tests.
compliant_go() {
	cat <<-'GO'
	//go:build go1.20 && !go1.23

	package fastrand

	import _ "unsafe"

	// linkname rationale:
	// why: avoid the math/rand/v2 init overhead in a hot retry path
	// measured gain: 15ns/call vs math/rand/v2 (BenchmarkRetry)
	// target source: src/runtime/stubs.go (Go 1.20-1.22)
	// removed when: go1.23
	// owner: platform-runtime@example.com
	//go:linkname fastrand runtime.fastrand
	func fastrand() uint32
	GO
}

# The fallback for compliant_go: the same name, without //go:linkname, for
# every release outside go1.20-go1.22.
fallback_go() {
	cat <<-'GO'
	//go:build !go1.20 || go1.23

	package fastrand

	import "math/rand"

	func fastrand() uint32 { return rand.Uint32() }
	GO
}

bare_linkname_go() {
	cat <<-'GO'
	package fastrand

	import _ "unsafe"

	//go:linkname fastrand runtime.fastrand
	func fastrand() uint32
	GO
}

COMPLIANT_TRAILERS='Issue: PLAT-123
Platform-Signoff: Pat Platform <pat@example.com>'

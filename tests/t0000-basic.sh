#!/bin/sh
# The command line: help, version, install and its refusals.
. "$LG_SRCDIR/tests/test-lib.sh"

test_expect_success '--version names libgit2 and Lua' '
	"$LINKGATE" --version >out &&
	expect_grep "^linkgate [0-9]" out &&
	expect_grep "libgit2 1\." out &&
	expect_grep "Lua 5\.4" out
'

test_expect_success '--help lists every command' '
	"$LINKGATE" --help >out &&
	for c in pre-receive update install check "config check" "policy show"; do
		expect_grep "$c" out || return 1
	done
'

test_expect_success 'unknown command exits 2' '
	"$LINKGATE" frobnicate 2>err; expect_status $? 2 &&
	expect_grep "unknown command" err
'

test_expect_success 'policy show prints the embedded default policy' '
	"$LINKGATE" policy show builtin:default >out &&
	expect_grep "linkname.rationale" out &&
	expect_grep "checklinkname.remove-by" out
'

test_expect_success 'install puts a pre-receive hook into a bare repository' '
	git init -q --bare a.git &&
	"$LINKGATE" install a.git >out &&
	expect_grep "installed pre-receive hook" out &&
	test -x a.git/hooks/pre-receive &&
	expect_grep "linkgate-hook" a.git/hooks/pre-receive &&
	test ! -e a.git/hooks/update
'

test_expect_success 'install is idempotent' '
	cp a.git/hooks/pre-receive before &&
	"$LINKGATE" install a.git >out &&
	expect_grep "already installed" out &&
	cmp before a.git/hooks/pre-receive
'

test_expect_success 'install --update installs the update hook' '
	git init -q --bare u.git &&
	"$LINKGATE" install --update u.git >out &&
	test -x u.git/hooks/update && test ! -e u.git/hooks/pre-receive
'

test_expect_success 'install refuses to overwrite a foreign hook' '
	git init -q --bare f.git &&
	printf "#!/bin/sh\necho mine\n" >f.git/hooks/pre-receive &&
	"$LINKGATE" install f.git 2>err; expect_status $? 2 &&
	expect_grep "not installed by linkgate" err &&
	expect_grep "echo mine" f.git/hooks/pre-receive
'

test_expect_success 'install --force replaces a foreign hook' '
	"$LINKGATE" install --force f.git >out &&
	expect_grep "linkgate-hook" f.git/hooks/pre-receive
'

test_expect_success 'install checks the configuration first and writes nothing when it is broken' '
	git init -q --bare c.git &&
	printf "mode: [oops\n" >broken.yml &&
	"$LINKGATE" install --config broken.yml c.git 2>err; expect_status $? 2 &&
	expect_grep "broken.yml:" err &&
	test ! -e c.git/hooks/pre-receive
'

test_expect_success 'install into something that is not a repository fails' '
	mkdir notrepo &&
	"$LINKGATE" install notrepo 2>err; expect_status $? 2 &&
	expect_grep "notrepo" err
'

test_expect_success 'a link named pre-receive acts as the hook' '
	ln -s "$LINKGATE" pre-receive &&
	(cd a.git && printf "" | ../pre-receive) &&
	(cd a.git && printf "bogus\n" | ../pre-receive 2>../err); expect_status $? 2 &&
	expect_grep "malformed hook input line 1" err
'

test_done

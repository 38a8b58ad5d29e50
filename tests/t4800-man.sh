#!/bin/sh
# The manual pages render cleanly and say what the binary does: every
# command and option of --help in linkgate(1), every configuration key in
# linkgate.yml(5), every rule of the default policy in linkgate-lua(7).
. "$LG_SRCDIR/tests/test-lib.sh"

MAN="$LG_SRCDIR/man"

test_expect_success 'each page renders with groff without a warning' '
	command -v groff >/dev/null || { echo "groff is missing (Debian package groff-base)"; false; } &&
	for page in linkgate.1 linkgate.yml.5 linkgate-lua.7; do
		groff -man -Tutf8 -ww -z "$MAN/$page" 2>warnings &&
		if [ -s warnings ]; then echo "$page:"; cat warnings; false; fi || return 1
	done
'

test_expect_success 'every command of --help has its section in linkgate(1)' '
	"$LINKGATE" --help >help &&
	sed -n "s/^  \([a-z][a-z-]*\( check\| show\| test\)\{0,1\}\) .*/\1/p" help | sort -u >commands &&
	test "$(wc -l <commands)" -ge 8 &&
	while read -r c; do
		grep -q "^\.SS \"linkgate $c[ \"]" "$MAN/linkgate.1" || { echo "linkgate.1 has no section for $c"; return 1; }
	done <commands
'

test_expect_success 'every option of --help is in linkgate(1)' '
	"$LINKGATE" --help | grep -o -- "--[a-z][a-z-]*" | sort -u >options &&
	sed -e "s/\\\\-/-/g" "$MAN/linkgate.1" >page &&
	while read -r o; do
		grep -q -- "$o" page || { echo "linkgate.1 does not mention $o"; return 1; }
	done <options
'

test_expect_success 'every platform of install is in linkgate(1)' '
	for p in plain gitolite gitlab gitea ghes; do
		grep -q "^\.B $p\$\|^\.BR $p " "$MAN/linkgate.1" || { echo "no entry for $p"; return 1; }
	done
'

test_expect_success 'every configuration key is in linkgate.yml(5)' '
	"$LINKGATE" config check --config /dev/null >dump &&
	sed -n "s/^ *\([a-z_]*\):.*/\1/p" dump | sort -u >keys &&
	test "$(wc -l <keys)" -ge 30 &&
	while read -r k; do
		grep -q "$k" "$MAN/linkgate.yml.5" || { echo "linkgate.yml.5 does not mention $k"; return 1; }
	done <keys
'

test_expect_success 'every rule of the default policy is in linkgate-lua(7)' '
	"$LINKGATE" policy show builtin:default | sed -n "s/.*id = \"\([a-z.-]*\)\".*/\1/p" | sort -u >rules &&
	test "$(wc -l <rules)" -ge 20 &&
	while read -r r; do
		grep -q "$r" "$MAN/linkgate-lua.7" || { echo "linkgate-lua.7 does not mention $r"; return 1; }
	done <rules
'

test_done

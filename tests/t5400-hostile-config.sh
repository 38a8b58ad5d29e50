#!/bin/sh
# Adversarial: configurations that would stall or mislead — regexes that
# backtrack forever (a limit error, never "no match"), globs built to
# backtrack, YAML duplicate keys, aliases (billion laughs, in params too),
# deep nesting and YAML 1.1 coercions. Every bad file is refused with
# FILE:LINE:COLUMN; a hook with one rejects every push (exit 2).
# tests/unit/test-config.c has the parser's own table; t1300 has a
# duplicate key seen through a push.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

test_setup 'set up a clone' '
	git init -q work && cd work &&
	echo "package m" >m.go && commit_all "initial" && cd ..
'

# mkserver NAME YAML: a server with its own configuration (printf format).
mkserver() {
	printf "$2" >"$TRASH/$1.yml" &&
	git init -q --bare "$TRASH/$1.git" &&
	"$LINKGATE" install --config "$TRASH/$1.yml" "$TRASH/$1.git" >/dev/null
}

AAA=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa

test_expect_success 'a backtracking issue_pattern is a limit error, never "does not match"' '
	mkserver redos "signoff: {team: [pat], verify: trailer}\nissue_pattern: \"^(a+)+\$\"\n" &&
	cd work && git checkout -q -b redos main &&
	compliant_go >r.go && git add r.go &&
	git commit -q -m "r

Issue: $AAA!
Platform-Signoff: pat" &&
	push ../redos.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "regex limit reached" "$ERR" &&
	expect_no_grep "does not match issue_pattern" "$ERR"
'

test_expect_success 'a backtracking owners regex is a limit error, never "matches none"' '
	mkserver redos2 "signoff: {team: [pat], verify: trailer}\nowners: [\"^(x+x+)+y\$\"]\n" &&
	cd work && git checkout -q -b redos2 main &&
	compliant_go | sed -e "s/platform-runtime@example.com/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx!y/" >o.go &&
	git add o.go && git commit -q -m "o

$COMPLIANT_TRAILERS" &&
	push ../redos2.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "regex limit reached" "$ERR" &&
	expect_no_grep "matches none of the owners patterns" "$ERR"
'

test_expect_success 'a glob built to backtrack costs nothing: paths.exclude over long paths' '
	mkserver globs "paths: {exclude: [\"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\", \"**/**/**/**/**/**/**/**/**/**/x\"]}\n" &&
	cd work && git checkout -q -b globs main &&
	d=$(printf "%s/" $AAA $AAA $AAA $AAA $AAA $AAA) &&
	mkdir -p "$d" && bare_linkname_go >"$d$AAA$AAA.go" && commit_all "deep" &&
	t0=$(now_ms) && push ../globs.git HEAD:refs/heads/main && t1=$(now_ms) &&
	expect_push_rejected && expect_grep "$AAA.go:5" "$ERR" &&
	echo "elapsed $((t1 - t0)) ms" && test $((t1 - t0)) -lt 3000
'

# config_refused NAME YAML LOCATION TEXT: `config check` refuses YAML
# (printf format) with exit 2 and "FILE:LOCATION: ...TEXT".
config_refused() {
	test_expect_success "refused configuration: $1" "
		printf '$2' >\"\$TRASH/c.yml\" &&
		\"\$LINKGATE\" config check --config \"\$TRASH/c.yml\" >/dev/null 2>\"\$TRASH/c.err\";
		expect_status \$? 2 &&
		expect_grep 'c.yml:$3: .*$4' \"\$TRASH/c.err\" &&
		expect_lines 1 \"\$TRASH/c.err\" && expect_terminal_safe \"\$TRASH/c.err\"
	"
}

config_refused 'a duplicate top-level key' 'mode: warn\nscope: push\nmode: enforce\n' '3:1' 'duplicate'
config_refused 'a duplicate key in a flow mapping' 'limits: {timeout_ms: 100, timeout_ms: 200}\n' '1:27' 'duplicate key (first at line 1, column 10)'
config_refused 'a duplicate key under free-form params' 'params:\n  a: 1\n  b: {x: 1}\n  a: 2\n' '4:3' 'duplicate'
config_refused 'an alias' 'help_url: &u "https://x"\naudit: {log: *u}\n' '1:11' 'alias\|anchor'
config_refused 'billion laughs' 'params:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n' '2:6' 'alias\|anchor'
config_refused 'an alias as a mapping key under params' 'params:\n  &k key: 1\n  *k : 2\n' '2:3' 'alias\|anchor'
config_refused 'a merge key under params' 'params:\n  base: &b {x: 1}\n  y:\n    <<: *b\n' '2:9' 'alias\|anchor'
config_refused 'yes where a boolean is expected' 'audit: {syslog: yes}\n' '1:17' 'audit.syslog'
config_refused 'on where a boolean is expected' 'audit:\n  syslog: on\n' '2:11' 'audit.syslog'
config_refused '0x10 where an integer is expected' 'limits: {max_commits: 0x10}\n' '1:23' 'limits.max_commits'
config_refused '5s where an integer is expected' 'limits:\n  timeout_ms: 5s\n' '2:15' 'limits.timeout_ms'
config_refused '1_000 where an integer is expected' 'limits: {max_findings: 1_000}\n' '1:24' 'limits.max_findings'
config_refused '0o17 where an integer is expected' 'limits: {max_blob_mb: 0o17}\n' '1:23' 'limits.max_blob_mb'
config_refused 'a float where an integer is expected' 'limits: {max_output_lines: 1.5e2}\n' '1:28' 'limits.max_output_lines'
config_refused 'an integer beyond its bound' 'limits: {timeout_ms: 99999999999999999999}\n' '1:22' 'limits.timeout_ms'
config_refused 'a negative limit' 'limits: {max_commits: -1}\n' '1:23' 'limits.max_commits'
config_refused 'a plain null where a string is expected' 'help_url: ~\n' '1:11' 'help_url'
config_refused 'a plain number where a string is expected' 'trailers: {issue: 1.5}\n' '1:19' 'trailers.issue'
config_refused 'a tag' 'mode: !!str enforce\n' '1:7' 'tag'
config_refused 'a tab in the indentation' 'limits:\n\ttimeout_ms: 100\n' '2:1' 'invalid YAML: .*a tab'
config_refused 'an invalid regex' 'issue_pattern: "(unclosed"\n' '1:16' 'issue_pattern'
config_refused 'two documents' 'mode: warn\n---\nmode: audit\n' '2:1' 'multiple documents are not allowed'
config_refused 'a NUL byte' 'help_url: "a\\0b"\n' '1:11' 'help_url: NUL bytes are not allowed'

# Nesting deeper than the parser allows, in params (free-form) and in
# flow style, is refused rather than recursed into.
test_expect_success 'nesting 200 levels deep under params is refused' '
	{ echo "params:"; i=0; while [ $i -lt 200 ]; do
		printf "%*sk%d:\n" $((2 * i + 2)) "" $i; i=$((i + 1)); done
	  printf "%*sv\n" $((2 * i + 2)) ""; } >deep.yml &&
	"$LINKGATE" config check --config "$TRASH/deep.yml" >/dev/null 2>deep.err; expect_status $? 2 &&
	expect_grep "deep.yml:[0-9]*:[0-9]*: .*nest" deep.err
'

test_expect_success 'flow nesting 10,000 levels deep is refused, no stack overflow' '
	awk "BEGIN { printf \"params: {x: \"; for (i = 0; i < 10000; i++) printf \"[\"; for (i = 0; i < 10000; i++) printf \"]\"; print \"}\" }" >flow.yml &&
	"$LINKGATE" config check --config "$TRASH/flow.yml" >/dev/null 2>flow.err; expect_status $? 2 &&
	expect_grep "flow.yml:1:[0-9]*: " flow.err && expect_lines 1 flow.err
'

test_expect_success 'a hook whose configuration hides billion laughs in params rejects every push (exit 2)' '
	mkserver laughs "params:\n  a: &a [x, x, x, x, x, x, x, x, x]\n  b: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" 2>/dev/null;
	test ! -f laughs.git/hooks/pre-receive &&
	git init -q --bare laughs.git && cp "$TRASH/laughs.yml" laughs.git/linkgate.yml &&
	git init -q --bare plain.git && "$LINKGATE" install plain.git >/dev/null &&
	cp plain.git/hooks/pre-receive laughs.git/hooks/ &&
	cd work && push ../laughs.git main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: .*laughs.git/*linkgate.yml:2:6: params.a: anchors are not allowed" "$ERR" &&
	printf "%s %s refs/heads/x\n" $Z40 $(git rev-parse main) >../in &&
	hook_run ../laughs.git "" <../in && expect_status $hook_status 2
'

test_done

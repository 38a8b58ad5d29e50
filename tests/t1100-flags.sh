#!/bin/sh
# -checklinkname=0 and its spellings, pushed for real.
. "$LG_SRCDIR/tests/test-lib.sh"

write_test_config trailer
soon=$(date -u -d "+30 days" +%F)
past=$(date -u -d "-1 day" +%F)
far=$(date -u -d "+400 days" +%F)

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	printf "build:\n\tgo build ./...\n" >Makefile && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success '-checklinkname=0 added to a Makefile without trailers is rejected' '
	git checkout -q -b f1 origin/main &&
	printf "build:\n\tgo build -ldflags=-checklinkname=0 ./...\n" >Makefile && commit_all "disable check" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "Makefile:2" "$ERR" &&
	for r in checklinkname.issue checklinkname.owner checklinkname.remove-by checklinkname.signoff; do
		expect_grep "$r" "$ERR" || return 1
	done
'

test_expect_success 'the same change with every required trailer is accepted' '
	git commit -q --amend -m "disable check

Issue: PLAT-9
Owner: platform-runtime@example.com
Remove-By: $soon
Platform-Signoff: Pat Platform <pat@example.com>" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'a Remove-By date in the past is rejected' '
	git fetch -q && git checkout -q -b f2 origin/main &&
	echo "GOFLAGS=-ldflags=--checklinkname=false" >env.sh && git add env.sh &&
	git commit -q -m "flags

Issue: PLAT-9
Owner: platform-runtime@example.com
Remove-By: $past
Platform-Signoff: Pat Platform <pat@example.com>" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "checklinkname.remove-by" "$ERR" &&
	expect_no_grep "checklinkname.issue" "$ERR"
'

test_expect_success 'a Remove-By date beyond removal.max_days is rejected' '
	git commit -q --amend -m "flags

Issue: PLAT-9
Owner: platform-runtime@example.com
Remove-By: $far
Platform-Signoff: Pat Platform <pat@example.com>" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "checklinkname.remove-by" "$ERR"
'

test_expect_success 'an issue that does not match issue_pattern is rejected' '
	git commit -q --amend -m "flags

Issue: soon
Owner: platform-runtime@example.com
Remove-By: $soon
Platform-Signoff: Pat Platform <pat@example.com>" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "checklinkname.issue" "$ERR"
'

test_expect_success 'look-alikes that do not switch the check off are accepted' '
	git fetch -q && git checkout -q -b f3 origin/main &&
	write_file lookalikes.mk <<-\MK &&
	export GODEBUG=checklinkname=0
	LDFLAGS=-checklinkname=1
	LDFLAGS2=-checklinkname
	LDFLAGS3=-checklinkname 0
	TAGS=checklinkname_off
	MK
	commit_all "look-alikes" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'every disabling spelling in a workflow is found' '
	git fetch -q && git checkout -q -b f4 origin/main &&
	write_file .github/workflows/ci.yml <<-\YML &&
	jobs:
	  build:
	    steps:
	      - run: go build -ldflags="-checklinkname=f" ./...
	      - run: go build -ldflags "all=--checklinkname=FALSE" ./...
	YML
	commit_all "ci" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "ci.yml:4" "$ERR" &&
	expect_grep "ci.yml:5" "$ERR"
'

test_expect_success 'moving a flag line unchanged to another file is not new' '
	git fetch -q && git checkout -q -b f5 origin/main &&
	grep checklinkname Makefile >moved.mk && printf "build:\n\tgo build ./...\n" >Makefile &&
	commit_all "move the flag" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'a documentation mention is a warning only' '
	git fetch -q && git checkout -q -b f6 origin/main &&
	echo "Never build with -checklinkname=0." >NOTES.md && commit_all "docs" &&
	push origin HEAD:main && expect_push_accepted &&
	expect_grep "checklinkname.mention" "$ERR" &&
	expect_grep "warning" "$ERR"
'

test_done

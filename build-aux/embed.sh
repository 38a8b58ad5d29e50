#!/bin/sh
# embed.sh NAME FILE: prints a C file defining `const char NAME[]` (the file's
# bytes plus a NUL) and `const size_t NAME_len`. Uses only od and sed, so
# the build needs no xxd.
set -e
name=$1
file=$2
printf '/* Generated from %s by build-aux/embed.sh; do not edit. */\n' "$(basename "$file")"
printf '#include <stddef.h>\n#include "linkgate/embed.h"\n'
printf 'const char %s[] = {\n' "$name"
od -An -v -tx1 "$file" | sed -e 's/  */ /g' -e 's/^ //' -e '/^$/d' -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'
printf '0x00 };\n'
printf 'const size_t %s_len = sizeof(%s) - 1;\n' "$name" "$name"

/*
 * gomod.h — the parts of go.mod and vendor/modules.txt linkgate reads: the
 * module path, the `go` and `toolchain` lines, and which vendored module a
 * package belongs to.
 *
 * Both readers are linear, never fail and never trust the input: a go.mod
 * they cannot read has its error recorded (the facts that depend on it are
 * then unknown), and modules.txt lines they do not understand are skipped.
 */
#ifndef LINKGATE_GOMOD_H
#define LINKGATE_GOMOD_H

#include "linkgate/common.h"

struct lg_gomod {
	char *module;           /* NULL when there is no readable module line */
	int go;                 /* minor of the go line, -1 if none */
	int toolchain;          /* minor of the toolchain line, -1 if none */
	char *error;            /* why the file could not be read fully, or NULL */
};

void lg_gomod_parse(struct lg_gomod *out, const char *buf, size_t len);
void lg_gomod_release(struct lg_gomod *m);

/* The minor of a Go version ("1.21", "1.21.3", "1.22rc1", "go1.23.0";
 * with allow_go_prefix only "go1.N..." forms are taken for a leading
 * "go"), or -1. */
int lg_go_minor(const char *s, size_t n, bool go_prefix);

/* The module that vendors package pkg (an import path under vendor/),
 * from a vendor/modules.txt: the "# module version" section that lists the
 * package, else the longest module path that is a prefix of it. NULL when
 * none. Caller frees. */
char *lg_modules_txt_module(const char *buf, size_t len, const char *pkg);

#endif

/*
 * gosrc.h — verifying linkname targets against Go source trees (config
 * `go_source`; the review checklist's "target symbol verified in the
 * runtime source" and "signature copied verbatim", done by the machine).
 *
 * Each configured directory is one Go release: a GOROOT (with VERSION and
 * src/), its src/ directory, or a Debian golang-1.N-src tree. The release
 * comes from the VERSION file ("go1.22.3"), else from a "go-1.N", "go1.N"
 * or "golang-1.N" path element; a directory that is neither a Go source
 * tree nor names its release is a configuration error.
 *
 * A target exists in a release when the target package's directory (its
 * non-test .go files, whatever their build constraints) declares the
 * symbol at package level (methods as "(*T).M" / "T.M"), or when the
 * runtime pushes it there with `//go:linkname local pkg.sym`. Each package
 * directory is read once per tree and indexed.
 */
#ifndef LINKGATE_GOSRC_H
#define LINKGATE_GOSRC_H

#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/godecl.h"

struct lg_gosrc;

/* Opens every tree of dirs (which may be empty). Returns 0 or LG_ECONFIG
 * naming the directory that is not a usable tree. */
int lg_gosrc_new(struct lg_gosrc **out, const struct lg_strlist *dirs);
void lg_gosrc_free(struct lg_gosrc *gs);
/* The number of trees. */
size_t lg_gosrc_count(const struct lg_gosrc *gs);

/* Fills f->target_check for every tree whose release f's constraint admits
 * (f->file.go_versions, unknown: every tree) at or above go.mod's go line,
 * in release order; local is the local name's declaration in f's file (may
 * be NULL: shapes are then unknown). Sets f->target_check_known. Does
 * nothing for targets outside the standard library. Returns 0 (a tree or
 * file that cannot be read leaves that answer unknown). */
int lg_gosrc_check(struct lg_gosrc *gs, struct lg_finding *f, const struct lg_godecl *local);

#endif

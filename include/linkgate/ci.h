/*
 * ci.h — the Go versions a repository's CI builds with (the seed's "CI
 * matrix exercises both linkname and fallback"), read from its GitHub
 * Actions workflows (.github/workflows/NAME.yml or .yaml) and .gitlab-ci.yml with
 * libyaml (yamlx.h).
 *
 * GitHub Actions: every `go-version` a step passes (`with:`), resolved
 * through `${{ matrix.X }}` (the job's matrix values and `include:`
 * entries) and `${{ env.X }}` (job, then workflow `env:`);
 * `go-version-file` counts as go.mod's go line; container images
 * `golang:V`. GitLab CI: `image:` (a string or `name:`) `golang:V` of
 * every job, `default:` and the top level, with `$VAR`/`${VAR}` resolved
 * through `parallel: matrix:` entries and job, then global, `variables:`.
 * Tip: a version "tip", "gotip" or "master", or a script that runs gotip.
 *
 * Versions are kept as written after resolution ("1.22", "1.23.x",
 * "stable"), minus a leading "^", "~", ">=" or "v"; image tags lose their
 * variant suffix ("1.22-alpine" -> "1.22"). Duplicates are dropped.
 */
#ifndef LINKGATE_CI_H
#define LINKGATE_CI_H

#include "linkgate/common.h"
#include "linkgate/finding.h"

/* True if path (in the tree) is a CI file this module reads. */
bool lg_ci_path(const char *path);

/* Adds what the CI file at path says to ci (present, files, versions, tip;
 * a file that does not parse adds "path: message" to errors). root_go is
 * the minor of the root go.mod's go line, for go-version-file, or -1. */
void lg_ci_read(struct lg_ci *ci, const char *path, const char *buf, size_t len, int root_go);

#endif

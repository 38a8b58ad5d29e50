/*
 * sshsig.h — verifying a commit's SSH signature for `signoff.verify: ssh`
 * (SPEC "Sign-off"), as git does for gpg.format=ssh, with ssh-keygen.
 *
 * The signed payload is the commit object without its gpgsig header
 * (git_commit_extract_signature()); the signature must be an armored
 * "SSH SIGNATURE" in the git namespace. `ssh-keygen -Y find-principals`
 * lists the principals allowed_signers gives the signing key, and
 * `ssh-keygen -Y verify -n git -I PRINCIPAL` decides: the signer is the
 * first principal for which it succeeds, trying the preferred principals
 * (the team members a sign-off names), then the other team members, then
 * what find-principals listed. Keys are judged at the time of the push:
 * ssh-keygen checks valid-after/valid-before against the clock, not against
 * the commit's (forgeable) date.
 *
 * ssh-keygen runs with fork/exec, no shell, the payload on its stdin and
 * the signature in an unlinked temporary file; each run is bounded by the
 * deadline (deadline.h), or by LG_SSHSIG_TIMEOUT_MS when none is set. A
 * signature that does not verify is not an error; failing to run
 * ssh-keygen is.
 */
#ifndef LINKGATE_SSHSIG_H
#define LINKGATE_SSHSIG_H

#include "linkgate/common.h"

#include <git2.h>

/* Bound of one ssh-keygen run when the process has no deadline (check). */
#define LG_SSHSIG_TIMEOUT_MS 10000

struct lg_sshsig_opts {
	const char *allowed_signers;    /* path of an ssh-keygen allowed_signers file */
	const char *const *prefer;      /* principals to try first, in order */
	size_t nprefer;
	const char *const *principals;  /* then these (the team's), in order */
	size_t nprincipals;
};

/* Verifies the signature of commit id. *verified tells whether some
 * principal's verification succeeded; *signer (the caller frees it) is that
 * principal, NULL when none did. An unsigned commit, or one signed with
 * something other than SSH, is simply not verified. Returns 0, LG_ERROR
 * (ssh-keygen cannot be run, or the commit cannot be read) or LG_ETIMEOUT. */
int lg_sshsig_verify_commit(bool *verified, char **signer, git_repository *repo, const git_oid *id,
			    const struct lg_sshsig_opts *o);

/* The same for a signature and payload in memory (sig: the armored text). */
int lg_sshsig_verify(bool *verified, char **signer, const char *sig, size_t siglen, const char *payload,
		     size_t len, const struct lg_sshsig_opts *o);

#endif

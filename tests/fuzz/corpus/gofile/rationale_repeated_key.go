package p

import _ "unsafe"

// linkname rationale:
// continued before any field is ignored
// why: one
// Why: two
//
// measured gain: none
//   really
//go:linkname a runtime.a
func a()

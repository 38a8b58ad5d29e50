package p

import _ "unsafe"

//go:linkname early runtime.early
func early()

// linkname rationale:
// why: speed
// owner:
//go:linkname a runtime.a
func a()

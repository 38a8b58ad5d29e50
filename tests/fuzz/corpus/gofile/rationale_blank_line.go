package p

import _ "unsafe"

// linkname rationale:
// why: speed

// owner: team@example
// removed when: never
//go:linkname a runtime.a
func a()

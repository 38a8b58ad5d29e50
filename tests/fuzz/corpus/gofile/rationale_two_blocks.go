package p

import _ "unsafe"

// linkname rationale:
// why: first
// owner: a@example
//go:linkname a runtime.a
func a()

//go:linkname b runtime.b
func b()

// linkname rationale:
// why: second
// owner: c@example
//go:linkname c runtime.c
func c()

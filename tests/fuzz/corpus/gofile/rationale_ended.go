package p

import _ "unsafe"

// linkname rationale:
// why: code ends the block
var x int
// owner: nobody
//go:linkname a runtime.a
func a()

// linkname rationale:
// why: a directive ends the block
//nolint:unused
// owner: nobody
//go:linkname b runtime.b
func b()

// linkname rationale:
// why: so does a block comment
/* owner: nobody */
// owner: nobody
//go:linkname c runtime.c
func c()

// linkname rationale:
var y = 1 // why: not first on its line
//go:linkname d runtime.d
func d()

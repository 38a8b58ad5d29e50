package p

import _ "unsafe"

// linkname_rationale:
// why: one
//go:linkname a runtime.a
func a()

// LINKNAME-RATIONALE: see the fields
// why: two
//go:linkname b runtime.b
func b()

// linknamerationale:
// why: three
//go:linkname c runtime.c
func c()

	// linkname	rationale:
	// why : four
	//go:linkname d runtime.d
	func d()

package p

import _ "unsafe"

// linkname rationale:
// why: shows malformed directives keep their block
x := 1 //go:linkname a runtime.a
//go:linkname b runtime.b // trailing
//go:linkname   
//go:linkname c

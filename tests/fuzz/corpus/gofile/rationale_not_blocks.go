package p

import _ "unsafe"

var s = `
// linkname rationale:
// why: inside a string
`

/*
// linkname rationale:
// why: inside a comment
*/

var x = 1 // linkname rationale:
// why: after code

// the linkname rationale: is below
// why: not a header

//go:linkname a runtime.a
func a()

package p

import _ "unsafe"

//  Linkname   Rationale :
//WHY: first part
//   continued here
// Measured-Gain: 2x
// target_source : src/runtime/x.go
// Removed When:
// OWNER:   team@example
//go:linkname a runtime.a
func a()

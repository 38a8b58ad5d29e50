package p

import "unsafe"

//go:linkname a runtime.a
func a()

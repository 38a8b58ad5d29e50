package impl

import _ "unsafe"

//go:linkname memhash runtime.memhash
func memhash(p uintptr, h, s uintptr) uintptr

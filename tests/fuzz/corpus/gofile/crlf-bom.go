//go:build linux

package p

import _ "unsafe"

//go:linkname x runtime.x
func x()

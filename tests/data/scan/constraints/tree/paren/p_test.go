//go:build go1.21 &&

package paren

import _ "unsafe"

//go:linkname fastrand2 runtime.fastrand
func fastrand2() uint32

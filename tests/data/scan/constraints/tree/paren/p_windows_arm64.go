//go:build ((go1.21 && !go1.22) || (go1.23 && !go1.25)) && (cgo || !cgo)

package paren

import _ "unsafe"

//go:linkname fastrand runtime.fastrand
func fastrand() uint32

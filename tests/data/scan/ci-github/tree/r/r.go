//go:build go1.21 && !go1.23

package r

import _ "unsafe"

//go:linkname fastrand runtime.fastrand
func fastrand() uint32

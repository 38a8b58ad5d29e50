//go:build go1.21 && !go1.23

package fast

import _ "unsafe"

//go:linkname fastrand runtime.fastrand
func fastrand() uint32

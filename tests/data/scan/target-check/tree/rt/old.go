//go:build go1.20 && !go1.21

package rt

import _ "unsafe"

//go:linkname fastrand2 runtime.fastrand
func fastrand2() uint32

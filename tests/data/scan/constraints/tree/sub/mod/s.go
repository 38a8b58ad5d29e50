//go:build go1.18 && !go1.20

package mod

import _ "unsafe"

// linkname rationale:
// removed when: go1.20
//go:linkname fastrand runtime.fastrand
func fastrand() uint32

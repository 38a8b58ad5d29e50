//go:build go1.18 && !go1.20

package bad

import _ "unsafe"

//go:linkname helper example.com/bad/internal.helper
func helper()

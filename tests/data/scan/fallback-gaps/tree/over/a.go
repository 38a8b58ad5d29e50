//go:build go1.20 && !go1.23

package over

import _ "unsafe"

//go:linkname nanotime runtime.nanotime
func nanotime() int64

//go:linkname cputicks runtime.cputicks
func cputicks() int64

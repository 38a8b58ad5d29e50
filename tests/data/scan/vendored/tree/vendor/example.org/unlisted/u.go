package unlisted

import _ "unsafe"

//go:linkname x runtime.x
var x int

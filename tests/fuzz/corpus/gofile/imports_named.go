package p

import u "unsafe"

var _ = u.Sizeof(0)

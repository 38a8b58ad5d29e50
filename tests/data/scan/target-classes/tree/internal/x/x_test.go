package x

import _ "unsafe"

//go:linkname secret example.com/m/internal/x.secret
func secret() int

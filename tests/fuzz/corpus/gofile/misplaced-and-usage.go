package p
func f() { /* c */ //go:linkname x runtime.x
}
//go:linkname
//go:linkname a b c d
//go:linkname	x y

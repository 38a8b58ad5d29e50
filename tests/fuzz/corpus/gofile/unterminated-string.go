package p
var s = "abc
//go:linkname x runtime.x
func x()

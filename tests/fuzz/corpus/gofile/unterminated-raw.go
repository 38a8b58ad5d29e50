package p
var s = `raw
//go:linkname x runtime.x

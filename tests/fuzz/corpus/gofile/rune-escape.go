package p
import _ "unsafe"
var r = '\'
//go:linkname x runtime.x

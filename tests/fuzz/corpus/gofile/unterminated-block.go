package p
/* unterminated
//go:linkname x runtime.x

package p
ÿş//go:linkname x runtime.x
//go:linknameÂ x runtime.y
//go:linkname xâ€ƒruntime.z

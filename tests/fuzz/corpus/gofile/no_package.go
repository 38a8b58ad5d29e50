// Not a Go file after all.
//go:linkname a runtime.a
func a()

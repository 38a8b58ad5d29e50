//go:build !go1.21 || go1.24

package rt

func fastrand() uint32 { return 0 }
func nanotime() int64  { return 0 }
func now() (int64, int32, int64) { return 0, 0, 0 }
func rtypeString(p uintptr) string { return "" }
func memmove(a, b uintptr, n int32) {}
func gone() {}
func pollOpen(fd uintptr) (uintptr, int) { return 0, 0 }

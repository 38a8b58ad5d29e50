// Synthetic runtime for linkgate's tests: fastrand is gone, nanotime
// changed shape.

package runtime

import "unsafe"

func cheaprand() uint32 {
	return 4
}

func nanotime() (int64, bool) {
	return nanotime1(), true
}

func nanotime1() int64

func memmove(to, from unsafe.Pointer, n uintptr)

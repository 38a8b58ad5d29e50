// Synthetic runtime for linkgate's tests.

package runtime

import "unsafe"

func fastrand() uint32 {
	return 4
}

func nanotime() int64 {
	return nanotime1()
}

func nanotime1() int64

func memmove(to, from unsafe.Pointer, n uintptr)

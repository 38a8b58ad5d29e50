//go:build go1.21 && !go1.24

package rt

import (
	"unsafe"
)

//go:linkname fastrand runtime.fastrand
func fastrand() uint32

//go:linkname nanotime runtime.nanotime
func nanotime() int64

//go:linkname now time.now
func now() (sec int64, nsec int32, mono int64)

//go:linkname rtypeString reflect.(*rtype).String
func rtypeString(t unsafe.Pointer) string

//go:linkname memmove runtime.memmove
func memmove(to, from unsafe.Pointer, n int32)

//go:linkname gone runtime.noSuchFunction
func gone()

//go:linkname pollOpen internal/poll.runtime_pollOpen
func pollOpen(fd uintptr) (uintptr, int)

//go:build go1.17 && !go1.21

package clock

import _ "unsafe"

// linkname rationale:
//   why: the same, before go1.21 moved the clock
//   measured gain: 35ns/op
//   target source: https://go.googlesource.com/go/+/refs/tags/go1.17.0/src/runtime/time_nofake.go
//   removed when: go1.21
//   owner: team-runtime
//go:linkname nanotime runtime.nanotime
func nanotime() int64

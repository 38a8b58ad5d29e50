//go:build go1.21 && !go1.27

package clock

import _ "unsafe"

// linkname rationale:
//   why: time.Now allocates on this path; we need the raw monotonic clock
//   measured gain: 35ns/op and 1 alloc/op less in BenchmarkStamp
//   target source: https://go.googlesource.com/go/+/refs/tags/go1.22.0/src/runtime/time_nofake.go
//   removed when: go1.27 exports a monotonic clock reading
//   owner: team-runtime
//go:linkname nanotime runtime.nanotime
func nanotime() int64

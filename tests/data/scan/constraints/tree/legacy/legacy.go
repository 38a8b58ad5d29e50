// Copyright 2020 Example.

// +build go1.20,!go1.23 linux,go1.21

package legacy

import _ "unsafe"

// LINKNAME RATIONALE:
// Why : the legacy form still counts
// Measured_Gain: 3%
// Target-Source: https://example.com/src
// removed when: go1.22 (the toolchain line
//   has reached it)
// owner: team
//go:linkname fastrand runtime.fastrand
func fastrand() uint32

//go:build !go1.21 || go1.23

package fast

import "math/rand"

func fastrand() uint32 { return rand.Uint32() }

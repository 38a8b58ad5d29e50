// One directive per target class, in SPEC's order.

package m

import _ "unsafe"

//go:linkname pushed
//go:linkname cinit _cgo_init
//go:linkname fastrand runtime.fastrand
//go:linkname load internal/runtime/atomic.Load
//go:linkname setfin runtime/debug.setFinalizer
//go:linkname rtypeString reflect.(*rtype).String
//go:linkname funcPC internal/abi.FuncPCABI0
//go:linkname now time.now
//go:linkname index strings.Index
//go:linkname newer crypto/mlkem.GenerateKey768
//go:linkname vendored vendor/golang.org/x/net/idna.ToASCII
//go:linkname helper example.com/m/internal/x.Helper
//go:linkname other github.com/other/mod.F
//go:linkname look example.com/mother.F

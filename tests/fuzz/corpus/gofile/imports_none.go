package p

// import _ "unsafe"
/* import "unsafe" */
import (
	"fmt"
	"unsafe/x"
	u "unsafe "
	"Unsafe"
)

var s = "unsafe"

//go:linkname a runtime.a
func a()

package p

import (
	"fmt"
	_ "unsafe" // for go:linkname
	os "os"
	. "strings"
)

var _ = fmt.Println

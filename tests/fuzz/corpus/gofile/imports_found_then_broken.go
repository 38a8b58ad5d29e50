package p

import (
	_ "unsafe"
	"fmt
)

package p

import (
	"fmt"
	_ "\x75ns\u0061f\145"
)

package p

import "fmt"
import (
	"os"
)
import /* why */ _ /* not */ "unsafe"

var _ = fmt.Println

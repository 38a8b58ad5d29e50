package p

import (
	"fmt"
	42
)

package p

import (
	"fmt"

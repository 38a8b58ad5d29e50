package p

var x int

import "unsafe"

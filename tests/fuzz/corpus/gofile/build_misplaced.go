package p

//go:build linux

import "fmt"

var _ = fmt.Println

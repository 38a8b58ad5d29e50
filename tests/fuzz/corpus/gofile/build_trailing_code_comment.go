//go:build linux

package p // x

var x int //go:build darwin

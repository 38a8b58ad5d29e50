//go:build linux
//go:build darwin

package p

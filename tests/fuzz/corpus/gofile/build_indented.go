  	//go:build linux

package p

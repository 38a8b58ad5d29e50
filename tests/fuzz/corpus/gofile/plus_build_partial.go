// +build linux

// +build darwin
package p

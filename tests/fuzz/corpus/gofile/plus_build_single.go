// +build linux,amd64 darwin

package p

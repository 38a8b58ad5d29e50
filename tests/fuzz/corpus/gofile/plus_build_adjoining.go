// +build linux
package p

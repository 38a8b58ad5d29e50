/* x */ //go:build linux

package p

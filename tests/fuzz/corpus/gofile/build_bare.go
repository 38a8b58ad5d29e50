//go:buildfoo
//go:build

package p

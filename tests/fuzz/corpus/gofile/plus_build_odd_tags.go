//+build linux
// +build !!x a,,b foo-bar !
// +buildfoo bar
// +build

package p

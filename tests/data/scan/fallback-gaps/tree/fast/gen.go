//go:build ignore

package main

func fastrand() uint32 { return 0 }

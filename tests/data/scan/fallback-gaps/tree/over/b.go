//go:build !go1.22

package over

func nanotime() int64 { return 0 }

//go:build !go1.17 || go1.27

package clock

import "time"

var start = time.Now()

func nanotime() int64 { return int64(time.Since(start)) }

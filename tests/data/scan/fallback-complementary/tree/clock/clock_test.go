package clock

func useNanotime() int64 { return nanotime() }

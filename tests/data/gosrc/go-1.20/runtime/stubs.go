package runtime

func fastrand() uint32 { return 4 }

func nanotime() int64 { return 0 }

package p

import . "unsafe"

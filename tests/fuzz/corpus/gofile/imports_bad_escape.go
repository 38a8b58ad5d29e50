package p

import "uns\qafe"

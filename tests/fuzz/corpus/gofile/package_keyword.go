package func

import "unsafe"

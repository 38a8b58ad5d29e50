package p

import _ `unsafe`

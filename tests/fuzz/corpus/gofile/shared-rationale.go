package p
// linkname rationale:
// why: speed
// measured gain: 5ns
// owner: a@b
//go:linkname x runtime.x
//go:linkname y runtime.y

// linkname_rationale :
// removed when: go1.25
//go:linkname z runtime.z

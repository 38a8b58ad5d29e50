// Package fast has a file of another package in its directory that
// declares the same name: it is no fallback.
package fast

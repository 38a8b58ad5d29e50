// Copyright 2024 Example.

// +build linux,amd64 darwin
// +build !go1.23

package p

// Copyright 2024 Example.
// Use of this source code is governed by a license.

// +build linux

//go:build (linux || darwin) && !cgo

// Package p does things.
package p

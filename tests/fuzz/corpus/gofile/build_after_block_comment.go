/*
 * Copyright 2024 Example.
 */
//go:build linux && amd64

package p

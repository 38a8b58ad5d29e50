/* Copyright */
// +build linux

package p

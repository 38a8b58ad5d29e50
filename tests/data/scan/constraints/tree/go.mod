// The main module.
module "example.com/cons" // quoted, with a comment

go 1.21.3
toolchain go1.23.1

require (
	golang.org/x/sys v0.20.0
)

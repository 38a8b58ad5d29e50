package p; import ( "fmt"; _ "unsafe"; ); func f() {}

module
go one.two

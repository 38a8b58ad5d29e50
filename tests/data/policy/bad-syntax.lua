local lg = require "linkgate"
lg.rule { id = "bad.syntax" on = "linkname" }

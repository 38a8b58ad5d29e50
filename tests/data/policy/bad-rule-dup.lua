local lg = require "linkgate"
lg.rule { id = "bad.dup", on = "linkname", severity = "error", check = function() end }
lg.rule { id = "bad.dup", on = "linkname", severity = "warning", check = function() end }

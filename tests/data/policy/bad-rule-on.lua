local lg = require "linkgate"
lg.rule { id = "bad.on", on = "linknames", severity = "error", check = function() end }

local lg = require "linkgate"
lg.rule { id = "bad.field", on = "linkname", serverity = "error", check = function() end }

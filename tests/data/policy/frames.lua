-- Rules for the frame replay tests: the parent checks that a violation the
-- evaluation process reports is of a rule that applies to the finding.
local lg = require "linkgate"
lg.rule { id = "frames.a", on = "linkname", severity = "error", check = function() end }
lg.rule { id = "frames.b", on = "checklinkname-off", severity = "warning", check = function() end }
lg.rule { id = "frames.off", on = "linkname", severity = "error", check = function() end }

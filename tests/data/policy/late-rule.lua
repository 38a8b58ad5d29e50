-- lg.rule is for load time only.
local lg = require "linkgate"
lg.rule {
  id = "late.rule", on = "linkname", severity = "error",
  check = function()
    lg.rule { id = "late.inner", on = "linkname", severity = "error", check = function() end }
    return "ESCAPED"
  end,
}

-- Sandbox escape: the debug library is not opened.
local lg = require "linkgate"
lg.rule {
  id = "escape.debug", on = "linkname", severity = "error",
  check = function()
    local reg = debug.getregistry()
    return "ESCAPED " .. tostring(reg)
  end,
}

-- Lua runs __gc with hooks off, so a looping finalizer could not be
-- stopped: setmetatable refuses __gc.
local lg = require "linkgate"
lg.rule {
  id = "escape.gc", on = "linkname", severity = "error",
  check = function()
    setmetatable({}, { __gc = function() while true do end end })
    return "ESCAPED"
  end,
}

-- Sandbox escape: collectgarbage (control of the collector) is removed.
local lg = require "linkgate"
lg.rule {
  id = "escape.collectgarbage", on = "linkname", severity = "error",
  check = function()
    collectgarbage("stop")
    return "ESCAPED"
  end,
}

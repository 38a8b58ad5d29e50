-- Sandbox escape: loadfile reads files.
local lg = require "linkgate"
lg.rule {
  id = "escape.loadfile", on = "linkname", severity = "error",
  check = function()
    local fn = loadfile("/etc/passwd")
    return "ESCAPED " .. tostring(fn)
  end,
}

-- Sandbox escape: dofile reads files.
local lg = require "linkgate"
lg.rule {
  id = "escape.dofile", on = "linkname", severity = "error",
  check = function()
    dofile("/etc/passwd")
    return "ESCAPED"
  end,
}

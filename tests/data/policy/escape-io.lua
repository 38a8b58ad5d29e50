-- Sandbox escape: the io library is not opened.
local lg = require "linkgate"
lg.rule {
  id = "escape.io", on = "linkname", severity = "error",
  check = function()
    local fh = io.open("/etc/passwd")
    return "ESCAPED " .. tostring(fh)
  end,
}

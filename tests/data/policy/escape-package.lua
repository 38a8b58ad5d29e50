-- Sandbox escape: the package library (loadlib, searchers) is not opened.
local lg = require "linkgate"
lg.rule {
  id = "escape.package", on = "linkname", severity = "error",
  check = function()
    local f = package.loadlib("libc.so.6", "system")
    return "ESCAPED " .. tostring(f)
  end,
}

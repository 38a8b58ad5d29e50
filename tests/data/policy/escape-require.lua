-- Sandbox escape: require returns only the linkgate module.
local lg = require "linkgate"
lg.rule {
  id = "escape.require", on = "linkname", severity = "error",
  check = function()
    local os = require "os"
    return "ESCAPED " .. tostring(os)
  end,
}

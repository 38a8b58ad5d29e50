-- Sandbox escape: string.dump (bytecode of a function) is removed.
local lg = require "linkgate"
lg.rule {
  id = "escape.string-dump", on = "linkname", severity = "error",
  check = function()
    local code = string.dump(function() end)
    return "ESCAPED " .. #code
  end,
}
lg.rule {
  id = "escape.string-dump-method", on = "linkname", severity = "error",
  check = function()
    local code = ("x").dump(function() end)
    return "ESCAPED " .. #code
  end,
}

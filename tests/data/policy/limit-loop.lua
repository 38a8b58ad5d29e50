-- An infinite loop stops at limits.lua_instructions.
local lg = require "linkgate"
lg.rule {
  id = "limit.loop", on = "linkname", severity = "error",
  check = function()
    while true do end
  end,
}

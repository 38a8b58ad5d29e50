-- A string-doubling memory bomb stops at limits.lua_memory_mb.
local lg = require "linkgate"
lg.rule {
  id = "limit.memory-doubling", on = "linkname", severity = "error",
  check = function()
    local s = "x"
    while true do s = s .. s end
  end,
}

-- pcall cannot swallow the instruction limit: once tripped, it fires on
-- every instruction until the evaluation is unwound.
local lg = require "linkgate"
lg.rule {
  id = "limit.loop-pcall", on = "linkname", severity = "error",
  check = function()
    for _ = 1, 1000 do
      pcall(function() while true do end end)
    end
    return nil
  end,
}

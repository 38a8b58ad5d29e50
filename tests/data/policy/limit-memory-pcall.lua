-- A memory error swallowed by pcall still fails the evaluation.
local lg = require "linkgate"
lg.rule {
  id = "limit.memory-pcall", on = "linkname", severity = "error",
  check = function()
    pcall(function()
      local s = "x"
      while true do s = s .. s end
    end)
    return nil
  end,
}

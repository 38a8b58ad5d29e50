-- Unbounded recursion.
local lg = require "linkgate"
local function deeper(n)
  return deeper(n + 1) + 1
end
lg.rule {
  id = "limit.recursion", on = "linkname", severity = "error",
  check = function()
    return deeper(1)
  end,
}

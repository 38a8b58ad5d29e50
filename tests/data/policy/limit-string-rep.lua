-- string.rep of a huge count.
local lg = require "linkgate"
lg.rule {
  id = "limit.string-rep", on = "linkname", severity = "error",
  check = function()
    return string.rep("x", (1 << 31) - 2)
  end,
}

-- A rule returning a cyclic table is an error, not a pass.
local lg = require "linkgate"
lg.rule {
  id = "limit.cyclic", on = "linkname", severity = "error",
  check = function()
    local t = {}
    t.message = t
    t.hint = t
    return t
  end,
}

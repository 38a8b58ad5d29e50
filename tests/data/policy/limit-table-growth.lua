-- A table that grows without end.
local lg = require "linkgate"
lg.rule {
  id = "limit.table-growth", on = "linkname", severity = "error",
  check = function()
    local t, i = {}, 0
    while true do
      i = i + 1
      t[i] = i
    end
  end,
}

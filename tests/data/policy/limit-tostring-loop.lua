-- An error object whose __tostring never returns: the message handler must
-- not call it.
local lg = require "linkgate"
lg.rule {
  id = "limit.tostring-loop", on = "linkname", severity = "error",
  check = function()
    error(setmetatable({}, { __tostring = function() while true do end end }))
  end,
}

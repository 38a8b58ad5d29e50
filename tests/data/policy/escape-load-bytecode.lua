-- Sandbox escape: load accepts text only, whatever mode is asked for.
local lg = require "linkgate"
local BYTECODE = "\27LuaT\0\25\147\r\n\26\n\4\8\8xV\0\0\0\0\0\0\0\0\0\0\0(w@\1"
lg.rule {
  id = "escape.load-binary-mode", on = "linkname", severity = "error",
  check = function()
    local fn, err = load(BYTECODE, "x", "b")
    if fn then
      return "ESCAPED"
    end
    return tostring(err)
  end,
}
lg.rule {
  id = "escape.load-reader", on = "linkname", severity = "error",
  check = function()
    local parts = { "\27Lua", "T\0" }
    local i = 0
    local fn, err = load(function() i = i + 1 return parts[i] end, "reader", "bt")
    if fn then
      return "ESCAPED"
    end
    return tostring(err)
  end,
}

lg.rule {
  id = "escape.load-bytecode", on = "linkname", severity = "error",
  check = function()
    local fn, err = load(BYTECODE)
    if fn then
      return "ESCAPED"
    end
    error(err, 0)
  end,
}

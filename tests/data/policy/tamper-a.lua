-- Policy A tries to change what every other policy sees.
local lg = require "linkgate"
local blocked = {}

local function try(name, fn)
  if not pcall(fn) then
    blocked[#blocked + 1] = name
  end
end

-- The shared string metatable.
try("mt-index-write", function() getmetatable("").__index.upper = function() return "PWNED" end end)
try("mt-index-replace", function() getmetatable("").__index = { upper = function() return "PWNED" end } end)
try("mt-setmetatable", function() setmetatable(getmetatable(""), {}) end)
try("string-setmetatable", function() setmetatable("", {}) end)
-- The string library reached through a string value.
try("method-table-write", function() local s = ("x").upper; ("x").upper = s end)
-- Its own copies: allowed, and invisible to others.
string.upper = function() return "PWNED" end
string.rep = nil
table.concat = nil
_G.shared_by_a = "leaked"
ipairs = nil
-- The read-only config.
try("config-write", function() lg.config.issue_pattern = ".*" end)
try("config-rawset", function() rawset(lg.config, "issue_pattern", ".*") end)
try("config-nested-write", function() lg.config.trailers.issue = "X" end)
try("params-write", function() lg.params.x = 1 end)

local list = {}
for i = 1, #blocked do list[i] = blocked[i] end
local result = "blocked: "
for i, name in next, list do result = result .. (i > 1 and "," or "") .. name end

lg.rule {
  id = "tamper.a", on = "linkname", severity = "warning",
  check = function()
    return result .. "; own upper: " .. ("abc"):upper()
  end,
}

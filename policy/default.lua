-- linkgate default policy (placeholder)
local lg = require "linkgate"

-- A policy that never finishes loading.
local lg = require "linkgate"
while true do end

-- An escape attempted while the policy loads fails the load.
local lg = require "linkgate"
os.exit(0)

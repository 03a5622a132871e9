-- GET /me/cpd-summary as one member after another: wrk -s summary.lua URL -- tokens.txt
local tokens = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  math.randomseed(tid * 104729)
end

function request()
  local token = tokens[math.random(#tokens)]
  return wrk.format("GET", "/api/v1/me/cpd-summary", {["Authorization"] = "Bearer " .. token})
end

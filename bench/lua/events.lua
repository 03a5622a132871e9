-- GET an event page, a different event each time: wrk -s events.lua URL -- id,id,id
local ids = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  for id in string.gmatch(args[1], "[^,]+") do ids[#ids + 1] = id end
  math.randomseed(tid * 7919)
end

function request()
  return wrk.format("GET", "/api/v1/events/" .. ids[math.random(#ids)])
end

-- Book a seat on one of a few popular events, then cancel it; one connection per thread, so each
-- response answers the request just sent. Each thread books as its own members only.
-- wrk -t N -c N -s book_cancel.lua URL -- tokens.txt event,event N
local tokens, events = {}, {}
local counter = 0
local state, pending, current, threads = "book", nil, nil, 1

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  for id in string.gmatch(args[2], "[^,]+") do events[#events + 1] = id end
  threads = tonumber(args[3])
  current = tid
  math.randomseed(tid * 15485863)
end

function request()
  local headers = {["Authorization"] = "Bearer " .. tokens[current]}
  if state == "cancel" then
    return wrk.format("DELETE", "/api/v1/bookings/" .. pending, headers)
  end
  return wrk.format("POST", "/api/v1/events/" .. events[math.random(#events)] .. "/bookings", headers)
end

function response(status, headers, body)
  if state == "book" and status == 201 then
    pending = string.match(body, '"id":%s*(%d+),%s*"member_id"')
    state = "cancel"
  else
    state = "book"
    current = current + threads
    if current > #tokens then current = tid end
  end
end

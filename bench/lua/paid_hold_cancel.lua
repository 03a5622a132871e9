-- A paid rush: hold a seat at one paid event (card checkout: a held seat, its order and a
-- PaymentIntent at the fake Stripe), then cancel it, again and again; one connection per thread.
-- wrk -t N -c N -s paid_hold_cancel.lua URL -- tokens.txt event_id price_id N
local tokens = {}
local counter = 0
local state, pending, current, threads, event, body = "hold", nil, nil, 1, nil, nil

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  event = args[2]
  body = '{"price_id": ' .. args[3] .. ', "pay_by": "card"}'
  threads = tonumber(args[4])
  current = tid
end

function request()
  local headers = {["Authorization"] = "Bearer " .. tokens[current], ["Content-Type"] = "application/json"}
  if state == "cancel" then
    return wrk.format("DELETE", "/api/v1/bookings/" .. pending, headers)
  end
  return wrk.format("POST", "/api/v1/events/" .. event .. "/bookings", headers, body)
end

function response(status, headers, response_body)
  if state == "hold" and status == 201 then
    -- held, or waitlisted when all five are held: cancel either, so the next hold starts clean
    pending = string.match(response_body, '"id":%s*(%d+),%s*"member_id"')
    state = "cancel"
  else
    state = "hold"
    current = current + threads
    if current > #tokens then current = tid end
  end
end

-- wrk script for bench.wrk: requests read from a file, figures printed as one JSON line.
--
-- Arguments after "--": the requests file (one request a line: METHOD<TAB>PATH<TAB>BODY),
-- "cycle" (wrap round the file) or "once" (each line sent at most once: enrolments), the
-- number of threads, a bearer token (may be empty), the harmless GET path sent while a
-- "once" thread stops after its last line, and the pace: 0 for a closed loop (each connection
-- sends its next request as soon as the answer is in), else the milliseconds each connection
-- waits between an answer and its next request, on average (drawn between half and one and
-- a half of it, so that the connections do not move in step).

local threads = {}

function setup(thread)
   threads[#threads + 1] = thread
   thread:set("thread_id", #threads)
end

-- Globals of each thread, read back by done() through thread:get().
sent = 0
exhausted = false

local requests = {}
local next_index = 0
local once = false
local fallback = nil

function init(args)
   local path, mode, threads, token, spare = args[1], args[2], tonumber(args[3]), args[4], args[5]
   local pace = tonumber(args[6] or "0")
   once = mode == "once"
   if pace > 0 then
      -- wrk looks for delay() after init(): defined only for a paced load.
      math.randomseed(thread_id)
      delay = function() return math.floor(pace * (0.5 + math.random())) end
   end
   local headers = { ["Accept"] = "application/json" }
   if token ~= nil and token ~= "" then
      headers["Authorization"] = "Bearer " .. token
   end
   fallback = wrk.format("GET", spare, headers)
   local line_number = 0
   for line in io.lines(path) do
      -- Each thread takes every n-th line, so that no two threads send the same one.
      if line_number % threads == thread_id - 1 then
         local method, target, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
         local these = headers
         if body ~= "" then
            these = { ["Content-Type"] = "application/json" }
            for name, value in pairs(headers) do these[name] = value end
         else
            body = nil
         end
         requests[#requests + 1] = wrk.format(method, target, these, body)
      end
      line_number = line_number + 1
   end
end

function request()
   next_index = next_index + 1
   if next_index > #requests then
      if once then
         exhausted = true
         wrk.thread:stop()
         return fallback
      end
      next_index = 1
   end
   sent = sent + 1
   return requests[next_index]
end

function done(summary, latency, requests)
   local e = summary.errors
   local total, ran_out = 0, false
   for _, thread in ipairs(threads) do
      total = total + thread:get("sent")
      ran_out = ran_out or thread:get("exhausted")
   end
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
         .. '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
         .. '"max_us": %d, "mean_us": %.1f, "sent": %d, "ran_out": %s}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean, total, tostring(ran_out)))
end

-- wrk script for bench/run.sh.
--
-- HERON_BENCH_KEY selects what each request sends in x-api-key:
--   (unset or "")  nothing                                   (case a)
--   key_...        that fixed token on every request          (cases b and c)
--   @malformed     a different malformed token every request, from 4,096 built in advance (variant d)
--   @random        a different well-formed token with a valid CRC32 every request (variant e), from
--                  65,536 built in advance: each one is unknown to the server and new to it
--
-- done() prints one machine-readable line that run.sh parses:
--   WRKRESULT requests=N duration_us=N non2xx=N socket_errors=N p50_us=N p99_us=N mean_us=N
-- non2xx is wrk's summary.errors.status: every response with a status >= 400.

local mode = os.getenv("HERON_BENCH_KEY") or ""

if mode == "" then
   -- no key: the static request wrk builds from the command line
elseif mode:sub(1, 1) ~= "@" then
   wrk.headers["x-api-key"] = mode
else
   local bit = require("bit")
   local hex = "0123456789abcdef"
   local HEX = "0123456789ABCDEF"

   local crc_table = {}
   for i = 0, 255 do
      local c = i
      for _ = 1, 8 do
         if bit.band(c, 1) == 1 then
            c = bit.bxor(0xEDB88320, bit.rshift(c, 1))
         else
            c = bit.rshift(c, 1)
         end
      end
      crc_table[i] = c
   end

   local function crc32(s)
      local c = 0xFFFFFFFF
      for i = 1, #s do
         c = bit.bxor(crc_table[bit.band(bit.bxor(c, s:byte(i)), 0xFF)], bit.rshift(c, 8))
      end
      return bit.tohex(bit.bnot(c), 8)
   end

   local function random_hex(n, alphabet)
      local t = {}
      for i = 1, n do
         local r = math.random(1, 16)
         t[i] = alphabet:sub(r, r)
      end
      return table.concat(t)
   end

   local path = wrk.path

   -- Malformed keys: right length and prefix, but upper-case hex, so refused before any hashing. The server
   -- keeps nothing about malformed keys, so cycling through requests built in advance is the same to it as new
   -- ones, and costs wrk (which shares the cores with the server) far less than building each one in Lua.
   -- init runs in every thread before wrk starts its clock.
   local prepared, next_index = {}, 0

   init = function(args)
      math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
      if mode == "@malformed" then
         for i = 1, 4096 do
            prepared[i] = wrk.format(nil, path, { ["x-api-key"] = "key_" .. random_hex(48, HEX) })
         end
      elseif mode == "@random" then
         -- The same for invented keys with valid checksums: the server remembers none it has not looked up in
         -- its database (at most 20 a second), so 65,536 of them cycled are as new to it as fresh ones.
         for i = 1, 65536 do
            local body = "key_" .. random_hex(40, hex)
            prepared[i] = wrk.format(nil, path, { ["x-api-key"] = body .. crc32(body) })
         end
      end
   end

   if mode == "@malformed" or mode == "@random" then
      request = function()
         next_index = next_index % #prepared + 1
         return prepared[next_index]
      end
   else
      error("unknown HERON_BENCH_KEY mode " .. mode)
   end
end

done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRKRESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d mean_us=%d\n",
      summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
      latency:percentile(50), latency:percentile(99), latency.mean))
end

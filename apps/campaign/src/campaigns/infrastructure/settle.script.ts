/**
 * One decision, atomically: DOMAIN.md's order from the frequency caps on. KEYS: the decision,
 * the customer's sends (a sorted set of message ids by time), the customer's sends of this
 * campaign, the campaign's spend, the campaign's counters, the customer's arms (a hash by
 * campaign — arm, instant, message, channel, variant, AUM then — for attribution), the customer's
 * facts (an erasure kept there since they were read suppresses). ARGV: now ms, IDLE|SUPPRESSED|CANDIDATE, reason, retry (1|0),
 * decision ttl ms, customer cap n, its window ms, campaign cap n, its window ms, postpone-until
 * ms (0: not quiet), budget (-1: none), cost, control (1|0), messageId, the message's JSON
 * fields, campaignId, channel, variant key, the customer's AUM now, the ISO week (the KPI
 * watch's), the customer's tier (the channel history's). Returns {fresh (1|0), the decision as JSON} or
 * {2} for an IDLE entry never decided.
 *
 * Every check comes before any write, for both arms alike: a control customer is held out only
 * where a treated one would have been sent (caps with room, budget left), so the arms stay the
 * configured shares of the same customers. Held out takes the campaign's slot (once a window, as
 * a treated customer is sent once) but no slot of the customer's cap and no budget: it is not a
 * contact. A postponement is counted once as `postponed`, apart from the
 * suppressions: the message's final outcome is counted when it is taken, at the window's end.
 */
export const SETTLE_SCRIPT = `
local prev = redis.call('GET', KEYS[1])
if ARGV[2] == 'IDLE' then
  if prev then return {0, prev} end
  return {2, ''}
end
local retrying = ARGV[4] == '1' and prev and cjson.decode(prev).o == 'POSTPONED'
if prev and not retrying then return {0, prev} end
local function final(value, stat)
  redis.call('SET', KEYS[1], value, 'PX', ARGV[5])
  if stat then redis.call('HINCRBY', KEYS[5], stat, 1) end
  return {1, value}
end
local function suppressed(reason)
  return final('{"o":"SUPPRESSED","reason":"' .. reason .. '","at":' .. ARGV[1] .. '}', 'suppressed:' .. reason)
end
if ARGV[2] == 'SUPPRESSED' then return suppressed(ARGV[3]) end
-- Erased since its facts were read (PIPL): no consent stands, and nothing of them is kept.
if redis.call('HGET', KEYS[7], 's') == 'ERASED' then return suppressed('NO_CONSENT') end
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[7]))
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[9]))
local control = ARGV[13] == '1'
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[8]) or redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then
  return suppressed('FREQUENCY_CAP')
end
if tonumber(ARGV[10]) > now then
  return final('{"o":"POSTPONED","until":' .. ARGV[10] .. ',"at":' .. ARGV[1] .. '}', (not retrying) and 'postponed' or nil)
end
local budget = tonumber(ARGV[11])
local cost = tonumber(ARGV[12])
if budget >= 0 and tonumber(redis.call('GET', KEYS[4]) or '0') + cost > budget then
  return suppressed('BUDGET')
end
redis.call('ZADD', KEYS[3], now, ARGV[14])
redis.call('PEXPIRE', KEYS[3], ARGV[9])
local function arm(name)
  -- Built as text: cjson writes numbers with 14 digits, too few for an AUM in minor units.
  redis.call('HSET', KEYS[6], ARGV[16], '{"arm":"' .. name .. '","at":' .. ARGV[1] .. ',"messageId":' .. cjson.encode(ARGV[14]) .. ',"channel":' .. cjson.encode(ARGV[17]) .. ',"variant":' .. cjson.encode(ARGV[18]) .. ',"aumMinor":' .. ARGV[19] .. ',"tier":' .. cjson.encode(ARGV[21]) .. '}')
  -- Never shortened: the arms outlive every campaign's sends they name (an erasure finds those sends by them).
  if redis.call('PTTL', KEYS[6]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[6], ARGV[5]) end
end
if control then
  arm('CONTROL')
  return final('{"o":"CONTROL","at":' .. ARGV[1] .. ',' .. ARGV[15] .. '}', 'control')
end
redis.call('ZADD', KEYS[2], now, ARGV[14])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('INCRBY', KEYS[4], cost)
redis.call('HINCRBY', KEYS[5], 'sent', 1)
redis.call('HINCRBY', KEYS[5], 'sent:channel:' .. ARGV[17], 1)
redis.call('HINCRBY', KEYS[5], 'sent:variant:' .. ARGV[18], 1)
redis.call('HINCRBY', KEYS[5], 'costMinor', cost)
redis.call('HINCRBY', KEYS[5], 'sent:week:' .. ARGV[20], 1)
arm('TREATMENT')
return final('{"o":"SENT","at":' .. ARGV[1] .. ',' .. ARGV[15] .. '}', nil)`;

/**
 * The assignment in one Redis step (issue 13, point 2): the chosen RM's open leads counted in the
 * same script that chose them, so two leads racing for an RM's last slot never both land there.
 *
 * KEYS: 1 roster (rmId → JSON { branchId, capacity?, status }), 2 loads (rmId → open leads),
 * 3 owner (customerId → rmId), 4 the branch's RMs (a set).
 * ARGV: 1 customerId, 2 OWN_RM | LEAST_LOADED, 3 the own RM, 4 an RM to pass over, 5 the default
 * limit, 6 the prefix of each RM's set of customers.
 * Answers `{ rmId, how }`, or nil when none can take it. The lead moves from the RM holding it
 * before (their count and set). A lead counted to an ACTIVE RM of the branch already stays with
 * them (not counted again, even at their limit): a step retried after its write failed counts once.
 */
export const ASSIGN_SCRIPT = `
local roster, loads, owner, branch = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local customer, how, own, excluding, limit, setPrefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local function active(rm)
  local entry = redis.call('HGET', roster, rm)
  if not entry then return nil end
  local r = cjson.decode(entry)
  if r.status ~= 'ACTIVE' then return nil end
  return r
end
local previous = redis.call('HGET', owner, customer)
local chosen
if how == 'OWN_RM' and own ~= '' and own ~= excluding and active(own) then
  chosen = own
elseif previous and previous ~= excluding and active(previous) and redis.call('SISMEMBER', branch, previous) == 1 then
  -- Already counted to an RM of the branch who still takes leads: kept there (a retried step, or nothing better to do).
  how = 'LEAST_LOADED'
  chosen = previous
else
  how = 'LEAST_LOADED'
  local bestLoad
  for _, rm in ipairs(redis.call('SMEMBERS', branch)) do
    local r = active(rm)
    if r and rm ~= excluding then
      local load = tonumber(redis.call('HGET', loads, rm) or '0')
      local cap = tonumber(r.capacity or limit)
      if load < cap and (chosen == nil or load < bestLoad or (load == bestLoad and rm < chosen)) then chosen, bestLoad = rm, load end
    end
  end
end
if not chosen then return nil end
if previous == chosen then return { chosen, how } end
if previous then
  if tonumber(redis.call('HGET', loads, previous) or '0') > 0 then redis.call('HINCRBY', loads, previous, -1) end
  redis.call('SREM', setPrefix .. previous, customer)
end
redis.call('HINCRBY', loads, chosen, 1)
redis.call('SADD', setPrefix .. chosen, customer)
redis.call('HSET', owner, customer, chosen)
return { chosen, how }`;

/** KEYS: 1 loads, 2 owner. ARGV: 1 customerId, 2 the prefix of each RM's set. The customer's lead no longer counts against its RM. */
export const RELEASE_SCRIPT = `
local previous = redis.call('HGET', KEYS[2], ARGV[1])
if not previous then return 0 end
if tonumber(redis.call('HGET', KEYS[1], previous) or '0') > 0 then redis.call('HINCRBY', KEYS[1], previous, -1) end
redis.call('SREM', ARGV[2] .. previous, ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

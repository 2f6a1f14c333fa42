# wfl simulate tests/cli/ignored.wfl --events 'close, reject by reviewer, approve by admin, approve by reviewer, approve by reviewer, reopen by admin, close by admin, approve by reviewer'
# Each event ignored says why: no transition from the state names it, the transitions want another actor (one or several), a guard is false, a final state.

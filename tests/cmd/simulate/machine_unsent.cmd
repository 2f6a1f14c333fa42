# wfl simulate tests/run/one_child_sends.wfl --machine dispatcher --spawn workers=2 --set next=5 --events 'job, job, job, pick'
# A third job finds both workers busy, and a pick names a worker that does not exist: each is
# a trace line.

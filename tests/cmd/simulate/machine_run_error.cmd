# wfl simulate --color never tests/run/livelock.wfl --set on=true

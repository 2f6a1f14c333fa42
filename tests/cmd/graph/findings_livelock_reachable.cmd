# wfl graph tests/ui/exploration/livelock_reachable.wfl --findings --format dot
# Findings drawn on what they concern: on tasks, links (one of a list link), states and
# transitions, or on the whole machine in the label.

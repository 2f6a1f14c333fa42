# wfl graph examples/case_activities.wfl --machine activity --coverage --format mermaid
# All the scenarios of an item drawn together: a task or link filled with the end state most
# runs gave it, each counted in its tooltip; a state or transition green when some run used it.
# (Children too: the scenarios of their parent run them.)

# wfl check --color never - -
# Standard input named twice is read and checked once.
# stdin:
workflow w {
  task a
  a -> zz
}

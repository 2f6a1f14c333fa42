# wfl explain E04OO

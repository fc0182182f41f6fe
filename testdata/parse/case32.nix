a: a -> a

x: x ? "a b"

x: x.y or x

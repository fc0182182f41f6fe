x: x/ 2
